"""The manager's overview: one card per round, for any round in the store, by the round's kind."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from allocation.block_convert import recipients_from_regions
from allocation.block_engine import allocate_round
from allocation.deadlines import Status, opens_on
from allocation.fixed import followup
from allocation.milestones import PHASE_SV, Phase, RoundMilestones, StatusCell
from allocation.report_values import Report, engine_values
from present import formats as f
from present.eligibility import key_sv
from store.session import Session
from ui.attention_text import long_date
from ui.blocks import missing_keys, report_events
from ui.rounds import RoundRef
from ui.text import plain

PHASE_ICONS = {
    Phase.UPCOMING: ":material/schedule:",
    Phase.OPEN: ":material/edit_calendar:",
    Phase.REVIEW: ":material/fact_check:",
    Phase.DECIDED: ":material/gavel:",
    Phase.CLOSED: ":material/task_alt:",
}
DONE = (Status.DONE_ON_TIME, Status.DONE_LATE)


def phase_of(store: Session, milestones: RoundMilestones, as_of: date) -> Phase:
    decided = store.decisions.decisions().get(milestones.round_id)
    return milestones.phase(as_of, decided[0] if decided else None)


def phase_text(phase: Phase, milestones: RoundMilestones) -> str:
    text = PHASE_SV[phase]
    if phase is Phase.UPCOMING and milestones.opens:
        return f"{text} (öppnar {milestones.opens.isoformat()})"
    if phase is Phase.CLOSED and milestones.ends_on:
        return f"{text} (sista tidsfrist {milestones.ends_on.isoformat()})"
    return text


def _event_cells(milestones: RoundMilestones | None, cells: Sequence[StatusCell], event: str) -> list[StatusCell]:
    """The regions' cells of the round's milestone that the event kind marks done (rules files' ``event``)."""
    ids = {w.id for w, kind in milestones.windows if kind == event} if milestones else {event}
    return [c for c in cells if c.milestone_id in ids]


def _count(cells: Sequence[StatusCell]) -> tuple[int, int]:
    """(done, all) among the regions' cells of one milestone."""
    return sum(c.result.status in DONE for c in cells), len(cells)


def due_delta(milestones: RoundMilestones | None, cells: Sequence[StatusCell]) -> tuple[str, str] | None:
    """A metric's delta for a milestone's count: (text, colour). What is not due yet reads as a date in grey,
    never as a problem; only what is past its last day and not done is red."""
    if not cells:
        return None
    statuses = [c.result.status for c in cells]
    overdue = statuses.count(Status.OVERDUE)
    if overdue:
        return f"{overdue} försenade", "red"
    if all(s is Status.NOT_YET_OPEN for s in statuses):
        window = next((w for w, _ in milestones.windows if w.id == cells[0].milestone_id), None) if milestones else None
        opening = opens_on(window) if window else None
        return (f"öppnar {long_date(opening)}", "gray") if opening else ("inte öppnad än", "gray")
    if missed := statuses.count(Status.MISSED):
        return f"{missed} kom aldrig in", "gray"
    if Status.OPEN in statuses and cells[0].due:
        return f"sista dag {long_date(cells[0].due)}", "gray"
    return None


def _metric(column: DeltaGenerator, label: str, value: str, delta: tuple[str, str] | None) -> None:
    if delta is None:
        column.metric(label, value)
    else:
        column.metric(label, value, delta[0], delta_color=delta[1], delta_arrow="off")  # type: ignore[arg-type]


def received_by(store: Session, round_id: str, as_of: date | None) -> tuple[list[Report], dict[str, date]]:
    """The reports a round had received as of the date (all when no date is given), and their dates."""
    dates = store.reports.report_dates(round_id)
    reports = store.reports.reports(round_id)
    if as_of is None:
        return reports, dates
    dates = {code: day for code, day in dates.items() if day <= as_of}
    return [r for r in reports if r.code in dates], dates


def round_card(
    store: Session,
    ref: RoundRef,
    n_regions: int,
    milestones: RoundMilestones | None,
    cells: Sequence[StatusCell],
    as_of: date,
    decided: bool = False,
) -> None:
    """One card for every round, showing what its blocks imply: requisitioned and paid for blocks paid on
    requisition; reports received and what the rules would pay on them for blocks paid by decision."""
    if ref.paid_on_requisition:
        requisition_card(store, ref, as_of, cells, milestones)
    else:
        blocks_card(store, ref, n_regions, milestones, cells, as_of, decided)


def blocks_card(
    store: Session,
    ref: RoundRef,
    n_regions: int,
    milestones: RoundMilestones | None = None,
    cells: Sequence[StatusCell] = (),
    as_of: date | None = None,
    decided: bool = False,
) -> None:
    """A round paid by decision: its pot, what its rules would pay on the reports received so far, per block."""
    round_ = store.rounds.block_round(ref.id)
    reports, dates = received_by(store, ref.id, as_of)
    events = {e: dates for e in report_events(round_)}
    recipients = recipients_from_regions(store.rounds.regions(round_.population_date))
    values = engine_values(reports)
    received = f"{len(reports)} av {n_regions}"
    delta = due_delta(milestones, _event_cells(milestones, cells, "at_report"))
    if missing := missing_keys(round_, values):  # type: ignore[arg-type]
        _metric(st.container(), "Rapporter inkomna", received, delta)
        names = ", ".join(key_sv(k) for k in missing)
        st.caption(f"Beloppen beräknas när värdena för {plain(names)} finns (se Simulering).")
        return
    result = allocate_round(round_, recipients, values, events)
    a1, a2 = st.columns(2)
    a1.metric("Pott", f.mnkr(result.pot))
    _metric(a2, "Rapporter inkomna", received, delta)
    a3, a4 = st.columns(2)
    steps = [b.parts["step"] for b in result.blocks if "step" in b.parts]  # a staircase: who reached a step
    if steps:
        qualifying = {code for step in steps for code, amount in step.items() if amount > 0}
        a3.metric("Kvalificerade", f"{len(qualifying)} av {len(result.codes)}")
    else:
        a3.metric("Block", f.count(len(result.blocks)))
    if decided:
        return
    a4.metric("Beräknat att betala ut", f.mnkr(result.paid))
    illustrative = " Illustrativ omgång: beloppen är exempel." if round_.illustrative else ""
    if len(result.blocks) == 1:
        st.caption(
            f"Beräknat med reglerna på inkomna rapporter (ej fördelat: {f.mnkr(result.unallocated)}); regioner "
            f"utan rapport räknas med utfall 0.{illustrative}"
        )
        return
    per_block = "; ".join(f"{plain(b.title)}: {f.mnkr(b.paid)}" for b in result.blocks)
    st.caption(f"Beräknat på inkomna rapporter: {per_block}.{illustrative}")


def requisition_card(
    store: Session, ref: RoundRef, as_of: date, cells: Sequence[StatusCell], milestones: RoundMilestones | None = None
) -> None:
    """A round paid on requisition: to requisition, requisitioned, paid, not requisitioned, reports on use."""
    due = store.rounds.block_round(ref.id).requisition_due or as_of
    amounts = store.rounds.fixed_amounts(ref.id)
    rows = followup(
        store.rounds.regions(store.rounds.latest_population_date()),
        {c: a for c, (a, _, _) in amounts.items()},
        store.followup.requisitions(ref.id),
        store.followup.payouts(ref.id),
        as_of,
        due,
    )
    e1, e2 = st.columns(2)
    e1.metric("Att rekvirera", f.mnkr(sum(r.maximum for r in rows)))
    e2.metric("Rekvirerat", f.mnkr(sum(r.requisitioned for r in rows)))
    e3, e4 = st.columns(2)
    e3.metric("Utbetalt", f.mnkr(sum(r.paid for r in rows)))
    left = sum(r.not_requisitioned for r in rows)
    if not left:
        lost = None
    elif as_of > due:
        lost = ("kan inte längre betalas ut", "red")
    else:
        lost = (f"sista dag {long_date(due)}", "gray")
    _metric(e4, "Ej rekvirerat", f.mnkr(left), lost)
    reports = _event_cells(milestones, cells, "usage_report")
    done, total = _count(reports)
    e5, _ = st.columns(2)
    _metric(e5, "Återrapporter inkomna", f"{done} av {total}", due_delta(milestones, reports))
