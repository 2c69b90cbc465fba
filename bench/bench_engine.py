"""Benchmark of the allocation engine (not a test): prints each figure with its target.

make bench      # or: .venv/bin/python bench/bench_engine.py
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from allocation.block_batch import allocate_round_batch
from allocation.block_convert import recipients_from_regions
from allocation.block_engine import allocate_round
from allocation.preview import Setting, Uncertain, simulate
from allocation.report_values import Report
from ingest.data_folder import load_block_round, load_regions


def timed(fn: Callable[[], object], repeats: int, number: int = 1) -> float:
    """Median seconds per call over ``repeats`` runs of ``number`` calls."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - start) / number)
    return statistics.median(times)


def measure() -> list[tuple[str, float, float]]:
    """(figure, median seconds, target seconds)."""
    round_ = load_block_round("at-2023")
    people = recipients_from_regions(load_regions())
    rng = np.random.default_rng(2023)
    planned = np.array([float(round_.planned.get(r.code, 0)) for r in people])
    # A realistic round: every region reports, most around plan, some several positions above.
    deltas = rng.integers(-2, 14, size=len(people))
    filled = {r.code: int(p + d) for r, p, d in zip(people, planned, deltas, strict=True)}
    reports = {"filled": filled, "started": {c: n - 1 for c, n in filled.items()}}
    outcome = np.maximum(planned + rng.integers(-3, 15, size=(100_000, len(people))), 0)
    batch = {"filled": outcome, "started": np.maximum(outcome - 1, 0)}

    exact_median = timed(lambda: allocate_round(round_, people, reports), repeats=30, number=50)
    allocate_round_batch(round_, people, batch)  # warm-up
    batch_median = timed(lambda: allocate_round_batch(round_, people, batch), repeats=15)

    setting = Setting.of(round_, people)
    own = Report("09", {"filled": 19, "started": 18})
    preview_10k = timed(lambda: simulate(setting, own, Uncertain(), n=10_000), repeats=7)
    preview_100k = timed(lambda: simulate(setting, own, Uncertain(), n=100_000), repeats=5)
    return [
        ("engine: one exact allocation (21 regions)", exact_median, 2e-3),
        ("engine: batch, 100 000 scenarios × 21 regions", batch_median, 0.1),
        ("region preview: 10 000 simulated rounds + curve", preview_10k, 1.0),
        ("region preview: 100 000 simulated rounds + curve", preview_100k, 1.0),
    ]


def main() -> None:
    print(f"{'figure':<48} {'median':>10} {'target':>10} {'median/target':>14}")
    for name, median, target in measure():
        print(f"{name:<48} {median * 1e3:>8.3f}ms {target * 1e3:>8.1f}ms {median / target:>14.2f}")


if __name__ == "__main__":
    main()
