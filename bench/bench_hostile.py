"""Benchmark (not a test): how fast, and in how much memory, hostile files are refused (issue 12).

Rules files too (``tests/hostile_rules.py``, issue 23): a dotted key of 20 000 parts, a header of 100 000,
21 000 milestones, 9 000 blocks, arrays and inline tables nested deep, a 5 000-digit integer, a 1 MB file;
each through the rules reader (time, tracemalloc peak) and ``python -m store add-round`` (time, peak RSS).

The spreadsheets are built here (nothing large is kept in git): a 50 MB CSV, two zip bombs of 1 GB inflated
(in a media part, and in the sheet's own XML), a 200 000-row XLSX, a 6 000-row XLSX under the byte
limit, and a row claiming number 10^12. Each goes through both command lines (wall time and the peak
RSS of that process) and through the dashboard's upload in headless Chromium (time to the refusal on
screen; the server's peak-RSS growth, VmHWM).

.venv/bin/python bench/bench_hostile.py [--root OTHER_CHECKOUT] [--no-browser]

``--root`` runs the command lines of another checkout (e.g. a ``git worktree`` of an older commit) on
the same files, for before/after figures; a run that exceeds 300 s is stopped and reported as such.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import hostile_files as h  # noqa: E402
from tests import hostile_rules  # noqa: E402

TARGET_SECONDS = 2.0
TARGET_MB = 300.0

# Runs one command and prints its wall time and peak RSS (this wrapper's only child is the command).
_WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
try:
    done = subprocess.run(sys.argv[2:], cwd=sys.argv[1], capture_output=True, text=True, timeout=300)
    status, err = done.returncode, done.stderr
except subprocess.TimeoutExpired:
    status, err = "timeout", ""
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "mb": peak, "status": status, "stderr": err[-300:]}))
"""


def build(folder: Path) -> list[tuple[str, Path]]:
    files = [
        ("50 MB CSV", "giant.csv", lambda: h.giant_csv(50 * 1024 * 1024)),
        ("zip bomb, 1 GB inflated", "bomb.xlsx", lambda: h.zip_bomb(1 << 30)),
        ("sheet XML bomb, 1 GB inflated", "sheet-bomb.xlsx", lambda: h.sheet_bomb(1 << 30)),
        ("200 000-row XLSX", "rows-200000.xlsx", lambda: h.many_rows_xlsx(200_000)),
        ("6 000-row XLSX (under the byte limit)", "rows-6000.xlsx", lambda: h.many_rows_xlsx(6_000)),
        ("row number 10^12", "far-row.xlsx", lambda: h.far_row_xlsx(10**12)),
        ("valid 9-region file (baseline)", "valid.xlsx", lambda: h.xlsx(h.report_rows())),
    ]
    built = []
    for label, name, make in files:
        path = folder / name
        path.write_bytes(make())
        built.append((f"{label} [{path.stat().st_size / 1e6:.1f} MB]", path))
    return built


def run_cli(root: Path, db: Path, args: list[str]) -> dict[str, object]:
    env = os.environ | {"STATSBIDRAG_DB": str(db)}
    out = subprocess.run(
        [sys.executable, "-c", _WRAPPER, str(root), sys.executable, *args],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return json.loads(out.stdout)


def measure_cli(root: Path, files: list[tuple[str, Path]], folder: Path) -> list[tuple[str, str, str, str]]:
    db = folder / "cli.duckdb"
    subprocess.run([sys.executable, "-m", "store", "--db", str(db), "init"], cwd=root, capture_output=True, check=True)
    rows = []
    for label, path in files:
        for command, args in (
            ("allocate", ["-m", "cli", "allocate", "--round", "at-2023", "--outcomes", str(path)]),
            ("import --dry-run", ["-m", "store", "--db", str(db), "import-reports", str(path), "--round", "at-2023",
                                  "--actor", "bench", "--reason", "bench", "--dry-run"]),
        ):  # fmt: skip
            result = run_cli(root, db, args)
            seconds, mb = float(result["seconds"]), float(result["mb"])  # type: ignore[arg-type]
            status = result["status"]
            verdict = f"exit {status}" if status != "timeout" else "stopped after 300 s"
            rows.append((f"CLI {command}: {label}", f"{seconds:.2f} s, {mb:.0f} MB", verdict,
                         f"{seconds / TARGET_SECONDS:.2f} / {mb / TARGET_MB:.2f}"))  # fmt: skip
    return rows


def measure_app(files: list[tuple[str, Path]], folder: Path) -> list[tuple[str, str, str, str]]:
    from playwright.sync_api import expect, sync_playwright

    from bench.bench_browser import rss_mb, start, wait_healthy
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, IDLE

    env = os.environ | {"STATSBIDRAG_DB": str(folder / "app.duckdb")}
    subprocess.run([sys.executable, "-m", "store", "init"], cwd=ROOT, env=env, capture_output=True, check=True)
    app, url = start(ROOT / "app.py", env, ROOT)
    rows = []
    try:
        wait_healthy(url)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for label, path in files:
                page = browser.new_page()
                page.goto(f"{url}/data?flik=Importera+AT-rapporter")
                page.wait_for_selector(IDLE, timeout=60_000)
                uploader = page.locator("[data-testid='stFileUploader']").first
                uploader.wait_for()
                before = rss_mb(app.pid, "VmHWM")
                start_time = time.perf_counter()
                uploader.locator("input[type='file']").set_input_files(
                    str(path)
                )  # a path: Playwright caps buffers at 50 MB
                outcome = page.locator("[data-testid='stAlert']").filter(has_text=path.name)
                too_big = uploader.get_by_text("MB or smaller")
                expect(outcome.or_(too_big).first).to_be_visible(timeout=300_000)
                seconds = time.perf_counter() - start_time
                grown = rss_mb(app.pid, "VmHWM") - before
                shown = (
                    "refused in the browser" if too_big.count() else outcome.first.inner_text()[:60].replace("\n", " ")
                )
                rows.append((f"app upload: {label}", f"{seconds:.2f} s, +{grown:.0f} MB peak", shown,
                             f"{seconds / TARGET_SECONDS:.2f} / {grown / TARGET_MB:.2f}"))  # fmt: skip
                page.close()
            browser.close()
    finally:
        app.terminate()
        app.wait(timeout=20)
    return rows


def _ratio(seconds: float, mb: float) -> str:
    return f"{seconds / TARGET_SECONDS:.2f} / {mb / TARGET_MB:.2f}"


def measure_rules(root: Path, folder: Path) -> list[tuple[str, str, str, str]]:
    """Each rules-file attack (issue 23) read by the rules reader in this process (time, tracemalloc peak) and
    saved with ``python -m store add-round`` (wall time, the process's peak RSS)."""
    import tracemalloc

    from allocation.block_fields import RulesError
    from allocation.toml_bounds import load_rules

    db = folder / "rules.duckdb"
    subprocess.run([sys.executable, "-m", "store", "--db", str(db), "init"], cwd=root, capture_output=True, check=True)
    rows = []
    for label, make in hostile_rules.ATTACKS.items():
        text = make()
        path = folder / "rules.toml"
        path.write_text(text, encoding="utf-8")
        size = f"{label} [{len(text.encode()) / 1e3:.0f} kB]"
        if root == ROOT:
            tracemalloc.start()
            start = time.perf_counter()
            try:
                load_rules(text)
                outcome = "accepted"
            except RulesError as exc:
                outcome = exc.problems[0].log_text()[:60]
            seconds = time.perf_counter() - start
            mb = tracemalloc.get_traced_memory()[1] / 1e6
            tracemalloc.stop()
            rows.append((f"rules reader: {size}", f"{seconds:.3f} s, {mb:.1f} MB", outcome, _ratio(seconds, mb)))
        args = ["-m", "store", "--db", str(db), "add-round", str(path), "--actor", "bench", "--reason", "bench"]
        result = run_cli(root, db, args)
        seconds, mb = float(result["seconds"]), float(result["mb"])  # type: ignore[arg-type]
        status = result["status"]
        said = str(result["stderr"]).strip().splitlines()
        verdict = (
            "stopped after 300 s" if status == "timeout" else f"exit {status}" + (f": {said[-1][-60:]}" if said else "")
        )
        rows.append((f"CLI add-round: {size}", f"{seconds:.2f} s, {mb:.0f} MB", verdict, _ratio(seconds, mb)))
    return rows


def measure(root: Path = ROOT, browser: bool = True) -> list[tuple[str, str, str, str]]:
    folder = Path(tempfile.mkdtemp())
    files = build(folder)
    rows = measure_cli(root, files, folder)
    rows += measure_rules(root, folder)
    if browser:
        rows += measure_app([f for f in files if "baseline" not in f[0]], folder)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--rules-only", action="store_true", help="only the rules-file attacks")
    args = parser.parse_args()
    if args.rules_only:
        rows = measure_rules(args.root.resolve(), Path(tempfile.mkdtemp()))
    else:
        rows = measure(args.root.resolve(), not args.no_browser)
    print_table(("figure", "time, peak memory", "outcome", HEADER_RATIO), rows)


HEADER_RATIO = f"ratio to ≤ {TARGET_SECONDS:g} s / ≤ {TARGET_MB:g} MB"


def print_table(header: tuple[str, ...], rows: list[tuple[str, str, str, str]]) -> None:
    """Columns padded to their widest cell (also used by run_all.py)."""
    widths = [max(len(r[i]) for r in [*rows, header]) for i in range(len(header))]
    print("  ".join(c.ljust(w) for c, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
