"""WCAG 2.1 AA (the law on accessible digital public services, 2018:1937) in a real browser, checked by axe-core.

Every page of the staff's navigation, and every tab in it, for one round of each kind (performance, fixed
amounts, blocks), on a desktop (1440 px) and a phone (390 px), with example data loaded: no serious or
critical violation of axe's rules tagged wcag2a, wcag2aa, wcag21a and wcag21aa. Each run writes every
violation (of any impact) per view to test-artifacts/axe/<round>-<viewport>.json.
"""

from __future__ import annotations

import pytest

from tests.browser.a11y import (
    PAGES,
    ROUNDS,
    VIEWPORTS,
    a11y_url,  # noqa: F401  (a fixture)
    axe_violations,
    blocking,
    open_page,
    page_url,
    report,
    save_results,
    settle,
)
from tests.browser.conftest import expect, wait_idle

pytestmark = pytest.mark.browser


def _tabs(page):  # type: ignore[no-untyped-def]
    return page.get_by_test_id("stMain").get_by_role("tab")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("round_kind", list(ROUNDS))
def test_every_page_passes_axe_wcag21_aa(browser, a11y_url: str, round_kind: str, viewport: str) -> None:  # noqa: F811
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="sv-SE")
    page = context.new_page()
    results: dict[str, list] = {}
    try:
        for path in PAGES:
            open_page(page, page_url(a11y_url, path, round_kind))
            settle(page)
            results[path] = axe_violations(page)
            names = [name.strip() for name in _tabs(page).all_inner_texts()]
            for index, name in enumerate(names[1:], start=1):
                tab = _tabs(page).nth(index)
                tab.click()
                expect(tab).to_have_attribute("aria-selected", "true")
                wait_idle(page)
                settle(page)
                results[f"{path} › {name}"] = axe_violations(page)
    finally:
        context.close()
        save_results(f"{round_kind}-{viewport}", results)
    problems = "\n".join(report(view, blocking(found)) for view, found in results.items() if blocking(found))
    assert not problems, f"serious or critical WCAG 2.1 A/AA violations:\n{problems}"
