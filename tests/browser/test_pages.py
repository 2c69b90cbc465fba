"""Every page and view in a real browser: no exception, no console error, its chart drawn; screenshots.

Adding a page here is one line in VIEWS: (name, URL path, tab to open or None, expects a chart).
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot, wait_idle

pytestmark = pytest.mark.browser

VIEWS = [
    ("overview", "", None, False),
    ("simulator-results", "at", "Resultat", False),
    ("simulator-staircase", "at", "Trappan", True),
    ("simulator-waterfall", "at", "Pottens fördelning", True),
    ("simulator-per-capita", "at", "Per invånare", True),
    ("simulator-map", "at", "Karta", True),
    ("simulator-compare", "at", "Jämför scenarier", False),
    ("data-import", "data", "Importera AT-rapporter", False),
    ("data-requisitions", "data", "Importera rekvisitioner", False),
    ("data-tables", "data", "Tabeller och export", False),
    ("data-audit", "data", "Granskningslogg", False),
    ("data-backup", "data", "Säkerhetskopia", False),
    ("elderly", "aldreomsorg", "Per region", False),
    ("elderly-record", "aldreomsorg", "Registrera händelser", False),
    ("elderly-official", "aldreomsorg", "Officiell tabell", False),
    ("deadlines", "tidsfrister", None, True),
    ("region-preview", "region", None, True),
    ("users", "anvandare", None, False),
]


@pytest.mark.parametrize(("name", "path", "tab", "chart"), VIEWS, ids=[v[0] for v in VIEWS])
def test_view_renders(page, name: str, path: str, tab: str | None, chart: bool) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{page.app_url}/{path}")
    wait_idle(page)
    if path == "at":
        page.get_by_role("button", name="Exempel (fiktivt)").click()
        wait_idle(page)
    if tab:
        page.get_by_role("tab", name=tab).click()
        wait_idle(page)
    assert page.locator("[data-testid='stException']").count() == 0
    if chart:
        figure = page.locator("[data-testid='stPlotlyChart']:visible").first
        figure.locator(".main-svg").first.wait_for()
        page.wait_for_timeout(500)
        assert figure.locator("g.trace, g.scatterlayer .trace, g.barlayer .trace").count() > 0
        screenshot(page, f"{name}-chart", figure)
    screenshot(page, name)
    assert page.console_errors == []
