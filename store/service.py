"""The store: one core and the services composed by concern, every read and every write with its actor,
reason and audit entry.

``Store`` is the core (``store.core.StoreCore``: the connection, cursors, ``query``/``frame``, the write
``transaction`` and the read cache) with one service per concern as an attribute, each a small class holding
the core and, passed explicitly, the other services it reads:

- ``store.rounds`` (``store.rounds.Rounds``): regions, population, the rounds' rules and versions, every round
  as blocks (``block_round``), its recipients, planned positions and amounts, staff saving a round;
- ``store.reports`` (``Reports``): the recipients' reports, by form or file;
- ``store.followup`` (``Followup``): requisitions, payouts, ombud, usage reports and the official table;
- ``store.decisions`` (``Decisions``): publication, and the frozen decisions (``store.decision_inputs`` computes
  what a decision is made from);
- ``store.bank_details`` (``BankDetails``) and ``store.payments`` (``Payments``): payment details, payout
  lists, payment runs and recoveries;
- ``store.scenarios``, ``store.users``, ``store.audit`` (the audit log read back, refusals, exports of any
  table, backups).

Each service method a page may use declares its access where it is defined (``store.access_rules``); a
``store.session.Session`` offers the same services to one principal. The shared record types (``Actor``,
``User``, ``WriteRefused``, ...) live in ``store.model`` and are re-exported here, so
``from store.service import Store, Actor`` keeps working.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from datetime import datetime
from pathlib import Path

import duckdb

from store import db
from store.audit import Audit
from store.bank_details import BankDetails
from store.core import TIMEZONE, StoreCore, Tx, now_local
from store.decisions import Decisions
from store.followup import Followup
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
from store.payments import Payments
from store.reports import Reports
from store.rounds import Rounds
from store.scenarios import Scenarios
from store.seed import seed_from_data
from store.users import Users

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


# The services' classes, in the order a store builds them.
SERVICE_TYPES = (Rounds, Reports, Followup, Decisions, BankDetails, Payments, Scenarios, Users, Audit)


class Store(StoreCore):
    """The whole store: one per process, the core (see ``store.core``) and its services."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path, clock: Callable[[], datetime] = now_local) -> None:
        super().__init__(con, path, clock)
        self.rounds = Rounds(self)
        self.reports = Reports(self, self.rounds)
        self.followup = Followup(self, self.rounds)
        self.decisions = Decisions(self, self.rounds, self.reports, self.followup)
        self.bank_details = BankDetails(self, self.rounds)
        self.payments = Payments(self, self.rounds, self.decisions, self.bank_details)
        self.scenarios = Scenarios(self, self.rounds)
        self.users = Users(self, self.rounds)
        self.audit = Audit(self)

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
                store.decisions.snapshot_published_decisions()
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
                store.decisions.snapshot_published_decisions()
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
