"""The simulator of a round of blocks: pots and staircases per block (bound to the address), the outcomes table,
results per block and in total, the charts, saved scenarios and their comparison.

Every block is computed by the method its rules name (one registry); the page knows no round and no method
by heart: the pots, the blocks and their charts all come from the round's rules.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from allocation.block_convert import recipients_from_regions
from allocation.block_engine import allocate_round
from allocation.blocks import Round, RoundResult
from allocation.method_params import FixedTableParams, StaircaseParams
from allocation.report_values import engine_values
from allocation.whatif import Events, Values, WhatIf, apply, staircase_blocks
from present import formats as f
from present.block_table import Stairs, stair_details
from present.explain import block_concentration_notice, has_report
from present.notices import FLOW_CODES, names_of, text_sv
from store.access import Action
from store.session import Session
from ui import block_editor as ed
from ui import block_whatif
from ui.block_charts import (
    block_chart,
    block_titles,
    map_chart,
    per_capita_chart,
    waterfall_chart,
)
from ui.block_compare import CURRENT, comparison_tab
from ui.block_editor import Setup, extra_keys, report_events
from ui.block_results import Shown, results_tab
from ui.block_staircase import staircase_chart
from ui.charts import Chart
from ui.fixed_table import fixed_block_view
from ui.geo import lan_outlines
from ui.grid import figures_table
from ui.inputs import example_outcomes, load_outcomes
from ui.phone import swipe_cue, wrapping_tabs
from ui.rounds import RoundRef
from ui.scenarios import NO_SCENARIO, PENDING, save_what_if_form
from ui.state import READ_ONLY_SV
from ui.text import bullets, plain

__all__ = ["block_simulator", "extra_keys", "missing_keys", "report_events"]

APPLIED = "blk_applied_scenario"
RERAN_FOR_SAVED = "blk_reran_for_saved"
BLOCKED_SV = "Rätta tabellen (eller tryck Ångra) innan du sparar: ett scenario sparar tabellen som den är."
CHART_CONFIG = {"displaylogo": False, "locale": "sv"}


def missing_keys(round_: Round, values: dict[str, dict[str, object]]) -> list[str]:
    return [k for k in extra_keys(round_) if not values.get(k)]


def _reports_frame(store: Session, s: Setup) -> tuple[pd.DataFrame, str]:
    values, dates = store.reports.report_values(s.round_.id), store.reports.report_dates(s.round_.id)
    frame = ed.what_if_frame(s, values, {event: dates for event in s.events})
    return frame, f"inlästa rapporter ({len(dates)} regioner)"


def _start(store: Session, s: Setup) -> None:
    """The table a simulation starts from: the reports read in, or everyone at plan while there are none."""
    if store.reports.reports(s.round_.id):
        ed.set_base(s, *_reports_frame(store, s))
    else:
        ed.set_base(s, ed.base_frame(s, ed.plan_values(s), {}), "alla regioner enligt plan")


def _open_scenario(store: Session, s: Setup) -> None:
    """Opening a scenario (from the sidebar or a shared link) loads its pots, steps and table."""
    active = st.session_state.get("scenario", NO_SCENARIO)
    if active == st.session_state.get(APPLIED):
        return
    st.session_state[APPLIED] = active
    scenario = store.scenarios.scenario(active) if active != NO_SCENARIO else None
    if scenario is None or scenario.round_id != s.round_.id:
        return
    what_if = scenario.what_if
    block_whatif.open_what_if(s.round_, what_if)
    frame = ed.what_if_frame(s, what_if.values, what_if.events)
    ed.set_base(s, frame, f"scenariot ”{scenario.name}”")


def _plan_frame(s: Setup, more: int) -> pd.DataFrame:
    on_time = s.report_by  # everyone reports on the last day that counts
    reported = {r.code: on_time for r in s.recipients} if on_time else {}
    return ed.base_frame(s, ed.plan_values(s, more), reported)


def _fills(store: Session, s: Setup) -> None:
    """Quick fills of the table: the reports, everyone at plan, at plan + k, the fictitious example file."""
    reports = store.reports.reports(s.round_.id)
    fills = st.columns([1.4, 1, 1.1, 1.2, 1.2], vertical_alignment="bottom")
    if fills[0].button(f"Inlästa rapporter ({len(reports)})", key="blk_reports", disabled=not reports):
        ed.set_base(s, *_reports_frame(store, s))
    if fills[1].button("Alla enligt plan", key="blk_plan"):
        ed.set_base(s, _plan_frame(s, 0), "alla regioner enligt plan")
    more = int(fills[3].number_input("Tjänster utöver plan", min_value=0, max_value=50, value=3, key="blk_more"))
    if fills[2].button("Alla plan + tjänster", key="blk_plan_k"):
        ed.set_base(s, _plan_frame(s, more), f"alla regioner plan + {more}")
    example = example_outcomes(s.round_.id)
    if fills[4].button("Exempel (fiktivt)", key="blk_example", disabled=example is None) and example:
        reports = load_outcomes(example.read_bytes(), store.rounds.region_index()).reports
        ed.set_base(s, ed.base_frame(s, engine_values(reports), {}), "exempelfilen med fiktiva utfall")


def _simulate(round_: Round, s: Setup, what_if: WhatIf, values: ed.Values, events: ed.Events) -> RoundResult:
    return allocate_round(apply(round_, what_if), s.recipients, values, events, dict(what_if.pots))


def _needs_table(s: Setup) -> bool:
    """Whether any block reads values per recipient (a round of fixed amounts has nothing to edit)."""
    return bool(staircase_blocks(s.round_) or s.keys or s.events or s.round_.planned)


def block_simulator(store: Session, ref: RoundRef) -> None:
    round_ = store.rounds.block_round(ref.id)
    s = ed.make_setup(round_, recipients_from_regions(store.rounds.regions(round_.population_date)))
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
        _start(store, s)
    with st.container(border=True):
        st.subheader("Block och pottar")
        what_if = block_whatif.controls(round_)
    _table_and_results(store, ref, s, what_if)


@st.fragment
def _table_and_results(store: Session, ref: RoundRef, s: Setup, what_if: WhatIf) -> None:
    """The outcomes table and everything computed from it, one fragment: an edit of a cell, a quick fill,
    Ångra or a tab reruns this part only (the frame, the sidebar and the pots above do not depend on the
    table). A change above reruns the whole page, this part with it."""
    # A scenario was just saved: the whole page runs again, so the sidebar makes it the active one (once: a
    # sidebar without the scenario picker leaves it pending).
    reran = st.session_state.pop(RERAN_FOR_SAVED, False)
    if PENDING in st.session_state and not reran:
        st.session_state[RERAN_FOR_SAVED] = True
        st.rerun()
    stale, values, events = _outcomes(store, s)
    applied = apply(s.round_, what_if)
    result = allocate_round(applied, s.recipients, values, events, dict(what_if.pots))
    stairs, derived = stair_details(applied, result, s.recipients, values)
    wrapping_tabs()  # every tab's name whole on a phone
    with st.container(key="blk_results"):
        if stale:
            st.caption("Senast giltiga resultat: tabellen ovan har fel.")
        shown = Shown(
            store,
            ref,
            s,
            result,
            applied,
            what_if,
            stairs,
            derived,
            lambda name: _scenario_result(store, s, name, result),
        )
        _show_result(shown, stale)
    _save_form(store, s, what_if, stale)


def _outcomes(store: Session, s: Setup) -> tuple[bool, Values, Events]:
    """The outcomes table (when the round has one) and the values and report days to compute from: the
    table's, or while a cell is wrong the last valid ones (stale: shown greyed, with Ångra)."""
    if not _needs_table(s):
        parsed = ed.current(s)[1]
        return False, parsed.values, parsed.events
    st.subheader("Utfall per region")
    _fills(store, s)
    st.caption(f"Tabellen utgår från **{plain(ed.source(s))}**. Ändra cellerna fritt: resultatet följer direkt.")
    swipe_cue()  # a phone shows the region and the first edited columns; the cue says there are more
    frame, parsed = ed.editor(s)
    if not parsed.problems_sv:
        ed.remember_valid(s, frame, parsed)
        return False, parsed.values, parsed.events
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
    st.html("<style>.st-key-blk_results { opacity: 0.5; filter: grayscale(1); }</style>")
    return True, last.values, last.events


def _save_form(store: Session, s: Setup, what_if: WhatIf, stale: bool) -> None:
    """Saving the table and the pots above as a scenario (what a role may not do, it is told)."""
    st.subheader("Spara som scenario")
    if not store.may(Action.SAVE_SCENARIO):
        st.info(READ_ONLY_SV, icon=":material/visibility:")
        return

    def current_what_if() -> WhatIf | str:
        _, now = ed.current(s)
        if now.problems_sv:
            return BLOCKED_SV
        return WhatIf(what_if.pots, what_if.steps, now.values, now.events, what_if.keys)

    save_what_if_form(s.round_.id, current_what_if, blocked_sv=BLOCKED_SV if stale else None)


def _baseline_label(store: Session, s: Setup) -> str:
    reports = store.reports.reports(s.round_.id)
    return "Utgångsläge (reglernas belopp, " + ("inlästa rapporter)" if reports else "inga rapporter)")


def _scenario_result(store: Session, s: Setup, name: str, current: RoundResult) -> RoundResult:
    if name == CURRENT:
        return current
    if name == _baseline_label(store, s):
        frame, _ = _reports_frame(store, s)
        parsed = ed.parse(s, frame)
        return _simulate(s.round_, s, WhatIf(), parsed.values, parsed.events)
    scenario = store.scenarios.scenario(name)
    assert scenario is not None
    what_if = scenario.what_if
    return _simulate(s.round_, s, what_if, dict(what_if.values), dict(what_if.events))


def _show_result(v: Shown, stale: bool) -> None:
    result, s = v.result, v.s
    titles = block_titles(s.round_)
    m = st.columns(3)
    m[0].metric("Pott", f.mnkr(result.pot), help=f.kr(result.pot))
    m[1].metric("Utbetalt", f.mnkr(result.paid), help=f.kr(result.paid))
    m[2].metric("Ej fördelat", f.mnkr(result.unallocated), help=f.kr(result.unallocated))
    if len(result.blocks) > 1:
        for start in range(0, len(result.blocks), 3):  # at most three blocks a row: the titles stay whole
            row = result.blocks[start : start + 3]
            for column, block in zip(st.columns(3), row, strict=False):
                inflow = f" (varav {f.mnkr(block.inflow)} från andra block)" if block.inflow else ""
                column.metric(
                    plain(titles[block.block_id]),
                    f.mnkr(block.paid),
                    help=f"Utbetalt av {f.kr(block.available)}{inflow}",
                )
    for block_id, stair in v.stairs.items():
        _stair_metrics(v, block_id, stair)
    for block_id, notice in result.notices:
        if notice.code in FLOW_CODES:  # each block's tab says where its unpaid money goes
            continue
        where = "" if len(result.blocks) == 1 else f"**{plain(titles[block_id])}:** "
        st.warning(f"{where}{plain(text_sv(notice, names_of(s.round_.blocks, s.recipients)))}")
    names = {r.code: r.name for r in s.recipients}
    populations = {r.code: r.population for r in s.recipients}
    for block_id, stair in v.stairs.items():
        if notice := block_concentration_notice(v.applied, result, block_id, stair, names, populations):
            st.info(notice, icon=":material/pie_chart:")
    # Lazy tabs, bound to the address: only the open tab builds its table or chart.
    tabs = st.tabs(
        [
            "Resultat",
            "Pottens fördelning",
            "Per invånare",
            "Karta",
            "Jämför scenarier",
            *(_block_tab(v, b.block_id) for b in result.blocks),  # titles: markdown
        ],
        key="vy",
        on_change="rerun",
        bind="query-params",
    )
    views: list[Callable[[], None]] = [
        lambda: results_tab(v, stale),
        lambda: _chart(waterfall_chart(result, titles), "pottens-fordelning"),
        lambda: _chart(per_capita_chart(result, s.recipients, titles), "per-invanare"),
        lambda: _map_tab(result, s, titles),
        lambda: comparison_tab(v.store, s, result, _baseline_label(v.store, s), v.result_of),
    ]
    views += [(lambda b=b: _block_view(v, b)) for b in result.blocks]
    for tab, view in zip(tabs, views, strict=True):
        if tab.open:
            with tab:
                view()


def _stair_metrics(v: Shown, block_id: str, stair: Stairs) -> None:
    """A staircase block in figures: steps, leftover shared, recipients on the stairs."""
    outcome = v.result.block(block_id)
    title = "" if len(v.result.blocks) == 1 else f"{v.applied.block(block_id).title}: "
    steps = sum(outcome.parts.get("step", {}).values())
    leftover = sum(outcome.parts.get("leftover", {}).values())
    on = sum(1 for d in stair.values() if d.level)
    with st.container(horizontal=True, gap="medium", key=f"blk_stair_{block_id}"):
        st.metric(plain(f"{title}Trappsteg"), f.mnkr(steps), help=f"Exakt: {f.kr(steps)}", width="content")
        st.metric(plain(f"{title}Omfördelat"), f.mnkr(leftover), help=f"Exakt: {f.kr(leftover)}", width="content")
        st.metric(plain(f"{title}Kvalificerade regioner"), f"{on} av {len(stair)}", width="content")


def _block_tab(v: Shown, block_id: str) -> str:
    """A block's tab: ``Trappan`` for the one staircase of a round of one block, else the block's title."""
    if len(v.result.blocks) == 1 and block_id in v.stairs:
        return "Trappan"
    if len(v.result.blocks) == 1 and isinstance(v.applied.block(block_id).params, FixedTableParams):
        return "Belopp per region"
    return plain(v.applied.block(block_id).title)


def _block_view(v: Shown, b) -> None:  # type: ignore[no-untyped-def]
    """A block's tab: the staircase with every recipient, the fixed table, and the block's amounts."""
    block = v.applied.block(b.block_id)
    if b.block_id in v.stairs:
        reported = {r.code for r in v.s.recipients if has_report(v.derived, r.code)}
        chart = staircase_chart(v.applied, b.block_id, v.stairs[b.block_id], v.s.recipients, reported)
        _chart(chart, f"trappan-{b.block_id}" if len(v.result.blocks) > 1 else "trappan")
    if isinstance(block.params, FixedTableParams):
        fixed_block_view(block, v.s.recipients)
    if not isinstance(block.params, StaircaseParams | FixedTableParams) or len(v.result.blocks) > 1:
        _chart(block_chart(b, v.s.recipients, block.title), f"block-{b.block_id}", b)


def _chart(chart: Chart, name: str, block=None) -> None:  # type: ignore[no-untyped-def]
    st.plotly_chart(chart.figure, key=f"blk_chart_{name}", config=CHART_CONFIG)
    figures_table(chart.data)  # the chart's figures as a table
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


def _map_tab(result: RoundResult, s: Setup, titles: dict[str, str]) -> None:
    metric = st.radio(
        "Färg efter",
        ["total", "kr_per_inhabitant"],
        horizontal=True,
        key="blk_map_metric",
        format_func={"total": "Totalt belopp", "kr_per_inhabitant": "Kronor per invånare"}.get,
    )
    _chart(map_chart(result, s.recipients, titles, lan_outlines(), metric), "karta")
