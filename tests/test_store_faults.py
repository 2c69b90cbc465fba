"""PostgreSQL and DuckDB faults (issue 23): a writer frozen while it holds the write lock, a connection that
breaks at the moment of COMMIT or during a read, and a DuckDB database invalidated by a fatal error.

Each is said plainly (Swedish on the page, English on the command line), never as a traceback, and never as
"nothing was saved" when that is not known. Nothing here sleeps: each test waits for what it asserts.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import duckdb
import psycopg
import pytest
from streamlit.testing.v1 import AppTest

from store import db, pg
from store.cli import main
from store.model import Actor, OutcomeUnknown, StoreBusy, StoreError, User
from store.service import Store
from tests.markdown_text import shown

ANNA = Actor("Anna")
WHO = ["--actor", "Anna", "--reason", "test"]
ADD_USER = ["user", "eva@myndighet.se", "--name", "Eva E", "--role", "handläggare", *WHO]


def cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main(list(args))
    return status, out.getvalue(), err.getvalue()


def logins(url: str) -> list[str]:
    with psycopg.connect(url) as con:
        return [r[0] for r in con.execute("SELECT login FROM users ORDER BY login").fetchall()]


@pytest.fixture
def pg_store(pg_url: str) -> Iterator[Store]:
    Store.open(pg_url).close()  # initialised, as `init` leaves it
    store = Store.open(pg_url)
    yield store
    store.close()


# --- a writer frozen while it holds the write lock --------------------------------------------------------------


def test_a_held_write_lock_refuses_a_write_as_busy_within_the_timeout(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(pg.LOCK_TIMEOUT_ENV, "0.2")
    Store.open(pg_url).close()
    with psycopg.connect(pg_url, autocommit=True) as frozen:  # takes the lock and never lets go
        frozen.execute("SELECT pg_advisory_lock(%s)", [db.WRITE_LOCK])
        store = Store.open(pg_url)  # opening an initialised store writes nothing: it does not wait either
        try:
            with pytest.raises(StoreBusy) as info:
                store.users.save_user(ANNA, "test", User("eva@myndighet.se", "Eva E", "handläggare"))
            assert "Databasen är upptagen" in info.value.message_sv and "0.2 s" in info.value.message_sv
            assert "the store is busy" in str(info.value)
        finally:
            store.close()
        status, out, err = cli("--db", pg_url, *ADD_USER)
        assert status == 3 and out == "" and err.startswith("error: the store is busy"), err
        assert "Traceback" not in err
        assert logins(pg_url) == []
    status, out, err = cli("--db", pg_url, *ADD_USER)  # the holder is gone: the same write goes through
    assert status == 0 and "saved" in out, err


# --- a connection that breaks ---------------------------------------------------------------------------------


def kill_own_backend(monkeypatch: pytest.MonkeyPatch, url: str, when: str, times: int = 1) -> list[int]:
    """Before the statement ``when`` (e.g. ``COMMIT``), end this cursor's server process from another connection,
    waiting until it is gone (``pg_terminate_backend``'s timeout): what a server restart does at that moment."""
    killed: list[int] = []
    real = pg.PgCursor.execute

    def execute(self: pg.PgCursor, sql: str, params: Any = ()) -> pg.PgCursor:
        if sql.strip().upper().startswith(when) and len(killed) < times:
            pid = self.pid()
            with psycopg.connect(url, autocommit=True) as admin:
                assert admin.execute("SELECT pg_terminate_backend(%s, 10000)", [pid]).fetchone() == (True,)
            killed.append(pid)
        return real(self, sql, params)

    monkeypatch.setattr(pg.PgCursor, "execute", execute)
    return killed


def test_a_connection_lost_at_commit_says_the_outcome_is_unknown_and_the_write_is_safe_to_retry(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    Store.open(pg_url).close()
    killed = kill_own_backend(monkeypatch, pg_url, "COMMIT")
    status, out, err = cli("--db", pg_url, *ADD_USER)
    assert killed and status == 3 and out == ""
    assert "the outcome is unknown — check with" in err and "Nothing of this change was saved" not in err
    assert "Traceback" not in err
    status, out, err = cli("--db", pg_url, *ADD_USER)  # run again: done once, whatever the first did
    assert status == 0, err
    status, out, err = cli("--db", pg_url, *ADD_USER)
    assert status == 0 and "unchanged" in out
    assert logins(pg_url) == ["eva@myndighet.se"]


def test_the_store_says_unknown_in_swedish_too(pg_store: Store, pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    kill_own_backend(monkeypatch, pg_url, "COMMIT")
    with pytest.raises(OutcomeUnknown) as info:
        pg_store.users.save_user(ANNA, "test", User("eva@myndighet.se", "Eva E", "handläggare"))
    assert "utfallet är okänt" in info.value.message_sv
    assert pg_store.users.save_user(ANNA, "test", User("eva@myndighet.se", "Eva E", "handläggare")) in (True, False)
    assert [u.login for u in pg_store.users.users()] == ["eva@myndighet.se"]


def test_a_read_whose_connection_drops_once_is_tried_again(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    Store.open(pg_url).close()
    killed = kill_own_backend(monkeypatch, pg_url, "SELECT LOGIN", times=1)
    status, _, err = cli("--db", pg_url, "users")
    assert len(killed) == 1 and status == 0 and "Traceback" not in err, err


def test_a_read_only_command_while_the_server_drops_every_connection_is_a_clear_message(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    Store.open(pg_url).close()
    killed = kill_own_backend(monkeypatch, pg_url, "SELECT LOGIN", times=99)
    status, out, err = cli("--db", pg_url, "users")
    assert len(killed) == 2 and status == 3 and out == ""
    assert err.startswith("error: The connection to postgresql://statsbidrag@/") and "was lost" in err, err
    assert "Traceback" not in err


# --- DuckDB: a fatal error invalidates the database until it is reopened ----------------------------------------

NO_SPACE = "No space left on device"
FATAL = f'FATAL Error: Failed to create checkpoint because of error: Could not write file "x.duckdb": {NO_SPACE}'
INVALID = (
    "FATAL Error: Failed: database has been invalidated because of a previous fatal error. The database must be "
    "restarted prior to being used again."
)


class Invalidated:
    """A DuckDB connection (and its cursors) as after a checkpoint that failed on a full disk: the COMMIT that
    checkpoints has written its log (the change is committed) and raises FatalException; from then on every
    statement on any of its connections raises FatalException "invalidated", as DuckDB does (checked on a 3 MB
    tmpfs with DuckDB 2.0), until the connection is closed and the file opened again."""

    def __init__(self, target: Any, state: dict[str, bool] | None = None) -> None:
        self._target = target
        self.state = state if state is not None else {"invalid": False}

    def cursor(self) -> Invalidated:
        if self.state["invalid"]:
            raise duckdb.FatalException(INVALID)
        return Invalidated(self._target.cursor(), self.state)

    def execute(self, sql: str, params: Any = ()) -> Any:
        if self.state["invalid"]:
            raise duckdb.FatalException(INVALID)
        if sql.strip().upper() == "COMMIT":
            self._target.execute(sql, params)  # written to the log: committed
            self.state["invalid"] = True
            raise duckdb.FatalException(FATAL)
        return self._target.execute(sql, params)

    def close(self) -> None:
        self._target.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._target, name)


def test_after_a_fatal_error_the_store_reopens_the_file_on_the_next_call(isolated_database: Path) -> None:
    store = Store.open(isolated_database)
    try:
        store.con = Invalidated(store.con)  # type: ignore[assignment]
        with pytest.raises(OutcomeUnknown, match=NO_SPACE):
            store.users.save_user(ANNA, "test", User("eva@myndighet.se", "Eva E", "handläggare"))
        assert isinstance(store.con, Invalidated) and store.con.state["invalid"]
        # The next call (the disk has room again) reopens the file: the committed change is there.
        assert [u.login for u in store.users.users()] == ["eva@myndighet.se"]
        assert not isinstance(store.con, Invalidated)
        assert store.users.save_user(ANNA, "test", User("ulla@myndighet.se", "Ulla U", "handläggare"))
    finally:
        store.close()


def test_when_the_file_cannot_be_reopened_the_page_says_to_restart_the_dashboard(isolated_database: Path) -> None:
    Store.open(isolated_database).close()

    def page() -> None:
        import duckdb

        from store import db
        from store.model import StoreError
        from ui.state import store_or_stop

        store = store_or_stop()
        store._fatal = duckdb.FatalException(
            'FATAL Error: Failed to create checkpoint because of error: Could not write file "x.duckdb": '
            "No space left on device"
        )
        real = db.connect

        def full(*args: object, **kwargs: object) -> None:
            raise StoreError("disk full", "disken är full")

        db.connect = full  # type: ignore[assignment]
        try:
            store_or_stop()
        finally:
            db.connect = real
            store._fatal = None
            store.con = real(store.path)

    at = AppTest.from_function(page, default_timeout=60).run()
    assert not at.exception
    (error,) = at.error
    text = shown(error.value)
    assert "starta sedan om tjänsten" in text and "disken är full" in text, text


def test_a_fatal_error_on_every_attempt_is_a_store_error_not_a_traceback(
    isolated_database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(isolated_database)
    try:
        store.con = Invalidated(store.con, {"invalid": True})  # type: ignore[assignment]
        store._fatal = duckdb.FatalException(FATAL)
        real = db.connect
        monkeypatch.setattr(db, "connect", lambda path, read_only=False: Invalidated(real(path), {"invalid": True}))
        with pytest.raises(StoreError) as info:
            store.users.users()
        assert "cannot use it again" in str(info.value) and NO_SPACE in str(info.value)
        assert "starta sedan om tjänsten" in info.value.message_sv
    finally:
        store.close()
