"""Saving a scenario from a page: a small form, audited through the store."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from allocation.at import RegionInput
from allocation.rules import AtParams, AtRound
from store.service import Store, WriteRefused
from ui.state import current_actor


def save_scenario_form(store: Store, at_round: AtRound, params: AtParams, inputs: Sequence[RegionInput]) -> None:
    with st.form("save_scenario", clear_on_submit=False, border=True):
        name = st.text_input("Namn på scenariot", key="scenario_name")
        note = st.text_area("Anteckning (valfri)", key="scenario_note", height=68)
        overwrite = st.checkbox("Skriv över ett scenario med samma namn", key="scenario_overwrite")
        submitted = st.form_submit_button("Spara scenario", type="primary")
    if not submitted:
        return
    actor = current_actor()
    if actor is None:
        st.error("Ange ditt namn i sidofältet innan du sparar: det skrivs i granskningsloggen.")
        return
    try:
        scenario = store.save_scenario(
            actor, "Sparat från fördelningssidan", name, at_round.id, params, list(inputs), note, overwrite
        )
    except WriteRefused as exc:
        st.error(exc.message_sv)
        return
    st.success(f"Scenariot ”{scenario.name}” sparades ({scenario.created:%Y-%m-%d %H:%M}).")
