"""Tidsfrister: every region × milestone of both rounds, as of the sidebar's date."""

from datetime import date

import streamlit as st

from allocation.deadlines import LABELS_SV, Status
from present.calendar import deadlines_ics
from store.export import frame_to_csv, frame_to_xlsx, store_facts
from ui.deadlines import cells_as_of, cells_frame, closed_notice, matrix_html, rounds
from ui.overview_decision import settled_by_decision
from ui.state import session_or_stop
from ui.text import plain
from ui.timeline_html import timeline_html

store = session_or_stop()
as_of: date = st.session_state.get("as_of") or date.today()
st.title("Tidsfrister")
st.caption(f"Status per {as_of.isoformat()} (välj datum i sidofältet). Sista dagen räknas som i tid.")

round_list = rounds(store)
if notice := closed_notice(round_list, as_of):
    st.info(plain(notice), icon=":material/task_alt:")
timeline = timeline_html(round_list, as_of)
st.markdown(f"**{plain(timeline.title)}**")
if timeline.html:
    st.html(timeline.html)

# A decided round counted what had come in: what is still missing then is never done (as on the overview).
cells = settled_by_decision(
    cells_as_of(store, as_of), {r: day for r, (day, _) in store.decisions.decisions().items()}, as_of
)
shown_codes = {c.code for c in cells}  # the regions whose status this user may see
regions = [r for r in store.rounds.regions(store.rounds.latest_population_date()) if r.code in shown_codes]
f1, f2, f3 = st.columns([2, 1, 1])  # the rounds' names need room
titles = {r.round_id: r.title for r in round_list}
chosen_rounds = f1.multiselect("Omgång", list(titles), default=list(titles), format_func=titles.get, key="dl_rounds")
chosen_regions = f2.multiselect(
    "Region",
    [r.code for r in regions],
    format_func={r.code: r.name for r in regions}.get,
    key="dl_regions",
    placeholder="Alla regioner",
)
statuses = [s for s in Status if s != Status.NOT_APPLICABLE]
chosen_status = f3.multiselect("Status", statuses, format_func=LABELS_SV.get, key="dl_status", placeholder="Alla")
shown = [
    c
    for c in cells
    if c.round_id in chosen_rounds
    and (not chosen_regions or c.code in chosen_regions)
    and (not chosen_status or c.result.status in chosen_status)
]
counts = {s: sum(c.result.status == s for c in shown) for s in statuses}
for column, (s, n) in zip(st.columns(len(statuses)), counts.items(), strict=True):
    column.metric(LABELS_SV[s], n)
if shown:
    st.html(matrix_html(shown))
else:
    st.info("Inga tidsfrister matchar filtren.")

frame = cells_frame(shown)
d1, d2, d3, d4 = st.columns([1, 1, 1.4, 1.6], vertical_alignment="bottom")
d1.download_button(
    "Ladda ned (CSV)",
    lambda: frame_to_csv(frame),
    file_name=f"tidsfrister-{as_of}.csv",
    mime="text/csv",
    on_click="ignore",
    key="dl_csv",
)
d2.download_button(
    "Ladda ned (XLSX)",
    lambda: frame_to_xlsx(frame, [("Per datum", as_of.isoformat()), *store_facts(store)], sheet_name="Tidsfrister"),
    file_name=f"tidsfrister-{as_of}.xlsx",
    on_click="ignore",
    key="dl_xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
calendar_for = d3.selectbox(
    "Kalender för",
    ["alla", *(r.code for r in regions)],
    format_func=lambda c: "Alla regioner" if c == "alla" else f"{c} {next(r.name for r in regions if r.code == c)}",
    key="dl_calendar",
)
region = next((r for r in regions if r.code == calendar_for), None)
d4.download_button(
    "Ladda ned kalender (.ics)",
    lambda: deadlines_ics(round_list, region, cells),
    file_name=f"tidsfrister-{calendar_for}.ics",
    mime="text/calendar",
    on_click="ignore",
    key="dl_ics",
)
