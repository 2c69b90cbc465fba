"""Pure pieces of the simulator: the editor's table and its check column, the comparison's default pair,
the concentration notice and the charts' axes."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from allocation.report_values import engine_values
from allocation.whatif import WhatIf
from ingest.data_folder import load_block_round
from present.explain import block_concentration_notice, positions
from tests.block_helpers import at_result, at_view, recipients
from tests.report_helpers import positions as report
from tests.report_helpers import reports_of
from ui import block_editor as ed
from ui import charts
from ui.block_charts import block_chart, block_titles, per_capita_chart, waterfall_chart
from ui.block_compare import CURRENT, comparison_defaults, difference_frame
from ui.block_staircase import staircase_chart
from ui.editor_rows import CHECK, CHECK_COLOURS, EDITOR_COLUMNS, RowCheck, check_row

ROUND = load_block_round("at-2023")
SETUP = ed.make_setup(ROUND, recipients())
PLAN = SETUP.plan
NAMES = {r.code: r.name for r in recipients()}
POPULATIONS = {r.code: r.population for r in recipients()}


def base_frame(_round, inputs):  # type: ignore[no-untyped-def]
    return ed.base_frame(SETUP, engine_values(inputs), {})


def with_edits(frame, state):  # type: ignore[no-untyped-def]
    return ed.with_edits(SETUP, frame, state)


def concentration_notice(inputs, what_if=None):  # type: ignore[no-untyped-def]
    applied, result, stairs, _ = at_result(inputs, what_if)
    return block_concentration_notice(applied, result, "performance", stairs["performance"], NAMES, POPULATIONS)


CODES = [r.code for r in recipients()]
SOME = [report("09", 19, 18), report("01", 284, 280), report("25", 58, 56, 1)]


def _row(code: str, planned: object = None, filled: object = 0, started: object = 0, excluded: object = 0) -> dict:
    planned = SETUP.plan.planned[code] if planned is None else planned
    name = next(r.name for r in recipients() if r.code == code)
    return {
        "code": code,
        "region": name,
        "planned": planned,
        "filled": filled,
        "started": started,
        "excluded": excluded,
    }


def test_pending_edits_are_applied_to_the_rows_the_check_column_is_computed_from() -> None:
    frame = base_frame(ROUND, SOME)
    edited = with_edits(frame, {"edited_rows": {1: {"planned": "abc"}, "7": {"filled": 25}, 99: {"filled": 1}}})
    assert edited.loc[1, "planned"] == "abc" and edited.loc[7, "filled"] == 25
    assert edited.drop([1, 7]).equals(frame.drop([1, 7]))
    assert frame.loc[7, "filled"] == 19  # the table drawn from is left as it was
    assert with_edits(frame, None).equals(frame)
    assert edited.dtypes.equals(frame.dtypes)
    odd = with_edits(frame, {"edited_rows": {0: {"filled": 2.5, "started": None}}})
    assert odd.loc[0, "filled"] == 2.5 and pd.isna(odd.loc[0, "started"])
    assert "Stockholm (rad 1), kolumn Tillsatta" in ed.parse(SETUP, odd).problems_sv[0]


def test_each_row_against_its_plan() -> None:
    assert check_row(_row("09", filled=21), PLAN).text == "+5 över plan"
    assert check_row(_row("09", filled=21), PLAN).kind == "above"
    assert check_row(_row("09", filled=10, started=13), PLAN).text == "3 under plan"
    assert check_row(_row("09", filled=16), PLAN).text == "enligt plan"
    assert check_row(_row("09"), PLAN) == RowCheck("inget utfall", "none")
    assert check_row(_row("09", planned="0"), PLAN) == RowCheck("enligt plan, plan ändrad", "changed")
    assert check_row(_row("09", planned="20", filled=16), PLAN) == RowCheck("4 under plan, plan ändrad", "below")
    assert check_row(_row("09", planned="1-4", filled=5), PLAN).text == "+2,5 över plan, plan ändrad"
    assert check_row(_row("09", planned="16", filled=20), PLAN).text == "+4 över plan"  # the plan as written
    wrong = check_row(_row("09", planned="abc", filled=None), PLAN)
    assert (wrong.text, wrong.kind) == ("Fel: Tillsatta, Planerat", "error")


def test_the_editor_view_holds_the_edits_and_a_coloured_label_per_row() -> None:
    frame = base_frame(ROUND, SOME)
    data, column_config = ed.editor_view(
        SETUP, with_edits(frame, {"edited_rows": {1: {"planned": "abc"}, 7: {"filled": 21}}})
    )
    assert list(data.columns) == [*EDITOR_COLUMNS, CHECK]
    assert data.loc[1, "planned"] == "abc" and data.loc[7, "filled"] == 21  # the edits are in the data itself
    assert (data.loc[1, CHECK], data.loc[7, CHECK], data.loc[0, CHECK]) == (
        ["Fel: Planerat"],
        ["+5 över plan"],
        ["+12 över plan"],
    )
    config = column_config[CHECK]
    assert config["disabled"] is True
    colours = {o["value"]: o["color"] for o in config["type_config"]["options"]}
    assert colours["Fel: Planerat"] == CHECK_COLOURS["error"]
    assert colours["+5 över plan"] == CHECK_COLOURS["above"]
    assert colours["inget utfall"] == CHECK_COLOURS["none"]  # Södermanland: nothing reported
    assert set(column_config) == {*EDITOR_COLUMNS, CHECK}
    assert ed.column_order(SETUP) == ["region", "filled", "started", "planned", "excluded", CHECK, "code"]


edits = st.dictionaries(
    st.integers(0, 20),
    st.dictionaries(
        st.sampled_from(["planned", "filled", "started", "excluded"]),
        st.one_of(st.none(), st.integers(0, 500), st.sampled_from(["abc", "1-5", "", " 7 "])),
        max_size=4,
    ),
    max_size=6,
)


@settings(max_examples=100, deadline=None)
@given(state=edits)
def test_whole_number_edits_never_change_the_column_types(state: dict) -> None:
    """Streamlit keys the editor on its columns' types: whole numbers or empty cells keep them, so the
    editor is not started afresh by an edit; and the parser names every wrong cell, whatever was typed."""
    frame = base_frame(ROUND, SOME)
    counts_only = {
        r: {c: v for c, v in ch.items() if c != "planned" and not isinstance(v, str)} for r, ch in state.items()
    }
    after = with_edits(frame, {"edited_rows": counts_only})
    assert after.dtypes.to_dict() == frame.dtypes.to_dict()
    edited = with_edits(frame, {"edited_rows": state})
    parsed = ed.parse(SETUP, edited)
    checks = [check_row(row, PLAN) for row in edited.to_dict("records")]
    wrong = {p.split(",")[0] for p in parsed.problems_sv}
    assert len(wrong) == sum(c.kind == "error" for c in checks)
    assert len(parsed.values["filled"]) + len(wrong) == len(recipients())


def test_the_comparison_never_opens_on_a_scenario_and_its_copy() -> None:
    base = "Utgångsläge"
    same = {"A"}.__contains__
    assert comparison_defaults(base, [], None, same) == (base, CURRENT)
    assert comparison_defaults(base, ["B", "A"], "A", same) == (base, "A")  # just saved or opened
    assert comparison_defaults(base, ["B", "A"], "B", same) == ("B", CURRENT)  # changed since
    assert comparison_defaults(base, ["A", "B"], None, same) == (base, "A")  # the newest, unchanged
    assert comparison_defaults(base, ["B", "A"], None, same) == ("B", CURRENT)
    assert comparison_defaults(base, ["B"], "gone", same) == ("B", CURRENT)


FIVE = [
    report("03", 55, 55),
    report("01", 282, 282),
    report("14", 257, 257),
    report("12", 204, 204),
    report("09", 20, 20),
]


def test_concentration_is_named_with_its_reason() -> None:
    notice = concentration_notice(FIVE)
    assert notice is not None
    assert notice.startswith("**Gotland får 71\u00a0% av potten**: 181\u00a0598\u00a0062\u00a0kr för 4 tjänster")
    assert at_result(FIVE)[1].totals["09"] == 181_598_062
    assert "De övriga 4 regionerna på trappan får tillsammans 72\u00a0401\u00a0938\u00a0kr för 24 tjänster" in notice
    assert "4 tjänster blir 6,54 per 100\u00a0000 invånare, mot högst 0,50 för de övriga" in notice


def test_concentration_alone_by_another_key_or_not_at_all() -> None:
    alone = concentration_notice([report("01", 274, 274)])
    assert alone is not None and "ensam om att nå trappan" in alone
    by_count = concentration_notice(FIVE, WhatIf(keys={"performance": "expansion"}))
    assert by_count is None or "per 100" not in by_count
    assert concentration_notice([]) is None  # nothing paid
    spread = [report(r.code, int(ROUND.planned[r.code]) + 3, 0) for r in recipients()]
    assert concentration_notice(spread) is None
    scaled = concentration_notice(FIVE[:2], WhatIf(pots={"performance": 10_000_000}))
    assert scaled is not None and "Kvarstående" not in scaled  # nothing is redistributed below the steps


def test_positions_in_singular_and_plural() -> None:
    assert (positions(1), positions(2), positions(Fraction(5, 2))) == ("1 tjänst", "2 tjänster", "2,5 tjänster")


def test_charts_never_round_two_ticks_to_one_label() -> None:
    applied, result, stairs, _ = at_result(FIVE)
    people = recipients()
    titles = block_titles(applied)
    figures = [
        staircase_chart(applied, "performance", stairs["performance"], people, set(NAMES)).figure,
        waterfall_chart(result, titles).figure,
        per_capita_chart(result, people, titles).figure,
        charts.comparison_chart(difference_frame(result, result, people), "A", "B").figure,
        block_chart(result.blocks[0], people, "Block").figure,
    ]
    for figure in figures:
        layout = figure.layout
        assert layout.separators == ", "
        axes = [layout[name] for name in layout if name.startswith(("xaxis", "yaxis"))]
        assert axes and all(axis.tickformat in (None, charts.TICKS) for axis in axes)
    waterfall = figures[1]
    assert waterfall.layout.yaxis.ticksuffix == " mnkr"  # one unit: the bars' labels are in mnkr too
    assert waterfall.data[0].text[0] == "254,0"  # in mnkr, as the axis says
    tiny = difference_frame(result, at_result(FIVE, WhatIf(pots={"performance": 254_000_001}))[1], people)
    axis = charts.comparison_chart(tiny, "A", "B").figure.layout.xaxis
    assert axis.dtick == 1  # a krona's difference: whole-krona ticks, not −1, −1, 0, 1, 1


def test_a_region_without_a_report_has_no_distance_to_the_next_step() -> None:
    """Not "nås med 201 tjänster": a region that has reported nothing is said to have no report, in the
    simulator's explanation and in the report's (the decision's) explanation alike."""
    from present.explain import block_explanation, explain

    allocation = at_view(reports_of(FIVE))
    silent = allocation.by_code()["25"]
    lines = explain(silent, allocation)
    assert any("ingen rapport" in line for line in lines) and not any("nås med" in line for line in lines)
    applied, result, stairs, derived = at_result(FIVE)
    lines = block_explanation(applied, result, derived, "25", stairs)
    assert any("ingen rapport" in line for line in lines) and not any("nås med" in line for line in lines)
    reporting = block_explanation(applied, result, derived, "03", stairs)
    assert any("nås med 1 tjänst till" in line for line in reporting)  # Uppsala +2: one more for the 3-step
