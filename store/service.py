"""The store's service layer: every read, and every write with its actor, reason and audit entry.

One ``Store`` per process holds one read-write DuckDB connection; each call takes its own cursor,
so Streamlit's session threads can share it. Writes are serialised by a lock (DuckDB would
otherwise abort one of two conflicting transactions) and each runs in one transaction together
with its audit entries: either all of it is written, or nothing.
"""

from __future__ import annotations

import json
import threading
import tomllib
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd

from allocation.at import RegionInput
from allocation.fixed import (
    OFFICIAL,
    FixedRound,
    parse_fixed_round,
    read_official_amounts,
    requisition_problems,
)
from allocation.formats import kr as fkr
from allocation.inputs import Requisition, read_reports, read_requisitions
from allocation.planned import parse_planned
from allocation.problems import InputError, Problem
from allocation.regions import Region, RegionIndex
from allocation.rules import AtParams, AtRound, Step, parse_round
from store import db
from store.tables import EXPORTABLE_TABLES

TIMEZONE = ZoneInfo("Europe/Stockholm")


def now_local() -> datetime:
    """Swedish local time without a zone, as stored."""
    return datetime.now(TIMEZONE).replace(tzinfo=None, microsecond=0)


@dataclass(frozen=True, slots=True)
class Actor:
    """Who writes, as the audit log records it: a name and a role (``region 03`` for a region user)."""

    name: str
    role: str = "handläggare"


@dataclass(frozen=True, slots=True)
class User:
    """A row of the user table: who may log in, with which role (and region)."""

    login: str  # e-mail address in lower case, or the OIDC subject
    name: str
    role: str
    region: str | None = None
    active: bool = True


SYSTEM = Actor("system", "system")


class WriteRefused(ValueError):
    """A write that is not allowed or not complete; the message is in Swedish for the UI."""

    def __init__(self, message_sv: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_sv = message_sv


@dataclass(frozen=True, slots=True)
class ImportResult:
    rows: int  # rows in the file
    changed: int  # rows written (new or different)
    unchanged: int  # rows equal to what the store already holds


@dataclass(frozen=True, slots=True)
class Scenario:
    id: int
    name: str
    author: str
    created: datetime
    round_id: str
    rules_version: str
    params: AtParams
    inputs: tuple[RegionInput, ...]
    note: str = ""


def fraction_text(value: Fraction) -> str:
    """An exact decimal text for a count (midpoints of ranges always terminate: 2.5)."""
    if value.denominator == 1:
        return str(value.numerator)
    text = format(Decimal(value.numerator) / Decimal(value.denominator), "f")
    if Fraction(Decimal(text)) != value:
        raise ValueError(f"{value} has no exact decimal form")
    return text


def params_json(params: AtParams) -> dict[str, Any]:
    return {
        "pot": params.pot,
        "pot_source": params.pot_source,
        "steps": [[s.min_expansion, s.amount] for s in params.steps],
        "key": params.key,
        "per_inhabitants": params.per_inhabitants,
    }


def params_from_json(data: dict[str, Any]) -> AtParams:
    return AtParams(
        pot=int(data["pot"]),
        pot_source=str(data["pot_source"]),
        steps=tuple(Step(int(t), int(a)) for t, a in data["steps"]),
        key=str(data["key"]),
        per_inhabitants=int(data["per_inhabitants"]),
    )


def input_json(item: RegionInput) -> dict[str, Any]:
    return {
        "code": item.code,
        "filled": item.filled,
        "started": item.started,
        "excluded": item.excluded,
        "planned": None if item.planned is None else fraction_text(item.planned),
    }


def input_from_json(data: dict[str, Any]) -> RegionInput:
    planned = data.get("planned")
    return RegionInput(
        str(data["code"]),
        int(data["filled"]),
        int(data["started"]),
        int(data.get("excluded", 0)),
        None if planned in (None, "") else parse_planned(str(planned)),
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Fraction):
        return fraction_text(value)
    return value


@dataclass
class Tx:
    """One write transaction: statements and the audit entries that go with them."""

    cursor: duckdb.DuckDBPyConnection
    actor: Actor
    reason: str
    at: datetime
    entries: int = 0

    def execute(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> duckdb.DuckDBPyConnection:
        return self.cursor.execute(sql, params)

    def audit(self, action: str, entity: str, key: str, before: Any = None, after: Any = None) -> None:
        def dump(value: Any) -> str | None:
            if value is None:
                return None
            return json.dumps(value, default=_jsonable, ensure_ascii=False, sort_keys=True)

        self.cursor.execute(
            "INSERT INTO audit_log (logged_at, actor, role, action, entity, entity_key, reason, before, after) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [self.at, self.actor.name, self.actor.role, action, entity, key, self.reason, dump(before), dump(after)],
        )
        self.entries += 1


# A round's kind (``kind`` in its rules file), in English and Swedish, for messages.
ROUND_KINDS = {
    "performance": ("performance round", "prestationsbaserad omgång"),
    "fixed": ("fixed-amount round", "omgång med fasta belopp"),
}
_REPORTS = ("AT reports", "AT-rapporter")
_REQUISITIONS = ("requisitions", "rekvisitioner")
_AMOUNTS = ("official amounts", "beslutade belopp")
_IMPORTED = ("imported into", "importeras till")
_RECORDED = ("recorded for", "registreras för")


@dataclass
class Store:
    con: duckdb.DuckDBPyConnection
    path: Path
    clock: Callable[[], datetime] = now_local
    _write_lock: threading.RLock = field(default_factory=threading.RLock)
    _cache_lock: threading.Lock = field(default_factory=threading.Lock)
    _generation: int = 0
    _cache: dict[tuple[Any, ...], Any] = field(default_factory=dict)

    # --- opening ---------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path | None = None,
        *,
        seed: bool = True,
        data_dir: Path | None = None,
        migrate_to: int | None = None,
    ) -> Store:
        """Open (creating it if needed), upgrade to the current schema and seed from ``data/``.

        Any problem with the file (held elsewhere, damaged, not a database, folder, disk full) is a
        ``db.StoreError`` naming it; a new file that could not be completed is removed again.
        """
        path = Path(path or db.db_path())
        created = not path.exists()
        con = db.connect(path)
        try:
            db.migrate(con, migrate_to)
            store = cls(con, path)
            if seed:
                from store.seed import seed_from_data

                seed_from_data(store, data_dir)
        except BaseException as exc:
            with suppress(duckdb.Error):
                con.close()
            if created:  # a new file that could not be completed is not left behind
                db.remove_new_file(path)
            if isinstance(exc, duckdb.Error):  # e.g. a truncated file: it opens, and fails on the first read
                raise db.open_failure(path, exc) from exc
            raise
        return store

    def close(self) -> None:
        with self._write_lock:
            self.con.close()

    # --- low level ---------------------------------------------------------------------------

    def query(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        cursor = self.con.cursor()
        try:
            return cursor.execute(sql, params).fetchall()
        finally:
            cursor.close()

    def frame(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> pd.DataFrame:
        cursor = self.con.cursor()
        try:
            return cursor.execute(sql, params).df()
        finally:
            cursor.close()

    @contextmanager
    def transaction(self, actor: Actor, reason: str) -> Iterator[Tx]:
        """A write: actor and reason are required; the audit entries commit with the data or not at all."""
        if not actor.name.strip():
            raise WriteRefused("Ange ditt namn innan du sparar något.", "an actor is required for every write")
        if not reason.strip():
            raise WriteRefused("Ange en anledning till ändringen.", "a reason is required for every write")
        with self._write_lock:
            cursor = self.con.cursor()
            try:
                try:
                    cursor.execute("BEGIN TRANSACTION")
                except duckdb.Error as exc:  # e.g. the database was invalidated by an earlier fatal error
                    raise db.write_failure(self.path, exc) from exc
                tx = Tx(cursor, actor, reason.strip(), self.clock())
                try:
                    yield tx
                except (duckdb.IOException, duckdb.FatalException) as exc:  # the file, not the statement
                    db.rollback_quietly(cursor)
                    raise db.write_failure(self.path, exc) from exc
                except BaseException:
                    db.rollback_quietly(cursor)  # a failing ROLLBACK must not hide why the write failed
                    raise
                try:
                    cursor.execute("COMMIT")
                except duckdb.Error as exc:  # e.g. "No space left on device": DuckDB has ended the transaction
                    db.rollback_quietly(cursor)
                    raise db.write_failure(self.path, exc) from exc
                if tx.entries:
                    with self._cache_lock:
                        self._generation += 1
                        self._cache.clear()
            finally:
                cursor.close()

    def _cached(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        """Results that change only with a write of this process (the only writer of the file).

        The key carries the generation read before computing: a value computed while a write commits
        is stored under the old generation, which no later read asks for.
        """
        full_key = (self._generation, *key)
        with self._cache_lock:
            if full_key in self._cache:
                return self._cache[full_key]
        value = compute()
        with self._cache_lock:
            self._cache[full_key] = value
        return value

    @property
    def generation(self) -> int:
        """Bumped by every write: a cheap key for caches of what is read from the store."""
        return self._generation

    # --- regions, population, rounds -----------------------------------------------------------

    def regions(self, population_date: date) -> tuple[Region, ...]:
        def compute() -> tuple[Region, ...]:
            rows = self.query(
                "SELECT r.code, r.name, r.seed_name, p.population, p.date, r.aliases FROM regions r "
                "JOIN population p ON p.code = r.code AND p.date = ? ORDER BY r.code",
                [population_date],
            )
            return tuple(
                Region(code, name, seed, int(pop), when, tuple(a for a in aliases.split("|") if a))
                for code, name, seed, pop, when, aliases in rows
            )

        return self._cached(("regions", population_date), compute)

    def latest_population_date(self) -> date:
        return self.query("SELECT max(date) FROM population")[0][0]

    def region_index(self, population_date: date | None = None) -> RegionIndex:
        """Finds regions by name or code (the population date does not matter for that)."""
        return RegionIndex(self.regions(population_date or self.latest_population_date()))

    def round_ids(self, kind: str | None = None) -> list[str]:
        sql = "SELECT DISTINCT id FROM rounds" + (" WHERE kind = ?" if kind else "") + " ORDER BY id"
        return [row[0] for row in self.query(sql, [kind] if kind else [])]

    def round_document(self, round_id: str) -> dict[str, Any]:
        """The newest loaded version of a round's rules file, parsed."""

        def compute() -> dict[str, Any]:
            rows = self.query(
                "SELECT rules_toml FROM rounds WHERE id = ? ORDER BY loaded_at DESC, version DESC LIMIT 1", [round_id]
            )
            if not rows:
                raise KeyError(f"unknown round {round_id!r}")
            return tomllib.loads(rows[0][0])

        return self._cached(("round_document", round_id), compute)

    def at_round(self, round_id: str = "at-2023") -> AtRound:
        """The AT round as the store holds it: rules, regions, population and planned positions."""

        def compute() -> AtRound:
            doc = self.round_document(round_id)
            regions = self.regions(doc["redistribution"]["population_date"])
            planned = dict(self.query("SELECT code, planned FROM planned_positions WHERE round_id = ?", [round_id]))
            return parse_round(doc, regions, planned)

        return self._cached(("at_round", round_id), compute)

    # --- AT reports ------------------------------------------------------------------------------

    def at_reports(self, round_id: str = "at-2023") -> list[RegionInput]:
        return list(self._cached(("at_reports", round_id), lambda: self._read_reports(round_id)))

    def _read_reports(self, round_id: str) -> tuple[RegionInput, ...]:
        rows = self.query(
            "SELECT code, filled, started, excluded, planned_override FROM at_reports WHERE round_id = ? ORDER BY code",
            [round_id],
        )
        return tuple(
            RegionInput(code, filled, started, excluded, None if planned is None else parse_planned(planned))
            for code, filled, started, excluded, planned in rows
        )

    def at_reports_frame(self, round_id: str = "at-2023") -> pd.DataFrame:
        return self.frame(
            "SELECT a.code, r.name AS region, a.filled, a.started, a.excluded, a.planned_override, a.received, "
            "a.source, a.updated_at FROM at_reports a JOIN regions r USING (code) WHERE a.round_id = ? ORDER BY a.code",
            [round_id],
        )

    def _report_row(self, tx: Tx, round_id: str, code: str) -> dict[str, Any] | None:
        rows = tx.execute(
            "SELECT filled, started, excluded, planned_override, received, source FROM at_reports "
            "WHERE round_id = ? AND code = ?",
            [round_id, code],
        ).fetchall()
        if not rows:
            return None
        filled, started, excluded, planned, received, source = rows[0]
        return {
            "filled": filled,
            "started": started,
            "excluded": excluded,
            "planned": planned,
            "received": received,
            "source": source,
        }

    def _write_report(self, tx: Tx, round_id: str, item: RegionInput, received: date, source: str) -> bool:
        """Upsert one report; returns whether anything changed. Same figures again change nothing."""
        before = self._report_row(tx, round_id, item.code)
        planned = None if item.planned is None else fraction_text(item.planned)
        figures = {"filled": item.filled, "started": item.started, "excluded": item.excluded, "planned": planned}
        if before is not None and all(before[k] == v for k, v in figures.items()):
            return False
        after = figures | {"received": received, "source": source}
        tx.execute(
            "INSERT OR REPLACE INTO at_reports (round_id, code, filled, started, excluded, planned_override, "
            "received, source, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [round_id, item.code, item.filled, item.started, item.excluded, planned, received, source, tx.at],
        )
        tx.audit("insert" if before is None else "update", "at_reports", f"{round_id}/{item.code}", before, after)
        return True

    def record_at_report(
        self, actor: Actor, reason: str, round_id: str, item: RegionInput, received: date, source: str = "manuell"
    ) -> bool:
        self._check_round_kind(round_id, "performance", _REPORTS, _RECORDED)
        self._check_code(item.code)
        with self.transaction(actor, reason) as tx:
            return self._write_report(tx, round_id, item, received, source)

    def import_at_reports(
        self,
        actor: Actor,
        reason: str,
        round_id: str,
        data: bytes,
        filename: str,
        received: date | None = None,
        dry_run: bool = False,
    ) -> ImportResult:
        """Validate the whole file first (``InputError`` lists every problem), then write it in one transaction."""
        self._check_round_kind(round_id, "performance", _REPORTS, _IMPORTED)
        at_round = self.at_round(round_id)
        items = read_reports(data, RegionIndex(at_round.regions))
        received = received or self.clock().date()
        if dry_run:
            current = {i.code: i for i in self.at_reports(round_id)}
            changed = sum(1 for item in items if current.get(item.code) != item)
            return ImportResult(len(items), changed, len(items) - changed)
        with self.transaction(actor, reason) as tx:
            changed = sum(self._write_report(tx, round_id, item, received, filename) for item in items)
        return ImportResult(len(items), changed, len(items) - changed)

    # --- requisitions, payouts, ombud, usage reports ----------------------------------------------

    def _check_code(self, code: str) -> None:
        if code not in {r.code for r in self.regions(self.latest_population_date())}:
            raise WriteRefused(f"Okänd region: {code}", f"unknown region code {code!r}")

    def _check_round(self, round_id: str) -> None:
        if round_id not in self.round_ids():
            raise WriteRefused(f"Okänd bidragsomgång: {round_id}", f"unknown round {round_id!r}")

    def _check_round_kind(self, round_id: str, kind: str, what: tuple[str, str], verb: tuple[str, str]) -> None:
        """Refuse an unknown round or one of another kind; the message lists the store's rounds that fit.

        ``what`` and ``verb`` are (English, Swedish): e.g. ("AT reports", "AT-rapporter"), ("imported into",
        "importeras till").
        """
        actual = self.round_kind(round_id)
        if actual == kind:
            return
        fitting = self.round_ids(kind)
        wanted_en, wanted_sv = ROUND_KINDS.get(kind, (f"{kind} round", f"omgång av typen {kind}"))
        where_en = f"a {wanted_en} such as {', '.join(fitting)}" if fitting else f"a {wanted_en} (the store has none)"
        where_sv = f"en {wanted_sv}, t.ex. {', '.join(fitting)}" if fitting else f"en {wanted_sv} (databasen har ingen)"
        if actual is None:
            head_en, head_sv = f"unknown round {round_id!r}", f"Okänd bidragsomgång ”{round_id}”"
        else:
            kind_en, kind_sv = ROUND_KINDS.get(actual, (f"{actual} round", f"omgång av typen {actual}"))
            head_en = f"round {round_id!r} is a {kind_en}"
            head_sv = f"Bidragsomgången ”{round_id}” är en {kind_sv}"
        raise WriteRefused(
            f"{head_sv}; {what[1]} kan bara {verb[1]} {where_sv}.",
            f"{head_en}; {what[0]} can only be {verb[0]} {where_en}",
        )

    def _write_requisition(self, tx: Tx, round_id: str, item: Requisition, source: str) -> bool:
        key = [round_id, item.code, item.received, item.amount, item.reference]
        exists = tx.execute(
            "SELECT id FROM requisitions WHERE round_id = ? AND code = ? AND received = ? AND amount = ? "
            "AND reference = ?",
            key,
        ).fetchall()
        if exists:
            return False
        (new_id,) = tx.execute(
            "INSERT INTO requisitions (round_id, code, received, amount, reference, source, recorded_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            [*key, source, tx.at],
        ).fetchone()
        after = {"code": item.code, "received": item.received, "amount": item.amount, "reference": item.reference}
        tx.audit("insert", "requisitions", f"{round_id}/{item.code}/{new_id}", None, after | {"source": source})
        return True

    def _check_requisitions(self, round_id: str, items: list[Requisition]) -> None:
        """Refuse (all of) a set of requisitions above a region's maximum or before its ombud is approved."""
        if self.round_kind(round_id) != "fixed":
            return
        existing = {(r.code, r.received, r.amount, r.reference) for r in self.requisitions(round_id)}
        new = [i for i in items if (i.code, i.received, i.amount, i.reference) not in existing]
        already: dict[str, int] = {}
        for r in self.requisitions(round_id):
            already[r.code] = already.get(r.code, 0) + r.amount
        maximum = {code: amount for code, (amount, _, _) in self.fixed_amounts(round_id).items()}
        names = {r.code: r.name for r in self.regions(self.latest_population_date())}
        problems = requisition_problems(new, maximum, already, self.ombud_dates(), names)
        if problems:
            raise InputError(problems)

    def record_requisition(
        self, actor: Actor, reason: str, round_id: str, item: Requisition, source: str = "manuell"
    ) -> bool:
        self._check_round_kind(round_id, "fixed", _REQUISITIONS, _RECORDED)
        with self._write_lock:  # the check and the write see the same requisitions (no two sessions in between)
            try:
                self._check_requisitions(round_id, [item])
            except InputError as exc:
                raise WriteRefused(
                    "; ".join(p.message_sv for p in exc.problems), "; ".join(p.message_en for p in exc.problems)
                ) from None
            with self.transaction(actor, reason) as tx:
                return self._write_requisition(tx, round_id, item, source)

    def import_requisitions(
        self,
        actor: Actor,
        reason: str,
        round_id: str,
        data: bytes,
        filename: str,
        dry_run: bool = False,
    ) -> ImportResult:
        self._check_round_kind(round_id, "fixed", _REQUISITIONS, _IMPORTED)
        items = read_requisitions(data, self.region_index())
        with self._write_lock:  # the check and the write see the same requisitions
            self._check_requisitions(round_id, items)
            if dry_run:
                existing = set(
                    self.query(
                        "SELECT code, received, amount, reference FROM requisitions WHERE round_id = ?", [round_id]
                    )
                )
                changed = sum(1 for i in items if (i.code, i.received, i.amount, i.reference) not in existing)
                return ImportResult(len(items), changed, len(items) - changed)
            with self.transaction(actor, reason) as tx:
                changed = sum(self._write_requisition(tx, round_id, item, filename) for item in items)
        return ImportResult(len(items), changed, len(items) - changed)

    def requisitions_frame(self, round_id: str) -> pd.DataFrame:
        return self.frame(
            "SELECT q.id, q.code, r.name AS region, q.received, q.amount, q.reference, q.source, q.recorded_at "
            "FROM requisitions q JOIN regions r USING (code) WHERE q.round_id = ? ORDER BY q.received, q.code, q.id",
            [round_id],
        )

    def record_payout(
        self, actor: Actor, reason: str, round_id: str, code: str, paid_on: date, amount: int, reference: str = ""
    ) -> int:
        self._check_round(round_id)
        self._check_code(code)
        if amount < 0:
            raise WriteRefused("Beloppet får inte vara negativt.", "amount must not be negative")
        with self.transaction(actor, reason) as tx:
            (new_id,) = tx.execute(
                "INSERT INTO payouts (round_id, code, paid_on, amount, reference, recorded_at) "
                "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                [round_id, code, paid_on, amount, reference, tx.at],
            ).fetchone()
            after = {"code": code, "paid_on": paid_on, "amount": amount, "reference": reference}
            tx.audit("insert", "payouts", f"{round_id}/{code}/{new_id}", None, after)
        return int(new_id)

    def record_ombud(self, actor: Actor, reason: str, code: str, approved_on: date) -> bool:
        self._check_code(code)
        with self.transaction(actor, reason) as tx:
            rows = tx.execute("SELECT approved_on FROM ombud WHERE code = ?", [code]).fetchall()
            before = {"approved_on": rows[0][0]} if rows else None
            if before and before["approved_on"] == approved_on:
                return False
            tx.execute(
                "INSERT OR REPLACE INTO ombud (code, approved_on, recorded_at) VALUES (?, ?, ?)",
                [code, approved_on, tx.at],
            )
            tx.audit("update" if before else "insert", "ombud", code, before, {"approved_on": approved_on})
            return True

    def record_usage_report(
        self, actor: Actor, reason: str, round_id: str, code: str, received: date, reference: str = ""
    ) -> bool:
        self._check_round(round_id)
        self._check_code(code)
        with self.transaction(actor, reason) as tx:
            rows = tx.execute(
                "SELECT received, reference FROM usage_reports WHERE round_id = ? AND code = ?", [round_id, code]
            ).fetchall()
            before = {"received": rows[0][0], "reference": rows[0][1]} if rows else None
            after = {"received": received, "reference": reference}
            if before == after:
                return False
            tx.execute(
                "INSERT OR REPLACE INTO usage_reports (round_id, code, received, reference, recorded_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [round_id, code, received, reference, tx.at],
            )
            tx.audit("update" if before else "insert", "usage_reports", f"{round_id}/{code}", before, after)
            return True

    def round_kind(self, round_id: str) -> str | None:
        rows = self.query("SELECT kind FROM rounds WHERE id = ? LIMIT 1", [round_id])
        return rows[0][0] if rows else None

    def fixed_round(self, round_id: str = "elderly-2023") -> FixedRound:
        return self._cached(("fixed_round", round_id), lambda: parse_fixed_round(self.round_document(round_id)))

    def fixed_amounts(self, round_id: str = "elderly-2023") -> dict[str, tuple[int, str, str]]:
        """Per län code: (maximum amount, basis "estimate" or "official", source)."""

        def compute() -> dict[str, tuple[int, str, str]]:
            rows = self.query("SELECT code, amount, basis, source FROM fixed_amounts WHERE round_id = ?", [round_id])
            return {code: (int(amount), basis, source) for code, amount, basis, source in rows}

        return dict(self._cached(("fixed_amounts", round_id), compute))

    def import_official_amounts(
        self,
        actor: Actor,
        reason: str,
        round_id: str,
        data: bytes,
        filename: str,
        source_note: str,
        dry_run: bool = False,
    ) -> ImportResult:
        """Replace the amounts with the official table (validated: 21 regions, summing to the total)."""
        self._check_round_kind(round_id, "fixed", _AMOUNTS, _IMPORTED)
        fixed = self.fixed_round(round_id)
        amounts = read_official_amounts(data, self.region_index(), fixed.total)
        if not source_note.strip():
            raise WriteRefused("Ange källan till tabellen (t.ex. beslutets diarienummer).", "a source is required")
        source = f"{source_note.strip()} (fil: {filename})"
        already: dict[str, int] = {}
        for r in self.requisitions(round_id):
            already[r.code] = already.get(r.code, 0) + r.amount
        names = {r.code: r.name for r in self.regions(self.latest_population_date())}
        below = [
            Problem("below_requisitioned", 0, "amount", fkr(amount), f"{names[code]}: {fkr(already[code])}")
            for code, amount in amounts.items()
            if already.get(code, 0) > amount
        ]
        if below:
            raise InputError(below)
        current = self.fixed_amounts(round_id)
        changed = [c for c, a in amounts.items() if current.get(c) != (a, OFFICIAL, source)]
        if dry_run:
            return ImportResult(len(amounts), len(changed), len(amounts) - len(changed))
        with self.transaction(actor, reason) as tx:
            for code, amount in amounts.items():
                before = current.get(code)
                if code not in changed:
                    continue
                tx.execute(
                    "INSERT OR REPLACE INTO fixed_amounts VALUES (?, ?, ?, ?, ?)",
                    [round_id, code, amount, OFFICIAL, source],
                )
                tx.audit(
                    "insert" if before is None else "update",
                    "fixed_amounts",
                    f"{round_id}/{code}",
                    None if before is None else {"amount": before[0], "basis": before[1], "source": before[2]},
                    {"amount": amount, "basis": OFFICIAL, "source": source},
                )
        return ImportResult(len(amounts), len(changed), len(amounts) - len(changed))

    def requisitions(self, round_id: str) -> list[Requisition]:
        rows = self.query(
            "SELECT code, received, amount, reference FROM requisitions WHERE round_id = ? ORDER BY received, id",
            [round_id],
        )
        return [Requisition(code, received, int(amount), reference) for code, received, amount, reference in rows]

    def payouts(self, round_id: str) -> list[tuple[str, date, int]]:
        rows = self.query(
            "SELECT code, paid_on, amount FROM payouts WHERE round_id = ? ORDER BY paid_on, id", [round_id]
        )
        return [(code, paid_on, int(amount)) for code, paid_on, amount in rows]

    def ombud_dates(self) -> dict[str, date]:
        return dict(self.query("SELECT code, approved_on FROM ombud"))

    def usage_report_dates(self, round_id: str) -> dict[str, date]:
        return dict(self.query("SELECT code, received FROM usage_reports WHERE round_id = ?", [round_id]))

    def report_dates(self, round_id: str = "at-2023") -> dict[str, date]:
        return dict(self.query("SELECT code, received FROM at_reports WHERE round_id = ?", [round_id]))

    # --- scenarios -------------------------------------------------------------------------------

    def save_scenario(
        self,
        actor: Actor,
        reason: str,
        name: str,
        round_id: str,
        params: AtParams,
        inputs: list[RegionInput] | tuple[RegionInput, ...],
        note: str = "",
        overwrite: bool = False,
    ) -> Scenario:
        name = name.strip()
        if not name:
            raise WriteRefused("Ge scenariot ett namn.", "a scenario needs a name")
        at_round = self.at_round(round_id)
        inputs_data = [input_json(i) for i in sorted(inputs, key=lambda i: i.code)]
        with self.transaction(actor, reason) as tx:
            existing = tx.execute("SELECT id, params, inputs, note FROM scenarios WHERE name = ?", [name]).fetchall()
            after = {"round_id": round_id, "params": params_json(params), "inputs": inputs_data, "note": note}
            if existing and not overwrite:
                raise WriteRefused(
                    f"Det finns redan ett scenario som heter ”{name}”. Välj ett annat namn eller skriv över.",
                    f"a scenario named {name!r} exists",
                )
            if existing:
                old_id, old_params, old_inputs, old_note = existing[0]
                before = {"params": json.loads(old_params), "inputs": json.loads(old_inputs), "note": old_note}
                tx.execute(
                    "UPDATE scenarios SET author = ?, created = ?, round_id = ?, rules_version = ?, params = ?, "
                    "inputs = ?, note = ? WHERE id = ?",
                    [
                        actor.name,
                        tx.at,
                        round_id,
                        at_round.version,
                        json.dumps(after["params"]),
                        json.dumps(inputs_data),
                        note,
                        old_id,
                    ],
                )
                tx.audit("update", "scenarios", name, before, after)
            else:
                tx.execute(
                    "INSERT INTO scenarios (name, author, created, round_id, rules_version, params, inputs, note) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        name,
                        actor.name,
                        tx.at,
                        round_id,
                        at_round.version,
                        json.dumps(after["params"]),
                        json.dumps(inputs_data),
                        note,
                    ],
                )
                tx.audit("insert", "scenarios", name, None, after)
        scenario = self.scenario(name)
        assert scenario is not None
        return scenario

    def _scenario_from_row(self, row: tuple[Any, ...]) -> Scenario:
        sid, name, author, created, round_id, version, params, inputs, note = row
        return Scenario(
            sid,
            name,
            author,
            created,
            round_id,
            version,
            params_from_json(json.loads(params)),
            tuple(input_from_json(i) for i in json.loads(inputs)),
            note,
        )

    _SCENARIO_COLUMNS = "id, name, author, created, round_id, rules_version, params, inputs, note"

    def scenarios(self, round_id: str | None = None) -> list[Scenario]:
        sql = f"SELECT {self._SCENARIO_COLUMNS} FROM scenarios"
        sql += " WHERE round_id = ? ORDER BY created DESC, name" if round_id else " ORDER BY created DESC, name"
        return [self._scenario_from_row(r) for r in self.query(sql, [round_id] if round_id else [])]

    def scenario_names(self, round_id: str | None = None) -> list[str]:
        """Names of the saved scenarios, newest first (cheap: read once per write)."""

        def compute() -> tuple[str, ...]:
            sql = "SELECT name FROM scenarios" + (" WHERE round_id = ?" if round_id else "")
            rows = self.query(sql + " ORDER BY created DESC, name", [round_id] if round_id else [])
            return tuple(row[0] for row in rows)

        return list(self._cached(("scenario_names", round_id), compute))

    def scenario(self, name: str) -> Scenario | None:
        rows = self.query(f"SELECT {self._SCENARIO_COLUMNS} FROM scenarios WHERE name = ?", [name])
        return self._scenario_from_row(rows[0]) if rows else None

    def delete_scenario(self, actor: Actor, reason: str, name: str) -> bool:
        with self.transaction(actor, reason) as tx:
            rows = tx.execute("SELECT params, inputs, note FROM scenarios WHERE name = ?", [name]).fetchall()
            if not rows:
                return False
            tx.execute("DELETE FROM scenarios WHERE name = ?", [name])
            before = {"params": json.loads(rows[0][0]), "inputs": json.loads(rows[0][1]), "note": rows[0][2]}
            tx.audit("delete", "scenarios", name, before, None)
            return True

    # --- users, published decisions, refusals -----------------------------------------------------

    def users(self) -> list[User]:
        rows = self.query("SELECT login, name, role, region, active FROM users ORDER BY role, name, login")
        return [User(login, name, role, region, bool(active)) for login, name, role, region, active in rows]

    def user(self, login: str) -> User | None:
        """The user with this login (compared in lower case, as stored)."""

        def compute() -> tuple[User, ...]:
            return tuple(self.users())

        wanted = login.strip().lower()
        return next((u for u in self._cached(("users",), compute) if u.login == wanted), None)

    def save_user(self, actor: Actor, reason: str, user: User) -> bool:
        """Add or change a user (validated); returns whether anything changed."""
        from store.access import Role

        login = user.login.strip().lower()
        name = user.name.strip()
        if not login:
            raise WriteRefused("Ange användarens inloggning (e-postadress).", "a login is required")
        if " " in login or len(login) > 254:
            raise WriteRefused(
                f"Inloggningen ”{user.login}” är inte giltig: ange e-postadressen utan mellanslag.",
                f"invalid login {user.login!r}",
            )
        if not name:
            raise WriteRefused("Ange användarens namn.", "a name is required")
        try:
            role = Role(user.role)
        except ValueError:
            raise WriteRefused(
                f"Okänd roll ”{user.role}”: välj handläggare, chef eller region.", f"unknown role {user.role!r}"
            ) from None
        region = user.region if role is Role.REGION else None
        if role is Role.REGION:
            if not region:
                raise WriteRefused("En regionanvändare måste kopplas till en region.", "a region user needs a region")
            self._check_code(region)
        after = {"name": name, "role": role.value, "region": region, "active": user.active}
        with self.transaction(actor, reason) as tx:
            rows = tx.execute("SELECT name, role, region, active FROM users WHERE login = ?", [login]).fetchall()
            before = dict(zip(("name", "role", "region", "active"), rows[0], strict=True)) if rows else None
            if before == after:
                return False
            demoted = role is not Role.STAFF or not user.active
            if before and before["role"] == Role.STAFF and before["active"] and demoted:
                (staff,) = tx.execute(
                    "SELECT count(*) FROM users WHERE role = 'handläggare' AND active AND login <> ?", [login]
                ).fetchone()
                if staff == 0:
                    raise WriteRefused(
                        "Det måste finnas minst en aktiv handläggare: lägg till en annan innan du ändrar den sista.",
                        "the last active staff user cannot be removed",
                    )
            tx.execute(
                "INSERT OR REPLACE INTO users (login, name, role, region, active, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [login, name, role.value, region, user.active, tx.at],
            )
            tx.audit("update" if before else "insert", "users", login, before, after)
            return True

    def decisions(self) -> dict[str, tuple[date, str]]:
        """Per round: the date the decision was (or will be) published, and its reference."""

        def compute() -> dict[str, tuple[date, str]]:
            rows = self.query("SELECT round_id, published_on, reference FROM decisions")
            return {round_id: (published, ref) for round_id, published, ref in rows}

        return dict(self._cached(("decisions",), compute))

    def is_published(self, round_id: str, on: date | None = None) -> bool:
        """Whether the round's decision is published on ``on`` (today by default)."""
        decision = self.decisions().get(round_id)
        return decision is not None and decision[0] <= (on or self.clock().date())

    def record_decision(self, actor: Actor, reason: str, round_id: str, published_on: date, reference: str) -> bool:
        self._check_round(round_id)
        if not reference.strip():
            raise WriteRefused("Ange beslutets diarienummer eller annan referens.", "a reference is required")
        with self.transaction(actor, reason) as tx:
            rows = tx.execute("SELECT published_on, reference FROM decisions WHERE round_id = ?", [round_id]).fetchall()
            before = {"published_on": rows[0][0], "reference": rows[0][1]} if rows else None
            after = {"published_on": published_on, "reference": reference.strip()}
            if before == after:
                return False
            tx.execute(
                "INSERT OR REPLACE INTO decisions (round_id, published_on, reference, recorded_at) VALUES (?, ?, ?, ?)",
                [round_id, published_on, reference.strip(), tx.at],
            )
            tx.audit("update" if before else "insert", "decisions", round_id, before, after)
            return True

    def record_refusal(self, actor: Actor, action: str, key: str, message: str) -> None:
        """An audit entry for an action the principal was refused (nothing else is written)."""
        with self.transaction(actor, message[:500]) as tx:
            tx.audit("refused", "access", key[:100], None, {"action": action[:100]})

    # --- reading any table, the audit log, backups ------------------------------------------------

    def table(self, name: str) -> pd.DataFrame:
        if name not in EXPORTABLE_TABLES:
            raise KeyError(f"not an exportable table: {name!r}")
        return self.frame(f"SELECT * FROM {name}")  # name is from the fixed list above

    def audit(self, limit: int = 500, entity: str | None = None, hidden: tuple[str, ...] = ()) -> pd.DataFrame:
        """The newest entries (of one table), leaving out the entries about the ``hidden`` tables."""
        where, params = self._audit_where(entity, hidden)
        return self.frame(
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

    def facts(self) -> list[tuple[str, str]]:
        """Rule-file versions and data dates held by the store, for the "Om uttaget" sheet of exports."""
        rounds = self.query("SELECT id, version, source_file FROM rounds ORDER BY id, version")
        dates = [row[0].isoformat() for row in self.query("SELECT DISTINCT date FROM population ORDER BY date")]
        facts = [("Regelfil", f"{rid}: {source}, version {version}") for rid, version, source in rounds]
        facts.append(("Befolkningsdatum", ", ".join(dates) + " (SCB, enligt anvisningarnas tabell)"))
        facts.append(("Schemaversion", str(db.schema_version(self.con))))
        return facts

    def audit_count(self, hidden: tuple[str, ...] = ()) -> int:
        where, params = self._audit_where(None, hidden)
        return int(self.query(f"SELECT count(*) FROM audit_log{where}", params)[0][0])

    def backup(self, destination: Path) -> Path:
        """A consistent copy of the whole database in a new file (taken inside this process).

        The copy is written to a temporary file next to the destination and renamed when complete: a
        failure (disk full, unwritable folder) leaves no file behind and raises ``db.StoreError``.
        No file or database name is ever part of the SQL text.
        """
        destination = Path(destination)
        if destination.exists():
            raise WriteRefused(f"Filen {destination} finns redan; välj ett nytt namn.", f"{destination} exists already")
        partial = destination.with_name(f".{destination.name}.{uuid.uuid4().hex[:12]}.part")
        with self._write_lock:
            cursor = self.con.cursor()
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


def _identifier(name: str) -> str:
    """A quoted SQL identifier: any name, quotes included, stays one identifier."""
    return '"' + name.replace('"', '""') + '"'
