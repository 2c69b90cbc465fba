"""Deadlines, the elderly-care follow-up and the overview in a real browser."""

from __future__ import annotations

import pytest
from icalendar import Calendar

from tests.browser.conftest import expect, expect_no_exception, metric_value, running_app, screenshot, wait_idle

pytestmark = pytest.mark.browser


def test_deadline_page_for_a_chosen_date_and_its_calendar(page, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # A store of its own: the session's shared app holds reports other tests import (dated before 2023-11-02).
    with running_app(tmp_path) as url:
        _deadline_page(page, url)


def _deadline_page(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{url}/tidsfrister?as_of=2023-11-02")  # the sidebar's date is part of the URL
    expect(page.get_by_text("Status per 2023-11-02").first).to_be_visible()
    expect(metric_value(page, "Försenad")).to_have_text("42")
    matrix = page.locator("table.matris")
    expect(matrix.get_by_text("Försenad (1 dag)")).to_have_count(21)
    expect(matrix.get_by_text("Inte öppnad än (öppnar 2024-02-01)")).to_have_count(21)
    wait_idle(page)  # the download buttons below the matrix belong to the same run
    screenshot(page, "deadlines-2023-11-02")
    with page.expect_download() as info:
        page.get_by_role("button", name="Ladda ned kalender (.ics)").click()
    calendar = Calendar.from_ical(info.value.path().read_bytes())
    assert len(calendar.walk("VEVENT")) == 7
    assert page.console_errors == []


def test_overview_shows_what_the_store_holds(page) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.app_url)
    expect(metric_value(page, "Att rekvirera")).to_have_text("298,5\u00a0mnkr")
    expect(metric_value(page, "Pott")).to_have_text("254,0\u00a0mnkr")
    expect(page.get_by_text("uppskattade efter befolkningsandel").first).to_be_visible()  # said once, calmly
    screenshot(page, "overview")
    expect_no_exception(page)


def test_region_preview_simulates_and_downloads(page) -> None:  # type: ignore[no-untyped-def]
    import io

    from openpyxl import load_workbook

    page.goto(f"{page.app_url}/region?pv_region=09")
    wait_idle(page)
    page.get_by_text("Osäkert: de andra regionernas utökning dras slumpmässigt").click()
    wait_idle(page)
    filled = page.get_by_test_id("stMain").get_by_label("Tillsatta")
    filled.fill("19")  # Gotland's plan (16) + 3: a step, so the others' outcomes matter
    filled.press("Enter")
    # The uncertain assumption (the default, chosen again here) shows the histogram beside the expansion chart.
    expect(page.locator("figure.colchart")).to_have_count(2)
    expect(metric_value(page, "Troligt belopp, omkring")).to_contain_text("kr")
    wait_idle(page)  # the download button belongs to the same run
    with page.expect_download() as info:
        page.get_by_role("button", name="Ladda ned förhandsbeskedet (XLSX, preliminärt)").click()
    workbook = load_workbook(io.BytesIO(info.value.path().read_bytes()))
    about = {r[0]: r[1] for r in workbook["Om uttaget"].iter_rows(min_row=2, values_only=True)}
    assert about["PRELIMINÄRT"].startswith("Förhandsbesked") and about["Antal simuleringar"] == 100_000
    screenshot(page, "region-preview")
    assert page.console_errors == []
