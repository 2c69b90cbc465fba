"""Follow-up of the rounds paid on requisition (their blocks say so): requisitions, payouts, ombud, usage
reports and the amounts per region (the labelled estimate, or the imported official table)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from allocation.decision import from_json
from allocation.fixed import OFFICIAL, Requisition, requisition_problems
from allocation.money import MAX_AMOUNT
from allocation.problems import InputError, Problem
from ingest.inputs import read_requisitions
from ingest.official import read_official_amounts
from present.formats import kr as fkr
from present.problems import problem_en, problem_sv
from store import paid_guard
from store.access import Action
from store.access_rules import by_code, by_frame, by_key, narrowed, writes
from store.core import StoreCore, Tx
from store.model import Actor, ImportResult, WriteRefused
from store.rounds import IMPORTED, RECORDED, Rounds
from store.sql import upsert

KEY = ("round_id", "code")

_REQUISITIONS = ("requisitions", "rekvisitioner")
_AMOUNTS = ("official amounts", "beslutade belopp")


class Followup:
    """What happens after a fixed-amount decision: requisitions (checked against the maximum and the ombud),
    payouts, ombud, usage reports, and the amounts per region."""

    def __init__(self, core: StoreCore, rounds: Rounds) -> None:
        self._core = core
        self._rounds = rounds

    def write_requisition(self, tx: Tx, round_id: str, item: Requisition, source: str) -> bool:
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

    def _check_requisitions(self, round_id: str, items: list[Requisition], tx: Tx | None = None) -> None:
        """Refuse (all of) a set of requisitions above a region's maximum or before its ombud is approved.

        With ``tx`` the check reads inside that write transaction, after its lock: on PostgreSQL another
        process may have recorded a requisition a moment ago, and the database, not a cache, decides.
        """
        table = self._rounds.requisition_maximum(round_id)
        if table is None:
            return

        def read(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
            return tx.execute(sql, params).fetchall() if tx is not None else self._core.query(sql, params)

        recorded = read("SELECT code, received, amount, reference FROM requisitions WHERE round_id = ?", [round_id])
        existing = {(c, r, int(a), ref) for c, r, a, ref in recorded}
        new = [i for i in items if (i.code, i.received, i.amount, i.reference) not in existing]
        already: dict[str, int] = {}
        for code, _, amount, _ in recorded:
            already[code] = already.get(code, 0) + int(amount)
        amounts = read("SELECT code, amount FROM fixed_amounts WHERE round_id = ?", [round_id])
        maximum = {code: int(amount) for code, amount in amounts} or table
        ombud = dict(read("SELECT code, approved_on FROM ombud", []))
        names = {r.code: r.name for r in self._rounds.regions(self._rounds.latest_population_date())}
        problems = requisition_problems(new, maximum, already, ombud, names)
        if problems:
            raise InputError(problems)

    @writes(Action.WRITE_FOLLOWUP, region="item.code")
    def record_requisition(
        self, actor: Actor, reason: str, round_id: str, item: Requisition, source: str = "manuell"
    ) -> bool:
        self._rounds.check_no_example_data()
        self._rounds.check_paid_on_requisition(round_id, _REQUISITIONS, RECORDED)
        try:
            with self._core.transaction(actor, reason) as tx:  # the check and the write in one transaction, locked
                self._check_requisitions(round_id, [item], tx)
                return self.write_requisition(tx, round_id, item, source)
        except InputError as exc:
            raise WriteRefused(
                "; ".join(problem_sv(p) for p in exc.problems), "; ".join(problem_en(p) for p in exc.problems)
            ) from None

    @writes(Action.IMPORT)
    def import_requisitions(
        self,
        actor: Actor,
        reason: str,
        round_id: str,
        data: bytes,
        filename: str,
        dry_run: bool = False,
    ) -> ImportResult:
        self._rounds.check_no_example_data()
        self._rounds.check_paid_on_requisition(round_id, _REQUISITIONS, IMPORTED)
        items = read_requisitions(data, self._rounds.region_index())
        if dry_run:
            self._check_requisitions(round_id, items)
            existing = set(
                self._core.query(
                    "SELECT code, received, amount, reference FROM requisitions WHERE round_id = ?", [round_id]
                )
            )
            changed = sum(1 for i in items if (i.code, i.received, i.amount, i.reference) not in existing)
            return ImportResult(len(items), changed, len(items) - changed)
        with self._core.transaction(actor, reason) as tx:  # the check and the writes in one locked transaction
            self._check_requisitions(round_id, items, tx)
            changed = sum(self.write_requisition(tx, round_id, item, filename) for item in items)
        return ImportResult(len(items), changed, len(items) - changed)

    @narrowed(Action.READ_FOLLOWUP, by_frame)
    def requisitions_frame(self, round_id: str) -> pd.DataFrame:
        return self._core.frame(
            "SELECT q.id, q.code, r.name AS region, q.received, q.amount, q.reference, q.source, q.recorded_at "
            "FROM requisitions q JOIN regions r USING (code) WHERE q.round_id = ? ORDER BY q.received, q.code, q.id",
            [round_id],
        )

    @writes(Action.WRITE_FOLLOWUP, region="code")
    def record_payout(
        self, actor: Actor, reason: str, round_id: str, code: str, paid_on: date, amount: int, reference: str = ""
    ) -> int:
        self._rounds.check_no_example_data()
        self._rounds.require_round(round_id)
        self._rounds.check_code(code)
        if amount < 0:
            raise WriteRefused("Beloppet får inte vara negativt.", "amount must not be negative")
        if amount > MAX_AMOUNT:
            raise WriteRefused(f"Beloppet får vara högst {fkr(MAX_AMOUNT)}.", f"amount above {MAX_AMOUNT} kr")
        with self._core.transaction(actor, reason) as tx:  # the cap is checked after the lock, on committed payouts
            if reference.strip():  # a retried write (the outcome of the first was unknown) records nothing new
                done = tx.execute(
                    "SELECT id FROM payouts WHERE round_id = ? AND code = ? AND paid_on = ? AND amount = ? "
                    "AND reference = ? AND run_id IS NULL",
                    [round_id, code, paid_on, amount, reference],
                ).fetchone()
                if done is not None:
                    return int(done[0])
            before = paid_guard.paid_per_code(tx, round_id)
            self._check_payout_cap(tx, round_id, code, amount)
            (new_id,) = tx.execute(
                "INSERT INTO payouts (round_id, code, paid_on, amount, reference, recorded_at) "
                "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                [round_id, code, paid_on, amount, reference, tx.at],
            ).fetchone()
            after = {"code": code, "paid_on": paid_on, "amount": amount, "reference": reference}
            tx.audit("insert", "payouts", f"{round_id}/{code}/{new_id}", None, after)
            paid_guard.check_within(tx, round_id, self._rounds.requisition_maximum(round_id), before)
        return int(new_id)

    def _check_payout_cap(self, tx: Tx, round_id: str, code: str, amount: int) -> None:
        """A payout recorded by hand never takes a region above its maximum (fixed amounts) or above the
        round's decision in force; a round that pays on decision and has none cannot be paid by hand."""
        paid = paid_guard.paid_per_code(tx, round_id).get(code, 0)
        table = self._rounds.requisition_maximum(round_id)
        if table is not None:
            limit, what = paid_guard.limits(tx, round_id, table).get(code, 0), "regionens högsta belopp"
        else:
            row = tx.execute(
                "SELECT snapshot FROM decision_snapshots WHERE round_id = ? ORDER BY id DESC LIMIT 1", [round_id]
            ).fetchone()
            if row is None:
                raise WriteRefused(
                    "Omgången är inte beslutad: en utbetalning görs enligt ett beslut (sidan Beslut).",
                    f"round {round_id!r} has no decision to pay",
                )
            limit, what = from_json(row[0]).totals.get(code, 0), "det beslutade beloppet"
        if int(paid) + amount > limit:
            raise WriteRefused(
                f"Utbetalningen skulle ge regionen {fkr(int(paid) + amount)}, mer än {what} {fkr(limit)}; "
                "ingenting registrerades.",
                f"the payout would take region {code} to {int(paid) + amount} kr, above {limit} kr",
            )

    @writes(Action.WRITE_FOLLOWUP, region="code")
    def record_ombud(self, actor: Actor, reason: str, code: str, approved_on: date) -> bool:
        self._rounds.check_no_example_data()
        self._rounds.check_code(code)
        with self._core.transaction(actor, reason) as tx:
            rows = tx.execute("SELECT approved_on FROM ombud WHERE code = ?", [code]).fetchall()
            before = {"approved_on": rows[0][0]} if rows else None
            if before and before["approved_on"] == approved_on:
                return False
            tx.execute(
                upsert("ombud", ("code", "approved_on", "recorded_at"), ("code",)),
                [code, approved_on, tx.at],
            )
            tx.audit("update" if before else "insert", "ombud", code, before, {"approved_on": approved_on})
            return True

    @writes(Action.WRITE_FOLLOWUP, region="code")
    def record_usage_report(
        self, actor: Actor, reason: str, round_id: str, code: str, received: date, reference: str = ""
    ) -> bool:
        self._rounds.check_no_example_data()
        self._rounds.require_round(round_id)
        self._rounds.check_code(code)
        with self._core.transaction(actor, reason) as tx:
            rows = tx.execute(
                "SELECT received, reference FROM usage_reports WHERE round_id = ? AND code = ?", [round_id, code]
            ).fetchall()
            before = {"received": rows[0][0], "reference": rows[0][1]} if rows else None
            after = {"received": received, "reference": reference}
            if before == after:
                return False
            tx.execute(
                upsert("usage_reports", ("round_id", "code", "received", "reference", "recorded_at"), KEY),
                [round_id, code, received, reference, tx.at],
            )
            tx.audit("update" if before else "insert", "usage_reports", f"{round_id}/{code}", before, after)
            return True

    @writes(Action.IMPORT)
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
        self._rounds.check_paid_on_requisition(round_id, _AMOUNTS, IMPORTED)
        total = sum(b.pot.amount for b in self._rounds.block_round(round_id).blocks if b.on_requisition)
        amounts = read_official_amounts(data, self._rounds.region_index(), total)
        if not source_note.strip():
            raise WriteRefused("Ange källan till tabellen (t.ex. beslutets diarienummer).", "a source is required")
        source = f"{source_note.strip()} (fil: {filename})"
        names = {r.code: r.name for r in self._rounds.regions(self._rounds.latest_population_date())}
        requisitioned = "SELECT code, amount FROM requisitions WHERE round_id = ?"

        def refuse_below_requisitioned(rows: list[tuple[Any, ...]]) -> None:
            already: dict[str, int] = {}
            for code, amount in rows:
                already[code] = already.get(code, 0) + int(amount)
            below = [
                Problem(
                    "below_requisitioned",
                    params={"column": "amount", "name": names[code], "amount": amount, "already": already[code]},
                )
                for code, amount in amounts.items()
                if already.get(code, 0) > amount
            ]
            if below:
                raise InputError(below)

        refuse_below_requisitioned(self._core.query(requisitioned, [round_id]))
        current = self._rounds.fixed_amounts(round_id)
        changed = [c for c, a in amounts.items() if current.get(c) != (a, OFFICIAL, source)]
        if dry_run:
            return ImportResult(len(amounts), len(changed), len(amounts) - len(changed))
        with self._core.transaction(actor, reason) as tx:
            # Again inside the locked transaction: another process may have recorded a requisition since.
            refuse_below_requisitioned(tx.execute(requisitioned, [round_id]).fetchall())
            for code, amount in amounts.items():
                before = current.get(code)
                if code not in changed:
                    continue
                tx.execute(
                    upsert("fixed_amounts", ("round_id", "code", "amount", "basis", "source"), KEY),
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

    @narrowed(Action.READ_FOLLOWUP, by_code)
    def requisitions(self, round_id: str) -> list[Requisition]:
        rows = self._core.query(
            "SELECT code, received, amount, reference FROM requisitions WHERE round_id = ? ORDER BY received, id",
            [round_id],
        )
        return [Requisition(code, received, int(amount), reference) for code, received, amount, reference in rows]

    def payouts(self, round_id: str) -> list[tuple[str, date, int]]:
        rows = self._core.query(
            "SELECT code, paid_on, amount FROM payouts WHERE round_id = ? ORDER BY paid_on, id", [round_id]
        )
        return [(code, paid_on, int(amount)) for code, paid_on, amount in rows]

    @narrowed(Action.READ_FOLLOWUP, by_key)
    def ombud_dates(self) -> dict[str, date]:
        return dict(self._core.query("SELECT code, approved_on FROM ombud"))

    @narrowed(Action.READ_FOLLOWUP, by_key)
    def usage_report_dates(self, round_id: str) -> dict[str, date]:
        return dict(self._core.query("SELECT code, received FROM usage_reports WHERE round_id = ?", [round_id]))
