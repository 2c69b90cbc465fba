"""Real-browser fixtures: the app on a free loopback port, Playwright driving Debian's Chromium.

In CI (``CI=true``) a missing browser or Playwright is a failure, never a skip.
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

import pytest

from store.db import PATH_ENV

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
def running_app(folder: Path, auth: dict[str, str] | None = None) -> Iterator[str]:
    """The app on a free loopback port with its own database in ``folder``; stopped afterwards.

    ``auth``: an ``[auth]`` section (without ``redirect_uri``, which needs the port) for a secrets file
    of this server only; without it the app runs in the local single-user mode.
    """
    port = _free_port()
    log = folder / "streamlit.log"
    env = os.environ | {PATH_ENV: str(folder / "app.duckdb")}  # its own database, created on start
    env.pop("STATSBIDRAG_REQUIRE_AUTH", None)
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
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(port),
                "--server.headless",
                "true",
                "--secrets.files",
                str(secrets),
            ],
            cwd=ROOT,
            env=env,
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


def wait_idle(page, timeout: float = 30_000) -> None:  # type: ignore[no-untyped-def]
    """Wait, as Streamlit's own e2e suite does, until the script has finished running."""
    page.wait_for_selector(IDLE, timeout=timeout)
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=timeout)


def screenshot(page, name: str, element=None) -> Path:  # type: ignore[no-untyped-def]
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
    page.wait_for_timeout(300)
    page.screenshot(path=str(path), full_page=True)
    return path


def metric(page, label: str) -> str:  # type: ignore[no-untyped-def]
    """The value of the st.metric with this label."""
    box = page.locator("[data-testid='stMetric']").filter(has_text=label).first
    return box.locator("[data-testid='stMetricValue']").inner_text().strip()


def edit_cell(page, row: int, column: str, value: str) -> None:  # type: ignore[no-untyped-def]
    """Type into a cell of the simulator's data editor (a canvas: cells are found by position)."""
    from ui.simulator import EDITOR_WIDTHS

    grid = page.locator("[data-testid='stDataFrame']").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    names = list(EDITOR_WIDTHS)
    x = box["x"] + sum(EDITOR_WIDTHS[n] for n in names[: names.index(column)]) + EDITOR_WIDTHS[column] / 2
    y = box["y"] + 35 * (row + 1) + 35 / 2
    grid.locator("canvas").first.wait_for()
    page.wait_for_timeout(500)  # the grid draws its cells after the element appears
    page.mouse.click(x, y)  # focus the grid and select the cell
    page.wait_for_timeout(300)
    page.mouse.dblclick(x, y)  # open the cell's editor
    page.wait_for_timeout(300)
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(value, delay=30)
    page.wait_for_timeout(200)
    page.keyboard.press("Enter")
    page.wait_for_timeout(500)
    wait_idle(page)
