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

from allocation.money import kr

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
    """A line that is not paid, and why (English and Swedish)."""

    code: str
    name: str
    amount: int
    reason_en: str
    reason_sv: str
    requisition_id: int | None = None


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

    def problems(self) -> tuple[list[str], list[str]]:
        """Why recording this list is refused: (English, Swedish); both empty when it can be recorded."""
        en, sv = list(self.blocking_en), list(self.blocking_sv)
        missing = self.missing_details
        if missing:
            names = ", ".join(line.name for line in missing)
            en.append(f"payment details (organisation number, bankgiro) missing for {names}")
            sv.append(f"Betalningsuppgifter (organisationsnummer, bankgiro) saknas för {names}.")
        if self.lines and self.recoveries:
            names = ", ".join(r.name for r in self.recoveries)
            en.append(
                f"{kr(self.to_recover)} is to be recovered ({names}): paying {kr(self.total)} now would take the "
                f"round above its decision ({kr(self.basis)}); record the repayments first"
            )
            sv.append(
                f"{kr(self.to_recover)} ska återkrävas ({names}). Att betala ut {kr(self.total)} nu skulle ta "
                f"omgången över beslutet i kraft ({kr(self.basis)}); registrera återbetalningarna först."
            )
        if not self.lines:
            en.append("nothing is left to pay on this list")
            sv.append("Det finns inget kvar att betala ut på den här listan.")
        return en, sv

    @property
    def recordable(self) -> bool:
        return not self.problems()[0]


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
            refused.append(
                Refused(
                    item.code,
                    name,
                    item.amount,
                    "the region has no maximum amount in this round",
                    "Regionen har inget högsta belopp i omgången.",
                    item.id,
                )
            )
            continue
        if item.amount > room[item.code]:
            left = max(room[item.code], 0)
            refused.append(
                Refused(
                    item.code,
                    name,
                    item.amount,
                    f"{kr(item.amount)} is above what is left of the region's maximum ({kr(maximum[item.code])}, "
                    f"{kr(left)} left)",
                    f"{kr(item.amount)} överstiger vad som återstår av regionens högsta belopp "
                    f"({kr(maximum[item.code])}, kvar {kr(left)}).",
                    item.id,
                )
            )
            continue
        room[item.code] -= item.amount
        org, bg = _details(details, item.code)
        lines.append(PayoutLine(item.code, name, item.amount, reference, item.reference, item.id, org, bg))
    return tuple(lines), tuple(refused)
