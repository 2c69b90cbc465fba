"""Deciding a round (staff): the check before deciding, the pot chosen and why, and the decision itself —
or, when the round is decided, an amendment (ändringsbeslut) that names the decision it changes."""

from __future__ import annotations

from datetime import date

import streamlit as st

from allocation import decision as d
from present import formats as f
from store.decision_types import BLOCKING, INFO, WARNING, DecisionCheck
from store.model import WriteRefused
from store.session import Session
from ui.rounds import RoundRef
from ui.text import plain

DONE = "decision_done"  # the message shown on the run after a decision was stored


def _pot_choices(store: Session, ref: RoundRef, current: d.Snapshot | None) -> dict[str, str]:
    """One select box per block: the pot options the round's rules give, with their source; an amendment
    starts from the pot of the decision it changes."""
    pots = {}
    round_ = store.block_round(ref.id)
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
    """The check and the form; an amendment when the round already has a decision."""
    amend = current is not None
    if amend:
        st.caption(
            f"Omgången är beslutad ({plain(current.reference)}). En rättelse görs som ett ändringsbeslut: det "
            "nya beslutet beräknas på databasens uppgifter nu, namnger beslutet det ändrar, och det första "
            "beslutet finns kvar att läsa."
        )
    pots = _pot_choices(store, ref, current)
    check = store.decision_check(ref.id, pots or None)
    show_check(check)
    if check.blocking:
        st.info("Åtgärda hindren ovan innan omgången kan beslutas.", icon=":material/info:")
        return
    verb = "Fatta ändringsbeslut" if amend else "Fatta beslut"
    with st.form(f"decide_form_{ref.id}", border=True):
        pot_reason = st.text_input(
            "Skäl för potten",
            key="decide_pot_reason",
            placeholder="t.ex. enligt regleringsbrevet",
            help="Sparas i beslutet tillsammans med den valda potten.",
        )
        c = st.columns(2)
        reference = c[0].text_input("Beslutets diarienummer", key="decide_reference")
        published_on = c[1].date_input("Publiceras", value=date.today(), format="YYYY-MM-DD", key="decide_published_on")
        confirmed = True
        if check.warnings:
            confirmed = st.checkbox("Jag har läst varningarna ovan och beslutar ändå", key="decide_confirm")
        reason = st.text_input("Anledning (skrivs i granskningsloggen)", key="decide_reason")
        submitted = st.form_submit_button(verb, type="primary")
    if not submitted:
        return
    try:
        snapshot = store.decide_round(
            reason,
            ref.id,
            reference,
            published_on,
            pots=pots or None,
            pot_reason=pot_reason,
            supersedes=current.number if current else None,
            confirmed=bool(confirmed),
        )
    except WriteRefused as exc:
        st.error(plain(exc.message_sv), icon=":material/error:")
        return
    kind = "Ändringsbeslutet" if amend else "Beslutet"
    st.session_state[DONE] = f"{kind} {snapshot.reference} är fattat och låst: {f.kr(snapshot.paid)}."
    st.rerun()


def done_message() -> None:
    """The confirmation of the decision just made (it survives the rerun that shows the new decision)."""
    if message := st.session_state.pop(DONE, None):
        st.success(plain(message), icon=":material/gavel:")
        st.toast(plain(message), icon=":material/gavel:")
