"""Example data, the plan: which fictitious records each round gets, made from its rules (``store.demo``
writes them). Drawn with a fixed seed per round and event; no database writes in here.
"""

from __future__ import annotations

import math
import random
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from typing import TypeVar

from allocation.deadlines import MilestoneWindow, opens_on
from allocation.fixed import Requisition, requisition_problems
from allocation.milestones import round_milestones
from allocation.money import apportion
from allocation.planned import parse_planned
from allocation.report_values import Report
from present.problems import problem_en
from store.service import Store

K = TypeVar("K", bound=Hashable)
SEED = 14  # issue 14; change it for another mix (the rounds' records are drawn from it)

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
    codes = [r.code for r in store.rounds.regions(store.rounds.latest_population_date())]
    reports: list[tuple[str, Report]] = []
    requisitions: list[tuple[str, Requisition]] = []
    payouts: list[Payout] = []
    usage: list[tuple[str, str, date]] = []
    maxima: dict[str, dict[str, int]] = {}
    first_opening: date | None = None
    for round_id in store.rounds.round_ids():
        doc = store.rounds.round_document(round_id)
        year = int(doc["year"]) if doc.get("year") else None
        spans: dict[str, tuple[date, date]] = {}
        for window, event in round_milestones(doc).windows:
            if window.region_action and event and event not in spans and (span := _span(window, year)):
                spans[event] = span
        if "at_report" in spans:
            planned = store.rounds.planned_table(round_id)
            reports += _reports(_rng(seed, round_id, "at_report"), round_id, codes, planned, spans["at_report"])
        requisitioned = None
        if "requisition" in spans and (amounts := store.rounds.fixed_amounts(round_id)):
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
    names = {r.code: r.name for r in store.rounds.regions(store.rounds.latest_population_date())}
    ombud = dict(plan.ombud)
    problems = []
    for round_id, maximum in plan.maxima.items():
        items = [item for r, item in plan.requisitions if r == round_id]
        problems += [problem_en(p) for p in requisition_problems(items, maximum, {}, ombud, names)]
    return problems
