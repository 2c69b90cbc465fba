"""The region preview's second step: "Om ni utökar fler tjänster" — a simulation, clearly apart from the
first figure, its inputs prefilled from the region's report or its plan (never more than that, silently).

The statistician's words (P10, P90, the number of simulations, the seed) live in one expander, "För den som
vill veta mer"; the rest of the step speaks of likely amounts, rounded to what a simulation can know.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import streamlit as st

from allocation.at import RegionInput
from allocation.preview import DEFAULT_UNCERTAIN, PreviewResult, Uncertain, simulate
from allocation.rules import AtParams, AtRound
from present import formats as f
from store.access import Action
from store.export import AboutValue, export_file_name, store_facts
from store.session import Session
from ui.preview import (
    ASSUMPTIONS_SV,
    SCENARIO,
    UNCERTAIN,
    curve_chart,
    headline,
    histogram_chart,
    preview_xlsx,
    step_words,
)
from ui.preview_first import REPORT, OwnFigures
from ui.rounds import RoundRef
from ui.scenarios import scenario_labeller
from ui.text import bullets, plain


# The simulation is deterministic (the seed is one of its inputs), so a result is kept for the next visitor
# with the same inputs (a region's people opening its default preview): hashed by content, round included.
@st.cache_data(max_entries=16, show_spinner=False)
def simulated(
    at_round: AtRound,
    own: RegionInput,
    others: Sequence[RegionInput] | Uncertain,
    params: AtParams,
    n: int,
    seed: int,
    band: int,
    known: tuple[RegionInput, ...],
) -> PreviewResult:
    return simulate(at_round, own, others, params, n=n, seed=seed, own_band=band, known=known)


def _own_inputs(at_round: AtRound, code: str, figures: OwnFigures) -> RegionInput:
    prefill = figures.own
    planned = at_round.planned_value(code)
    source = "er inlämnade rapport" if figures.source == REPORT else "er plan (utfall som planerat, ingen utökning)"
    st.caption(f"Fälten är förifyllda med {source}: öka Tillsatta eller Påbörjade för att se vad fler tjänster ger.")
    st.caption(f"Planerat enligt planeringsunderlaget: {plain(at_round.planned[code])} tjänster.")
    c1, c2, c3 = st.columns(3)
    filled = c1.number_input("Tillsatta", min_value=0, value=prefill.filled, step=1, key=f"pv_filled_{code}")
    started = c2.number_input("Påbörjade", min_value=0, value=prefill.started, step=1, key=f"pv_started_{code}")
    excluded = c3.number_input(
        "Avräknade (tidigare omgång)", min_value=0, value=prefill.excluded, step=1, key=f"pv_excluded_{code}"
    )
    raw = max(int(filled), int(started)) - float(planned) - int(excluded)
    expansion = max(0.0, raw)
    shown = f.count(int(expansion)) if expansion == int(expansion) else f.number(expansion, 1)
    if raw < 0:
        st.caption(
            f"Utfallet ligger {f.number(-raw, 1 if raw != int(raw) else 0)} tjänster under plan: "
            "utökningen räknas som 0."
        )
    else:
        st.caption(f"Er utökning: **{shown}** tjänster utöver plan.")
    return RegionInput(code, int(filled), int(started), int(excluded))


def what_if(
    store: Session, ref: RoundRef, at_round: AtRound, code: str, region_name: str, figures: OwnFigures, decided: bool
) -> None:
    """The simulation step, below the first figure."""
    st.subheader("Om ni utökar fler tjänster")
    if decided:
        st.caption("Beslutet ovan gäller. Räkningen här ändrar inget i det: den visar hur beloppet beror på utfallen.")
    left, right = st.columns([2, 3], gap="large")
    with left:
        own = _own_inputs(at_round, code, figures)
    with right:
        assumptions = dict(ASSUMPTIONS_SV)  # the uncertain assumption first: the default
        if not store.may(Action.READ_SCENARIOS):  # scenarios hold other regions' figures: staff and managers
            del assumptions[SCENARIO]
        assumption = st.radio(
            "Antagande om de andra regionerna",
            list(assumptions),
            format_func=lambda k: plain(assumptions[k]),
            key="pv_assumption",
        )
        others: list[RegionInput] | Uncertain = []
        described = assumptions[assumption]
        scenario_name: str | None = None
        scenario_shown: str | None = None  # its name as shown (marked when made on example data)
        params = at_round.default_params()
        params_words = f"trappsteg och nyckel enligt anvisningen ({at_round.dnr})"
        if assumption == SCENARIO:
            names = store.scenario_names(at_round.id)
            if not names:
                st.info("Inga sparade scenarier ännu: spara ett på simuleringssidan.")
                return
            active = st.session_state.get("scenario")  # the sidebar's active scenario, when it is one of these
            label = scenario_labeller(store, at_round.id)  # made on example data: said so
            scenario_name = st.selectbox(
                "Scenario",
                names,
                index=names.index(active) if active in names else 0,
                key="pv_scenario",
                format_func=label,
            )
            scenario = store.scenario(scenario_name)
            if scenario is not None:
                others = [i for i in scenario.inputs if i.code != code]
                params = scenario.params  # the scenario's own rules (pot, steps, key), not the instruction's
                params_words = f"trappsteg och nyckel enligt scenariot ”{label(scenario_name)}”"
            scenario_shown = label(scenario_name)
            described = f"De andra regionerna enligt scenariot ”{scenario_shown}”"
        elif assumption == UNCERTAIN:
            others, described = _uncertain_inputs(at_round, figures)
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
    known = tuple(figures.known) if assumption == UNCERTAIN else ()
    with st.spinner(f"Simulerar {f.number(n)} fördelningsomgångar …"):
        result = simulated(at_round, own, others, params, int(n), int(seed), int(band), known)
    with results:
        _results(result, assumption, scenario_shown, params, own, at_round, code)
        rows: list[tuple[str, AboutValue]] = [
            ("Antagande om de andra regionerna", described),
            *([("Scenario", scenario_shown)] if scenario_shown else []),
            ("Planerat enligt planeringsunderlaget", _planned_cell(at_round.planned[code])),
            ("Tillsatta", own.filled),
            ("Påbörjade", own.started),
            ("Avräknade (tidigare omgång)", own.excluded),
            ("Osäkerhet i egna siffror (± tjänster)", int(band)),
            ("Bidragsomgång", at_round.title),
            ("Pott och regler", f"{f.kr(params.pot)}, {params_words}"),
            *store_facts(store, ref.id),
            ("Per datum", (st.session_state.get("as_of") or date.today()).isoformat()),
        ]
        st.download_button(
            "Ladda ned förhandsbeskedet (XLSX, preliminärt)",
            lambda: preview_xlsx(result, region_name, rows),
            file_name=export_file_name(ref.short_title, "förhandsbesked", region_name, scenario_name, ext="xlsx"),
            on_click="ignore",
            key="pv_download",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    with expert:
        _expert(result, described)


def _planned_cell(text: str) -> AboutValue:
    return int(text) if text.isdigit() else text  # a count, or a range as written ("1-5")


def _uncertain_inputs(at_round: AtRound, figures: OwnFigures) -> tuple[Uncertain, str]:
    u1, u2 = st.columns(2)
    low, high = u1.slider(
        "Utökning när en region växer (tjänster)",
        0,
        15,
        (DEFAULT_UNCERTAIN.low, DEFAULT_UNCERTAIN.high),
        key="pv_range",
    )
    share = u2.slider(
        "Andel regioner som växer", 0, 100, round(DEFAULT_UNCERTAIN.share * 100), step=5, key="pv_share", format="%d %%"
    )
    described = (
        f"Varje annan region växer med sannolikhet {share} % och då med {low}–{high} tjänster utöver plan "
        "(jämnt fördelat), oberoende av varandra."
    )
    if figures.known:
        described += f" De {len(figures.known)} andra regioner som har rapporterat räknas med sina rapporter."
    st.caption(
        f"Standardvalet: hälften av de andra regionerna växer, var och en med {DEFAULT_UNCERTAIN.low}–"
        f"{DEFAULT_UNCERTAIN.high} tjänster utöver plan — från under första trappsteget "
        f"({at_round.steps[0].min_expansion} tjänster) till mitten av trappan. Det visar hur mycket beloppet "
        "beror på de andra; det är ingen prognos. Ändra det efter vad ni vet."
        + (" Regioner som har rapporterat räknas med sina rapporter." if figures.known else "")
    )
    return Uncertain(low, high, share / 100), described


def _results(
    result: PreviewResult,
    assumption: str,
    scenario_name: str | None,
    params: AtParams,
    own: RegionInput,
    at_round: AtRound,
    code: str,
) -> None:
    top = headline(result, assumption, scenario_name)
    st.metric(plain(top.label), top.value)
    if top.spread:
        st.markdown(plain(top.spread))
    if assumption == UNCERTAIN:
        st.caption(plain(top.condition))
    else:
        st.info(plain(top.condition), icon=":material/info:")
    if steps := step_words(result):
        st.markdown(plain(steps))
    expansion = max(0.0, max(own.filled, own.started) - float(at_round.planned_value(code)) - own.excluded)
    curve = curve_chart(result, params, expansion)
    if result.minimum == result.maximum:
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
    if len(result.step_probability) > 1:
        lines += [
            f"Sannolikhet för {'inget trappsteg' if a == 0 else f'trappsteget {f.kr(a)}'}: {f.percent(p)}"
            for a, p in sorted(result.step_probability.items())
        ]
    st.markdown(bullets(lines))
    st.caption(
        f"Preliminärt. {f.number(result.n)} simuleringar, slumpfrö {result.seed}. {plain(described.rstrip('.'))}."
    )
