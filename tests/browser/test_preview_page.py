"""The region preview in Chromium: the honest default, deep links by län code and by name, an unknown region
told in Swedish, nothing cut off on a phone, and the workbook it downloads."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from store.export import PERCENT_FORMAT
from tests.browser.conftest import expect, expect_no_exception, metric_value, screenshot, wait_idle

pytestmark = pytest.mark.browser

DEFAULT_LABEL = "Osäkert: de andra regionernas utökning dras slumpmässigt"
KRONOR = re.compile(r"^[\d\u00a0]+\u00a0kr$")
ROUNDED = re.compile(r"^\d+(,\d)? miljon(er)?\u00a0kr$")  # a simulated amount: rounded to what it can know
AMOUNT = re.compile(r"^(omkring )?[\d\u00a0,]+( miljon(er)?)?\u00a0kr$")


def first_figure(page):  # type: ignore[no-untyped-def]
    """The first figure's value, by plan or by the region's report: the session's app is shared with tests that
    import reports (tests/browser/test_data_page.py), so a region may have reported by the time this runs."""
    first = re.compile(r"^(Troligt belopp|Belopp) enligt er (plan|rapport)")
    label = page.get_by_test_id("stMetricLabel").get_by_text(first)
    return page.get_by_test_id("stMetric").filter(has=label).first.get_by_test_id("stMetricValue")


def grow(page, value: int) -> None:  # type: ignore[no-untyped-def]
    """Type ``value`` into the what-if's Tillsatta (it starts at the plan) and wait for the run it starts."""
    filled = page.get_by_test_id("stMain").get_by_label("Tillsatta")
    expect(filled).not_to_have_value("")
    wait_idle(page)
    filled.fill(str(value))
    filled.press("Enter")
    expect(filled).to_have_value(str(value))
    wait_idle(page)


def test_the_default_is_uncertain_and_a_link_by_name_or_code_opens_the_region(page) -> None:  # type: ignore[no-untyped-def]
    # The server's first request runs the frame once (deep links to a cold server are app.py's concern and
    # tested there); then the preview's own address with its region.
    page.goto(page.app_url)
    wait_idle(page)
    page.goto(f"{page.app_url}/region?pv_region=Gotland")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("combobox", name="Region")).to_have_value("Gotland")
    expect(page.get_by_role("radio", name=DEFAULT_LABEL)).to_be_checked()
    expect(first_figure(page)).to_have_text(AMOUNT)  # the first figure: by plan, or by a report
    grow(page, 19)  # Gotland's plan (16) + 3 in the what-if
    expect(metric_value(page, "Troligt belopp, omkring")).to_have_text(ROUNDED)
    expect(main.locator("figure.colchart")).to_have_count(2)  # plain HTML: no Plotly to load
    # The statistics wait, folded, in "För den som vill veta mer".
    expect(main.get_by_text("Lågt utfall (P10", exact=False)).to_be_hidden()
    main.get_by_text("För den som vill veta mer").click()
    expect(main.get_by_text("Lågt utfall (P10", exact=False)).to_be_visible()
    expect(main).not_to_contain_text(re.compile(r"(^|[\s(])säker"))  # "Osäkert" names an assumption
    wait_idle(page)
    assert re.search(r"[?&]pv_region=09(&|$)", page.url)  # the address names the region by its code
    screenshot(page, "region-preview-default")

    page.goto(f"{page.app_url}/region?pv_region=01")
    expect(main.get_by_role("combobox", name="Region")).to_have_value("Stockholm")
    expect(main).to_contain_text("Planerat enligt planeringsunderlaget: 272 tjänster.")
    grow(page, 282)
    page.get_by_text("Alla andra regioner enligt plan").click()
    expect(metric_value(page, "Om ingen annan region kvalificerar sig")).to_have_text("254\u00a0000\u00a0000\u00a0kr")
    expect(main).to_contain_text("Beloppet gäller bara om ingen annan region når ett trappsteg")
    expect_no_exception(page)
    assert page.console_errors == []


def test_an_unknown_region_in_the_address_is_told_in_swedish(page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{page.app_url}/region?pv_region=Atlantis")
    alert = page.get_by_test_id("stAlert").filter(has_text="Atlantis")
    expect(alert).to_contain_text("Adressen anger en region som inte finns")
    expect(alert).to_contain_text("länskod")
    expect_no_exception(page)


def test_on_a_phone_no_amount_or_chart_title_is_cut_off(browser, app_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="sv-SE", is_mobile=True)
    page = context.new_page()
    try:
        page.goto(f"{app_url}/region?pv_region=Vastra Gotaland")  # the longest name, typed without å, ä, ö
        expect(page.get_by_role("combobox", name="Region")).to_have_value("Västra Götaland")
        expect(first_figure(page)).to_have_text(AMOUNT)
        planned = int(page.get_by_test_id("stMain").get_by_label("Tillsatta").input_value())
        grow(page, planned + 3)
        expect(metric_value(page, "Troligt belopp, omkring")).to_have_text(ROUNDED)
        main = page.get_by_test_id("stMain")
        expect(main.locator("figure.colchart .title")).to_have_count(2)
        wait_idle(page)
        # A metric's value is cut with an ellipsis when it does not fit: its text then overflows its box.
        overflowing = page.evaluate(
            """() => [...document.querySelectorAll('[data-testid=stMetricValue] div, [data-testid=stMetricValue]')]
                 .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)"""
        )
        assert overflowing == []
        # Every chart title, subtitle, tick and line label ends inside its chart, and no two labels overlap.
        outside = page.evaluate(
            """() => [...document.querySelectorAll('figure.colchart')].flatMap(chart => {
                 const box = chart.getBoundingClientRect();
                 return [...chart.querySelectorAll('.title, .sub, .label, .xticks span')]
                   .filter(t => { const r = t.getBoundingClientRect();
                                  return r.right > box.right + 1 || r.left < box.left - 1; })
                   .map(t => t.textContent);
               })"""
        )
        assert outside == []
        overlapping = page.evaluate(
            """() => [...document.querySelectorAll('figure.colchart')].flatMap(chart => {
                 const boxes = [...chart.querySelectorAll('.label')]
                   .map(l => [l.textContent, l.getBoundingClientRect()]);
                 return boxes.flatMap(([a, r], i) => boxes.slice(i + 1)
                   .filter(([, q]) => r.left < q.right && q.left < r.right && r.top < q.bottom && q.top < r.bottom)
                   .map(([b]) => a + ' / ' + b));
               })"""
        )
        assert overlapping == []
        screenshot(page, "region-preview-phone")
    finally:
        context.close()


def test_the_downloaded_workbook_shows_percent_and_names_round_region_and_date(page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{page.app_url}/region?pv_region=09")
    expect(first_figure(page)).to_have_text(AMOUNT)
    wait_idle(page)  # the download button belongs to the same run
    with page.expect_download() as info:
        page.get_by_role("button", name="Ladda ned förhandsbeskedet (XLSX, preliminärt)").click()
    name = info.value.suggested_filename
    assert re.fullmatch(r"AT-tjanster-2023_forhandsbesked_Gotland_\d{4}-\d\d-\d\d\.xlsx", name)
    workbook = load_workbook(io.BytesIO(info.value.path().read_bytes()))
    rows = {r[0].value: r[1] for r in workbook["Förhandsbesked"].iter_rows(min_row=2)}
    assert all(c.number_format == PERCENT_FORMAT for k, c in rows.items() if k.startswith("Sannolikhet"))
    about = {r[0].value: r[1].value for r in workbook["Om uttaget"].iter_rows(min_row=2)}
    assert about["Antal simuleringar"] == 100_000 and about["Skapad"].endswith("svensk tid (Europe/Stockholm)")
    assert "Schemaversion" not in about
