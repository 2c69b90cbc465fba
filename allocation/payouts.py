"""Payout lists: what to pay each recipient now, from a decision or from requisitions received.

Pure: amounts in, lines out, whole kronor. Two kinds of list:

- ``decision_payouts`` (a decided round, e.g. AT): per recipient the decision in force's total less what the
  round has already paid it (net of amounts recovered). Positive rests become lines; a recipient already paid
  more than the decision in force gives (an amendment that lowered its amount) is an amount to recover
  (*återkrav*), listed apart and never netted against another recipient. The list reconciles:
  decided − already paid = to pay now − to recover. While an amount to recover is outstanding, paying the
  others' rests would take the round above its decision, so such a list cannot be recorded (``problems``).
- ``requisition_payouts`` (elderly care): the requisitions received up to a day and not yet paid, in the
  order received; a requisition that would take the region's payouts above its maximum is refused with
  the reason, and the next ones are checked against what is left.

Each line carries the recipient's payment details (organisation number, bankgiro) when they are known;
a list with a line whose details are missing says so, and cannot be recorded until they are entered.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

DECISION = "decision"
REQUISITIONS = "requisitions"


@dataclass(frozen=True, slots=True)
class PayoutLine:
    code: str
    name: str
    amount: int  # kronor, > 0
    decision: str  # the decision's reference (diarienummer), or the round's for requisitions
    requisition: str = ""  # the requisition's own reference ("" for a decision's line)
    requisition_id: int | None = None
    org_number: str | None = None  # None: not entered
    bankgiro: str | None = None

    @property
    def complete(self) -> bool:
        return bool(self.org_number and self.bankgiro)

    @property
    def payment_reference(self) -> str:
        """What the payment says to the recipient: the requisition's reference, or the decision's and the code."""
        if self.requisition_id is not None:
            return self.requisition or f"{self.decision} rekvisition {self.requisition_id}"
        return f"{self.decision} {self.code}"


@dataclass(frozen=True, slots=True)
class Refused:
    """A line that is not paid, and why: ``reason`` a code (``NO_MAXIMUM``, ``ABOVE_MAXIMUM``) with the region's
    ``maximum`` and what is ``left`` of it in kronor; ``present.payouts`` words it."""

    code: str
    name: str
    amount: int
    reason: str
    requisition_id: int | None = None
    maximum: int = 0
    left: int = 0


NO_MAXIMUM, ABOVE_MAXIMUM = "no_maximum", "above_maximum"  # why a requisition is not paid
# Why a list cannot be recorded (``PayoutList.issues``), beyond the store's own reasons (``blocking_*``).
MISSING_DETAILS, RECOVER_FIRST, NOTHING_TO_PAY = "missing_details", "recover_first", "nothing_to_pay"


@dataclass(frozen=True, slots=True)
class Issue:
    """Why a list cannot be recorded: a code and the recipients' names it concerns."""

    code: str
    names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Recovery:
    """An amount to recover (återkrav): the recipient was paid more than the decision in force gives it."""

    code: str
    name: str
    amount: int  # kronor, > 0
    decided: int  # what the decision in force gives the recipient
    paid: int  # what the round has paid it, net of amounts already recovered


@dataclass(frozen=True, slots=True)
class PendingRequisition:
    id: int
    code: str
    received: date
    amount: int
    reference: str = ""


@dataclass(frozen=True)
class PayoutList:
    round_id: str
    kind: str  # DECISION or REQUISITIONS
    reference: str  # the decision's reference (or the round's, for requisitions)
    lines: tuple[PayoutLine, ...]
    basis: int  # the decision's total, or the pending requisitions' sum
    already_paid: int  # what the round had paid the list's recipients before this list
    refused: tuple[Refused, ...] = ()
    notices_sv: tuple[str, ...] = ()
    decision_id: int | None = None
    up_to: date | None = None
    blocking_sv: tuple[str, ...] = ()  # why the list cannot be recorded, beyond the lines themselves
    blocking_en: tuple[str, ...] = ()
    recoveries: tuple[Recovery, ...] = ()  # amounts to recover (återkrav), apart from the lines

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def to_recover(self) -> int:
        return sum(r.amount for r in self.recoveries)

    @property
    def fingerprint(self) -> str:
        """Everything the list sends to the bank — per line the recipient, its name, amount, requisition,
        organisation number, bankgiro and payment reference — and the decision and the amounts to recover, as
        a short hash: the list that was shown (and sent to the bank) is the list that is recorded, or nothing is."""
        fields = [
            (
                x.code,
                x.name,
                x.amount,
                x.requisition_id or "",
                x.org_number or "",
                x.bankgiro or "",
                x.payment_reference,
            )
            for x in self.lines
        ]
        owed = [(r.code, r.amount) for r in self.recoveries]
        text = repr((self.kind, self.decision_id or "", self.reference, sorted(fields), sorted(owed)))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @property
    def missing_details(self) -> tuple[PayoutLine, ...]:
        return tuple(line for line in self.lines if not line.complete)

    def issues(self) -> tuple[Issue, ...]:
        """Why recording this list is refused, beyond ``blocking_*``; empty when it can be recorded
        (``present.payouts.problems_sv`` words them with the list's amounts)."""
        found = []
        missing = self.missing_details
        if missing:
            found.append(Issue(MISSING_DETAILS, tuple(line.name for line in missing)))
        if self.lines and self.recoveries:
            found.append(Issue(RECOVER_FIRST, tuple(r.name for r in self.recoveries)))
        if not self.lines:
            found.append(Issue(NOTHING_TO_PAY))
        return tuple(found)

    @property
    def recordable(self) -> bool:
        return not self.blocking_en and not self.blocking_sv and not self.issues()


def _details(details: Mapping[str, tuple[str, str]], code: str) -> tuple[str | None, str | None]:
    found = details.get(code)
    return (found[0], found[1]) if found else (None, None)


def decision_payouts(
    totals: Mapping[str, int],
    names: Mapping[str, str],
    paid: Mapping[str, int],
    reference: str,
    details: Mapping[str, tuple[str, str]],
) -> tuple[tuple[PayoutLine, ...], tuple[Recovery, ...]]:
    """Per recipient (in code order) ``totals - paid``: a line when positive, an amount to recover when negative.

    A recipient paid but absent from ``totals`` is decided 0. Σ lines − Σ recoveries = Σ totals − Σ paid."""
    lines, recoveries = [], []
    for code in sorted(set(totals) | {c for c, amount in paid.items() if amount}):
        decided, before = totals.get(code, 0), paid.get(code, 0)
        rest = decided - before
        name = names.get(code, code)
        if rest > 0:
            org, bg = _details(details, code)
            lines.append(PayoutLine(code, name, rest, reference, org_number=org, bankgiro=bg))
        elif rest < 0:
            recoveries.append(Recovery(code, name, -rest, decided, before))
    return tuple(lines), tuple(recoveries)


def requisition_payouts(
    pending: Sequence[PendingRequisition],
    maximum: Mapping[str, int],
    paid: Mapping[str, int],
    names: Mapping[str, str],
    reference: str,
    details: Mapping[str, tuple[str, str]],
    up_to: date | None = None,
) -> tuple[tuple[PayoutLine, ...], tuple[Refused, ...]]:
    """The pending requisitions received up to ``up_to`` (all if None), in order, each within the region's maximum.

    ``paid``: what the round has paid each region so far. A requisition that would take a region above its
    maximum is refused (whole, never cut) with the reason; one of a region without a maximum, too.
    """
    room = {code: maximum[code] - paid.get(code, 0) for code in maximum}
    lines, refused = [], []
    for item in sorted(pending, key=lambda r: (r.received, r.id)):
        if up_to is not None and item.received > up_to:
            continue
        if item.amount <= 0:
            continue
        name = names.get(item.code, item.code)
        if item.code not in room:
            refused.append(Refused(item.code, name, item.amount, NO_MAXIMUM, item.id))
            continue
        if item.amount > room[item.code]:
            left = max(room[item.code], 0)
            refused.append(Refused(item.code, name, item.amount, ABOVE_MAXIMUM, item.id, maximum[item.code], left))
            continue
        room[item.code] -= item.amount
        org, bg = _details(details, item.code)
        lines.append(PayoutLine(item.code, name, item.amount, reference, item.reference, item.id, org, bg))
    return tuple(lines), tuple(refused)
