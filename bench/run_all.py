"""The one benchmark command (``make bench``): every performance figure with its target and ratio.

Not a test: figures depend on the machine, so page and browser figures are also given as ratios to a
baseline measured in the same run (an empty Streamlit page, a hello-world page).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import (
    bench_blocks,
    bench_browser,
    bench_documents,
    bench_engine,
    bench_floors,
    bench_hostile,
    bench_pages,
    bench_postgres,
)


def main() -> None:
    rows: list[tuple[str, str, str, str]] = []
    for name, seconds, target in bench_engine.measure():
        rows.append((name, f"{seconds * 1e3:.3f} ms", f"≤ {target * 1e3:g} ms", f"{seconds / target:.2f}"))
    for name, seconds, ratio in bench_pages.measure():
        target = "" if ratio == 1.0 or name.startswith("app frame") else "≤ 10 × empty"
        if name.startswith("region preview"):
            target = "≤ 1 s"
            rows.append((f"AppTest: {name}", f"{seconds * 1e3:.1f} ms", target, f"{seconds:.2f}"))
            continue
        rows.append((f"AppTest: {name}", f"{seconds * 1e3:.1f} ms", target, f"{ratio:.1f} × empty"))
    # Issue 14's targets: a page's first full render ≤ 1.5 × the hello-world page's (same run); cold start
    # ≤ 5 s; the first click on a chart tab and saving a scenario ≤ 1 s each.
    targets = {
        "cold start": ("≤ 5 s", 5.0),
        "simulator: first click": ("≤ 1 s", 1.0),
        "simulator: save": ("≤ 1 s", 1.0),
        "simulator: first edit": ("≤ 1 s", 1.0),  # issue 25: the first table edit in a fresh session
        **{f"{name}: first full": ("≤ 1.5 × hello world", None) for name, _, _ in bench_browser.PAGES},
        "server RSS, 20": ("≤ 1024 MB", 1024.0),
    }
    notes = []
    for name, value, unit, note in bench_browser.measure():
        target, limit = next((t for key, t in targets.items() if name.startswith(key)), ("", None))
        if limit is None:  # the note is the ratio to the hello-world page
            rows.append((f"Chromium: {name}", f"{value:.2f} {unit}", target, note))
            continue
        rows.append((f"Chromium: {name}", f"{value:.2f} {unit}", target, f"{value / limit:.2f}"))
        if note:
            notes.append(f"Chromium: {name}: {note}")
    bench_hostile.print_table(("figure", "value", "target", "ratio"), rows)
    for note in notes:
        print(f"  {note}")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"  load average (1, 5, 15 min) at the end of these figures: {load} ({os.cpu_count()} cores)")
    print()
    # Rounds of blocks (the illustrative two- and three-block test rounds) beside AT 2023, same run.
    bench_hostile.print_table(("figure, rounds of blocks", "value", "target", "ratio"), bench_blocks.measure())
    print()
    # Issue 24: every page's first full render against its floor (bench/floors/: the same elements, static data,
    # no project code), interleaved; the simulator's rerun after a table edit for each round shape.
    bench_floors.print_tables(bench_floors.measure())
    print()
    header = ("hostile file refused", "time, peak memory", "outcome", bench_hostile.HEADER_RATIO)
    bench_hostile.print_table(header, bench_hostile.measure())
    print()
    # Issue 15: deciding a round and its 21 letters as PDF ≤ 5 s; the documents alone.
    documents = [(n, f"{s:.3f} s", f"≤ {t:g} s", f"{s / t:.2f}") for n, s, t in bench_documents.measure()]
    bench_hostile.print_table(("decision and documents", "value", "target", "ratio"), documents)
    print()
    # Issue 16: the store on PostgreSQL beside DuckDB, same run (a throwaway cluster on the disk, fsync on).
    postgres = [(n, f"{v:.2f}" if v < 100 else f"{v:.0f}", unit, "") for n, v, unit in bench_postgres.measure()]
    bench_hostile.print_table(("PostgreSQL and DuckDB", "value", "unit", ""), postgres)


if __name__ == "__main__":
    main()
