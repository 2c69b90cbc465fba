"""Login end to end: a real OIDC provider on loopback (oidc-provider-mock), st.login, Chromium.

Each test logs in through the provider's form in a fresh browser context, as a user of the store's
user table: a region user sees only its own region (and a crafted URL for another one is refused),
a manager cannot save, staff can.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from allocation.fixed import Requisition
from present.formats import kr
from store.model import Actor
from store.service import Store
from tests.app_helpers import USERS
from tests.browser.conftest import expect, running_app, screenshot, wait_idle
from tests.browser.login import log_in, oidc_auth
from tests.report_helpers import positions

STOCKHOLM_REQUISITION = 1_234_567


@pytest.fixture(scope="module")
def auth_app(tmp_path_factory: pytest.TempPathFactory, oidc_server: str) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("auth-server")
    store = Store.open(folder / "app.duckdb")  # closed before the server opens the file
    cli = Actor("test", "handläggare (kommandorad)")
    for user in USERS.values():
        store.users.save_user(cli, "e2e", user)
    store.reports.record_report(cli, "e2e", "at-2023", positions("01", 321, 0, received=date(2023, 10, 1)))
    store.followup.record_ombud(cli, "e2e", "01", date(2023, 6, 1))
    store.followup.record_requisition(
        cli, "e2e", "elderly-2023", Requisition("01", date(2023, 9, 1), STOCKHOLM_REQUISITION, "R-01")
    )
    store.close()
    with running_app(folder, oidc_auth(oidc_server)) as url:
        yield url


def go(page, title: str, heading: str) -> None:  # type: ignore[no-untyped-def]
    """Open a page by its link in the sidebar's navigation; wait for its title and the end of its run.

    Until that run ends, the previous page's elements may still be on screen.
    """
    page.locator("[data-testid='stSidebarNav']").get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_test_id("stMain").get_by_role("heading", name=heading, level=1)).to_be_visible()
    wait_idle(page)


def choose_round(page, title: str) -> None:  # type: ignore[no-untyped-def]
    """Pick a round in the sidebar's round picker and wait for the rerun it starts."""
    picker = page.get_by_test_id("stSidebar").get_by_role("combobox", name="Bidragsomgång")
    picker.click()
    page.get_by_role("option", name=title, exact=True).click()
    expect(picker).to_have_value(title)
    wait_idle(page)


def nav_labels(page):  # type: ignore[no-untyped-def]
    """The labels of the sidebar's navigation links (without their icons), for expect(...).to_have_text."""
    return page.locator(
        "[data-testid='stSidebarNav'] [data-testid='stSidebarNavLink'] [data-testid='stMarkdownContainer']"
    )


def test_before_login_only_the_login_button_is_shown(context, auth_app: str) -> None:  # type: ignore[no-untyped-def]
    page = context.new_page()
    page.goto(f"{auth_app}/at")  # a deep link does not get past the login either
    expect(page.get_by_role("button", name="Logga in")).to_be_visible()
    wait_idle(page)  # the login page's run has ended
    expect(page.get_by_test_id("stMain")).not_to_contain_text("321")
    screenshot(page, "login-0-logga-in")


def test_a_region_user_sees_only_its_own_region(context, auth_app: str) -> None:  # type: ignore[no-untyped-def]
    page = log_in(context, auth_app, "region")
    main = page.get_by_test_id("stMain")
    expect(main).to_contain_text("Förhandsbesked för Uppsala")
    expect(nav_labels(page)).to_have_text(["Förhandsbesked", "Uppföljning", "Beslut", "Tidsfrister"])
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Ulla Uppsala (region Uppsala)")
    screenshot(page, "login-1-region-forhandsbesked")

    choose_round(page, "Läkare i äldreomsorgen 2023")
    go(page, "Uppföljning", "Läkare i äldreomsorgen 2023 – uppföljning")
    expect(main.locator("table.resultat")).to_contain_text("Uppsala")
    expect(main).not_to_contain_text("Stockholm")
    expect(main).not_to_contain_text(kr(STOCKHOLM_REQUISITION))
    screenshot(page, "login-2-region-uppfoljning")
    assert not page.console_errors


def test_a_crafted_address_for_another_region_is_refused(context, auth_app: str) -> None:  # type: ignore[no-untyped-def]
    page = log_in(context, auth_app, "region")
    # Stockholm's preview, asked for in the URL of the region user's start page (the preview; Streamlit
    # serves the default page at "/", so its own path /region would first show "Page not found").
    page.goto(f"{auth_app}/?pv_region=01")
    main = page.get_by_test_id("stMain")
    error = page.locator("[data-testid='stAlert']").filter(has_text="inte region 01")
    expect(error).to_be_visible()
    expect(main).to_contain_text("Förhandsbesked för Uppsala")
    screenshot(page, "login-3-region-annan-region-nekad")
    for address in ("at", "data", "anvandare", "oversikt"):  # staff pages by address
        page.goto(f"{auth_app}/{address}")
        # Not a page of this user: the frame says so at that address (ui/addresses.py), to its end (the footer).
        expect(main.get_by_role("heading", name="Sidan finns inte", level=1)).to_be_visible()
        expect(main).to_contain_text(f"/{address} leder inte till någon sida här")
        expect(main).to_contain_text("inte öppen för din roll")
        expect(main).to_contain_text("Data: befolkning")
        wait_idle(page)
        for secret in ("321", "Granskningslogg", "mats@myndighet.se", "Stockholm"):
            expect(main).not_to_contain_text(secret)
    screenshot(page, "login-4-region-personalsida-finns-inte")
    main.get_by_role("link", name="Till startsidan: Förhandsbesked").click()  # the own page is one click away
    expect(main.get_by_role("heading", name="Förhandsbesked för Uppsala", level=1)).to_be_visible()
    assert not page.console_errors


def test_a_manager_reads_but_cannot_save(context, auth_app: str) -> None:  # type: ignore[no-untyped-def]
    page = log_in(context, auth_app, "manager")
    expect(nav_labels(page)).to_have_text(
        [
            "Översikt",
            "Simulering",
            "Förhandsbesked för en region",
            "Uppföljning",
            "Beslut",
            "Tidsfrister",
            "Data, import och export",
        ]
    )
    go(page, "Simulering", "AT-tjänster 2023 – simulering och fördelning")
    main = page.get_by_test_id("stMain")
    expect(main).to_contain_text("läsbehörighet")
    expect(page.get_by_role("button", name="Spara scenario")).to_have_count(0)
    screenshot(page, "login-4-chef-simulering")
    choose_round(page, "Läkare i äldreomsorgen 2023")
    go(page, "Uppföljning", "Läkare i äldreomsorgen 2023 – uppföljning")
    expect(main).to_contain_text(kr(STOCKHOLM_REQUISITION))  # every region's figures
    expect(page.get_by_role("tab", name="Registrera händelser")).to_have_count(0)
    assert not page.console_errors


def test_staff_can_save_and_the_audit_log_names_them(context, auth_app: str) -> None:  # type: ignore[no-untyped-def]
    page = log_in(context, auth_app, "staff")
    expect(nav_labels(page).get_by_text("Användare och roller", exact=True)).to_be_visible()
    go(page, "Simulering", "AT-tjänster 2023 – simulering och fördelning")
    page.get_by_label("Namn på scenariot").fill("Inloggad handläggare")
    page.get_by_role("button", name="Spara scenario").click()
    # The saved scenario becomes the active one, in the sidebar and in the address.
    expect(page).to_have_url(re.compile(r"[?&]scenario=Inloggad"))
    wait_idle(page)
    go(page, "Data, import och export", "Data, import och export")
    page.get_by_role("tab", name="Tabeller och export").click()
    table = page.locator("[data-testid='stSelectbox']").filter(has_text="Tabell")
    table.click()
    page.get_by_role("option", name="Granskningslogg", exact=True).click()
    # The audit log's own columns (glide-data-grid keeps an accessible copy of its headers in the canvas).
    expect(page.locator("[data-testid='stDataFrame'] th").filter(has_text=re.compile(r"^Aktör$"))).to_have_count(1)
    wait_idle(page)  # the download button below the table belongs to the same run
    screenshot(page, "login-5-handlaggare-granskningslogg")
    with page.expect_download() as info:
        page.get_by_role("button", name="Ladda ned (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(info.value.path().read_text(encoding="utf-8-sig")), delimiter=";"))
    saved = [r for r in rows if r["entity"] == "scenarios" and r["entity_key"] == "Inloggad handläggare"]
    assert [(r["actor"], r["role"], r["action"]) for r in saved] == [("Sara Handläggare", "handläggare", "insert")]
    page.get_by_role("button", name="Logga ut").click()
    page.get_by_role("button", name="End session").click()  # the provider's end-session form
    page.wait_for_url(f"{auth_app}/**")
    expect(page.get_by_role("button", name="Logga in")).to_be_visible()
    page.goto(f"{auth_app}/data")  # the cookie is gone: the staff page is not reachable any more
    expect(page.get_by_role("button", name="Logga in")).to_be_visible()
    wait_idle(page)
    expect(page.get_by_test_id("stMain")).not_to_contain_text("Tabeller och export")
    assert not page.console_errors


def test_the_app_never_reads_the_repositorys_own_secrets() -> None:
    """The login tests configure auth in their own temporary secrets file (see running_app)."""
    assert not (Path(__file__).resolve().parents[2] / ".streamlit" / "secrets.toml").exists()
