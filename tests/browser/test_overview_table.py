"""The overview's attention table in a real browser: at 1440 px with four rounds every column shows (the money
too, without scrolling sideways); at 390 px each region is a card whose level, reason and money are on screen.

The table of four rounds (the two shipped and the two illustrative test rounds, statuses as of a day when
some are overdue, one closed and one not open) is built by the same function the page uses and put in
place of the page's own table, so it is measured with the app's fonts and width.
"""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest

from allocation.attention import Unrequisitioned, rank_regions
from allocation.milestones import round_milestones, status_cells
from ingest.data_folder import load_regions
from tests.browser.conftest import expect, screenshot, wait_idle
from ui.attention_table import attention_html
from ui.attention_text import events_of
from ui.rounds import RoundRef

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
FILES = [*sorted((ROOT / "data" / "rounds").glob("*.toml")), *sorted((ROOT / "tests" / "rounds").glob("*.toml"))]
AS_OF = date(2023, 11, 15)
PHONE = {"width": 390, "height": 844}


def four_rounds_html() -> str:
    docs = [tomllib.loads(p.read_text(encoding="utf-8")) for p in FILES]
    assert len(docs) == 4
    milestones = [round_milestones(doc) for doc in docs]
    refs = [
        RoundRef(m.round_id, str(doc["title"]), m.title, m.year, "", "")
        for m, doc in zip(milestones, docs, strict=True)
    ]
    regions = load_regions()
    cells = status_cells(milestones, regions, {"at_report": {"01": date(2023, 10, 1)}}, AS_OF)
    fixed = next(m for m in milestones if any(kind == "requisition" for _, kind in m.windows))
    money = [Unrequisitioned(fixed.round_id, "requisition", r.code, 123_456_789, False) for r in regions]
    ranked = rank_regions(cells, money, [m.round_id for m in milestones])
    return attention_html(ranked, refs, events_of(milestones), money=True)


def show_four_rounds(page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{page.app_url}/oversikt?as_of={AS_OF.isoformat()}")
    wrap = page.locator(".ovtable-wrap")
    expect(wrap).to_be_visible()
    wait_idle(page)
    page.evaluate(
        "html => { document.querySelector('.ovtable-wrap').parentElement.innerHTML = html; }", four_rounds_html()
    )
    expect(page.locator("table.ovtable th")).to_have_count(8)  # region, level, why, money lost, 4 rounds


def test_at_1440_px_every_column_of_four_rounds_shows(page) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 1440, "height": 900})
    show_four_rounds(page)
    wrap = page.locator(".ovtable-wrap")
    assert page.evaluate("e => e.scrollWidth <= e.clientWidth", wrap.element_handle())  # nothing scrolls sideways
    right = wrap.bounding_box()
    money = page.locator("table.ovtable th[data-key='förlorat']").bounding_box()
    last = page.locator("table.ovtable th").last.bounding_box()
    assert right and money and last
    assert money["x"] + money["width"] <= right["x"] + right["width"] + 1
    assert last["x"] + last["width"] <= right["x"] + right["width"] + 1
    screenshot(page, "overview-table-four-rounds")


def test_at_390_px_each_region_is_a_card_with_its_level_reason_and_money(page) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size(PHONE)
    show_four_rounds(page)
    wrap = page.locator(".ovtable-wrap")
    assert page.evaluate("e => e.scrollWidth <= e.clientWidth", wrap.element_handle())
    first = page.locator("table.ovtable tbody tr").first
    for label in ("Läge", "Varför", "Kan inte betalas ut"):
        cell = first.locator(f"td[data-label='{label}']")
        cell.scroll_into_view_if_needed()
        expect(cell).to_be_in_viewport()
        box = cell.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    # each value says what it is: the column's label is drawn before it (CSS ::before from data-label)
    label = first.locator("td.money").last.evaluate("e => getComputedStyle(e, '::before').content")
    assert label == '"Kan inte betalas ut"'
    screenshot(page, "overview-table-phone")
