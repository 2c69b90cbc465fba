"""Payments: the recipients' payment details, payout lists, and payment runs recorded once.

- Payment details (organisation number, bankgiro) are entered or imported by staff, checked by
  ``ingest.payment_details``; nothing is ever filled in by the program.
- ``payout_list``: for a decided round, the decision's totals less what the round has paid each recipient
  (``allocation.payouts.decision_payouts``); for a fixed-amount round, the requisitions received and not
  yet paid, within each region's maximum (``requisition_payouts``).
- ``record_payment_run``: the run and one ``payouts`` row per line, with the decision or the requisition
  it pays, in one transaction with its audit entries. The same line cannot be paid twice: the list is
  computed under the write lock and the unique indexes of migration 007 back it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from allocation import decision as d
from allocation.block_data import Recipient
from allocation.fixed import OFFICIAL
from allocation.money import kr
from allocation.payouts import (
    DECISION,
    REQUISITIONS,
    PayoutList,
    PendingRequisition,
    decision_payouts,
    requisition_payouts,
)
from ingest import payment_details as numbers
from store import db
from store.core import Tx
from store.followup import FollowupMixin
from store.model import Actor, ImportResult, WriteRefused
from store.sql import upsert

__all__ = ["PaymentRun", "PaymentsMixin"]


@dataclass(frozen=True, slots=True)
class PaymentRun:
    id: int
    round_id: str
    decision_id: int | None
    up_to: date | None
    paid_on: date
    reference: str
    total: int
    lines: int
    recorded_at: datetime
    recorded_by: str


class PaymentsMixin(FollowupMixin):
    """Payment details, payout lists and payment runs (composed into ``Store`` after ``DecidedMixin``)."""

    if TYPE_CHECKING:  # provided by DecidedMixin and RoundVersionsMixin in ``Store``

        def current_decision(self, round_id: str) -> d.Snapshot | None: ...
        def decision_snapshot(self, decision_id: int) -> d.Snapshot: ...
        def recipients(self, round_id: str) -> tuple[Recipient, ...]: ...

    # --- payment details ----------------------------------------------------------------------------

    def payment_details(self) -> dict[str, tuple[str, str]]:
        """Per län code: (organisation number, bankgiro), as entered (``NNNNNN-NNNN``, ``NNN-NNNN``)."""

        def compute() -> dict[str, tuple[str, str]]:
            rows = self.query("SELECT code, org_number, bankgiro FROM payment_details ORDER BY code")
            return {code: (org, bg) for code, org, bg in rows}

        return dict(self._cached(("payment_details",), compute))

    def _write_details(self, tx: Tx, code: str, org: str, bg: str) -> bool:
        before = self.payment_details().get(code)
        if before == (org, bg):
            return False
        tx.execute(
            upsert("payment_details", ("code", "org_number", "bankgiro", "updated_at"), ("code",)),
            [code, org, bg, tx.at],
        )
        old = None if before is None else {"org_number": before[0], "bankgiro": before[1]}
        tx.audit(
            "insert" if before is None else "update", "payment_details", code, old, {"org_number": org, "bankgiro": bg}
        )
        return True

    def save_payment_details(self, actor: Actor, reason: str, code: str, org_number: str, bankgiro: str) -> bool:
        """Enter or change one recipient's details (checked); False when they were already these."""
        self._check_no_example_data()
        self._check_code(code)
        try:
            org, bg = numbers.org_number(org_number), numbers.bankgiro(bankgiro)
        except numbers.InvalidNumber as exc:
            raise WriteRefused(exc.message_sv[:1].upper() + exc.message_sv[1:] + ".", exc.message_en) from None
        with self.transaction(actor, reason) as tx:
            return self._write_details(tx, code, org, bg)

    def import_payment_details(
        self, actor: Actor, reason: str, data: bytes, filename: str, dry_run: bool = False
    ) -> ImportResult:
        """A file of details (region, organisationsnummer, bankgiro), every row checked first; all or nothing."""
        self._check_no_example_data()
        items = numbers.read_payment_details(data, self.region_index())
        current = self.payment_details()
        changed = sum(1 for i in items if current.get(i.code) != (i.org_number, i.bankgiro))
        if dry_run or not changed:
            return ImportResult(len(items), changed, len(items) - changed)
        with self.transaction(actor, f"{reason.strip()} (fil: {filename})" if reason.strip() else reason) as tx:
            written = sum(self._write_details(tx, i.code, i.org_number, i.bankgiro) for i in items)
        return ImportResult(len(items), written, len(items) - written)

    # --- payout lists -------------------------------------------------------------------------------

    def _paid_per_code(self, round_id: str) -> dict[str, int]:
        rows = self.query("SELECT code, sum(amount) FROM payouts WHERE round_id = ? GROUP BY code", [round_id])
        return {code: int(total) for code, total in rows}

    def payout_list(self, round_id: str, decision_id: int | None = None, up_to: date | None = None) -> PayoutList:
        """What to pay now: a decision's rests (``decision_id`` None: the round's current decision), or for a
        fixed-amount round the requisitions received up to ``up_to`` (None: all) and not yet paid."""
        self._check_round(round_id)
        if self.round_kind(round_id) == "fixed":
            if decision_id is not None:
                raise WriteRefused(
                    "Omgången betalas ut efter rekvisition, inte per beslut; ange ett datum i stället.",
                    f"round {round_id!r} is paid by requisition, not by decision; give a date (up to) instead",
                )
            return self._requisition_list(round_id, up_to)
        return self._decision_list(round_id, decision_id)

    def _decision_list(self, round_id: str, decision_id: int | None) -> PayoutList:
        current = self.current_decision(round_id)
        if decision_id is None:
            if current is None:
                raise WriteRefused(
                    "Omgången är inte beslutad: det finns ingen utbetalningslista ännu.",
                    f"round {round_id!r} has no decision yet: there is nothing to pay",
                )
            snapshot = current
        else:
            try:
                snapshot = self.decision_snapshot(decision_id)
            except KeyError:
                snapshot = None
            if snapshot is None or snapshot.round_id != round_id:
                raise WriteRefused(
                    f"Omgången har inget beslut nummer {decision_id}.",
                    f"round {round_id!r} has no decision {decision_id}",
                )
        paid = self._paid_per_code(round_id)
        names = {r.code: r.name for r in snapshot.recipients}
        lines, notices = decision_payouts(snapshot.totals, names, paid, snapshot.reference, self.payment_details())
        blocking_sv, blocking_en = [], []
        if current is not None and current.number != snapshot.number:
            blocking_sv.append(
                f"Beslutet {snapshot.reference} har ändrats ({current.reference}); "
                "betala ut enligt det gällande beslutet."
            )
            blocking_en.append(f"decision {snapshot.number} has been amended: pay by decision {current.number}")
        if snapshot.illustrative:
            blocking_sv.append("Illustrativ omgång: inga utbetalningar registreras.")
            blocking_en.append("an illustrative round: no payments are recorded")
        return PayoutList(
            round_id=round_id,
            kind=DECISION,
            reference=snapshot.reference,
            lines=lines,
            basis=snapshot.paid,
            already_paid=sum(paid.get(code, 0) for code in snapshot.totals),
            notices_sv=notices,
            decision_id=snapshot.number,
            blocking_sv=tuple(blocking_sv),
            blocking_en=tuple(blocking_en),
        )

    def _requisition_list(self, round_id: str, up_to: date | None) -> PayoutList:
        rows = self.query(
            "SELECT q.id, q.code, q.received, q.amount, q.reference FROM requisitions q WHERE q.round_id = ? "
            "AND NOT EXISTS (SELECT 1 FROM payouts p WHERE p.requisition_id = q.id) ORDER BY q.received, q.id",
            [round_id],
        )
        pending = [PendingRequisition(int(i), c, r, int(a), ref) for i, c, r, a, ref in rows]
        considered = [p for p in pending if up_to is None or p.received <= up_to]
        amounts = self.fixed_amounts(round_id)
        maximum = {code: amount for code, (amount, _, _) in amounts.items()}
        paid = self._paid_per_code(round_id)
        names = {r.code: r.name for r in self.regions(self.latest_population_date())}
        decided = self.current_decision(round_id)
        reference = decided.reference if decided else self.fixed_round(round_id).dnr
        lines, refused = requisition_payouts(considered, maximum, paid, names, reference, self.payment_details(), up_to)
        blocking_sv, blocking_en, notices = [], [], []
        if any(basis != OFFICIAL for _, basis, _ in amounts.values()) or not amounts:
            blocking_sv.append(
                "Regionernas högsta belopp är uppskattningar; läs in den officiella tabellen innan något betalas ut."
            )
            blocking_en.append("the regions' maximum amounts are estimates: import the official table first")
        (loose,) = self.query(
            "SELECT coalesce(sum(amount), 0) FROM payouts WHERE round_id = ? AND requisition_id IS NULL", [round_id]
        )[0]
        if loose:
            notices.append(
                f"Utbetalningar utan koppling till en rekvisition, {kr(int(loose))}, "
                "räknas mot regionernas högsta belopp."
            )
        return PayoutList(
            round_id=round_id,
            kind=REQUISITIONS,
            reference=reference,
            lines=lines,
            basis=sum(p.amount for p in considered),
            already_paid=sum(paid.values()),
            refused=refused,
            notices_sv=tuple(notices),
            up_to=up_to,
            blocking_sv=tuple(blocking_sv),
            blocking_en=tuple(blocking_en),
        )

    # --- payment runs -------------------------------------------------------------------------------

    def record_payment_run(
        self,
        actor: Actor,
        reason: str,
        round_id: str,
        paid_on: date,
        reference: str,
        decision_id: int | None = None,
        up_to: date | None = None,
        expected: str | None = None,
    ) -> int:
        """Pay the list: the run and every line, in one transaction with their audit entries; the run's id.

        ``expected``: the ``fingerprint`` of the list as it was shown or exported; a list that has changed
        since (a requisition recorded, an amendment) is refused rather than recorded unseen.

        Refused: example data loaded; no reference; a line without payment details; nothing left to pay;
        a superseded or illustrative decision; a day before the decision was published; a line that would
        pay more than decided or requisitioned. For requisitions ``up_to`` defaults to ``paid_on``.
        """
        self._check_no_example_data()
        self._check_round(round_id)
        reference = reference.strip()
        if not reference:
            raise WriteRefused("Ange utbetalningens referens.", "a payment reference is required")
        fixed = self.round_kind(round_id) == "fixed"
        if fixed and up_to is None:
            up_to = paid_on
        if up_to is not None and up_to > paid_on:
            raise WriteRefused(
                "Rekvisitioner som kommer in efter utbetalningsdagen kan inte betalas ut den dagen.",
                "requisitions received after the payment day cannot be paid on it",
            )
        try:
            with self.transaction(actor, reason) as tx:  # locked: the list, its checks and the payment as one
                listed = self.payout_list(round_id, decision_id, up_to if fixed else None)
                en, sv = listed.problems()
                if not listed.lines and listed.refused:
                    sv += [f"{r.name}: {r.reason_sv}" for r in listed.refused]
                    en += [f"{r.name}: {r.reason_en}" for r in listed.refused]
                if not fixed:
                    snapshot = self.decision_snapshot(listed.decision_id or 0)
                    if paid_on < date.fromisoformat(snapshot.published_on):
                        sv.append(f"Utbetalningsdagen ligger före beslutets datum ({snapshot.published_on}).")
                        en.append(f"the payment day is before the decision's date ({snapshot.published_on})")
                if not sv and expected is not None and listed.fingerprint != expected:
                    sv.append(
                        "Utbetalningslistan har ändrats sedan den visades (en rekvisition, ett beslut eller en "
                        "utbetalning har registrerats). Ladda ned den nya listan och registrera den."
                    )
                    en.append("the payout list has changed since it was shown or exported; export it again")
                if sv:
                    raise WriteRefused(" ".join(sv), "; ".join(en))
                self._check_within(listed)
                return self._write_run(tx, actor, listed, paid_on, reference)
        except db.CONSTRAINT_ERRORS:
            raise WriteRefused(
                "En rad på listan är redan utbetald; ingenting registrerades.",
                "a line of the list has been paid already; nothing was recorded",
            ) from None

    def _check_within(self, listed: PayoutList) -> None:
        """No line pays more than decided (the decision's total) or requisitioned (and within the maximum)."""
        paid = self._paid_per_code(listed.round_id)
        over = []
        if listed.kind == DECISION:
            totals = self.decision_snapshot(listed.decision_id or 0).totals
            for line in listed.lines:
                if paid.get(line.code, 0) + line.amount > totals.get(line.code, 0):
                    over.append((line, totals.get(line.code, 0)))
        else:
            requisitioned = dict(
                self.query("SELECT id, amount FROM requisitions WHERE round_id = ?", [listed.round_id])
            )
            maximum = {c: a for c, (a, _, _) in self.fixed_amounts(listed.round_id).items()}
            for line in listed.lines:
                paid[line.code] = paid.get(line.code, 0) + line.amount
                if line.amount != requisitioned.get(line.requisition_id) or paid[line.code] > maximum.get(line.code, 0):
                    over.append((line, maximum.get(line.code, 0)))
        if over:
            sv = "; ".join(f"{line.name}: {kr(line.amount)} över beslutat belopp {kr(limit)}" for line, limit in over)
            raise WriteRefused(
                f"Utbetalningen skulle överstiga det beslutade eller rekvirerade beloppet ({sv}).",
                "a payment would exceed the decided or requisitioned amount: "
                + ", ".join(line.code for line, _ in over),
            )

    def _write_run(self, tx: Tx, actor: Actor, listed: PayoutList, paid_on: date, reference: str) -> int:
        (run_id,) = tx.execute(
            "INSERT INTO payment_runs (round_id, decision_id, up_to, paid_on, reference, total, recorded_at, "
            "recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            [
                listed.round_id,
                listed.decision_id,
                listed.up_to,
                paid_on,
                reference,
                listed.total,
                tx.at,
                actor.name,
            ],
        ).fetchone()  # type: ignore[misc]
        summary = {
            "round_id": listed.round_id,
            "decision_id": listed.decision_id,
            "decision": listed.reference,
            "up_to": listed.up_to,
            "paid_on": paid_on,
            "reference": reference,
            "total": listed.total,
            "lines": len(listed.lines),
        }
        tx.audit("insert", "payment_runs", str(run_id), None, summary)
        for line in listed.lines:
            decision_id = listed.decision_id if listed.kind == DECISION else None
            (payout_id,) = tx.execute(
                "INSERT INTO payouts (round_id, code, paid_on, amount, reference, recorded_at, run_id, "
                "decision_id, requisition_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                [
                    listed.round_id,
                    line.code,
                    paid_on,
                    line.amount,
                    reference,
                    tx.at,
                    run_id,
                    decision_id,
                    line.requisition_id,
                ],
            ).fetchone()  # type: ignore[misc]
            after = {
                "code": line.code,
                "paid_on": paid_on,
                "amount": line.amount,
                "reference": reference,
                "run_id": run_id,
                "decision_id": decision_id,
                "requisition_id": line.requisition_id,
                "org_number": line.org_number,
                "bankgiro": line.bankgiro,
            }
            tx.audit("insert", "payouts", f"{listed.round_id}/{line.code}/{payout_id}", None, after)
        return int(run_id)

    def payment_runs(self, round_id: str) -> list[PaymentRun]:
        """The round's recorded runs, oldest first, with how many lines each paid."""
        rows = self.query(
            "SELECT r.id, r.round_id, r.decision_id, r.up_to, r.paid_on, r.reference, r.total, "
            "(SELECT count(*) FROM payouts p WHERE p.run_id = r.id), r.recorded_at, r.recorded_by "
            "FROM payment_runs r WHERE r.round_id = ? ORDER BY r.id",
            [round_id],
        )
        return [
            PaymentRun(int(i), rid, dec, up, on, ref, int(t), int(n), at, by)
            for i, rid, dec, up, on, ref, t, n, at, by in rows
        ]

    def run_lines(self, run_id: int) -> Sequence[tuple[str, int, int | None, int | None]]:
        """A run's payouts: (code, amount, decision id, requisition id)."""
        rows = self.query(
            "SELECT code, amount, decision_id, requisition_id FROM payouts WHERE run_id = ? ORDER BY code, id", [run_id]
        )
        return [(c, int(a), dec, req) for c, a, dec, req in rows]
