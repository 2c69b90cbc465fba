"""The data page in a real browser: an import is validated, confirmed, audited and used by the results."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import expect, expect_no_exception, metric_value, screenshot, wait_idle

pytestmark = pytest.mark.browser
FOOTER = "Data: befolkning"  # the frame's last line: on a freshly loaded page, the run has reached its end


def test_import_reports_then_see_them_in_the_allocation(page, tmp_path) -> None:  # type: ignore[no-untyped-def]
    reports = tmp_path / "rapporter.csv"
    reports.write_text(
        "region;filled;started;received\nGotland;19;18;2023-10-30\nJämtland;30;28;2023-10-31\n", encoding="utf-8-sig"
    )
    page.goto(f"{page.app_url}/data")
    wait_idle(page)
    page.get_by_role("textbox", name="Ditt namn").fill("Anna Andersson")
    page.get_by_role("textbox", name="Ditt namn").press("Enter")
    wait_idle(page)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(str(reports))
    expect(page.locator("[data-testid='stAlertContentInfo']").first).to_contain_text(
        "2 rader, varav 2 nya eller ändrade"
    )
    page.get_by_role("textbox", name="Anledning (skrivs i granskningsloggen)").fill("Inrapportering november")
    page.get_by_role("textbox", name="Anledning (skrivs i granskningsloggen)").press("Enter")
    wait_idle(page)
    page.get_by_role("button", name="Läs in 2 rader").click()
    expect(page.locator("[data-testid='stAlertContentSuccess']").first).to_contain_text("Inläst: 2 rader ändrade")
    screenshot(page, "data-import")
    expect_no_exception(page)

    page.goto(f"{page.app_url}/at")
    # The simulator starts from the imported reports: Gotland (plan 16, 19 filled) reaches the 3-step.
    expect(page.get_by_text("inlästa rapporter (2 regioner)").first).to_be_visible()
    expect(metric_value(page, "Kvalificerade regioner")).to_have_text("2 av 21")
    assert page.console_errors == []


def test_a_deep_link_as_the_first_request_after_a_restart_runs_the_frame(browser, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The sidebar (and any check the frame makes) is there even when no one has opened "/" yet."""
    from tests.browser.conftest import running_app

    with running_app(tmp_path) as url:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        page.goto(f"{url}/data")
        expect(page.get_by_role("textbox", name="Ditt namn")).to_be_visible()
        expect(page.get_by_text("Data, import och export").first).to_be_visible()
        expect(page.get_by_text(FOOTER)).to_be_visible()
        wait_idle(page)  # the run has ended: what it did not show, it will not show
        expect(page.get_by_text("Page not found")).to_have_count(0)
        expect(page.locator("[role='dialog']")).to_have_count(0)
        context.close()


def test_a_bad_file_lists_every_problem_in_swedish_and_writes_nothing(page, tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "region;filled;started;received\nAtlantis;3;4;2023-10-30\nGotland;-1;2;2023-10-30\n", encoding="utf-8"
    )
    page.goto(f"{page.app_url}/data")
    wait_idle(page)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(str(bad))
    error = page.locator("[data-testid='stAlertContentError']").first
    expect(error).to_contain_text("2 fel. Ingenting har skrivits")
    expect(error).to_contain_text('rad 2, kolumn region: okänd region "Atlantis"')
    expect(error).to_contain_text('rad 3, kolumn filled: "-1" är negativt')
    wait_idle(page)  # the run that shows the error has ended
    expect(page.get_by_role("button", name="Läs in")).to_have_count(0)
    screenshot(page, "data-bad-file")


def test_a_store_table_reads_its_figures_and_dates_as_shown(page) -> None:  # type: ignore[no-untyped-def]
    """The data grid's accessible copy (what a screen reader hears) of a store table holds the figures and
    dates as shown: "395 026", "2022-11-01", never "395026" or a raw timestamp."""
    page.goto(f"{page.app_url}/data?flik=Tabeller+och+export")
    wait_idle(page)
    page.locator("[data-testid='stSelectbox']").filter(has_text="Tabell").click()
    page.get_by_role("option", name="Befolkning", exact=True).click()
    wait_idle(page)
    header = page.locator("th").filter(has_text=re.compile(r"^Befolkning$"))
    table = page.get_by_test_id("stMain").get_by_test_id("stDataFrame").filter(has=header)
    row = table.locator("tr").filter(has=page.locator("td").filter(has_text=re.compile(r"^01$"))).first
    expect(row).to_contain_text(re.compile(r"\d\s\d{3}\s\d{3}"))
    cells = row.locator("td").all_inner_texts()
    assert any(re.fullmatch(r"\d{1,3}(\s\d{3})+", c) for c in cells), cells
    assert not any(re.fullmatch(r"−?\d*\.\d+|\d{4,}|\d{13}|.*T\d\d:.*", c.strip()) for c in cells), cells
    expect_no_exception(page)
