"""The simulator of a round of blocks in a real browser: a changed pot is in the address, and the address opened
in a fresh browser (no shared session) shows the same simulation; at a phone's width the page works too."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

import pytest

from present import formats as f
from store.paths import DATA_ENV
from tests.browser.conftest import (
    expect,
    expect_no_exception,
    metric_value,
    running_app,
    screenshot,
    wait_idle,
)

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "tests" / "rounds" / "at-2024-illustrative.toml"
SHORT = "AT 2024 (illustrativ)"
POT_LABEL = "Block 2: prestationsbaserade medel: pott (kr)"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def blocks_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("block-simulator-server")
    data = folder / "data"
    shutil.copytree(ROOT / "data", data)
    shutil.copy(RULES, data / "rounds" / RULES.name)
    with running_app(folder, env={DATA_ENV: str(data)}) as url:
        yield url


def test_a_changed_pot_is_a_link_that_opens_the_same_simulation(page, browser, blocks_app: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{blocks_app}/at?omgang={quote(SHORT)}")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", level=1)).to_have_text(f"{SHORT} – simulering och fördelning")
    wait_idle(page)
    field = page.get_by_label(POT_LABEL)
    expect(field).to_have_value(f.number(160_000_000))
    field.fill("120000000")
    field.press("Tab")  # leaving the field: the amount is grouped and the page runs again
    expect(field).to_have_value(f.number(120_000_000))
    expect(metric_value(page, "Pott")).to_have_text(f.mnkr(183_000_000))
    expect_no_exception(page)
    expect(page).to_have_url(re.compile(r"pot_kr_performance="))
    shared = page.url
    amount = parse_qs(urlparse(shared).query)["pot_kr_performance"][0]
    assert int("".join(ch for ch in amount if ch.isdigit())) == 120_000_000

    # A colleague's browser: a new context shares no cookie or session with the first.
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="sv-SE")
    try:
        other = context.new_page()
        other.goto(shared)
        expect(other.get_by_test_id("stMain").get_by_role("heading", level=1)).to_have_text(
            f"{SHORT} – simulering och fördelning"
        )
        expect(other.get_by_label(POT_LABEL)).to_have_value(f.number(120_000_000))
        expect(metric_value(other, "Pott")).to_have_text(f.mnkr(183_000_000))
        expect_no_exception(other)
        # A link written by hand, with the amount as bare digits, opens grouped.
        other.goto(f"{blocks_app}/at?omgang={quote(SHORT)}&pot_kr_reporting=50000000")
        expect(other.get_by_label("Block 1: medel för inrapportering: pott (kr)")).to_have_value(f.number(50_000_000))
        expect(metric_value(other, "Pott")).to_have_text(f.mnkr(210_000_000))
        expect_no_exception(other)
    finally:
        context.close()

    page.set_viewport_size(PHONE)
    page.get_by_role("button", name="Alla plan + tjänster").click()
    expect(main).to_contain_text("alla regioner plan + 3")
    expect_no_exception(page)
    screenshot(page, "block-simulator-phone")
    assert page.console_errors == []
