"""The preview's charts as pure figures: kronor only, short titles, Swedish separators, labels that never overlap."""

from __future__ import annotations

import itertools

import numpy as np
import plotly.graph_objects as go
from hypothesis import given, settings
from hypothesis import strategies as st

from allocation.at import RegionInput
from allocation.preview import DEFAULT_UNCERTAIN, PreviewResult, simulate
from ingest.data_folder import load_round
from present import formats as f
from ui.preview import MARK_ROWS, PLAN, SCENARIO, UNCERTAIN, _marks, curve_chart, headline, histogram_chart

ROUND = load_round("at-2023")
PARAMS = ROUND.default_params()
PHONE_TITLE = 40  # characters: what a 390 px phone shows of a chart title at 17 px


def result_for(code: str = "01", more: int = 3, n: int = 5_000) -> PreviewResult:
    own = RegionInput(code, int(np.ceil(float(ROUND.planned_value(code)))) + more, 0)
    return simulate(ROUND, own, DEFAULT_UNCERTAIN, PARAMS, n=n, curve_n=200)


def label_positions(fig) -> list[tuple[float, float, str]]:  # type: ignore[no-untyped-def]
    return [(a.x, a.y, a.text) for a in fig.layout.annotations]


def assert_no_overlap(fig, span: float) -> None:  # type: ignore[no-untyped-def]
    """Two labels in the same row stand more than a fifth of the axis apart."""
    for (x1, y1, t1), (x2, y2, t2) in itertools.combinations(label_positions(fig), 2):
        assert y1 != y2 or abs(x1 - x2) > span / 5, (t1, t2)


def test_the_histogram_is_in_kronor_with_a_short_title_and_an_honest_axis() -> None:
    result = result_for("01")  # Stockholm: a rare round where nobody else qualifies gives it the whole pot
    chart = histogram_chart(result)
    layout = chart.figure.layout
    assert layout.separators == ", "
    assert layout.title.text == f"Troligen {f.kr(result.median)}" and len(layout.title.text) <= PHONE_TITLE
    assert "mnkr" not in chart.title and "mnkr" not in layout.title.subtitle.text
    assert max(layout.yaxis.tickvals) <= 1  # no tick above 100 % (or above the tallest bar)
    assert chart.data["antal"].sum() == result.n
    assert chart.data["till_kr"].iloc[-1] == result.maximum and chart.data["från_kr"].iloc[0] == result.minimum
    # The bulk of the outcomes is spread over many bars, not squeezed into one by the rare outlier.
    assert (chart.data["antal"] > 0).sum() >= 10
    assert_no_overlap(chart.figure, float(chart.data["till_kr"].iloc[-2] - chart.data["från_kr"].iloc[0]))


def test_equal_percentiles_share_one_label() -> None:
    result = simulate(ROUND, RegionInput("09", 19, 0), [], PARAMS, n=100, own_band=1, curve_n=20)
    texts = [a.text for a in histogram_chart(result).figure.layout.annotations]
    assert all(texts.count(t) == 1 for t in texts)
    assert sum(t.count("Median") for t in texts) == 1


def test_the_curve_marks_the_steps_and_the_regions_own_expansion_without_overlap() -> None:
    result = result_for("09")
    chart = curve_chart(result, PARAMS, 3.0)
    layout = chart.figure.layout
    assert len(layout.title.text) <= PHONE_TITLE and layout.separators == ", "
    assert list(layout.xaxis.tickvals) == sorted({0, *(s.min_expansion for s in PARAMS.steps), 15})
    texts = [a.text for a in layout.annotations]
    assert any("Er utökning" in t for t in texts) and sum("≥" in t for t in texts) == len(PARAMS.steps)
    assert_no_overlap(chart.figure, 15.0)


@settings(max_examples=20, deadline=None)
@given(code=st.sampled_from([r.code for r in ROUND.regions]), more=st.integers(0, 14))
def test_no_headline_calls_a_figure_certain_and_only_the_uncertain_one_is_likely(code: str, more: int) -> None:
    result = result_for(code, more, n=300)
    for assumption in (UNCERTAIN, PLAN, SCENARIO):
        top = headline(result, assumption, "Test")
        words = f"{top.label} {top.value} {top.condition}".casefold()
        assert "säker" not in words.replace("osäker", "")
        assert top.value.endswith("\u00a0kr") and "mnkr" not in top.value
        if result.maximum > 0:
            assert ("Troligt" in top.label) == (assumption == UNCERTAIN)
            assert assumption == UNCERTAIN or "bara om" in top.condition


@settings(deadline=None)
@given(xs=st.lists(st.floats(0, 100, allow_nan=False), min_size=1, max_size=MARK_ROWS))
def test_up_to_three_line_labels_never_overlap(xs: list[float]) -> None:
    fig = go.Figure()
    _marks(fig, [(x, f"L{i}", "#000") for i, x in enumerate(xs)], 100.0)
    assert_no_overlap(fig, 100.0)
    assert sum(a.text.count("L") for a in fig.layout.annotations) == len(xs)  # every label shown, once
