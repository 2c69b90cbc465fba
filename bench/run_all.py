"""The one benchmark command (``make bench``): every performance figure with its target and ratio.

Not a test: figures depend on the machine, so page and browser figures are also given as ratios to a
baseline measured in the same run (an empty Streamlit page, a hello-world page).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import bench_blocks, bench_browser, bench_engine, bench_hostile, bench_pages


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
    targets = {
        "cold start": ("≤ 15 s", 15.0),
        "simulator": ("≤ 3 × hello world", None),
        "overview": ("≤ 3 × hello world", None),
        "data page": ("≤ 3 × hello world", None),
        "server RSS, 20": ("≤ 1024 MB", 1024.0),
    }
    for name, value, unit, note in bench_browser.measure():
        target, limit = next((t for key, t in targets.items() if name.startswith(key)), ("", None))
        ratio = note if limit is None else f"{value / limit:.2f}"
        rows.append((f"Chromium: {name}", f"{value:.2f} {unit}", target, ratio))
    bench_hostile.print_table(("figure", "value", "target", "ratio"), rows)
    print()
    # Rounds of blocks (the illustrative two- and three-block test rounds) beside AT 2023, same run.
    bench_hostile.print_table(("figure, rounds of blocks", "value", "target", "ratio"), bench_blocks.measure())
    print()
    header = ("hostile file refused", "time, peak memory", "outcome", bench_hostile.HEADER_RATIO)
    bench_hostile.print_table(header, bench_hostile.measure())


if __name__ == "__main__":
    main()
