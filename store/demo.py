"""Example data: fictitious reports, requisitions, ombud, payouts and usage reports for every round the
store holds, so that every view shows what it is for on a fresh start (``python -m store demo``, ``make demo``
or the dashboard's first-start offer).

- **Made from the rules, never from a round id.** Each milestone a region must act on (``region_action``)
  names its ``event``, and that event's records are made around the milestone's dates: ``at_report`` → AT
  reports (outcomes against the round's planned table), ``requisition`` → requisitions within each region's
  maximum (``fixed_amounts``), the ombud they need and the payouts that follow them, ``usage_report`` →
  reports on the use of the funds. A round whose milestones name none of these gets nothing.
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

import math
import random
import re
import time
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import TypeVar

from allocation.deadlines import MilestoneWindow, opens_on
from allocation.fixed import Requisition, requisition_problems
from allocation.milestones import round_milestones
from allocation.money import apportion
from allocation.planned import parse_planned
from allocation.report_values import Report
from present.problems import problem_en
from store.core import Tx
from store.model import Actor, WriteRefused
from store.service import Store

MARK = "Exempeldata – fiktiva uppgifter"
K = TypeVar("K", bound=Hashable)
SEED = 14  # issue 14; change it for another mix (the rounds' records are drawn from it)
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

# The mixes, as weights (shared among the regions by largest remainder, so each kind shows when there are
# enough regions). Expansion categories are (lowest, highest) positions above plan.
REPORT_TIMING = {"on_time": 12, "late": 5, "never": 4}
EXPANSION = {(-3, -1): 3, (0, 0): 3, (1, 1): 2, (2, 2): 3, (3, 4): 3, (5, 6): 2, (7, 9): 2, (10, 14): 1}
REQUISITION = {"full": 9, "two_parts": 3, "partly": 3, "late": 2, "none": 4}
USAGE_TIMING = {"on_time": 7, "late": 2, "never": 2}


# --- the plan: which records, made from the rules ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Payout:
    round_id: str
    code: str
    paid_on: date
    amount: int
    reference: str
    requisition: Requisition | None = None  # the requisition it pays (linked as a payment run links it)


@dataclass(frozen=True)
class Plan:
    """The example records for the rounds the store holds (nothing written yet)."""

    reports: tuple[tuple[str, Report], ...] = ()  # (round id, the report as the store keeps it, dated)
    ombud: tuple[tuple[str, date], ...] = ()
    requisitions: tuple[tuple[str, Requisition], ...] = ()
    payouts: tuple[Payout, ...] = ()
    usage_reports: tuple[tuple[str, str, date], ...] = ()  # (round, län code, received)
    maxima: dict[str, dict[str, int]] = field(default_factory=dict)  # round -> län code -> maximum

    @property
    def rounds(self) -> tuple[str, ...]:
        """The rounds that get at least one record, in order."""
        ids = [r for r, _ in self.reports] + [r for r, _ in self.requisitions]
        ids += [p.round_id for p in self.payouts] + [r for r, _, _ in self.usage_reports]
        return tuple(sorted(set(ids)))

    def counts(self) -> dict[str, int]:
        return {
            "at_reports": len(self.reports),
            "ombud": len(self.ombud),
            "requisitions": len(self.requisitions),
            "payouts": len(self.payouts),
            "usage_reports": len(self.usage_reports),
        }


def _rng(seed: int, round_id: str, event: str) -> random.Random:
    return random.Random(f"{seed}/{round_id}/{event}")


def _mix(rng: random.Random, codes: Sequence[str], weights: Mapping[K, int]) -> dict[str, K]:
    """Each län code's category: the codes shuffled, then shared by the weights (largest remainder)."""
    shuffled = sorted(codes)
    rng.shuffle(shuffled)
    kinds = list(weights)
    counts = apportion(len(shuffled), [weights[k] for k in kinds], [f"{i:03d}" for i in range(len(kinds))])
    found: dict[str, K] = {}
    start = 0
    for kind, count in zip(kinds, counts, strict=True):
        for code in shuffled[start : start + count]:
            found[code] = kind
        start += count
    return found


def _span(window: MilestoneWindow, year: int | None) -> tuple[date, date] | None:
    """The days a region can act on a milestone: (first, due). A window without an opening day opens at the
    start of the round's year (as the deadline views assume), or half a year before it is due."""
    due, first = window.due, opens_on(window)
    if due is not None and first is None:
        first = date(year, 1, 1) if year and date(year, 1, 1) < due else due - timedelta(days=182)
    elif first is not None and due is None:
        due = first + timedelta(days=182)
    if first is None or due is None:
        return None
    return first, max(first, due)


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _late(rng: random.Random, due: date, most: int = 30) -> date:
    return due + timedelta(days=rng.randint(1, most))


def _reports(
    rng: random.Random, round_id: str, codes: Sequence[str], planned: dict[str, str], span: tuple[date, date]
) -> list[tuple[str, Report]]:
    """Reports: on time, late or never; outcomes from below plan to far above it."""
    first, due = span
    timing = _mix(rng, codes, REPORT_TIMING)
    reporting = [c for c in sorted(codes) if timing[c] != "never"]
    expansion = _mix(rng, reporting, EXPANSION)
    found = []
    for code in reporting:
        low, high = expansion[code]
        delta = rng.randint(low, high)
        base = math.ceil(parse_planned(planned[code])) if code in planned else 0
        outcome = max(0, base + delta)
        other = max(0, outcome - rng.randint(0, 2))
        filled, started = (outcome, other) if rng.random() < 0.5 else (other, outcome)
        excluded = 1 if delta >= 3 and rng.random() < 0.25 else 0
        earliest = max(first, due - timedelta(days=40))
        received = _day(rng, earliest, due) if timing[code] == "on_time" else _late(rng, due)
        values = {"filled": Fraction(filled), "started": Fraction(started), "excluded": Fraction(excluded)}
        found.append((round_id, Report(code, values, received)))
    return found


def _thousands(amount: int, percent: int) -> int:
    """``percent`` of ``amount``, rounded down to whole thousands of kronor (at least 1 kr, at most amount)."""
    part = amount * percent // 100
    return min(amount, max(1, part // 1000 * 1000 or part))


def _requisitions(
    rng: random.Random, round_id: str, maximum: dict[str, int], span: tuple[date, date]
) -> tuple[list[tuple[str, Requisition]], list[Payout]]:
    """Requisitions within each region's maximum, and the payouts of those received in time."""
    first, due = span
    codes = [c for c in sorted(maximum) if maximum[c] > 0]
    kind = _mix(rng, codes, REQUISITION)
    opens = min(due, first + timedelta(days=14))
    found: list[tuple[str, Requisition]] = []
    for code in codes:
        top = maximum[code]
        if kind[code] == "full":
            parts = [(_day(rng, opens, due), top)]
        elif kind[code] == "two_parts":
            day = _day(rng, opens, opens + (due - opens) / 2)
            share = _thousands(top, rng.randint(40, 70))
            parts = [(day, share), (_day(rng, day, due), top - share)]
        elif kind[code] == "partly":
            parts = [(_day(rng, opens, due), _thousands(top, rng.randint(35, 90)))]
        elif kind[code] == "late":
            parts = [(_late(rng, due, 25), top)]
        else:
            parts = []
        for n, (received, amount) in enumerate(parts, start=1):
            if amount > 0:
                found.append((round_id, Requisition(code, received, amount, f"Fiktiv rekvisition {n}")))
    payouts = [
        Payout(
            round_id,
            item.code,
            item.received + timedelta(days=rng.randint(5, 20)),
            item.amount,
            f"Fiktiv utbetalning {n}",
            item,
        )
        for n, (_, item) in enumerate(found, start=1)
        if item.received <= due  # a requisition after the deadline is not paid
    ]
    return found, payouts


def _usage(
    rng: random.Random, round_id: str, codes: Sequence[str], span: tuple[date, date]
) -> list[tuple[str, str, date]]:
    first, due = span
    timing = _mix(rng, codes, USAGE_TIMING)
    return [
        (
            round_id,
            code,
            _day(rng, min(due, first + timedelta(days=10)), due) if timing[code] == "on_time" else _late(rng, due, 40),
        )
        for code in sorted(codes)
        if timing[code] != "never"
    ]


def _ombud(
    rng: random.Random, codes: Sequence[str], requisitions: Sequence[tuple[str, Requisition]], opens: date | None
) -> list[tuple[str, date]]:
    """An approved ombud before each region's first requisition; about half the others have one too."""
    earliest: dict[str, date] = {}
    for _, item in requisitions:
        earliest[item.code] = min(earliest.get(item.code, item.received), item.received)
    found = {code: day - timedelta(days=rng.randint(3, 45)) for code, day in earliest.items()}
    if opens is not None:
        for code in sorted(set(codes) - set(found)):
            if rng.random() < 0.5:
                found[code] = opens + timedelta(days=rng.randint(20, 120))
    return sorted(found.items())


def make_plan(store: Store, seed: int = SEED) -> Plan:
    """The example records for every round the store holds, from each round's rules (nothing is written)."""
    codes = [r.code for r in store.regions(store.latest_population_date())]
    reports: list[tuple[str, Report]] = []
    requisitions: list[tuple[str, Requisition]] = []
    payouts: list[Payout] = []
    usage: list[tuple[str, str, date]] = []
    maxima: dict[str, dict[str, int]] = {}
    first_opening: date | None = None
    for round_id in store.round_ids():
        doc = store.round_document(round_id)
        year = int(doc["year"]) if doc.get("year") else None
        spans: dict[str, tuple[date, date]] = {}
        for window, event in round_milestones(doc).windows:
            if window.region_action and event and event not in spans and (span := _span(window, year)):
                spans[event] = span
        if "at_report" in spans:
            planned = store.planned_table(round_id)
            reports += _reports(_rng(seed, round_id, "at_report"), round_id, codes, planned, spans["at_report"])
        requisitioned = None
        if "requisition" in spans and (amounts := store.fixed_amounts(round_id)):
            maxima[round_id] = {code: amount for code, (amount, _, _) in amounts.items()}
            found, paid = _requisitions(
                _rng(seed, round_id, "requisition"), round_id, maxima[round_id], spans["requisition"]
            )
            requisitions += found
            payouts += paid
            requisitioned = sorted({item.code for _, item in found})
            opening = spans["requisition"][0]
            first_opening = opening if first_opening is None else min(first_opening, opening)
        if "usage_report" in spans:
            who = codes if requisitioned is None else requisitioned  # only a region given money reports its use
            usage += _usage(_rng(seed, round_id, "usage_report"), round_id, who, spans["usage_report"])
    ombud = _ombud(random.Random(f"{seed}/ombud"), codes, requisitions, first_opening) if requisitions else []
    return Plan(tuple(reports), tuple(ombud), tuple(requisitions), tuple(payouts), tuple(usage), maxima)


def plan_problems(store: Store, plan: Plan) -> list[str]:
    """What the service would refuse in the plan (a requisition above the maximum or before the ombud)."""
    names = {r.code: r.name for r in store.regions(store.latest_population_date())}
    ombud = dict(plan.ombud)
    problems = []
    for round_id, maximum in plan.maxima.items():
        items = [item for r, item in plan.requisitions if r == round_id]
        problems += [problem_en(p) for p in requisition_problems(items, maximum, {}, ombud, names)]
    return problems


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

    return dict(store._cached(("example_rounds",), compute))


def is_empty(store: Store) -> bool:
    """No report, requisition, ombud, payout or usage report at all (real or example)."""

    def compute() -> bool:
        return not any(_counts(store, "TRUE").values())

    return bool(store._cached(("example_empty",), compute))


def declined(store: Store) -> bool:
    """Staff said no to the first-start offer of example data (audited)."""

    def compute() -> bool:
        rows = store.query("SELECT count(*) FROM audit_log WHERE entity = 'example_data' AND action = 'decline'")
        return bool(rows[0][0])

    return bool(store._cached(("example_declined",), compute))


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
    with store._write_lock:  # the checks and the write see the same rows
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
        spec = store.report_spec(round_id)  # the values the round's rules use
        values = {k: v for k, v in report.values.items() if k in spec.values}
        store._write_report(tx, round_id, replace(report, values=values), MARK)
        tx.execute("UPDATE at_reports SET example = TRUE WHERE round_id = ? AND code = ?", [round_id, report.code])
    for code, approved in plan.ombud:  # as record_ombud
        tx.execute(
            "INSERT INTO ombud (code, approved_on, recorded_at, example) VALUES (?, ?, ?, TRUE)",
            [code, approved, tx.at],
        )
        tx.audit("insert", "ombud", code, None, {"approved_on": approved})
    for round_id, item in plan.requisitions:  # as record_requisition (checked above against maximum and ombud)
        store._write_requisition(tx, round_id, item, MARK)
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
    with store._write_lock:
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
