"""The chosen round's allocation: for a performance round the what-if simulator (outcomes, rules, results,
charts, scenarios); for a round of fixed amounts its table."""

import streamlit as st

from allocation.at import POT_BELOW_STEPS, allocate
from present import formats as f
from present.explain import concentration_notice, explain
from present.notices import text_sv
from store.access import Action
from store.export import export_allocation, export_file_name, frame_to_csv
from ui import charts
from ui.blocks import block_simulator
from ui.fixed_table import fixed_table_view
from ui.geo import lan_outlines
from ui.inputs import example_outcomes, load_outcomes
from ui.phone import swipe_cue, wrapping_tabs
from ui.results import results_html
from ui.rounds import chosen_round
from ui.scenarios import (
    NO_SCENARIO,
    Simulation,
    example_comparison_warning,
    save_scenario_form,
    scenario_labeller,
)
from ui.simulator import (
    CURRENT,
    allocation_metrics,
    baseline_label,
    comparison_defaults,
    difference_frame,
    follow_round,
    param_state_for,
    params_controls,
    params_from_state,
)
from ui.simulator_editor import (
    EDITOR_BASE,
    EDITOR_ORDER,
    EDITOR_SOURCE,
    at_plan_inputs,
    base_frame,
    editor_key,
    editor_view,
    inputs_from_state,
    keep_edits,
    last_valid,
    parse_edited,
    remember_valid,
    set_editor_base,
    undo_to_last_valid,
)
from ui.simulator_warmup import warm_plotly
from ui.state import READ_ONLY_SV, session_or_stop
from ui.tables import signed_kr
from ui.text import bullets, plain

store = session_or_stop()
ref = chosen_round(store)
if ref.kind == "blocks":
    st.title(f"{plain(ref.short_title)} – simulering och fördelning")
    block_simulator(store, ref)
    st.stop()
if ref.kind != "performance":
    st.title(f"{plain(ref.short_title)} – fördelning")
    fixed_table_view(store, ref)
    st.stop()
at_round = store.at_round(ref.id)
follow_round(at_round)
st.title(f"{plain(ref.short_title)} – simulering och fördelning")
st.caption(f"{plain(at_round.title)} · {plain(at_round.dnr)} · regelfil version {plain(at_round.version)}")

# Opening a scenario (from the sidebar or a shared link) loads its rules and its outcomes.
active = st.session_state.get("scenario", NO_SCENARIO)
if active != st.session_state.get("sim_applied_scenario"):
    st.session_state["sim_applied_scenario"] = active
    scenario = store.scenario(active) if active != NO_SCENARIO else None
    if scenario is not None:
        for key, value in param_state_for(at_round, scenario.params).items():
            st.session_state[key] = value
        named = scenario_labeller(store, at_round.id)(scenario.name)
        set_editor_base(base_frame(at_round, scenario.inputs), f"scenariot ”{named}”")
reports = store.at_reports(at_round.id)
if EDITOR_BASE not in st.session_state:
    if reports:
        set_editor_base(base_frame(at_round, reports), f"inlästa rapporter ({len(reports)} regioner)")
    else:
        set_editor_base(base_frame(at_round, at_plan_inputs(at_round)), "alla regioner enligt plan")

with st.container(border=True):
    st.subheader("Regler")
    params = params_controls(at_round)

st.subheader("Utfall per region")
fills = st.columns([1.4, 1, 1, 1.3, 1.2, 1.5], vertical_alignment="bottom")
if fills[0].button(f"Inlästa rapporter ({len(reports)})", disabled=not reports, key="fill_reports"):
    set_editor_base(base_frame(at_round, reports), f"inlästa rapporter ({len(reports)} regioner)")
if fills[1].button("Alla enligt plan", key="fill_plan"):
    set_editor_base(base_frame(at_round, at_plan_inputs(at_round)), "alla regioner enligt plan")
more = fills[3].number_input("Tjänster utöver plan (k)", min_value=0, max_value=50, value=3, step=1, key="fill_k")
if fills[2].button("Alla plan + k", key="fill_plan_k"):
    set_editor_base(base_frame(at_round, at_plan_inputs(at_round, int(more))), f"alla regioner plan + {more}")
example_file = example_outcomes(at_round.id)
if fills[4].button("Exempel (fiktivt)", key="fill_example", disabled=example_file is None) and example_file:
    example = load_outcomes(example_file.read_bytes(), store.region_index()).inputs
    set_editor_base(base_frame(at_round, example), "exempelfilen med fiktiva utfall")
st.caption(
    f"Tabellen utgår från **{plain(st.session_state[EDITOR_SOURCE])}**. Ändra cellerna fritt: resultatet följer direkt."
)
view = editor_view(st.session_state[EDITOR_BASE], st.session_state.get(editor_key()), at_round)
swipe_cue()  # a phone shows the region and the first edited columns; the cue says there are more
wrapping_tabs()
edited = st.data_editor(
    view.data,
    key=editor_key(),
    column_config=view.column_config,
    column_order=EDITOR_ORDER,
    hide_index=True,
    num_rows="fixed",
    width="content",
    height=(len(at_round.regions) + 1) * 35 + 3,
)
keep_edits(edited)

# A wrong cell keeps the last valid results on screen, greyed and said to be the last valid ones; "Ångra"
# takes the table back to them.
parsed = parse_edited(edited, at_round)
stale = bool(parsed.problems_sv)
if stale:
    last = last_valid(at_round)
    count = len(parsed.problems_sv)
    st.error(
        (
            "En cell är fel (röd i kolumnen Mot plan); inget nytt räknas förrän den är rättad:"
            if count == 1
            else f"{count} celler är fel (röda i kolumnen Mot plan); inget nytt räknas förrän de är rättade:"
        )
        + "\n\n"
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
        on_click=undo_to_last_valid,
        disabled=last is None,
        key="sim_undo",
        icon=":material/undo:",
    )
    if last is None:
        st.stop()
    inputs = list(last.inputs)
    # Greyed: everything in the results container (a style-only st.html takes no room on the page).
    st.html("<style>.st-key-sim_results { opacity: 0.5; filter: grayscale(1); }</style>")
else:
    inputs = parsed.inputs
    remember_valid(at_round, edited, inputs)
allocation = allocate(at_round, inputs, params)
results = st.container(key="sim_results")
with results:
    if stale:
        st.caption("Senast giltiga resultat: tabellen ovan har fel.")
    allocation_metrics(allocation)
    for warning in allocation.warnings:
        st.warning(plain(text_sv(warning)))
    if notice := concentration_notice(allocation):
        st.info(notice, icon=":material/pie_chart:")


# Export file names: the round, what, the active scenario (if any) and the date; never the round's id.
active_scenario = st.session_state.get("scenario", NO_SCENARIO)
scenario_name = "" if active_scenario == NO_SCENARIO else active_scenario


def chart_with_download(chart: charts.Chart, key: str) -> None:
    st.plotly_chart(chart.figure, key=f"chart_{key}", config={"displaylogo": False, "locale": "sv"})
    st.download_button(
        "Ladda ned diagrammets data (CSV)",
        lambda: frame_to_csv(chart.data),  # made when the button is clicked, not on every run
        file_name=export_file_name(ref.short_title, key, scenario_name, ext="csv"),
        mime="text/csv",
        key=f"download_{key}",
        on_click="ignore",
    )


def show_results() -> None:
    # Planned, outcome and excluded stand in the table above; the downloads have every column.
    st.html(results_html(allocation))
    scaled = any(w.code == POT_BELOW_STEPS for w in allocation.warnings)
    st.caption(
        f"Summa utbetalt {f.kr(allocation.paid)} av potten {f.kr(allocation.pot)}. Hela kronor; "
        "största-rest-metoden (lika rester: lägre länskod först)."
        + (
            " Potten räcker inte till trappstegen: också Nästa steg: kr är nedskalat — det regionen skulle få "
            "i trappbelopp vid nästa steg, med övriga regioner oförändrade."
            if scaled
            else ""
        )
    )
    d1, d2, _ = st.columns([1, 1, 3])
    extra = {"Utfall": st.session_state[EDITOR_SOURCE] + " (med eventuella ändringar i tabellen)"}
    if stale:
        extra["Utfall"] += "; senast giltiga tabell (tabellen på sidan hade fel när filen togs ut)"
    d1.download_button(
        "Ladda ned (XLSX)",
        lambda: export_allocation(at_round, allocation, "xlsx", extra, scenario=scenario_name),
        file_name=export_file_name(ref.short_title, "fördelning", scenario_name, ext="xlsx"),
        on_click="ignore",
        key="download_xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    d2.download_button(
        "Ladda ned (CSV)",
        lambda: export_allocation(at_round, allocation, "csv"),
        file_name=export_file_name(ref.short_title, "fördelning", scenario_name, ext="csv"),
        mime="text/csv",
        on_click="ignore",
        key="download_csv",
    )
    names = {r.code: f"{r.code} {r.name}" for r in allocation.regions}
    default = max(allocation.regions, key=lambda r: r.total).code
    code = st.selectbox(
        "Förklaring för region",
        list(names),
        index=list(names).index(default),
        format_func=names.get,
        key="explain_region",
    )
    st.markdown("\n".join(f"1. {line}" for line in explain(allocation.by_code()[code], allocation)))


def show_map() -> None:
    metric = st.radio(
        "Färg efter",
        ["total", "kr_per_inhabitant"],
        horizontal=True,
        key="map_metric",
        format_func={"total": "Totalt belopp", "kr_per_inhabitant": "Kronor per invånare"}.get,
    )
    chart_with_download(charts.map_chart(allocation, lan_outlines(), metric), "karta")


def totals(result) -> list[int]:  # type: ignore[no-untyped-def]
    return [r.total for r in result.regions]


def show_comparison() -> None:
    saved = [s.name for s in store.scenarios(at_round.id)]
    baseline = baseline_label(bool(reports))
    options = [baseline, CURRENT, *saved]

    def allocation_for(name: str):  # type: ignore[no-untyped-def]
        if name == CURRENT:
            return allocation
        if name == baseline:
            return allocate(at_round, reports or at_plan_inputs(at_round), at_round.default_params())
        scenario = store.scenario(name)
        return allocate(at_round, scenario.inputs, scenario.params)

    base_default, other_default = comparison_defaults(
        baseline,
        saved,
        st.session_state.get("scenario"),
        lambda name: not stale and totals(allocation_for(name)) == totals(allocation),
    )
    label = scenario_labeller(store, at_round.id)  # a scenario made on example data is marked as such
    c1, c2 = st.columns(2)
    base_name = c1.selectbox("Bas", options, index=options.index(base_default), key="compare_base", format_func=label)
    other_name = c2.selectbox(
        "Jämförs med", options, index=options.index(other_default), key="compare_other", format_func=label
    )
    if warning := example_comparison_warning(store, at_round.id, [base_name, other_name]):
        st.warning(warning, icon=":material/science:")
    if not saved:
        st.caption("Spara ett scenario nedan för att kunna jämföra det med utgångsläget och med andra scenarier.")
    if base_name == other_name:
        st.info("Välj två olika alternativ att jämföra.")
        return
    diff = difference_frame(allocation_for(base_name), allocation_for(other_name))
    if not diff["difference"].any():
        st.info(f"”{plain(label(other_name))}” och ”{plain(label(base_name))}” ger samma belopp för varje region.")
        return
    chart_with_download(charts.comparison_chart(diff, label(base_name), label(other_name)), "jamforelse")
    shown = diff.rename(
        columns={
            "code": "Länskod",
            "region": "Region",
            "baseline": label(base_name),
            "scenario": label(other_name),
            "difference": "Skillnad",
        }
    )
    money = {c: lambda v: f.kr(int(v)) for c in (label(base_name), label(other_name))}
    st.dataframe(
        shown.style.format(money | {"Skillnad": lambda v: signed_kr(int(v))}),  # a gain with "+", as in the title
        hide_index=True,
        width="stretch",
    )


# Lazy tabs: only the open tab's content runs, so an edit redraws one view, not six. The open tab is
# part of the URL (?vy=...), like the rules. Not a fragment: with the tabs in a fragment, a click on a tab
# while the page reran (just after a quick fill) was seen in Chromium to lose the tab from the address, or
# to leave two sets of tabs on the page; the whole page's rerun costs a few tens of milliseconds.
tabs = results.tabs(
    ["Resultat", "Trappan", "Pottens fördelning", "Per invånare", "Karta", "Jämför scenarier"],
    key="vy",
    on_change="rerun",
    bind="query-params",
)
views = [
    show_results,
    lambda: chart_with_download(charts.staircase_chart(allocation), "trappan"),
    lambda: chart_with_download(charts.waterfall_chart(allocation), "pottens-fordelning"),
    lambda: chart_with_download(charts.per_capita_chart(allocation), "per-invanare"),
    show_map,
    show_comparison,
]
for tab, view in zip(tabs, views, strict=True):
    if tab.open:
        with tab:
            view()

st.subheader("Spara som scenario")
BLOCKED_SV = "Rätta tabellen (eller tryck Ångra) innan du sparar: ett scenario sparar tabellen som den är."


def current_simulation() -> Simulation:
    """The rules and the table as the widgets hold them when "Spara scenario" is pressed."""
    parsed = inputs_from_state(at_round)
    return Simulation(params_from_state(at_round), parsed.inputs, BLOCKED_SV if parsed.problems_sv else None)


if store.may(Action.SAVE_SCENARIO):
    save_scenario_form(at_round, current_simulation, blocked_sv=BLOCKED_SV if stale else None)
else:
    st.info(READ_ONLY_SV, icon=":material/visibility:")

warm_plotly()  # the chart tabs' Plotly code, loaded while the user reads the page (see the module)
