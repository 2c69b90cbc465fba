"""The 2024-shaped test round from nothing to paid, in Chromium, as its users do it (issue 24's first "done when").

Staff log in through a real OIDC provider, start from an empty store, add the region's user, import the
reports from a CSV with Swedish column names (the received date chosen in the form), correct one region's
date in the report form, simulate with a changed pot and open the shared address in a fresh browser, save a
scenario and compare it with the baseline, decide in two steps, read a letter's amount back from its PDF,
register the payment details from a file and pay; then the region logs in and sees the decided amount first.

The amounts expected are those of ``python -m cli allocate`` on the same reports (a door other than the
browser's), so the test checks that what the users typed and uploaded is what got decided, written and paid.
Screenshots of every step at 1440 px go to test-artifacts/screenshots/e2e-*.png.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from present import formats as f
from store.model import Actor
from store.paths import DATA_ENV
from store.service import Store
from tests.app_helpers import USERS
from tests.browser.conftest import expect, expect_no_exception, metric_value, running_app, screenshot, wait_idle
from tests.browser.login import log_in, oidc_auth
from tests.browser.test_decision_flow import render_first_page, with_check_digit

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "tests" / "rounds" / "at-2024-illustrative.toml"
TITLE = "AT-tjänster 2024 (testomgång)"
SHORT = "AT 2024 (test)"
ROUND = f"omgang={quote(SHORT)}"
REASON = "Anledning (skrivs i granskningsloggen)"
POT_LABEL = "Block 2: prestationsbaserade medel: pott (kr)"
DESKTOP = {"width": 1440, "height": 1000}
REGION = USERS["region"]  # Ulla, region Uppsala (03)
# The regions' reports as the file comes in: no date column, the day is chosen in the form. Norrbotten in
# the seed's spelling. Gotland's report in fact came on 5 November, after the deadline: corrected in the form.
REPORTS = (
    "Region;Tillsatta;Påbörjade;Avräknade\n"
    "Stockholm;280;279;0\n"
    "Uppsala;58;57;0\n"
    "Gotland;19;18;0\n"
    "Skåne;209;205;1\n"
    "Örebro;57;57;0\n"
    "Norrbottn;53;52;0\n"
)
RECEIVED = "2024-10-31"
LATE = ("Gotland", "2024-11-05")
PUBLISHED = "20241210"  # typed into the segmented date field: 10 December 2024


def payable_rules(text: str) -> str:
    """The 2024-shaped test round's rules as a real round of that shape would be written: the same blocks, pots,
    steps, dates and recipients, but not marked illustrative at the round's level (the store records no payment
    for an illustrative round, tests/test_payments.py) and titled as a test round. The citations that mark a
    figure as assumed keep their marks."""
    head, sep, rest = text.partition("\n[source]")
    replaced = {
        "\nillustrative = true\n": "\nillustrative = false\n",
        '\ntitle = "AT-tjänster 2024 (illustrativ testomgång)"\n': f'\ntitle = "{TITLE}"\n',
        '\nshort_title = "AT 2024 (illustrativ)"\n': f'\nshort_title = "{SHORT}"\n',
    }
    for old, new in replaced.items():
        assert head.count(old) == 1, old
        head = head.replace(old, new)
    return head + sep + rest


def expected_allocation(tmp_path: Path, rules: Path) -> dict:
    """The command line's allocation of the reports as corrected (each row with its received date)."""
    lines = REPORTS.splitlines()
    rows = [lines[0] + ";datum"]
    rows += [f"{line};{LATE[1] if line.startswith(LATE[0] + ';') else RECEIVED}" for line in lines[1:]]
    inputs = tmp_path / "inputs.csv"
    inputs.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "cli", "allocate", "--rules", str(rules), "--inputs", str(inputs), "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def app(tmp_path: Path, oidc_server: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The app with a store of its own, seeded from a data folder holding the 2024-shaped round; the only
    thing in the store before the browser starts is the staff user (as an administrator sets it up)."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    (data / "rounds" / RULES.name).write_text(payable_rules(RULES.read_text(encoding="utf-8")), encoding="utf-8")
    monkeypatch.setenv(DATA_ENV, str(data))
    store = Store.open(tmp_path / "app.duckdb")  # closed before the server opens the file
    store.users.save_user(Actor("test", "handläggare (kommandorad)"), "e2e", USERS["staff"])
    store.close()
    with running_app(tmp_path, oidc_auth(oidc_server), env={DATA_ENV: str(data)}) as url:
        yield url


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """A full-page screenshot, then the desktop's size again (the helper grows the viewport to the content)."""
    screenshot(page, name)
    page.set_viewport_size(DESKTOP)


def open_page(page, address: str, heading: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(address)
    expect(page.get_by_test_id("stMain").get_by_role("heading", name=heading, level=1)).to_be_visible()
    wait_idle(page)


def open_tab(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("tab", name=name, exact=True).click()
    wait_idle(page)


def success(page):  # type: ignore[no-untyped-def]
    return page.locator("[data-testid='stAlertContentSuccess']").first


def choose(page, label: str, option: str, within=None) -> None:  # type: ignore[no-untyped-def]
    """Pick ``option`` in the select box labelled ``label``, typing to find it."""
    box = (within or page).get_by_role("combobox", name=label, exact=True)
    box.click()
    box.press_sequentially(option)  # as a user types: the list is long, and only the options in view exist
    page.get_by_role("option", name=option, exact=True).click()
    expect(box).to_have_value(option)
    wait_idle(page)


def type_date(page, field: str, yyyymmdd: str) -> None:  # type: ignore[no-untyped-def]
    """A segmented date field: type into its year and it moves on to month and day by itself."""
    page.get_by_role("spinbutton", name=f"år, {field}").click()
    page.keyboard.type(yyyymmdd)


def start(page, url: str) -> None:  # type: ignore[no-untyped-def]
    """An empty store: staff say no to the example data, then add the region's user."""
    expect(page.get_by_text("Databasen är tom.")).to_be_visible()
    shot(page, "e2e-0-tom-databas")
    page.get_by_role("button", name="Nej tack, börja med en tom databas").click()
    expect(page.get_by_text("Databasen är tom.")).to_have_count(0)
    open_page(page, f"{url}/anvandare", "Användare och roller")
    form = page.get_by_test_id("stForm")
    form.get_by_role("textbox", name="Inloggning (e-postadress)").fill(REGION.login)
    form.get_by_role("textbox", name="Namn").fill(REGION.name)
    choose(page, "Roll", "region", form)
    choose(page, "Region (endast för rollen region)", "Uppsala", form)
    form.get_by_role("textbox", name=REASON).fill("Regionens kontaktperson för AT 2024")
    form.get_by_role("button", name="Spara användare").click()
    # The address as a code span (no autolink): shown, and copied, exactly as typed, nothing invisible in it.
    expect(success(page)).to_contain_text(f"Användaren {REGION.login} är tillagd")
    expect(success(page).locator("code")).to_have_text(REGION.login)
    assert success(page).locator("code").evaluate("e => e.textContent") == REGION.login
    expect(success(page).locator("a")).to_have_count(0)
    expect_no_exception(page)
    shot(page, "e2e-0-anvandare")


def import_reports(page, url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Step 1: the reports from a CSV with Swedish column names, the received day chosen in the form."""
    reports = tmp_path / "AT-rapporter 2024.csv"
    reports.write_text(REPORTS, encoding="utf-8-sig")
    open_page(page, f"{url}/data?{ROUND}", "Data, import och export")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("Regionerna rapporterar: Tillsatta, Påbörjade, Avräknade")).to_be_visible()
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(str(reports))
    expect(main.get_by_text("Välj dagen rapporterna togs emot och tryck Granska filen")).to_be_visible()
    type_date(page, "Mottagen (för rader utan eget datum i filen)", RECEIVED.replace("-", ""))
    # The day, the reason and the button are one form: the day applies on the button (as the hint says).
    page.get_by_role("button", name="Granska filen").click()
    expect(page.locator("[data-testid='stAlertContentInfo']").first).to_contain_text(
        "6 rader, varav 6 nya eller ändrade"
    )
    expect(main.get_by_text("Norrbotten: ny rapport")).to_be_visible()  # the seed's spelling read as Norrbotten
    wait_idle(page)
    page.get_by_role("textbox", name=REASON).first.fill("Inrapportering 2024")
    page.get_by_role("textbox", name=REASON).first.press("Enter")
    wait_idle(page)
    shot(page, "e2e-1-import")
    page.get_by_role("button", name="Läs in 6 rader").click()
    expect(success(page)).to_contain_text("Inläst: 6 rader ändrade")
    expect_no_exception(page)


def correct_date(page) -> None:  # type: ignore[no-untyped-def]
    """Step 2: one region's report came later than the file's day: its date corrected in the report form."""
    name, day = LATE
    main = page.get_by_test_id("stMain")
    choose(page, "Region", name, main)
    expect(
        main.get_by_text("Nu i databasen: Tillsatta 19; Påbörjade 18; Avräknade 0; mottagen 31 oktober 2024.")
    ).to_be_visible()
    wait_idle(page)
    form = page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name="Spara rapporten"))
    received = form.get_by_test_id("stDateInput").filter(has=page.get_by_text("Mottagen", exact=True)).locator("input")
    expect(received).to_have_value(RECEIVED)
    received.fill(day)
    received.press("Enter")
    form.get_by_role("textbox", name=REASON).fill("Rapporten kom 5 november enligt diariet")
    form.get_by_role("button", name="Spara rapporten").click()
    expect(success(page)).to_contain_text(f"Rapporten från {name} är sparad (mottagen 5 november 2024) och loggad.")
    expect_no_exception(page)
    shot(page, "e2e-2-rattat-datum")


BLOCK_METRICS = (
    "Pott",
    "Utbetalt",
    "Ej fördelat",
    "Block 1: medel för inrapportering",
    "Block 2: prestationsbaserade medel",
)


def uppsala_row(page, column: str):  # type: ignore[no-untyped-def]
    """Uppsala's row in the table with the column ``column`` (glide-data-grid keeps an accessible copy of its
    cells in the page: the rows in view, Uppsala's among the first)."""
    header = page.locator("th").filter(has_text=re.compile(rf"^{re.escape(column)}$"))
    table = page.get_by_test_id("stMain").get_by_test_id("stDataFrame").filter(has=header)
    return table.locator("tr").filter(has=page.locator("td").filter(has_text=re.compile(r"^Uppsala$")))


def simulate_and_share(page, browser, url: str) -> None:  # type: ignore[no-untyped-def]
    """Step 3: block 2's pot changed; the address opened in a fresh browser shows the same figures."""
    open_page(page, f"{url}/at?{ROUND}", f"{SHORT} – simulering och fördelning")
    field = page.get_by_label(POT_LABEL)
    expect(field).to_have_value(f.number(160_000_000))
    expect(metric_value(page, "Pott")).to_have_text(f.mnkr(223_000_000))
    field.fill("120000000")
    field.press("Tab")
    expect(field).to_have_value(f.number(120_000_000))
    expect(metric_value(page, "Pott")).to_have_text(f.mnkr(183_000_000))
    expect(page).to_have_url(re.compile(r"pot_kr_performance="))
    expect_no_exception(page)
    figures = {label: metric_value(page, label).inner_text() for label in BLOCK_METRICS}
    row = uppsala_row(page, "Befolkning")
    # The accessible copy (what a screen reader hears; the columns in view) holds the figures as shown:
    # "400 070" and "51,25", never "400070" or "51.2493".
    expect(row).to_contain_text(re.compile(r"\d\s\d{3}"))
    cells = row.locator("td").all_inner_texts()
    assert any(re.fullmatch(r"\d{1,3}(\s\d{3})+", c) for c in cells), cells
    assert not any(re.fullmatch(r"−?\d*\.\d+|\d{4,}", c.strip()) for c in cells), cells
    simulated = row.inner_text()
    shot(page, "e2e-3-simulering")
    shared = page.url

    context = browser.new_context(viewport=DESKTOP, locale="sv-SE")  # a colleague: no cookie, no session shared
    try:
        other = log_in(context, url, "staff")
        other.goto(shared)
        expect(other.get_by_test_id("stMain").get_by_role("heading", level=1)).to_have_text(
            f"{SHORT} – simulering och fördelning"
        )
        expect(other.get_by_label(POT_LABEL)).to_have_value(f.number(120_000_000))
        for label, value in figures.items():
            expect(metric_value(other, label)).to_have_text(value)
        expect(uppsala_row(other, "Befolkning")).to_have_text(simulated)
        expect_no_exception(other)
        shot(other, "e2e-3-delad-adress")
    finally:
        context.close()


def save_and_compare(page, uppsala: int) -> None:  # type: ignore[no-untyped-def]
    """Step 4: the simulation saved as a scenario, and compared with the baseline (the rules' pots on the
    reports as corrected: Uppsala's amount there is the command line's)."""
    name = "Block 2 med 120 miljoner"
    page.get_by_label("Namn på scenariot").fill(name)
    page.get_by_role("button", name="Spara scenario").click()
    expect(page).to_have_url(re.compile(r"[?&]scenario=Block"))
    wait_idle(page)
    open_tab(page, "Jämför scenarier")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("combobox", name="Bas")).to_have_value("Utgångsläge (reglernas belopp, inlästa rapporter)")
    expect(main.get_by_role("combobox", name="Jämförs med")).to_have_value(name)
    table = main.locator("[data-testid='stDataFrame']").last
    expect(table.locator("th").filter(has_text=re.compile(rf"^{name}$"))).to_have_count(1)
    expect(table.locator("th").filter(has_text=re.compile(r"^Skillnad$"))).to_have_count(1)
    expect(uppsala_row(page, "Skillnad")).to_contain_text(f.kr(uppsala))  # as shown, also in the accessible copy
    expect_no_exception(page)
    shot(page, "e2e-4-jamforelse")


def decide(page, url: str, expected: dict, uppsala: int) -> None:  # type: ignore[no-untyped-def]
    """Step 5: the decision in two steps, on the rules' pots and the reports as corrected."""
    open_page(page, f"{url}/beslut?{ROUND}", f"{SHORT} – beslut")
    open_tab(page, "Fatta beslut")
    expect(page.get_by_text("Kontroll före beslut")).to_be_visible()
    page.get_by_role("textbox", name="Beslutets diarienummer").fill("S2024/00586-7")
    type_date(page, "Publiceringsdag (beslutets datum)", PUBLISHED)
    page.get_by_text("Jag har läst varningarna ovan och beslutar ändå").click()
    page.get_by_role("textbox", name=REASON).fill("Beslut efter kontroll av rapporterna")
    shot(page, "e2e-5-fatta-beslut")
    page.get_by_role("button", name="Granska beslutet").click()
    expect(page.get_by_text("Granska beslutet innan det fattas")).to_be_visible()
    expect(page.get_by_text("Publiceringsdag och beslutsdatum: 10 december 2024")).to_be_visible()
    expect(metric_value(page, "Fördelas")).to_have_text(f.kr(expected["paid"]))
    expect(uppsala_row(page, "Belopp")).to_have_text(re.compile(rf"^\s*Uppsala\s*{f.kr(uppsala)}\s*$"))
    wait_idle(page)
    shot(page, "e2e-5-granska-beslut")
    page.get_by_role("button", name="Fatta beslutet").click()
    expect(success(page)).to_contain_text(f"Beslutet S2024/00586-7 är fattat och låst: {f.kr(expected['paid'])}")
    expect_no_exception(page)
    shot(page, "e2e-5-beslut")


def letter_amount(page, name: str, amount: int) -> None:  # type: ignore[no-untyped-def]
    """The region's letter downloaded as PDF: its text names the region and the decided amount."""
    from pypdf import PdfReader

    open_tab(page, "Dokument")
    choose(page, "Brev till", name, page.get_by_test_id("stMain"))
    with page.expect_download() as info:
        page.get_by_role("button", name=f"Brev till {name} (PDF)").click()
    shot(page, "e2e-5-dokument")
    pdf = Path(info.value.path()).read_bytes()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    text = re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))
    assert f"Region {name}" in text
    assert "S2024/00586-7" in text
    assert f.kr(amount).replace("\u00a0", " ") in text, text
    render_first_page(pdf, "e2e-5-brev")


def pay(page, tmp_path: Path, expected: dict) -> None:  # type: ignore[no-untyped-def]
    """Step 6: every region's organisation number and bankgiro from a file, then the payout registered."""
    details = tmp_path / "betalningsuppgifter.csv"
    rows = ["region;organisationsnummer;bankgiro"]
    rows += [
        f"{r['code']};{with_check_digit(f'2321{i:02d}000')};{with_check_digit(f'56{i:02d}000')}"
        for i, r in enumerate(expected["recipients"])
    ]
    details.write_text("\n".join(rows) + "\n", encoding="utf-8")
    open_tab(page, "Betalningsuppgifter")
    page.get_by_text("Läs in betalningsuppgifter från en fil").click()
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(str(details))
    count = len(expected["recipients"])
    expect(page.locator("[data-testid='stAlertContentInfo']").first).to_contain_text(
        f"{count} rader, varav {count} nya eller ändrade"
    )
    wait_idle(page)
    page.get_by_role("textbox", name=REASON).last.fill("Regionernas betalningsuppgifter 2024")
    page.get_by_role("textbox", name=REASON).last.press("Enter")
    wait_idle(page)
    page.get_by_role("button", name=f"Läs in {count} rader").click()
    expect(success(page)).to_contain_text(f"Inläst: {count} rader ändrade")
    expect_no_exception(page)

    open_tab(page, "Utbetalning")
    expect(page.get_by_text(f"att betala ut nu {f.kr(expected['paid'])}")).to_be_visible()
    wait_idle(page)
    shot(page, "e2e-6-utbetalningslista")
    form = page.get_by_test_id("stForm")
    form.get_by_role("textbox", name="Betalningsreferens").fill("BET-2024-12")
    form.get_by_role("textbox", name=REASON).fill("Utbetalning enligt beslut S2024/00586-7")
    form.get_by_role("button", name="Registrera som utbetald").click()
    expect(success(page)).to_contain_text(f"Utbetalningen BET-2024-12 är registrerad: {f.kr(expected['paid'])}")
    paid = f.kr(expected["paid"])
    done = f"Det finns inget kvar att betala ut enligt beslutet S2024/00586-7: {paid} är redan utbetalt."
    expect(page.get_by_text(done)).to_be_visible()  # one sentence: no "Summa 0 kr" list, no empty download
    expect(page.get_by_role("button", name=re.compile("^Ladda ned"))).to_have_count(0)
    expect_no_exception(page)
    shot(page, "e2e-6-utbetalt")


def region_view(browser, url: str, amount: int) -> None:  # type: ignore[no-untyped-def]
    """Step 7: the region logs in; its first figure is the decided amount, with its letter beside it."""
    context = browser.new_context(viewport=DESKTOP, locale="sv-SE")
    try:
        page = log_in(context, url, "region")
        open_page(page, f"{url}/region?{ROUND}", "Förhandsbesked för Uppsala")
        first = page.get_by_test_id("stMain").locator(".st-key-pv_first")
        expect(first).to_contain_text("Beslutet är publicerat")
        expect(first.get_by_test_id("stMetricValue").first).to_have_text(f.kr(amount))
        expect(metric_value(page, "Beslutat belopp")).to_have_text(f.kr(amount))
        expect(first.get_by_role("button", name="Brev till Uppsala (PDF)")).to_be_visible()
        expect_no_exception(page)
        shot(page, "e2e-7-regionen")
        assert not page.console_errors
    finally:
        context.close()


def test_the_2024_shaped_round_from_nothing_to_paid(browser, app: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    expected = expected_allocation(tmp_path, tmp_path / "data" / "rounds" / RULES.name)
    assert expected["pot"] == 223_000_000 and [b["pot"] for b in expected["blocks"]] == [63_000_000, 160_000_000]
    uppsala = next(r for r in expected["recipients"] if r["code"] == REGION.region)["total"]
    context = browser.new_context(viewport=DESKTOP, locale="sv-SE", accept_downloads=True)
    try:
        page = log_in(context, app, "staff")
        start(page, app)
        import_reports(page, app, tmp_path)
        correct_date(page)
        simulate_and_share(page, browser, app)
        save_and_compare(page, uppsala)
        decide(page, app, expected, uppsala)
        letter_amount(page, "Uppsala", uppsala)
        pay(page, tmp_path, expected)
        assert not page.console_errors
    finally:
        context.close()
    region_view(browser, app, uppsala)
