"""Saving a scenario from a page: a small form, audited through the store."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from allocation.at import RegionInput
from allocation.rules import AtParams, AtRound
from store.model import WriteRefused
from store.session import Session
from ui.text import plain

NO_SCENARIO = "(inget)"
PENDING = "pending_scenario"


def scenario_selector(store: Session, round_id: str) -> None:
    """The sidebar's active scenario of the chosen round, bound to the URL: ``?scenario=Name`` reopens it."""
    if PENDING in st.session_state:  # a scenario just saved becomes the active one
        st.session_state["scenario"] = st.session_state.pop(PENDING)
    names = [NO_SCENARIO, *store.scenario_names(round_id)]
    if st.session_state.get("scenario") not in names:  # a scenario of another round, or one since deleted
        st.session_state.pop("scenario", None)
    st.selectbox(
        "Aktivt scenario",
        names,
        key="scenario",
        bind="query-params",
        help="Öppnar ett sparat scenario i simuleringen. Adressen kan delas med kolleger.",
    )


COMPARISON_KEYS = ("compare_base", "compare_other")


def save_scenario_form(
    store: Session,
    at_round: AtRound,
    params: AtParams,
    inputs: Sequence[RegionInput],
    blocked_sv: str | None = None,
) -> None:
    """The form stays on the page; with ``blocked_sv`` (why it cannot save now) its button is disabled."""
    with st.form("save_scenario", clear_on_submit=False, border=True):
        name = st.text_input("Namn på scenariot", key="scenario_name")
        note = st.text_area("Anteckning (valfri)", key="scenario_note", height=68)
        overwrite = st.checkbox("Skriv över ett scenario med samma namn", key="scenario_overwrite")
        if blocked_sv:
            st.caption(plain(blocked_sv))
        submitted = st.form_submit_button("Spara scenario", type="primary", disabled=blocked_sv is not None)
    if not submitted or blocked_sv:
        return
    if not store.principal.name:
        st.error("Ange ditt namn i sidofältet innan du sparar: det skrivs i granskningsloggen.")
        return
    try:
        scenario = store.save_scenario(
            "Sparat från fördelningssidan", name, at_round.id, params, list(inputs), note, overwrite
        )
    except WriteRefused as exc:
        st.error(plain(exc.message_sv))
        return
    st.session_state[PENDING] = scenario.name
    st.session_state["sim_applied_scenario"] = scenario.name  # its values are already on screen
    for key in COMPARISON_KEYS:  # the comparison opens anew: the baseline against the scenario just saved
        st.session_state.pop(key, None)
    st.toast(f"Scenariot ”{plain(scenario.name)}” sparades ({scenario.created:%Y-%m-%d %H:%M}).")
    st.rerun()
