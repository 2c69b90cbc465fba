"""A phone (390 px): the simulator's table begins with the region and the columns a user edits, a cue says the
table scrolls sideways, and every tab's name shows whole (tabs wrap); on a desktop the cue is not shown."""

from __future__ import annotations

import pytest

from tests.browser.conftest import expect, screenshot, wait_idle

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
CUE = "Tabellen har fler kolumner: svep åt sidan i den →"


def test_on_a_phone_the_simulator_shows_region_and_edited_columns_first(page) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size(PHONE)
    page.goto(f"{page.app_url}/at")
    grid = page.get_by_test_id("stDataFrame").first
    expect(grid).to_be_visible()
    expect(page.get_by_text(CUE)).to_be_visible()
    wait_idle(page)
    headers = grid.locator("[role='columnheader']")
    expect(headers.nth(0)).to_have_text("Region")
    expect(headers.nth(1)).to_have_text("Tillsatta")
    expect(headers.nth(2)).to_have_text("Påbörjade")
    tabs = page.get_by_role("tab")
    expect(tabs.filter(has_text="Jämför scenarier")).to_be_visible()
    for i in range(tabs.count()):
        box = tabs.nth(i).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], tabs.nth(
            i
        ).text_content()
    screenshot(page, "simulator-phone")


def test_on_a_desktop_the_cue_is_not_shown(page) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{page.app_url}/at")
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    wait_idle(page)
    expect(page.get_by_text(CUE)).to_be_hidden()
