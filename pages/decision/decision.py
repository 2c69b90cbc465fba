"""The chosen round's decision: frozen once taken, its documents, its payouts; staff decide, amend and pay."""

import streamlit as st

from store.access import Action, Role
from ui.decision_form import decide_panel, done_message
from ui.decision_region import region_decision
from ui.decision_view import (
    decision_chain,
    decision_summary,
    decision_table,
    documents_panel,
    drift_notice,
    registered_bankgiros,
)
from ui.payments import details_panel, payout_panel
from ui.phone import wrapping_tabs
from ui.rounds import chosen_round
from ui.state import session_or_stop
from ui.text import plain

store = session_or_stop()
ref = chosen_round(store)
st.title(f"{plain(ref.short_title)} – beslut")
done_message()
if store.principal.role is Role.REGION:
    region_decision(store, ref, store.principal.region or "")
    st.stop()

listed = store.decisions.decision_list(ref.id)
current = store.decisions.current_decision(ref.id)
staff = store.may(Action.PUBLISH_DECISION)
names = ["Beslut", "Dokument", "Utbetalning", "Betalningsuppgifter"]
names += ["Ändringsbeslut" if current else "Fatta beslut"] if staff else []
# Lazy tabs: only the open one runs (the drift check recomputes the round).
wrapping_tabs()  # on a phone every tab's name shows whole
tabs = st.tabs(names, key="beslut_flik", on_change="rerun", default=names[0] if current or not staff else names[-1])


def decision_tab() -> None:
    if current is None:
        st.info(
            "Omgången är inte beslutad. Ett beslut låser beräkningen: belopp, underlag och regler sparas som de är "
            "när beslutet fattas." + (" Fatta beslutet under fliken *Fatta beslut*." if staff else ""),
            icon=":material/info:",
        )
        return
    decision_summary(current)
    drift_notice(store, current)
    decision_table(current, ref.short_title, key="decision_table")
    decision_chain(store, ref.id, listed)


def documents_tab() -> None:
    if current is None:
        st.caption("Dokumenten skapas ur ett fattat beslut.")
        return
    documents_panel(current, ref.short_title, bankgiros=registered_bankgiros(store))


panels = [decision_tab, documents_tab, lambda: payout_panel(store, ref), lambda: details_panel(store)]
panels += [lambda: decide_panel(store, ref, current)] if staff else []
for tab, panel in zip(tabs, panels, strict=True):
    if tab.open:
        with tab:
            panel()
