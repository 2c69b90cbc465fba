"""The keyboard alone (WCAG 2.1.1, 2.4.7): the navigation, a form and the simulator's table, with a visible focus.

Only Tab, Shift+Tab, Enter, Space, the arrow keys and typing: no click. Each step waits for what it asserts.
"""

from __future__ import annotations

import pytest

from tests.browser.a11y import (
    DESKTOP,
    a11y_url,  # noqa: F401  (a fixture)
    open_page,
    page_url,
)
from tests.browser.conftest import expect, wait_idle
from ui.editor_rows import EDITOR_ORDER

pytestmark = pytest.mark.browser
MAX_TABS = 120  # a page has fewer tab stops than this before the element a test looks for

# The focused element as the test needs it: its name (aria-label, label or text), test id and outline.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  let text = "";  // the element's text without hidden parts (a material icon's ligature such as "event")
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    if (!walker.currentNode.parentElement.closest("[aria-hidden='true']")) text += walker.currentNode.nodeValue;
  }
  const label = el.getAttribute("aria-label") || (el.labels && el.labels[0] && el.labels[0].innerText) || text;
  const style = getComputedStyle(el);
  return {
    name: label.trim().split("\\n")[0], tag: el.tagName, testid: el.getAttribute("data-testid") || "",
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0, shadow: style.boxShadow !== "none",
    inGrid: !!el.closest("[data-testid='stDataFrame']") && !el.closest("[data-testid='stElementToolbar']"),
  };
}"""


def tab_to(page, name: str, *, testid: str | None = None, backwards: bool = False) -> dict:  # type: ignore[no-untyped-def]
    """Press Tab until the focused element is named ``name`` (and has ``testid``); return what is focused."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focused = page.evaluate(FOCUSED)
        if focused and focused["name"] == name and (testid is None or focused["testid"] == testid):
            return focused
    raise AssertionError(f"{name!r} was not reached with the keyboard in {MAX_TABS} presses of Tab")


def test_the_navigation_by_keyboard_with_a_visible_focus(browser, a11y_url: str) -> None:  # noqa: F811
    context = browser.new_context(viewport=DESKTOP, locale="sv-SE")
    page = context.new_page()
    try:
        open_page(page, page_url(a11y_url, "oversikt", "performance"))
        focused = tab_to(page, "Tidsfrister", testid="stSidebarNavLink")
        assert focused["outline"], "the focused navigation link shows no outline"
        page.keyboard.press("Enter")
        expect(page.get_by_test_id("stMain").locator("h1").first).to_have_text("Tidsfrister")
        wait_idle(page)
        assert page.url.split("?")[0].endswith("/tidsfrister")
        # A tab of a page: Tab to it, the arrow keys move between tabs (WAI-ARIA tabs), Enter opens it.
        open_page(page, page_url(a11y_url, "data", "performance"))
        focused = tab_to(page, "Importera rapporter")
        assert focused["outline"] or focused["shadow"], "the focused tab shows no focus"
        page.keyboard.press("ArrowRight")
        page.keyboard.press("Enter")
        tab = page.get_by_role("tab", name="Importera rekvisitioner")
        expect(tab).to_have_attribute("aria-selected", "true")
        wait_idle(page)
    finally:
        context.close()


def test_a_form_is_filled_and_sent_by_keyboard(browser, a11y_url: str) -> None:  # noqa: F811
    """The users form: text fields, two select boxes, a checkbox and the submit button, keyboard only."""
    context = browser.new_context(viewport=DESKTOP, locale="sv-SE")
    page = context.new_page()
    try:
        open_page(page, page_url(a11y_url, "anvandare", "performance"))
        tab_to(page, "Ditt namn")
        page.keyboard.type("Tangent Bordsson")
        page.keyboard.press("Enter")
        wait_idle(page)
        tab_to(page, "Inloggning (e-postadress)")
        page.keyboard.type("tangent@region.se")
        tab_to(page, "Namn")
        page.keyboard.type("Tangent Bordsson")
        expect(page.get_by_test_id("stMain").get_by_test_id("InputInstructions").first).to_have_text(
            "Tryck Enter för att skicka formuläret"
        )
        tab_to(page, "Roll")  # the arrow keys open the list and move in it, typing filters it, Enter chooses
        roles = page.get_by_test_id("stMain").get_by_role("combobox", name="Roll", exact=True)
        expect(roles).to_be_focused()
        page.keyboard.press("ArrowDown")
        expect(page.get_by_role("option").first).to_be_visible()
        page.keyboard.type("region")
        expect(page.get_by_role("option", name="region", exact=True)).to_be_visible()
        page.keyboard.press("Enter")
        expect(roles).to_have_value("region")
        tab_to(page, "Region (endast för rollen region)")  # type to filter, Enter chooses
        expect(
            page.get_by_test_id("stMain").get_by_role("combobox", name="Region (endast för rollen region)")
        ).to_be_focused()
        page.keyboard.type("Gotland")
        expect(page.get_by_role("option", name="Gotland")).to_be_visible()
        page.keyboard.press("Enter")
        tab_to(page, "Aktiv")  # Space unticks and ticks it again
        active = page.get_by_test_id("stMain").get_by_role("checkbox", name="Aktiv")
        expect(active).to_be_focused()
        page.keyboard.press("Space")
        expect(active).not_to_be_checked()
        page.keyboard.press("Space")
        expect(active).to_be_checked()
        tab_to(page, "Anledning (skrivs i granskningsloggen)")
        page.keyboard.type("Test med tangentbordet")
        focused = tab_to(page, "Spara användare")
        assert focused["outline"] or focused["shadow"], "the focused submit button shows no focus"
        page.keyboard.press("Enter")
        main = page.get_by_test_id("stMain")
        expect(main.get_by_text("1 användare.")).to_be_visible()  # was "0 användare."
        expect(main.get_by_test_id("stDataFrame").first).to_contain_text("tangent@region.se")
        wait_idle(page)
    finally:
        context.close()


def test_the_simulators_table_by_keyboard(browser, a11y_url: str) -> None:  # noqa: F811
    """Tab into the data editor, move with the arrow keys, Enter edits a cell, typing and Tab commit it."""
    context = browser.new_context(viewport=DESKTOP, locale="sv-SE")
    page = context.new_page()
    try:
        open_page(page, page_url(a11y_url, "at", "performance"))
        grid = page.get_by_test_id("stMain").get_by_test_id("stDataFrame").first
        expect(grid).to_be_visible()
        # A quick fill first, by keyboard too: the table's edits are kept from here on (test_simulator_page.py).
        tab_to(page, "Alla enligt plan")
        page.keyboard.press("Enter")
        expect(page.get_by_text("alla regioner enligt plan")).to_be_visible()
        wait_idle(page)
        for _ in range(MAX_TABS):
            page.keyboard.press("Tab")
            if page.evaluate(FOCUSED)["inGrid"]:
                break
        else:
            raise AssertionError("the simulator's table was not reached with Tab")
        page.keyboard.press("ArrowDown")
        selected = grid.locator("[role='gridcell'][aria-selected='true']")
        expect(selected).to_have_count(1)
        _, _, column, row = (selected.get_attribute("data-testid") or "").split("-")
        filled = EDITOR_ORDER.index("filled")
        for _ in range(filled - int(column)):  # to the column of filled positions, which is editable
            page.keyboard.press("ArrowRight")
        cell = grid.get_by_test_id(f"glide-cell-{filled}-{row}")
        expect(cell).to_have_attribute("aria-selected", "true")
        expect(cell).to_have_attribute("aria-readonly", "false")
        page.keyboard.press("Enter")
        editor = page.locator("input.gdg-input, textarea.gdg-input")
        expect(editor).to_be_focused()
        page.keyboard.press("End")
        for _ in range(6):
            page.keyboard.press("Backspace")
        expect(editor).to_have_value("")
        page.keyboard.type("61", delay=50)
        expect(editor).to_have_value("61")
        page.keyboard.press("Tab")  # glide commits on Tab as on Enter (and moves right)
        expect(editor).to_have_count(0)
        expect(cell).to_have_text("61")
        wait_idle(page)
    finally:
        context.close()
