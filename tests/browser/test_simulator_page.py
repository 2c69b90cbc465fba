"""The simulator in a real browser: cell edits, charts, downloads, scenarios that survive a restart."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.browser.conftest import edit_cell, metric, running_app, screenshot, wait_idle

pytestmark = pytest.mark.browser
GOTLAND_ROW = 7  # 0-based row of län 09 in the table (sorted by län code)


def test_an_edit_changes_the_totals_which_still_sum_to_the_pot(page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{page.app_url}/at")
    wait_idle(page)
    page.get_by_role("button", name="Alla enligt plan").click()  # other tests may have imported reports
    wait_idle(page)
    assert metric(page, "Kvalificerade regioner") == "0 av 21"
    edit_cell(page, GOTLAND_ROW, "filled", "21")  # plan 16: expansion 5
    assert metric(page, "Kvalificerade regioner") == "1 av 21"
    assert metric(page, "Ej fördelat") == "0\u00a0kr"
    assert metric(page, "Trappsteg") == "5,0\u00a0mnkr"
    assert metric(page, "Omfördelat") == "249,0\u00a0mnkr"
    for tab in ("Trappan", "Pottens fördelning", "Per invånare", "Karta"):
        page.get_by_role("tab", name=tab).click()
        wait_idle(page)
        chart = page.locator("[data-testid='stPlotlyChart']:visible").first
        chart.locator(".main-svg").first.wait_for()
        assert chart.locator("g.trace").count() > 0 or chart.locator(".plot").count() > 0
    page.get_by_role("tab", name="Karta").click()
    assert page.get_by_text("Störst belopp: Gotland").first.is_visible()
    screenshot(page, "simulator-map")
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.console_errors == []


def test_the_xlsx_download_holds_the_figures_on_screen(page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{page.app_url}/at")
    wait_idle(page)
    page.get_by_role("button", name="Exempel (fiktivt)").click()
    wait_idle(page)
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
        wait_idle(page)
        edit_cell(page, GOTLAND_ROW, "filled", "21")
        page.get_by_role("textbox", name="Namn på scenariot").fill("Gotland plus fem")
        page.get_by_role("button", name="Spara scenario").click()
        wait_idle(page)
        shared = page.url
        assert "scenario=Gotland+plus+fem" in shared and "pot=252" in shared  # plain values, no pickle
        context.close()
    with running_app(tmp_path) as url:  # the same database file, a new server process
        context = browser.new_context(viewport={"width": 1500, "height": 1100})
        page = context.new_page()
        page.goto(f"{url}/{shared.split('/', 3)[3]}")  # the shared address, on the restarted server
        wait_idle(page)
        assert metric(page, "Pott") == "252,0\u00a0mnkr"
        assert metric(page, "Kvalificerade regioner") == "1 av 21"
        assert page.get_by_text("scenariot ”Gotland plus fem”").first.is_visible()
        context.close()
