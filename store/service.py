"""The store's service layer: every read, and every write with its actor, reason and audit entry.

``Store`` composes the kinds of data, each a mixin over ``store.core.StoreCore`` and its one
transaction type ``Tx``:

- ``store.core``: opening the connection's cursors, ``query``/``frame``, ``transaction``, the read cache
  and its generation, the audit log read back, exports of any table, backups;
- ``store.rounds``: regions, population, the rounds' rules documents and versions, the AT round, planned
  positions;
- ``store.round_versions``: every round as blocks (``block_round``), its recipients, and staff saving a
  round (``save_round``; checked by ``store.round_check``, written by ``store.round_rows``);
- ``store.reports``: the AT reports;
- ``store.followup``: requisitions, payouts, ombud, usage reports, fixed amounts and the official table;
- ``store.scenarios``, ``store.users``, ``store.decisions`` (publication), ``store.decided`` (frozen decisions).

The shared types (``Actor``, ``User``, ``WriteRefused``, ...) live in ``store.model`` and are re-exported
here, so ``from store.service import Store, Actor`` keeps working.
"""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path

import duckdb

from store import db
from store.core import TIMEZONE, StoreCore, Tx, now_local
from store.decided import DecidedMixin
from store.decisions import DecisionsMixin
from store.followup import FollowupMixin
from store.model import (
    EXPORTABLE_TABLES,
    SYSTEM,
    Actor,
    ImportResult,
    RoundProblem,
    RulesRefused,
    Scenario,
    User,
    WriteRefused,
    fraction_text,
)
from store.payments import PaymentsMixin
from store.reports import ReportsMixin
from store.round_versions import RoundVersionsMixin
from store.scenarios import ScenariosMixin
from store.seed import seed_from_data
from store.users import UsersMixin

__all__ = [
    "EXPORTABLE_TABLES",
    "SYSTEM",
    "TIMEZONE",
    "Actor",
    "ImportResult",
    "RoundProblem",
    "RulesRefused",
    "Scenario",
    "Store",
    "StoreCore",
    "Tx",
    "User",
    "WriteRefused",
    "fraction_text",
    "now_local",
]


class Store(
    DecidedMixin,
    PaymentsMixin,
    ReportsMixin,
    RoundVersionsMixin,
    FollowupMixin,
    ScenariosMixin,
    UsersMixin,
    DecisionsMixin,
):
    """The whole store: one per process (see ``store.core`` for the connection, cursors and locks)."""

    @classmethod
    def open(
        cls,
        path: Path | str | None = None,
        *,
        seed: bool = True,
        data_dir: Path | None = None,
        migrate_to: int | None = None,
        read_only: bool = False,
    ) -> Store:
        """Open (creating it if needed), upgrade to the current schema and seed from ``data/``.

        ``path``: a DuckDB file, or a PostgreSQL URL (``postgresql://…``); by default the configured one
        (``store.paths.database_target``). Any problem with the file or the server (held elsewhere,
        damaged, not a database, folder, disk full, unreachable) is a ``db.StoreError`` naming it; a new
        file that could not be completed is removed again. ``read_only``: for a command that only reads, the
        store must be initialised and current (else a ``StoreError`` saying to run ``init``); nothing is
        created, migrated or seeded.
        """
        target = path if path is not None else db.database_target()
        if db.is_url(target):
            return cls._open_url(str(target), seed=seed, data_dir=data_dir, migrate_to=migrate_to, read_only=read_only)
        path = Path(target)
        if read_only and not path.exists():
            raise db.not_initialised(str(path), 0)
        created = not path.exists()
        con = db.connect(path)
        try:
            db.check_current(con) if read_only else db.migrate(con, migrate_to)
            store = cls(con, path)
            if seed and not read_only:
                seed_from_data(store, data_dir)
                store.snapshot_published_decisions()
        except BaseException as exc:
            with suppress(duckdb.Error):
                con.close()
            if created:  # a new file that could not be completed is not left behind
                db.remove_new_file(path)
            if isinstance(exc, duckdb.Error):  # e.g. a truncated file: it opens, and fails on the first read
                raise db.open_failure(path, exc) from exc
            raise
        return store

    @classmethod
    def _open_url(
        cls, url: str, *, seed: bool, data_dir: Path | None, migrate_to: int | None, read_only: bool
    ) -> Store:
        """A PostgreSQL database shared by several processes: migrated and seeded under a server lock."""
        con = db.connect_url(url)
        try:
            db.check_current(con) if read_only else db.migrate(con, migrate_to)
            store = cls(con, Path(db.redacted(url)))
            if seed and not read_only:
                seed_from_data(store, data_dir)  # writes only what differs: a second process writes nothing
                store.snapshot_published_decisions()
            store.sync()
        except db.PgError as exc:
            con.close()
            raise db.StoreError(
                f"The PostgreSQL database {db.redacted(url)} could not be prepared: {exc}",
                f"PostgreSQL-databasen {db.redacted(url)} kunde inte förberedas: {exc}",
            ) from exc
        except BaseException:
            con.close()
            raise
        return store
