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
from ui.editor_rows import CHECK, EDITOR_ORDER

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
    expect(metric_value(page, "Ej fördelat")).to_have_text("0,0\u00a0mnkr")  # one unit in the row of metrics
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
    # Named by the round's short title, what it is and the day (no scenario is active); never the round's id.
    assert re.fullmatch(r"AT-tjanster-2023_fordelning_\d{4}-\d{2}-\d{2}\.xlsx", info.value.suggested_filename)
    content = info.value.path().read_bytes()
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["Fördelning"]
    header = [c.value for c in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    totals = {row[0]: row[header.index("totalt (kr)")] for row in rows if row[0]}
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


UPPSALA_ROW = 1
COLUMN = {name: i for i, name in enumerate(EDITOR_ORDER)}  # the shown order: region and edited columns first
CHECK_COLUMN = COLUMN[CHECK]  # the read-only "Mot plan"


def _no_metric_cut_off(page) -> None:  # type: ignore[no-untyped-def]
    """Every metric's label and value shown whole: no element inside one is wider than its box (an ellipsis)."""
    cut = page.locator("[data-testid='stMetric'] *").evaluate_all(
        "els => els.filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)"
    )
    assert cut == []


def test_a_wrong_cell_is_marked_the_last_results_stay_greyed_and_undo_restores(page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{page.app_url}/at?vy=Resultat")
    wait_idle(page)
    page.get_by_role("button", name="Exempel (fiktivt)").click()
    expect(page.get_by_text("exempelfilen med fiktiva utfall")).to_be_visible()
    wait_idle(page)
    grid = page.get_by_test_id("stDataFrame").first
    edit_cell(page, GOTLAND_ROW, "filled", "25")  # plan 16: +9, the 7-step
    expect(grid.get_by_test_id(f"glide-cell-{CHECK_COLUMN}-{GOTLAND_ROW}")).to_have_text("+9 över plan")
    expect(metric_value(page, "Trappsteg")).to_have_text("55,0\u00a0mnkr")
    _no_metric_cut_off(page)

    edit_cell(page, UPPSALA_ROW, "planned", "abc")
    error = page.locator("[data-testid='stAlertContentError']").first
    expect(error).to_contain_text('Uppsala (rad 2), kolumn Planerat: "abc" är inte ett tal')
    expect(error).to_contain_text("senast giltiga")
    expect(grid.get_by_test_id(f"glide-cell-{CHECK_COLUMN}-{UPPSALA_ROW}")).to_have_text("Fel: Planerat")
    results = page.locator(".st-key-blk_results")
    expect(results).to_have_css("opacity", "0.5")
    expect(results).to_contain_text("Senast giltiga resultat")
    expect(metric_value(page, "Trappsteg")).to_have_text("55,0\u00a0mnkr")  # the last valid results, kept
    expect(page.get_by_role("button", name="Ladda ned (XLSX)")).to_be_visible()
    expect(page.get_by_role("button", name="Spara scenario")).to_be_disabled()
    # Another edit while the table is wrong: both stay in the table (the grid may restart its own list of edits).
    edit_cell(page, 3, "started", "95")
    expect(grid.get_by_test_id(f"glide-cell-{COLUMN['planned']}-{UPPSALA_ROW}")).to_have_text("abc")
    expect(grid.get_by_test_id(f"glide-cell-{CHECK_COLUMN}-3")).to_have_text("+8 över plan")
    screenshot(page, "simulator-bad-cell")

    page.get_by_role("button", name="Ångra: tillbaka till senast giltiga tabell").click()
    expect(error).to_have_count(0)
    expect(grid.get_by_test_id(f"glide-cell-{COLUMN['planned']}-{UPPSALA_ROW}")).to_have_text("53")
    # the valid edit stays; the edit made while wrong is undone
    expect(grid.get_by_test_id(f"glide-cell-{COLUMN['filled']}-{GOTLAND_ROW}")).to_have_text("25")
    expect(grid.get_by_test_id(f"glide-cell-{COLUMN['started']}-3")).to_have_text("0")
    expect(results).to_have_css("opacity", "1")
    expect(page.get_by_role("button", name="Spara scenario")).to_be_enabled()
    expect_no_exception(page)
    assert page.console_errors == []


def test_on_a_phone_the_bad_cell_is_named_and_nothing_is_cut_off(browser, app_url) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="sv-SE", is_mobile=True)
    page = context.new_page()
    page.goto(f"{app_url}/at?vy=Resultat")
    wait_idle(page)
    page.get_by_role("button", name="Exempel (fiktivt)").click()
    expect(page.get_by_text("exempelfilen med fiktiva utfall")).to_be_visible()
    wait_idle(page)
    expect(metric_value(page, "Omfördelat")).to_have_text("204,0\u00a0mnkr")
    _no_metric_cut_off(page)
    edit_cell(page, UPPSALA_ROW, "planned", "abc")
    expect(page.locator("[data-testid='stAlertContentError']").first).to_contain_text(
        'Uppsala (rad 2), kolumn Planerat: "abc" är inte ett tal'
    )
    expect(page.locator(".st-key-blk_results")).to_have_css("opacity", "0.5")
    _no_metric_cut_off(page)
    screenshot(page, "simulator-bad-cell-phone")
    context.close()


def test_chart_ticks_carry_a_real_minus(browser, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The example against the baseline (a fresh store: everyone at plan, nothing paid): every region loses,
    so every tick but 0 is negative, written with U+2212 and never a hyphen."""
    with running_app(tmp_path) as url:
        context = browser.new_context(viewport={"width": 1500, "height": 1100}, locale="sv-SE")
        page = context.new_page()
        page.goto(f"{url}/at?vy=Resultat")
        wait_idle(page)
        page.get_by_role("button", name="Exempel (fiktivt)").click()
        expect(page.get_by_text("exempelfilen med fiktiva utfall")).to_be_visible()
        wait_idle(page)
        page.get_by_role("tab", name="Jämför scenarier").click()
        base = page.get_by_test_id("stSelectbox").filter(has_text="Bas")
        expect(base).to_be_visible()
        wait_idle(page)
        base.click()
        page.get_by_role("option", name="Aktuell simulering").click()
        wait_idle(page)
        other = page.get_by_test_id("stSelectbox").filter(has_text="Jämförs med")
        other.click()
        page.get_by_role("option", name=re.compile("^Utgångsläge")).click()
        chart = page.locator("[data-testid='stPlotlyChart']:visible")
        expect(chart.locator(".gtitle")).to_contain_text("förlorar")
        expect(chart.locator(".gtitle")).not_to_contain_text("vinner")
        ticks = chart.locator(".xtick text")
        expect(ticks.first).to_be_attached()
        labels = ticks.evaluate_all("els => els.map(e => e.textContent)")
        negative = [t for t in labels if t != "0"]
        assert negative and all(t.startswith("\u2212") for t in negative), labels
        assert not any("-" in t for t in labels)
        expect_no_exception(page)
        context.close()
