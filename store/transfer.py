"""``python -m cli copy --to postgresql://…``: a DuckDB file's whole content into an empty PostgreSQL database.

All of it happens in one transaction on the target, under the store's migration and write locks (a dashboard
starting on the same database at that moment waits):

1. the target must hold none of the store's tables (else ``CopyRefused``, naming them and their rows);
2. the migrations up to the source's schema version are applied (PostgreSQL's DDL is transactional);
3. every table of the source, discovered from ``information_schema`` (foreign keys first, if any), is
   copied in batches (``executemany``); ``schema_version`` and ``store_generation`` as they are, replacing
   the rows the migrations wrote;
4. every sequence is set past the highest id copied (and past the source's own sequence value);
5. every table is read back and compared with the source: row count and a SHA-256 over its rows sorted
   by primary key, each value as text the same way on both engines (``cell``).

A mismatch rolls everything back: the target is left as it was (``CopyResult.ok`` is false). The source
is opened read-only and never written.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as clock
from decimal import Decimal
from pathlib import Path
from typing import Any

from store import conninfo, db
from store.model import StoreError

BATCH = 1000
# The table migrations are recorded in; created by store.db.migrate before the first migration.
SCHEMA_VERSION_DDL = (
    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)"
)
_NEXTVAL = re.compile(r"""nextval\('(?:"?[\w]+"?\.)?"?([\w]+)"?'(?:::regclass)?\)""")


class CopyRefused(Exception):
    """The copy cannot start (nothing was written): the target is not empty, or the source is no store."""


@dataclass
class TableCheck:
    """One table: rows and checksum in the source, and as read back from the target."""

    name: str
    rows: int
    checksum: str
    target_rows: int = -1
    target_checksum: str = ""

    @property
    def ok(self) -> bool:
        return self.rows == self.target_rows and self.checksum == self.target_checksum


@dataclass
class CopyResult:
    source: Path
    target: str  # the URL without its password
    version: int
    tables: list[TableCheck] = field(default_factory=list)
    sequences: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return bool(self.tables) and all(t.ok for t in self.tables)

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)


class _Mismatch(Exception):
    """Raised inside the target's transaction so that it rolls back."""


def cell(value: Any) -> str | None:
    """A value as text, the same for both engines: NULL as None, truth values as true/false, dates and
    timestamps in ISO 8601, whole numbers in decimal, JSON as its text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date | clock):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else format(value.normalize(), "f")
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    return str(value)


def checksum(rows: Iterable[Sequence[Any]], key: Sequence[int]) -> tuple[int, str]:
    """(row count, SHA-256) over the rows as text, sorted by the key's columns (then by the whole row):
    sorted here, not by the database, so that no collation can order them differently."""
    texts = [[cell(v) for v in row] for row in rows]
    texts.sort(key=lambda r: ([_sortable(r[i]) for i in key], [_sortable(v) for v in r]))
    digest = hashlib.sha256()
    for row in texts:
        digest.update(json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode())
        digest.update(b"\n")
    return len(texts), digest.hexdigest()


def _sortable(text: str | None) -> tuple[int, int, str]:
    """NULL first, then whole numbers by value (``03`` before ``3``), then any other text."""
    if text is None:
        return (0, 0, "")
    if re.fullmatch(r"-?\d{1,18}", text):
        return (1, int(text), text)
    return (2, 0, text)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --- the source (DuckDB) -------------------------------------------------------------------------


def source_tables(con: Any) -> list[str]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
    ).fetchall()
    return [r[0] for r in rows]


def source_columns(con: Any, table: str) -> list[str]:
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [r[0] for r in rows]


def source_sequences(con: Any) -> dict[str, int]:
    """Each sequence's last value handed out (none yet: left out)."""
    rows = con.execute("SELECT sequence_name, last_value FROM duckdb_sequences()").fetchall()
    return {name: int(value) for name, value in rows if value is not None}


# --- the target (PostgreSQL, one transaction) --------------------------------------------------------


def _target_tables(cur: Any) -> set[str]:
    cur.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
    )
    return {r[0] for r in cur.fetchall()}


def _target_columns(cur: Any, table: str) -> list[str]:
    cur.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = %s ORDER BY ordinal_position",
        [table],
    )
    return [r[0] for r in cur.fetchall()]


def _primary_key(cur: Any, table: str) -> list[str]:
    cur.execute(
        "SELECT k.column_name FROM information_schema.table_constraints c "
        "JOIN information_schema.key_column_usage k "
        "ON k.constraint_schema = c.constraint_schema AND k.constraint_name = c.constraint_name "
        "AND k.table_name = c.table_name "
        "WHERE c.table_schema = current_schema() AND c.table_name = %s AND c.constraint_type = 'PRIMARY KEY' "
        "ORDER BY k.ordinal_position",
        [table],
    )
    return [r[0] for r in cur.fetchall()]


def copy_order(cur: Any, tables: Iterable[str]) -> list[str]:
    """The tables with every table a foreign key refers to before the tables referring to it; else by name."""
    names = sorted(tables)
    cur.execute(
        "SELECT c.table_name, u.table_name FROM information_schema.table_constraints c "
        "JOIN information_schema.constraint_column_usage u "
        "ON u.constraint_schema = c.constraint_schema AND u.constraint_name = c.constraint_name "
        "WHERE c.table_schema = current_schema() AND c.constraint_type = 'FOREIGN KEY'"
    )
    needs = {name: set() for name in names}
    for child, parent in cur.fetchall():
        if child in needs and parent in needs and parent != child:
            needs[child].add(parent)
    ordered: list[str] = []
    while needs:
        ready = sorted(name for name, parents in needs.items() if not parents - set(ordered))
        if not ready:  # a cycle: its tables by name (the constraints are checked at commit, if deferrable)
            ready = sorted(needs)
        for name in ready:
            ordered.append(name)
            del needs[name]
    return ordered


def fetch_target(cur: Any, table: str, columns: Sequence[str]) -> list[tuple[Any, ...]]:
    """A table's rows as the target holds them, inside the copy's transaction."""
    cur.execute(f"SELECT {', '.join(map(_quote, columns))} FROM {_quote(table)}")
    return list(cur.fetchall())


def _refuse_non_empty(cur: Any, ours: set[str]) -> None:
    held = sorted(ours & _target_tables(cur))
    if not held:
        return
    counts = {}
    for table in held:
        cur.execute(f"SELECT count(*) FROM {_quote(table)}")
        counts[table] = int(cur.fetchone()[0])
    full = [f"{t} ({n} rows)" for t, n in counts.items() if n]
    empty = [t for t, n in counts.items() if not n]
    what = ", ".join(full) if full else "none with rows"
    if empty:
        what += f"; {len(empty)} more without rows ({', '.join(empty)})"
    raise CopyRefused(
        f"the target database is not empty: it holds the store's tables: {what}. Copy only into an empty "
        "database (e.g. a new one made with createdb); nothing was written"
    )


def _migrate(cur: Any, version: int) -> None:
    """The migrations up to ``version`` inside the copy's transaction (``store.db.migrate``'s files)."""
    cur.execute(SCHEMA_VERSION_DDL)
    for number, _name, sql in db.migrations():
        if number <= version:
            cur.execute(sql.encode())  # no parameters: the simple protocol, several statements at once


def _set_sequences(cur: Any, tables: Iterable[str], source_values: dict[str, int]) -> dict[str, int]:
    """Every sequence past the highest id in a column it numbers and past the source's own last value."""
    cur.execute("SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = current_schema()")
    highest = {r[0]: source_values.get(r[0], 0) for r in cur.fetchall()}
    cur.execute(
        "SELECT table_name, column_name, column_default FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%'"
    )
    wanted = set(tables)
    for table, column, default in cur.fetchall():
        match = _NEXTVAL.search(default)
        if table not in wanted or match is None or match.group(1) not in highest:
            continue
        cur.execute(f"SELECT max({_quote(column)}) FROM {_quote(table)}")
        top = cur.fetchone()[0]
        if top is not None:
            highest[match.group(1)] = max(highest[match.group(1)], int(top))
    for name, value in sorted(highest.items()):
        if value > 0:
            cur.execute("SELECT setval(%s::regclass, %s, true)", [_quote(name), value])
    return {name: value for name, value in highest.items() if value > 0}


def _copy(source: Any, conn: Any, result: CopyResult) -> None:
    """Inside one transaction on ``conn``; raises ``_Mismatch`` (rolling back) when a table differs."""
    cur = conn.cursor()
    cur.execute("SELECT pg_advisory_xact_lock(%s)", [db.MIGRATION_LOCK])
    cur.execute("SELECT pg_advisory_xact_lock(%s)", [db.WRITE_LOCK])
    tables = source_tables(source)
    _refuse_non_empty(cur, set(tables) | {"schema_version"})
    before = _target_tables(cur)
    _migrate(cur, result.version)
    created = _target_tables(cur) - before
    if created != set(tables):
        extra, missing = sorted(set(tables) - created) or "none", sorted(created - set(tables)) or "none"
        raise CopyRefused(
            f"the source's tables are not those of schema version {result.version}: only in the source "
            f"{extra}, only in the migrations {missing}"
        )
    plan: list[tuple[str, list[str], list[int]]] = []
    for table in copy_order(cur, tables):
        columns = source_columns(source, table)
        if set(columns) != set(_target_columns(cur, table)):
            raise CopyRefused(f"the table {table} has other columns in the source than schema version {result.version}")
        key = [columns.index(c) for c in _primary_key(cur, table)]
        plan.append((table, columns, key))
    for table, columns, key in plan:
        listed = ", ".join(map(_quote, columns))
        cur.execute(f"DELETE FROM {_quote(table)}")  # schema_version and store_generation, as migrated
        read = source.execute(f"SELECT {listed} FROM {_quote(table)}")
        insert = f"INSERT INTO {_quote(table)} ({listed}) VALUES ({', '.join('%s' for _ in columns)})"
        rows: list[tuple[Any, ...]] = []
        while batch := read.fetchmany(BATCH):
            cur.executemany(insert, batch)
            rows.extend(batch)
        count, digest = checksum(rows, key)
        result.tables.append(TableCheck(table, count, digest))
    result.sequences = _set_sequences(cur, tables, source_sequences(source))
    for check, (table, columns, key) in zip(result.tables, plan, strict=True):
        check.target_rows, check.target_checksum = checksum(fetch_target(cur, table, columns), key)
    if not result.ok:
        raise _Mismatch


def copy_store(source: Path | str, url: str) -> CopyResult:
    """Copy the DuckDB file ``source`` into the empty PostgreSQL database ``url``, verified; all or nothing.

    ``CopyRefused``: the target is not empty or the source is no store (nothing written). ``StoreError``:
    the file or the server cannot be used (nothing written). A result whose ``ok`` is false: a table did
    not verify, and the copy was rolled back.
    """
    import psycopg

    started = time.perf_counter()
    path = Path(source)
    if not path.is_file():
        raise StoreError(f"There is no DuckDB file {path} to copy.", f"Det finns ingen DuckDB-fil {path} att kopiera.")
    con = db.connect(path, read_only=True)
    try:
        version = db.schema_version(con)
        newest = max((n for n, _, _ in db.migrations()), default=0)
        if version == 0:
            raise CopyRefused(f"{path} holds no store (no schema version): nothing to copy")
        if version > newest:
            raise CopyRefused(f"{path} has schema version {version}, newer than this program knows ({newest})")
        result = CopyResult(path, db.redacted(url), version)
        target = db.connect_url(url)
        conn: Any = None
        try:
            with target.pool.connection() as conn:
                try:
                    with conn.transaction():
                        _copy(con, conn, result)
                except _Mismatch:
                    pass  # rolled back by the transaction's block; the result names the tables
        except (psycopg.Error, *db.DB_ERRORS) as exc:  # the server, or reading the file
            text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            if isinstance(exc, psycopg.OperationalError) and conn is not None and conn.broken:  # lost, e.g. at COMMIT
                raise StoreError(
                    f"The connection to {result.target} was lost during the copy ({conninfo.redact(text)}): the "
                    "outcome is unknown — check by running the same copy again: a copy that was committed is "
                    "refused as a database that is not empty, one that was not runs again.",
                    f"Anslutningen till {result.target} bröts under kopieringen: utfallet är okänt — kontrollera "
                    "genom att köra samma kopiering igen: en genomförd kopia vägras eftersom databasen inte är tom, "
                    "en som inte genomfördes körs om.",
                ) from None
            raise StoreError(
                f"Could not copy {path} to {result.target}: {conninfo.redact(text)}. Rolled back, nothing was written.",
                f"{path} kunde inte kopieras till {result.target}: {conninfo.redact(text)}. Inget skrevs.",
            ) from None
        finally:
            target.close()
    finally:
        con.close()
    result.seconds = time.perf_counter() - started
    return result


def report(result: CopyResult) -> str:
    """The verification as a table: table, rows, checksum (ok, or what the target held)."""
    width = max((len(t.name) for t in result.tables), default=5)
    lines = [f"{'table':<{width}}  {'rows':>8}  checksum"]
    for t in result.tables:
        if t.ok:
            state = f"ok {t.checksum[:12]}"
        else:
            state = (
                f"MISMATCH: source {t.checksum[:12]} ({t.rows} rows), "
                f"target {t.target_checksum[:12]} ({t.target_rows} rows)"
            )
        lines.append(f"{t.name:<{width}}  {t.rows:>8}  {state}")
    verdict = "verified, committed" if result.ok else "NOT verified, rolled back"
    sequences = ", ".join(f"{n} {v}" for n, v in sorted(result.sequences.items())) or "none"
    lines.append(
        f"{result.source} (schema version {result.version}) -> {result.target}: {len(result.tables)} tables, "
        f"{result.rows} rows, {verdict}; sequences set to {sequences}; {result.seconds:.2f} s"
    )
    return "\n".join(lines)
