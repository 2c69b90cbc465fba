"""Deciding a round (staff): the check before deciding, the pot chosen and why, and the decision itself in
two steps (ui/decision_review.py) — or, when the round is decided, an amendment (ändringsbeslut) that names
the decision it changes."""

from __future__ import annotations

import streamlit as st

from allocation import decision as d
from present import formats as f
from store.model import BLOCKING, INFO, WARNING, DecisionCheck
from store.session import Session
from ui.decision_review import DONE, REVIEW, confirm_panel, restore_form, review_form
from ui.rounds import RoundRef
from ui.text import plain

__all__ = ["DONE", "decide_panel", "done_message", "show_check"]


def _pot_choices(store: Session, ref: RoundRef, current: d.Snapshot | None, locked: bool = False) -> dict[str, str]:
    """One select box per block: the pot options the round's rules give, with their source; an amendment
    starts from the pot of the decision it changes. ``locked`` while a decision is being reviewed."""
    pots = {}
    round_ = store.rounds.block_round(ref.id)
    for block in round_.blocks:
        options = [o for o in block.pot.options if o.id != "custom"]
        if len(options) < 2:
            continue
        labels = {
            o.id: f"{f.kr(o.amount)} ({o.source.section})" if o.source.section else f.kr(o.amount) for o in options
        }
        ids = list(labels)
        pots[block.id] = st.selectbox(
            "Pott" if len(round_.blocks) == 1 else f"Pott: {plain(block.title)}",
            ids,
            index=ids.index(start) if (start := _pot_of(current, block.id, block.pot.default)) in ids else 0,
            format_func=labels.get,
            key=f"decide_pot_{ref.id}_{block.id}",
            help="Regelfilens pottalternativ med källa; valet och skälet sparas i beslutet.",
            disabled=locked,
        )
    return pots


def _pot_of(current: d.Snapshot | None, block_id: str, default: str) -> str:
    if current is None:
        return default
    try:
        return current.block(block_id).pot_source
    except KeyError:
        return default


def show_check(check: DecisionCheck) -> None:
    st.markdown("**Kontroll före beslut**")
    for item in check.items:
        if item.level == BLOCKING:
            st.error(plain(item.text), icon=":material/block:")
        elif item.level == WARNING:
            st.warning(plain(item.text), icon=":material/warning:")
    infos = [i.text for i in check.items if i.level == INFO]
    if infos:
        st.caption(" ".join(plain(t) for t in infos))
    st.caption(f"Beslutet skulle fördela {f.kr(check.paid)}; ej fördelat {f.kr(check.unallocated)}.")


def decide_panel(store: Session, ref: RoundRef, current: d.Snapshot | None) -> None:
    """The check, then two steps: the form ("Granska beslutet") and a summary to confirm ("Fatta beslutet");
    nothing is written before the confirmation. An amendment when the round already has a decision."""
    amend = current is not None
    if amend:
        st.caption(
            f"Omgången är beslutad ({plain(current.reference)}). En rättelse görs som ett ändringsbeslut: det "
            "nya beslutet beräknas på databasens uppgifter nu, namnger beslutet det ändrar, och det första "
            "beslutet finns kvar att läsa."
        )
    review = st.session_state.get(REVIEW)
    if review is not None and (review.round_id, review.supersedes) != (ref.id, current.number if current else None):
        review = None  # a review of another round, or of a decision no longer in force
    pots = _pot_choices(store, ref, current, locked=review is not None)
    check = store.decisions.decision_check(ref.id, pots or None)
    show_check(check)
    if check.blocking:
        st.session_state.pop(REVIEW, None)
        st.info("Åtgärda hindren ovan innan omgången kan beslutas.", icon=":material/info:")
        return
    if review is not None and (review.pots != check.pots or review.totals != check.totals):
        st.session_state.pop(REVIEW, None)
        restore_form(review)
        st.warning(
            "Uppgifterna har ändrats sedan du granskade beslutet. Granska det igen.", icon=":material/difference:"
        )
        review = None
    if review is None:
        review_form(ref, check, pots, current.number if current else None)
    else:
        confirm_panel(store, ref, review)


def done_message() -> None:
    """The confirmation of the decision just made (it survives the rerun that shows the new decision)."""
    if message := st.session_state.pop(DONE, None):
        st.success(plain(message), icon=":material/gavel:")
        st.toast(plain(message), icon=":material/gavel:")
