"""The manager's overview: one card per round, for any round in the store, by the round's kind."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import streamlit as st

from allocation.at import allocate
from allocation.block_convert import at_values, recipients_from_regions
from allocation.block_engine import allocate_round
from allocation.deadlines import Status
from allocation.fixed import followup
from allocation.milestones import PHASE_SV, Phase, RoundMilestones, StatusCell
from present import formats as f
from store.session import Session
from ui.blocks import missing_keys, report_events
from ui.followup import basis_notice
from ui.rounds import RoundRef

PHASE_ICONS = {
    Phase.UPCOMING: ":material/schedule:",
    Phase.OPEN: ":material/edit_calendar:",
    Phase.REVIEW: ":material/fact_check:",
    Phase.DECIDED: ":material/gavel:",
    Phase.CLOSED: ":material/task_alt:",
}
DONE = (Status.DONE_ON_TIME, Status.DONE_LATE)


def phase_of(store: Session, milestones: RoundMilestones, as_of: date) -> Phase:
    decided = store.decisions().get(milestones.round_id)
    return milestones.phase(as_of, decided[0] if decided else None)


def phase_text(phase: Phase, milestones: RoundMilestones) -> str:
    text = PHASE_SV[phase]
    if phase is Phase.UPCOMING and milestones.opens:
        return f"{text} (öppnar {milestones.opens.isoformat()})"
    if phase is Phase.CLOSED and milestones.ends_on:
        return f"{text} (sista tidsfrist {milestones.ends_on.isoformat()})"
    return text


def _count(cells: Sequence[StatusCell], milestone_kind: str) -> tuple[int, int]:
    """(done, all) among the regions' cells of one event kind's milestone."""
    mine = [c for c in cells if c.milestone_id == milestone_kind]
    return sum(c.result.status in DONE for c in mine), len(mine)


def performance_card(store: Session, ref: RoundRef, n_regions: int) -> None:
    at_round = store.at_round(ref.id)
    reports = store.at_reports(ref.id)
    allocation = allocate(at_round, reports, at_round.default_params())
    a1, a2 = st.columns(2)
    a1.metric("Pott", f.mnkr(allocation.pot))
    a2.metric("Rapporter inkomna", f"{len(reports)} av {n_regions}")
    a3, a4 = st.columns(2)
    a3.metric("Kvalificerade", f"{sum(r.qualifies for r in allocation.regions)} av {len(allocation.regions)}")
    a4.metric("Beräknat att betala ut", f.mnkr(allocation.paid))
    st.caption(
        f"Beräknat med anvisningens regler på inkomna rapporter (ej fördelat: {f.mnkr(allocation.unallocated)}); "
        "regioner utan rapport räknas med utfall 0."
    )


def blocks_card(store: Session, ref: RoundRef, n_regions: int) -> None:
    """A round of blocks: its pot, what its rules would pay on the reports received so far, per block."""
    round_ = store.block_round(ref.id)
    reports = store.at_reports(ref.id)
    events = {e: store.report_dates(ref.id) for e in report_events(round_)}
    recipients = recipients_from_regions(store.regions(round_.population_date))
    values = at_values(reports)
    if missing := missing_keys(round_, values):  # type: ignore[arg-type]
        st.metric("Rapporter inkomna", f"{len(reports)} av {n_regions}")
        st.caption(f"Beloppen beräknas när värdena för {', '.join(missing)} finns (se Simulering).")
        return
    result = allocate_round(round_, recipients, values, events)
    a1, a2 = st.columns(2)
    a1.metric("Pott", f.mnkr(result.pot))
    a2.metric("Rapporter inkomna", f"{len(reports)} av {n_regions}")
    a3, a4 = st.columns(2)
    a3.metric("Block", f.count(len(result.blocks)))
    a4.metric("Beräknat att betala ut", f.mnkr(result.paid))
    per_block = "; ".join(f"{b.title}: {f.mnkr(b.paid)}" for b in result.blocks)
    illustrative = " Illustrativ omgång: beloppen är exempel." if round_.illustrative else ""
    st.caption(f"Beräknat på inkomna rapporter: {per_block}.{illustrative}")


def fixed_card(store: Session, ref: RoundRef, as_of: date, cells: Sequence[StatusCell]) -> None:
    fixed = store.fixed_round(ref.id)
    amounts = store.fixed_amounts(ref.id)
    rows = followup(
        store.regions(store.latest_population_date()),
        {c: a for c, (a, _, _) in amounts.items()},
        store.requisitions(ref.id),
        store.payouts(ref.id),
        as_of,
        fixed.requisition_due,
    )
    e1, e2 = st.columns(2)
    e1.metric("Att rekvirera", f.mnkr(sum(r.maximum for r in rows)))
    e2.metric("Rekvirerat", f.mnkr(sum(r.requisitioned for r in rows)))
    e3, e4 = st.columns(2)
    e3.metric("Utbetalt", f.mnkr(sum(r.paid for r in rows)))
    done, total = _count(cells, "usage_report")
    e4.metric("Återrapporter inkomna", f"{done} av {total}")
    kind, text = basis_notice(amounts)
    left = sum(r.not_requisitioned for r in rows)
    lapsed = " (kan inte längre betalas ut)" if as_of > fixed.requisition_due and left else ""
    st.caption(f"Ej rekvirerat: {f.mnkr(left)}{lapsed}. " + ("⚠ " if kind == "warning" else "") + text)
