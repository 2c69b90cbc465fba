"""The dashboard with example data, in a real browser: every view shows what it is for, labelled as fictitious.

Its own server, on a database with the example data loaded (``store.demo``) before the server starts. The
README's screenshots of the overview come from here (desktop and phone).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from store import demo
from store.model import Actor
from store.service import Store
from tests.browser.conftest import expect, expect_no_exception, running_app, screenshot, wait_idle

pytestmark = pytest.mark.browser
BANNER = "Exempeldata – fiktiva uppgifter"
PHONE = {"width": 390, "height": 844}
AS_OF = "as_of=2023-11-15"  # after the requisition deadline, before the usage reports are due


@pytest.fixture(scope="module")
def example_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("example")
    store = Store.open(folder / "app.duckdb")
    demo.load(store, Actor("Test"), "exempeldata för webbläsartest")
    store.close()
    with running_app(folder) as url:
        yield url


@pytest.fixture
def example_page(browser, example_url: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="sv-SE")
    page = context.new_page()
    yield page
    context.close()


def test_every_page_says_the_data_is_fictitious(example_page, example_url: str) -> None:  # type: ignore[no-untyped-def]
    page = example_page
    for path in ("oversikt", "aldreomsorg?omgang=L%C3%A4kare%20i%20%C3%A4ldreomsorgen%202023", "tidsfrister", "at"):
        page.goto(f"{example_url}/{path}{'&' if '?' in path else '?'}{AS_OF}")
        expect(page.get_by_text(BANNER).first).to_be_visible()
        wait_idle(page)
    expect_no_exception(page)


def test_the_overview_ranks_the_regions_that_need_attention(example_page, example_url: str) -> None:  # type: ignore[no-untyped-def]
    page = example_page
    page.goto(f"{example_url}/oversikt?{AS_OF}")
    expect(page.get_by_text(BANNER).first).to_be_visible()
    expect(page.get_by_text("Behöver uppmärksamhet").first).to_be_visible()
    expect(page.locator("figure.ovbars").first).to_be_visible()
    wait_idle(page)
    expect_no_exception(page)
    screenshot(page, "overview-example-data")
    page.set_viewport_size(PHONE)
    page.goto(f"{example_url}/oversikt?{AS_OF}")
    expect(page.get_by_text(BANNER).first).to_be_visible()
    expect(page.locator("figure.ovbars").first).to_be_visible()
    wait_idle(page)
    # nothing wider than the phone: the page never scrolls sideways (tables scroll inside themselves)
    overflow = page.evaluate("document.querySelector('[data-testid=stMain]').scrollWidth")
    assert overflow <= PHONE["width"]
    screenshot(page, "overview-example-data-phone")


def test_the_follow_up_shows_a_realistic_mix(example_page, example_url: str) -> None:  # type: ignore[no-untyped-def]
    page = example_page
    elderly = "aldreomsorg?omgang=L%C3%A4kare%20i%20%C3%A4ldreomsorgen%202023"
    page.goto(f"{example_url}/{elderly}&{AS_OF}")
    expect(page.get_by_text(BANNER).first).to_be_visible()
    expect(page.get_by_text("Återrapportering").first).to_be_visible()
    wait_idle(page)
    expect_no_exception(page)
    screenshot(page, "elderly-example-data")


def test_removing_the_example_data_is_one_step_away(example_page, example_url: str) -> None:  # type: ignore[no-untyped-def]
    page = example_page
    page.goto(f"{example_url}/oversikt?{AS_OF}")
    expect(page.get_by_text(BANNER).first).to_be_visible()
    wait_idle(page)
    # staff see the one-step removal (the removal itself: tests/test_demo.py, store and AppTest)
    expect(page.get_by_role("button", name="Ta bort exempeldata")).to_be_visible()
