"""SQL that both engines (DuckDB and PostgreSQL) run as written: an upsert by primary key.

``INSERT OR REPLACE`` is DuckDB's (and SQLite's) alone; ``INSERT … ON CONFLICT (key) DO UPDATE SET c =
EXCLUDED.c`` is PostgreSQL's, and DuckDB runs it too. Table and column names come from the code, never
from user input.
"""

from __future__ import annotations

from collections.abc import Sequence


def upsert(table: str, columns: Sequence[str], key: Sequence[str]) -> str:
    """``INSERT INTO table (columns) VALUES (?, …) ON CONFLICT (key) DO UPDATE SET`` every other column."""
    marks = ", ".join("?" for _ in columns)
    head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks}) ON CONFLICT ({', '.join(key)}) DO "
    rest = [c for c in columns if c not in key]
    if not rest:
        return head + "NOTHING"
    return head + "UPDATE SET " + ", ".join(f"{c} = EXCLUDED.{c}" for c in rest)
