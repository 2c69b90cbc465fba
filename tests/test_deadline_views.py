"""The deadline views with two rounds whose milestones share a name: never shown as one."""

from __future__ import annotations

import re
from datetime import date

from allocation.deadlines import Status, StatusResult
from allocation.milestones import StatusCell
from ui.deadlines import _row_label, matrix_html

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


def test_a_timeline_row_names_its_round_and_escapes_text() -> None:
    label = _row_label("Inrapportering av prestationer i e-tjänsten <b>", "AT 2026")
    assert label.split("<br>")[-1].endswith(">AT 2026</span>")
    assert "&lt;b&gt;" in label and "<b>" not in label
