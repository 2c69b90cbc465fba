"""No secret of a PostgreSQL connection string in any message, log line or page (issue 23, item 1).

Both syntaxes (URL and key=value), passwords with ``%``, ``@``, ``:``, ``/``, spaces and quotes, written raw
(libpq cannot read some of them, and its own error quotes the token) or percent-encoded (then it connects:
the test cluster trusts local users, so any password is accepted and must still never be shown).
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from streamlit.testing.v1 import AppTest

from store import conninfo, db
from store.cli import main
from store.paths import PATH_ENV, URL_ENV
from tests.markdown_text import shown

ROOT = Path(__file__).resolve().parents[1]

# Raw passwords in a URL: libpq cannot read the first two (its message quotes the token); a raw @ or / makes it
# read part of the password as the host, port or database.
RAW_URL_PASSWORDS = ["Zq9%Rk4-44", "Zq9 Rk4-44", "Zq9@Wv8-Kx7", "Zq9/Wv8-Kx7", "Zq9@Wv8/Kx7:44"]
# Passwords that are fine once percent-encoded (or quoted in key=value form).
HARD_PASSWORDS = ["Zq9%Rk4-44", "Zq9@Wv8/Kx7:44", "Zq9 Wv8 'Kx7' \"Rk4\"", "Zq9\\Wv8%40Kx7"]


def pieces(password: str) -> list[str]:
    """What must never be shown: the password in its forms, and each run of 3+ of its letters and digits (each
    password is made of distinctive runs such as ``Zq9``, which no message has of its own)."""
    forms = {password, quote(password, safe=""), quote(password)}
    return sorted(forms | {run for run in re.findall(r"[A-Za-z0-9]{3,}", password)})


def socket_dir(pg_url: str) -> str:
    return pg_url.split("?host=", 1)[1]


def url_with(pg_url: str, raw_password: str) -> str:
    return pg_url.replace("postgresql://statsbidrag@", f"postgresql://statsbidrag:{raw_password}@", 1)


def pairs_with(pg_url: str, password_value: str, key: str = "password") -> str:
    database = pg_url.split("@/", 1)[1].split("?", 1)[0]
    return f"host={socket_dir(pg_url)} dbname={database} user=statsbidrag {key}={password_value}"


def quoted(password: str) -> str:
    return "'" + password.replace("\\", "\\\\").replace("'", "\\'") + "'"


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main(list(args))
    out = capsys.readouterr()
    return status, out.out + out.err


def assert_hidden(text: str, password: str, traceback: bool = False) -> None:
    for piece in pieces(password):
        assert piece not in text, (piece, text)
    assert traceback or "Traceback" not in text


@pytest.fixture
def driver_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Everything psycopg and psycopg_pool log, down to DEBUG."""
    caplog.set_level(logging.DEBUG, logger="psycopg")
    caplog.set_level(logging.DEBUG, logger="psycopg.pool")
    return caplog


def logged(caplog: pytest.LogCaptureFixture) -> str:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(name)s %(message)s"))
    return "\n".join(handler.format(record) for record in caplog.records)


@pytest.mark.parametrize("password", RAW_URL_PASSWORDS)
def test_a_raw_password_that_libpq_misreads_is_refused_without_a_trace_of_it(
    pg_url: str, password: str, capsys: pytest.CaptureFixture[str], driver_logs: pytest.LogCaptureFixture
) -> None:
    url = url_with(pg_url, password)
    status, text = cli(capsys, "--db", url, "users")
    assert status == 3
    assert "cannot be used" in text and "%" in text  # says what to do: percent-encode
    assert_hidden(text + logged(driver_logs), password)


@pytest.mark.parametrize("password", HARD_PASSWORDS)
def test_an_encoded_password_connects_and_is_never_printed(
    pg_url: str, password: str, capsys: pytest.CaptureFixture[str], driver_logs: pytest.LogCaptureFixture
) -> None:
    url = url_with(pg_url, quote(password, safe=""))
    status, text = cli(capsys, "--db", url, "init")
    assert status == 0, text
    assert "postgresql://statsbidrag:***@/" in text
    assert_hidden(text + logged(driver_logs), password)


@pytest.mark.parametrize("password", HARD_PASSWORDS)
@pytest.mark.parametrize("key", ["password", "sslpassword"])
def test_the_key_value_form_connects_and_is_never_printed(
    pg_url: str,
    password: str,
    key: str,
    capsys: pytest.CaptureFixture[str],
    driver_logs: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(URL_ENV, pairs_with(pg_url, quoted(password), key))
    status, text = cli(capsys, "init")
    assert status == 0, text
    assert text.startswith("postgresql://statsbidrag")
    assert_hidden(text + logged(driver_logs), password)


@pytest.mark.parametrize("value", ["Zq9 Wv8-Kx7", "'Zq9 Wv8-Kx7", "Zq9=Wv8 Kx7=Rk4"])
def test_a_key_value_string_libpq_cannot_read_is_refused_without_quoting_it(
    pg_url: str, value: str, capsys: pytest.CaptureFixture[str], driver_logs: pytest.LogCaptureFixture
) -> None:
    status, text = cli(capsys, "--db", pairs_with(pg_url, value), "users")
    assert status == 3 and "cannot be used" in text
    assert_hidden(text + logged(driver_logs), value.strip("'"))


def test_an_unreachable_server_is_said_without_the_password(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], driver_logs: pytest.LogCaptureFixture
) -> None:
    password = "Zq9@Wv8/Kx7:44"
    for target in (
        f"postgresql://statsbidrag:{quote(password, safe='')}@/statsbidrag?host={tmp_path}/no-server",
        f"host={tmp_path}/no-server dbname=statsbidrag user=statsbidrag password={quoted(password)}",
    ):
        status, text = cli(capsys, "--db", target, "users")
        assert status == 3 and "Cannot connect to the PostgreSQL database postgresql://statsbidrag:***@" in text
        assert "no-server" in text  # the cause, with where it looked
        assert_hidden(text + logged(driver_logs), password)


def test_psycopg_pool_log_lines_are_redacted(driver_logs: pytest.LogCaptureFixture) -> None:
    """The pool's own retries log libpq's message once per attempt; the filter masks the token it quotes."""
    from psycopg_pool import ConnectionPool

    url = "postgresql://statsbidrag:Zq9%Rk4-44@/statsbidrag?host=/nonexistent"
    conninfo.remember(url)  # as the store does before anything connects
    pool = ConnectionPool(url, min_size=1, open=False, reconnect_timeout=0.2, name="probe")
    pool.open(wait=False)
    try:
        pool.wait(timeout=0.5)
    except Exception:  # it cannot connect: the log is what is checked
        pass
    finally:
        pool.close()
    lines = [r for r in driver_logs.records if r.name == "psycopg.pool" and "error connecting" in r.getMessage()]
    assert lines, logged(driver_logs)
    assert_hidden(logged(driver_logs), "Zq9%Rk4-44")
    assert "invalid percent-encoded token" in logged(driver_logs)  # the cause is kept, the token masked


def test_a_logged_exception_is_redacted_too(driver_logs: pytest.LogCaptureFixture) -> None:
    conninfo.remember("postgresql://u:Zq9%40Wv8-Kx7@db.example.se/x")
    try:
        raise ValueError('could not translate host name "Zq9@Wv8-Kx7"')
    except ValueError:
        logging.getLogger("psycopg").exception("failed: %s", "Zq9%40Wv8-Kx7")
    assert_hidden(logged(driver_logs) + (driver_logs.records[-1].exc_text or ""), "Zq9@Wv8-Kx7", traceback=True)


@pytest.mark.parametrize("password", ["Zq9@Wv8-Kx7", "Zq9%Rk4-44", "Zq9 Wv8'Kx7\"44", "Zq9%40Wv8%2FKx7"])
def test_the_dashboard_error_page_shows_no_part_of_the_password(
    tmp_path: Path, password: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(URL_ENV, f"postgresql://statsbidrag:{password}@/statsbidrag?host={tmp_path}/no-server")
    monkeypatch.setenv(PATH_ENV, str(tmp_path / "not-used.duckdb"))

    def page() -> None:
        from ui.state import session_or_stop

        session_or_stop()

    at = AppTest.from_function(page, default_timeout=60).run()
    assert not at.exception
    (error,) = at.error
    assert "Databasen kunde inte öppnas" in shown(error.value)
    assert_hidden(shown(error.value), password)
    assert not (tmp_path / "not-used.duckdb").exists()


def test_display_is_a_url_without_secrets_whatever_the_syntax() -> None:
    assert conninfo.display("postgresql://anna:x%40y@db.example.se:6543/stats?sslmode=require") == (
        "postgresql://anna:***@db.example.se:6543/stats"
    )
    assert conninfo.display("host=/run/postgresql dbname=stats user=anna sslpassword='a b'") == (
        "postgresql://anna@/stats?host=/run/postgresql"
    )
    assert conninfo.display("postgresql://h1:1,h2:2/stats") == "postgresql://h1:1,h2:2/stats"
    assert db.redacted("postgresql://anna:p@ss@host/x") == "postgresql://(a connection string that cannot be used)"
    assert db.database_name("host=/tmp dbname=stats") == "stats"


def test_init_as_users_run_it_in_a_subprocess_prints_no_password(pg_url: str) -> None:
    """The whole program, as a user runs it, with the password in a key=value string in the environment."""
    env_url = pairs_with(pg_url, quoted("Zq9@Wv8/Kx7:44 'x'"))
    result = subprocess.run(
        [sys.executable, "-m", "store", "init"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, URL_ENV: env_url},
    )
    assert result.returncode == 0, result.stderr
    assert_hidden(result.stdout + result.stderr, "Zq9@Wv8/Kx7:44 'x'")
