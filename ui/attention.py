"""The overview's "Behöver uppmärksamhet": one row per region, ranked, with the reason in plain Swedish,
a compact status per round, the money not requisitioned, and two charts.

The ranking is ``allocation.attention.rank_regions`` (pure); the words are ``ui.attention_text``, the table
``ui.attention_table`` and the charts (HTML bars, no Plotly) ``ui.attention_chart``. This module gathers
what they need from the store and shows them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import streamlit as st

from allocation.attention import Level, Unrequisitioned, rank_regions
from allocation.deadlines import URGENT_WITHIN_DAYS, days_sv
from allocation.fixed import followup
from allocation.milestones import RoundMilestones, StatusCell
from store.session import Session
from ui.attention_chart import days_chart, money_chart
from ui.attention_table import attention_table
from ui.attention_text import events_of, headline_sv
from ui.rounds import RoundRef
from ui.text import plain

REQUISITION_EVENT = "requisition"
CHART_KEY = "ov_diagram"


def money_owed(
    store: Session, refs: Sequence[RoundRef], milestones: dict[str, RoundMilestones], as_of: date
) -> list[Unrequisitioned]:
    """Per region and round paid on requisition: what it has not requisitioned as of the date."""
    owed = []
    regions = store.rounds.regions(store.rounds.latest_population_date())
    for ref in refs:
        if not ref.paid_on_requisition or ref.id not in milestones:
            continue
        rounds = milestones[ref.id]
        requisition = next((w.id for w, kind in rounds.windows if kind == REQUISITION_EVENT), None)
        if requisition is None:
            continue
        due = store.rounds.block_round(ref.id).requisition_due
        amounts = store.rounds.fixed_amounts(ref.id)
        rows = followup(
            regions,
            {c: a for c, (a, _, _) in amounts.items()},
            store.followup.requisitions(ref.id),
            store.followup.payouts(ref.id),
            as_of,
            due,
        )
        final = rounds.closed(as_of)
        owed += [
            Unrequisitioned(ref.id, requisition, r.code, max(r.not_requisitioned, 0), r.payable, final) for r in rows
        ]
    return owed


def estimated_rounds(store: Session, refs: Sequence[RoundRef]) -> list[str]:
    """Short titles of the rounds paid on requisition whose amounts per region are still the estimate."""
    out = []
    for ref in refs:
        if ref.paid_on_requisition:
            amounts = store.rounds.fixed_amounts(ref.id)
            if amounts and {basis for _, basis, _ in amounts.values()} != {"official"}:
                out.append(ref.short_title)
    return out


def attention_section(
    store: Session,
    refs: Sequence[RoundRef],
    milestones: dict[str, RoundMilestones],
    cells: Sequence[StatusCell],
    as_of: date,
) -> None:
    """The ranked regions, a chart, and the table (only those needing attention unless asked for all)."""
    st.subheader("Behöver uppmärksamhet")
    order = [r.id for r in refs]
    visible = {c.code for c in cells}
    owed = [m for m in money_owed(store, refs, milestones, as_of) if m.code in visible]
    ranked = rank_regions(cells, owed, order)
    if not ranked:
        st.info("Inga regioner att visa.")
        return
    needing = [r for r in ranked if r.needs_attention]
    if needing:
        st.markdown(
            f"**{headline_sv(ranked)}** Försenade först, sedan närmast sista dag, sedan mest pengar som inte är "
            "rekvirerade."
        )
    else:
        st.success(
            f"Inga tidsfrister är försenade eller nära (inom {days_sv(URGENT_WITHIN_DAYS)}), och inga medel har gått "
            "förlorade i en pågående omgång."
        )
    events = events_of(list(milestones.values()))
    estimated = estimated_rounds(store, refs)
    show_all = st.toggle("Visa alla regioner", key="ov_alla_regioner", value=not needing)
    rows = ranked if show_all else needing
    if rows:
        attention_table(rows, refs, events, any(r.paid_on_requisition for r in refs))
    # One chart at a time, chosen; drawn as HTML bars (no Plotly: the overview is the landing page).
    builders = {"Dagar till sista dag": days_chart, "Ej rekvirerat": money_chart}
    present = [
        label
        for label, has in (
            ("Dagar till sista dag", any(r.level in (Level.OVERDUE, Level.DUE_SOON) for r in ranked)),
            ("Ej rekvirerat", any(r.lapsed or r.not_requisitioned for r in ranked)),
        )
        if has
    ]
    if present:
        if st.session_state.get(CHART_KEY) not in present:
            st.session_state[CHART_KEY] = present[0]
        chosen = st.segmented_control("Diagram", present, key=CHART_KEY) if len(present) > 1 else present[0]
        chart = builders[chosen or present[0]](ranked)
        if chart is not None:
            st.html(chart.html)
    if estimated and any(r.lapsed or r.not_requisitioned for r in ranked):
        st.caption(
            f"Belopp per region i {plain(', '.join(estimated))} är uppskattade efter befolkningsandel tills den "
            "officiella tabellen är importerad. Summorna för hela omgången påverkas inte."
        )
