"""Reports for a round of blocks in a real browser: a CSV with Swedish column names imported into the 2024-shaped
round, one region's report date corrected in the form, and the change seen on the page and in the audit log; the
page at a desktop's and a phone's width."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from store.paths import DATA_ENV
from tests.browser.conftest import expect, expect_no_exception, running_app, screenshot, wait_idle

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "tests" / "rounds" / "at-2024-illustrative.toml"
SHORT = "AT 2024 (illustrativ)"
REASON = "Anledning (skrivs i granskningsloggen)"
SWEDISH = (
    "Länskod;Region;Tillsatta;Påbörjade;Avräknade;Mottagen\n"
    "01;Stockholm;330;325;0;2024-10-28\n"
    "03;Uppsala;90;88;2;2024-10-30\n"
    "09;Gotland;22;20;0;2024-11-05\n"
)


@pytest.fixture(scope="module")
def blocks_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("reports-server")
    data = folder / "data"
    shutil.copytree(ROOT / "data", data)
    shutil.copy(RULES, data / "rounds" / RULES.name)
    with running_app(folder, env={DATA_ENV: str(data)}) as url:
        yield url


def _sign_in(page) -> None:  # type: ignore[no-untyped-def]
    name = page.get_by_role("textbox", name="Ditt namn")
    name.fill("Anna Andersson")
    name.press("Enter")
    wait_idle(page)


def test_import_swedish_columns_then_correct_a_date_in_the_form(page, blocks_app: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    reports = tmp_path / "rapporter 2024.csv"
    reports.write_text(SWEDISH, encoding="utf-8-sig")
    page.set_viewport_size({"width": 1440, "height": 1000})
    page.goto(f"{blocks_app}/data?omgang={quote(SHORT)}")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("Regionerna rapporterar: Tillsatta, Påbörjade, Avräknade")).to_be_visible()
    expect(main.get_by_text("senast 1 november 2024 räknas")).to_be_visible()
    wait_idle(page)
    _sign_in(page)

    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(str(reports))
    expect(page.locator("[data-testid='stAlertContentInfo']").first).to_contain_text(
        "3 rader, varav 3 nya eller ändrade"
    )
    expect(main.get_by_text("Gotland: ny rapport")).to_be_visible()
    wait_idle(page)
    page.get_by_role("textbox", name=REASON).first.fill("Inrapportering november")
    page.get_by_role("textbox", name=REASON).first.press("Enter")
    wait_idle(page)
    page.get_by_role("button", name="Läs in 3 rader").click()
    expect(page.locator("[data-testid='stAlertContentSuccess']").first).to_contain_text("Inläst: 3 rader ändrade")
    expect_no_exception(page)

    # Gotland's report came on 5 November, not as the file says: corrected in the form.
    region = page.get_by_test_id("stSelectbox").filter(has=page.get_by_text("Region", exact=True))
    region.click()
    page.get_by_role("option", name="Gotland", exact=True).click()
    expect(
        main.get_by_text("Nu i databasen: Tillsatta 22; Påbörjade 20; Avräknade 0; mottagen 5 november 2024.")
    ).to_be_visible()
    wait_idle(page)
    received = page.get_by_test_id("stDateInput").filter(has=page.get_by_text("Mottagen", exact=True)).locator("input")
    expect(received).to_have_value("2024-11-05")
    received.fill("2024-10-31")
    received.press("Enter")
    form = page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name="Spara rapporten"))
    form.get_by_role("textbox", name=REASON).fill("Datum rättat: rapporten kom 31 oktober")
    form.get_by_role("button", name="Spara rapporten").click()
    expect(page.locator("[data-testid='stAlertContentSuccess']").first).to_contain_text(
        "Rapporten från Gotland är sparad (mottagen 31 oktober 2024) och loggad."
    )
    expect(main.get_by_text("mottagen 31 oktober 2024.", exact=False).first).to_be_visible()
    # The file still on the page would now change the date back: a changed date is a change.
    expect(main.get_by_text("Gotland: Mottagen 2024-10-31 → 2024-11-05")).to_be_visible()
    expect_no_exception(page)
    screenshot(page, "reports-1440")

    # The audit log says who changed what, from which date to which.
    page.get_by_role("tab", name="Granskningslogg").click()
    expect(page.locator("[data-testid='stDataFrame']").first).to_be_visible()
    expect_no_exception(page)

    page.get_by_role("tab", name="Importera rapporter").click()
    page.set_viewport_size({"width": 390, "height": 844})
    expect(main.get_by_text("Regionerna rapporterar")).to_be_visible()
    expect_no_exception(page)
    screenshot(page, "reports-390")
    assert page.console_errors == []


UNDATED = "Länskod;Region;Tillsatta;Påbörjade;Avräknade\n08;Kalmar;40;39;0\n10;Blekinge;30;30;0\n"
RECEIVED_FIELD = "Mottagen (för rader utan eget datum i filen)"


def _type_day(page, yyyymmdd: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("spinbutton", name=f"år, {RECEIVED_FIELD}").click()
    page.keyboard.type(yyyymmdd)
    page.keyboard.press("Escape")  # the calendar the field opens closes; the day typed stays


def test_the_received_day_applies_on_the_button_and_a_changed_day_is_previewed_before_it_is_written(
    page, blocks_app: str, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    reports = tmp_path / "utan datum.csv"
    reports.write_text(UNDATED, encoding="utf-8-sig")
    page.set_viewport_size({"width": 1440, "height": 1000})
    page.goto(f"{blocks_app}/data?omgang={quote(SHORT)}")
    main = page.get_by_test_id("stMain")
    wait_idle(page)
    _sign_in(page)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(str(reports))
    expect(main.get_by_text("Välj dagen rapporterna togs emot och tryck Granska filen")).to_be_visible()
    form = page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name="Granska filen"))
    _type_day(page, "20241028")
    form.get_by_role("textbox", name=REASON).fill("Inrapportering utan datum i filen")
    form.get_by_role("button", name="Granska filen").click()  # the day applies on the button, with the reason
    info = page.locator("[data-testid='stAlertContentInfo']").first
    expect(info).to_contain_text("2 rader, varav 2 nya eller ändrade")
    wait_idle(page)
    screenshot(page, "reports-import-day-in-form")

    # Another day typed after the preview: the button previews the file with it, and writes nothing yet.
    _type_day(page, "20241030")
    page.get_by_role("button", name="Läs in 2 rader").click()
    wait_idle(page)
    expect(info).to_contain_text("2 rader, varav 2 nya eller ändrade")
    expect(page.locator("[data-testid='stAlertContentSuccess']")).to_have_count(0)
    page.get_by_role("button", name="Läs in 2 rader").click()
    expect(page.locator("[data-testid='stAlertContentSuccess']").first).to_contain_text("Inläst: 2 rader ändrade")

    region = page.get_by_test_id("stSelectbox").filter(has=page.get_by_text("Region", exact=True))
    region.click()
    page.get_by_role("option", name="Kalmar", exact=True).click()
    expect(main.get_by_text("mottagen 30 oktober 2024.", exact=False).first).to_be_visible()  # the day shown last
    expect_no_exception(page)
    assert page.console_errors == []
