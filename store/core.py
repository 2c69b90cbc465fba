"""The store's core: one DuckDB (or PostgreSQL) connection, reads, the write transaction (``Tx``) and the
read cache.

One ``Store`` per process holds one read-write DuckDB connection; each call takes its own cursor,
so Streamlit's session threads can share it. Writes are serialised by a lock (DuckDB would
otherwise abort one of two conflicting transactions) and each runs in one transaction together
with its audit entries: either all of it is written, or nothing. The services (rounds, reports,
follow-up, decisions, payments, scenarios, users, audit) each hold the core; ``store.service`` composes them.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd

from store import db, revive
from store.model import Actor, RoundProblem, WriteRefused, fraction_text

TIMEZONE = ZoneInfo("Europe/Stockholm")


def now_local() -> datetime:
    """Swedish local time without a zone, as stored."""
    return datetime.now(TIMEZONE).replace(tzinfo=None, microsecond=0)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Fraction):
        return fraction_text(value)
    return value


# A statement that writes one table, and the table: ``INSERT [OR REPLACE|IGNORE] INTO t``, ``UPDATE t``,
# ``DELETE FROM t`` (optionally ``schema.t``, quoted or not).
_WRITES = re.compile(
    r'\s*(?:INSERT(?:\s+OR\s+(?:REPLACE|IGNORE))?\s+INTO|UPDATE|DELETE\s+FROM)\s+(?:"?\w+"?\.)?"?(\w+)"?',
    re.IGNORECASE,
)
_READS = re.compile(r"\s*SELECT\b", re.IGNORECASE)

# What each cached read (by the first part of its cache key) is computed from. A write keeps an entry only
# when it is named here and the write touched none of its tables; every other entry is dropped by any write.
CACHE_TABLES: dict[str, frozenset[str]] = {
    "regions": frozenset({"regions", "population"}),
    "latest_population_date": frozenset({"population"}),
    "round_ids": frozenset({"rounds"}),
    "round_toml": frozenset({"rounds"}),
    "round_document": frozenset({"rounds"}),
    "planned_table": frozenset({"planned_positions"}),
    "block_round": frozenset({"rounds", "regions", "population", "planned_positions", "fixed_amounts"}),
    "fixed_amounts": frozenset({"fixed_amounts"}),
    "reports": frozenset({"at_reports"}),  # the table keeps its first name
    "scenario_names": frozenset({"scenarios"}),
    "example_scenario_names": frozenset({"scenarios"}),
    "users": frozenset({"users"}),
}


@dataclass
class Tx:
    """One write transaction: statements and the audit entries that go with them.

    ``written`` names the tables the transaction's statements wrote, for the read cache; ``None`` when that
    is not known (a statement it could not read, or the raw cursor handed out): then every entry goes.
    """

    _cursor: duckdb.DuckDBPyConnection
    actor: Actor
    reason: str
    at: datetime
    entries: int = 0
    written: set[str] | None = field(default_factory=set)

    @property
    def cursor(self) -> duckdb.DuckDBPyConnection:
        """The raw cursor: what is run on it is not seen here, so the whole read cache is dropped."""
        self.written = None
        return self._cursor

    def _note(self, sql: str) -> None:
        if self.written is None or _READS.match(sql):
            return
        match = _WRITES.match(sql)
        if match is None:
            self.written = None
        else:
            self.written.add(match.group(1).lower())

    def execute(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> duckdb.DuckDBPyConnection:
        self._note(sql)
        return self._cursor.execute(sql, params)

    def audit(self, action: str, entity: str, key: str, before: Any = None, after: Any = None) -> None:
        def dump(value: Any) -> str | None:
            if value is None:
                return None
            return json.dumps(value, default=_jsonable, ensure_ascii=False, sort_keys=True)

        self.execute(
            "INSERT INTO audit_log (logged_at, actor, role, action, entity, entity_key, reason, before, after) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [self.at, self.actor.name, self.actor.role, action, entity, key, self.reason, dump(before), dump(after)],
        )
        self.entries += 1


@dataclass
class StoreCore:
    """The connection, its locks and the read cache; every kind of data builds on these."""

    con: duckdb.DuckDBPyConnection
    path: Path
    clock: Callable[[], datetime] = now_local
    write_lock: threading.RLock = field(default_factory=threading.RLock)
    _cache_lock: threading.Lock = field(default_factory=threading.Lock)
    _generation: int = 0
    _cache: dict[tuple[Any, ...], Any] = field(default_factory=dict)
    _seen_generation: int | None = None  # PostgreSQL: the shared write counter as this process last saw it
    _counter: bool | None = None  # the schema has the shared counter (a store kept at an older schema has not)
    round_problems_found: tuple[RoundProblem, ...] = ()  # rules files the seed skipped (``store.seed``)
    _fatal: BaseException | None = None  # DuckDB's fatal error: the connection is reopened on the next call

    def close(self) -> None:
        with self.write_lock:
            self.con.close()

    @property
    def shared(self) -> bool:
        """The store is a PostgreSQL database that other processes may write at the same time."""
        return isinstance(self.con, db.PgConnection)

    def _refresh(self, cursor: Any) -> None:
        """Under the write lock: drop the cache if another process wrote since this one last looked, so the
        checks a write makes on cached reads see every committed write (none can commit while we hold it)."""
        if not self._has_counter():
            return
        row = cursor.execute("SELECT generation FROM store_generation WHERE id = 1").fetchone()
        self._adopt(int(row[0]) if row else None)

    def _adopt(self, generation: int | None) -> None:
        """The shared counter as read now: a value this process has not seen means another one wrote."""
        with self._cache_lock:
            if generation != self._seen_generation:
                self._seen_generation = generation
                self._generation += 1
                self._cache.clear()

    def _has_counter(self) -> bool:
        if self._counter is None:
            known = "SELECT count(*) FROM information_schema.tables WHERE table_name = 'store_generation'"
            self._counter = self.shared and bool(self.query(known)[0][0])
        return self._counter

    @property
    def engine(self) -> str:
        return "postgresql" if self.shared else "duckdb"

    @property
    def label(self) -> str:
        """Where the data is, for a footer or a message: the file's name, or the server's database."""
        return f"PostgreSQL {self.con.dbname}" if self.shared else self.path.name

    @property
    def where(self) -> str:
        """The store in a message: the file's path, or ``postgresql://user:***@host:port/db``."""
        return self.con.display if self.shared else str(self.path)

    def sync(self) -> None:
        """PostgreSQL: drop the read cache when another process has written since this one last looked
        (one cheap read per script run; every write transaction bumps the shared counter). DuckDB: reopen a
        database invalidated by a fatal error, or say that the dashboard must be restarted."""
        revive.revive(self)
        if not self._has_counter():
            return
        self._adopt(int(self.query("SELECT generation FROM store_generation WHERE id = 1")[0][0]))

    # --- low level ---------------------------------------------------------------------------

    def query(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Rows of one statement (tried once more on a new connection if it broke: ``store.revive``)."""
        return revive.read(self, lambda cursor: cursor.execute(sql, params).fetchall())

    def frame(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> pd.DataFrame:
        return revive.read(self, lambda cursor: cursor.execute(sql, params).df())

    @contextmanager
    def transaction(self, actor: Actor, reason: str) -> Iterator[Tx]:
        """A write: actor and reason are required; the audit entries commit with the data or not at all."""
        if not actor.name.strip():
            raise WriteRefused("Ange ditt namn innan du sparar något.", "an actor is required for every write")
        if not reason.strip():
            raise WriteRefused("Ange en anledning till ändringen.", "a reason is required for every write")
        revive.revive(self)
        with self.write_lock:
            cursor = self.con.cursor()
            try:
                try:
                    cursor.execute("BEGIN TRANSACTION")
                    if self.shared:  # every process's writers, one at a time (decided by the server)
                        # lock_timeout bounds this wait (and any row lock's): a stopped holder stalls no one
                        timeout = f"{max(int(self.con.lock_timeout * 1000), 1)}ms"
                        cursor.execute("SELECT set_config('lock_timeout', ?, true)", [timeout])
                        cursor.execute("SELECT pg_advisory_xact_lock(?)", [db.WRITE_LOCK])
                        self._refresh(cursor)
                except db.BUSY_ERRORS as exc:
                    db.rollback_quietly(cursor)
                    raise db.busy(self.where, self.con.lock_timeout) from exc
                except db.DB_ERRORS as exc:  # e.g. the database was invalidated by an earlier fatal error
                    revive.note_fatal(self, exc)
                    raise db.write_failure(self.where, exc) from exc
                tx = Tx(cursor, actor, reason.strip(), self.clock())
                try:
                    yield tx
                except db.BUSY_ERRORS as exc:  # a row another write holds, past the lock timeout
                    db.rollback_quietly(cursor)
                    raise db.busy(self.where, self.con.lock_timeout) from exc
                except db.STORAGE_ERRORS as exc:  # the file or the server, not the statement
                    revive.note_fatal(self, exc)
                    db.rollback_quietly(cursor)
                    raise db.write_failure(self.where, exc) from exc
                except BaseException:
                    db.rollback_quietly(cursor)  # a failing ROLLBACK must not hide why the write failed
                    raise
                wrote = bool(tx.entries or tx.written != set())
                counter = None
                try:
                    if wrote and self._has_counter():  # tells the other processes to drop their caches
                        row = cursor.execute(
                            "UPDATE store_generation SET generation = generation + 1 WHERE id = 1 RETURNING generation"
                        ).fetchone()
                        counter = int(row[0]) if row else None
                except db.DB_ERRORS as exc:  # before the COMMIT: nothing of it was saved
                    db.rollback_quietly(cursor)
                    raise db.write_failure(self.where, exc) from exc
                try:
                    cursor.execute("COMMIT")
                except db.DB_ERRORS as exc:  # e.g. "No space left on device": DuckDB has ended the transaction
                    revive.note_fatal(self, exc)  # DuckDB: a checkpoint after the log was written failed
                    if isinstance(exc, db.UNKNOWN_AT_COMMIT) or getattr(cursor, "broken", False):
                        # The server may have committed before the connection broke: say so, never "nothing saved".
                        self._invalidate(None)
                        raise db.outcome_unknown(self.where, exc) from exc
                    db.rollback_quietly(cursor)
                    raise db.write_failure(self.where, exc) from exc
                if wrote:
                    self._invalidate(tx.written)
                    with self._cache_lock:  # our own write is known here; another's still needs a sync
                        if counter is not None and self._seen_generation == counter - 1:
                            self._seen_generation = counter
            finally:
                cursor.close()

    def _invalidate(self, written: set[str] | None) -> None:
        """After a committed write: drop the cached reads computed from a table it wrote (all when unknown)."""
        with self._cache_lock:
            self._generation += 1
            if written is None:
                self._cache.clear()
                return
            for key in list(self._cache):
                tables = CACHE_TABLES.get(key[0])
                if tables is None or not tables.isdisjoint(written):
                    del self._cache[key]

    def cached(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        """Results that change only with a write of this process (the only writer of the file).

        A value is kept only if no write committed while it was computed (the generation read before
        computing is unchanged): a read that overlapped a write may hold either state, and is not kept.
        """
        with self._cache_lock:
            if key in self._cache:
                return self._cache[key]
            generation = self._generation
        value = compute()
        with self._cache_lock:
            if self._generation == generation:
                self._cache[key] = value
        return value

    @property
    def generation(self) -> int:
        """Bumped by every write: a cheap key for caches of what is read from the store."""
        return self._generation
