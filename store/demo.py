"""Example data: fictitious reports, requisitions, ombud, payouts and usage reports for every round the
store holds, so that every view shows what it is for on a fresh start (``python -m store demo``, ``make demo``
or the dashboard's first-start offer).

- **Made from the rules, never from a round id** (the plan: ``store.demo_plan``). Each milestone a region
  must act on (``region_action``) names its ``event``, and that event's records are made around the
  milestone's dates: ``at_report`` → AT reports (outcomes against the round's planned table), ``requisition``
  → requisitions within each region's maximum (``fixed_amounts``), the ombud they need and the payouts that
  follow them, ``usage_report`` → reports on the use of the funds. A round whose milestones name none of
  these gets nothing.
- **A realistic mix, the same every time.** Drawn with a fixed seed per round and event (a new round does
  not change the others' records, and screenshots stay stable): some regions act on time, some late, some
  never; some requisition in full, in two parts, partly, late or not at all (a late requisition is not
  paid); some AT regions stay below plan, some exceed it by 1 to 14 positions. Money is whole kronor and a
  region's requisitions never exceed its maximum.
- **Never mixed with real records.** Loading is refused while the store holds any real report,
  requisition, ombud, payout or usage report. Every example row is marked (``example = TRUE``; its source
  or reference says "Exempeldata – fiktiva uppgifter"), ``example_data`` names the rounds that hold it, and
  every audit entry's reason says so.
- **One audited transaction** to load (every row with the audit entry the service writes for it, and a
  summary entry) and one to remove, which deletes exactly the marked rows. A marked report, usage report
  or ombud that staff have since recorded again with their own figures is real: it is kept and unmarked.
- **Idempotent.** Loading into a store that holds example data writes nothing; remove it first to make it
  again (e.g. to include a round added since).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, replace
from datetime import datetime

from store.core import Tx
from store.demo_plan import SEED, Plan, make_plan, plan_problems
from store.model import Actor, WriteRefused
from store.service import Store

MARK = "Exempeldata – fiktiva uppgifter"
# The tables that hold example rows, in the order they are written (an ombud before its requisitions).
TABLES = ("at_reports", "ombud", "requisitions", "payouts", "usage_reports")
TABLES_EN = {
    "at_reports": "reports",
    "ombud": "ombud",
    "requisitions": "requisitions",
    "payouts": "payouts",
    "usage_reports": "usage reports",
}
TABLES_SV = {
    "at_reports": "rapporter",
    "ombud": "ombud",
    "requisitions": "rekvisitioner",
    "payouts": "utbetalningar",
    "usage_reports": "återrapporter",
}

# --- what the store holds -----------------------------------------------------------------------------


def _counts(store: Store, where: str) -> dict[str, int]:
    return {t: int(store.query(f"SELECT count(*) FROM {t} WHERE {where}")[0][0]) for t in TABLES}


def real_counts(store: Store) -> dict[str, int]:
    """Real (unmarked) rows per table of the follow-up."""
    return _counts(store, "NOT example")


def example_counts(store: Store) -> dict[str, int]:
    """Example rows per table of the follow-up."""
    return _counts(store, "example")


def example_rounds(store: Store) -> dict[str, tuple[datetime, str]]:
    """The rounds that hold example data: (loaded at, by whom). Empty: the store holds none."""

    def compute() -> dict[str, tuple[datetime, str]]:
        rows = store.query("SELECT round_id, loaded_at, actor FROM example_data ORDER BY round_id")
        return {round_id: (loaded_at, actor) for round_id, loaded_at, actor in rows}

    return dict(store.cached(("example_rounds",), compute))


def is_empty(store: Store) -> bool:
    """No report, requisition, ombud, payout or usage report at all (real or example)."""

    def compute() -> bool:
        return not any(_counts(store, "TRUE").values())

    return bool(store.cached(("example_empty",), compute))


def declined(store: Store) -> bool:
    """Staff said no to the first-start offer of example data (audited)."""

    def compute() -> bool:
        rows = store.query("SELECT count(*) FROM audit_log WHERE entity = 'example_data' AND action = 'decline'")
        return bool(rows[0][0])

    return bool(store.cached(("example_declined",), compute))


def describe(counts: dict[str, int], names: dict[str, str] = TABLES_EN) -> str:
    return ", ".join(f"{counts.get(t, 0)} {names[t]}" for t in TABLES)


# --- writing ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Loaded:
    written: bool  # False: the store held example data already, nothing was written
    rounds: tuple[str, ...]
    counts: dict[str, int]
    seconds: float


@dataclass(frozen=True, slots=True)
class Removed:
    counts: dict[str, int]  # example rows deleted, per table
    kept: dict[str, int]  # rows staff had since recorded as real: kept, no longer marked
    rounds: tuple[str, ...]
    seconds: float


def beside_dashboard_en(path: object, locked: str, remove: bool) -> str:
    """What to do when ``demo`` finds the database open in the running dashboard (DuckDB: one writer per file).

    ``locked``: the store's own message (it names the process holding the file, when known)."""
    pid = re.search(r"\(process (\d+)\)", locked)
    holder = f" (process {pid.group(1)})" if pid else ""
    if remove:
        there = (
            'in the dashboard, as staff: "Ta bort exempeldata" under the banner "Exempeldata – fiktiva uppgifter" '
            "at the top of any page"
        )
    else:
        there = (
            'in the dashboard, as staff: "Läs in exempeldata" in the box "Databasen är tom" at the top of any page '
            "(offered while the database holds no report, requisition, ombud, payout or usage report)"
        )
    again = "make demo" if not remove else "python -m cli demo --remove ..."
    return (
        f"the database {path} is open in the running dashboard{holder}; DuckDB lets one program write it at a "
        f"time. Either do it {there}; or stop the dashboard (Ctrl+C where make run runs), run {again}, "
        "then make run again"
    )


def _reason(reason: str) -> str:
    """Every audit entry of example data says that it is fictitious."""
    reason = reason.strip()
    return reason if MARK.casefold() in reason.casefold() else f"{MARK}: {reason}" if reason else ""


def _refuse_real(real: dict[str, int]) -> None:
    held = {t: n for t, n in real.items() if n}
    if held:
        raise WriteRefused(
            f"Databasen har riktiga uppgifter ({describe(held, TABLES_SV)}): exempeldata läses bara in i en databas "
            "utan riktiga uppgifter, så att de aldrig blandas.",
            f"the database holds real records ({describe(held)}): example data is loaded only into a database "
            "without real records, so that the two never mix",
        )


def load(store: Store, actor: Actor, reason: str, seed: int = SEED) -> Loaded:
    """Write the example records for every round in one audited transaction (see the module's notes).

    Refused (``WriteRefused``) while the store holds real records; writes nothing when it holds example data.
    """
    started = time.perf_counter()
    with store.write_lock:  # the checks and the write see the same rows
        if held := example_rounds(store):
            return Loaded(False, tuple(held), example_counts(store), time.perf_counter() - started)
        _refuse_real(real_counts(store))
        plan = make_plan(store, seed)
        if problems := plan_problems(store, plan):  # a fault of this module, never of the user
            raise RuntimeError("example data would break the requisition rules: " + "; ".join(problems))
        with store.transaction(actor, _reason(reason)) as tx:
            _write(store, tx, plan, seed)
    return Loaded(True, plan.rounds, plan.counts(), time.perf_counter() - started)


def _write(store: Store, tx: Tx, plan: Plan, seed: int) -> None:
    for round_id, report in plan.reports:  # as record_report writes them, with their audit entries
        spec = store.reports.report_spec(round_id)  # the values the round's rules use
        values = {k: v for k, v in report.values.items() if k in spec.values}
        store.reports.write_report(tx, round_id, replace(report, values=values), MARK)
        tx.execute("UPDATE at_reports SET example = TRUE WHERE round_id = ? AND code = ?", [round_id, report.code])
    for code, approved in plan.ombud:  # as record_ombud
        tx.execute(
            "INSERT INTO ombud (code, approved_on, recorded_at, example) VALUES (?, ?, ?, TRUE)",
            [code, approved, tx.at],
        )
        tx.audit("insert", "ombud", code, None, {"approved_on": approved})
    for round_id, item in plan.requisitions:  # as record_requisition (checked above against maximum and ombud)
        store.followup.write_requisition(tx, round_id, item, MARK)
    tx.execute("UPDATE requisitions SET example = TRUE WHERE source = ?", [MARK])
    for p in plan.payouts:  # as a payment run pays a requisition: linked to it, so it is never listed again
        requisition_id = None
        if p.requisition is not None:
            q = p.requisition
            (requisition_id,) = tx.execute(
                "SELECT id FROM requisitions WHERE round_id = ? AND code = ? AND received = ? AND amount = ? "
                "AND reference = ?",
                [p.round_id, q.code, q.received, q.amount, q.reference],
            ).fetchone()
        (new_id,) = tx.execute(
            "INSERT INTO payouts (round_id, code, paid_on, amount, reference, recorded_at, example, requisition_id) "
            "VALUES (?, ?, ?, ?, ?, ?, TRUE, ?) RETURNING id",
            [p.round_id, p.code, p.paid_on, p.amount, p.reference, tx.at, requisition_id],
        ).fetchone()
        after = {"code": p.code, "paid_on": p.paid_on, "amount": p.amount, "reference": p.reference}
        after |= {"requisition_id": requisition_id}
        tx.audit("insert", "payouts", f"{p.round_id}/{p.code}/{new_id}", None, after)
    for round_id, code, received in plan.usage_reports:  # as record_usage_report
        tx.execute(
            "INSERT INTO usage_reports (round_id, code, received, reference, recorded_at, example) "
            "VALUES (?, ?, ?, ?, ?, TRUE)",
            [round_id, code, received, MARK, tx.at],
        )
        tx.audit("insert", "usage_reports", f"{round_id}/{code}", None, {"received": received, "reference": MARK})
    for round_id in plan.rounds:
        tx.execute("INSERT INTO example_data VALUES (?, ?, ?, ?)", [round_id, tx.at, tx.actor.name, seed])
    summary = {"seed": seed, "rounds": list(plan.rounds), "rows": plan.counts()}
    tx.audit("load", "example_data", ",".join(plan.rounds) or "-", None, summary)


# Per table: the columns read back for the audit entry of a deleted row, and its audit key.
_ROWS = {
    "at_reports": ("round_id, code, filled, started, excluded, planned_override, received, source", "{0}/{1}"),
    "ombud": ("code, approved_on", "{0}"),
    "requisitions": ("round_id, code, id, received, amount, reference, source", "{0}/{1}/{2}"),
    "payouts": ("round_id, code, id, paid_on, amount, reference", "{0}/{1}/{2}"),
    "usage_reports": ("round_id, code, received, reference", "{0}/{1}"),
}
# A marked row that staff have since recorded again with their own figures (the service replaces the row
# and the mark stays): its source, reference or time of recording is no longer the example's. It is real.
_RECORDED_SINCE = {
    "at_reports": ("source <> ?", [MARK]),
    "usage_reports": ("reference <> ?", [MARK]),
    "ombud": ("recorded_at NOT IN (SELECT loaded_at FROM example_data)", []),
}


def remove(store: Store, actor: Actor, reason: str) -> Removed:
    """Delete exactly the example rows (and the record of which rounds held them) in one audited transaction."""
    started = time.perf_counter()
    with store.write_lock:
        rounds = tuple(example_rounds(store))
        if not rounds and not any(example_counts(store).values()):
            return Removed(dict.fromkeys(TABLES, 0), dict.fromkeys(TABLES, 0), (), time.perf_counter() - started)
        deleted: dict[str, int] = {}
        kept: dict[str, int] = dict.fromkeys(TABLES, 0)
        with store.transaction(actor, _reason(reason)) as tx:
            for table, (condition, params) in _RECORDED_SINCE.items():
                (kept[table],) = tx.execute(
                    f"SELECT count(*) FROM {table} WHERE example AND {condition}", params
                ).fetchone()
                tx.execute(f"UPDATE {table} SET example = FALSE WHERE example AND {condition}", params)
            for table in TABLES:
                columns, key = _ROWS[table]
                names = [c.strip() for c in columns.split(",")]
                rows = tx.execute(f"SELECT {columns} FROM {table} WHERE example ORDER BY {columns}").fetchall()
                for row in rows:
                    tx.audit("delete", table, key.format(*row), dict(zip(names, row, strict=True)), None)
                tx.execute(f"DELETE FROM {table} WHERE example")
                deleted[table] = len(rows)
            tx.execute("DELETE FROM example_data")
            tx.audit("remove", "example_data", ",".join(rounds) or "-", {"rounds": list(rounds)}, {"kept": kept})
    return Removed(deleted, kept, rounds, time.perf_counter() - started)


def decline(store: Store, actor: Actor, reason: str = "Exempeldata valdes bort vid första start") -> None:
    """Staff chose to start with an empty store: the first-start offer is not shown again (audited)."""
    with store.transaction(actor, reason) as tx:
        tx.audit("decline", "example_data", "-", None, None)
