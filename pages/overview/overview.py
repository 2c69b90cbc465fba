"""Översikt for managers: both rounds at a glance as of the sidebar's date. It reads; it never edits."""

from datetime import date

import streamlit as st

from allocation import formats as f
from allocation.at import allocate
from allocation.deadlines import LABELS_SV, Status
from allocation.fixed import followup
from allocation.milestones import needs_attention
from ui.deadlines import cells_as_of, cells_frame, closed_notice, rounds
from ui.followup import ROUND as ELDERLY
from ui.followup import basis_notice
from ui.state import session_or_stop
from ui.text import plain

store = session_or_stop()
as_of: date = st.session_state.get("as_of") or date.today()
st.title("Översikt")
st.caption(f"Båda bidragsomgångarna per {as_of.isoformat()} (välj datum i sidofältet).")
if notice := closed_notice(rounds(store), as_of):
    st.info(plain(notice), icon=":material/task_alt:")

cells = cells_as_of(store, as_of)
at_round = store.at_round("at-2023")
reports = store.at_reports(at_round.id)
allocation = allocate(at_round, reports, at_round.default_params())
fixed = store.fixed_round(ELDERLY)
amounts = store.fixed_amounts(ELDERLY)
regions = store.regions(store.latest_population_date())
rows = followup(
    regions,
    {c: a for c, (a, _, _) in amounts.items()},
    store.requisitions(ELDERLY),
    store.payouts(ELDERLY),
    as_of,
    fixed.requisition_due,
)

at_col, elderly_col = st.columns(2, gap="large")
with at_col, st.container(border=True):
    st.subheader("AT-tjänster 2023")
    a1, a2 = st.columns(2)
    a1.metric("Pott", f.mnkr(allocation.pot))
    a2.metric("Rapporter inkomna", f"{len(reports)} av 21")
    a3, a4 = st.columns(2)
    a3.metric("Kvalificerade", f"{sum(r.qualifies for r in allocation.regions)} av 21")
    a4.metric("Beräknat att betala ut", f.mnkr(allocation.paid))
    st.caption(
        f"Beräknat med anvisningens regler på inkomna rapporter (ej fördelat: {f.mnkr(allocation.unallocated)}); "
        "regioner utan rapport räknas med utfall 0."
    )
    st.page_link("pages/at/simulator.py", label="Till simuleringen", icon=":material/stairs:")
with elderly_col, st.container(border=True):
    st.subheader("Läkare i äldreomsorgen 2023")
    e1, e2 = st.columns(2)
    e1.metric("Att rekvirera", f.mnkr(sum(r.maximum for r in rows)))
    e2.metric("Rekvirerat", f.mnkr(sum(r.requisitioned for r in rows)))
    e3, e4 = st.columns(2)
    e3.metric("Utbetalt", f.mnkr(sum(r.paid for r in rows)))
    done = (Status.DONE_ON_TIME, Status.DONE_LATE)
    missing = sum(c.milestone_id == "usage_report" and c.result.status not in done for c in cells)
    e4.metric("Återrapporter saknas", f"{missing} av 21")
    kind, text = basis_notice(amounts)
    st.caption(
        f"Ej rekvirerat: {f.mnkr(sum(r.not_requisitioned for r in rows))}. "
        + ("⚠ " if kind == "warning" else "")
        + text
    )
    st.page_link("pages/elderly/followup.py", label="Till uppföljningen", icon=":material/elderly:")

st.subheader("Tidsfrister")
statuses = [Status.OVERDUE, Status.OPEN, Status.DONE_LATE, Status.DONE_ON_TIME, Status.MISSED, Status.NOT_YET_OPEN]
for column, s in zip(st.columns(len(statuses)), statuses, strict=True):
    column.metric(LABELS_SV[s], sum(c.result.status == s for c in cells))
urgent = needs_attention(cells)
if urgent:
    st.markdown(f"**Behöver uppmärksamhet** ({len(urgent)}): försenade, eller öppna med högst 14 dagar kvar.")
    frame = cells_frame(urgent)[["region", "omgång", "milstolpe", "senast", "beskrivning"]]
    st.dataframe(frame.rename(columns=str.capitalize), hide_index=True, width="stretch")
else:
    st.success("Inga tidsfrister är försenade eller nära.")
st.page_link("pages/deadlines/status.py", label="Alla tidsfrister", icon=":material/event:")
