"""Swedish to the last label: no English (or internal) word left on any page, tab or screen-reader label.

Extends test_swedish.py's check from the visible text of two pages to every page and tab of the staff's
navigation with example data loaded, for one round of each kind, and to what a screen reader reads:
aria-labels, titles, placeholders, Plotly's toolbar tooltips (data-title) and the date fields' values
(aria-valuetext). It also types into a field and uploads a file, which makes Streamlit write its hints
("Press Enter to apply") and a file's size ("3.9KB").
"""

from __future__ import annotations

import re

import pytest

from tests.browser.a11y import (
    DESKTOP,
    PAGES,
    ROOT,
    ROUNDS,
    a11y_url,  # noqa: F401  (a fixture)
    open_page,
    page_url,
)
from tests.browser.conftest import expect, wait_idle
from ui.browser_sv import MONTHS_EN, TEXTS

pytestmark = pytest.mark.browser
ATTRIBUTES = ["aria-label", "title", "placeholder", "data-title", "aria-valuetext", "alt", "aria-description"]
# What English looks like where Streamlit or Plotly wrote it; JavaScript regular expressions. A text of ours is
# Swedish, so none of these may match anything on a page (file column names such as "filled" are not matched).
ENGLISH_PATTERNS = [
    r"^(Press|Help|Remove|Open|Choose|Clear|Select|Selected|Download|Zoom|Reset|Pan|Toggle|Show|Compare|Close)\b",
    r"^(Previous|Next|Scroll|Copy|Loading|Upload|Browse|Drag and drop|Running|Stop|Link to)\b",
    r"^(year|month|day|hour|minute), ",
    r"^file upload$",
    r"^Selected (Date|Range)",
    r"^[a-z0-9_]+ icon$",
    r" — (start|end)$",
    r"\d(B|KB|MB|GB)$",
    r" per file$",
    r"\b(Increment|Decrement|Autoscale)\b",
    rf"\b({'|'.join(MONTHS_EN)})\b",
    r"instrumentpanel",  # a calque of "dashboard": the app is "tjänsten"
]
SKIP_TEXTS = ("Stop", "Close", "About", "Search", "Print", "Upload")  # also Swedish words or never shown alone
ENGLISH = [text for text in TEXTS if text not in SKIP_TEXTS]
EXAMPLE_FILE = ROOT / "examples" / "at-2023-outcomes.csv"


def english_left(page) -> list[str]:  # type: ignore[no-untyped-def]
    """English left in the page: text nodes, and the attributes that a screen reader or a tooltip shows."""
    return page.evaluate(
        """([english, patterns, attributes]) => {
          const res = patterns.map((p) => new RegExp(p));
          const isEnglish = (t) => english.includes(t) || res.some((r) => r.test(t));
          const found = new Set();
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          while (walker.nextNode()) {
            const node = walker.currentNode;
            // A material icon is a ligature ("upload", "event") drawn as a picture and hidden from screen readers.
            if (node.parentElement && node.parentElement.closest("style, script, [aria-hidden='true']")) continue;
            const t = node.nodeValue.trim();
            if (t && isEnglish(t)) found.add(`text: ${t}`);
          }
          for (const el of document.querySelectorAll(attributes.map((a) => `[${a}]`).join(","))) {
            for (const a of attributes) {
              const v = (el.getAttribute(a) || "").trim();
              if (v && isEnglish(v)) found.add(`${a}: ${v}`);
            }
          }
          return [...found];
        }""",
        [ENGLISH, ENGLISH_PATTERNS, ATTRIBUTES],
    )


@pytest.mark.parametrize("round_kind", list(ROUNDS))
def test_every_page_and_tab_is_swedish_to_the_last_label(browser, a11y_url: str, round_kind: str) -> None:  # noqa: F811
    context = browser.new_context(viewport=DESKTOP, locale="sv-SE")
    page = context.new_page()
    left: dict[str, list[str]] = {}
    try:
        for path in PAGES:
            open_page(page, page_url(a11y_url, path, round_kind))
            expect(page.locator("html")).to_have_attribute("lang", "sv")
            if found := english_left(page):
                left[path] = found
            tabs = page.get_by_test_id("stMain").get_by_role("tab")
            for index, name in enumerate(tabs.all_inner_texts()[1:], start=1):
                tabs.nth(index).click()
                expect(tabs.nth(index)).to_have_attribute("aria-selected", "true")
                wait_idle(page)
                if found := english_left(page):
                    left[f"{path} › {name.strip()}"] = found
    finally:
        context.close()
    assert left == {}, "English left on screen or in labels:\n" + "\n".join(f"{k}: {v}" for k, v in left.items())


def test_hints_and_file_sizes_are_swedish(browser, a11y_url: str) -> None:  # noqa: F811
    """Typing shows Streamlit's hint, an uploaded file its size: both in Swedish."""
    context = browser.new_context(viewport=DESKTOP, locale="sv-SE")
    page = context.new_page()
    try:
        open_page(page, page_url(a11y_url, "data", "performance"))
        name = page.get_by_test_id("stSidebar").get_by_role("textbox", name="Ditt namn")
        name.click()
        page.keyboard.type("Test")
        expect(page.get_by_test_id("stSidebar").get_by_test_id("InputInstructions")).to_have_text(
            "Tryck Enter för att verkställa"
        )
        page.keyboard.press("Enter")
        wait_idle(page)
        page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(str(EXAMPLE_FILE))
        uploader = page.get_by_test_id("stFileUploader").first
        expect(uploader).to_contain_text(EXAMPLE_FILE.name)
        expect(uploader).to_contain_text(re.compile(r"\d+,\d (byte|kB)"))  # was "3.9KB"
        wait_idle(page)
        assert english_left(page) == []
    finally:
        context.close()
