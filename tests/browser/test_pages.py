"""Every page and view in a real browser: no exception, no console error, its chart drawn; screenshots.

Adding a page here is one line in VIEWS: (name, URL path, tab to open or None, a text only that view shows,
expects a chart). The text is awaited in the open tab (or the main area): it proves the view has rendered.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from tests.browser.conftest import expect, expect_no_exception, screenshot, wait_idle

pytestmark = pytest.mark.browser

# The round picker's URL parameter carries the round's short title, as Streamlit binds a select box by its
# labels (the default round is AT 2023).
ELDERLY = "omgang=" + quote("Läkare i äldreomsorgen 2023")

VIEWS: list[tuple[str, str, str | None, str | re.Pattern[str], bool]] = [
    ("overview", "", None, "bidragsomgångar per", False),
    ("simulator-results", "at", "Resultat", "Summa utbetalt", False),
    ("simulator-staircase", "at", "Trappan", "regioner når trappan", True),
    ("simulator-waterfall", "at", "Pottens fördelning", "Hela potten betalas ut", True),
    ("simulator-per-capita", "at", "Per invånare", "får mest per invånare", True),
    ("simulator-map", "at", "Karta", "Störst belopp: Gotland", True),
    ("simulator-compare", "at", "Jämför scenarier", re.compile("Spara minst ett scenario|Jämförs med"), False),
    ("data-import", "data", "Importera rapporter", "Regionerna rapporterar: Tillsatta", False),
    ("data-requisitions", "data", "Importera rekvisitioner", "Bidragsomgång", False),
    ("data-tables", "data", "Tabeller och export", re.compile(r"\d+ rader"), False),
    ("data-audit", "data", "Granskningslogg", "Varje ändring har aktör, tid och anledning.", False),
    ("data-backup", "data", "Säkerhetskopia", "En säkerhetskopia är en fullständig kopia av databasen", False),
    ("elderly", f"aldreomsorg?{ELDERLY}", "Per region", "Återrapportering", False),
    ("elderly-record", f"aldreomsorg?{ELDERLY}", "Registrera händelser", "Rekvisition mottagen", False),
    ("elderly-official", f"aldreomsorg?{ELDERLY}", "Officiell tabell", "Den officiella tabellen finns i", False),
    ("elderly-amounts", f"at?{ELDERLY}", "Belopp per region", "Högsta belopp per region", True),
    ("elderly-preview", f"region?{ELDERLY}", None, "Högsta belopp (uppskattning", False),
    ("at-followup", "aldreomsorg", None, "regioner har rapporterat", False),
    ("deadlines", "tidsfrister", None, "Sista dagen räknas som i tid.", True),
    ("region-preview", "region", None, "Om ni utökar fler tjänster", True),
    ("users", "anvandare", None, "Publicerade beslut", False),
    ("rounds-copy", "omgangar", "Ny från en kopia", "Datum skrivs ÅÅÅÅ-MM-DD", False),
    ("rounds-file", "omgangar", "Från en regelfil", "Regelfil (TOML", False),
    ("rounds-versions", "omgangar", "Versioner", "Den senast sparade versionen", False),
]


@pytest.mark.parametrize(("name", "path", "tab", "shows", "chart"), VIEWS, ids=[v[0] for v in VIEWS])
def test_view_renders(page, name: str, path: str, tab: str | None, shows: str | re.Pattern[str], chart: bool) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{page.app_url}/{path}")
    wait_idle(page)
    if path == "at":
        page.get_by_role("button", name="Exempel (fiktivt)").click()
        expect(page.get_by_text("exempelfilen med fiktiva utfall")).to_be_visible()
    if tab:
        page.get_by_role("tab", name=tab).click()
        expect(page.get_by_role("tab", name=tab)).to_have_attribute("aria-selected", "true")
    view = page.locator("[role='tabpanel']:visible") if tab else page.get_by_test_id("stMain")
    expect(view).to_contain_text(shows)
    expect_no_exception(page)
    if chart:
        # A Plotly chart has drawn a trace; an HTML chart (ui/timeline_html.py, ui/attention_chart.py) has a bar.
        figure = page.locator("[data-testid='stPlotlyChart']:visible, figure:visible").first
        expect(figure.locator("g.trace, g.scatterlayer .trace, g.barlayer .trace, .bar").first).to_be_attached()
        screenshot(page, f"{name}-chart", figure)
    screenshot(page, name)
    assert page.console_errors == []
