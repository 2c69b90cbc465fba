"""The simulator in a real browser: cell edits, charts, downloads, scenarios that survive a restart."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from tests.browser.conftest import (
    edit_cell,
    expect,
    expect_no_exception,
    metric_value,
    running_app,
    screenshot,
    wait_idle,
)

pytestmark = pytest.mark.browser
GOTLAND_ROW = 7  # 0-based row of län 09 in the table (sorted by län code)


def test_an_edit_changes_the_totals_which_still_sum_to_the_pot(page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{page.app_url}/at")
    wait_idle(page)
    qualified = metric_value(page, "Kvalificerade regioner")
    # Other tests may have imported reports: start from the plan. The example first, so that the reset to the
    # plan is seen to happen (an edit made before its rerun would be dropped with the old table).
    page.get_by_role("button", name="Exempel (fiktivt)").click()
    expect(page.get_by_text("exempelfilen med fiktiva utfall")).to_be_visible()
    page.get_by_role("button", name="Alla enligt plan").click()
    expect(page.get_by_text("alla regioner enligt plan")).to_be_visible()
    expect(qualified).to_have_text("0 av 21")
    wait_idle(page)
    edit_cell(page, GOTLAND_ROW, "filled", "21")  # plan 16: expansion 5
    expect(qualified).to_have_text("1 av 21")
    expect(metric_value(page, "Ej fördelat")).to_have_text("0\u00a0kr")
    expect(metric_value(page, "Trappsteg")).to_have_text("5,0\u00a0mnkr")
    expect(metric_value(page, "Omfördelat")).to_have_text("249,0\u00a0mnkr")
    titles = {
        "Trappan": "1 av 21 regioner når trappan; Gotland står högst",
        "Pottens fördelning": "Hela potten betalas ut: 5,0\u00a0mnkr i trappsteg och 249,0\u00a0mnkr i omfördelning",
        "Per invånare": "Gotland får mest per invånare",
        "Karta": "Störst belopp: Gotland",
    }
    for tab, title in titles.items():  # lazy tabs: each chart is drawn when its tab is opened
        page.get_by_role("tab", name=tab).click()
        chart = page.locator("[data-testid='stPlotlyChart']:visible")
        expect(chart.locator(".gtitle")).to_contain_text(title)
        expect(chart.locator("g.trace").first).to_be_attached()
    screenshot(page, "simulator-map")
    expect_no_exception(page)
    assert page.console_errors == []


def test_the_xlsx_download_holds_the_figures_on_screen(page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{page.app_url}/at")
    wait_idle(page)
    page.get_by_role("button", name="Exempel (fiktivt)").click()
    expect(page.get_by_text("exempelfilen med fiktiva utfall")).to_be_visible()
    wait_idle(page)  # the download button below the table belongs to the same run
    with page.expect_download() as info:
        page.get_by_role("button", name="Ladda ned (XLSX)").click()
    content = info.value.path().read_bytes()
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["Fördelning"]
    header = [c.value for c in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    totals = {row[0]: row[header.index("Totalt")] for row in rows if row[0]}
    assert sum(totals.values()) == 254_000_000
    assert totals["09"] == 65_168_107  # the example's Gotland, as the results table shows
    assert rows[-1][1] == "Summa"
    about = {r[0]: r[1] for r in workbook["Om uttaget"].iter_rows(min_row=2, values_only=True)}
    assert "exempelfilen" in about["Utfall"]
    screenshot(page, "simulator")


def test_a_saved_scenario_survives_a_restart_and_its_url_reopens_it(browser, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with running_app(tmp_path) as url:
        context = browser.new_context(viewport={"width": 1500, "height": 1100})
        page = context.new_page()
        page.goto(f"{url}/at")
        wait_idle(page)
        page.get_by_role("textbox", name="Ditt namn").fill("Anna Andersson")
        page.get_by_role("textbox", name="Ditt namn").press("Enter")
        wait_idle(page)
        page.get_by_role("radio", name="252 000 000 kr (Bakgrund)").check(force=True)
        expect(metric_value(page, "Pott")).to_have_text("252,0\u00a0mnkr")
        wait_idle(page)
        edit_cell(page, GOTLAND_ROW, "filled", "21")
        expect(metric_value(page, "Kvalificerade regioner")).to_have_text("1 av 21")
        page.get_by_role("textbox", name="Namn på scenariot").fill("Gotland plus fem")
        page.get_by_role("button", name="Spara scenario").click()
        # The saved scenario becomes the active one: the address names it (plain values, no pickle).
        expect(page).to_have_url(re.compile(r"^(?=.*[?&]scenario=Gotland\+plus\+fem)(?=.*[?&]pot=252)"))
        shared = page.url
        context.close()
    with running_app(tmp_path) as url:  # the same database file, a new server process
        context = browser.new_context(viewport={"width": 1500, "height": 1100})
        page = context.new_page()
        page.goto(f"{url}/{shared.split('/', 3)[3]}")  # the shared address, on the restarted server
        expect(metric_value(page, "Pott")).to_have_text("252,0\u00a0mnkr")
        expect(metric_value(page, "Kvalificerade regioner")).to_have_text("1 av 21")
        expect(page.get_by_text("scenariot ”Gotland plus fem”").first).to_be_visible()
        context.close()
