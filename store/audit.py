"""The audit log read back, refused actions written to it, exports of any table, and backups.

Every write's audit entries are written by its transaction (``store.core.Tx.audit``); this service reads
them back (leaving out the entries a principal may not see), records a refused action, reads any exportable
table whole, and copies the database (``backup``).
"""

from __future__ import annotations

import uuid
from contextlib import suppress
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from store import db
from store.access import Action
from store.access_rules import reads
from store.core import StoreCore
from store.model import EXPORTABLE_TABLES, Actor, WriteRefused


class Audit:
    """The audit log, table exports and backups."""

    def __init__(self, core: StoreCore) -> None:
        self._core = core

    def table(self, name: str) -> pd.DataFrame:
        if name not in EXPORTABLE_TABLES:
            raise KeyError(f"not an exportable table: {name!r}")
        return self._core.frame(f"SELECT * FROM {name}")  # name is from the fixed list above

    def audit(self, limit: int = 500, entity: str | None = None, hidden: tuple[str, ...] = ()) -> pd.DataFrame:
        """The newest entries (of one table), leaving out the entries about the ``hidden`` tables."""
        where, params = self._audit_where(entity, hidden)
        return self._core.frame(
            "SELECT id, logged_at, actor, role, action, entity, entity_key, reason, before, after FROM audit_log"
            f"{where} ORDER BY id DESC LIMIT {int(limit)}",
            params,
        )

    @staticmethod
    def _audit_where(entity: str | None, hidden: tuple[str, ...]) -> tuple[str, list[Any]]:
        clauses, params = [], []
        if entity:
            clauses.append("entity = ?")
            params.append(entity)
        if hidden:
            clauses.append(f"entity NOT IN ({', '.join('?' for _ in hidden)})")
            params.extend(hidden)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params

    @reads(Action.READ_RULES)
    def facts(self) -> list[tuple[str, str]]:
        """Rule-file versions and data dates held by the store, for the "Om uttaget" sheet of exports."""
        rounds = self._core.query("SELECT id, version, source_file FROM rounds ORDER BY id, version")
        dates = [row[0].isoformat() for row in self._core.query("SELECT DISTINCT date FROM population ORDER BY date")]
        facts = [("Regelfil", f"{rid}: {source}, version {version}") for rid, version, source in rounds]
        facts.append(("Befolkningsdatum", ", ".join(dates) + " (SCB, enligt anvisningarnas tabell)"))
        facts.append(("Schemaversion", str(db.schema_version(self._core.con))))
        return facts

    def audit_count(self, hidden: tuple[str, ...] = ()) -> int:
        where, params = self._audit_where(None, hidden)
        return int(self._core.query(f"SELECT count(*) FROM audit_log{where}", params)[0][0])

    @reads(Action.BACKUP)
    def backup(self, destination: Path) -> Path:
        """A consistent copy of the whole database in a new file (taken inside this process).

        The copy is written to a temporary file next to the destination and renamed when complete: a
        failure (disk full, unwritable folder) leaves no file behind and raises ``db.StoreError``.
        No file or database name is ever part of the SQL text.
        """
        if self._core.shared:
            raise WriteRefused(
                "En PostgreSQL-databas säkerhetskopieras med pg_dump på servern (se README), inte härifrån.",
                "back up a PostgreSQL store with pg_dump on the server (see the README)",
            )
        destination = Path(destination)
        if destination.exists():
            raise WriteRefused(f"Filen {destination} finns redan; välj ett nytt namn.", f"{destination} exists already")
        partial = destination.with_name(f".{destination.name}.{uuid.uuid4().hex[:12]}.part")
        with self._core.write_lock:
            cursor = self._core.con.cursor()
            try:
                destination.parent.mkdir(parents=True, exist_ok=True)
                (database,) = cursor.execute("SELECT current_database()").fetchone()
                names = {row[0] for row in cursor.execute("SELECT database_name FROM duckdb_databases()").fetchall()}
                alias = next(f"backup_target_{n}" for n in range(len(names) + 1) if f"backup_target_{n}" not in names)
                # No CHECKPOINT first: the copy reads committed data anyway, and a checkpoint failing on a full
                # disk would invalidate the live database for this whole process.
                cursor.execute(f"ATTACH ? AS {alias}", [str(partial)])  # alias: a fixed word and a number
                try:
                    cursor.execute(f"COPY FROM DATABASE {_identifier(database)} TO {alias}")
                except BaseException:
                    with suppress(duckdb.Error):  # the copy's error is the one to report
                        cursor.execute(f"DETACH {alias}")
                    raise
                cursor.execute(f"DETACH {alias}")  # writes the copy out: raises if it cannot (disk full)
                if destination.exists():
                    raise WriteRefused(
                        f"Filen {destination} finns redan; välj ett nytt namn.", f"{destination} exists already"
                    )
                partial.replace(destination)
            except (duckdb.Error, OSError) as exc:
                text = db.folder_cause(destination.parent, exc) if isinstance(exc, OSError) else db.cause(exc)
                raise db.StoreError(
                    f"Could not write the backup {destination}: {text}. No backup file was left behind.",
                    f"Säkerhetskopian {destination} kunde inte skrivas: {db.cause_sv(text)}. Ingen fil lämnades kvar.",
                ) from exc
            finally:
                cursor.close()
                for leftover in (partial, partial.with_name(partial.name + ".wal")):
                    with suppress(OSError):
                        leftover.unlink(missing_ok=True)
        return destination

    def record_refusal(self, actor: Actor, action: str, key: str, message: str) -> None:
        """An audit entry for an action the principal was refused (nothing else is written)."""
        with self._core.transaction(actor, message[:500]) as tx:
            tx.audit("refused", "access", key[:100], None, {"action": action[:100]})


def _identifier(name: str) -> str:
    """A quoted SQL identifier: any name, quotes included, stays one identifier."""
    return '"' + name.replace('"', '""') + '"'
