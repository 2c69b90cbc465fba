"""The preview's charts as pure figures: kronor only, short titles, Swedish separators, labels that never overlap."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from html import escape, unescape

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allocation.preview import DEFAULT_UNCERTAIN, PreviewResult, simulate
from present import formats as f
from tests.preview_helpers import AT_2023, CODES, report
from ui.column_chart import (
    MARK_ROWS,
    Axis,
    Column,
    Mark,
    PlacedMark,
    column_chart,
    label_extent,
    nice_ticks,
    place_marks,
)
from ui.html_chart import HtmlChart
from ui.preview import HISTOGRAM_BINS, PLAN, SCENARIO, UNCERTAIN, curve_chart, headline, histogram_chart
from ui.preview_words import about_kr, about_range

ROUND = AT_2023
THRESHOLDS = [s.min_expansion for _, p in ROUND.staircases() for s in p.steps]
PHONE_TITLE = 40  # characters: what a 390 px phone shows of a chart title at 17 px


def result_for(code: str = "01", more: int = 3, n: int = 5_000) -> PreviewResult:
    return simulate(ROUND, report(code, ROUND.plan(code) + more), DEFAULT_UNCERTAIN, n=n, curve_n=200)


LABEL = re.compile(r'<span class="label" style="left:([\d.]+)%;top:([\d.]+)rem;[^"]*">([^<]*)</span>')
SLOT = re.compile(
    r'<span class="slot" style="left:([\d.]+)%;width:([\d.]+)%" title="([^"]*)">'
    r'<span class="bar( hi)?" style="height:([\d.]+)%"'
)
X_TICKS = re.compile(r'<div class="xticks"[^>]*>(.*?)</div>')
Y_TICKS = re.compile(r'<div class="yticks"[^>]*>(.*?)</div>')


def labels(chart: HtmlChart) -> list[tuple[float, float, str]]:
    """(left in percent, row top in rem, text) of each mark's label, unescaped."""
    return [(float(x), float(top), unescape(text)) for x, top, text in LABEL.findall(chart.html)]


def columns(chart: HtmlChart) -> list[tuple[float, float, str, bool, float]]:
    """(left, width, hover, highlighted, height) of each column, percent of the plot, the hover unescaped."""
    return [(float(a), float(w), unescape(t), bool(hi), float(h)) for a, w, t, hi, h in SLOT.findall(chart.html)]


def tick_texts(pattern: re.Pattern[str], chart: HtmlChart) -> list[str]:
    inner = pattern.search(chart.html)
    assert inner
    return [unescape(t) for t in re.findall(r'<span (?:class="t" )?style="[^"]*">([^<]*)</span>', inner.group(1))]


def assert_no_overlap(placed: Sequence[PlacedMark], low: float, high: float) -> None:
    """Two labels in the same row stand more than a fifth of the axis apart, and their boxes (at their
    narrowest, on a phone) do not touch."""
    for a, b in itertools.combinations(sorted(placed, key=lambda m: m.x), 2):
        if a.row == b.row:
            assert b.x - a.x > (high - low) / 5, (a.label, b.label)
            assert label_extent(a.x, a.label, low, high)[1] < label_extent(b.x, b.label, low, high)[0]


def assert_html_labels_apart(chart: HtmlChart) -> None:
    """In the drawn chart: labels in one row more than a fifth of the axis apart."""
    for (x1, top1, t1), (x2, top2, t2) in itertools.combinations(labels(chart), 2):
        assert top1 != top2 or abs(x1 - x2) > 20 - 0.02, (t1, t2)


def test_the_histogram_is_in_kronor_with_a_short_title_and_an_honest_axis() -> None:
    result = result_for("01")  # Stockholm: a rare round where nobody else qualifies gives it the whole pot
    chart = histogram_chart(result)
    # Rounded to what a simulation can know: no exact kronor in a simulated title.
    assert chart.title == f"Troligen {about_kr(result.median)}" and len(chart.title) <= PHONE_TITLE
    assert chart.subtitle == f"8 av 10 {about_range(result.p10, result.p90)}"
    assert "mnkr" not in chart.html
    assert f'aria-label="{escape(chart.title)}. {escape(chart.subtitle)}"' in chart.html
    assert "Andel av simuleringarna" in chart.html and "Belopp (kr)" in chart.html
    shares = tick_texts(Y_TICKS, chart)
    assert shares[0] == "0\u00a0%" and all(t.endswith("\u00a0%") for t in shares)
    assert all(float(t.split("\u00a0")[0].replace(",", ".")) <= 100 for t in shares)  # no tick above 100 %
    assert chart.data["antal"].sum() == result.n
    assert chart.data["till_kr"].iloc[-1] == result.maximum and chart.data["från_kr"].iloc[0] == result.minimum
    # The bulk of the outcomes is spread over many bars, not squeezed into one by the rare outlier.
    assert (chart.data["antal"] > 0).sum() >= 10
    drawn = columns(chart)
    assert len(drawn) == HISTOGRAM_BINS == len(chart.data)
    assert sum(w for _, w, *_ in drawn) == pytest.approx(100, abs=0.1)  # the bins fill the axis
    # Heights proportional to the shares, the tallest just below the top.
    tallest = chart.data["antal"].max()
    for (*_, height), count in zip(drawn, chart.data["antal"], strict=True):
        assert height == pytest.approx(100 * count / tallest / 1.05, abs=0.01)
    # The last bar holds the rare large amounts, and says so.
    assert result.maximum > chart.data["från_kr"].iloc[-1] + 1
    assert drawn[-1][2].startswith(f"{f.kr(int(chart.data['från_kr'].iloc[-1]))} eller mer (högst ")
    assert f"högst {f.kr(result.maximum)})" in drawn[-1][2]
    assert drawn[0][2].startswith(f"{f.kr(result.minimum)} – ")
    texts = [t for *_, t in labels(chart)]
    assert {"Lågt", "Troligt", "Högt"} <= {part for t in texts for part in t.split(" = ")}
    assert f"≥ {about_kr(int(chart.data['från_kr'].iloc[-1]))}" in texts  # the last bar is labelled
    assert not any("P10" in t or "P90" in t or "Median" in t for t in texts)
    assert_html_labels_apart(chart)
    x_ticks = tick_texts(X_TICKS, chart)
    assert 2 <= len(x_ticks) <= 4 and all(re.fullmatch(r"[\d\u00a0]+", t) for t in x_ticks)


def test_equal_percentiles_share_one_label() -> None:
    result = simulate(ROUND, report("09", 19), [], n=100, own_band=1, curve_n=20)
    texts = [t for *_, t in labels(histogram_chart(result))]
    assert all(texts.count(t) == 1 for t in texts)
    assert sum(t.count("Troligt") for t in texts) == 1


def test_the_curve_marks_the_steps_and_the_regions_own_expansion_without_overlap() -> None:
    result = result_for("09")
    chart = curve_chart(result, THRESHOLDS, 3.0)
    assert len(chart.title) <= PHONE_TITLE and chart.subtitle == "Troligt belopp efter egen utökning"
    assert list(chart.data.columns) == ["utökning", "median_kr"]
    ticks = sorted({0, *THRESHOLDS, 15})
    assert tick_texts(X_TICKS, chart) == [str(t) for t in ticks]
    texts = [t for *_, t in labels(chart)]
    assert "Er utökning" in texts and sum("≥" in t for t in texts) == len(THRESHOLDS)
    assert_html_labels_apart(chart)
    # One column per whole expansion, 0 … 15, the region's own highlighted; heights follow the medians.
    drawn = columns(chart)
    assert [hover for _, _, hover, _, _ in drawn] == [f"Utökning {x}: {f.kr(y)}" for x, y in result.curve]
    assert [i for i, c in enumerate(drawn) if c[3]] == [3]
    top = float(tick_texts(Y_TICKS, chart)[-1].replace("\u00a0", ""))
    assert max(y for _, y in result.curve) <= top  # the tallest column under the top tick
    for (*_, height), (_, y) in zip(drawn, result.curve, strict=True):
        assert height == pytest.approx(100 * y / top, abs=0.01)


def test_a_fractional_expansion_highlights_the_whole_positions_it_reaches() -> None:
    chart = curve_chart(result_for("09", n=300), THRESHOLDS, 4.5)
    assert [i for i, c in enumerate(columns(chart)) if c[3]] == [4]


def test_every_text_is_escaped() -> None:
    x = Axis(0, 10, [(0, "<0>"), (-1.5, f.number(-1.5, 1))], "x <i>")
    y = Axis(0, 1, [(0.5, "<y>")], 'y "q"')
    marks = place_marks([Mark(5, "<m>", "#000")], 0, 10)
    chart = column_chart("<b>T</b>", "S & s", [Column(0, 1, 0.5, '<hover> "x"')], x, y, marks, pd.DataFrame())
    for raw in ("<b>", "<hover>", "<m>", "<0>", "<y>", "<i>", 'y "q"'):
        assert raw not in chart.html
    assert "&lt;hover&gt; &quot;x&quot;" in chart.html and "S &amp; s" in chart.html
    assert "\u22121,5" in chart.html  # a real minus, from Babel
    assert chart.title == "<b>T</b>"  # plain text


def test_nice_ticks_are_round_and_few() -> None:
    assert nice_ticks(0, 157_000_000, 5) == [0, 50_000_000, 100_000_000, 150_000_000]
    assert nice_ticks(3_400_000, 7_000_000, 4) == [4_000_000, 5_000_000, 6_000_000, 7_000_000]
    assert nice_ticks(0, 1, 5) == [0, 0.25, 0.5, 0.75, 1]
    assert nice_ticks(5, 5) == [5]


@settings(max_examples=20, deadline=None)
@given(code=st.sampled_from(CODES), more=st.integers(0, 14))
def test_no_headline_calls_a_figure_certain_and_only_the_uncertain_one_is_likely(code: str, more: int) -> None:
    result = result_for(code, more, n=300)
    for assumption in (UNCERTAIN, PLAN, SCENARIO):
        top = headline(result, assumption, "Test")
        words = f"{top.label} {top.value} {top.condition}".casefold()
        assert "säker" not in words.replace("osäker", "")
        assert top.value.endswith("\u00a0kr") and "mnkr" not in top.value
        # Exact kronor only for a figure that is the same in every simulated round; else rounded, with words.
        if result.minimum == result.maximum:
            assert top.value == f.kr(result.median) and not top.spread
        else:
            assert top.value == about_kr(result.median)
            assert top.spread in ("", f"I 8 fall av 10 {about_range(result.p10, result.p90)}.")
        if result.maximum > 0:
            varies = result.minimum != result.maximum
            assert ("Troligt" in top.label) == (assumption == UNCERTAIN and varies)
            assert "P10" not in top.label + top.spread + top.condition
            assert assumption == UNCERTAIN or "bara om" in top.condition


@settings(deadline=None)
@given(
    xs=st.lists(st.floats(0, 100, allow_nan=False), min_size=1, max_size=8),
    words=st.lists(st.sampled_from(["P10", "Median", "Er utökning", "≥ 10"]), min_size=8, max_size=8),
)
def test_line_labels_never_overlap(xs: list[float], words: list[str]) -> None:
    placed = place_marks([Mark(x, f"{words[i]}{i}", "#000") for i, x in enumerate(xs)], 0.0, 100.0)
    assert_no_overlap(placed, 0.0, 100.0)
    shown = [part for m in placed for part in m.label.split(" = ")]
    assert sorted(shown) == sorted(f"{words[i]}{i}" for i in range(len(xs)))  # every label shown, once
    if len(xs) <= MARK_ROWS:
        assert max(m.row for m in placed) < MARK_ROWS
