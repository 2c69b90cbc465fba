"""A round card's decision and money: the decision in force (diarienummer, date, published or not), what it
decided, what has been paid, what is left to pay and what is to be recovered — or that the round is not decided,
so that a computed figure is never read as a decided one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

import streamlit as st

from allocation.deadlines import LABELS_SV, Status, StatusResult
from allocation.decision import Snapshot
from allocation.milestones import StatusCell
from present import formats as f
from store.model import AccessDenied, WriteRefused
from store.session import Session
from ui.attention_text import long_date
from ui.text import plain


def settled_by_decision(cells: Sequence[StatusCell], published: Mapping[str, date], as_of: date) -> list[StatusCell]:
    """The cells as they stand once a round's decision is published (on or before ``as_of``): what was still
    missing then is never done (the decision counted what had come in, and froze the round), so an overdue or
    open milestone of that round is "Aldrig", not "Försenad" beside "Beslutad"."""
    out = []
    for cell in cells:
        day = published.get(cell.round_id)
        if day is not None and day <= as_of and cell.result.status in (Status.OVERDUE, Status.OPEN):
            cell = replace(cell, result=StatusResult(Status.MISSED, None, None, LABELS_SV[Status.MISSED]))
        out.append(cell)
    return out


@dataclass(frozen=True, slots=True)
class DecisionMoney:
    """The decision in force and its money, as of now (payments are facts, not a forecast)."""

    snapshot: Snapshot
    paid: int  # net of repayments recovered
    to_pay: int  # what the payout list would pay now
    to_recover: int


def decision_money(store: Session, round_id: str) -> DecisionMoney | None:
    """The decision in force visible to this user and its money; None when the round is not decided."""
    try:
        snapshot = store.decisions.current_decision(round_id)
    except AccessDenied:
        return None
    if snapshot is None:
        return None
    try:
        listed = store.payments.payout_list(round_id)
    except (AccessDenied, WriteRefused):
        listed = None
    if listed is None or listed.kind != "decision":  # paid by requisition: the card shows its own money
        return DecisionMoney(snapshot, 0, 0, 0)
    return DecisionMoney(snapshot, listed.already_paid, listed.total, listed.to_recover)


def decision_text(snapshot: Snapshot, as_of: date) -> str:
    """``Beslut S2023/00678, 1 december 2023 (publicerat)`` — or ``publiceras …`` before that day."""
    published = date.fromisoformat(snapshot.published_on)
    when = "publicerat" if published <= as_of else "ännu inte publicerat"
    kind = "Ändringsbeslut" if snapshot.supersedes_reference else "Beslut"
    return f"{kind} {plain(snapshot.reference)}, {long_date(published)} ({when})"


def decision_section(store: Session, round_id: str, as_of: date, by_decision: bool) -> bool:
    """The card's decision line and, for a round paid on decision, its money; True when the round is decided."""
    money = decision_money(store, round_id)
    if money is None:
        if by_decision:  # a round paid on requisition has its amounts from its table, not from a computation
            st.markdown(":material/pending: **Inte beslutad.** Beloppen är beräknade på inkomna uppgifter.")
        return False
    st.markdown(f":material/gavel: **{decision_text(money.snapshot, as_of)}**")
    if not by_decision:
        return True
    c1, c2 = st.columns(2)
    c1.metric("Beslutat", f.mnkr(money.snapshot.paid))
    c2.metric("Utbetalt", f.mnkr(money.paid))
    c3, c4 = st.columns(2)
    c3.metric("Kvar att betala ut", f.mnkr(money.to_pay))
    if money.to_recover:
        c4.metric("Att återkräva", f.mnkr(money.to_recover))
    return True
