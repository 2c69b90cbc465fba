"""Benchmark (not a test): the benchmark table's figures for rounds of blocks, beside AT 2023's in the same run.

The rounds: AT 2024 (illustrative, two blocks: a share paid on reporting whose unpaid part flows into a
staircase) and AT 2022 (illustrative, three blocks: an eligibility rule on the national average, two
proportional blocks and a staircase whose leftover flows back), both from tests/rounds/. For each, as
for AT 2023 in ``bench_engine.py`` and ``bench_pages.py``:

- one exact allocation (``allocation.block_engine.allocate_round``): target ≤ 2 ms;
- a batch of 100 000 scenarios × 21 regions (``allocation.block_batch.allocate_round_batch``): median time beside a
  numpy floor of the same work measured interleaved with it (``bench/engine_floor.py``: the sort and elementwise
  work of the same array, some of its passes writing into new arrays as large as the results the engine hands back;
  target ≤ 2 × floor), the same ratio in CPU time (a shared machine's load stretches the clock time of both,
  unevenly), the ratio to the floor without new result arrays, and the peak of memory allocated during one call
  (``tracemalloc``, which numpy reports its arrays to), over the scenarios' inputs already in memory;
- cost grows with the work: one staircase block with 290 made-up kommun-sized recipients beside 21
  (``bench/engine_floor.py``): one exact allocation, and 10 000 simulated rounds; target ≤ 20 × each;
- the simulator's rerun after a what-if pot edit in AppTest, in the server's steady state (as
  ``bench_pages.py``), with the round chosen in the sidebar from a copy of data/ holding its rules file;
  a round the simulator cannot show gets a row saying why instead of a figure.

AT 2023 runs through the block engine as the one-block round the store reads it as, which separates what
the engine costs from what the extra blocks cost. Figures only, no assertions: the machine is noisy.

.venv/bin/python bench/bench_blocks.py [--no-pages]
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal, overload

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from allocation.block_batch import allocate_round_batch  # noqa: E402
from allocation.block_engine import allocate_round  # noqa: E402
from allocation.blocks import Round  # noqa: E402
from allocation.method_params import ReportedShareParams, StaircaseParams  # noqa: E402
from bench.bench_engine import timed  # noqa: E402
from bench.bench_hostile import print_table  # noqa: E402
from bench.engine_floor import floor, floor_work, kommun_recipients  # noqa: E402
from ingest.data_folder import load_block_round  # noqa: E402
from store.paths import DATA_ENV, PATH_ENV  # noqa: E402
from tests.block_helpers import load_test_round, one_block_round, recipients  # noqa: E402

SCENARIOS = 100_000
TWO_BLOCKS = "at-2024-illustrative"
THREE_BLOCKS = "at-2022-illustrative"
LABELS = {
    "at-2023": "AT 2023",
    TWO_BLOCKS: "AT 2024 illustr., 2 blocks",
    THREE_BLOCKS: "AT 2022 illustr., 3 blocks",
}
BASELINE = "at-2023"
# The targets of the benchmark table (README, "Speed", and issue 24); a batch's memory has none.
EXACT_TARGET = 2e-3
FLOOR_TARGET = 2.0  # batch ≤ 2 × its numpy floor
SCALE_TARGET = 20.0  # 290 recipients ≤ 20 × 21
KOMMUNER = 290
SCALE_SCENARIOS = 10_000
RERUN_TARGET = 10.0  # × an empty page's rerun


@dataclass(frozen=True)
class Figure:
    quantity: str  # "exact", "batch", "memory", "rerun", "scale-exact", "scale-batch"
    round_id: str
    value: float  # seconds, or MB for "memory"
    note: str = ""  # why there is no value
    floor: float | None = None  # a batch's numpy floor (seconds), or the 21-recipient time of a scale figure
    bare: float | None = None  # a batch's floor without writing its results into new arrays (seconds)
    cpu_ratio: float | None = None  # a batch's CPU time over its floor's


def peak_mb(fn: Callable[[], object]) -> float:
    """The peak of memory allocated while ``fn`` runs, above what was allocated before it (MB)."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        fn()
        return (tracemalloc.get_traced_memory()[1] - before) / 2**20
    finally:
        tracemalloc.stop()


def _report_by(round_: Round) -> date:
    return next(b.params.by for b in round_.blocks if isinstance(b.params, ReportedShareParams))


def measure_engine() -> list[Figure]:
    """Exact time, batch time and batch peak memory for AT 2023 and the two rounds of blocks, same outcomes."""
    as_block = load_block_round(BASELINE)
    people = recipients()
    codes = [r.code for r in people]
    # The same draws as bench_engine.py: every region reports, most around plan, some several above.
    rng = np.random.default_rng(2023)
    planned = np.array([float(as_block.planned.get(c, 0)) for c in codes])
    deltas = rng.integers(-2, 14, size=len(codes))
    filled = {c: int(p + d) for c, p, d in zip(codes, planned, deltas, strict=True)}
    reports = {"filled": filled, "started": {c: n - 1 for c, n in filled.items()}, "excluded": {}}
    outcome = np.maximum(planned + rng.integers(-3, 15, size=(SCENARIOS, len(codes))), 0)
    started = np.maximum(outcome - 1, 0)

    two = load_test_round(TWO_BLOCKS)
    by = _report_by(two)
    # Most report on the last day that counts; three report late and two not at all: block 1 pays them
    # nothing and its unpaid part flows into block 2.
    on_time = {c: by - timedelta(days=i % 20) for i, c in enumerate(codes[:-5])}
    late = {c: by + timedelta(days=3) for c in codes[-5:-2]}
    events = {"at_report": on_time | late}

    three = load_test_round(THREE_BLOCKS)
    # AT 2022 takes positions (for the national average) and the expansion during the year as given.
    positions_1 = {c: int(p + d) for c, p, d in zip(codes, planned, deltas, strict=True)}
    expansion_1 = {c: max(0, int(d)) for c, d in zip(codes, deltas, strict=True)}
    expansion = np.maximum(outcome - planned, 0)

    exact: dict[str, Callable[[], object]] = {
        BASELINE: lambda: allocate_round(as_block, people, reports),
        TWO_BLOCKS: lambda: allocate_round(two, people, reports, events),
        THREE_BLOCKS: lambda: allocate_round(three, people, {"positions": positions_1, "expansion": expansion_1}),
    }
    batch: dict[str, Callable[[], object]] = {
        BASELINE: lambda: allocate_round_batch(as_block, people, {"filled": outcome, "started": started}),
        TWO_BLOCKS: lambda: allocate_round_batch(two, people, {"filled": outcome, "started": started}, events),
        THREE_BLOCKS: lambda: allocate_round_batch(three, people, {"positions": outcome, "expansion": expansion}),
    }
    # The block engine keeps one result array per block and the totals when there are several blocks.
    work = {BASELINE: floor_work(as_block)}
    work |= {TWO_BLOCKS: floor_work(two), THREE_BLOCKS: floor_work(three)}
    figures = []
    for round_id, fn in exact.items():
        fn()  # warm-up
        figures.append(Figure("exact", round_id, timed(fn, repeats=30, number=50)))
    for round_id, fn in batch.items():
        w = work[round_id]
        (seconds, floor_seconds, bare), cpu = interleaved(
            fn, lambda w=w: floor(outcome, w), lambda w=w: floor(outcome, w, results=False), repeats=15, cpu=True
        )
        figures.append(Figure("batch", round_id, seconds, w.describe(), floor_seconds, bare, cpu[0] / cpu[1]))
    figures += [Figure("memory", round_id, peak_mb(fn)) for round_id, fn in batch.items()]
    return figures + measure_scale()


@overload
def interleaved(*fns: Callable[[], object], repeats: int) -> tuple[float, ...]: ...


@overload
def interleaved(
    *fns: Callable[[], object], repeats: int, cpu: Literal[True]
) -> tuple[tuple[float, ...], tuple[float, ...]]: ...


def interleaved(*fns: Callable[[], object], repeats: int, cpu: bool = False) -> Any:
    """Median seconds of each of ``fns``, each run once in turn ``repeats`` times (after a warm-up); with
    ``cpu`` also the median CPU seconds of this process (on a shared machine another job's load stretches
    the clock time, not the CPU time a call takes)."""
    for f in fns:
        f()
    times: list[list[float]] = [[] for _ in fns]
    cpus: list[list[float]] = [[] for _ in fns]
    for _ in range(repeats):
        for i, f in enumerate(fns):
            start, start_cpu = time.perf_counter(), time.process_time()
            f()
            times[i].append(time.perf_counter() - start)
            cpus[i].append(time.process_time() - start_cpu)
    wall = tuple(statistics.median(t) for t in times)
    return (wall, tuple(statistics.median(t) for t in cpus)) if cpu else wall


def measure_scale() -> list[Figure]:
    """One staircase block (AT 2023's steps and key) among 21 and among 290 kommun-sized recipients:
    one exact allocation and 10 000 simulated rounds each, every recipient around its plan."""
    steps = next(b.params for b in load_block_round(BASELINE).blocks if isinstance(b.params, StaircaseParams)).steps
    figures, base = [], {}
    for n in (21, KOMMUNER):
        one, below, many = _kommun_round(n, steps)
        for quantity, fn, repeats, number in (
            ("scale-exact", one, 15, 5),
            ("scale-exact-below", below, 15, 5),
            ("scale-batch", many, 7, 1),
        ):
            fn()
            seconds = timed(fn, repeats=repeats, number=number)
            if n == 21:
                base[quantity] = seconds
            else:
                figures.append(Figure(quantity, f"{n}", seconds, floor=base[quantity]))
    return figures


def _kommun_round(n: int, steps: tuple) -> tuple[Callable[[], object], Callable[[], object], Callable[[], object]]:
    """One exact allocation (the pot above the steps, and below them: every step scaled, the next step's
    worth an apportionment per recipient) and a batch of simulated rounds of a one-block staircase among
    ``n`` recipients."""
    people, planned = kommun_recipients(n)
    codes = [r.code for r in people]
    rng = np.random.default_rng(n)
    filled = {c: max(0, int(p + d)) for c, p, d in zip(codes, planned, rng.integers(-2, 14, size=n), strict=True)}
    round_ = one_block_round("staircase_leftover", StaircaseParams(steps), pot=254_000_000 * n // 21)
    values = {"planned": dict(zip(codes, planned.tolist(), strict=True)), "filled": filled, "started": filled}
    simulated = np.maximum(planned + rng.integers(-3, 15, size=(SCALE_SCENARIOS, n)), 0).astype(np.float64)
    batch_values = {"planned": planned.astype(np.float64), "filled": simulated}
    below = {"only": 1_000_000 * n}  # below Σ steps: some 2 000 000 kr per recipient on a step
    return (
        lambda: allocate_round(round_, people, values),
        lambda: allocate_round(round_, people, values, pots=below),
        lambda: allocate_round_batch(round_, people, batch_values),
    )


def rows(figures: list[Figure]) -> list[tuple[str, str, str, str]]:
    """(figure, value, target, ratio): each figure's ratio to its target and to AT 2023's figure."""
    base = {f.quantity: f.value for f in figures if f.round_id == BASELINE}
    empty = next((f.value for f in figures if f.quantity == "empty"), None)
    scenarios = f"{SCENARIOS:,}".replace(",", " ")
    what = {
        "exact": ("one exact allocation (21 regions)", f"≤ {EXACT_TARGET * 1e3:g} ms"),
        "batch": (f"batch, {scenarios} scenarios × 21 regions", f"≤ {FLOOR_TARGET:g} × floor"),
        "memory": (f"batch, {scenarios} scenarios: peak memory", ""),
        "rerun": ("simulator: rerun after a pot edit", f"≤ {RERUN_TARGET:g} × empty"),
    }
    out = []
    for f in figures:
        if f.quantity == "empty":
            out.append(("AppTest: empty Streamlit page: rerun", f"{f.value * 1e3:.1f} ms", "", "baseline"))
            continue
        if f.quantity.startswith("scale-"):
            out.append(_scale_row(f))
            continue
        name, target = what[f.quantity]
        if f.note and f.quantity != "batch":
            out.append((f"AppTest: {name}: {LABELS[f.round_id]}", "—", target, f.note))
            continue
        prefix = "AppTest: " if f.quantity == "rerun" else "engine: "
        value = f"{f.value:.1f} MB" if f.quantity == "memory" else f"{f.value * 1e3:.3f} ms"
        parts = []
        if f.quantity == "exact":
            parts.append(f"{f.value / EXACT_TARGET:.2f} of target")
        elif f.quantity == "batch" and f.floor:
            parts.append(f"{f.value / f.floor:.2f} × floor {f.floor * 1e3:.1f} ms ({f.note})")
            if f.cpu_ratio:
                parts.append(f"CPU time {f.cpu_ratio:.2f} × floor's")
            if f.bare:
                parts.append(f"{f.value / f.bare:.2f} × the floor without new result arrays {f.bare * 1e3:.1f} ms")
        elif f.quantity == "rerun":
            value = f"{f.value * 1e3:.1f} ms"
            if empty:
                parts.append(f"{f.value / empty:.1f} × empty")
        if f.round_id == BASELINE:
            parts.append("baseline")
        elif f.quantity in base and f.quantity != "batch":
            parts.append(f"{f.value / base[f.quantity]:.2f} × AT 2023")
        out.append((f"{prefix}{name}: {LABELS[f.round_id]}", value, target, ", ".join(parts)))
    return out


def _scale_row(f: Figure) -> tuple[str, str, str, str]:
    scenarios = f"{SCALE_SCENARIOS:,}".replace(",", " ")
    what = {
        "scale-exact": "one exact allocation",
        "scale-exact-below": "one exact allocation, pot below the steps",
        "scale-batch": f"batch of {scenarios} scenarios",
    }[f.quantity]
    base = f.floor or float("nan")
    ratio = f"{f.value / base:.1f} × ({base * 1e3:.3f} ms with 21)"
    return (f"engine: staircase block, {what}, {f.round_id} recipients", f"{f.value * 1e3:.3f} ms", "≤ 20 × 21", ratio)


@contextmanager
def _app_with(round_id: str, folder: Path) -> Iterator[None]:
    """The app on a copy of data/ with the test round's rules file in its rounds/, and a database of its own
    (a new path, so no store cached in this process by another benchmark is reused); env put back after."""
    target = folder / round_id
    shutil.copytree(ROOT / "data", target / "data")
    shutil.copy(ROOT / "tests" / "rounds" / f"{round_id}.toml", target / "data" / "rounds" / f"{round_id}.toml")
    saved = {k: os.environ.get(k) for k in (DATA_ENV, PATH_ENV)}
    os.environ[DATA_ENV] = str(target / "data")
    os.environ[PATH_ENV] = str(target / "bench.duckdb")
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def measure_pages(repeats: int = 25) -> list[Figure]:
    """AppTest reruns of the simulator after a what-if pot edit, in the server's steady state (as
    bench_pages.py): an empty page and AT 2023 (on the data with the two-block round), then each round of
    blocks, everyone at plan + 3 ("blk_plan_k"), its last block's pot edited (the block others flow into)."""
    from streamlit.testing.v1 import AppTest

    from bench import bench_pages  # its import puts back the server's steady state in AppTest

    def simulator(round_id: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.session_state["omgang"] = round_id
        at.run()
        at.switch_page("pages/at/simulator.py").run()
        return at

    def change_pot(at: AppTest, i: int) -> None:  # as bench_pages.py: the seed's other pot
        at.radio(key="pot").set_value("bakgrund" if i % 2 == 0 else "bidragets_storlek")

    # Streamlit redacts an app's exception (showErrorDetails = "none") and logs it: keep its message.
    errors = _LastError()
    logging.getLogger("streamlit.error_util").addHandler(errors)
    folder = Path(tempfile.mkdtemp(prefix="bench-blocks-"))
    figures = []
    try:
        for round_id in (TWO_BLOCKS, THREE_BLOCKS):
            with _app_with(round_id, folder):
                if round_id == TWO_BLOCKS:
                    empty = AppTest.from_string(bench_pages.EMPTY, default_timeout=60)
                    empty.run()
                    times = bench_pages.timed_reruns(empty, lambda at, i: None, repeats)
                    figures.append(Figure("empty", "", statistics.median(times)))
                    at_2023 = simulator(BASELINE)
                    at_2023.button(key="fill_example").click().run()
                    times = bench_pages.timed_reruns(at_2023, change_pot, repeats)
                    figures.append(Figure("rerun", BASELINE, statistics.median(times)))
                at = simulator(round_id)
                if not at.exception:
                    at.button(key="blk_plan_k").click().run()
                if at.exception or at.error:
                    why = errors.message if at.exception else at.error[0].value
                    figures.append(Figure("rerun", round_id, float("nan"), f"the simulator fails: {why.split(';')[0]}"))
                    continue
                last = load_test_round(round_id).blocks[-1]
                key, pot = f"blk_pot_{round_id}_{last.id}", last.pot.amount

                def edit_pot(at: AppTest, i: int, key: str = key, pot: int = pot) -> None:
                    at.text_input(key=key).input(str(pot + 1_000_000 * (i % 2 + 1)))  # typed, as in ui/money_input

                times = bench_pages.timed_reruns(at, edit_pot, repeats)
                figures.append(Figure("rerun", round_id, statistics.median(times)))
    finally:
        logging.getLogger("streamlit.error_util").removeHandler(errors)
        shutil.rmtree(folder, ignore_errors=True)
    return figures


class _LastError(logging.Handler):
    """The message of the last exception logged (an app's uncaught exception)."""

    message = ""

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            self.message = f"{type(record.exc_info[1]).__name__}: {record.exc_info[1]}"


def measure(pages: bool = True) -> list[tuple[str, str, str, str]]:
    figures = measure_engine()
    if pages:
        figures += measure_pages()
    return rows(figures)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-pages", action="store_true", help="only the engine's figures")
    args = parser.parse_args()
    print_table(("figure", "value", "target", "ratio"), measure(pages=not args.no_pages))


if __name__ == "__main__":
    main()
