"""Payments: the recipients' payment details, payout lists, and payment runs recorded once.

- Payment details (organisation number, bankgiro): ``store.bank_details``, entered or imported by staff.
- ``payout_list``: for a decided round, the decision's totals less what the round has paid each recipient
  (``allocation.payouts.decision_payouts``); for a fixed-amount round, the requisitions received and not
  yet paid, within each region's maximum (``requisition_payouts``).
- ``record_payment_run``: the run and one ``payouts`` row per line, with the decision or the requisition
  it pays, in one transaction with its audit entries. The same line cannot be paid twice: the list is
  computed under the write lock and the unique indexes of migration 007 back it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from allocation.fixed import OFFICIAL
from allocation.method_params import FixedTableParams
from allocation.money import kr
from allocation.payouts import (
    DECISION,
    REQUISITIONS,
    PayoutList,
    PendingRequisition,
    decision_payouts,
    requisition_payouts,
)
from present.payouts import problems_en, problems_sv, refused_en, refused_sv
from store import db, paid_guard
from store.access import Action
from store.access_rules import by_key, narrowed, reads, writes
from store.bank_details import BankDetails
from store.core import StoreCore, Tx
from store.decisions import Decisions
from store.model import Actor, PaymentRun, RecoveryRecord, WriteRefused
from store.rounds import Rounds


class Payments:
    """Payment details, payout lists and payment runs (the decisions are read from the ``Decisions`` service)."""

    def __init__(self, core: StoreCore, rounds: Rounds, decisions: Decisions, bank_details: BankDetails) -> None:
        self._core = core
        self._rounds = rounds
        self._decisions = decisions
        self._bank_details = bank_details

    # --- payout lists -------------------------------------------------------------------------------

    def _paid_per_code(self, round_id: str) -> dict[str, int]:
        """Per recipient what the round has paid it: payouts less the repayments recovered."""
        rows = self._core.query(
            "SELECT code, sum(amount) FROM (SELECT code, amount FROM payouts WHERE round_id = ? "
            "UNION ALL SELECT code, -amount FROM recoveries WHERE round_id = ?) t GROUP BY code",
            [round_id, round_id],
        )
        return {code: int(total) for code, total in rows if int(total)}

    @narrowed(Action.READ_FOLLOWUP, by_key)
    def paid_per_recipient(self, round_id: str) -> dict[str, int]:
        """Per recipient what the round has paid it so far, net of repayments (0: not listed)."""
        return self._paid_per_code(round_id)

    @reads(Action.READ_TABLES)
    def payout_list(self, round_id: str, decision_id: int | None = None, up_to: date | None = None) -> PayoutList:
        """What to pay now: a decision's rests (``decision_id`` None: the round's current decision), or for a
        fixed-amount round the requisitions received up to ``up_to`` (None: all) and not yet paid."""
        self._rounds.require_round(round_id)
        if self._rounds.block_round(round_id).paid_on_requisition:
            if decision_id is not None:
                raise WriteRefused(
                    "Omgången betalas ut efter rekvisition, inte per beslut; ange ett datum i stället.",
                    f"round {round_id!r} is paid by requisition, not by decision; give a date (up to) instead",
                )
            return self._requisition_list(round_id, up_to)
        return self._decision_list(round_id, decision_id)

    def _decision_list(self, round_id: str, decision_id: int | None) -> PayoutList:
        current = self._decisions.current_decision(round_id)
        if decision_id is None:
            if current is None:
                raise WriteRefused(
                    "Omgången är inte beslutad: det finns ingen utbetalningslista ännu.",
                    f"round {round_id!r} has no decision yet: there is nothing to pay",
                )
            snapshot = current
        else:
            try:
                snapshot = self._decisions.decision_snapshot(decision_id)
            except KeyError:
                snapshot = None
            if snapshot is None or snapshot.round_id != round_id:
                raise WriteRefused(
                    f"Omgången har inget beslut nummer {decision_id}.",
                    f"round {round_id!r} has no decision {decision_id}",
                )
        paid = self._paid_per_code(round_id)
        names = {r.code: r.name for r in self._rounds.regions(self._rounds.latest_population_date())}
        names |= {r.code: r.name for r in snapshot.recipients}
        lines, recoveries = decision_payouts(
            snapshot.totals, names, paid, snapshot.reference, self._bank_details.payment_details()
        )
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
            already_paid=sum(paid.values()),
            recoveries=recoveries,
            decision_id=snapshot.number,
            blocking_sv=tuple(blocking_sv),
            blocking_en=tuple(blocking_en),
        )

    def _requisition_list(self, round_id: str, up_to: date | None) -> PayoutList:
        rows = self._core.query(
            "SELECT q.id, q.code, q.received, q.amount, q.reference FROM requisitions q WHERE q.round_id = ? "
            "AND NOT EXISTS (SELECT 1 FROM payouts p WHERE p.requisition_id = q.id) ORDER BY q.received, q.id",
            [round_id],
        )
        pending = [PendingRequisition(int(i), c, r, int(a), ref) for i, c, r, a, ref in rows]
        considered = [p for p in pending if up_to is None or p.received <= up_to]
        round_ = self._rounds.block_round(round_id)
        maximum = round_.requisition_maximum()
        paid = self._paid_per_code(round_id)
        names = {r.code: r.name for r in self._rounds.regions(self._rounds.latest_population_date())}
        decided = self._decisions.current_decision(round_id)
        reference = decided.reference if decided else round_.dnr
        lines, refused = requisition_payouts(
            considered, maximum, paid, names, reference, self._bank_details.payment_details(), up_to
        )
        blocking_sv, blocking_en, notices = [], [], []
        tables = [b.params for b in round_.blocks if b.on_requisition and isinstance(b.params, FixedTableParams)]
        if not maximum or any(params.basis != OFFICIAL for params in tables):
            blocking_sv.append(
                "Regionernas högsta belopp är uppskattningar; läs in den officiella tabellen innan något betalas ut."
            )
            blocking_en.append("the regions' maximum amounts are estimates: import the official table first")
        (loose,) = self._core.query(
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

    @writes(Action.WRITE_FOLLOWUP)
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
        self._rounds.check_no_example_data()
        self._rounds.require_round(round_id)
        reference = reference.strip()
        if not reference:
            raise WriteRefused("Ange utbetalningens referens.", "a payment reference is required")
        fixed = self._rounds.block_round(round_id).paid_on_requisition
        if fixed and up_to is None:
            up_to = paid_on
        if up_to is not None and up_to > paid_on:
            raise WriteRefused(
                "Rekvisitioner som kommer in efter utbetalningsdagen kan inte betalas ut den dagen.",
                "requisitions received after the payment day cannot be paid on it",
            )
        try:
            with self._core.transaction(actor, reason) as tx:  # locked: the list, its checks and the payment as one
                listed = self.payout_list(round_id, decision_id, up_to if fixed else None)
                en, sv = problems_en(listed), problems_sv(listed)
                if not listed.lines and listed.refused:
                    sv += [f"{r.name}: {refused_sv(r)}" for r in listed.refused]
                    en += [f"{r.name}: {refused_en(r)}" for r in listed.refused]
                if not fixed:
                    snapshot = self._decisions.decision_snapshot(listed.decision_id or 0)
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
                before = paid_guard.paid_per_code(tx, round_id)
                self._check_within(listed)
                run_id = self._write_run(tx, actor, listed, paid_on, reference)
                paid_guard.check_within(
                    tx, round_id, self._rounds.requisition_maximum(round_id), before
                )  # the store's invariant, after the write
                return run_id
        except db.CONSTRAINT_ERRORS:
            raise WriteRefused(
                "En rad på listan är redan utbetald; ingenting registrerades.",
                "a line of the list has been paid already; nothing was recorded",
            ) from None

    def _check_within(self, listed: PayoutList) -> None:
        """Each requisition's line pays exactly what was requisitioned (the limits: ``paid_guard``)."""
        if listed.kind == DECISION:
            return
        requisitioned = dict(
            self._core.query("SELECT id, amount FROM requisitions WHERE round_id = ?", [listed.round_id])
        )
        wrong = [line for line in listed.lines if line.amount != requisitioned.get(line.requisition_id)]
        if wrong:
            raise WriteRefused(
                "En rad på listan betalar inte det rekvirerade beloppet ("
                + ", ".join(f"{line.name}: {kr(line.amount)}" for line in wrong)
                + "); ingenting registrerades.",
                "a line does not pay what was requisitioned: " + ", ".join(line.code for line in wrong),
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

    @reads(Action.READ_TABLES)
    def payment_runs(self, round_id: str) -> list[PaymentRun]:
        """The round's recorded runs, oldest first, with how many lines each paid."""
        rows = self._core.query(
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
        rows = self._core.query(
            "SELECT code, amount, decision_id, requisition_id FROM payouts WHERE run_id = ? ORDER BY code, id", [run_id]
        )
        return [(c, int(a), dec, req) for c, a, dec, req in rows]

    # --- amounts recovered ----------------------------------------------------------------------------

    @writes(Action.WRITE_FOLLOWUP, region="code")
    def record_recovery(
        self, actor: Actor, reason: str, round_id: str, code: str, received_on: date, amount: int, reference: str
    ) -> int:
        """A repayment received from a recipient that was paid more than the decision in force gives it.

        Refused: example data; no reference; an amount that is not positive or is more than is left to recover
        (then nothing is recorded). The same reference for the same recipient is recorded once: a retried
        write returns the id it recorded before."""
        self._rounds.check_no_example_data()
        self._rounds.require_round(round_id)
        self._rounds.check_code(code)
        reference = reference.strip()
        if not reference:
            raise WriteRefused("Ange återbetalningens referens.", "a reference for the repayment is required")
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise WriteRefused("Beloppet ska vara ett helt antal kronor över noll.", "the amount must be > 0 kr")
        with self._core.transaction(actor, reason) as tx:
            done = tx.execute(
                "SELECT id, amount FROM recoveries WHERE round_id = ? AND code = ? AND reference = ?",
                [round_id, code, reference],
            ).fetchone()
            if done is not None:
                if int(done[1]) != amount:
                    raise WriteRefused(
                        f"Referensen {reference} är redan registrerad för regionen med ett annat belopp "
                        f"({kr(int(done[1]))}).",
                        f"reference {reference!r} is already recorded for {code} with another amount",
                    )
                return int(done[0])
            decided = paid_guard.limits(tx, round_id, self._rounds.requisition_maximum(round_id))
            current = self._decisions.current_decision(round_id)
            paid = paid_guard.paid_per_code(tx, round_id).get(code, 0)
            owed = paid - (decided or {}).get(code, 0)
            if current is None or owed < amount:
                raise WriteRefused(
                    f"Det finns {kr(max(owed, 0))} att återkräva från regionen; {kr(amount)} kan inte registreras.",
                    f"{max(owed, 0)} kr is to be recovered from {code}; {amount} kr cannot be recorded",
                )
            (new_id,) = tx.execute(
                "INSERT INTO recoveries (round_id, code, decision_id, received_on, amount, reference, recorded_at, "
                "recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                [round_id, code, current.number, received_on, amount, reference, tx.at, actor.name],
            ).fetchone()  # type: ignore[misc]
            after = {"code": code, "received_on": received_on, "amount": amount, "reference": reference}
            tx.audit(
                "insert", "recoveries", f"{round_id}/{code}/{new_id}", None, after | {"decision": current.reference}
            )
        return int(new_id)

    @reads(Action.READ_TABLES)
    def recoveries(self, round_id: str) -> list[RecoveryRecord]:
        """The repayments recorded for the round, oldest first."""
        rows = self._core.query(
            "SELECT id, round_id, code, decision_id, received_on, amount, reference, recorded_at, recorded_by "
            "FROM recoveries WHERE round_id = ? ORDER BY id",
            [round_id],
        )
        return [
            RecoveryRecord(int(i), r, c, int(d), on, int(a), ref, at, by) for i, r, c, d, on, a, ref, at, by in rows
        ]
