"""Benchmark (not a test): the store on PostgreSQL vs DuckDB, and the load test's writes per second.

Starts its own throwaway PostgreSQL cluster (tests/postgres.py), on the disk and with every commit flushed as in
production (and as DuckDB flushes its file's write-ahead log), and measures, in one run:
- the simulator's rerun after a staircase edit (AppTest, as bench/bench_pages.py measures it) on DuckDB and on
  PostgreSQL (``STATSBIDRAG_DATABASE_URL``), and on PostgreSQL after another process's write, when the run's
  ``sync()`` drops the whole read cache;
- one recorded write (``record_report``: the checks, one transaction with its audit entry; on PostgreSQL also
  the advisory lock and the shared counter) on both engines;
- the load test's writes per second (tests/test_pg_load.py: two writer processes of 10 threads each and the
  command line, one process killed with SIGKILL halfway; ``STATSBIDRAG_LOAD_SECONDS``, default 10).

    .venv/bin/python bench/bench_postgres.py
"""

from __future__ import annotations

import itertools
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("STATSBIDRAG_DB", str(Path(tempfile.mkdtemp()) / "bench.duckdb"))

from streamlit.testing.v1 import AppTest  # noqa: E402

from bench.bench_pages import timed_reruns  # noqa: E402  (also puts back the server's steady state in AppTest)
from tests import postgres  # noqa: E402
from tests.postgres import SUPERUSER, throwaway_cluster, with_database  # noqa: E402

URL_ENV = "STATSBIDRAG_DATABASE_URL"
RERUNS = int(os.environ.get("BENCH_RERUNS", "25"))
WRITES = int(os.environ.get("BENCH_WRITES", "200"))
_names = itertools.count(1)


@contextmanager
def fresh_database(cluster_url: str) -> Iterator[str]:
    """An empty database of its own on the cluster (as the tests' ``pg_url``), dropped afterwards."""
    with postgres.fresh_database(cluster_url, f"bench_{next(_names)}") as url:
        yield url


def durable(cluster_url: str) -> None:
    """The server as in production: every commit flushed to the disk (the tests' cluster trades that for speed),
    as DuckDB flushes its write-ahead log on every commit."""
    import psycopg

    with psycopg.connect(with_database(cluster_url, "postgres", user=SUPERUSER), autocommit=True) as admin:
        for setting in ("fsync", "synchronous_commit", "full_page_writes"):
            admin.execute(f"ALTER SYSTEM SET {setting} = on")
        admin.execute("SELECT pg_reload_conf()")


def _edit_step(at: AppTest, i: int) -> None:  # a what-if edit: the 10-step's amount (as bench_pages)
    at.number_input(key="steg10").set_value(12_000_000 + 100_000 * (i + 1))


def simulator_reruns(url: str | None, writer_url: str | None = None) -> list[float]:
    """Reruns of the simulator after a staircase edit; the store is ``url`` (None: the DuckDB file).

    With ``writer_url``, another store (another instance, as far as the app's store can tell) records a report
    before each rerun: that run's ``sync()`` drops the app's read cache, and the run reads everything again.
    """
    from allocation.report_values import Report
    from store.model import Actor
    from store.service import Store

    if url is None:
        os.environ.pop(URL_ENV, None)
    else:
        os.environ[URL_ENV] = url
    try:
        simulator = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        simulator.run()
        simulator.switch_page("pages/at/simulator.py").run()
        simulator.button(key="fill_example").click().run()
        assert not simulator.exception, simulator.exception
        if writer_url is None:
            return timed_reruns(simulator, _edit_step, RERUNS)
        other = Store.open(writer_url)

        def write_then_edit(at: AppTest, i: int) -> None:
            report = Report("21", {"filled": Fraction(i + 1), "started": Fraction(0)}, date.today())
            other.reports.record_report(Actor("annan instans"), "bänk", "at-2023", report)
            _edit_step(at, i)

        try:
            return timed_reruns(simulator, write_then_edit, RERUNS)
        finally:
            other.close()
    finally:
        os.environ.pop(URL_ENV, None)


def recorded_writes(target: Path | str) -> list[float]:
    """``record_report`` one after another, each with new figures (so each writes)."""
    from allocation.report_values import Report
    from store.model import Actor
    from store.service import Store

    store = Store.open(target)
    round_ = store.rounds.block_round("at-2023")
    codes = [r.code for r in store.rounds.regions(round_.population_date)]
    times = []
    try:
        for i in range(WRITES):
            report = Report(
                codes[i % len(codes)], {"filled": Fraction(1000 + i), "started": Fraction(0)}, date(2023, 11, 1)
            )
            start = time.perf_counter()
            store.reports.record_report(Actor("bänk"), "bänk", "at-2023", report)
            times.append(time.perf_counter() - start)
    finally:
        store.close()
    return times


def measure() -> list[tuple[str, float, str]]:
    from tests.test_pg_load import SECONDS, THREADS, problems_after, run_load

    rows: list[tuple[str, float, str]] = []
    # On the disk, not in /dev/shm (where a flush costs nothing), as the DuckDB file is.
    with throwaway_cluster(Path(tempfile.gettempdir())) as cluster:
        durable(cluster)
        simulator_reruns(None)  # warm-up: modules, the scripts' bytecode, the first AppTest's start
        duck = statistics.median(simulator_reruns(None)) * 1e3
        with fresh_database(cluster) as url:
            pg = statistics.median(simulator_reruns(url)) * 1e3
            pg_cold = statistics.median(simulator_reruns(url, writer_url=url)) * 1e3
        rows += [
            ("simulator rerun after a staircase edit, DuckDB", duck, "ms (median)"),
            ("simulator rerun after a staircase edit, PostgreSQL", pg, "ms (median)"),
            ("simulator rerun, PostgreSQL ÷ DuckDB", pg / duck, "×"),
            ("simulator rerun, PostgreSQL, after another instance's write", pg_cold, "ms (median; cache dropped)"),
        ]

        with tempfile.TemporaryDirectory() as folder:
            duck_write = statistics.median(recorded_writes(Path(folder) / "writes.duckdb")) * 1e3
        with fresh_database(cluster) as url:
            pg_write = statistics.median(recorded_writes(url)) * 1e3
        rows += [
            ("recorded write (record_report), DuckDB", duck_write, "ms (median)"),
            ("recorded write (record_report), PostgreSQL", pg_write, "ms (median)"),
            ("recorded write, PostgreSQL ÷ DuckDB", pg_write / duck_write, "×"),
        ]

        with fresh_database(cluster) as url, tempfile.TemporaryDirectory() as folder:
            result = run_load(url, Path(folder), SECONDS, kill=True)
            problems = problems_after(url, result)
        note = (
            f"writes/s ({2 * THREADS} threads in 2 processes + the command line, {result.seconds:.1f} s, one "
            f"process killed halfway; {result.acknowledged} writes, {len(result.of('refused'))} refused above the "
            f"maximum, {len(problems)} problems)"
        )
        rows.append(("load test: acknowledged writes per second", result.writes_per_second, note))
    return rows


def main() -> None:
    rows = measure()
    width = max(len(name) for name, _, _ in rows)
    for name, value, unit in rows:
        print(f"{name:<{width}} {value:>10.1f} {unit}")


if __name__ == "__main__":
    main()
