"""PostgreSQL behind the small part of DuckDB's connection API the store uses (psycopg 3 with a pool).

The store is written against DuckDB's Python API: ``con.cursor()``, ``cursor.execute(sql, params)``,
``fetchone``/``fetchall``/``df``, ``close``, and ``?`` placeholders. ``PgConnection`` offers the same on a
``psycopg_pool.ConnectionPool``: each cursor holds one pooled connection for its life, in autocommit mode,
so the store's own ``BEGIN TRANSACTION`` … ``COMMIT`` make the transaction, exactly as on DuckDB.

What differs is made the same here, not in the store:
- ``?`` placeholders become ``%s`` (outside quoted text), and a literal ``%`` is doubled;
- ``json`` comes back as text (the store parses it itself), and a whole ``numeric`` (``sum(bigint)``) as
  ``int``: money stays integer kronor;
- psycopg's errors are raised as ``PgError`` (a ``PgConstraintError`` for a violated constraint, a
  ``PgBusy`` for a lock not granted within ``lock_timeout``, a ``PgConnectionLost`` for a connection that
  broke), so the store catches one family per engine (``store.db.DB_ERRORS``); their text is redacted
  (``store.conninfo``): libpq may echo parts of the connection string.

Opening fails fast: the connection string is checked first (``store.conninfo.parse``), then one connection is
tried with ``connect_timeout`` (3 s unless the string sets one) before the pool starts, so an unreachable
server is said at once rather than after the pool's own retries.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import pandas as pd

from store import conninfo

conninfo.install_log_filter()

CONNECT_TIMEOUT = 3  # seconds for a connection to the server, unless the connection string sets connect_timeout
LOCK_TIMEOUT_ENV = "STATSBIDRAG_LOCK_TIMEOUT"
LOCK_TIMEOUT = 10.0  # seconds a write waits for the write lock (another instance's write) before it is refused
POOL_TIMEOUT = 10.0  # seconds to wait for a pooled connection

# Quoted text (single or double quotes), a placeholder, or a percent sign.
_TOKENS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\?|%")


class PgError(Exception):
    """A PostgreSQL error, with psycopg's as its cause; ``sqlstate`` names it (e.g. ``23505``)."""

    def __init__(self, message: str, sqlstate: str | None = None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


class PgConstraintError(PgError):
    """A violated constraint: unique, check, not null, foreign key (SQLSTATE class 23)."""


class PgLockedError(PgError):
    """The server cannot be reached, or refused the connection."""


class PgConnectionLost(PgLockedError):
    """The connection broke during a statement (the server restarted, or the session was ended)."""


class PgBusy(PgError):
    """A lock was not granted within ``lock_timeout`` (SQLSTATE 55P03): another session holds it."""


# SQLSTATEs of a session the server ended: admin_shutdown, crash_shutdown, cannot_connect_now.
_ENDED = {"57P01", "57P02", "57P03"}


def translate(sql: str) -> str:
    """DuckDB's ``?`` placeholders as psycopg's ``%s``; a literal ``%`` doubled; quoted text untouched."""

    def swap(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "?":
            return "%s"
        return token.replace("%", "%%")  # psycopg reads % everywhere when there are parameters, quotes too

    return _TOKENS.sub(swap, sql)


def _wrap(exc: Exception, broken: bool = False) -> PgError:
    """psycopg's error as the store's, its text redacted; ``broken``: the connection is gone."""
    import psycopg

    state = getattr(exc, "sqlstate", None)
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    text = conninfo.redact(text)
    if isinstance(exc, psycopg.errors.IntegrityError) or (state or "").startswith("23"):
        return PgConstraintError(f"Constraint Error: {text}", state)
    if state == "55P03":
        return PgBusy(text, state)
    if broken or state in _ENDED or (state or "").startswith("08"):
        return PgConnectionLost(text, state)
    if isinstance(exc, psycopg.OperationalError) and state is None:
        return PgLockedError(text, state)
    return PgError(text, state)


_DATES = {1082, 1114, 1184}  # date, timestamp, timestamptz
_INTEGERS = {20, 21, 23}  # int8, int2, int4
_BOOLEAN = 16


def frame(rows: list[tuple[Any, ...]], description: Any) -> pd.DataFrame:
    """Rows as a DataFrame with the dtypes DuckDB's ``df()`` gives: dates and times as ``datetime64``,
    whole numbers as ``int64`` and truth values as ``bool`` where no value is missing."""
    columns = [c.name for c in description or []]
    result = pd.DataFrame(rows, columns=columns)
    for i, column in enumerate(description or []):
        name = columns[i]
        values = result.iloc[:, i]
        if column.type_code in _DATES:
            result[name] = pd.to_datetime(values).astype("datetime64[us]")
        elif column.type_code in _INTEGERS and values.notna().all():
            result[name] = values.astype("int64")
        elif column.type_code == _BOOLEAN and values.notna().all():
            result[name] = values.astype(bool)
    return result


def _configure(conn: Any) -> None:
    """Per connection: json as text, whole numerics as int."""
    from psycopg.adapt import Loader
    from psycopg.types.string import TextLoader

    class NumericLoader(Loader):
        def load(self, data: Any) -> int | Decimal:
            value = Decimal(bytes(data).decode())
            return int(value) if value == value.to_integral_value() else value

    conn.adapters.register_loader("json", TextLoader)
    conn.adapters.register_loader("jsonb", TextLoader)
    conn.adapters.register_loader("numeric", NumericLoader)


class PgCursor:
    """One pooled connection for the cursor's life; statements run on it in order."""

    def __init__(self, pool: Any) -> None:

        self._pool = pool
        try:
            self._conn = pool.getconn()
        except Exception as exc:
            raise _wrap(exc) from exc
        self._cursor = self._conn.cursor()

    def execute(self, sql: str, params: Sequence[Any] | None = ()) -> PgCursor:
        import psycopg

        try:
            if params:
                self._cursor.execute(translate(sql), list(params))
            else:  # no parameters: the simple protocol, which also runs several statements (migrations)
                self._cursor.execute(sql.encode())
        except psycopg.Error as exc:
            raise _wrap(exc, self._conn.broken) from exc
        return self

    def fetchall(self) -> list[tuple[Any, ...]]:
        return list(self._cursor.fetchall()) if self._cursor.description else []

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._cursor.fetchone() if self._cursor.description else None

    def df(self) -> pd.DataFrame:
        return frame(self.fetchall(), self._cursor.description)

    @property
    def broken(self) -> bool:
        """The connection is gone (e.g. lost during a COMMIT: whether the server committed is unknown)."""
        return self._conn is None or bool(self._conn.broken)

    def pid(self) -> int:
        """The server process of this cursor's connection (its backend)."""
        return int(self._conn.info.backend_pid)

    def close(self) -> None:
        if self._conn is None:
            return
        conn, self._conn = self._conn, None
        try:
            self._cursor.close()
            if conn.info.transaction_status != 0:  # left inside a transaction (an error): start clean next time
                conn.execute(b"ROLLBACK")
        except Exception:
            pass
        self._pool.putconn(conn)


class PgConnection:
    """A pool of connections to one PostgreSQL database, used as the store uses a DuckDB connection."""

    engine = "postgresql"

    def __init__(self, url: str, max_size: int = 10) -> None:
        from psycopg_pool import ConnectionPool

        fields = conninfo.parse(url)  # a string that cannot be used is refused without being quoted
        self.url = url
        self.display = conninfo.display(url)
        self.dbname = conninfo.dbname(url)
        self.lock_timeout = lock_timeout()
        kwargs: dict[str, Any] = {"autocommit": True}
        if "connect_timeout" not in fields:
            kwargs["connect_timeout"] = CONNECT_TIMEOUT
        probe(url, kwargs)
        self.pool = ConnectionPool(
            url,
            min_size=1,
            max_size=max_size,
            kwargs=kwargs,
            configure=_configure,
            check=ConnectionPool.check_connection,  # a connection broken since its last use is replaced
            open=False,
            timeout=POOL_TIMEOUT,
            name="statsbidrag",
        )
        try:
            self.pool.open(wait=True, timeout=POOL_TIMEOUT)
        except Exception as exc:
            self.pool.close()
            raise _wrap(exc) from exc

    def cursor(self) -> PgCursor:
        return PgCursor(self.pool)

    def execute(self, sql: str, params: Sequence[Any] | None = ()) -> PgCursor:
        """One statement on a connection of its own (read everything before the next call)."""
        cursor = self.cursor()
        try:
            cursor.execute(sql, params)
            rows = cursor.fetchall() if cursor._cursor.description else []
            description = cursor._cursor.description
        finally:
            cursor.close()
        return _Done(rows, description)  # type: ignore[return-value]

    def close(self) -> None:
        self.pool.close()


def lock_timeout() -> float:
    """Seconds a write waits for a lock: ``$STATSBIDRAG_LOCK_TIMEOUT``, else 10."""
    try:
        return max(float(os.environ.get(LOCK_TIMEOUT_ENV) or LOCK_TIMEOUT), 0.001)
    except ValueError:
        return LOCK_TIMEOUT


def probe(url: str, kwargs: dict[str, Any]) -> None:
    """One connection, opened and closed: ``PgLockedError`` (redacted) at once when the server is not there."""
    import psycopg

    try:
        psycopg.connect(url, **kwargs).close()
    except psycopg.Error as exc:
        raise _wrap(exc) from None


class _Done:
    """The rows of a statement already run (``PgConnection.execute``), read like a cursor."""

    def __init__(self, rows: list[tuple[Any, ...]], description: Any) -> None:
        self._rows = rows
        self._description = description

    def fetchall(self) -> list[tuple[Any, ...]]:
        return list(self._rows)

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._rows[0] if self._rows else None

    def df(self) -> pd.DataFrame:
        return frame(self._rows, self._description)
