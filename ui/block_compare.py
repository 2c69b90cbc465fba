"""Comparing two simulations of a round: the baseline (the rules with the reports read in), the current
simulation and the saved scenarios, by the difference per recipient as a chart and a table."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from allocation.block_data import Recipient
from allocation.blocks import RoundResult
from store.session import Session
from ui.block_editor import Setup
from ui.charts import comparison_chart
from ui.grid import figures_table, money
from ui.scenarios import example_comparison_warning, scenario_labeller
from ui.tables import signed_kr
from ui.text import plain

CHART_CONFIG = {"displaylogo": False, "locale": "sv"}
CURRENT = "Aktuell simulering"


def comparison_defaults(
    baseline: str, saved: Sequence[str], active: str | None, is_current: Callable[[str], bool]
) -> tuple[str, str]:
    """The pair the comparison opens with: never a scenario against its own identical copy.

    The scenario in view is the active one (just saved or opened), else the newest saved. If the current
    simulation gives the same amounts (``is_current``), compare it with the baseline; after changes, compare
    the scenario with the current simulation (what the changes did). With nothing saved: the baseline.
    """
    scenario = active if active in saved else (saved[0] if saved else None)
    if scenario is None:
        return baseline, CURRENT
    return (baseline, scenario) if is_current(scenario) else (scenario, CURRENT)


def difference_frame(base: RoundResult, other: RoundResult, recipients: Sequence[Recipient]) -> pd.DataFrame:
    """Per recipient: the two totals and the difference (other − base)."""
    diff = pd.DataFrame(
        {
            "code": [r.code for r in recipients],
            "region": [r.name for r in recipients],
            "baseline": [base.totals[r.code] for r in recipients],
            "scenario": [other.totals[r.code] for r in recipients],
        }
    )
    diff["difference"] = diff["scenario"] - diff["baseline"]
    return diff


def comparison_tab(
    store: Session, s: Setup, result: RoundResult, baseline: str, result_of: Callable[[str], RoundResult]
) -> None:
    """Two of the baseline, the current simulation and the saved scenarios, side by side per recipient."""
    saved = [x.name for x in store.scenarios.scenarios(s.round_.id)]
    options = [baseline, CURRENT, *saved]
    base_default, other_default = comparison_defaults(
        baseline,
        saved,
        st.session_state.get("scenario"),
        lambda name: result_of(name).totals == result.totals,
    )
    label = scenario_labeller(store, s.round_.id)  # a scenario made on example data is marked as such
    c1, c2 = st.columns(2)
    base_name = c1.selectbox("Bas", options, index=options.index(base_default), key="compare_base", format_func=label)
    other_name = c2.selectbox(
        "Jämförs med",
        options,
        index=options.index(other_default),
        key="compare_other",
        format_func=label,
    )
    if warning := example_comparison_warning(store, s.round_.id, [base_name, other_name]):
        st.warning(warning, icon=":material/science:")
    if not saved:
        st.caption("Spara ett scenario nedan för att kunna jämföra det med utgångsläget och med andra scenarier.")
    if base_name == other_name:
        st.info("Välj två olika alternativ att jämföra.")
        return
    diff = difference_frame(result_of(base_name), result_of(other_name), s.recipients)
    if not diff["difference"].any():
        st.info(f"”{plain(label(other_name))}” och ”{plain(label(base_name))}” ger samma belopp för varje region.")
        return
    base_name, other_name = label(base_name), label(other_name)
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
    figures_table(  # a gain with "+"; the scenarios' names as their authors wrote them
        shown, {base_name: money, other_name: money, "Skillnad": signed_kr}, as_given=(base_name, other_name)
    )
