"""Benchmark (not a test): every page's first full render against its floor, and the simulator's rerun after
one table edit against an empty page's rerun, for AT 2023 and the 2024- and 2022-shaped rounds.

A floor (``bench/floors/``) is what Streamlit itself needs to draw a page: the same elements in the same
layout, inside the same frame (sidebar, navigation, notices, footer), with static data and no project code.
Each floor's docstring says what it mirrors; ``--check`` prints, per page, where the element tree drawn in
the browser differs between the page and its floor (kinds, nesting, data frame shapes; text lengths ignored).

First render: navigation in a fresh browser context to the page drawn — its title shown, every data frame's
canvas drawn and the script idle — by the page's own clock (``bench_browser.render``). Page and floor are
measured interleaved (page, floor, floor, page, … several rounds) on two servers running side by side, on a
store with the example data (``python -m cli demo``) and a data folder holding the two test rounds; the
figure is the median. Target: page ≤ 1.2 × floor.

Rerun after a table edit: AppTest in the server's steady state (``bench_pages``' patches), on the same store
and data folder, the simulator's data editor sent one changed cell (the first editable number column of the
first row, as the browser sends it: the editor is drawn in a fragment, so the rerun is that fragment's, as in the
browser), interleaved with an empty page's and a hello-world page's reruns. Target:
≤ 10 × the empty page.

    .venv/bin/python bench/bench_floors.py [--rounds N] [--no-browser] [--no-reruns] [--check]
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import bench_browser  # noqa: E402
from bench.bench_hostile import print_table  # noqa: E402
from store.paths import DATA_ENV, PATH_ENV  # noqa: E402

FLOORS = ROOT / "bench" / "floors"
TEST_ROUNDS = ("at-2024-illustrative", "at-2022-illustrative")
# Every page as staff see it: (name, address, whether it draws a data frame or editor). The simulator is
# drawn for each round shape, chosen in the address as a shared link does (the picker's label).
PAGES = (
    ("Översikt", "oversikt", False),
    ("Simulering, AT 2023", "at", True),
    ("Simulering, 2024-shaped round", "at?omgang=AT+2024+%28illustrativ%29", True),
    ("Simulering, 2022-shaped round", "at?omgang=AT+2022+%28illustrativ%29", True),
    ("Förhandsbesked", "region", False),
    ("Uppföljning", "aldreomsorg", False),
    ("Beslut", "beslut", False),
    ("Tidsfrister", "tidsfrister", False),
    ("Data", "data", True),
    ("Bidragsomgångar", "omgangar", True),
    ("Användare", "anvandare", False),
)
RENDER_TARGET = 1.2  # × the floor
RERUN_TARGET = 10.0  # × the empty page
RERUN_ROUNDS = (("AT 2023", "at-2023"), *((f"{r[3:7]}-shaped round", r) for r in TEST_ROUNDS))


def ready(has_frame: bool) -> str:
    """Drawn: the page's title is shown and (if it has data frames) a data frame's canvas is drawn.

    With the script idle every element has arrived; the data frames are drawn by one lazily loaded component,
    which draws all of a page's at once when its code has arrived. (A native selector cannot say "every data
    frame has a canvas": Chromium refuses ``:has`` inside ``:has``.)
    """
    selector = "[data-testid='stApp']:has([data-testid='stMainBlockContainer'] [data-testid='stHeading'])"
    return selector + (":has([data-testid='stDataFrame'] canvas)" if has_frame else "")


def prepare(folder: Path) -> dict[str, str]:
    """A data folder with the two test rounds dropped into its rounds/ (as tests/test_block_round_app.py does)
    and a new store holding the example data; the environment that points the app at both."""
    shutil.copytree(ROOT / "data", folder / "data")
    for round_id in TEST_ROUNDS:
        shutil.copy(ROOT / "tests" / "rounds" / f"{round_id}.toml", folder / "data" / "rounds")
    env = os.environ | {PATH_ENV: str(folder / "bench.duckdb"), DATA_ENV: str(folder / "data")}
    demo = ["demo", "--actor", "Bänk Mätare", "--reason", "Golvmätning"]
    for command in (["init"], demo):
        subprocess.run([sys.executable, "-m", "cli", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    return env


@contextmanager
def servers(env: dict[str, str]) -> Iterator[tuple[str, str]]:
    """The app and the floors, each on its own server, both healthy; both started in the project's folder so
    that both read its .streamlit/config.toml (no file watcher, no forced GC after a run, theme, toolbar)."""
    app, app_url = bench_browser.start(ROOT / "app.py", env, ROOT)
    floor, floor_url = bench_browser.start(FLOORS / "app.py", env, ROOT)
    try:
        bench_browser.wait_healthy(app_url)
        bench_browser.wait_healthy(floor_url)
        yield app_url, floor_url
    finally:
        bench_browser.stop(app)
        bench_browser.stop(floor)


def measure_renders(env: dict[str, str], rounds: int = 7) -> list[tuple[str, float, float]]:
    """(page, floor's median, page's median) in seconds, page and floor interleaved, alternating who goes first."""
    from playwright.sync_api import sync_playwright

    floors: dict[str, list[float]] = {name: [] for name, _, _ in PAGES}
    pages: dict[str, list[float]] = {name: [] for name, _, _ in PAGES}
    with sync_playwright() as playwright, servers(env) as (app_url, floor_url):
        browser = playwright.chromium.launch(executable_path=bench_browser.CHROMIUM, args=bench_browser.ARGS)
        for _, path, has_frame in PAGES:  # warm both servers: every module imported, every script compiled
            for url in (app_url, floor_url):
                bench_browser.render(browser, f"{url}/{path}", ready(has_frame))
        for i in range(rounds):
            bench_browser.progress(f"first renders, round {i + 1} of {rounds}")
            for name, path, has_frame in PAGES:
                order = ((pages, app_url), (floors, floor_url))
                for times, url in order if i % 2 == 0 else reversed(order):
                    times[name].append(bench_browser.render(browser, f"{url}/{path}", ready(has_frame)))
        browser.close()
    return [(name, statistics.median(floors[name]), statistics.median(pages[name])) for name, _, _ in PAGES]


def _editor(at: Any) -> tuple[Any, str]:
    """The simulator's data editor in an AppTest run and its first editable number column."""
    editor = next(e for e in at.get("dataframe") if e.proto.id)
    columns = json.loads(editor.proto.columns)
    column = next(
        name
        for name, config in columns.items()
        if config.get("type_config", {}).get("type") == "number" and not config.get("disabled")
    )
    return editor, column


def edit_cell(at: Any, value: int) -> None:
    """Rerun as after a browser's edit of one cell: the editor's state names the changed cell, other widgets
    keep theirs. An editor drawn inside a fragment (``st.fragment``) reruns that fragment only, as the browser
    asks (its rerun request names the fragment of the widget that changed)."""
    editor, column = _editor(at)
    states = at._tree.get_widget_states()
    state = states.widgets.add()
    state.id = editor.proto.id
    state.string_value = json.dumps({"edited_rows": {"0": {column: value}}, "added_rows": [], "deleted_rows": []})
    with _fragment_rerun(_fragment_of(at, editor.proto.id)):
        at._run(states)


def _fragment_of(at: Any, widget_id: str) -> str | None:
    """The fragment that drew the widget in the last run (None: the whole page draws it)."""
    metadata = at._session_state._state._new_widget_state.widget_metadata.get(widget_id)
    return getattr(metadata, "fragment_id", None)


@contextmanager
def _fragment_rerun(fragment_id: str | None) -> Iterator[None]:
    """AppTest's next run as the browser's request after a change inside a fragment: that fragment only."""
    if fragment_id is None:
        yield
        return
    from streamlit.runtime.scriptrunner_utils.script_requests import RerunData
    from streamlit.testing.v1 import local_script_runner

    local_script_runner.RerunData = functools.partial(RerunData, fragment_id_queue=[fragment_id])  # type: ignore[misc]
    try:
        yield
    finally:
        local_script_runner.RerunData = RerunData  # type: ignore[misc]


@contextmanager
def _environment(env: dict[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in (PATH_ENV, DATA_ENV)}
    os.environ.update({key: env[key] for key in saved})
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def measure_reruns(env: dict[str, str], repeats: int = 41) -> list[tuple[str, float]]:
    """Median seconds of an empty page's and a hello-world page's reruns and, for each round shape, of the
    simulator's rerun after a table edit; all interleaved in one process (AppTest, the server's steady state)."""
    from streamlit.testing.v1 import AppTest

    from bench import bench_pages  # its import puts back the server's steady state in AppTest

    with _environment(env):  # the renders' store (its servers are stopped: one process holds a DuckDB file)
        baselines = {"empty page": bench_pages.EMPTY, "hello-world page": bench_browser.HELLO}
        tests = {name: AppTest.from_string(script, default_timeout=60) for name, script in baselines.items()}
        for round_name, round_id in RERUN_ROUNDS:
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
            at.session_state["omgang"] = round_id
            at.run()
            at.switch_page("pages/at/simulator.py").run()
            tests[f"simulator, {round_name}: rerun after a table edit"] = at
        for at in tests.values():
            at.run()
        times: dict[str, list[float]] = {name: [] for name in tests}
        for i in range(repeats):
            for name, at in tests.items():
                start = time.perf_counter()
                if name in baselines:
                    at.run()
                else:
                    edit_cell(at, 300 + i)
                times[name].append(time.perf_counter() - start)
                assert not at.exception, at.exception
    return [(name, statistics.median(values)) for name, values in times.items()]


def render_rows(renders: list[tuple[str, float, float]]) -> list[tuple[str, str, str, str]]:
    return [
        (f"first render: {name}", f"{floor:.2f} s", f"{page:.2f} s", f"{page / floor:.2f} × floor")
        for name, floor, page in renders
    ]


def rerun_rows(reruns: list[tuple[str, float]]) -> list[tuple[str, str, str, str]]:
    empty = reruns[0][1]
    rows = []
    for name, seconds in reruns:
        ratio = "baseline" if name == "empty page" else f"{seconds / empty:.1f} × empty"
        rows.append((f"AppTest: {name}", f"{seconds * 1e3:.1f} ms", "" if name.endswith("page") else "≤ 10", ratio))
    return rows


def measure(rounds: int = 7, browser: bool = True, reruns: bool = True) -> list[tuple[str, str, str, str]]:
    """Rows (figure, floor, page, ratio) of the first renders, then (figure, value, target, ratio) of the reruns."""
    with tempfile.TemporaryDirectory(prefix="bench-floors-") as tmp:
        env = prepare(Path(tmp))
        rows = render_rows(measure_renders(env, rounds)) if browser else []
        return rows + (rerun_rows(measure_reruns(env)) if reruns else [])


# The element tree drawn in the browser (sidebar and main), one line per element or layout block, indented
# by nesting: data frames with their shape, tabs with their count; texts and sizes left out.
STRUCTURE = r"""() => {
  const layout = ['stHorizontalBlock', 'stColumn', 'stVerticalBlock', 'stForm', 'stExpander', 'stTabs', 'stTab',
                  'stLayoutWrapper', 'stVerticalBlockBorderWrapper'];
  const out = [];
  const walk = (node, depth) => {
    for (const child of node.children) {
      const id = child.getAttribute('data-testid');
      if (id === 'stElementContainer') {
        const inner = child.querySelector("[data-testid='stDataFrame'],[data-testid='stPlotlyChart'],[data-testid]");
        let kind = inner ? inner.getAttribute('data-testid') : '?';
        if (kind === 'stDataFrame') {
          const grid = child.querySelector('[aria-rowcount]');
          kind += grid ? ` ${grid.getAttribute('aria-rowcount')}×${grid.getAttribute('aria-colcount')}` : '';
        }
        if (kind === 'stPlotlyChart') {
          const plot = child.querySelector('.js-plotly-plot');
          kind += plot && plot.data ? ' ' + plot.data.map(t => `${t.type}:${(t.x || t.locations || []).length}`) : '';
        }
        out.push('  '.repeat(depth) + kind);
        walk(child, depth + 1);
      } else if (id === 'stPopover') {
        out.push('  '.repeat(depth) + 'stPopover');
      } else if (layout.includes(id)) {
        out.push('  '.repeat(depth) + '[' + id + ']');
        walk(child, depth + 1);
      } else {
        walk(child, depth);
      }
    }
  };
  out.push('navigation links: ' + document.querySelectorAll("[data-testid='stSidebarNavLink']").length);
  for (const root of ["[data-testid='stSidebarUserContent']", "[data-testid='stMainBlockContainer']"]) {
    out.push(root);
    const node = document.querySelector(root);
    if (node) walk(node, 1);
  }
  return out.join('\n');
}"""


def check() -> int:
    """Print where each page's drawn element tree differs from its floor's; the number of pages that differ."""
    import difflib

    from playwright.sync_api import sync_playwright

    differing = 0
    with tempfile.TemporaryDirectory(prefix="bench-floors-") as tmp:
        env = prepare(Path(tmp))
        with sync_playwright() as playwright, servers(env) as (app_url, floor_url):
            browser = playwright.chromium.launch(executable_path=bench_browser.CHROMIUM, args=bench_browser.ARGS)
            for name, path, has_frame in PAGES:
                trees = []
                for url in (app_url, floor_url):
                    context = browser.new_context(viewport={"width": 1400, "height": 1000})
                    page = context.new_page()
                    page.goto(f"{url}/{path}", timeout=60_000)
                    page.wait_for_selector(ready(has_frame), timeout=60_000)
                    bench_browser.settle(page)
                    trees.append(page.evaluate(STRUCTURE).splitlines())
                    context.close()
                diff = list(difflib.unified_diff(trees[0], trees[1], "page", "floor", lineterm="", n=1))
                differing += bool(diff)
                print(f"{name}: " + ("same element tree" if not diff else "differs"))
                for line in diff[2:]:
                    print(f"    {line}")
            browser.close()
    return differing


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds of first renders (median)")
    parser.add_argument("--no-browser", action="store_true", help="only the AppTest reruns")
    parser.add_argument("--no-reruns", action="store_true", help="only the first renders")
    parser.add_argument("--check", action="store_true", help="compare each page's element tree with its floor's")
    args = parser.parse_args()
    if args.check:
        sys.exit(1 if check() else 0)
    print_tables(measure(args.rounds, browser=not args.no_browser, reruns=not args.no_reruns))


def print_tables(rows: list[tuple[str, str, str, str]]) -> None:
    """The first renders' table, then the reruns' (also called by run_all.py)."""
    renders = [r for r in rows if r[0].startswith("first render")]
    if renders:
        print_table(("figure (target: page ≤ 1.2 × floor)", "floor", "page", "ratio"), renders)
    if reruns := [r for r in rows if not r[0].startswith("first render")]:
        if renders:
            print()
        print_table(("figure (target: ≤ 10 × empty page)", "median", "target", "ratio"), reruns)


if __name__ == "__main__":
    main()
