"""Hostile input in a real browser: markup from a file or a user shows as text, nothing leaves loopback,
and oversized files and zip bombs are refused (issue 12)."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from ingest.spreadsheet import MAX_BYTES
from tests import hostile_files as h
from tests.browser.conftest import screenshot, wait_idle
from ui.text import unlinked

pytestmark = pytest.mark.browser

# What the page shows of a value: the value itself, with invisible word joiners where a link would start.
IMAGE = "![x](http://evil.example/pixel.png)"
LINK = "[Logga in igen](http://evil.example/login)"
TAG = "<img src=http://evil.example/tag.png>"
SHORTCODES = ":smile: :red[röd] :material/home: $x^2$"


def outside_requests(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Start recording every request the page makes to a host other than the app's loopback address."""
    found: list[str] = []
    app_host = urlparse(page.app_url).hostname

    def record(request) -> None:  # type: ignore[no-untyped-def]
        url = urlparse(request.url)
        if url.scheme in {"http", "https", "ws", "wss"} and url.hostname != app_host:
            found.append(request.url)

    page.on("request", record)
    return found


def open_import(page):  # type: ignore[no-untyped-def]
    page.goto(f"{page.app_url}/data?flik=Importera+rapporter")
    wait_idle(page)
    uploader = page.locator("[data-testid='stFileUploader']").first
    expect(uploader).to_be_visible()
    return uploader


def upload(page, uploader, name: str, data: bytes, mime: str) -> None:  # type: ignore[no-untyped-def]
    uploader.locator("input[type='file']").set_input_files({"name": name, "mimeType": mime, "buffer": data})


def test_markup_in_an_imported_file_shows_as_text(page) -> None:  # type: ignore[no-untyped-def]
    outside = outside_requests(page)
    uploader = open_import(page)
    data = f"region;filled;started\n{IMAGE};1;1\n{LINK};1;1\n{TAG};1;1\n{SHORTCODES};1;1\n".encode()
    upload(page, uploader, "[fil](http://evil.example).csv", data, "text/csv")
    alert = page.locator("[data-testid='stAlert']").filter(has_text="kan inte läsas in")
    expect(alert).to_contain_text(unlinked(IMAGE))
    expect(alert).to_contain_text(unlinked(LINK))
    expect(alert).to_contain_text(unlinked(TAG))
    expect(alert).to_contain_text(unlinked(SHORTCODES))  # no emoji, icon, colour or formula
    expect(alert).to_contain_text(unlinked("[fil](http://evil.example).csv"))
    expect(alert.locator("img, a")).to_have_count(0)
    screenshot(page, "hostile-markup-in-file", alert)
    assert outside == []
    assert page.console_errors == []


def test_markup_in_a_user_login_shows_as_text(page) -> None:  # type: ignore[no-untyped-def]
    outside = outside_requests(page)
    page.goto(f"{page.app_url}/anvandare")
    wait_idle(page)
    form = page.locator("[data-testid='stForm']").filter(has_text="Spara användare")
    form.get_by_label("Inloggning (e-postadress)").fill(f"{IMAGE} {LINK}")
    form.get_by_label("Namn", exact=True).fill(f"**{TAG}**")
    form.get_by_label("Anledning (skrivs i granskningsloggen)").fill("test")
    form.get_by_role("button", name="Spara användare").click()
    alert = page.locator("[data-testid='stAlert']").filter(has_text="är inte giltig")
    expect(alert).to_contain_text(unlinked(f"{IMAGE} {LINK}"))
    expect(alert.locator("img, a")).to_have_count(0)
    assert outside == []


def test_a_file_over_the_limit_is_refused_in_the_browser(page) -> None:  # type: ignore[no-untyped-def]
    uploader = open_import(page)
    upload(page, uploader, "stor.csv", h.giant_csv(MAX_BYTES + 1024 * 1024), "text/csv")
    # Streamlit's uploader refuses it before sending (the server never holds the file) with only an icon
    # and an English tooltip: the limit is said in Swedish beside it.
    expect(uploader).to_contain_text("2.0MB")
    expect(page.get_by_text("Högst 2 MB och 2 000 rader per fil").first).to_be_visible()
    expect(page.locator("[data-testid='stAlert']").filter(has_text="kan inte läsas in")).to_have_count(0)
    screenshot(page, "hostile-too-large", uploader)


def test_a_zip_bomb_is_refused_with_a_message(page) -> None:  # type: ignore[no-untyped-def]
    uploader = open_import(page)
    bomb = h.zip_bomb(200 * 1024 * 1024)
    upload(page, uploader, "bomb.xlsx", bomb, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    alert = page.locator("[data-testid='stAlert']").filter(has_text="kan inte läsas in")
    expect(alert).to_contain_text("packas upp till mer än 10 MB")
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    screenshot(page, "hostile-zip-bomb", alert)
