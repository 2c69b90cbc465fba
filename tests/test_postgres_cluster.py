"""The PostgreSQL test fixtures themselves: a real server (tests/postgres.py), a fresh database per test."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import psycopg
import pytest

from tests.postgres import (
    DATABASE,
    ROLE,
    SUPERUSER,
    PostgresNotInstalled,
    find_bindir,
    throwaway_cluster,
    with_database,
)

SYSTEM_DATABASES = {"postgres", "template0", "template1", DATABASE}


def _socket_dir(url: str) -> Path:
    return Path(unquote(urlsplit(url).query.removeprefix("host=")))


def _user_tables(url: str) -> list[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT table_schema || '.' || table_name FROM information_schema.tables"
            " WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1"
        ).fetchall()
    return [row[0] for row in rows]


def _databases(pg_cluster: str) -> set[str]:
    with psycopg.connect(with_database(pg_cluster, "postgres", user=SUPERUSER)) as conn:
        return {row[0] for row in conn.execute("SELECT datname FROM pg_database")}


def test_a_real_server_on_a_unix_socket(pg_url: str) -> None:
    with psycopg.connect(pg_url) as conn:
        version, user, superuser, listen, fsync = conn.execute(
            "SELECT version(), current_user, current_setting('is_superuser'),"
            " current_setting('listen_addresses'), current_setting('fsync')"
        ).fetchone()
    assert version.startswith("PostgreSQL "), version
    assert (user, superuser) == (ROLE, "off")  # an ordinary role, as in production
    assert (listen, fsync) == ("", "off")  # no TCP port; fast
    assert (_socket_dir(pg_url) / ".s.PGSQL.5432").is_socket()


def _isolated_database(pg_cluster: str, pg_url: str) -> None:
    """Whichever of the two tests below runs second finds its database empty and the other one dropped."""
    name = urlsplit(pg_url).path.lstrip("/")
    assert name not in SYSTEM_DATABASES
    assert _databases(pg_cluster) == SYSTEM_DATABASES | {name}  # the earlier tests' databases are dropped
    assert _user_tables(pg_url) == []
    with psycopg.connect(pg_url) as conn:
        conn.execute("CREATE TABLE left_behind (id BIGINT PRIMARY KEY)")
        conn.execute("INSERT INTO left_behind VALUES (1)")
    assert _user_tables(pg_url) == ["public.left_behind"]


def test_each_test_gets_an_empty_database(pg_cluster: str, pg_url: str) -> None:
    _isolated_database(pg_cluster, pg_url)


def test_each_test_gets_an_empty_database_again(pg_cluster: str, pg_url: str) -> None:
    _isolated_database(pg_cluster, pg_url)


def test_two_connections_see_each_others_committed_writes(pg_url: str) -> None:
    with psycopg.connect(pg_url) as a, psycopg.connect(pg_url) as b:
        assert a.info.backend_pid != b.info.backend_pid  # two server processes
        a.execute("CREATE TABLE requisition (id BIGINT PRIMARY KEY, amount BIGINT NOT NULL)")
        a.commit()

        a.execute("INSERT INTO requisition VALUES (1, 100)")
        assert b.execute("SELECT count(*) FROM requisition").fetchone() == (0,)  # not yet committed
        b.rollback()
        a.commit()
        assert b.execute("SELECT id, amount FROM requisition").fetchall() == [(1, 100)]
        b.execute("INSERT INTO requisition VALUES (2, 250)")
        b.commit()
        assert a.execute("SELECT sum(amount) FROM requisition").fetchone() == (350,)
        a.rollback()

        # A row lock decides a race: b waits for a's transaction, then sees its write.
        b.execute("SET lock_timeout = '10s'")
        b.commit()
        a.execute("UPDATE requisition SET amount = amount + 1 WHERE id = 1")
        with pytest.raises(psycopg.errors.LockNotAvailable):
            b.execute("SELECT amount FROM requisition WHERE id = 1 FOR UPDATE NOWAIT")
        b.rollback()
        a.commit()
        assert b.execute("SELECT amount FROM requisition WHERE id = 1 FOR UPDATE").fetchone() == (101,)
        b.commit()


def test_another_local_user_connects_through_the_socket(pg_url: str) -> None:
    """The tests' subprocesses (dashboard instances, the CLI) reach the server whoever runs them."""
    command = [str(find_bindir() / "psql"), pg_url, "-XAtc", "SELECT current_user, current_database()"]
    if os.geteuid() == 0:
        command = ["runuser", "-u", "nobody", "--", *command]
    result = subprocess.run(command, capture_output=True, text=True, check=False, cwd="/")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{ROLE}|{urlsplit(pg_url).path.lstrip('/')}"


@pytest.mark.usefixtures("pg_cluster")  # its skip (or failure in CI) without a server; and two clusters at once
def test_the_cluster_is_stopped_and_removed_also_after_a_failure() -> None:
    with pytest.raises(RuntimeError, match="the block failed"), throwaway_cluster() as url:
        directory = _socket_dir(url)
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT current_database()").fetchone() == (DATABASE,)
        raise RuntimeError("the block failed")
    assert not directory.exists()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url, connect_timeout=5)


def test_missing_binaries_say_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PG_BINDIR", str(tmp_path))
    with pytest.raises(PostgresNotInstalled, match="install Debian's package `postgresql`"):
        find_bindir()


@pytest.mark.usefixtures("pg_cluster")
def test_a_cluster_left_by_a_killed_run_is_reaped_by_the_next() -> None:
    """A test run killed with SIGKILL never cleans up: the next cluster in the same folder stops its server."""
    script = "import sys, time; from tests.postgres import throwaway_cluster\n" + (
        "with throwaway_cluster() as url:\n    print(url, flush=True)\n    time.sleep(600)\n"
    )
    root = Path(__file__).resolve().parents[1]
    with subprocess.Popen([sys.executable, "-c", script], cwd=root, stdout=subprocess.PIPE, text=True) as orphan:
        assert orphan.stdout is not None
        url = orphan.stdout.readline().strip()
        orphan.kill()
    directory = _socket_dir(url)
    with psycopg.connect(url) as conn:  # the killed run's server lives on
        assert conn.execute("SELECT 1").fetchone() == (1,)
    with throwaway_cluster():
        assert not directory.exists()
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(url, connect_timeout=5)
