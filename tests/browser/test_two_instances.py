"""Two dashboard processes on one PostgreSQL database, in a real browser, as behind a load balancer.

Staff on instance A record a requisition on the elderly-care round's follow-up; a reader on instance B, whose
page was shown (and its reads cached) before, sees it on the next run. Then the command line imports a file of
AT reports and one of requisitions into the same database while both run, and both show them on their next
run: the reports are among the reads each process caches, so this also shows the cache dropped after another
process's write. Each instance has its own folder (log, secrets) and its own process: only the database is
shared. The import runs through ``python -m store --db URL`` when the command line takes a URL, else the same
import in a process of its own through the Python API (``tests.test_pg_load.import_command``).

The round's amounts are the labelled estimate until the official table is imported; the requisitions here are
far below Gotland's and Kalmar's estimated maximum. A requisition needs an approved ombud: seeded through the
store before the instances start.
"""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest

from present.formats import kr
from store.model import Actor
from store.paths import URL_ENV
from store.service import Store
from tests.browser.conftest import expect, expect_no_exception, running_app, screenshot, wait_idle
from tests.test_pg_load import ROOT, cli_takes_url, import_command

pytestmark = pytest.mark.browser

ROUND = "elderly-2023"
ELDERLY = "omgang=" + quote("Läkare i äldreomsorgen 2023")
AS_OF = "as_of=2023-10-16"
RECORDED = 1_234_567  # Gotland, recorded on instance A
IMPORTED = 2_345_678  # Kalmar, imported by the command line


def region_row(page, name: str):  # type: ignore[no-untyped-def]
    """The follow-up table's row of one region (its text holds the amounts as shown)."""
    return page.locator("table.resultat tbody tr").filter(has=page.locator("td", has_text=name))


def test_a_write_on_one_instance_is_seen_on_the_other_and_the_cli_import_on_both(
    browser,  # type: ignore[no-untyped-def]
    pg_url: str,
    tmp_path: Path,
) -> None:
    store = Store.open(pg_url)
    for code in ("09", "08"):  # Gotland, Kalmar
        store.followup.record_ombud(Actor("Test"), "ombud godkänt i e-tjänsten", code, date(2023, 2, 1))
    store.close()
    folders = [tmp_path / "a", tmp_path / "b"]
    for folder in folders:
        folder.mkdir()
    env = {URL_ENV: pg_url}
    with running_app(folders[0], env=env) as url_a, running_app(folders[1], env=env) as url_b:
        context = browser.new_context(viewport={"width": 1500, "height": 1100}, locale="sv-SE")
        a, b = context.new_page(), context.new_page()
        followup = f"aldreomsorg?{ELDERLY}&{AS_OF}"

        # B shows the follow-up first: its process has read (and cached) the round before A writes.
        b.goto(f"{url_b}/{followup}")
        expect(region_row(b, "Gotland")).to_be_visible()
        wait_idle(b)
        expect(region_row(b, "Gotland")).not_to_contain_text(kr(RECORDED))

        # Staff on A record Gotland's requisition.
        a.goto(f"{url_a}/{followup}")
        expect(region_row(a, "Gotland")).to_be_visible()
        wait_idle(a)
        name = a.get_by_role("textbox", name="Ditt namn")
        name.fill("Sara Handläggare")
        name.press("Enter")
        wait_idle(a)
        a.get_by_role("tab", name="Registrera händelser").click()
        main = a.get_by_test_id("stMain")
        region = main.get_by_role("combobox", name="Region")
        expect(region).to_be_visible()
        wait_idle(a)
        region.click()
        a.get_by_role("option", name="Gotland", exact=True).click()
        expect(region).to_have_value("Gotland")
        main.get_by_role("textbox", name="Belopp (kr)").fill(str(RECORDED))
        main.get_by_role("textbox", name="Referens (t.ex. ärendenummer)").fill("RK-2023-0042")
        main.get_by_role("textbox", name="Anledning (skrivs i granskningsloggen)").fill("rekvisition i e-tjänsten")
        main.get_by_role("button", name="Registrera").click()
        expect(main.get_by_text("Rekvisition från Gotland registrerad.")).to_be_visible()
        expect_no_exception(a)

        # B's next run (a reload) shows it: the write was made by another process.
        b.reload()
        expect(region_row(b, "Gotland")).to_contain_text(kr(RECORDED))
        expect_no_exception(b)
        screenshot(b, "two-instances-b-sees-a")

        # Both show the AT round's follow-up, whose reports each process reads once and caches.
        at_followup = f"aldreomsorg?{AS_OF}"  # the default round is AT 2023
        for page, url in ((a, url_a), (b, url_b)):
            page.goto(f"{url}/{at_followup}")
            expect(region_row(page, "Gotland").locator("td").nth(3)).to_have_text("–")
            wait_idle(page)

        # While both run, the command line imports Gotland's AT report and Kalmar's requisition.
        reports = tmp_path / "rapporter.csv"
        reports.write_text("region;filled;started;received\nGotland;37;35;2023-10-30\n", encoding="utf-8")
        requisitions = tmp_path / "rekvisitioner.csv"
        requisitions.write_text(
            f"region;received;amount;reference\nKalmar;2023-10-02;{IMPORTED};RK-2023-0043\n", encoding="utf-8"
        )
        for command, file, round_id in (
            ("import-reports", reports, "at-2023"),
            ("import-requisitions", requisitions, ROUND),
        ):
            done = subprocess.run(
                import_command(pg_url, command, file, round_id), cwd=ROOT, capture_output=True, text=True
            )
            assert done.returncode == 0, done.stderr
            assert "changed 1" in done.stdout

        for page, url in ((a, url_a), (b, url_b)):  # both show it on their next run: no stale cache
            page.reload()
            expect(region_row(page, "Gotland").locator("td").nth(3)).to_have_text("37")
            expect(region_row(page, "Gotland").locator("td").nth(4)).to_have_text("35")
            expect_no_exception(page)
            page.goto(f"{url}/{followup}")
            expect(region_row(page, "Kalmar")).to_contain_text(kr(IMPORTED))
            expect(region_row(page, "Gotland")).to_contain_text(kr(RECORDED))
            expect_no_exception(page)
        screenshot(a, "two-instances-a-after-cli-import")
        context.close()
    print(f"\ntwo instances: the import ran through {'the CLI' if cli_takes_url(pg_url) else 'the Python API'}")
