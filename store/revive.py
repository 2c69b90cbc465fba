"""Reads that survive a broken connection: a PostgreSQL connection lost (the server restarted, the session was
ended) is tried once more on a new one; a DuckDB database invalidated by a fatal error (a checkpoint failing on
a full disk) is reopened on the next call, once the cause is gone.

DuckDB keeps a database that had a fatal error invalid for the life of its instance: every statement raises
``FatalException`` ("database has been invalidated … must be restarted") until every connection to it is
closed. Closing the store's connection and connecting again replays the file's write-ahead log and works (tried
on a 3 MB tmpfs: a CHECKPOINT failing with "No space left on device" invalidates it; the reopened file has
every committed row). When reopening fails, the message says that the dashboard must be restarted, and why.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from typing import TYPE_CHECKING, Any, TypeVar

import duckdb

from store import db
from store.model import StoreError

if TYPE_CHECKING:
    from store.core import StoreCore

T = TypeVar("T")


def restart_needed(where: str, fatal: BaseException, now: BaseException | None = None) -> StoreError:
    """The database stays unusable in this process: what happened, and that a restart is needed."""
    text = db.cause(fatal).split("\n", 1)[0]
    also = f" Reopening it failed too: {db.cause(now)}." if now is not None else ""
    return StoreError(
        f"The database {where} had a fatal error ({text}) and this process cannot use it again.{also} Free the "
        "cause (e.g. disk space) and restart the dashboard (or run the command again).",
        f"Databasen {where} fick ett allvarligt fel ({db.cause_sv(text)}) och kan inte användas igen av den här "
        "processen. Åtgärda orsaken (t.ex. frigör diskutrymme) och starta sedan om tjänsten.",
    )


def note_fatal(store: StoreCore, exc: BaseException) -> None:
    """Remember a fatal DuckDB error: the next call reopens the connection."""
    if isinstance(exc, duckdb.FatalException) and store._fatal is None:
        store._fatal = exc


def revive(store: StoreCore) -> None:
    """After a fatal DuckDB error: close the invalid connection and open the file again (a ``StoreError``
    saying that the dashboard must be restarted, and why, when that fails)."""
    fatal = store._fatal
    if fatal is None:
        return
    with store.write_lock:  # no write is running on the old connection while it is replaced
        if store._fatal is None:  # another thread reopened it meanwhile
            return
        with suppress(duckdb.Error):
            store.con.close()
        try:
            con = db.connect(store.path)
            con.execute("SELECT count(*) FROM schema_version").fetchall()
        except (StoreError, duckdb.Error) as exc:
            raise restart_needed(store.where, fatal, exc) from exc
        store.con = con
        store._fatal = None
        store._invalidate(None)  # what was cached may predate the failure


def read(store: StoreCore, run: Callable[[Any], T]) -> T:
    """``run(cursor)``, tried once more on a new connection when the connection broke (PostgreSQL) or the
    database was invalidated (DuckDB); a second failure is a ``StoreError`` with the cause."""
    revive(store)
    for attempt in (1, 2):
        try:
            cursor = store.con.cursor()
        except db.STORAGE_ERRORS as exc:  # no connection to be had (the pool's wait ran out)
            raise db.connection_lost(store.where, exc) from exc
        try:
            return run(cursor)
        except db.LOST_ERRORS as exc:
            if attempt == 2:
                raise db.connection_lost(store.where, exc) from exc
        except duckdb.FatalException as exc:
            note_fatal(store, exc)
            if attempt == 2:
                raise restart_needed(store.where, exc) from exc
            revive(store)
        finally:
            with suppress(*db.DB_ERRORS):
                cursor.close()
    raise AssertionError("unreachable")  # pragma: no cover
