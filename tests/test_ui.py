"""Pure pieces of the dashboard: the simulator's table, the figures (data in, figure out)."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd
import pytest

from allocation.report_values import engine_values
from allocation.whatif import WhatIf
from ingest.data_folder import load_block_round
from present import formats as f
from present.block_table import stair_columns, with_sum_row
from tests.block_helpers import at_result, at_view, recipients, simulate
from tests.report_helpers import positions, reports_of
from ui import block_editor as ed
from ui.block_charts import block_titles, map_chart, per_capita_chart, results_frame, waterfall_chart
from ui.block_compare import difference_frame
from ui.block_staircase import staircase_chart
from ui.charts import comparison_chart
from ui.geo import lan_outlines

ROUND = load_block_round("at-2023")
SETUP = ed.make_setup(ROUND, recipients())
SOME = [positions("09", 19, 18), positions("01", 284, 280), positions("23", 30, 28), positions("25", 58, 56, 1)]


def _frame(inputs):  # type: ignore[no-untyped-def]
    return ed.base_frame(SETUP, engine_values(inputs), {})


def test_base_frame_has_every_region_with_the_plan_as_written() -> None:
    frame = _frame([positions("09", 19, 18, 1, Fraction(5, 2))])
    assert len(frame) == 21
    gotland = frame[frame["code"] == "09"].iloc[0]
    assert (gotland["planned"], gotland["filled"], gotland["started"], gotland["excluded"]) == ("2.5", 19, 18, 1)
    assert frame[frame["code"] == "25"].iloc[0]["planned"] == "51"


def test_an_unchanged_table_gives_back_the_inputs() -> None:
    parsed = ed.parse(SETUP, _frame(SOME))
    assert parsed.problems_sv == []
    assert len(parsed.values["filled"]) == 21
    assert [parsed.values[k]["25"] for k in ("filled", "started", "excluded")] == [58, 56, 1]
    assert [parsed.values[k]["03"] for k in ("filled", "started", "excluded")] == [0, 0, 0]
    assert "planned" not in parsed.values  # the plan as written: no override


def test_a_changed_plan_is_an_override_and_a_range_counts_as_its_midpoint() -> None:
    frame = _frame(SOME)
    frame.loc[frame["code"] == "09", "planned"] = "14-18"
    assert ed.parse(SETUP, frame).values["planned"]["09"] == 16


def test_wrong_cells_are_named_by_region_and_column() -> None:
    frame = _frame(SOME)
    frame["filled"] = frame["filled"].astype("object")
    frame.loc[frame["code"] == "09", "filled"] = -2
    frame.loc[frame["code"] == "01", "planned"] = "300-280"
    frame.loc[frame["code"] == "23", "started"] = None
    problems = ed.parse(SETUP, frame).problems_sv
    assert problems == [
        'Stockholm (rad 1), kolumn Planerat: "300-280" är ett omvänt intervall (skriv det lägre talet först)',
        'Gotland (rad 8), kolumn Tillsatta: "-2" är negativt',
        "Jämtland (rad 19), kolumn Påbörjade: tomt värde; skriv 0 om det inte finns några",
    ]


def test_everyone_at_plan_plus_k_expands_by_k() -> None:
    _, _, stairs, _ = simulate(ed.plan_values(SETUP, 3))
    assert {d.measure for d in stairs["performance"].values()} == {3}  # the measure: positions beyond plan
    assert simulate(ed.plan_values(SETUP))[1].paid == 0


def test_results_table_is_the_engine_with_step_leftover_next_step_and_a_totals_row() -> None:
    applied, result, stairs, derived = at_result(SOME)
    extra = stair_columns(applied, stairs, derived, recipients())
    frame = with_sum_row(results_frame(result, recipients(), block_titles(applied), extra))
    regions, totals = frame.iloc[:-1], frame.iloc[-1]
    expected = at_view(reports_of(SOME))
    assert regions["länskod"].tolist() == [r.code for r in expected.regions]
    assert regions["totalt (kr)"].tolist() == [r.total for r in expected.regions]
    assert regions["trappsteg (kr)"].tolist() == [r.step_amount for r in expected.regions]
    assert regions["omfördelning (kr)"].tolist() == [r.redistribution for r in expected.regions]
    by_code = regions.set_index("länskod")
    for r in expected.regions:  # the next step: positions to it and what it adds; "ingen rapport" without one
        if r.outcome == 0:
            assert by_code.loc[r.code, "nästa steg"] == "ingen rapport"
            assert pd.isna(by_code.loc[r.code, "nästa steg (kr)"])
        elif r.next_step is not None:
            assert by_code.loc[r.code, "nästa steg (kr)"] == r.next_step_kronor
    assert totals["region"] == "Summa" and totals["totalt (kr)"] == 254_000_000


def test_difference_frame() -> None:
    base = at_result(SOME)[1]
    other = at_result(SOME, WhatIf(pots={"performance": "bakgrund"}))[1]
    diff = difference_frame(base, other, recipients())
    assert int(diff["difference"].sum()) == -2_000_000
    assert (diff["scenario"] - diff["baseline"] == diff["difference"]).all()


@pytest.fixture(scope="module")
def simulated():  # type: ignore[no-untyped-def]
    return at_result(SOME)


def test_staircase_chart_states_the_result_with_every_region_and_its_next_step(simulated) -> None:  # type: ignore[no-untyped-def]
    applied, _, stairs, derived = simulated
    reported = {c for c, v in derived["outcome"].items() if v > 0}
    chart = staircase_chart(applied, "performance", stairs["performance"], recipients(), reported)
    assert chart.title == f"4 av 21 regioner når trappan; Stockholm står högst (12 tjänster, {f.kr(12_000_000)})"
    assert chart.figure.layout.separators == ", "
    assert len(chart.data) == 21
    hovers = "".join(chart.figure.data[1].hovertext)
    assert "till nästa steg (+" in hovers and "ingen rapport" in hovers
    applied, _, stairs, _ = at_result([])
    nobody = staircase_chart(applied, "performance", stairs["performance"], recipients(), set())
    assert nobody.title.startswith("Ingen region når första trappsteget")


def test_waterfall_goes_from_pot_to_unallocated(simulated) -> None:  # type: ignore[no-untyped-def]
    applied, result, _, _ = simulated
    chart = waterfall_chart(result, block_titles(applied))
    values = dict(zip(chart.data["steg"], chart.data["kronor"], strict=True))
    assert values["Pott"] + values["Trappsteg"] + values["Omfördelning"] == 0
    assert chart.title.startswith("Hela potten betalas ut")
    empty = at_result([])[1]
    assert waterfall_chart(empty, block_titles(applied)).title.startswith("254,0")


def test_per_capita_chart_names_the_top_region(simulated) -> None:  # type: ignore[no-untyped-def]
    applied, result, _, _ = simulated
    chart = per_capita_chart(result, recipients(), block_titles(applied))
    assert chart.title.startswith("Gotland får mest per invånare")
    assert list(chart.data.columns) == ["code", "region", "kr_per_inhabitant", "total", "population"]


def test_map_has_every_lan_and_a_colour_bar(simulated) -> None:  # type: ignore[no-untyped-def]
    applied, result, _, _ = simulated
    outlines = lan_outlines()
    assert sorted(outlines) == [r.code for r in recipients()]
    chart = map_chart(result, recipients(), block_titles(applied), outlines, "kr_per_inhabitant")
    assert len(chart.figure.data) == 22
    assert chart.title.startswith("Mest per invånare: Gotland")
    by_name = {t.name: t for t in chart.figure.data[:21]}
    assert "Totalt" in by_name["Gotland"].text


def test_comparison_chart_says_who_gains_and_who_loses(simulated) -> None:  # type: ignore[no-untyped-def]
    result = simulated[1]
    other = at_result([*SOME[:3], positions("25", 60, 56, 1)])[1]
    chart = comparison_chart(difference_frame(result, other, recipients()), "Bas", "Mer Norrbotten")
    assert "vinner (mest Norrbotten" in chart.title and "förlorar" in chart.title
    same = comparison_chart(difference_frame(result, result, recipients()), "Bas", "Bas igen")
    assert "samma belopp" in same.title


def test_the_comparison_charts_own_title_leaves_the_names_to_the_pickers_and_takes_two_lines() -> None:
    long_names = ("Utgångsläge (reglernas belopp, inlästa rapporter)", "Block 2 med 120 miljoner")
    diff = pd.DataFrame(
        {
            "region": ["Gotland", "Uppsala", "Norrbotten"],
            "baseline": [115_680_677, 36_713_054, 10],
            "scenario": [90_915_693, 30_402_493, 1_234_577],
            "difference": [-24_764_984, -6_310_561, 1_234_567],
        }
    )
    chart = comparison_chart(diff, *long_names)
    shown = chart.figure.layout.title.text
    assert shown.count("<br>") <= 1, shown  # it was four lines with the names
    assert not any(name in shown for name in long_names)
    gains, losses = f"+{f.kr(1_234_567)}", f"−{f.kr(24_764_984)}"
    assert shown.replace(" <br>", " ") == f"1 vinner (mest Norrbotten, {gains}); 2 förlorar (mest Gotland, {losses})"
    assert all(name in chart.title for name in long_names)  # the plain title still names both
