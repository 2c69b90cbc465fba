"""Benchmark (not a test): the app in headless Chromium — cold start, first render, the simulator's first
click on a chart tab, the first table edit in a fresh session, saving a scenario, memory with 20 sessions.

.venv/bin/python bench/bench_browser.py
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote_plus

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright  # noqa: E402
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError  # noqa: E402

# The same browser and flags as the browser tests.
from tests.browser.conftest import CHROMIUM, IDLE  # noqa: E402
from tests.browser.conftest import CHROMIUM_ARGS as ARGS  # noqa: E402

HELLO = 'import streamlit as st\nst.title("Hej")\n'


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(script: Path, env: dict[str, str], cwd: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return process, f"http://127.0.0.1:{port}"


def wait_healthy(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{url} did not start")


# Every figure is the page's own clock: the page checks on every animation frame and notes when the
# awaited state first holds. Playwright's own waits would not do for timing: `wait_for_selector` checks
# again after 20, 50, 100, 100 and then every 500 ms (`retryWithProgressAndBackoff` in Playwright 1.65;
# microsoft/playwright#32276), so a page drawn just after a check was measured up to half a second late,
# and a page that takes 0.9 s looked like 1.5 s. Python waits on the noted time with `polling="raf"`.
WATCH = """(args) => {
  const idle = () => document.querySelector(args.idle) !== null;
  const shown = () => {
    if (!args.selector) return true;
    const element = document.querySelector(args.selector);
    if (element === null) return false;
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  };
  const addressed = () => !args.search || window.location.search.includes(args.search);
  window.__benchClickAt = undefined;
  window.__benchDoneAt = undefined;
  if (args.afterClick) {
    const noteClick = () => { if (window.__benchClickAt === undefined) window.__benchClickAt = performance.now(); };
    document.addEventListener("click", noteClick, {capture: true});
  }
  const check = () => {
    const clicked = !args.afterClick || window.__benchClickAt !== undefined;
    if (clicked && shown() && addressed() && idle()) window.__benchDoneAt = performance.now();
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
}"""


def watch_args(selector: str = "", search: str = "", after_click: bool = False) -> dict[str, object]:
    return {"idle": IDLE, "selector": selector, "search": search, "afterClick": after_click}


def noted(page: Page) -> tuple[float, float]:
    """Wait for the watched state; the page's clock (s since navigation) at the click (0 without) and then."""
    page.wait_for_function("() => window.__benchDoneAt !== undefined", polling="raf", timeout=60_000)
    click, done = page.evaluate("() => [window.__benchClickAt ?? 0, window.__benchDoneAt]")
    return click / 1000, done / 1000


def render(browser: Browser, url: str, ready: str) -> float:
    """Seconds from navigation to the page fully rendered (``ready`` visible and the script idle)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.add_init_script(f"({WATCH})({json.dumps(watch_args(ready))})")
    page.goto(url, timeout=60_000)
    _, done = noted(page)
    context.close()
    return done


def open_simulator(browser: Browser, url: str) -> tuple[BrowserContext, Page]:
    """A fresh session (its own browser cache) on the simulator, fully rendered."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{url}/at", timeout=60_000)
    page.wait_for_selector("[data-testid='stMetric']", timeout=60_000)
    settle(page)
    return context, page


def settle(page: Page) -> None:
    """Idle, and still idle after a short pause (a rerun asked for may not have started yet)."""
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=60_000)


def first_tab_click(browser: Browser, url: str, tab: str) -> float:
    """Seconds from the first click on a chart tab of a fresh simulator session to its chart drawn.

    Drawn: the tab's Plotly chart (``.js-plotly-plot``, made by plotly.js in the browser) is visible and
    the script is idle. The chart exists only once the rerun that the click asked for has sent it, so
    the idle seen after it is that run's end.
    """
    context, page = open_simulator(browser, url)
    page.evaluate(WATCH, watch_args(".js-plotly-plot", after_click=True))
    page.get_by_role("tab", name=tab, exact=True).click()  # the open tab (Resultat) has no chart
    click, done = noted(page)
    context.close()
    return done - click


# From the Enter that commits a cell of the simulator's table (glide-data-grid's editor, ``input.gdg-input``)
# to the metric ``label`` showing another value than ``before``, with the script idle: the results follow the edit.
WATCH_EDIT = """(args) => {
  window.__benchClickAt = undefined;
  window.__benchDoneAt = undefined;
  const value = () => {
    for (const m of document.querySelectorAll("[data-testid='stMetric']")) {
      const label = m.querySelector("[data-testid='stMetricLabel']");
      if (label && label.textContent.trim() === args.label) {
        const shown = m.querySelector("[data-testid='stMetricValue']");
        return shown ? shown.textContent : null;
      }
    }
    return null;
  };
  document.addEventListener("keydown", (e) => {
    const editor = e.target && e.target.classList && e.target.classList.contains("gdg-input");
    if (e.key === "Enter" && editor && window.__benchClickAt === undefined) window.__benchClickAt = performance.now();
  }, {capture: true});
  const check = () => {
    const idle = document.querySelector(args.idle) !== null;
    const changed = value() !== args.before;
    if (window.__benchClickAt !== undefined && idle && changed) window.__benchDoneAt = performance.now();
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
}"""
EDIT_ROW = 7  # Gotland (län 09) in the table sorted by län code
EDIT_VALUE = "25"  # its plan is 16: +9 positions, a step it did not reach at plan, so the staircase changes


def metric_text(page: Page, label: str) -> str:
    return page.evaluate(
        """(label) => { for (const m of document.querySelectorAll("[data-testid='stMetric']")) {
            const l = m.querySelector("[data-testid='stMetricLabel']");
            const v = m.querySelector("[data-testid='stMetricValue']");
            if (l && l.textContent.trim() === label) return v.textContent;
        } return null; }""",
        label,
    )


def first_edit(browser: Browser, url: str) -> tuple[float, float]:
    """Seconds from the Enter that commits the first edit of the simulator's table in a fresh session (its own
    browser cache, as a new visitor) to the results showing it (the metric "Trappsteg" changed, script idle);
    and the seconds from the Enter that opens the cell's editor to the editor shown (the grid's own code)."""
    from ui.editor_rows import EDITOR_WIDTHS

    context, page = open_simulator(browser, url)
    grid = page.get_by_test_id("stDataFrame").first
    names = list(EDITOR_WIDTHS)
    cell = grid.get_by_test_id(f"glide-cell-{names.index('filled')}-{EDIT_ROW}")
    cell.wait_for(state="attached", timeout=60_000)
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    x = box["x"] + sum(EDITOR_WIDTHS[n] for n in names[: names.index("filled")]) + EDITOR_WIDTHS["filled"] / 2
    y = box["y"] + 35 * (EDIT_ROW + 1) + 35 / 2
    for _ in range(6):  # hold the press until the grid has selected the cell (see tests/browser/conftest.py)
        page.mouse.move(x, y)
        page.mouse.down()
        try:
            page.wait_for_function(
                "(id) => document.querySelector(`[data-testid='${id}']`)?.getAttribute('aria-selected') === 'true'",
                arg=f"glide-cell-{names.index('filled')}-{EDIT_ROW}",
                polling="raf",
                timeout=10_000,
            )
            page.mouse.up()
            break
        except PlaywrightTimeoutError:
            page.mouse.up()
    opened = time.perf_counter()
    page.keyboard.press("Enter")  # open the cell's editor
    editor = page.locator("input.gdg-input, textarea.gdg-input")
    editor.wait_for(timeout=30_000)
    opening = time.perf_counter() - opened
    editor.fill(EDIT_VALUE)
    page.evaluate(WATCH_EDIT, {"idle": IDLE, "label": "Trappsteg", "before": metric_text(page, "Trappsteg")})
    editor.press("Enter")  # commit: the page reruns with the edit
    click, done = noted(page)
    context.close()
    return done - click, opening


# Notes whether a toast saying "sparades" was ever shown (it may be gone again when the run ends).
WATCH_TOAST = """() => {
    window.__toastSeen = false;
    new MutationObserver(() => {
        for (const toast of document.querySelectorAll("[data-testid='stToast']")) {
            if (toast.textContent.includes("sparades")) window.__toastSeen = true;
        }
    }).observe(document.body, {childList: true, subtree: true, characterData: true});
}"""


def save_scenario(browser: Browser, url: str, name: str) -> tuple[float, bool]:
    """Seconds from the click on "Spara scenario" (the form filled) to the saved scenario on screen, idle;
    and whether the success message ("… sparades") was shown.

    The save reruns the page (the saved scenario becomes the active one, in the sidebar and the address):
    done when the address names the scenario and the script is idle.
    """
    context, page = open_simulator(browser, url)
    actor = page.get_by_role("textbox", name="Ditt namn")
    actor.fill("Bänk Mätare")
    actor.press("Enter")
    settle(page)
    page.get_by_role("textbox", name="Namn på scenariot").fill(name)
    page.evaluate(WATCH_TOAST)
    page.evaluate(WATCH, watch_args(search=f"scenario={quote_plus(name)}", after_click=True))
    page.get_by_role("button", name="Spara scenario").click()
    click, done = noted(page)
    elapsed = done - click
    try:  # the message is drawn by its own lazily loaded code, possibly just after the run's end
        page.wait_for_function("() => window.__toastSeen", polling="raf", timeout=5_000)
        toast_seen = True
    except PlaywrightTimeoutError:
        toast_seen = False
    context.close()
    return elapsed, toast_seen


def store_init(env: dict[str, str]) -> float:
    """Seconds of ``python -m store init`` (create, migrate, seed) on the database file named in ``env``."""
    start_time = time.perf_counter()
    subprocess.run([sys.executable, "-m", "store", "init"], cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - start_time


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    """A process's resident memory now (``VmRSS``) or at its peak so far (``VmHWM``), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# Every page, at its own address, with what shows that it is drawn (on the benchmark's empty store; the
# overview and the simulator are drawn for AT 2023, the round the sidebar opens with).
PAGES = (
    ("overview", "", "[data-testid='stMetric']"),
    ("simulator", "at", "[data-testid='stMetric']"),
    ("data page", "data", "[data-testid='stFileUploader']"),
    ("region preview", "region", "figure.colchart"),
    ("follow-up", "aldreomsorg", "[data-testid='stHeading']"),
    ("decision", "beslut", "[data-testid='stTabs']"),
    ("deadlines", "tidsfrister", "figure.tlgantt"),
    ("rounds", "omgangar", "[data-testid='stDataFrame']"),
    ("users", "anvandare", "[data-testid='stForm']"),
)

CHART_TABS = ("Trappan", "Pottens fördelning", "Per invånare", "Karta")


def progress(text: str) -> None:
    print(f"  [browser] {time.strftime('%H:%M:%S')} {text}", file=sys.stderr, flush=True)


def measure(repeats: int = 5) -> list[tuple[str, float, str, str]]:
    tmp = Path(tempfile.mkdtemp())
    (tmp / "hello.py").write_text(HELLO, encoding="utf-8")
    env = os.environ | {"STATSBIDRAG_DB": str(tmp / "bench.duckdb")}
    rows: list[tuple[str, float, str, str]] = []

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        # Cold start, alone on the machine (the hello-world server starts after it): the app creates,
        # migrates and seeds a new database file itself.
        cold_start = time.perf_counter()
        app, app_url = start(ROOT / "app.py", env, ROOT)
        hello = None
        try:
            wait_healthy(app_url)
            first = render(browser, app_url, "[data-testid='stMetric']")
            rows.append(
                (
                    "cold start: process start to first page rendered",
                    time.perf_counter() - cold_start,
                    "s",
                    f"first render itself {first:.2f} s",
                )
            )
            hello, hello_url = start(tmp / "hello.py", env, tmp)
            wait_healthy(hello_url)
            render(browser, hello_url, "h1")  # warm both servers once
            pages = tuple((f"{name}: first full render", path, ready) for name, path, ready in PAGES)
            # Each round measures the hello-world page and then every page, so that a ratio compares
            # renders taken moments apart (the machine's load drifts over a run).
            hello_times: list[float] = []
            times: dict[str, list[float]] = {name: [] for name, _, _ in pages}
            for _ in range(repeats):
                hello_times.append(render(browser, hello_url, "h1"))
                for name, path, ready in pages:
                    times[name].append(render(browser, f"{app_url}/{path}", ready))
            base = statistics.median(hello_times)
            rows.append(("hello-world page: first full render", base, "s", "baseline"))
            for name, _, _ in pages:
                median = statistics.median(times[name])
                rows.append((name, median, "s", f"{median / base:.1f} × hello world"))

            # Each click in a fresh session (its own browser cache, as a new visitor); the server has
            # drawn no chart before the first one.
            for tab in CHART_TABS:
                progress(f"first click on {tab}")
                times = [first_tab_click(browser, app_url, tab) for _ in range(repeats)]
                rows.append(
                    (
                        f"simulator: first click on tab {tab} to chart drawn",
                        statistics.median(times),
                        "s",
                        f"first in the server {times[0]:.2f} s, max {max(times):.2f} s",
                    )
                )
            # The first edit of the table in a fresh session (a new visitor): the server has drawn the simulator
            # for other sessions by now, as it would have for colleagues.
            progress("first edit in a fresh session")
            edits = [first_edit(browser, app_url) for _ in range(repeats)]
            times = [commit for commit, _ in edits]
            opening = max(open_ for _, open_ in edits)
            rows.append(
                (
                    "simulator: first edit in a fresh session to results",
                    statistics.median(times),
                    "s",
                    f"first {times[0]:.2f} s, max {max(times):.2f} s (≤ 1 s); editor opened in ≤ {opening:.2f} s",
                )
            )
            progress("saving scenarios")
            saves = [save_scenario(browser, app_url, f"Bänk {i + 1}") for i in range(repeats)]
            times = [seconds for seconds, _ in saves]
            shown = sum(seen for _, seen in saves)
            rows.append(
                (
                    "simulator: save a scenario to saved scenario shown",
                    statistics.median(times),
                    "s",
                    f"first {times[0]:.2f} s, max {max(times):.2f} s; message seen {shown} of {len(saves)}",
                )
            )

            progress("20 sessions")
            idle = rss_mb(app.pid)
            contexts = []
            for _ in range(20):
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = context.new_page()
                page.goto(f"{app_url}/at", wait_until="commit", timeout=120_000)  # all 20 load at once
                contexts.append((context, page))
            for _, page in contexts:
                page.wait_for_selector("[data-testid='stMetric']", timeout=120_000)
                page.wait_for_selector(IDLE, timeout=120_000)
            time.sleep(1)
            loaded = rss_mb(app.pid)
            rows.append(("server RSS, after the first sessions", idle, "MB", ""))
            rows.append(
                (
                    "server RSS, 20 sessions on the simulator",
                    loaded,
                    "MB",
                    f"{(loaded - idle) / 20:+.1f} MB per session",
                )
            )
            for context, _ in contexts:
                context.close()
        finally:
            for process in (app, hello):
                if process is not None:
                    stop(process)

        # Cold start as `make run` does it, on a new file: `python -m store init`, then the server (which
        # then finds the store ready). Disk caches are warm by now, as they are for a restart.
        init_env = os.environ | {"STATSBIDRAG_DB": str(tmp / "make-run.duckdb")}
        progress("cold start as make run")
        cold_start = time.perf_counter()
        init = store_init(init_env)
        app, app_url = start(ROOT / "app.py", init_env, ROOT)
        try:
            wait_healthy(app_url)
            first = render(browser, app_url, "[data-testid='stMetric']")
            rows.append(
                (
                    "cold start as make run: store init + server to first page",
                    time.perf_counter() - cold_start,
                    "s",
                    f"store init {init:.2f} s, first render {first:.2f} s",
                )
            )
        finally:
            stop(app)
        browser.close()
    return rows


def main() -> None:
    print(f"{'figure':<52} {'value':>10}  note")
    for name, value, unit, note in measure():
        print(f"{name:<52} {value:>8.2f} {unit:<2}  {note}")


if __name__ == "__main__":
    main()
