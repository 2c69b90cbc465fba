"""Swedish to the last widget, in a real browser: lang="sv", Streamlit's own texts, deep links, numbers.

What ui/browser_sv.py does can only be seen in a browser: the page's language, the uploader's and the
select boxes' texts, and the locale that Streamlit's number formats read.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import expect, expect_no_exception, running_app, screenshot, wait_idle
from ui.browser_sv import TEXTS

pytestmark = pytest.mark.browser
FOOTER = "Data: befolkning"  # the frame's last line: the run has reached its end
ENGLISH = [text for text in TEXTS if text not in ("Stop", "Close", "About", "Search", "Print", "Upload")]


def _english_left(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Streamlit's English texts still in the page: visible text, placeholders, aria-labels, titles."""
    return page.evaluate(
        """(english) => {
          const found = [];
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          while (walker.nextNode()) {
            const t = walker.currentNode.nodeValue.trim();
            if (english.includes(t) || /\\d\\s?(KB|MB|GB) per file/.test(t) || t === "Upload") found.push(t);
          }
          for (const el of document.querySelectorAll("[placeholder],[aria-label],[title]")) {
            for (const a of ["placeholder", "aria-label", "title"]) {
              const v = (el.getAttribute(a) || "").trim();
              if (english.includes(v)) found.push(`${a}=${v}`);
            }
          }
          return found;
        }""",
        ENGLISH,
    )


def test_every_page_address_opens_that_page_in_swedish(page) -> None:  # type: ignore[no-untyped-def]
    for path, heading in (("oversikt", "Översikt"), ("tidsfrister", "Tidsfrister"), ("data", "Data, import")):
        page.goto(f"{page.app_url}/{path}")
        expect(page.locator("h1").first).to_contain_text(heading)
        expect(page.get_by_text(FOOTER)).to_be_visible()
        wait_idle(page)
        assert page.url.endswith(f"/{path}")
        expect(page.locator("html")).to_have_attribute("lang", "sv")
        expect(page.locator("[role=dialog]")).to_have_count(0)  # no "Page not found"
    expect_no_exception(page)


def test_the_main_address_opens_the_overview_at_its_own_address_with_the_round(page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{page.app_url}/?omgang=L%C3%A4kare%20i%20%C3%A4ldreomsorgen%202023")
    expect(page.locator("h1").first).to_contain_text("Översikt")
    expect(page).to_have_url(re.compile(r"/oversikt\?omgang=L%C3%A4kare"))
    expect(page.get_by_text(FOOTER)).to_contain_text("Läkare i äldreomsorgen 2023")


def _lost(page, url: str, path: str) -> None:  # type: ignore[no-untyped-def]
    """The frame's own page at an unknown address: in Swedish, at that address, in the frame."""
    page.goto(f"{url}/{path}")
    expect(page.locator("h1").first).to_contain_text("Sidan finns inte")
    expect(page.get_by_text("leder inte till någon sida här")).to_contain_text(f"/{path}")
    expect(page.get_by_text(FOOTER)).to_be_visible()
    wait_idle(page)
    assert page.url.endswith(f"/{path}")


def test_an_unknown_address_gets_a_swedish_message(page, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The frame answers an unknown address with a page of its own (ui/addresses.py), from the first request
    of a fresh process on: its own server, so that this test sees that first request whatever ran before."""
    with running_app(tmp_path) as url:
        _lost(page, url, "finns-inte")  # the process's first run: Streamlit's dialog too, in Swedish
        dialog = page.locator("[role=dialog]")
        expect(dialog).to_contain_text("Sidan som adressen pekar på finns inte")
        expect(dialog).not_to_contain_text("Page not found")
        screenshot(page, "okand-adress-forsta")
        page.keyboard.press("Escape")
        expect(dialog).to_have_count(0)
        _lost(page, url, "finns-inte-heller")  # every later run: the page alone
        expect(page.locator("[role=dialog]")).to_have_count(0)
        screenshot(page, "okand-adress")
        page.get_by_role("link", name="Till startsidan: Översikt").click()
        expect(page.locator("h1").first).to_contain_text("Översikt")
        expect(page).to_have_url(re.compile(r"/oversikt$"))
        expect_no_exception(page)


def test_the_uploader_and_the_select_boxes_speak_swedish(page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{page.app_url}/data")
    expect(page.get_by_text(FOOTER)).to_be_visible()
    uploader = page.locator("[data-testid='stFileUploader']").first
    expect(uploader).to_contain_text("Ladda upp")
    expect(uploader).to_contain_text("högst 2 MB per fil")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    wait_idle(page)
    screenshot(page, "uppladdning-svenska", uploader)
    assert _english_left(page) == []
    page.goto(f"{page.app_url}/at")
    expect(page.get_by_text(FOOTER)).to_be_visible()
    wait_idle(page)
    assert _english_left(page) == []


def test_streamlits_number_formats_read_swedish(page) -> None:  # type: ignore[no-untyped-def]
    """Editor cells use the browser's locale ("localized"): the app reports Swedish, so 12 000 000."""
    page.goto(f"{page.app_url}/oversikt")
    expect(page.get_by_text(FOOTER)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("data-sv-installed", "1")
    formatted = page.evaluate("new Intl.NumberFormat(navigator.languages).format(-12000000.5)")
    assert formatted == "\u221212\u00a0000\u00a0000,5"
