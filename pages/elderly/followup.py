"""Follow-up of the chosen round as of a date: for a round paid on requisition (its blocks say so) the
requisitions, payouts and reports per region; for any other round each region's report and its deadline."""

from datetime import date

import streamlit as st

from allocation.fixed import followup
from present import formats as f
from store.access import Action
from ui.confirmations import confirmation_panel
from ui.deadlines import cells_as_of
from ui.followup import basis_notice, followup_html, record_forms, reports_followup
from ui.imports import official_table_panel
from ui.phone import wrapping_tabs
from ui.rounds import chosen_round
from ui.state import session_or_stop
from ui.text import plain

store = session_or_stop()
as_of: date = st.session_state.get("as_of") or date.today()
ref = chosen_round(store)
round_id = ref.id
st.title(f"{plain(ref.short_title)} – uppföljning")
round_ = store.rounds.block_round(round_id)
due = round_.requisition_due
if not round_.paid_on_requisition or due is None:
    st.caption(f"{plain(ref.title)} · {plain(ref.dnr)} · status per {as_of.isoformat()}")
    reports_followup(store, round_id, cells_as_of(store, as_of, [round_id]))
    st.stop()
costs = round_.agency_costs
gross = f" ({f.kr(costs.gross)} minus högst {f.kr(costs.at_most)} för Socialstyrelsens kostnader)" if costs else ""
st.caption(
    f"{plain(round_.title)} · {plain(round_.dnr)} · {f.kr(round_.pot)}{gross} · rekvisition senast "
    f"{due.isoformat()} · status per {as_of.isoformat()}"
)
amounts = store.rounds.fixed_amounts(round_id)
kind, text = basis_notice(amounts)
(st.warning if kind == "warning" else st.info)(text, icon=":material/info:")

visible = store.visible(Action.READ_FOLLOWUP, round_id)
regions = [
    r for r in store.rounds.regions(store.rounds.latest_population_date()) if visible is None or r.code in visible
]
rows = followup(
    regions,
    {c: a for c, (a, _, _) in amounts.items()},
    store.followup.requisitions(round_id),
    store.followup.payouts(round_id),
    as_of,
    due,
)
m1, m2, m3, m4 = st.columns(4)
m1.metric("Totalt att rekvirera", f.mnkr(sum(r.maximum for r in rows)))
m2.metric("Rekvirerat", f.mnkr(sum(r.requisitioned for r in rows)))
m3.metric("Utbetalt", f.mnkr(sum(r.paid for r in rows)))
left = sum(r.not_requisitioned for r in rows)
m4.metric("Ej rekvirerat", f.mnkr(left))
if as_of > due and left:
    st.error(
        f"Sista dag för rekvisition var {due.isoformat()}: {f.kr(left)} som inte rekvirerats kan "
        "inte längre betalas ut."
    )

if not store.may(Action.WRITE_FOLLOWUP):
    # Managers and regions read; the forms are not shown (and the service layer refuses the writes).
    st.html(followup_html(rows, cells_as_of(store, as_of, [round_id]), store.followup.ombud_dates()))
    st.stop()
wrapping_tabs()  # on a phone every tab's name shows whole
tabs = st.tabs(
    ["Per region", "Registrera händelser", "Officiell tabell", "Bekräftelser"],
    key="aldre_flik",
    on_change="rerun",
    bind="query-params",
)
if tabs[0].open:
    with tabs[0]:
        st.html(followup_html(rows, cells_as_of(store, as_of, [round_id]), store.followup.ombud_dates()))
if tabs[1].open:
    with tabs[1]:
        record_forms(store, round_id, {r.code: r.name for r in regions}, as_of)
if tabs[2].open:
    with tabs[2]:
        sources = [b.table_source.section for b in round_.blocks if b.on_requisition and b.table_source]
        official_table_panel(store, round_id, "; ".join(sources) or plain(round_.title), round_.pot)
if tabs[3].open:
    with tabs[3]:
        confirmation_panel(store, round_id, ref.short_title, round_, {r.code: r.name for r in regions})
