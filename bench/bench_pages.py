"""Benchmark (not a test): each page's rerun after a typical what-if interaction vs an empty page's rerun.

Both are measured with AppTest in the same process and run, so the ratio is what matters.
    .venv/bin/python bench/bench_pages.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("STATSBIDRAG_DB", str(Path(tempfile.mkdtemp()) / "bench.duckdb"))

import streamlit.testing.v1.app_test as app_test  # noqa: E402
import streamlit.testing.v1.local_script_runner as local_script_runner  # noqa: E402
from streamlit.runtime.pages_manager import PagesManager  # noqa: E402
from streamlit.runtime.scriptrunner.script_cache import ScriptCache  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

# AppTest differs from the server in two ways that would dominate these figures, so the benchmark
# puts back the server's steady state:
# 1. it makes a new ScriptCache for every run, re-reading and recompiling every script (with the
#    "magic" AST pass) on each rerun; the server compiles a script once and keeps its bytecode;
# 2. it resets the legacy pages/ detection on every run, so each rerun enters through the deep-link
#    shim (pages/<url>.py, which runs app.py with runpy, uncached); the server does that only for a
#    first request after a restart, and from then on runs app.py directly.
_SHARED_CACHE = ScriptCache()
local_script_runner.ScriptCache = lambda: _SHARED_CACHE  # type: ignore[assignment,misc]
app_test.ScriptCache = lambda: _SHARED_CACHE  # type: ignore[assignment,misc]


class _SteadyStatePagesManager(PagesManager):
    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        PagesManager.uses_pages_directory = False  # as after the server's first st.navigation


app_test.PagesManager = _SteadyStatePagesManager  # type: ignore[misc]


EMPTY = "import streamlit as st\n"
# The app's frame (store, sidebar, navigation, footer) around a page that shows nothing: what every
# page pays before its own content, for reading the ratios below.
FRAME_ONLY = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
import streamlit as st
from ui.rounds import round_picker
from ui.scenarios import scenario_selector
from ui.state import session_or_stop
store = session_or_stop()
with st.sidebar:
    chosen = round_picker(store)
    scenario_selector(store, chosen.id)
    st.date_input("Per datum", key="as_of")
    st.text_input("Ditt namn", key="actor_name")
st.caption(f"regler {{chosen.short_title}} version {{chosen.version}}")
"""


def timed_reruns(at: AppTest, change: Callable[[AppTest, int], None], repeats: int) -> list[float]:
    times = []
    for i in range(repeats):
        change(at, i)
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        assert not at.exception, at.exception
    return times


def measure(repeats: int = 25) -> list[tuple[str, float, float]]:
    empty = AppTest.from_string(EMPTY, default_timeout=60)
    empty.run()
    empty_times = timed_reruns(empty, lambda at, i: None, repeats)

    frame = AppTest.from_string(FRAME_ONLY, default_timeout=60)
    frame.run()
    frame_times = timed_reruns(frame, lambda at, i: None, repeats)

    simulator = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    simulator.run()
    simulator.switch_page("pages/at/simulator.py").run()  # the landing page is the overview
    simulator.button(key="fill_example").click().run()

    def edit_step(at: AppTest, i: int) -> None:  # a what-if edit: the 10-step's amount
        at.number_input(key="steg10").set_value(12_000_000 + 100_000 * (i + 1))

    step_times = timed_reruns(simulator, edit_step, repeats)

    def change_pot(at: AppTest, i: int) -> None:
        at.radio(key="pot").set_value("bakgrund" if i % 2 == 0 else "bidragets_storlek")

    pot_times = timed_reruns(simulator, change_pot, repeats)

    data_page = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    data_page.run()
    data_page.switch_page("pages/data/import_export.py").run()
    data_page.session_state["flik"] = "Tabeller och export"
    data_page.run()
    tables = ["population", "regions", "planned_positions", "audit_log"]

    def pick_table(at: AppTest, i: int) -> None:
        at.selectbox(key="table").set_value(tables[i % len(tables)])

    data_times = timed_reruns(data_page, pick_table, repeats)

    preview = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    preview.run()
    preview.switch_page("pages/region/preview.py").run()
    preview.radio(key="pv_assumption").set_value("uncertain").run()

    def new_seed(at: AppTest, i: int) -> None:  # a click that reruns 100 000 simulated rounds
        at.number_input(key="pv_seed").set_value(2024 + i)

    preview_times = timed_reruns(preview, new_seed, 7)

    base = statistics.median(empty_times)
    rows = [("empty Streamlit page: rerun", base, 1.0)]
    for name, times in (
        ("app frame around an empty page: rerun", frame_times),
        ("simulator: rerun after a staircase edit", step_times),
        ("simulator: rerun after a pot change", pot_times),
        ("data page: rerun after choosing a table", data_times),
        ("region preview: rerun, 100 000 rounds (≤ 1 s)", preview_times),
    ):
        median = statistics.median(times)
        rows.append((name, median, median / base))
    return rows


def main() -> None:
    rows = measure()
    print(f"{'figure':<44} {'median':>10} {'× empty':>8} {'target':>8}")
    for name, seconds, ratio in rows:
        target = "" if ratio == 1.0 or name.startswith("app frame") else "≤ 10"
        print(f"{name:<44} {seconds * 1e3:>8.1f}ms {ratio:>8.1f} {target:>8}")


if __name__ == "__main__":
    main()
