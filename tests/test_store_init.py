"""Opening and initialising the store (issue 23, items 4 and 5): nothing is created unless everything is, another
application's database is refused before anything is created, a command that only reads never writes, the
README's `copy --to URL --db FILE` works, and an unreachable server is said within seconds."""

from __future__ import annotations

import io
import socket
import time
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import duckdb
import psycopg
import pytest
from streamlit.testing.v1 import AppTest

from store import db
from store.cli import main
from store.paths import PATH_ENV, URL_ENV
from store.service import Store
from tests.markdown_text import shown


def cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main(list(args))
    return status, out.getvalue(), err.getvalue()


def pg_tables(url: str) -> list[str]:
    with psycopg.connect(url) as con:
        rows = con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        ).fetchall()
    return sorted(r[0] for r in rows)


def file_tables(path: Path) -> list[str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return sorted(r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall())
    finally:
        con.close()


# --- item 4: init against another application's database ---------------------------------------------------------


def test_init_in_another_applications_postgresql_database_creates_nothing(pg_url: str) -> None:
    with psycopg.connect(pg_url, autocommit=True) as con:
        con.execute("CREATE TABLE kunder (id int PRIMARY KEY, namn text)")
        con.execute("CREATE TABLE users (id int)")  # a name the store uses too
    status, out, err = cli("--db", pg_url, "init")
    assert status == 3 and out == ""
    assert "holds tables of another application (kunder, users)" in err and "nothing was created" in err, err
    assert pg_tables(pg_url) == ["kunder", "users"]


def test_init_in_a_duckdb_file_of_another_application_creates_nothing(tmp_path: Path) -> None:
    other = tmp_path / "annat.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE kunder (id INTEGER)")
    con.close()
    status, _, err = cli("--db", str(other), "init")
    assert status == 3 and "holds tables of another application (kunder)" in err, err
    assert file_tables(other) == ["kunder"]


@pytest.fixture
def broken_last_migration(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    real = db.migrations()
    monkeypatch.setattr(db, "migrations", lambda: [*real, (real[-1][0] + 1, "broken", "CREATE TABLE x (a nosuchtype)")])
    yield


@pytest.mark.usefixtures("broken_last_migration")
def test_a_migration_that_fails_leaves_no_table_of_the_earlier_ones(store_target: Path | str) -> None:
    with pytest.raises((db.StoreError, *db.DB_ERRORS)):
        Store.open(store_target)
    if isinstance(store_target, str):
        assert pg_tables(store_target) == []
    else:
        assert not store_target.exists()


# --- item 5: reading never writes; copy's documented order; a quick "unreachable" ----------------------------------


def test_a_read_only_command_on_an_uninitialised_store_says_to_run_init(store_target: Path | str) -> None:
    status, out, err = cli("--db", str(store_target), "users")
    assert status == 3 and out == "" and "run `python -m store init` first" in err, err
    if isinstance(store_target, str):
        assert pg_tables(store_target) == []
    else:
        assert not store_target.exists()


def test_a_read_only_command_does_not_write_even_where_seeding_would(pg_url: str, tmp_path: Path) -> None:
    """With the write lock held elsewhere, `payouts` still runs: it takes no lock and writes nothing."""
    assert cli("--db", pg_url, "init")[0] == 0
    with psycopg.connect(pg_url, autocommit=True) as con:
        con.execute("DELETE FROM population WHERE code = '09'")  # the seed would write this back
        con.execute("SELECT pg_advisory_lock(%s)", [db.WRITE_LOCK])  # ... and would have to wait for this lock
        before = con.execute("SELECT count(*) FROM audit_log").fetchone()
        out_file = tmp_path / "utbetalning.csv"
        status, _, err = cli(
            "--db", pg_url, "payouts", "--round", "elderly-2023", "--format", "csv", "--out", str(out_file)
        )
        assert status in (0, 2) and "Could not write" not in err and "busy" not in err, err
        assert con.execute("SELECT count(*) FROM audit_log").fetchone() == before
        assert con.execute("SELECT count(*) FROM population WHERE code = '09'").fetchone() == (0,)


def test_copy_accepts_db_after_the_command_as_the_readme_writes_it(isolated_database: Path, pg_url: str) -> None:
    Store.open(isolated_database).close()
    status, out, err = cli("copy", "--to", pg_url, "--db", str(isolated_database))
    assert status == 0, err
    assert "verified, committed" in out and f"{isolated_database} (schema version" in out
    assert "postgresql://statsbidrag@/" in out


def test_the_dashboard_says_at_once_that_the_server_does_not_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server that accepts the connection and never answers (a listening socket on loopback): said within
    the connect timeout (3 s), not after the pool's 15 s of retries."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        monkeypatch.setenv(URL_ENV, f"postgresql://statsbidrag@127.0.0.1:{port}/statsbidrag")
        monkeypatch.setenv(PATH_ENV, str(tmp_path / "not-used.duckdb"))

        def page() -> None:
            from ui.state import session_or_stop

            session_or_stop()

        started = time.monotonic()
        at = AppTest.from_function(page, default_timeout=60).run()
        seconds = time.monotonic() - started
    assert not at.exception
    (error,) = at.error
    text = shown(error.value)
    assert "Databasen kunde inte öppnas" in text and f"postgresql://statsbidrag@127.0.0.1:{port}/statsbidrag" in text
    assert "timeout" in text.lower()
    assert seconds < 8, seconds
