"""The region preview's first figure: the most authoritative amount there is, and which one it is.

1. the published decision (with the region's letter) once there is one; otherwise
2. the amount the region's received report gives, the uncertainty coming only from the other regions; otherwise
3. the amount its plan gives (outcome = plan: no expansion).

Any round, by its blocks: a block paid from a fixed table shows the table's amount, official or a clearly
labelled estimate. Exact kronor only where the figure is exact (a decision; a report when every other region's
report is known too; a table); a simulated figure is rounded ("omkring 71 miljoner kr; i 8 fall av 10 mellan
53 och 102 miljoner kr").
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import date
from fractions import Fraction

import streamlit as st
from streamlit.errors import StreamlitAPIException

from allocation import decision as d
from allocation.decision import Snapshot
from allocation.fixed import BASIS_SV
from allocation.method_params import ESTIMATE, FixedTableParams
from allocation.milestones import needs_attention
from allocation.preview import DEFAULT_UNCERTAIN, Expected, Setting, Uncertain, exact_amounts, expected, plan_report
from allocation.report_values import AT_PARTS, Report, report_spec
from present import formats as f
from present.eligibility import key_sv
from store.access import Action
from store.session import Session
from ui.deadlines import cells_as_of
from ui.preview_words import about_kr, about_spread, positions
from ui.text import plain

DECISION, REPORT, PLAN, TABLE = "decision", "report", "plan", "table"
FIRST_SIMULATIONS = 100_000  # as many as the what-if's default: unchanged inputs give the same figures
FIRST_SEED = 2023
ILLUSTRATIVE_SV = "Illustrativ omgång: beloppen är exempel, inte officiella."


@dataclass(frozen=True)
class OwnFigures:
    """The region's own figures for the first figure (its report, or its plan) and the others' it may see."""

    source: str  # REPORT or PLAN
    own: Report  # its report, or its plan (positions filled = planned, reported on time)
    known: tuple[Report, ...]  # other regions' reports this user may see
    sees_others: bool = True  # False for a region user before the decision: the others' reports are not its
    missed: date | None = None  # the last day for its report, passed by the page's date without one
    past: bool = False  # that day has passed and this user sees every report: one not in has not come in time

    @property
    def uncertain(self) -> Uncertain:
        """The first figure's assumption about the others whose reports are not known."""
        return replace(DEFAULT_UNCERTAIN, on_time=not self.past)

    @property
    def reported_on(self) -> date | None:
        return self.own.received if self.source == REPORT else None


@dataclass(frozen=True)
class FirstFigure:
    source: str  # DECISION, REPORT, PLAN or TABLE
    shows: str  # which of the three the figure is, in one sentence (plain text)
    metrics: tuple[tuple[str, str], ...]  # (label, value): the figure first, then per block when there are blocks
    lines: tuple[str, ...] = ()  # further sentences (plain text)


def published_decision(store: Session, round_id: str) -> Snapshot | None:
    """The decision in force that is published by the store's day, as far as this user may read it."""
    if not store.may(Action.READ_DECISIONS, round_id=round_id):
        return None  # a region before publication: nothing of a decision, not even that there is one
    today = store.today()
    published = [s for s in store.decisions.decision_list(round_id) if s.published_on <= today]
    if not published:
        return None
    snapshot = store.decisions.decision_snapshot(round_id, published[-1].id)
    return snapshot if date.fromisoformat(snapshot.published_on[:10]) <= today else None


def own_figures(store: Session, setting: Setting, code: str, as_of: date) -> OwnFigures:
    """The region's received report (and the other reports this user may see), or its plan: reported on time
    while the last day for the report is still to come by ``as_of``, else not reported (as the rules count it)."""
    round_id = setting.round_.id
    reports = store.reports.reports(round_id)  # narrowed: a region user sees its own only, before the decision
    sees_others = store.visible(Action.READ_REPORTS, round_id) is None
    known = tuple(r for r in reports if r.code != code)
    own = next((r for r in reports if r.code == code), None)
    by = min((day for _, day in report_spec(setting.round_).deadlines), default=None)
    past = by is not None and as_of > by
    if own is not None:
        return OwnFigures(REPORT, own, known, sees_others, past=past and sees_others)
    if past:
        return OwnFigures(PLAN, plan_report(setting, code), known, sees_others, missed=by, past=sees_others)
    return OwnFigures(PLAN, plan_report(setting, code, by), known, sees_others)


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
        lines.append(ILLUSTRATIVE_SV)
    return FirstFigure(
        DECISION, "Beslutet är publicerat: sidan visar regionens beslutade belopp.", tuple(metrics), tuple(lines)
    )


def _values_words(own: Report, planned_text: str | None) -> str:
    """``12 tillsatta, 10 påbörjade, 0 avräknade från en tidigare omgång, mot 7 planerade``; other keys by name."""
    words = {"filled": "tillsatta", "started": "påbörjade", "excluded": "avräknade från en tidigare omgång"}
    parts = [f"{f.count(own.value(k))} {words[k]}" for k in AT_PARTS] if set(AT_PARTS) & set(own.values) else []
    parts += [f"{key_sv(k)} {f.count(v)}" for k, v in sorted(own.values.items()) if k not in AT_PARTS]
    text = ", ".join(parts)
    return f"{text}, mot {planned_text} planerade" if planned_text else text


def _own_words(figures: OwnFigures, planned_text: str | None) -> str:
    if figures.source == PLAN and figures.missed is not None:
        return (
            f"Regionen har inte lämnat någon rapport, och sista dagen för den, {f.long_date(figures.missed)}, har "
            "passerat: det som betalas för rapport i tid får regionen inte. Sidan visar beloppet om utfallet blir "
            f"som planerat ({positions(figures.own.value('filled'))} enligt planeringsunderlaget, ingen utökning)."
        )
    if figures.source == PLAN:
        return (
            "Regionen har inte lämnat någon rapport ännu: sidan visar beloppet om utfallet blir som planerat "
            f"({positions(figures.own.value('filled'))} enligt planeringsunderlaget, ingen utökning)."
        )
    received = f" (inkom {f.long_date(figures.reported_on)})" if figures.reported_on else ""
    values = _values_words(figures.own, planned_text)
    return f"Sidan visar beloppet enligt regionens inlämnade rapport{received}: {values}."


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
    if not uncertain.on_time:
        return (
            f"Osäkerheten kommer bara från de andra regionerna: {others - drawn} av {others} har rapporterat och "
            f"räknas med sina rapporter; sista dagen har passerat, så de {drawn} som inte har rapporterat får inget "
            f"av det som betalas för rapport i tid. {assumption}"
        )
    if drawn == others:
        return f"Osäkerheten kommer bara från de andra regionerna: ingen av dem har rapporterat ännu. {assumption}"
    return (
        f"Osäkerheten kommer bara från de andra regionerna: {others - drawn} av {others} har rapporterat och räknas "
        f"med sina rapporter; de {drawn} som inte har rapporterat är okända. {assumption}"
    )


def expected_figure(
    figures: OwnFigures,
    planned_text: str | None,
    result: Expected,
    others: int,
    blocks: Sequence[tuple[str, int, bool]] = (),  # (title, amount, the same in every draw)
    uncertain: Uncertain = DEFAULT_UNCERTAIN,
    illustrative: bool = False,
) -> FirstFigure:
    """The report's or the plan's amount: exact kronor when exact, otherwise rounded with its spread."""
    where = "enligt er rapport" if figures.source == REPORT else "enligt er plan"
    lines = []
    if result.exact:
        metrics = [(f"Belopp {where}", f.kr(result.amount)), *((t, f.kr(a)) for t, a, _ in blocks)]
        if result.partial:
            lines.append("Regioner som inte har rapporterat räknas utan utfall: beloppet kan bli mindre.")
        elif result.amount == 0 and result.drawn:
            lines.append(
                f"Med {'utfall som planerat' if figures.source == PLAN else 'de här siffrorna'} ger omgången inget "
                "belopp, vad de andra regionerna än gör."
            )
        elif result.drawn == 0:
            lines.append(
                "Alla andra regioners rapporter är kända: beloppet är exakt med dem, men inte beslutat förrän "
                "beslutet är publicerat."
            )
        elif result.amount:
            lines.append("Beloppet blir detsamma vad de andra regionerna än rapporterar.")
    else:
        metrics = [
            (f"Troligt belopp {where}, omkring", about_kr(result.amount)),
            *((t, f.kr(a)) if fixed else (f"{t}, omkring", about_kr(a)) for t, a, fixed in blocks),
        ]
        if spread := about_spread(result.low, result.high):
            lines.append(f"{spread}.")
        lines.append(_others_words(figures, result.drawn, others, uncertain))
    if figures.source == PLAN:
        lines.append("När regionens rapport har kommit in visar sidan beloppet enligt rapporten.")
    if illustrative:
        lines.append(ILLUSTRATIVE_SV)
    return FirstFigure(figures.source, _own_words(figures, planned_text), tuple(metrics), tuple(lines))


def _table_label(params: FixedTableParams) -> str:
    return f"Högsta belopp ({BASIS_SV[params.basis].lower()})"


def table_figure(setting: Setting, code: str) -> FirstFigure:
    """A round in which nothing the region reports changes its amount: the rules' own figures (a fixed table,
    official or an estimate that says it is one)."""
    blocks = setting.round_.blocks
    tables = [b for b in blocks if isinstance(b.params, FixedTableParams)]
    # A table paid up to what each recipient requisitions (its cap): the maximum is the table, fully requisitioned.
    caps = [(b.params.cap_key, b.params.table) for b in tables if b.params.cap_key]  # type: ignore[union-attr]
    codes = [code, *(r.code for r in setting.recipients if r.code != code)]
    reports = [Report(c, {key: table.get(c, 0) for key, table in caps}) for c in codes]
    total, amounts = exact_amounts(setting, reports)
    labels = {b.id: _table_label(b.params) if isinstance(b.params, FixedTableParams) else b.title for b in blocks}
    if len(blocks) == 1:
        metrics = [(labels[blocks[0].id], f.kr(total))]
    else:
        metrics = [("Belopp enligt reglerna", f.kr(total)), *((labels[b.id], f.kr(amounts[b.id])) for b in blocks)]
    estimate = any(isinstance(b.params, FixedTableParams) and b.params.basis == ESTIMATE for b in tables)
    if estimate:
        shows = (
            "Sidan visar en uppskattning av regionens högsta belopp efter befolkningsandel: den officiella tabellen "
            "med varje regions belopp är inte inläst ännu."
        )
    elif tables:
        shows = "Sidan visar regionens högsta belopp enligt den officiella tabellen."
    else:
        shows = "Sidan visar regionens belopp enligt omgångens regler."
    lines = (ILLUSTRATIVE_SV,) if setting.round_.illustrative else ()
    return FirstFigure(TABLE, shows, tuple(metrics), lines)


def values_unknown(needed: Sequence[str], figures: OwnFigures) -> FirstFigure:
    """A round whose rules need values of every region that no planning table gives: no figure until they are
    known (drawing them would be invention)."""
    keys = ", ".join(key_sv(k) for k in needed)
    return FirstFigure(
        figures.source,
        f"Omgångens regler använder {keys} för varje region: beloppet kan inte beräknas förrän alla regioners "
        "värden är kända.",
        (),
        ("Personal kan räkna på antaganden om de andra regionerna på sidan Simulering.",),
    )


@st.cache_data(max_entries=64, show_spinner=False)
def _expected(setting: Setting, own: Report, known: tuple[Report, ...], uncertain: Uncertain) -> Expected:
    return expected(setting, own, known, uncertain, n=FIRST_SIMULATIONS, seed=FIRST_SEED)


def planned_text(setting: Setting, code: str, own: Report | None = None) -> str | None:
    """The planned positions as a count (a report's own planned figure over the table); None without a table."""
    if own is not None and own.planned is not None:
        return f.count(own.planned)
    if not setting.round_.planned:
        return None
    return f.count(Fraction(setting.round_.planned.get(code, 0)))


def first_figure(
    store: Session, setting: Setting, code: str, as_of: date
) -> tuple[FirstFigure, Snapshot | None, OwnFigures]:
    """The round's first figure for the region: its decision, its report or its plan (a table: the table's),
    as of the page's date (a report not in by its last day is missing)."""
    figures = own_figures(store, setting, code, as_of)
    snapshot = published_decision(store, setting.round_.id)
    if snapshot is not None:
        return decision_figure(snapshot, code), snapshot, figures
    spec = report_spec(setting.round_)
    if not spec.accepts_reports:
        return table_figure(setting, code), None, figures
    others = {r.code for r in setting.recipients} - {code}
    if needed := sorted(set(spec.values) - set(AT_PARTS)):
        reported = {r.code for r in figures.known if set(needed) <= set(r.values)}
        if figures.source != REPORT or not others <= reported:
            return values_unknown(needed, figures), None, figures
    result = _expected(setting, figures.own, figures.known, figures.uncertain)
    blocks = setting.round_.blocks
    parts = [(b.title, result.blocks[b.id], b.id in result.block_fixed) for b in blocks] if len(blocks) > 1 else []
    figure = expected_figure(
        figures,
        planned_text(setting, code, figures.own if figures.source == REPORT else None),
        result,
        len(setting.recipients) - 1,
        parts,
        figures.uncertain,
        illustrative=setting.round_.illustrative,
    )
    return figure, None, figures


def _requisitions(store: Session, setting: Setting, code: str, as_of: date) -> None:
    """Blocks paid from a table on requisition: what the region has requisitioned, and its deadlines."""
    round_id = setting.round_.id
    if not any(isinstance(b.params, FixedTableParams) for b in setting.round_.blocks):
        return
    requisitioned = sum(
        r.amount for r in store.followup.requisitions(round_id) if r.code == code and r.received <= as_of
    )
    st.metric("Rekvirerat", f.kr(requisitioned))
    cells = [c for c in cells_as_of(store, as_of, [round_id]) if c.code == code]
    if cells:
        st.markdown("\n".join(f"- **{plain(c.milestone)}**: {plain(c.result.text_sv)}" for c in cells))
    if needs_attention(cells):
        st.warning("Minst en tidsfrist är försenad eller nära (högst 14 dagar kvar).")


def _paid(store: Session, round_id: str, decided: int, code: str) -> None:
    """What of the decided amount the agency has paid the region so far, and what is left to pay."""
    paid = store.payments.paid_per_recipient(round_id).get(code, 0)
    if paid == 0:
        st.markdown("Inget är utbetalt ännu: beloppet betalas ut enligt beslutet.")
    elif paid == decided:
        st.markdown(f"Hela beloppet är utbetalt ({f.kr(paid)}).")
    elif paid > decided:
        st.markdown(
            f"Utbetalt hittills: {f.kr(paid)}, vilket är {f.kr(paid - decided)} mer än beslutet. Skillnaden återkrävs."
        )
    else:
        st.markdown(f"Utbetalt hittills: {f.kr(paid)}. Kvar att betala ut: {f.kr(decided - paid)}.")


def show_first(
    store: Session,
    setting: Setting,
    figure: FirstFigure,
    snapshot: Snapshot | None,
    short_title: str,
    code: str,
    as_of: date,
) -> None:
    """The first figure in a box of its own, before anything that is a what-if."""
    with st.container(border=True, key="pv_first"):
        st.markdown(f"**{plain(figure.shows)}**")
        if figure.metrics:
            columns = st.columns(min(len(figure.metrics), 4))
            for k, (label, value) in enumerate(figure.metrics):
                columns[k % len(columns)].metric(plain(label), value)
        for line in figure.lines:
            st.markdown(plain(line))
        if snapshot is None:
            _requisitions(store, setting, code, as_of)
        if snapshot is not None and code in snapshot.totals:
            _paid(store, setting.round_.id, snapshot.totals[code], code)
            from ui.decision_view import documents_panel

            documents_panel(snapshot, short_title, codes=[code])
            with suppress(StreamlitAPIException):  # a page this user's navigation does not hold: no link
                st.page_link("pages/decision/decision.py", label="Beslutet i sin helhet", icon=":material/gavel:")
