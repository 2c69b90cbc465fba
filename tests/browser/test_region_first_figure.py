"""The region's first figure in Chromium, logged in as region Uppsala through a real OIDC provider: its plan
before a report, its report's amount after one (an unpublished decision shows nothing), the published decision
with its letter after publication — for AT 2023 (one staircase block) and for the 2024-shaped test round (a block
paid on reporting and a staircase), by the same page. Screenshots of each state at 1440 px and at 390 px.

Each state is its own server: the app holds its DuckDB file, so the store is filled before the server starts.
"""

from __future__ import annotations

import math
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest

from present.formats import kr
from store.model import Actor
from store.paths import DATA_ENV
from store.service import Store
from tests.app_helpers import USERS
from tests.browser.conftest import expect, metric_value, running_app, screenshot, wait_idle
from tests.browser.login import log_in, oidc_auth
from tests.report_helpers import positions

pytestmark = pytest.mark.browser

CLI = Actor("test", "handläggare (kommandorad)")
ROOT = Path(__file__).resolve().parents[2]
STATISTICS = re.compile(r"P10|P90|[Ss]lumpfrö|[Mm]edian")
# Others that reported: a few grow, so the decision shares the leftover among several.
OTHERS = {"01": 7, "12": 10, "14": 3, "18": 2, "24": 5}


@dataclass(frozen=True)
class Shape:
    round_id: str
    short_title: str
    year: int  # of its reports
    at_plan: int  # Uppsala's amount at plan: no step (AT 2024: block 1's equal share for reporting on time)
    name: str  # in the screenshots' names
    test_round: bool = False  # from tests/rounds/, copied into the server's data folder


SHAPES = {
    "at-2023": Shape("at-2023", "AT-tjänster 2023", 2023, 0, ""),
    "at-2024": Shape("at-2024-illustrative", "AT 2024 (illustrativ)", 2024, 63_000_000 // 21, "2024-", True),
}


def _planned(store: Store, round_id: str, code: str) -> int:
    return math.ceil(store.rounds.block_round(round_id).planned[code])


@pytest.fixture
def context(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="sv-SE")
    yield context
    context.close()


@contextmanager
def _app(tmp_path_factory: pytest.TempPathFactory, oidc: str, shape: Shape, state: str) -> Iterator[tuple[str, int]]:
    """A server whose store is in ``state`` (plan, report, decision); yields its URL and the decided amount."""
    folder = tmp_path_factory.mktemp(f"first-{state}")
    env, data = {}, None
    if shape.test_round:
        data = folder / "data"
        shutil.copytree(ROOT / "data", data)
        shutil.copy(ROOT / "tests" / "rounds" / f"{shape.round_id}.toml", data / "rounds")
        env = {DATA_ENV: str(data)}
    store = Store.open(folder / "app.duckdb", data_dir=data)
    for user in USERS.values():
        store.users.save_user(CLI, "e2e", user)
    decided = 0
    round_id = shape.round_id
    if state != "plan":
        spec = store.reports.report_spec(round_id)
        own = positions("03", _planned(store, round_id, "03") + 5, received=date(shape.year, 10, 20), spec=spec)
        store.reports.record_report(CLI, "e2e", round_id, own)
        for code, more in OTHERS.items():
            item = positions(code, _planned(store, round_id, code) + more, received=date(shape.year, 10, 25), spec=spec)
            store.reports.record_report(CLI, "e2e", round_id, item)
        # "report": a decision recorded but published only in a month; "decision": published yesterday.
        day = date.today() + (timedelta(days=30) if state == "report" else -timedelta(days=1))
        snapshot = store.decisions.decide_round(CLI, "beslut", round_id, f"S{shape.year}/00678-9", day, confirmed=True)
        decided = snapshot.recipient("03").total
    store.close()
    with running_app(folder, oidc_auth(oidc), env) as url:
        yield url, decided


WHAT_IF = "Om ni utökar fler tjänster"
AFTER_DECISION = "Om ni hade utökat fler tjänster"  # after the decision the what-if is folded behind a toggle


def _both_widths(page, name: str, what_if: str) -> None:  # type: ignore[no-untyped-def]
    """Screenshots at 1440 px and, after a reload, at 390 px; on the phone no amount is cut off."""
    screenshot(page, f"region-preview-{name}-1440")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    first = page.locator(".st-key-pv_first")
    expect(first.get_by_test_id("stMetricValue").first).to_be_visible()
    expect(page.get_by_role("heading", name=what_if)).to_be_visible()
    wait_idle(page)
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid=stMetricValue] div, [data-testid=stMetricValue]')]
             .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)"""
    )
    assert overflowing == []
    screenshot(page, f"region-preview-{name}-390")


@pytest.mark.parametrize("state", ["plan", "report", "decision"])
@pytest.mark.parametrize("shape", list(SHAPES))
def test_uppsala_first_figure(context, tmp_path_factory, oidc_server: str, shape: str, state: str) -> None:  # type: ignore[no-untyped-def]
    round_ = SHAPES[shape]
    with _app(tmp_path_factory, oidc_server, round_, state) as (url, decided):
        page = log_in(context, url, "region")
        if round_.test_round:  # an illustrative round is never the default: asked for by its short title, on a
            # day before its last day for reports (after it, a plan without a report counts as not in time)
            page.goto(f"{url}/?omgang={quote(round_.short_title)}&as_of={round_.year}-10-01")
        main = page.get_by_test_id("stMain")
        expect(main.get_by_role("heading", name="Förhandsbesked för Uppsala", level=1)).to_be_visible()
        expect(main).to_contain_text(f"Vad kan regionen räkna med från {round_.short_title}?")
        first = main.locator(".st-key-pv_first")
        heading = AFTER_DECISION if state == "decision" else WHAT_IF
        expect(main.get_by_role("heading", name=heading)).to_be_visible()
        if state == "plan":
            expect(metric_value(page, "Belopp enligt er plan")).to_have_text(kr(round_.at_plan))
            expect(first).to_contain_text("Regionen har inte lämnat någon rapport ännu")
        elif state == "report":
            expect(metric_value(page, "Troligt belopp enligt er rapport, omkring")).to_have_text(
                re.compile(r"^\d+(,\d)? miljon(er)?\u00a0kr$")
            )
            expect(first).to_contain_text(f"inlämnade rapport (inkom 20 oktober {round_.year})")
            expect(first).to_contain_text("I 8 fall av 10 mellan")
            wait_idle(page)
            expect(main).not_to_contain_text("Beslutat belopp")  # the decision is not published yet
            expect(main).not_to_contain_text(kr(decided))
        else:
            expect(metric_value(page, "Beslutat belopp")).to_have_text(kr(decided))
            expect(first).to_contain_text("Beslutet är publicerat")
            expect(first.get_by_role("button", name="Brev till Uppsala (PDF)")).to_be_visible()
            expect(first).to_contain_text("Inget är utbetalt ännu")
            expect(main.get_by_label("Tillsatta")).to_have_count(0)  # folded until the region asks
            main.get_by_text("Visa räkningen").click()
        expect(first).not_to_contain_text(STATISTICS)  # no P10, P90 or seed in the first figure
        # The what-if's inputs start from the report or the plan.
        wait_idle(page)
        filled = main.get_by_label("Tillsatta")
        planned = 53  # Uppsala's planned positions (the seed's table; the 2024 shape compares with it too)
        expect(filled).to_have_value(str(planned if state == "plan" else planned + 5))
        if state == "decision":
            expect(main).to_contain_text("Beslutet ovan gäller")
        _both_widths(page, f"{round_.name}{state}", heading)
        assert not page.console_errors


def test_the_screenshots_are_where_the_readme_says() -> None:
    """The README shows docs/screenshots/region-preview-{plan,report,decision}-{1440,390}.png."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for state in ("plan", "report", "decision"):
        assert f"region-preview-{state}-1440.png" in readme
