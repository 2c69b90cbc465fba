"""Where a page's server time goes (not a test, not part of ``make bench``): wall-clock milliseconds per
function in the script runs, without a profiler's overhead (thin timing wrappers that add up).

Every public function of ui/, present/, allocation/ and store/ that is loaded, every ``Store`` method and
Streamlit's element calls are wrapped. Times are inclusive (a caller includes its callees; a nested call of
the same function counts once), the median over the repeats, in the server's steady state (``bench_pages``'s
patches: bytecode cached, no legacy-page detour).

    .venv/bin/python bench/profile_pages.py [rerun] [first] [tabs] [save]
"""

from __future__ import annotations

import collections
import functools
import importlib
import inspect
import pkgutil
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.runtime.scriptrunner import script_runner  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from bench import bench_pages  # noqa: E402  (steady state; a database of its own)

TOTALS: dict[str, float] = collections.defaultdict(float)
COUNTS: collections.Counter[str] = collections.Counter()
RUNS: list[float] = []
_local = threading.local()
ELEMENTS = (
    "data_editor",
    "plotly_chart",
    "html",
    "number_input",
    "radio",
    "selectbox",
    "button",
    "download_button",
    "metric",
    "tabs",
    "columns",
    "caption",
    "markdown",
    "text_input",
    "text_area",
    "date_input",
    "form",
    "dataframe",
    "title",
    "subheader",
    "warning",
    "info",
    "error",
    "container",
    "page_link",
    "form_submit_button",
    "checkbox",
    "toast",
    "file_uploader",
    "expander",
    "table",
    "segmented_control",
    "pills",
    "popover",
    "write",
)


def _wrap(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def timed(*args: Any, **kwargs: Any) -> Any:
        active = getattr(_local, "active", None)
        if active is None:
            active = _local.active = set()
        if name in active:  # a recursive or nested call of the same name counts once
            return fn(*args, **kwargs)
        active.add(name)
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            TOTALS[name] += time.perf_counter() - start
            COUNTS[name] += 1
            active.discard(name)

    timed.__timed__ = True  # type: ignore[attr-defined]
    return timed


def _install() -> None:
    original = script_runner.ScriptRunner._run_script

    def run_script(self, rerun_data):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        try:
            return original(self, rerun_data)
        finally:
            RUNS.append(time.perf_counter() - start)

    script_runner.ScriptRunner._run_script = run_script  # type: ignore[method-assign]
    for package in ("ui", "present", "allocation", "store"):
        for info in pkgutil.iter_modules([str(ROOT / package)]):
            name = f"{package}.{info.name}"
            if name not in sys.modules:
                continue
            module = importlib.import_module(name)
            for attr, obj in list(vars(module).items()):
                if inspect.isfunction(obj) and obj.__module__ == name and not getattr(obj, "__timed__", False):
                    setattr(module, attr, _wrap(f"{name}.{attr}", obj))
    from store.service import SERVICE_TYPES, Store

    for klass in (*Store.__mro__[:-1], *SERVICE_TYPES):
        for attr, obj in list(vars(klass).items()):
            wrappable = inspect.isfunction(obj) and not attr.startswith("__")
            if wrappable and not getattr(obj, "__timed__", False):
                setattr(klass, attr, _wrap(f"{klass.__name__}.{attr}", obj))
    import streamlit
    from streamlit.delta_generator import DeltaGenerator
    from streamlit.navigation.page import StreamlitPage

    for element in ELEMENTS:
        for owner in (DeltaGenerator, streamlit):
            fn = getattr(owner, element, None)
            if fn is not None and not getattr(fn, "__timed__", False):
                setattr(owner, element, _wrap(f"st.{element}", fn))
    StreamlitPage.run = _wrap("the page (navigation.run)", StreamlitPage.run)  # type: ignore[method-assign]


def measure(label: str, setup: Callable[[int], Any], action: Callable[[Any, int], None], repeats: int) -> None:
    """Per function: the median over the repeats of its time in one action (robust to a pause in one run)."""
    times, per_repeat, counts = [], [], collections.Counter()
    for i in range(repeats):
        context = setup(i)
        TOTALS.clear()
        COUNTS.clear()
        RUNS.clear()
        action(context, i)
        times.append(sum(RUNS))
        per_repeat.append(dict(TOTALS))
        counts.update(COUNTS)
    medians = {name: statistics.median(r.get(name, 0.0) for r in per_repeat) for name in counts}
    print(
        f"== {label}: script time median {statistics.median(times) * 1e3:.1f} ms (n={repeats}); median ms per action:"
    )
    for name, seconds in sorted(medians.items(), key=lambda kv: -kv[1])[:60]:
        if seconds * 1e3 >= 0.2:
            print(f"   {seconds * 1e3:8.1f} ms  {counts[name] / repeats:5.1f}×  {name}")


def app(page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()  # a session starts on the landing page (the overview)
    if page:
        at.switch_page(page).run()
    return at


SIMULATOR = "pages/at/simulator.py"


def main() -> None:
    what = set(sys.argv[1:]) or {"rerun", "first", "tabs", "save"}
    warm = app(SIMULATOR)  # every module imported and the store open before anything is timed
    warm.switch_page("pages/data/import_export.py").run()
    _install()
    empty = AppTest.from_string(bench_pages.EMPTY)
    empty.run()
    measure("empty page: rerun", lambda i: None, lambda c, i: empty.run(), 15)
    if "rerun" in what:
        from bench.bench_floors import edit_cell

        sim = app(SIMULATOR)
        sim.button(key="blk_example").click().run()

        def edit(context: Any, i: int) -> None:
            sim.text_input(key="steg10").set_value(str(12_000_000 + 100_000 * (i + 1)))
            sim.run()

        measure("simulator: rerun after a staircase edit", lambda i: None, edit, 15)
        measure("simulator: rerun after a table edit", lambda i: None, lambda c, i: edit_cell(sim, 300 + i), 15)
    if "first" in what:
        hello = "import streamlit as st\nst.title('Hej')\n"
        measure("hello world: first run of a session", lambda i: AppTest.from_string(hello), lambda a, i: a.run(), 7)
        measure(
            "overview: first run of a session",
            lambda i: AppTest.from_file(str(ROOT / "app.py"), default_timeout=120),
            lambda a, i: a.run(),
            7,
        )
        for label, page in (("simulator", SIMULATOR), ("data page", "pages/data/import_export.py")):
            measure(
                f"{label}: first run of the page in a session",
                lambda i: app(),
                lambda a, i, p=page: a.switch_page(p).run(),
                7,
            )
    if "tabs" in what:
        for tab in ("Trappan", "Pottens fördelning", "Per invånare", "Karta", "Jämför scenarier"):

            def click(at: AppTest, i: int, tab: str = tab) -> None:
                at.session_state["vy"] = tab
                at.run()

            measure(f"simulator: first click on the tab {tab}", lambda i: app(SIMULATOR), click, 5)
    if "save" in what:
        sim = app(SIMULATOR)
        sim.text_input(key="actor_name").input("Bänk Mätare").run()

        def save(context: Any, i: int) -> None:
            sim.text_input(key="scenario_name").input(f"Profil {time.time_ns()}")
            next(b for b in sim.button if b.label == "Spara scenario").click()
            sim.run()

        measure("simulator: save a scenario (one run: the button's callback saves)", lambda i: None, save, 5)
        measure("simulator: rerun, nothing changed", lambda i: None, lambda c, i: sim.run(), 5)


if __name__ == "__main__":
    main()
