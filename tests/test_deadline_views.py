"""The deadline views with two rounds whose milestones share a name: never shown as one."""

from __future__ import annotations

import re
from datetime import date

import pytest

from allocation.deadlines import MilestoneWindow, Status, StatusResult
from allocation.milestones import RoundMilestones, StatusCell
from ui.deadlines import matrix_html
from ui.timeline_html import timeline_html

OPEN = StatusResult(Status.OPEN, 3, None, "Öppen (3 dagar kvar)")


def _cell(round_id: str, title: str, code: str) -> StatusCell:
    return StatusCell(round_id, title, "report", "Inrapportering", date(2026, 10, 1), code, f"Region {code}", OPEN)


def test_the_matrix_heads_each_rounds_milestones_with_the_round() -> None:
    cells = [_cell(rid, title, code) for code in ("01", "03") for rid, title in (("a", "AT 2025"), ("b", "AT 2026"))]
    html = matrix_html(cells)
    assert re.findall(r'<th colspan="(\d)" class="omgang">([^<]+)</th>', html) == [("1", "AT 2025"), ("1", "AT 2026")]
    assert html.count("<th>Inrapportering (2026-10-01)</th>") == 2  # two columns, one per round
    assert html.count("Öppen (3 dagar kvar)</td>") == 4


def test_a_rounds_milestones_stay_together_whatever_the_order_of_the_cells() -> None:
    a = StatusCell("a", "A", "m1", "Först", None, "01", "R", OPEN)
    b = StatusCell("b", "B", "m1", "Först", None, "01", "R", OPEN)
    a2 = StatusCell("a", "A", "m2", "Sedan", None, "01", "R", OPEN)
    html = matrix_html([a, b, a2])
    assert re.findall(r'colspan="(\d)" class="omgang">(\w)<', html) == [("2", "A"), ("1", "B")]


def _window(label: str, start: date | None, due: date | None, after: date | None = None) -> MilestoneWindow:
    return MilestoneWindow(label.lower()[:8], label, start, due, after, True)


def _round(title: str, *windows: MilestoneWindow) -> RoundMilestones:
    return RoundMilestones(title.lower(), title, tuple((w, None) for w in windows), 2026)


def test_a_timeline_row_names_its_round_and_dates_and_escapes_text() -> None:
    report = _window("Inrapportering <b>", date(2026, 2, 1), date(2026, 3, 31))
    chart = timeline_html([_round("AT <2026>", report)], date(2026, 3, 1))
    assert "&lt;b&gt;" in chart.html and "<b>" not in chart.html
    assert "AT &lt;2026&gt; · 2026-02-01 – 2026-03-31" in chart.html
    assert chart.title == "2026-03-01: 1 tidsfönster öppna (Inrapportering <b>)"  # plain text: st.markdown escapes
    assert 'aria-label="2026-03-01: 1 tidsfönster öppna (Inrapportering &lt;b&gt;)"' in chart.html


def test_the_timeline_places_bars_and_the_date_on_one_axis() -> None:
    a = _window("Först", date(2026, 1, 16), date(2026, 1, 30))  # with the margin: day 15 of 60 to day 29
    b = _window("Sedan", None, date(2026, 2, 28))  # no opening: a mark on its last day, no invented window
    chart = timeline_html([_round("A", a), _round("B", b)], date(2026, 2, 20))
    assert list(chart.data["milstolpe"]) == ["Först", "Sedan"]
    assert chart.data.loc[1, "från"] is None and "B · sista dag 2026-02-28" in chart.html
    assert "2026-02-14" not in chart.html  # the fortnight before it is not a date of the rules
    span = (date(2026, 3, 15) - date(2026, 1, 1)).days + 1
    lefts = [float(x) for x in re.findall(r'class="bar(?: mark)?" style="left:([\d.]+)%', chart.html)]
    assert lefts == [round(15 / span * 100, 2), round(58 / span * 100, 2)]
    assert chart.html.count('class="asof"') == 2  # through both bars' rows (the axis row has the label)
    assert "Per 2026-02-20" in chart.html
    assert re.findall(r'class="tick"[^>]*>([^<]+)<', chart.html) == ["2026-01", "2026-02", "2026-03"]
    # Two rounds, two colours, and a legend naming both.
    colours = re.findall(r"background:(#[0-9a-f]{6})\"></span>", chart.html)
    assert len(set(colours)) == 2


def test_a_date_outside_the_year_is_said_and_not_drawn() -> None:
    chart = timeline_html([_round("A", _window("Först", date(2026, 1, 16), date(2026, 1, 30)))], date(2027, 6, 1))
    assert chart.title.endswith("(datumet ligger utanför bidragsåret)")
    assert 'class="asof"' not in chart.html


def test_rounds_without_dated_milestones_give_a_sentence_not_a_chart() -> None:
    chart = timeline_html([_round("A", _window("Någon gång", None, None))], date(2026, 1, 1))
    assert chart.html == "" and chart.data.empty
    assert chart.title == "Inga daterade tidsfönster i omgångarna."


ASOF_LABEL = re.compile(r'class="asof-label" style="left:([\d.]+)%;transform:translateX\(-([\d.]+)%\)">Per ')


@pytest.mark.parametrize(
    ("as_of", "shift"),
    [(date(2026, 1, 1), 0.0), (date(2026, 7, 1), 50.0), (date(2027, 1, 15), 100.0)],  # the axis: 2026-01-01 …
)
def test_the_dates_label_never_leaves_the_axis(as_of: date, shift: float) -> None:
    # Centred on its line, a label at either end of the axis stood half outside it: off a phone's screen.
    year = _round("A", _window("Först", date(2026, 1, 16), date(2026, 12, 31)))
    chart = timeline_html([year], as_of)
    ((_, moved),) = ASOF_LABEL.findall(chart.html)
    assert float(moved) == pytest.approx(shift, abs=1)  # starts at its line at the left end, ends there at the right
