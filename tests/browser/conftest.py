"""Real-browser fixtures: the app on a free loopback port, Playwright driving Debian's Chromium.

In CI (``CI=true``) a missing browser or Playwright is a failure, never a skip.

CI may run on a busy machine: a test waits for what it asserts, never for time. Assert on page content
with Playwright's auto-waiting ``expect(...)`` (``to_have_text``, ``to_have_count``, ``to_be_visible``, ...),
never with ``assert`` on ``inner_text()``, ``count()`` or ``is_visible()`` read at one moment. ``wait_idle``
only says that no script run is going on *now*: a rerun that a click asked for may not have started yet.
Check that something is absent (``to_have_count(0)``, ``not_to_contain_text``) only after the content of the
same run is confirmed and ``wait_idle`` has seen that run end.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from store.db import PATH_ENV

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

# How long an expectation (and wait_idle) waits for its content: generous, for a busy machine (CI runs on one).
TIMEOUT_MS = 30_000
try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips (in CI: fails) every test, so nothing calls expect
    expect: Any = None
else:
    expect.set_options(timeout=TIMEOUT_MS)

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Screenshots of every run go to test-artifacts/ (not committed); `make screenshots` writes the
# README's current set to docs/screenshots/ instead.
ARTIFACTS = Path(os.environ.get("SCREENSHOT_DIR") or ROOT / "test-artifacts" / "screenshots")
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests cannot run in CI: {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_app(
    folder: Path,
    auth: dict[str, str] | None = None,
    env: dict[str, str] | None = None,
    address: str | None = "127.0.0.1",
) -> Iterator[str]:
    """The app on a free loopback port with its own database in ``folder``; stopped afterwards.

    ``auth``: an ``[auth]`` section (without ``redirect_uri``, which needs the port) for a secrets file
    of this server only; without it the app runs in the local single-user mode.
    ``env``: more environment variables for this server only (e.g. ``STATSBIDRAG_DATA``, the data folder
    it seeds from); they win over the test process's own.
    ``address``: ``--server.address``; None passes no address, leaving it to .streamlit/config.toml (loopback).
    """
    port = _free_port()
    log = folder / "streamlit.log"
    server_env = os.environ | {PATH_ENV: str(folder / "app.duckdb")}  # its own database, created on start
    server_env.pop("STATSBIDRAG_REQUIRE_AUTH", None)
    server_env |= env or {}
    secrets = folder / "secrets.toml"
    lines = []
    if auth is not None:
        section = auth | {"redirect_uri": f"http://127.0.0.1:{port}/oauth2callback"}
        lines = ["[auth]", *(f"{key} = {json.dumps(value)}" for key, value in section.items())]
    secrets.write_text("\n".join(lines) + "\n", encoding="utf-8")  # never the repository's own secrets
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                *(["--server.address", address] if address is not None else []),
                "--server.port",
                str(port),
                "--server.headless",
                "true",
                "--secrets.files",
                str(secrets),
            ],
            cwd=ROOT,
            env=server_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail(f"the app did not start within 60 s:\n{log.read_text(errors='replace')}")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_app(tmp_path_factory.mktemp("server")) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _missing(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright for Python is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def oidc_server() -> Iterator[str]:
    """A real OIDC provider that knows the test users (tests/browser/login.py); its URL."""
    from tests.browser.login import oidc_provider

    with oidc_provider() as url:
        yield url


@pytest.fixture
def context(browser):  # type: ignore[no-untyped-def]
    """A fresh browser context (its own cookies: one login), for ``tests.browser.login.log_in``."""
    context = browser.new_context(viewport={"width": 1500, "height": 1000}, locale="sv-SE")
    yield context
    context.close()


@pytest.fixture
def page(browser, app_url: str):  # type: ignore[no-untyped-def]
    """A fresh page with console errors collected in ``page.console_errors``."""
    context = browser.new_context(viewport={"width": 1500, "height": 1100}, locale="sv-SE")
    page = context.new_page()
    errors: list[str] = []

    def on_console(msg) -> None:  # type: ignore[no-untyped-def]
        url = msg.location.get("url", "")
        # Streamlit's frontend probes <page>/_stcore/{health,host-config} to find its base path on a deep
        # link and falls back to the root: those two 404s are expected and harmless.
        if msg.type == "error" and not url.endswith(("/_stcore/health", "/_stcore/host-config")):
            errors.append(f"{msg.text} {url}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.console_errors = errors
    page.app_url = app_url
    yield page
    context.close()


def wait_idle(page: Page, timeout: float = TIMEOUT_MS) -> None:
    """Wait, as Streamlit's own e2e suite does, until the script has finished running.

    The state shows only what the browser knows: right after a click or a page load the server may not have
    started the run yet, and the state still says "notRunning". The pause lets a rerun that is about to start
    show up; on a busy machine it may not be long enough, so a test never takes this for "the content is
    there": it expects the content itself. After content of a run is seen, that run has started, and this
    waits for its end.
    """
    page.wait_for_selector(IDLE, timeout=timeout)
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=timeout)


def expect_no_exception(page: Page) -> None:
    """No Streamlit exception on the page, once the run whose content the test has confirmed has ended."""
    wait_idle(page)
    expect(page.locator("[data-testid='stException']")).to_have_count(0)


def screenshot(page: Page, name: str, element: Locator | None = None) -> Path:
    """A PNG of the whole page (or of one element) under ARTIFACTS."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    if element is not None:
        path = ARTIFACTS / f"{name}.png"
        element.screenshot(path=str(path))
        return path
    path = ARTIFACTS / f"{name}.png"
    # Streamlit scrolls inside its own container: grow the viewport to the content for a full picture.
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=\"stMain\"], section.main')]"
        ".map(e => e.scrollHeight), document.body.scrollHeight)"
    )
    width = page.viewport_size["width"] if page.viewport_size else 1500
    page.set_viewport_size({"width": width, "height": min(int(height) + 40, 6000)})
    # Two animation frames: the page has laid itself out and painted at the new size.
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    page.screenshot(path=str(path), full_page=True)
    return path


def metric_value(page: Page, label: str) -> Locator:
    """The value of the st.metric whose label is exactly ``label``: use it with ``expect(...).to_have_text``."""
    label_text = page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    return page.get_by_test_id("stMetric").filter(has=label_text).get_by_test_id("stMetricValue")


SELECT_ATTEMPTS = 6


def edit_cell(page: Page, row: int, column: str, value: str) -> None:
    """Type into a cell of the simulator's data editor (a canvas: cells are found by position).

    glide-data-grid keeps an accessible copy of its cells inside the canvas (``glide-cell-<column>-<row>``, with
    their text, ``aria-selected`` and focus) and opens its cell editor as an ``input.gdg-input`` in an overlay:
    each step waits for that state, not for time.
    """
    from ui.editor_rows import EDITOR_WIDTHS

    grid = page.get_by_test_id("stDataFrame").first
    names = list(EDITOR_WIDTHS)
    cell = grid.get_by_test_id(f"glide-cell-{names.index(column)}-{row}")
    expect(cell).to_be_attached()  # the grid is mounted and has its rows
    # Select the cell. The grid selects on the press, and a release that reaches it before it has handled the
    # press (page.mouse.click releases ~10 ms later) leaves nothing selected: hold until the cell is selected.
    # On a very busy machine the page may still move between measuring and pressing (seen once in CI-like load):
    # a press that missed is released, the grid measured again and the press repeated, until the test's limit.
    for attempt in range(SELECT_ATTEMPTS):
        grid.scroll_into_view_if_needed()
        box = grid.bounding_box()
        assert box is not None
        offset = sum(EDITOR_WIDTHS[n] for n in names[: names.index(column)]) + EDITOR_WIDTHS[column] / 2
        # A narrow screen (a phone) shows the first columns only: scroll the grid sideways to the cell first.
        scrolled = grid.locator(".dvn-scroller").evaluate(
            "(e, x) => { e.scrollLeft = Math.max(0, x - e.clientWidth / 2); return e.scrollLeft; }", offset
        )
        x = box["x"] + offset - scrolled
        y = box["y"] + 35 * (row + 1) + 35 / 2
        page.mouse.move(x, y)
        page.mouse.down()
        try:
            expect(cell).to_have_attribute("aria-selected", "true", timeout=TIMEOUT_MS // 3)
        except AssertionError:
            page.mouse.up()
            if attempt == SELECT_ATTEMPTS - 1:
                raise
            continue
        page.mouse.up()
        break
    expect(cell).to_be_focused()
    page.keyboard.press("Enter")  # open the selected cell's editor
    editor = page.locator("input.gdg-input, textarea.gdg-input")
    expect(editor).to_be_focused()
    editor.fill(value)
    expect(editor).to_have_value(value)
    editor.press("Enter")  # commit: the editor closes and the grid shows the new value
    expect(editor).to_have_count(0)
    expect(cell).to_have_text(value)
    wait_idle(page)
