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

from allocation.at import RegionInput, allocate
from allocation.batch import allocate_batch
from allocation.block_convert import from_at_round, recipients_from_regions
from allocation.preview import Setting, Uncertain, simulate
from allocation.report_values import Report
from ingest.data_folder import load_regions, load_round


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
    at_round = load_round("at-2023")
    rng = np.random.default_rng(2023)
    planned = np.array([float(at_round.planned_value(r.code)) for r in at_round.regions])
    # A realistic round: every region reports, most around plan, some several positions above.
    deltas = rng.integers(-2, 14, size=21)
    inputs = [
        RegionInput(r.code, int(p + d), int(p + d) - 1)
        for r, p, d in zip(at_round.regions, planned, deltas, strict=True)
    ]
    outcome = np.maximum(planned + rng.integers(-3, 15, size=(100_000, 21)), 0)

    exact_median = timed(lambda: allocate(at_round, inputs), repeats=30, number=50)
    allocate_batch(at_round, outcome)  # warm-up
    batch_median = timed(lambda: allocate_batch(at_round, outcome), repeats=15)

    setting = Setting.of(from_at_round(at_round), recipients_from_regions(load_regions()))
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
