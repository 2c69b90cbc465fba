"""The AT allocation page in a real browser."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot, wait_idle

pytestmark = pytest.mark.browser


def test_page_renders_table_without_errors(page) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.app_url)
    wait_idle(page)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_text("AT-tjänster 2023 – fördelning").is_visible()
    grid = page.locator("[data-testid='stDataFrame']")
    grid.wait_for()
    # The metrics show Swedish formats with a non-breaking space and a decimal comma.
    assert "254,0\u00a0mnkr" in page.locator("[data-testid='stMetricValue']").first.inner_text()
    screenshot(page, "at-allocation")
    assert page.console_errors == []


def test_bad_upload_lists_problems_in_swedish(page, tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.csv"
    bad.write_text("region;filled;started\nAtlantis;3;4\nGotland;-1;2\n", encoding="utf-8")
    page.goto(page.app_url)
    wait_idle(page)
    page.get_by_text("Egen fil (what-if, sparas inte)").click()
    wait_idle(page)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(bad))
    wait_idle(page)
    error = page.locator("[data-testid='stAlertContentError']")
    error.wait_for()
    text = error.inner_text()
    assert 'rad 2, kolumn region: okänd region "Atlantis"' in text
    assert 'rad 3, kolumn filled: "-1" är negativt' in text
    screenshot(page, "at-allocation-bad-upload")
