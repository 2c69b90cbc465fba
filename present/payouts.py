"""A payout list's reasons in words: why a requisition is not paid and why a list cannot be recorded.

``allocation.payouts`` says them as values (a code, the amounts in kronor, the recipients' names); the store
adds reasons of its own as text (``PayoutList.blocking_sv`` and ``blocking_en``), listed first.
"""

from __future__ import annotations

from allocation.payouts import (
    ABOVE_MAXIMUM,
    MISSING_DETAILS,
    NO_MAXIMUM,
    NOTHING_TO_PAY,
    RECOVER_FIRST,
    Issue,
    PayoutList,
    Refused,
)
from present import formats as f

__all__ = ["problems_en", "problems_sv", "refused_en", "refused_sv"]


def _kr_en(amount: int) -> str:
    return f"{amount:,} kr"


def refused_sv(refused: Refused) -> str:
    """Why the requisition is not paid, one Swedish sentence."""
    if refused.reason == NO_MAXIMUM:
        return "Regionen har inget högsta belopp i omgången."
    if refused.reason == ABOVE_MAXIMUM:
        return (
            f"{f.kr(refused.amount)} överstiger vad som återstår av regionens högsta belopp "
            f"({f.kr(refused.maximum)}, kvar {f.kr(refused.left)})."
        )
    return "Rekvisitionen kan inte betalas ut."


def refused_en(refused: Refused) -> str:
    if refused.reason == NO_MAXIMUM:
        return "the region has no maximum amount in this round"
    if refused.reason == ABOVE_MAXIMUM:
        return (
            f"{_kr_en(refused.amount)} is above what is left of the region's maximum ({_kr_en(refused.maximum)}, "
            f"{_kr_en(refused.left)} left)"
        )
    return "the requisition cannot be paid"


def _issue_sv(issue: Issue, listed: PayoutList) -> str:
    names = ", ".join(issue.names)
    if issue.code == MISSING_DETAILS:
        return f"Betalningsuppgifter (organisationsnummer, bankgiro) saknas för {names}."
    if issue.code == RECOVER_FIRST:
        return (
            f"{f.kr(listed.to_recover)} ska återkrävas ({names}). Att betala ut {f.kr(listed.total)} nu skulle ta "
            f"omgången över beslutet i kraft ({f.kr(listed.basis)}); registrera återbetalningarna först."
        )
    if issue.code == NOTHING_TO_PAY:
        return "Det finns inget kvar att betala ut på den här listan."
    return "Listan kan inte registreras."


def _issue_en(issue: Issue, listed: PayoutList) -> str:
    names = ", ".join(issue.names)
    if issue.code == MISSING_DETAILS:
        return f"payment details (organisation number, bankgiro) missing for {names}"
    if issue.code == RECOVER_FIRST:
        return (
            f"{f.kr(listed.to_recover)} is to be recovered ({names}): paying {f.kr(listed.total)} now would take "
            f"the round above its decision ({f.kr(listed.basis)}); record the repayments first"
        )
    if issue.code == NOTHING_TO_PAY:
        return "nothing is left to pay on this list"
    return "the list cannot be recorded"


def problems_sv(listed: PayoutList) -> list[str]:
    """Why recording the list is refused, in Swedish; empty when it can be recorded."""
    return [*listed.blocking_sv, *(_issue_sv(i, listed) for i in listed.issues())]


def problems_en(listed: PayoutList) -> list[str]:
    """Why recording the list is refused, in English (the command line); empty when it can be recorded."""
    return [*listed.blocking_en, *(_issue_en(i, listed) for i in listed.issues())]
