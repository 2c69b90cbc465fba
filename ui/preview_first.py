"""The region preview's first figure: the most authoritative amount there is, and which one it is.

1. the published decision (with the region's letter) once there is one; otherwise
2. the amount the region's received report gives, the uncertainty coming only from the other regions; otherwise
3. the amount its plan gives (outcome = plan: no expansion).

Exact kronor only where the figure is exact (a decision; a report when every other region's report is known
too); a simulated figure is rounded ("omkring 71 miljoner kr; i 8 fall av 10 mellan 53 och 102 miljoner kr").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date

import streamlit as st
from streamlit.errors import StreamlitAPIException

from allocation import decision as d
from allocation.at import RegionInput
from allocation.decision import Snapshot
from allocation.preview import DEFAULT_UNCERTAIN, Expected, Uncertain, expected
from allocation.rules import AtRound
from present import formats as f
from store.access import Action
from store.session import Session
from ui.preview_words import about_kr, about_spread, positions
from ui.text import plain

DECISION, REPORT, PLAN = "decision", "report", "plan"
FIRST_SIMULATIONS = 100_000  # as many as the what-if's default: unchanged inputs give the same figures
FIRST_SEED = 2023


@dataclass(frozen=True)
class OwnFigures:
    """The region's own figures for the first figure (its report, or its plan) and the others' it may see."""

    source: str  # REPORT or PLAN
    own: RegionInput
    reported_on: date | None
    known: tuple[RegionInput, ...]  # other regions' reports this user may see
    known_dates: dict[str, date] = field(default_factory=dict)
    sees_others: bool = True  # False for a region user before the decision: the others' reports are not its


@dataclass(frozen=True)
class FirstFigure:
    source: str  # DECISION, REPORT or PLAN
    shows: str  # which of the three the figure is, in one sentence (plain text)
    metrics: tuple[tuple[str, str], ...]  # (label, value): the figure first, then per block when there are blocks
    lines: tuple[str, ...] = ()  # further sentences (plain text)


def published_decision(store: Session, round_id: str) -> Snapshot | None:
    """The decision in force that is published by the store's day, as far as this user may read it."""
    if not store.may(Action.READ_DECISIONS, round_id=round_id):
        return None  # a region before publication: nothing of a decision, not even that there is one
    today = store.today()
    published = [s for s in store.decision_list(round_id) if s.published_on <= today]
    if not published:
        return None
    snapshot = store.decision_snapshot(round_id, published[-1].id)
    return snapshot if date.fromisoformat(snapshot.published_on[:10]) <= today else None


def own_figures(store: Session, round_id: str, code: str, planned_outcome: int) -> OwnFigures:
    """The region's received report (and the other reports this user may see), or its plan."""
    reports = store.at_reports(round_id)  # narrowed: a region user sees its own only, before the decision
    dates = store.report_dates(round_id) if store.may(Action.READ_STATUS, code, round_id) else {}
    sees_others = store.visible(Action.READ_REPORTS, round_id) is None
    known = tuple(r for r in reports if r.code != code)
    known_dates = {c: d for c, d in dates.items() if c != code}
    own = next((r for r in reports if r.code == code), None)
    if own is not None:
        return OwnFigures(REPORT, own, dates.get(code), known, known_dates, sees_others)
    return OwnFigures(PLAN, RegionInput(code, planned_outcome, 0, 0), None, known, known_dates, sees_others)


def plan_outcome(planned: float) -> int:
    """The outcome "as planned": the planned positions, a range's midpoint rounded up to a whole position."""
    return math.ceil(planned)


def decision_figure(snapshot: Snapshot, code: str) -> FirstFigure:
    """The published decision's amount for the region (and per block when the round has several)."""
    kind = "Ändringsbeslut" if snapshot.kind == d.AMENDMENT else "Beslut"
    published = f.long_date(date.fromisoformat(snapshot.published_on[:10]))
    if code not in snapshot.totals:
        return FirstFigure(
            DECISION,
            "Sidan visar omgångens publicerade beslut.",
            (("Beslutat belopp", f.kr(0)),),
            (f"{kind} {snapshot.reference}, publicerat {published}: regionen är inte mottagare i beslutet.",),
        )
    line = snapshot.recipient(code)
    metrics = [("Beslutat belopp", f.kr(line.total))]
    if len(snapshot.blocks) > 1:
        metrics += [(b.title, f.kr(b.amounts.get(code, 0))) for b in snapshot.blocks]
    lines = [
        f"{kind} {snapshot.reference}, publicerat {published}. Beloppet är beslutat och ändras inte av andra "
        "regioners utfall.",
    ]
    if snapshot.illustrative:
        lines.append("Illustrativ omgång: beloppen är exempel, inte officiella.")
    return FirstFigure(
        DECISION, "Beslutet är publicerat: sidan visar regionens beslutade belopp.", tuple(metrics), tuple(lines)
    )


def _own_words(figures: OwnFigures, planned_text: str) -> str:
    own = figures.own
    if figures.source == PLAN:
        return (
            "Regionen har inte lämnat någon rapport ännu: sidan visar beloppet om utfallet blir som planerat "
            f"({positions(own.filled)} enligt planeringsunderlaget, ingen utökning)."
        )
    received = f" (inkom {f.long_date(figures.reported_on)})" if figures.reported_on else ""
    return (
        f"Sidan visar beloppet enligt regionens inlämnade rapport{received}: {f.number(own.filled)} tillsatta, "
        f"{f.number(own.started)} påbörjade, {f.number(own.excluded)} avräknade från en tidigare omgång, mot "
        f"{planned_text} planerade."
    )


def _others_words(figures: OwnFigures, drawn: int, others: int, uncertain: Uncertain) -> str:
    assumption = (
        f"I beräkningen växer {f.percent(uncertain.share, 0)} av dem med {uncertain.low}–{uncertain.high} tjänster "
        "utöver plan: ett antagande för att visa osäkerheten, ingen prognos."
    )
    if not figures.sees_others:
        return (
            "Osäkerheten kommer bara från de andra regionerna: deras utfall visas inte förrän beslutet är "
            f"publicerat. {assumption}"
        )
    if drawn == others:
        return f"Osäkerheten kommer bara från de andra regionerna: ingen av dem har rapporterat ännu. {assumption}"
    return (
        f"Osäkerheten kommer bara från de andra regionerna: {others - drawn} av {others} har rapporterat och räknas "
        f"med sina rapporter; de {drawn} som inte har rapporterat är okända. {assumption}"
    )


def expected_figure(
    figures: OwnFigures,
    planned_text: str,
    amount: int,
    low: int,
    high: int,
    exact: bool,
    drawn: int,
    others: int,
    blocks: Sequence[tuple[str, int]] = (),
    uncertain: Uncertain = DEFAULT_UNCERTAIN,
    illustrative: bool = False,
) -> FirstFigure:
    """The report's or the plan's amount: exact kronor when exact, otherwise rounded with its spread."""
    where = "enligt er rapport" if figures.source == REPORT else "enligt er plan"
    lines = []
    if exact:
        metrics = [(f"Belopp {where}", f.kr(amount)), *((t, f.kr(a)) for t, a in blocks)]
        if amount == 0 and drawn:
            lines.append(
                f"Med {'utfall som planerat' if figures.source == PLAN else 'de här siffrorna'} ger omgången inget "
                "belopp, vad de andra regionerna än gör. Se nedan vad fler tjänster kan ge."
            )
        elif drawn == 0:
            lines.append(
                "Alla andra regioners rapporter är kända: beloppet är exakt med dem, men inte beslutat förrän "
                "beslutet är publicerat."
            )
    else:
        metrics = [(f"Troligt belopp {where}, omkring", about_kr(amount)), *((t, about_kr(a)) for t, a in blocks)]
        if spread := about_spread(low, high):
            lines.append(f"{spread}.")
        lines.append(_others_words(figures, drawn, others, uncertain))
    if figures.source == PLAN:
        lines.append("När regionens rapport har kommit in visar sidan beloppet enligt rapporten.")
    if illustrative:
        lines.append("Illustrativ omgång: beloppen är exempel, inte officiella.")
    return FirstFigure(figures.source, _own_words(figures, planned_text), tuple(metrics), tuple(lines))


@st.cache_data(max_entries=64, show_spinner=False)
def _expected(at_round: AtRound, own: RegionInput, known: tuple[RegionInput, ...]) -> Expected:
    return expected(
        at_round, own, known, DEFAULT_UNCERTAIN, at_round.default_params(), n=FIRST_SIMULATIONS, seed=FIRST_SEED
    )


def at_first_figure(store: Session, at_round: AtRound, code: str) -> tuple[FirstFigure, Snapshot | None, OwnFigures]:
    """A performance round's first figure for the region: its decision, its report or its plan."""
    figures = own_figures(store, at_round.id, code, plan_outcome(at_round.planned_value(code)))
    snapshot = published_decision(store, at_round.id)
    if snapshot is not None:
        return decision_figure(snapshot, code), snapshot, figures
    result = _expected(at_round, figures.own, figures.known)
    others = len(at_round.regions) - 1
    figure = expected_figure(
        figures, at_round.planned[code], result.amount, result.low, result.high, result.exact, result.drawn, others
    )
    return figure, None, figures


def show_first(figure: FirstFigure, snapshot: Snapshot | None, short_title: str, code: str) -> None:
    """The first figure in a box of its own, before anything that is a what-if."""
    with st.container(border=True, key="pv_first"):
        st.markdown(f"**{plain(figure.shows)}**")
        columns = st.columns(min(len(figure.metrics), 4))
        for k, (label, value) in enumerate(figure.metrics):
            columns[k % len(columns)].metric(plain(label), value)
        for line in figure.lines:
            st.markdown(plain(line))
        if snapshot is not None and code in snapshot.totals:
            from ui.decision_view import documents_panel

            documents_panel(snapshot, short_title, codes=[code])
            with suppress(StreamlitAPIException):  # a page this user's navigation does not hold: no link
                st.page_link("pages/decision/decision.py", label="Beslutet i sin helhet", icon=":material/gavel:")
