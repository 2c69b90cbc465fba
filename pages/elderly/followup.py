"""Läkare i äldreomsorgen 2023: amounts, requisitions, payouts and reports per region, as of a date."""

from datetime import date

import streamlit as st

from allocation import formats as f
from allocation.fixed import followup
from store.access import Action
from ui.deadlines import cells_as_of
from ui.followup import ROUND, basis_notice, followup_html, record_forms
from ui.imports import official_table_panel
from ui.state import session_or_stop

store = session_or_stop()
as_of: date = st.session_state.get("as_of") or date.today()
fixed = store.fixed_round(ROUND)
st.title("Läkare i äldreomsorgen 2023")
st.caption(
    f"{fixed.title} · {fixed.dnr} · {f.kr(fixed.total)} ({f.kr(fixed.gross)} minus högst "
    f"{f.kr(fixed.agency_costs_max)} för Socialstyrelsens kostnader) · rekvisition senast "
    f"{fixed.requisition_due.isoformat()} · status per {as_of.isoformat()}"
)
amounts = store.fixed_amounts(ROUND)
kind, text = basis_notice(amounts)
(st.warning if kind == "warning" else st.info)(text, icon=":material/info:")

visible = store.visible(Action.READ_FOLLOWUP, ROUND)
regions = [r for r in store.regions(store.latest_population_date()) if visible is None or r.code in visible]
rows = followup(
    regions,
    {c: a for c, (a, _, _) in amounts.items()},
    store.requisitions(ROUND),
    store.payouts(ROUND),
    as_of,
    fixed.requisition_due,
)
m1, m2, m3, m4 = st.columns(4)
m1.metric("Totalt att rekvirera", f.mnkr(sum(r.maximum for r in rows)))
m2.metric("Rekvirerat", f.mnkr(sum(r.requisitioned for r in rows)))
m3.metric("Utbetalt", f.mnkr(sum(r.paid for r in rows)))
left = sum(r.not_requisitioned for r in rows)
m4.metric("Ej rekvirerat", f.mnkr(left))
if as_of > fixed.requisition_due and left:
    st.error(
        f"Sista dag för rekvisition var {fixed.requisition_due.isoformat()}: {f.kr(left)} som inte rekvirerats kan "
        "inte längre betalas ut."
    )

if not store.may(Action.WRITE_FOLLOWUP):
    # Managers and regions read; the forms are not shown (and the service layer refuses the writes).
    st.html(followup_html(rows, cells_as_of(store, as_of), store.ombud_dates()))
    st.stop()
tabs = st.tabs(
    ["Per region", "Registrera händelser", "Officiell tabell"], key="aldre_flik", on_change="rerun", bind="query-params"
)
if tabs[0].open:
    with tabs[0]:
        st.html(followup_html(rows, cells_as_of(store, as_of), store.ombud_dates()))
if tabs[1].open:
    with tabs[1]:
        record_forms(store, {r.code: r.name for r in regions}, as_of)
if tabs[2].open:
    with tabs[2]:
        official_table_panel(store, ROUND, fixed.official_table, fixed.total)
