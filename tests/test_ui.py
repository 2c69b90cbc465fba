"""Pure pieces of the dashboard: the simulator's table, the figures (data in, figure out)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from allocation.at import RegionInput, allocate
from ingest.data_folder import load_round
from tests.html_table import parse_results_html
from ui import charts
from ui.geo import lan_outlines
from ui.results import results_html
from ui.simulator import difference_frame
from ui.simulator_editor import at_plan_inputs, base_frame, parse_edited

ROUND = load_round("at-2023")
SOME = [RegionInput("09", 19, 18), RegionInput("01", 284, 280), RegionInput("23", 30, 28), RegionInput("25", 58, 56, 1)]


def test_base_frame_has_every_region_with_the_plan_as_written() -> None:
    frame = base_frame(ROUND, [RegionInput("09", 19, 18, 1, Fraction(5, 2))])
    assert len(frame) == 21
    gotland = frame[frame["code"] == "09"].iloc[0]
    assert (gotland["planned"], gotland["filled"], gotland["started"], gotland["excluded"]) == ("2.5", 19, 18, 1)
    assert frame[frame["code"] == "25"].iloc[0]["planned"] == "51"


def test_an_unchanged_table_gives_back_the_inputs() -> None:
    parsed = parse_edited(base_frame(ROUND, SOME), ROUND)
    assert parsed.problems_sv == []
    by_code = {i.code: i for i in parsed.inputs}
    assert len(by_code) == 21
    assert by_code["25"] == RegionInput("25", 58, 56, 1)
    assert by_code["03"] == RegionInput("03", 0, 0, 0)


def test_a_changed_plan_is_an_override_and_a_range_counts_as_its_midpoint() -> None:
    frame = base_frame(ROUND, SOME)
    frame.loc[frame["code"] == "09", "planned"] = "14-18"
    parsed = parse_edited(frame, ROUND)
    assert {i.code: i for i in parsed.inputs}["09"].planned == 16


def test_wrong_cells_are_named_by_region_and_column() -> None:
    frame = base_frame(ROUND, SOME)
    frame["filled"] = frame["filled"].astype("object")
    frame.loc[frame["code"] == "09", "filled"] = -2
    frame.loc[frame["code"] == "01", "planned"] = "300-280"
    frame.loc[frame["code"] == "23", "started"] = None
    problems = parse_edited(frame, ROUND).problems_sv
    assert problems == [
        'Stockholm (rad 1), kolumn Planerat: "300-280" är ett omvänt intervall (skriv det lägre talet först)',
        'Gotland (rad 8), kolumn Tillsatta: "-2" är negativt',
        "Jämtland (rad 19), kolumn Påbörjade: tomt värde; skriv 0 om det inte finns några",
    ]


def test_everyone_at_plan_plus_k_expands_by_k() -> None:
    result = allocate(ROUND, at_plan_inputs(ROUND, 3))
    assert {r.expansion for r in result.regions} == {3}
    assert allocate(ROUND, at_plan_inputs(ROUND)).paid == 0


def test_results_table_is_the_engine_in_swedish_with_a_totals_row() -> None:
    allocation = allocate(ROUND, SOME)
    html = results_html(allocation)
    table = parse_results_html(html)
    regions, totals = table.iloc[:-1], table.iloc[-1]
    assert regions["Länskod"].tolist() == [r.code for r in allocation.regions]
    assert regions["Totalt"].tolist() == [r.total for r in allocation.regions]
    assert totals["Region"] == "Summa" and totals["Totalt"] == 254_000_000
    assert "254\u00a0000\u00a0000\u00a0kr" in html and "None" not in html and "nan" not in html


def test_difference_frame() -> None:
    base = allocate(ROUND, SOME)
    other = allocate(ROUND, SOME, ROUND.params(pot=252_000_000))
    diff = difference_frame(base, other)
    assert int(diff["difference"].sum()) == -2_000_000
    assert (diff["scenario"] - diff["baseline"] == diff["difference"]).all()


@pytest.fixture(scope="module")
def allocation():  # type: ignore[no-untyped-def]
    return allocate(ROUND, SOME)


def test_staircase_chart_states_the_result(allocation) -> None:  # type: ignore[no-untyped-def]
    chart = charts.staircase_chart(allocation)
    assert chart.title == "4 av 21 regioner når trappan; Stockholm står högst (12 tjänster, 12 000 000 kr)".replace(
        " kr)", "\u00a0kr)"
    ).replace("12 000 000", "12\u00a0000\u00a0000")
    assert chart.figure.layout.separators == ", "
    assert len(chart.data) == 21
    nobody = charts.staircase_chart(allocate(ROUND, []))
    assert nobody.title.startswith("Ingen region når första trappsteget")


def test_waterfall_goes_from_pot_to_unallocated(allocation) -> None:  # type: ignore[no-untyped-def]
    chart = charts.waterfall_chart(allocation)
    values = dict(zip(chart.data["post"], chart.data["kronor"], strict=True))
    assert values["Pott"] + values["Trappsteg"] == values["Kvarstående"]
    assert values["Kvarstående"] + values["Omfördelning"] == values["Ej fördelat"] == 0
    assert chart.title.startswith("Hela potten betalas ut")
    assert charts.waterfall_chart(allocate(ROUND, [])).title.startswith("254,0")


def test_per_capita_chart_names_the_top_region(allocation) -> None:  # type: ignore[no-untyped-def]
    chart = charts.per_capita_chart(allocation)
    assert chart.title.startswith("Gotland får mest per invånare")
    assert list(chart.data.columns) == [
        "code",
        "region",
        "expansion_per_100k",
        "kr_per_inhabitant",
        "total",
        "population",
    ]


def test_map_has_every_lan_and_a_colour_bar(allocation) -> None:  # type: ignore[no-untyped-def]
    outlines = lan_outlines()
    assert sorted(outlines) == [r.code for r in ROUND.regions]
    chart = charts.map_chart(allocation, outlines, "kr_per_inhabitant")
    assert len(chart.figure.data) == 22
    assert chart.title.startswith("Mest per invånare: Gotland")
    by_name = {t.name: t for t in chart.figure.data[:21]}
    assert "Totalt" in by_name["Gotland"].text


def test_comparison_chart_says_who_gains_and_who_loses(allocation) -> None:  # type: ignore[no-untyped-def]
    other = allocate(ROUND, [*SOME[:3], RegionInput("25", 60, 56, 1)])
    chart = charts.comparison_chart(difference_frame(allocation, other), "Bas", "Mer Norrbotten")
    assert "vinner (mest Norrbotten" in chart.title and "förlorar" in chart.title
    same = charts.comparison_chart(difference_frame(allocation, allocation), "Bas", "Bas igen")
    assert "samma belopp" in same.title
