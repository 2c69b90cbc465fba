"""A round decided, corrected and paid end to end in the browser: decision, a corrected report imported,
the drift shown, an amendment, the payout recorded once, and a letter downloaded and read back."""

from __future__ import annotations

import io
import math
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from tests.browser.conftest import ARTIFACTS, expect, expect_no_exception, running_app, screenshot, wait_idle
from tests.report_helpers import positions

pytestmark = pytest.mark.browser
ROUND = "at-2023"
ADDRESS = "/beslut?omgang=AT-tj%C3%A4nster+2023"


def with_check_digit(body: str) -> str:
    """``body`` and the Luhn check digit that makes it valid (made-up numbers, never real ones)."""
    from ingest.payment_details import luhn_ok

    return next(body + d for d in "0123456789" if luhn_ok(body + d))


def seed(folder: Path) -> dict[str, str]:
    """Reports above plan for four regions, and payment details for every region (made up for the test)."""
    from allocation.planned import parse_planned
    from store.model import Actor
    from store.service import Store

    store = Store.open(folder / "app.duckdb")
    actor = Actor("test", "handläggare")
    names = {r.code: r.name for r in store.rounds.regions(store.rounds.latest_population_date())}
    for code, more in (("01", 5), ("03", 2), ("09", 2), ("25", 3)):
        planned = math.ceil(parse_planned(store.rounds.planned_table(ROUND)[code]))
        store.reports.record_report(
            actor, "test", ROUND, positions(code, planned + more, 0, received=date(2023, 10, 20))
        )
    for i, code in enumerate(names):
        org = with_check_digit(f"2321{i:02d}000")
        store.bank_details.save_payment_details(actor, "test", code, org, with_check_digit(f"56{i:02d}000"))
    store.close()
    return names


def decide(page, reference: str, noun: str, shot: str = "") -> None:  # type: ignore[no-untyped-def]
    """Both steps: the form and "Granska <noun>", then the summary and "Fatta <noun>"."""
    page.get_by_role("textbox", name="Beslutets diarienummer").fill(reference)
    # The date field is segmented (year, month, day): type into the year and it moves on by itself.
    page.get_by_role("spinbutton", name="år, Publiceringsdag (beslutets datum)").click()
    page.keyboard.type("20231201")
    page.get_by_text("Jag har läst varningarna ovan och beslutar ändå").click()
    page.get_by_role("textbox", name="Anledning (skrivs i granskningsloggen)").fill("Beslut efter kontroll")
    page.get_by_role("button", name=f"Granska {noun}").click()
    wait_idle(page)
    expect(page.get_by_text(f"Granska {noun} innan det fattas")).to_be_visible()
    expect(page.get_by_text("Publiceringsdag och beslutsdatum: 1 december 2023")).to_be_visible()
    if shot:
        screenshot(page, shot)
    page.get_by_role("button", name=f"Fatta {noun}").click()


def render_first_page(pdf: bytes, name: str) -> None:
    """The PDF's first page as a PNG beside the screenshots (the README shows it), when pdftoppm is here."""
    if not shutil.which("pdftoppm"):
        return
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    source = ARTIFACTS / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-singlefile", str(source), str(ARTIFACTS / name)], check=True)
    source.unlink()


def go(page, address: str) -> None:  # type: ignore[no-untyped-def]
    """A new page load is a new session: the name for the audit log is typed again."""
    page.goto(address)
    page.get_by_role("textbox", name="Ditt namn").fill("Sara Handläggare")
    page.get_by_role("textbox", name="Ditt namn").press("Enter")
    wait_idle(page)


def open_tab(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("tab", name=name, exact=True).click()
    wait_idle(page)


def test_decide_correct_and_pay_a_round_in_the_browser(browser, tmp_path) -> None:  # type: ignore[no-untyped-def]
    seed(tmp_path)
    with running_app(tmp_path) as url:
        context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="sv-SE", accept_downloads=True)
        page = context.new_page()
        go(page, url + ADDRESS)
        expect(page.get_by_text("Kontroll före beslut")).to_be_visible()
        expect(page.get_by_text("Rapport saknas från 17 av 21 regioner")).to_be_visible()
        screenshot(page, "decision-check")
        decide(page, "S2023/1", "beslutet", "decision-review")
        expect(page.locator("[data-testid='stAlertContentSuccess']").first).to_contain_text(
            "Beslutet S2023/1 är fattat och låst"
        )
        expect_no_exception(page)

        # A region's corrected report arrives: staff import it on the data page.
        corrected = tmp_path / "rättelse.csv"
        corrected.write_text("region;filled;started;received\nUppsala;10;10;2023-11-02\n", encoding="utf-8-sig")
        go(page, url + "/data?omgang=AT-tj%C3%A4nster+2023")
        page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(str(corrected))
        expect(page.get_by_text("1 rad, varav 1 ny eller ändrad")).to_be_visible()
        page.get_by_role("textbox", name="Anledning (skrivs i granskningsloggen)").fill("Rättad rapport")
        page.get_by_role("textbox", name="Anledning (skrivs i granskningsloggen)").press("Enter")
        wait_idle(page)
        page.get_by_role("button", name="Läs in 1 rad").click()
        expect(page.locator("[data-testid='stAlertContentSuccess']").first).to_contain_text("Inläst")

        # The decision is what it was; the page says what changed and an amendment corrects it.
        go(page, url + ADDRESS)
        expect(page.get_by_text("Uppgifterna i databasen har ändrats sedan beslutet")).to_be_visible()
        screenshot(page, "decision-drift")
        open_tab(page, "Ändringsbeslut")
        decide(page, "S2023/2", "ändringsbeslutet")
        expect(page.locator("[data-testid='stAlertContentSuccess']").first).to_contain_text(
            "Ändringsbeslutet S2023/2 är fattat och låst"
        )
        open_tab(page, "Beslut")
        expect(page.get_by_text("Ändrar beslut S2023/1").first).to_be_visible()
        expect(page.get_by_text("Vad S2023/2 ändrade i S2023/1")).to_be_visible()
        screenshot(page, "decision-amended")

        # The letter of a region, as PDF, read back: its amount is the amendment's.
        open_tab(page, "Dokument")
        screenshot(page, "decision-documents")
        with page.expect_download() as info:
            page.get_by_role("button", name="Brev till Stockholm (PDF)").click()
        from pypdf import PdfReader

        letter = Path(info.value.path()).read_bytes()
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(letter)).pages)
        assert "S2023/2" in text and "Region Stockholm" in text
        render_first_page(letter, "decision-letter")

        # Pay the decision in force, once.
        open_tab(page, "Utbetalning")
        page.get_by_role("textbox", name="Betalningsreferens").fill("BET-2023-12")
        page.get_by_role("textbox", name="Anledning (skrivs i granskningsloggen)").fill("Utbetalning enligt beslut")
        page.get_by_role("button", name="Registrera som utbetald").click()
        expect(page.locator("[data-testid='stAlertContentSuccess']").first).to_contain_text(
            "Utbetalningen BET-2023-12 är registrerad: 254 000 000 kr"
        )
        # Nothing left to pay: one sentence, no list with a "Summa 0 kr" row and no empty file to download.
        done = "Det finns inget kvar att betala ut enligt beslutet S2023/2: 254 000 000 kr är redan utbetalt."
        expect(page.get_by_text(done)).to_be_visible()
        expect(page.get_by_role("button", name="Ladda ned (XLSX)")).to_have_count(0)
        screenshot(page, "decision-paid")
        expect_no_exception(page)
        page.set_viewport_size({"width": 390, "height": 844})
        open_tab(page, "Beslut")
        screenshot(page, "decision-phone")
        context.close()
