"""Översikt for managers: every round at a glance as of the sidebar's date. It reads; it never edits."""

from datetime import date

import streamlit as st

from allocation.deadlines import LABELS_SV, Status
from ui.attention import attention_section
from ui.deadlines import cells_as_of, closed_notice, rounds
from ui.overview import PHASE_ICONS, phase_of, phase_text, round_card
from ui.overview_decision import decision_section, settled_by_decision
from ui.rounds import ROUND_KEY, round_refs
from ui.state import session_or_stop
from ui.text import plain

store = session_or_stop()
as_of: date = st.session_state.get("as_of") or date.today()
st.title("Översikt")
# Illustrative test rounds (made-up figures) join the manager's view only when chosen in the sidebar.
refs = [r for r in round_refs(store) if not r.illustrative or r.id == st.session_state.get(ROUND_KEY)]
st.caption(f"{len(refs)} bidragsomgångar per {as_of.isoformat()} (välj datum i sidofältet).")
milestones = {m.round_id: m for m in rounds(store, [r.id for r in refs])}
if notice := closed_notice(list(milestones.values()), as_of):
    st.info(plain(notice), icon=":material/task_alt:")

# Only the rounds shown: an illustrative round not chosen adds no status, reason or count.
cells = [c for c in cells_as_of(store, as_of) if c.round_id in milestones]
# A decided round counted what had come in: what is still missing then is never done, not overdue.
cells = settled_by_decision(cells, {r: day for r, (day, _) in store.decisions.decisions().items()}, as_of)
n_regions = len(store.rounds.regions(store.rounds.latest_population_date()))


def open_round(round_id: str) -> None:
    st.session_state[ROUND_KEY] = round_id


for pair in range(0, len(refs), 2):
    for column, ref in zip(st.columns(2, gap="large"), refs[pair : pair + 2], strict=False):
        with column, st.container(border=True):
            phase = phase_of(store, milestones[ref.id], as_of)
            st.subheader(plain(ref.short_title))
            st.markdown(f"{PHASE_ICONS[phase]} **{phase_text(phase, milestones[ref.id])}** · {ref.summary_sv}")
            mine = [c for c in cells if c.round_id == ref.id]
            decided = decision_section(store, ref.id, as_of, by_decision=not ref.paid_on_requisition)
            round_card(store, ref, n_regions, milestones[ref.id], mine, as_of, decided)
            if ref.paid_on_requisition:
                target, label, icon = "pages/elderly/followup.py", "Till uppföljningen", ":material/elderly:"
            else:
                target, label, icon = "pages/at/simulator.py", "Till simuleringen", ":material/stairs:"
            if st.button(label, icon=icon, key=f"open_{ref.id}", on_click=open_round, args=(ref.id,)):
                st.switch_page(target)

attention_section(store, refs, milestones, cells, as_of)

st.subheader("Tidsfrister")
statuses = [Status.OVERDUE, Status.OPEN, Status.DONE_LATE, Status.DONE_ON_TIME, Status.MISSED, Status.NOT_YET_OPEN]
for column, s in zip(st.columns(len(statuses)), statuses, strict=True):
    column.metric(LABELS_SV[s], sum(c.result.status == s for c in cells))
st.page_link("pages/deadlines/status.py", label="Alla tidsfrister", icon=":material/event:")
