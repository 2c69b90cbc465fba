"""Load on PostgreSQL with real processes, as two dashboard instances and the command line meet in production.

Two writer processes (each one ``Store`` on the same database, ``THREADS`` threads each, like two dashboard
instances with their sessions) record AT reports, requisitions and scenarios for ``SECONDS``; several writers
of both processes hammer the same few regions near their maximum, so the above-maximum check races across
processes, and all of them record the same requisitions (as two instances recording one requisition at once). A
third process (the command line, or the same import through the Python API while the command line takes no URL)
imports report and requisition files meanwhile. Halfway, one writer process is killed with
SIGKILL and a replacement started, as an orchestrator restarts a crashed instance.

Each writer logs every acknowledged write to its own file, one JSON line flushed right after the call returned
(the commit): what the killed process acknowledged is known to be committed. Then:

- no unexpected error in any process (a refused above-maximum requisition is expected, and counted);
- no lost write: every acknowledged write is in its table and in the audit log (matched by a unique reference,
  name or value); the reports table holds, per region, the value of its last audit entry;
- the same requisition recorded by many writers is in the table once, and only one writer was told it wrote it;
- no region's requisition total above its maximum, and every refusal was right (the final total plus the
  refused amount is above the maximum);
- the killed process's acknowledged writes are all there, and the surviving process wrote on without errors;
- a store of this process, with reads cached before the load, sees every other process's write after ``sync()``.

The duration is ``STATSBIDRAG_LOAD_SECONDS`` (default 10). CI may be busy: nothing here asserts on speed; the
writes per second are printed (and reported by bench/bench_postgres.py, which calls ``run_load``).

Run as ``python -m tests.test_pg_load writer URL NAME SECONDS ACKFILE`` this module is one writer process.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, TextIO

from allocation.report_values import engine_values
from tests.report_helpers import positions
from tests.scenario_helpers import at_what_if

ROOT = Path(__file__).resolve().parents[1]
SECONDS = float(os.environ.get("STATSBIDRAG_LOAD_SECONDS", "10"))
THREADS = 10
AT_ROUND = "at-2023"
FIXED_ROUND = "elderly-2023"
HOT = ("09", "10", "23")  # Gotland, Blekinge, Jämtland: every writer requisitions from these near their maximum
SAME = ("01", 500)  # Stockholm, 500 kr: the requisition every writer records (reference "same-N")
SAME_PREFIX = "same-"
OMBUD_APPROVED = date(2023, 1, 16)
RECEIVED = date(2023, 6, 1)
REFUSED_ABOVE_MAXIMUM = "may requisition at most"


# --- one writer process ------------------------------------------------------------------------------------


class AckLog:
    """One JSON line per event, written and flushed at once (under a lock: the threads share the file)."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._lock = threading.Lock()

    def __call__(self, **event: Any) -> None:
        line = json.dumps(event | {"t": time.time()}, ensure_ascii=False)
        with self._lock:
            self._out.write(line + "\n")
            self._out.flush()


def _writer_thread(store: Any, name: str, number: int, deadline: float, log: AckLog) -> None:
    from allocation.fixed import Requisition
    from store.model import Actor, WriteRefused

    actor = Actor(f"{name}-{number}")
    codes = [r.code for r in store.rounds.recipients(AT_ROUND)]
    quiet = [c for c in codes if c not in HOT]
    maxima = {code: amount for code, (amount, _, _) in store.rounds.fixed_amounts(FIXED_ROUND).items()}
    plan = at_what_if(store, AT_ROUND)
    rng = random.Random(f"{name}-{number}")
    i = 0
    while time.monotonic() < deadline:
        tag = f"{name}-{number}-{i}"
        op = (number + i) % 4
        try:
            if op == 0:  # every thread writes every region now and then: unique values, so each write changes
                code = codes[rng.randrange(len(codes))]
                value = rng.randrange(1, 10**9)
                store.reports.record_report(actor, tag, AT_ROUND, positions(code, value, 0, received=RECEIVED))
                log(kind="report", code=code, value=value, tag=tag)
            elif op in (1, 2):
                if op == 1:  # the hot regions: amounts from 0.5 % to 5 % of the maximum, racing to its top
                    code = HOT[rng.randrange(len(HOT))]
                    item = Requisition(code, RECEIVED, rng.randint(maxima[code] // 200, maxima[code] // 20), tag)
                elif (i // 4) % 2:  # the same requisition, recorded by every thread of every process: written once
                    item = Requisition(SAME[0], RECEIVED, SAME[1], f"{SAME_PREFIX}{i // 4}")
                else:
                    item = Requisition(quiet[rng.randrange(len(quiet))], RECEIVED, rng.randint(1, 1000), tag)
                event = {"code": item.code, "amount": item.amount, "tag": item.reference}
                try:
                    written = store.followup.record_requisition(actor, tag, FIXED_ROUND, item)
                except WriteRefused as exc:
                    log(kind="refused", **event, message=str(exc))
                else:
                    if written:
                        log(kind="requisition", **event)
                    elif item.reference.startswith(SAME_PREFIX):
                        log(kind="already", **event)
                    else:
                        log(kind="error", op="requisition", tag=tag, error="a new requisition was not written")
            else:
                one = positions(codes[rng.randrange(len(codes))], rng.randrange(40), rng.randrange(40))
                what_if = replace(plan, values=engine_values([one]))
                store.scenarios.save_what_if(actor, tag, f"scenario {tag}", AT_ROUND, what_if)
                log(kind="scenario", name=f"scenario {tag}", tag=tag)
        except BaseException as exc:  # every unexpected error is counted by the test
            log(kind="error", op=op, tag=tag, error=repr(exc), traceback=traceback.format_exc())
        i += 1


def writer_main(url: str, name: str, seconds: float, ack_file: str) -> int:
    """One dashboard-like process: a store, ``THREADS`` writers; "ready" on stdout, then waits for a line."""
    from store.service import Store

    store = Store.open(url)
    with open(ack_file, "a", encoding="utf-8") as out:
        log = AckLog(out)
        print("ready", flush=True)
        go = sys.stdin.readline().split()  # the start line: every process begins together ("go [SECONDS]")
        deadline = time.monotonic() + (float(go[1]) if len(go) > 1 else seconds)
        log(kind="start")
        threads = [
            threading.Thread(target=_writer_thread, args=(store, name, n, deadline, log)) for n in range(THREADS)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        log(kind="end")
    store.close()
    return 0


# --- the command line (a third process) ---------------------------------------------------------------------

# The command line's import through the Python API, for as long as ``python -m store --db`` takes no URL.
_IMPORT_SNIPPET = """
import sys
from pathlib import Path
from allocation.problems import InputError
from store.model import Actor, WriteRefused
from store.service import Store
from present.problems import lines_en
url, command, file, round_id = sys.argv[1:5]
store = Store.open(url)
data = Path(file).read_bytes()
try:
    if command == "import-reports":
        result = store.reports.import_reports(Actor("kommandorad"), "import", round_id, data, Path(file).name, RECEIVED)
    else:
        result = store.followup.import_requisitions(Actor("kommandorad"), "import", round_id, data, Path(file).name)
except InputError as exc:
    for line in lines_en(exc):
        print(f"error: {file}: {line}", file=sys.stderr)
    sys.exit(2)
except WriteRefused as exc:
    print(f"error: {exc}", file=sys.stderr)
    sys.exit(2)
print(f"{file}: {result.rows} rows; changed {result.changed}; unchanged {result.unchanged}")
"""


@cache
def cli_takes_url(url: str) -> bool:
    """Whether ``python -m store --db URL`` takes a PostgreSQL URL (read from its parser: running an older command
    line with a URL would make a DuckDB file of that name)."""
    from store.cli import build_parser

    return build_parser().parse_args(["--db", url, "scenarios"]).db == url


def import_command(url: str, command: str, file: Path, round_id: str) -> list[str]:
    """``python -m store --db URL import-… FILE`` when the command line takes a URL, else the same import in a
    process of its own through the Python API (same exit status 2 and ``error:`` lines for a refused file)."""
    if cli_takes_url(url):
        return [
            sys.executable,
            "-m",
            "store",
            "--db",
            url,
            command,
            str(file),
            "--round",
            round_id,
            "--actor",
            "kommandorad",
            "--reason",
            "import",
        ]
    return [sys.executable, "-c", _IMPORT_SNIPPET, url, command, str(file), round_id]


def _cli_loop(url: str, folder: Path, deadline: float, log: AckLog) -> None:
    """Imports one after another until the deadline: two regions' reports, then one hot-region requisition."""
    from store.service import Store

    rng = random.Random("cli")
    store = Store.open(url)
    maxima = {code: amount for code, (amount, _, _) in store.rounds.fixed_amounts(FIXED_ROUND).items()}
    names = {r.code: r.name for r in store.rounds.regions(store.rounds.latest_population_date())}
    store.close()
    i = 0
    while time.monotonic() < deadline:
        tag = f"cli-{i}"
        file = folder / f"{tag}.csv"
        try:
            if i % 2 == 0:
                values = {code: rng.randrange(1, 100_000) for code in ("08", "20")}  # a file's limit
                rows = "".join(f"{names[c]};{v};0;2023-06-01\n" for c, v in values.items())
                file.write_text("region;filled;started;received\n" + rows, encoding="utf-8")
                done = subprocess.run(
                    import_command(url, "import-reports", file, AT_ROUND), cwd=ROOT, capture_output=True, text=True
                )
                if done.returncode == 0:
                    for code, value in values.items():
                        log(kind="report", code=code, value=value, tag=tag)
                else:
                    log(kind="error", op="cli", tag=tag, error=done.stderr)
            else:
                code = HOT[rng.randrange(len(HOT))]
                amount = rng.randint(maxima[code] // 200, maxima[code] // 20)
                file.write_text(
                    f"region;received;amount;reference\n{names[code]};{RECEIVED};{amount};{tag}\n", encoding="utf-8"
                )
                done = subprocess.run(
                    import_command(url, "import-requisitions", file, FIXED_ROUND),
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                )
                if done.returncode == 0:
                    log(kind="requisition", code=code, amount=amount, tag=tag)
                elif done.returncode == 2 and REFUSED_ABOVE_MAXIMUM in done.stderr:
                    log(kind="refused", code=code, amount=amount, tag=tag, message=done.stderr)
                else:
                    log(kind="error", op="cli", tag=tag, error=f"exit {done.returncode}: {done.stderr}")
        except BaseException as exc:
            log(kind="error", op="cli", tag=tag, error=repr(exc), traceback=traceback.format_exc())
        i += 1


# --- the load, and what it left behind ---------------------------------------------------------------------


@dataclass
class LoadResult:
    seconds: float  # from the start line to the last writer's end
    events: dict[str, list[dict[str, Any]]]  # per writer (process name, or "cli"): its acknowledgement lines
    killed: str | None
    killed_at: float | None  # time.time() of the SIGKILL
    processes: dict[str, int] = field(default_factory=dict)  # exit status per writer process

    def of(self, kind: str, writers: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
        return [
            e
            for w, events in self.events.items()
            if writers is None or w in writers
            for e in events
            if e["kind"] == kind
        ]

    @property
    def acknowledged(self) -> int:
        return sum(len(self.of(kind)) for kind in ("report", "requisition", "scenario"))

    @property
    def writes_per_second(self) -> float:
        return self.acknowledged / self.seconds


def prepare(url: str) -> None:
    """Migrate and seed the database and approve an ombud for every region (requisitions need one)."""
    from store.model import Actor
    from store.service import Store

    store = Store.open(url)
    for region in store.rounds.regions(store.rounds.latest_population_date()):
        store.followup.record_ombud(Actor("förberedelse"), "ombud för lasttest", region.code, OMBUD_APPROVED)
    store.close()


def _read_events(path: Path) -> list[dict[str, Any]]:
    """The acknowledgement lines; a last line cut short by SIGKILL (no newline) was never acknowledged."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    lines = text.split("\n")
    return [json.loads(line) for line in lines[:-1] if line]


def _start_writer(url: str, name: str, seconds: float, ack: Path) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.test_pg_load", "writer", url, name, str(seconds), str(ack)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    assert line == "ready", f"writer {name} did not start: {line!r}"
    return process


def _go(process: subprocess.Popen[str], seconds: float | None = None) -> None:
    assert process.stdin is not None
    process.stdin.write("go\n" if seconds is None else f"go {seconds}\n")
    process.stdin.flush()
    process.stdin.close()


def run_load(url: str, folder: Path, seconds: float = SECONDS, kill: bool = True) -> LoadResult:
    """Two writer processes and the command line on ``url`` for ``seconds``; with ``kill``, the first writer is
    killed with SIGKILL halfway and a replacement started for the rest of the time."""
    prepare(url)
    folder.mkdir(parents=True, exist_ok=True)
    acks = {name: folder / f"{name}.jsonl" for name in ("a", "b", "a2", "cli")}
    a = _start_writer(url, "a", seconds, acks["a"])
    b = _start_writer(url, "b", seconds, acks["b"])
    started = time.monotonic()
    for process in (a, b):
        _go(process)
    deadline = started + seconds
    with open(acks["cli"], "a", encoding="utf-8") as out:
        cli = threading.Thread(target=_cli_loop, args=(url, folder, deadline, AckLog(out)))
        cli.start()
        processes = {"a": a, "b": b}
        killed_at = None
        if kill:
            time.sleep(seconds / 2)  # not an assertion: only where in the run the kill falls
            a.send_signal(signal.SIGKILL)
            killed_at = time.time()
            a.wait()
            if deadline - time.monotonic() > 2:  # an orchestrator restarts the instance: it opens the store
                a2 = _start_writer(url, "a2", seconds, acks["a2"])  # while the others write
                _go(a2, max(deadline - time.monotonic(), 0.0))  # and writes until the others' end
                processes["a2"] = a2
        for process in processes.values():
            process.wait()
        elapsed = time.monotonic() - started
        cli.join()
    return LoadResult(
        seconds=elapsed,
        events={name: _read_events(path) for name, path in acks.items()},
        killed="a" if kill else None,
        killed_at=killed_at,
        processes={name: p.returncode for name, p in processes.items()},
    )


def _json(value: Any) -> Any:
    """A json column read with plain psycopg: already parsed (the store reads it as text)."""
    return json.loads(value) if isinstance(value, str) else value


def problems_after(url: str, result: LoadResult) -> list[str]:
    """Everything the database says against the acknowledgements (an empty list: nothing lost or wrong)."""
    import psycopg

    problems: list[str] = []
    with psycopg.connect(url) as con:
        requisitions = {
            ref: (code, int(amount))
            for ref, code, amount in con.execute(
                "SELECT reference, code, amount FROM requisitions WHERE round_id = %s", [FIXED_ROUND]
            )
        }
        audited_requisitions = {
            _json(after)["reference"]
            for (after,) in con.execute(
                "SELECT after FROM audit_log WHERE entity = 'requisitions' AND action = 'insert'"
            )
        }
        scenarios = {name for (name,) in con.execute("SELECT name FROM scenarios")}
        audited_scenarios = {
            key for (key,) in con.execute("SELECT entity_key FROM audit_log WHERE entity = 'scenarios'")
        }
        report_audit = [
            (key.split("/")[1], _json(after)["filled"])
            for key, after in con.execute(
                "SELECT entity_key, after FROM audit_log WHERE entity = 'at_reports' AND entity_key LIKE %s "
                "ORDER BY id",
                [f"{AT_ROUND}/%"],
            )
        ]
        reports = dict(con.execute("SELECT code, filled FROM at_reports WHERE round_id = %s", [AT_ROUND]).fetchall())
        maxima = dict(
            con.execute("SELECT code, amount FROM fixed_amounts WHERE round_id = %s", [FIXED_ROUND]).fetchall()
        )
        same = dict(
            con.execute(
                "SELECT reference, count(*) FROM requisitions WHERE reference LIKE %s GROUP BY reference",
                [f"{SAME_PREFIX}%"],
            )
        )
        unaudited = con.execute(
            "SELECT count(*) FROM requisitions q WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = "
            "'requisitions' AND a.entity_key = q.round_id || '/' || q.code || '/' || q.id)"
        ).fetchone()[0]

    for event in result.of("error"):
        problems.append(f"unexpected error: {event}")
    for name, status in result.processes.items():
        if name != result.killed and status != 0:
            problems.append(f"writer {name} exited with {status}")
    for event in result.of("requisition"):
        if requisitions.get(event["tag"]) != (event["code"], event["amount"]):
            problems.append(f"acknowledged requisition not in the table: {event}")
        if event["tag"] not in audited_requisitions:
            problems.append(f"acknowledged requisition not in the audit log: {event}")
    attempted = {e["tag"] for kind in ("requisition", "already") for e in result.of(kind)}
    for tag in sorted(t for t in attempted if t.startswith(SAME_PREFIX)):
        rows, acknowledged = same.get(tag, 0), sum(e["tag"] == tag for e in result.of("requisition"))
        if rows != 1 or acknowledged > 1:
            problems.append(f"the same requisition {tag}: {rows} rows, {acknowledged} writers told it was written")
    if unaudited:
        problems.append(f"{unaudited} requisitions without their audit entry")
    for event in result.of("scenario"):
        if event["name"] not in scenarios:
            problems.append(f"acknowledged scenario not in the table: {event}")
        if event["name"] not in audited_scenarios:
            problems.append(f"acknowledged scenario not in the audit log: {event}")
    audited_reports = set(report_audit)
    for event in result.of("report"):
        if (event["code"], event["value"]) not in audited_reports:
            problems.append(f"acknowledged report not in the audit log: {event}")
    last = dict(report_audit)  # per region, the value of its newest audit entry
    if reports != last:
        problems.append(f"the reports table differs from the newest audit entry per region: {reports} vs {last}")
    totals: dict[str, int] = {}
    for code, amount in requisitions.values():
        totals[code] = totals.get(code, 0) + amount
    for code, total in sorted(totals.items()):
        if total > int(maxima[code]):
            problems.append(f"region {code}: requisitioned {total} > maximum {maxima[code]}")
    for event in result.of("refused"):
        if REFUSED_ABOVE_MAXIMUM not in event["message"]:
            problems.append(f"refused for another reason than the maximum: {event}")
        elif totals.get(event["code"], 0) + event["amount"] <= int(maxima[event["code"]]):
            problems.append(f"refused although it fits under the maximum: {event}")
    return problems


# --- the test ----------------------------------------------------------------------------------------------


def test_two_processes_and_the_command_line_lose_nothing_and_survive_a_kill(pg_url: str, tmp_path: Path) -> None:
    from store.model import Actor
    from store.service import Store

    prepare(pg_url)
    watcher = Store.open(pg_url)  # a third instance that only reads: its cache is warm before the load
    watcher.reports.record_report(
        Actor("förberedelse"), "före lasten", AT_ROUND, positions("01", 1, 1, received=RECEIVED)
    )
    before_reports = watcher.reports.reports(AT_ROUND)
    before_amounts = watcher.rounds.fixed_amounts(FIXED_ROUND)

    result = run_load(pg_url, tmp_path / "load", SECONDS, kill=True)

    problems = problems_after(pg_url, result)
    assert problems == [], "\n".join(problems[:30])
    killed = result.events["a"]
    assert any(e["kind"] == "start" for e in killed) and not any(e["kind"] == "end" for e in killed)
    assert sum(e["kind"] in ("report", "requisition", "scenario") for e in killed) > 0  # it wrote before dying
    survivor = result.events["b"]
    assert result.killed_at is not None
    after_kill = [
        e for e in survivor if e["kind"] in ("report", "requisition", "scenario") and e["t"] > result.killed_at
    ]
    assert after_kill, "the surviving process wrote nothing after the kill"
    assert any(e["kind"] == "end" for e in survivor)
    assert result.of("requisition", ("cli",)) or result.of("refused", ("cli",)) or result.of("report", ("cli",))
    refused = len(result.of("refused"))
    assert refused > 0  # the hot regions reached their maximum: the race at the top did happen

    watcher.sync()  # as every dashboard run does: the other processes' writes are seen
    import psycopg

    with psycopg.connect(pg_url) as con:
        table = dict(con.execute("SELECT code, filled FROM at_reports WHERE round_id = %s", [AT_ROUND]).fetchall())
    assert {r.code: r.value("filled") for r in watcher.reports.reports(AT_ROUND)} == table
    assert watcher.reports.reports(AT_ROUND) != before_reports
    assert watcher.rounds.fixed_amounts(FIXED_ROUND) == before_amounts
    watcher.close()

    counts = {kind: len(result.of(kind)) for kind in ("report", "requisition", "scenario", "refused", "already")}
    print(
        f"\npg load: {THREADS} threads × 2 processes + {'the CLI' if cli_takes_url(pg_url) else 'an import process'}, "
        f"{result.seconds:.1f} s, {result.acknowledged} acknowledged writes ({result.writes_per_second:.0f}/s): "
        f"{counts}; writer a killed with SIGKILL after {sum(e['kind'] != 'start' for e in killed)} events"
    )


def test_the_official_table_check_sees_a_requisition_recorded_meanwhile_by_another_instance(pg_url: str) -> None:
    """Importing the official table refuses amounts below what a region has requisitioned. Instance B records
    Gotland's requisition after A's import has read the requisitions and before it writes: the check must be
    decided inside A's locked transaction, as the requisition check is, or Gotland ends above its maximum."""
    import pytest

    from allocation.fixed import Requisition
    from allocation.problems import InputError
    from store.model import Actor, WriteRefused
    from store.service import Store

    prepare(pg_url)
    a, b = Store.open(pg_url), Store.open(pg_url)
    official = {code: amount for code, (amount, _, _) in a.rounds.fixed_amounts(FIXED_ROUND).items()}
    official["09"] -= 100_000  # Gotland lower than the estimate, Kalmar higher: the total stays the same
    official["08"] += 100_000
    names = {r.code: r.name for r in a.rounds.regions(a.rounds.latest_population_date())}
    table = "region;amount\n" + "".join(f"{names[code]};{amount}\n" for code, amount in official.items())
    late = Requisition("09", RECEIVED, official["09"] + 1, "RK-late")  # fits the estimate, not the official table
    opened = a.transaction

    def transaction_after_b_wrote(actor, reason):  # type: ignore[no-untyped-def]
        b.followup.record_requisition(Actor("instans B"), "rekvisition", FIXED_ROUND, late)
        return opened(actor, reason)

    a.transaction = transaction_after_b_wrote  # type: ignore[method-assign]
    with pytest.raises((InputError, WriteRefused)):
        a.followup.import_official_amounts(
            Actor("instans A"), "officiell tabell", FIXED_ROUND, table.encode(), "bilaga1.csv", "S"
        )
    maximum = a.rounds.fixed_amounts(FIXED_ROUND)["09"][0]
    requisitioned = sum(r.amount for r in a.followup.requisitions(FIXED_ROUND) if r.code == "09")
    a.close()
    b.close()
    assert requisitioned <= maximum


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "writer":
        sys.exit(writer_main(sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5]))
    print("usage: python -m tests.test_pg_load writer URL NAME SECONDS ACKFILE", file=sys.stderr)
    sys.exit(2)
