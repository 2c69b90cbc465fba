"""The region preview's second step: "Om ni utökar fler tjänster" — a simulation, clearly apart from the
first figure, its inputs prefilled from the region's report or its plan (never more than that, silently).

Any round with a block paid by a staircase on the expansion beyond a planning table, by its blocks: the
other blocks are computed beside it (a block paid on reporting counts the region's report if it comes in on
time). With a saved scenario, the scenario's own rules (pots, steps, key) are the ones applied.

The statistician's words (P10, P90, the number of simulations, the seed) live in one expander, "För den som
vill veta mer"; the rest of the step speaks of likely amounts, rounded to what a simulation can know.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from fractions import Fraction

import streamlit as st

from allocation.block_engine import pot_for
from allocation.decision import Snapshot
from allocation.preview import (
    PreviewResult,
    Setting,
    Uncertain,
    decided_inputs,
    on_time,
    simulate,
)
from allocation.report_values import AT_PARTS, Report, report_spec
from present import formats as f
from store.export import AboutValue, export_file_name, store_facts
from store.session import Session
from ui.preview import (
    UNCERTAIN,
    curve_chart,
    headline,
    histogram_chart,
    preview_xlsx,
    step_words,
)
from ui.preview_assumption import Assumption, assumption
from ui.preview_first import DECISION, ILLUSTRATIVE_SV, REPORT, OwnFigures
from ui.preview_words import about_kr
from ui.rounds import RoundRef
from ui.text import bullets, plain

INPUTS_SV = {"filled": "Tillsatta", "started": "Påbörjade", "excluded": "Avräknade (tidigare omgång)"}


# The simulation is deterministic (the seed is one of its inputs), so a result is kept for the next visitor
# with the same inputs (a region's people opening its default preview): hashed by content, round included.
@st.cache_data(max_entries=16, show_spinner=False)
def simulated(
    setting: Setting,
    own: Report,
    others: tuple[Report, ...] | Uncertain,
    n: int,
    seed: int,
    band: int,
    known: tuple[Report, ...],
) -> PreviewResult:
    return simulate(setting, own, others, n=n, seed=seed, own_band=band, known=known)


def simulates(setting: Setting) -> bool:
    """Whether more positions can be simulated: a staircase on the expansion beyond a planning table, and
    nothing else reported that the others' draws would have to invent."""
    on_plan = bool(setting.round_.planned) and any(p.measure == "expansion" for _, p in setting.staircases())
    return on_plan and set(report_spec(setting.round_).values) <= set(AT_PARTS)


def _planned_words(store: Session, setting: Setting, code: str) -> str:
    """The planned positions as the planning document writes them (a range as written: "1-5")."""
    written = store.rounds.planned_table(setting.round_.id).get(code)
    return written or f.count(Fraction(setting.round_.planned.get(code, 0)))


def _own_inputs(store: Session, setting: Setting, code: str, figures: OwnFigures) -> Report:
    prefill = figures.own
    planned = Fraction(prefill.planned if prefill.planned is not None else setting.round_.planned.get(code, 0))
    source = {
        REPORT: "er inlämnade rapport",
        DECISION: "de siffror beslutet räknade med" + ("" if prefill.values else " (ingen rapport: inget utfall)"),
    }.get(figures.source, "er plan (utfall som planerat, ingen utökning)")
    st.caption(f"Fälten är förifyllda med {source}: öka Tillsatta eller Påbörjade för att se vad fler tjänster ger.")
    st.caption(f"Planerat enligt planeringsunderlaget: {plain(_planned_words(store, setting, code))} tjänster.")
    spec = report_spec(setting.round_)
    keys = [k for k in AT_PARTS if k in spec.values or k != "excluded"]
    columns = st.columns(len(keys))
    values = {
        k: Fraction(
            int(column.number_input(INPUTS_SV[k], min_value=0, value=int(prefill.value(k)), key=f"pv_{k}_{code}"))
        )
        for k, column in zip(keys, columns, strict=True)
    }
    raw = max(values["filled"], values["started"]) - planned - values.get("excluded", 0)
    if raw < 0:
        st.caption(f"Utfallet ligger {f.count(-raw)} tjänster under plan: utökningen räknas som 0.")
    else:
        st.caption(f"Er utökning: **{f.count(raw)}** tjänster utöver plan.")
    received = figures.own.received
    by = on_time(setting.round_)
    if by is not None:
        in_time = received is not None and received <= by
        if figures.missed is not None:
            st.caption(f"Sista dagen för rapporten, {f.long_date(figures.missed)}, har passerat utan rapport.")
        if st.checkbox(f"Rapporten kommer in i tid (senast {f.long_date(by)})", value=in_time, key="pv_on_time"):
            received = received if in_time else by
        else:
            received = None
    return Report(code, values, received, prefill.planned)


def what_if(
    store: Session,
    ref: RoundRef,
    setting: Setting,
    code: str,
    region_name: str,
    figures: OwnFigures,
    decision: Snapshot | None,
) -> None:
    """The simulation step, below the first figure: for a round with a staircase on the expansion (else nothing:
    the first figure says what it can). After a ``decision``, it starts from what the decision used."""
    if not simulates(setting):  # nothing to add positions to, or values the others' draws would invent
        return
    if decision is not None:  # the decided amount stands alone: the simulation only when asked for
        st.subheader("Om ni hade utökat fler tjänster")
        st.caption("Beslutet ovan gäller. Räkningen här ändrar inget i det: den visar hur beloppet beror på utfallen.")
        if not st.toggle("Visa räkningen", key="pv_after_decision"):
            return
        setting, figures = _decided(setting, decision, code, figures)
        _simulation(store, ref, setting, code, region_name, figures)
        return
    st.subheader("Om ni utökar fler tjänster")
    _simulation(store, ref, setting, code, region_name, figures)


def _decided(setting: Setting, decision: Snapshot, code: str, figures: OwnFigures) -> tuple[Setting, OwnFigures]:
    """The round and the figures as the decision computed them: its pots, the region's own inputs and the
    others' (a region that never reported has no outcome and no report, as in the decision)."""
    decided, reports = decided_inputs(setting, decision)
    others = tuple(r for c, r in reports.items() if c != code and (r.values or r.received))
    return decided, OwnFigures(DECISION, reports[code], others, figures.sees_others)


def _simulation(
    store: Session, ref: RoundRef, setting: Setting, code: str, region_name: str, figures: OwnFigures
) -> None:
    left, right = st.columns([2, 3], gap="large")
    with left:
        own = _own_inputs(store, setting, code, figures)
    with right:
        chosen = assumption(store, setting, code, figures)
    if chosen is None:
        return
    results = st.container()
    with st.expander("För den som vill veta mer"):
        band = st.slider("Osäkerhet i egna siffror (± tjänster)", 0, 5, 0, key="pv_band")
        s1, s2 = st.columns(2)
        n = s1.select_slider(
            "Antal simuleringar", [1_000, 10_000, 100_000], value=100_000, key="pv_n", format_func=f.number
        )
        seed = s2.number_input(
            "Slumpfrö (samma frö ger samma resultat)", min_value=0, value=2023, step=1, key="pv_seed"
        )
        expert = st.container()
    known = tuple(figures.known) if chosen.key == UNCERTAIN else ()
    with st.spinner(f"Simulerar {f.number(n)} fördelningsomgångar …"):
        result = simulated(chosen.setting, own, chosen.others, int(n), int(seed), int(band), known)
    titles = {b.id: b.title for b in chosen.setting.round_.blocks}
    with results:
        _results(result, chosen, own, titles)
        _download(store, ref, chosen, own, int(band), result, region_name, titles, code)
    with expert:
        _expert(result, chosen.described)


def _download(
    store: Session,
    ref: RoundRef,
    chosen: Assumption,
    own: Report,
    band: int,
    result: PreviewResult,
    region_name: str,
    titles: Mapping[str, str],
    code: str,
) -> None:
    round_ = chosen.setting.round_
    pot = sum(pot_for(b, chosen.setting.pots.get(b.id))[0] for b in round_.blocks)
    rows: list[tuple[str, AboutValue]] = [
        ("Antagande om de andra regionerna", chosen.described),
        *([("Scenario", chosen.scenario_shown)] if chosen.scenario_shown else []),
        ("Planerat enligt planeringsunderlaget", _planned_cell(_planned_words(store, chosen.setting, code))),
        *((INPUTS_SV[k], int(own.value(k))) for k in AT_PARTS if k in own.values),
        ("Osäkerhet i egna siffror (± tjänster)", band),
        ("Bidragsomgång", round_.title),
        ("Pott och regler", f"{f.kr(pot)}, {chosen.rules}"),
        *store_facts(store, ref.id),
        ("Per datum", (st.session_state.get("as_of") or date.today()).isoformat()),
    ]
    st.download_button(
        "Ladda ned förhandsbeskedet (XLSX, preliminärt)",
        lambda: preview_xlsx(result, titles, region_name, rows),
        file_name=export_file_name(ref.short_title, "förhandsbesked", region_name, chosen.scenario_name, ext="xlsx"),
        on_click="ignore",
        key="pv_download",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _planned_cell(text: str) -> AboutValue:
    return int(text) if text.isdigit() else text  # a count, or a range as written ("1-5")


def _results(result: PreviewResult, chosen: Assumption, own: Report, titles: Mapping[str, str]) -> None:
    top = headline(result, chosen.key, chosen.scenario_shown)
    varies = result.minimum != result.maximum
    blocks = list(result.block_medians.items()) if len(result.block_medians) > 1 else []
    if blocks and result.maximum:
        columns = st.columns(len(blocks) + 1)
        columns[0].metric(plain(top.label), top.value)
        for column, (block_id, median) in zip(columns[1:], blocks, strict=True):
            fixed = block_id in result.block_fixed
            label = titles[block_id] if fixed else f"{titles[block_id]}, omkring"
            column.metric(plain(label), f.kr(median) if fixed else about_kr(median))
    else:
        st.metric(plain(top.label), top.value)
    if top.spread:
        st.markdown(plain(top.spread))
    illustrative = f" {ILLUSTRATIVE_SV}" if chosen.setting.round_.illustrative else ""
    if chosen.key == UNCERTAIN:
        st.caption(plain(top.condition + illustrative))
    else:
        st.info(plain(top.condition + illustrative), icon=":material/info:")
    if steps := step_words(result, titles):
        st.markdown(plain(steps))
    if not result.curve:
        return
    planned = own.planned if own.planned is not None else chosen.setting.round_.planned.get(own.code, Fraction(0))
    expansion = max(0.0, float(max(own.value("filled"), own.value("started")) - planned - own.value("excluded")))
    thresholds = sorted({s.min_expansion for _, p in chosen.setting.staircases() for s in p.steps})
    curve = curve_chart(result, thresholds, expansion)
    if not varies:
        st.html(curve.html)
    else:
        g1, g2 = st.columns(2, gap="large")
        with g1:
            st.html(histogram_chart(result).html)
        with g2:
            st.html(curve.html)


def _expert(result: PreviewResult, described: str) -> None:
    """The figures a statistician asks for, in exact kronor, and what the simulation rests on."""
    lines = [
        f"Median: {f.kr(result.median)}",
        f"Lågt utfall (P10, 1 fall av 10 ger mindre): {f.kr(result.p10)}",
        f"Högt utfall (P90, 1 fall av 10 ger mer): {f.kr(result.p90)}",
        f"Lägsta – högsta: {f.kr(result.minimum)} – {f.kr(result.maximum)}",
    ]
    for chances in result.step_probability.values():
        if len(chances) > 1:
            lines += [
                f"Sannolikhet för {'inget trappsteg' if a == 0 else f'trappsteget {f.kr(a)}'}: {f.percent(p)}"
                for a, p in sorted(chances.items())
            ]
    st.markdown(bullets(lines))
    st.caption(
        f"Preliminärt. {f.number(result.n)} simuleringar, slumpfrö {result.seed}. {plain(described.rstrip('.'))}."
    )
