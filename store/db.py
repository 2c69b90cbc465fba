"""Opening the DuckDB file: path, memory limit, the lock held by another process, and migrations."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = ROOT / "var" / "statsbidrag.duckdb"
PATH_ENV = "STATSBIDRAG_DB"
MEMORY_ENV = "STATSBIDRAG_DB_MEMORY"
DEFAULT_MEMORY = "1GB"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class StoreError(RuntimeError):
    """A problem with the database file, said in words a user can act on."""


class StoreLocked(StoreError):
    """Another process (usually the running dashboard) holds the database file."""


def db_path() -> Path:
    """The database file: ``$STATSBIDRAG_DB`` or ``var/statsbidrag.duckdb`` in the project."""
    return Path(os.environ.get(PATH_ENV) or DEFAULT_PATH)


def connect(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection with a memory limit; a lock held elsewhere becomes ``StoreLocked``."""
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    config = {"memory_limit": os.environ.get(MEMORY_ENV, DEFAULT_MEMORY)}
    try:
        return duckdb.connect(str(path), read_only=read_only, config=config)
    except duckdb.IOException as exc:
        text = str(exc)
        if "lock" in text.lower():
            pid = re.search(r"PID (\d+)", text)
            holder = f" (process {pid.group(1)})" if pid else ""
            raise StoreLocked(
                f"The database {path} is open in another program{holder}, probably the running dashboard. "
                "DuckDB allows one writing process per file: stop the dashboard, or do this from the "
                "dashboard's Data page."
            ) from None
        raise StoreError(f"Cannot open the database {path}: {text}") from None
    except duckdb.Error as exc:
        raise StoreError(f"Cannot open the database {path}: {exc}") from None


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, SQL) for every file ``NNN_name.sql``, in order."""
    found = []
    for path in sorted(MIGRATIONS.glob("*.sql")):
        number, _, name = path.stem.partition("_")
        found.append((int(number), name, path.read_text(encoding="utf-8")))
    return found


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchone()
    if not exists or not exists[0]:
        return 0
    row = con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
    return int(row[0]) if row else 0


def migrate(con: duckdb.DuckDBPyConnection, target: int | None = None) -> list[int]:
    """Apply the missing migrations up to ``target`` (default: all), each in its own transaction.

    A file written by an older version is upgraded in place; nothing is ever dropped.
    """
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)"
    )
    current = schema_version(con)
    known = migrations()
    newest = known[-1][0] if known else 0
    if current > newest:
        raise StoreError(
            f"The database has schema version {current}, newer than this program knows ({newest}): "
            "update the program rather than open the file with an old one."
        )
    applied = []
    for version, name, sql in known:
        if version <= current or (target is not None and version > target):
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            con.execute(
                "INSERT INTO schema_version VALUES (?, ?, ?)", [version, name, datetime.now(UTC).replace(tzinfo=None)]
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(version)
    return applied
