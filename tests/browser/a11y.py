"""Shared by the accessibility tests: a server with example data and one round of each kind, and axe-core.

The server seeds from a copy of ``data/`` with the illustrative round of blocks (``tests/rounds/``) dropped
in, and has the example data (``store.demo``) loaded before it starts, so every page shows what it is for.
axe-core is the copy bundled with ``axe-playwright-python`` (requirements-dev.txt): it is read from the
installed package and injected into the page, never fetched.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from store import demo
from store.model import Actor
from store.paths import DATA_ENV
from store.service import Store
from tests.browser.conftest import ARTIFACTS, expect, running_app, wait_idle

ROOT = Path(__file__).resolve().parents[2]
BLOCKS_RULES = ROOT / "tests" / "rounds" / "at-2024-illustrative.toml"
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}
# One round of each kind (short title, as the picker's URL parameter carries it) and a day within it.
ROUNDS = {
    "performance": ("AT-tjänster 2023", "2023-11-15"),
    "fixed": ("Läkare i äldreomsorgen 2023", "2023-11-15"),
    "blocks": ("AT 2024 (illustrativ)", "2024-11-15"),
}
# Every page of the staff's navigation (the region's pages are the same files, fewer of them).
PAGES = ["oversikt", "at", "region", "aldreomsorg", "beslut", "tidsfrister", "data", "omgangar", "anvandare"]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")


def page_url(base: str, path: str, round_kind: str) -> str:
    short, as_of = ROUNDS[round_kind]
    return f"{base}/{path}?omgang={quote(short)}&as_of={as_of}"


@pytest.fixture(scope="module")
def a11y_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("a11y")
    data = folder / "data"
    shutil.copytree(ROOT / "data", data)
    shutil.copy(BLOCKS_RULES, data / "rounds" / BLOCKS_RULES.name)
    store = Store.open(folder / "app.duckdb", data_dir=data)
    demo.load(store, Actor("Test"), "exempeldata för tillgänglighetstest")
    store.close()
    with running_app(folder, env={DATA_ENV: str(data)}) as url:
        yield url


def open_page(page: Any, url: str) -> None:
    """Go to ``url`` and wait until the page's run has drawn its title and ended (a page may stop early)."""
    page.goto(url)
    expect(page.get_by_test_id("stMain").locator("h1").first).to_be_attached()
    wait_idle(page)


# ui/a11y.py's script has given the sidebar's sectioned navigation its list roles (it runs in the app's own
# script, which a loaded machine may start after the page's run has ended).
_NAV_FIXED = """() => [...document.querySelectorAll('ul[data-testid="stSidebarNavItems"]')].every(
  (list) => ![...list.children].some((c) => c.tagName === "DIV") || list.getAttribute("role") === "none")"""


def settle(page: Any) -> None:
    """The app's accessibility fixes applied, then two animation frames: what the last run drew has been laid
    out (axe reads computed styles)."""
    page.wait_for_function(_NAV_FIXED)
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


_AXE_SCRIPT: str | None = None


def _axe_script() -> str:
    global _AXE_SCRIPT
    if _AXE_SCRIPT is None:
        from axe_playwright_python.base import AXE_FILE_PATH

        _AXE_SCRIPT = AXE_FILE_PATH.read_text(encoding="utf-8")
    return _AXE_SCRIPT


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now (every impact)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_script())
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    result = page.evaluate("(options) => axe.run(document, options)", options)
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [
                {"target": n["target"], "html": n["html"][:200], "summary": n.get("failureSummary", "")}
                for n in v["nodes"]
            ],
        }
        for v in result["violations"]
    ]


def blocking(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for v in violations if v["impact"] in BLOCKING]


def report(where: str, violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{where}: {v['id']} ({v['impact']}, {len(v['nodes'])} elements): {v['help']}")
        for node in v["nodes"][:3]:
            lines.append(f"    {node['target']}  {node['html']}")
    return "\n".join(lines)


def save_results(name: str, results: dict[str, list[dict[str, Any]]]) -> Path:
    """Every violation per view as JSON under test-artifacts/ (for a table of what is left)."""
    folder = ARTIFACTS.parent / "axe"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    path.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
