"""Several people at once: 20 threads sharing one Store, and a second process meeting the lock."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

from allocation.block_engine import allocate_round
from store.model import Actor
from store.service import Store
from tests.report_helpers import positions
from tests.scenario_helpers import at_what_if

ROOT = Path(__file__).resolve().parents[1]
THREADS = 20
SECONDS = float(os.environ.get("STORE_STRESS_SECONDS", "3"))


def test_twenty_threads_mixed_reads_and_writes_lose_nothing(store_target: Path | str) -> None:
    store = Store.open(store_target)
    codes = [r.code for r in store.rounds.recipients("at-2023")]
    what_if = at_what_if(store, "at-2023", reports=[positions("09", 20, 19)])
    audit_before = store.audit.audit_count()
    report_writes: list[tuple[str, int]] = []
    scenario_writes: list[str] = []
    reads = [0]
    errors: list[BaseException] = []
    lock = threading.Lock()
    start_line = threading.Barrier(THREADS)
    deadline = [0.0]

    def worker(number: int) -> None:
        actor = Actor(f"handläggare {number}")
        start_line.wait()
        i = 0
        try:
            while time.monotonic() < deadline[0]:
                op = (number + i) % 4
                if op == 0:  # many threads write the same regions: unique values, so every write changes
                    code = codes[(number + i) % len(codes)]
                    value = number * 1_000_000 + i
                    store.reports.record_report(
                        actor, "stress", "at-2023", positions(code, value, 0, received=date(2023, 11, 1))
                    )
                    with lock:
                        report_writes.append((code, value))
                elif op == 1:
                    name = f"t{number}-{i}"
                    store.scenarios.save_what_if(actor, "stress", name, "at-2023", what_if)
                    with lock:
                        scenario_writes.append(name)
                elif op == 2:
                    round_ = store.rounds.block_round("at-2023")
                    allocate_round(round_, store.rounds.recipients("at-2023"), store.reports.report_values("at-2023"))
                    with lock:
                        reads[0] += 1
                else:
                    store.audit.audit_count()
                    store.scenarios.scenarios()
                    with lock:
                        reads[0] += 1
                i += 1
        except BaseException as exc:  # collected and asserted below
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    deadline[0] = time.monotonic() + SECONDS + 0.5
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    writes = len(report_writes) + len(scenario_writes)

    assert errors == []
    assert writes > 50
    assert store.audit.audit_count() - audit_before == writes  # one audit entry per write
    assert {s.name for s in store.scenarios.scenarios()} == set(scenario_writes)  # no lost scenario
    audited = store.frame(
        "SELECT entity_key, after FROM audit_log WHERE entity = 'at_reports' AND id > ? ORDER BY id",
        [audit_before],
    )
    audited_values = [
        (key.split("/")[1], json.loads(after)["filled"]) for key, after in audited.itertuples(index=False)
    ]
    assert sorted(audited_values) == sorted(report_writes)  # every report write is in the log
    last = {code: value for code, value in audited_values}
    assert {
        r.code: r.value("filled") for r in store.reports.reports("at-2023")
    } == last  # the table holds the last write per region
    store.close()
    print(
        f"\nconcurrency: {THREADS} threads, {elapsed:.1f} s, {writes} writes ({writes / elapsed:.0f}/s), "
        f"{reads[0]} reads ({reads[0] / elapsed:.0f}/s), errors: {len(errors)}"
    )


HOLD = """
import sys, time
from pathlib import Path
from store.service import Store
store = Store.open(Path(sys.argv[1]))
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
store.close()
"""


def test_a_second_process_gets_a_clear_message_and_the_file_stays_intact(isolated_database: Path) -> None:
    store = Store.open(isolated_database)
    store.reports.record_report(Actor("Anna"), "före", "at-2023", positions("09", 19, 18, received=date(2023, 10, 30)))
    entries = store.audit.audit_count()
    store.close()

    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(isolated_database), "30"], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        cli = subprocess.run(
            [sys.executable, "-m", "store", "--db", str(isolated_database), "scenarios"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        holder.terminate()
        holder.wait(timeout=30)
    assert cli.returncode == 3
    assert cli.stdout == ""
    assert "Traceback" not in cli.stderr
    assert "open in another program" in cli.stderr and "dashboard" in cli.stderr

    reopened = Store.open(isolated_database)  # the holder was killed mid-session: the file is intact
    assert reopened.audit.audit_count() == entries
    assert reopened.reports.reports("at-2023") == [positions("09", 19, 18, received=date(2023, 10, 30))]
    reopened.close()
