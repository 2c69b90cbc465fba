"""The simulator of a round of blocks: pots and staircases per block (bound to the address), the outcomes table,
results per block and in total, the charts, saved scenarios and their comparison.

Every block is computed by the method its rules name (one registry); the page knows no round and no method
by heart: the pots, the blocks and their charts all come from the round's rules.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from allocation.block_convert import at_values, recipients_from_regions
from allocation.block_engine import allocate_round
from allocation.blocks import Round, RoundResult
from allocation.whatif import WhatIf, apply, from_at_params
from present import formats as f
from present.notices import FLOW_CODES, names_of, text_sv
from store.access import Action
from store.export import store_facts
from store.model import Scenario
from store.session import Session
from ui import block_editor as ed
from ui import block_whatif
from ui.block_charts import (
    block_chart,
    block_titles,
    map_chart,
    per_capita_chart,
    results_frame,
    waterfall_chart,
)
from ui.block_editor import Setup, extra_keys, report_events
from ui.charts import Chart, comparison_chart
from ui.downloads import download_pair
from ui.geo import lan_outlines
from ui.rounds import RoundRef
from ui.scenarios import NO_SCENARIO, save_what_if_form
from ui.simulator import CURRENT, comparison_defaults
from ui.state import READ_ONLY_SV
from ui.text import bullets, plain

__all__ = ["block_simulator", "extra_keys", "missing_keys", "report_events"]

APPLIED = "blk_applied_scenario"
BLOCKED_SV = "Rätta tabellen (eller tryck Ångra) innan du sparar: ett scenario sparar tabellen som den är."
CHART_CONFIG = {"displaylogo": False, "locale": "sv"}


def missing_keys(round_: Round, values: dict[str, dict[str, object]]) -> list[str]:
    return [k for k in extra_keys(round_) if not values.get(k)]


def _reports_frame(store: Session, s: Setup) -> tuple[pd.DataFrame, str]:
    reports = store.at_reports(s.round_.id)
    dates = store.report_dates(s.round_.id)
    return ed.base_frame(s, reports, dates), f"inlästa rapporter ({len(reports)} regioner)"


def _open_scenario(store: Session, s: Setup) -> None:
    """Opening a scenario (from the sidebar or a shared link) loads its pots, steps and table."""
    active = st.session_state.get("scenario", NO_SCENARIO)
    if active == st.session_state.get(APPLIED):
        return
    st.session_state[APPLIED] = active
    scenario = store.scenario(active) if active != NO_SCENARIO else None
    if scenario is None or scenario.round_id != s.round_.id:
        return
    what_if = scenario_what_if(s.round_, scenario)
    block_whatif.open_what_if(s.round_, what_if)
    frame = ed.what_if_frame(s, what_if.values, what_if.events)
    ed.set_base(s, frame, f"scenariot ”{scenario.name}”")


def scenario_what_if(round_: Round, scenario: Scenario) -> WhatIf:
    """A saved scenario as a what-if: its own, or one saved in the 2023 AT format converted."""
    if scenario.what_if is not None:
        return scenario.what_if
    assert scenario.params is not None
    return from_at_params(round_, scenario.params, at_values(scenario.inputs))


def _fills(store: Session, s: Setup) -> None:
    reports = store.at_reports(s.round_.id)
    fills = st.columns([1.4, 1, 1, 3], vertical_alignment="bottom")
    if fills[0].button(f"Inlästa rapporter ({len(reports)})", key="blk_reports", disabled=not reports):
        ed.set_base(s, *_reports_frame(store, s))
    more = int(fills[2].number_input("Tjänster utöver plan", min_value=0, max_value=50, value=3, key="blk_more"))
    if fills[1].button("Alla plan + tjänster", key="blk_plan_k"):
        on_time = s.report_by  # everyone reports on the last day that counts
        reported = {r.code: on_time for r in s.recipients} if on_time else {}
        ed.set_base(s, ed.base_frame(s, ed.plan_inputs(s, more), reported), f"alla regioner plan + {more}")


def _simulate(round_: Round, s: Setup, what_if: WhatIf, values: ed.Values, events: ed.Events) -> RoundResult:
    return allocate_round(apply(round_, what_if), s.recipients, values, events, dict(what_if.pots))


def block_simulator(store: Session, ref: RoundRef) -> None:
    round_ = store.block_round(ref.id)
    s = ed.make_setup(round_, recipients_from_regions(store.regions(round_.population_date)))
    if block_whatif.follow_round(round_):
        ed.forget(s)
    st.caption(f"{plain(round_.title)} · {plain(round_.dnr)} · regelfil version {plain(round_.version)}")
    if round_.illustrative:
        st.warning(
            "Illustrativ omgång: uppgifter som inte är kända (markerade i regelfilen) är antaganden, inte "
            "officiella siffror. Beloppen är exempel.",
            icon=":material/science:",
        )
    _open_scenario(store, s)
    if not ed.has_base(s):
        ed.set_base(s, *_reports_frame(store, s))
    with st.container(border=True):
        st.subheader("Block och pottar")
        what_if = block_whatif.controls(round_)
    st.subheader("Utfall per region")
    _fills(store, s)
    st.caption(f"Tabellen utgår från **{plain(ed.source(s))}**. Ändra cellerna fritt: resultatet följer direkt.")
    frame, parsed = ed.editor(s)
    stale = bool(parsed.problems_sv)
    if stale:
        last = ed.last_valid(s)
        st.error(
            "Rätta de markerade cellerna; inget nytt räknas förrän alla värden är giltiga:\n\n"
            + bullets(parsed.problems_sv)
            + (
                "\n\nResultaten nedan är de **senast giltiga** och visas i grått."
                if last is not None
                else "\n\nDet finns inga giltiga resultat att visa ännu."
            ),
            icon=":material/error:",
        )
        st.button(
            "Ångra: tillbaka till senast giltiga tabell",
            on_click=ed.undo,
            args=(s,),
            disabled=last is None,
            key="blk_undo",
            icon=":material/undo:",
        )
        if last is None:
            st.stop()
        values, events = last.values, last.events
        st.html("<style>.st-key-blk_results { opacity: 0.5; filter: grayscale(1); }</style>")
    else:
        values, events = parsed.values, parsed.events
        ed.remember_valid(s, frame, parsed)
    result = _simulate(round_, s, what_if, values, events)
    with st.container(key="blk_results"):
        if stale:
            st.caption("Senast giltiga resultat: tabellen ovan har fel.")
        _show_result(store, ref, s, result, lambda name: _scenario_result(store, s, name, result))
    st.subheader("Spara som scenario")
    if store.may(Action.SAVE_SCENARIO):

        def current_what_if() -> WhatIf | str:
            _, now = ed.current(s)
            if now.problems_sv:
                return BLOCKED_SV
            return WhatIf(what_if.pots, what_if.steps, now.values, now.events, what_if.keys)

        save_what_if_form(round_.id, current_what_if, blocked_sv=BLOCKED_SV if stale else None)
    else:
        st.info(READ_ONLY_SV, icon=":material/visibility:")


def _baseline_label(store: Session, s: Setup) -> str:
    reports = store.at_reports(s.round_.id)
    return "Utgångsläge (reglernas belopp, " + ("inlästa rapporter)" if reports else "inga rapporter)")


def _scenario_result(store: Session, s: Setup, name: str, current: RoundResult) -> RoundResult:
    if name == CURRENT:
        return current
    if name == _baseline_label(store, s):
        frame, _ = _reports_frame(store, s)
        parsed = ed.parse(s, frame)
        return _simulate(s.round_, s, WhatIf(), parsed.values, parsed.events)
    scenario = store.scenario(name)
    assert scenario is not None
    what_if = scenario_what_if(s.round_, scenario)
    return _simulate(s.round_, s, what_if, dict(what_if.values), dict(what_if.events))


def _show_result(
    store: Session, ref: RoundRef, s: Setup, result: RoundResult, result_of: Callable[[str], RoundResult]
) -> None:
    titles = block_titles(s.round_)
    m = st.columns(3)
    m[0].metric("Pott", f.mnkr(result.pot), help=f.kr(result.pot))
    m[1].metric("Utbetalt", f.mnkr(result.paid), help=f.kr(result.paid))
    m[2].metric("Ej fördelat", f.mnkr(result.unallocated), help=f.kr(result.unallocated))
    for start in range(0, len(result.blocks), 3):  # at most three blocks a row: the titles stay whole
        row = result.blocks[start : start + 3]
        for column, block in zip(st.columns(3), row, strict=False):
            inflow = f" (varav {f.mnkr(block.inflow)} från andra block)" if block.inflow else ""
            column.metric(
                plain(titles[block.block_id]), f.mnkr(block.paid), help=f"Utbetalt av {f.kr(block.available)}{inflow}"
            )
    for block_id, notice in result.notices:
        if notice.code in FLOW_CODES:  # each block's tab says where its unpaid money goes
            continue
        st.info(f"**{plain(titles[block_id])}:** {plain(text_sv(notice, names_of(s.round_.blocks, s.recipients)))}")
    frame = results_frame(result, s.recipients, titles)
    # Lazy tabs, bound to the address: only the open tab builds its table or chart.
    tabs = st.tabs(
        [
            "Resultat",
            "Pottens fördelning",
            "Per invånare",
            "Karta",
            "Jämför scenarier",
            *(plain(titles[b.block_id]) for b in result.blocks),  # titles: markdown
        ],
        key="blk_vy",
        on_change="rerun",
        bind="query-params",
    )
    views: list[Callable[[], None]] = [
        lambda: _results_tab(store, ref, s, result, frame),
        lambda: _chart(waterfall_chart(result, titles), ref, "pottens-fordelning"),
        lambda: _chart(per_capita_chart(result, s.recipients, titles), ref, "per-invanare"),
        lambda: _map_tab(result, s, titles, ref),
        lambda: _comparison_tab(store, s, result, result_of),
    ]
    views += [
        (lambda b=b: _chart(block_chart(b, s.recipients, titles[b.block_id]), ref, f"block-{b.block_id}", b))
        for b in result.blocks
    ]
    for tab, view in zip(tabs, views, strict=True):
        if tab.open:
            with tab:
                view()


def _chart(chart: Chart, ref: RoundRef, name: str, block=None) -> None:  # type: ignore[no-untyped-def]
    st.plotly_chart(chart.figure, key=f"blk_chart_{name}", config=CHART_CONFIG)
    st.dataframe(chart.data, hide_index=True, width="stretch")  # the chart's figures as a table
    if block is not None:
        flow = (
            " Det som blocket inte betalar går till ett annat block."
            if block.unpaid_to
            else " Det som blocket inte betalar förblir ofördelat."
        )
        st.caption(
            f"Pott {f.kr(block.pot)}"
            + (f" + {f.kr(block.inflow)} från andra block" if block.inflow else "")
            + f"; utbetalt {f.kr(block.paid)} till {len(block.eligible)} behöriga.{flow}"
        )


def _map_tab(result: RoundResult, s: Setup, titles: dict[str, str], ref: RoundRef) -> None:
    metric = st.radio(
        "Färg efter",
        ["total", "kr_per_inhabitant"],
        horizontal=True,
        key="blk_map_metric",
        format_func={"total": "Totalt belopp", "kr_per_inhabitant": "Kronor per invånare"}.get,
    )
    _chart(map_chart(result, s.recipients, titles, lan_outlines(), metric), ref, "karta")


def _results_tab(store: Session, ref: RoundRef, s: Setup, result: RoundResult, frame: pd.DataFrame) -> None:
    money = [c for c in frame.columns if c.endswith("(kr)")]
    styled = frame.style.format(
        {c: (lambda v: f.kr(int(v))) for c in money} | {"kr per invånare": lambda v: f.number(v, 2)}
    )
    st.dataframe(styled, hide_index=True, width="stretch")
    st.caption(
        f"Summa utbetalt {f.kr(result.paid)} av {f.kr(result.pot)}; ej fördelat {f.kr(result.unallocated)}. "
        "Hela kronor; största-rest-metoden (lika rester: lägre länskod först)."
    )
    titles = block_titles(s.round_)
    about = [
        ("Bidragsomgång", s.round_.title),
        ("Diarienummer", s.round_.dnr),
        ("Regelversion", s.round_.version),
        *((f"Pott: {titles[b.block_id]}", f.kr(b.pot)) for b in result.blocks),
        ("Utfall", ed.source(s)),
        ("Illustrativ", "ja: antaganden, inte officiella siffror" if s.round_.illustrative else "nej"),
        *store_facts(store),
    ]
    download_pair(frame, about, sheet="Fördelning", name=(ref.short_title, "fördelning"), key="blk")


def _comparison_tab(store: Session, s: Setup, result: RoundResult, result_of: Callable[[str], RoundResult]) -> None:
    saved = [x.name for x in store.scenarios(s.round_.id)]
    baseline = _baseline_label(store, s)
    options = [baseline, CURRENT, *saved]
    base_default, other_default = comparison_defaults(
        baseline,
        saved,
        st.session_state.get("scenario"),
        lambda name: result_of(name).totals == result.totals,
    )
    c1, c2 = st.columns(2)
    base_name = c1.selectbox("Bas", options, index=options.index(base_default), key="compare_base")
    other_name = c2.selectbox("Jämförs med", options, index=options.index(other_default), key="compare_other")
    if not saved:
        st.caption("Spara ett scenario nedan för att kunna jämföra det med utgångsläget och med andra scenarier.")
    if base_name == other_name:
        st.info("Välj två olika alternativ att jämföra.")
        return
    base, other = result_of(base_name), result_of(other_name)
    diff = pd.DataFrame(
        {
            "code": [r.code for r in s.recipients],
            "region": [r.name for r in s.recipients],
            "baseline": [base.totals[r.code] for r in s.recipients],
            "scenario": [other.totals[r.code] for r in s.recipients],
        }
    )
    diff["difference"] = diff["scenario"] - diff["baseline"]
    if not diff["difference"].any():
        st.info(f"”{plain(other_name)}” och ”{plain(base_name)}” ger samma belopp för varje region.")
        return
    chart = comparison_chart(diff, base_name, other_name)
    st.plotly_chart(chart.figure, key="blk_chart_jamforelse", config=CHART_CONFIG)
    shown = diff.rename(
        columns={
            "code": "Länskod",
            "region": "Region",
            "baseline": base_name,
            "scenario": other_name,
            "difference": "Skillnad",
        }
    )
    st.dataframe(
        shown.style.format({c: lambda v: f.kr(int(v)) for c in (base_name, other_name, "Skillnad")}),
        hide_index=True,
        width="stretch",
    )
