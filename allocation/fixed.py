"""Fixed-amount rounds (Läkare i äldreomsorgen 2023): amounts per region, requisitions, follow-up.

The official amount per region (bilaga 1 to the government decision of 2022-12-22, IV:6) is not in our
data. Until it is imported, the amounts are an ESTIMATE: the total shared by population 1 Nov 2022,
in whole kronor by largest remainder. Every figure carries which of the two it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from allocation.money import apportion
from allocation.problems import Problem
from allocation.regions import Region

ESTIMATE = "estimate"
OFFICIAL = "official"
BASIS_SV = {ESTIMATE: "Uppskattning efter befolkningsandel", OFFICIAL: "Officiell tabell"}


@dataclass(frozen=True, slots=True)
class FixedRound:
    id: str
    title: str
    version: str
    dnr: str
    total: int  # kronor to share among the regions
    gross: int  # the appropriation before the agency's costs
    agency_costs_max: int
    official_table: str  # where the official amounts are published
    requisition_due: date
    usage_report_due: date
    population_date: date


def parse_fixed_round(doc: dict[str, Any]) -> FixedRound:
    milestones = {m["id"]: m for m in doc.get("milestones", [])}
    return FixedRound(
        id=doc["id"],
        title=doc["title"],
        version=doc["version"],
        dnr=doc["dnr"],
        total=int(doc["pot"]["amount"]),
        gross=int(doc["pot"]["gross"]["amount"]),
        agency_costs_max=int(doc["pot"]["agency_costs"]["max_amount"]),
        official_table=doc["amounts"]["official_table"],
        requisition_due=milestones["requisition"]["due"],
        usage_report_due=milestones["usage_report"]["due"],
        population_date=doc["amounts"]["estimate_population_date"],
    )


def estimate_amounts(regions: Sequence[Region], total: int) -> dict[str, int]:
    """The total shared by population, whole kronor summing exactly to ``total`` (an estimate)."""
    shares = apportion(total, [r.population for r in regions], [r.code for r in regions])
    return {r.code: amount for r, amount in zip(regions, shares, strict=True)}


@dataclass(frozen=True, slots=True)
class Requisition:
    """A requisition received from a region: date received, amount in whole kronor, its reference."""

    code: str
    received: date
    amount: int
    reference: str = ""
    row: int = field(default=0, compare=False)  # the file's row, for messages


@dataclass(frozen=True, slots=True)
class FollowupRow:
    code: str
    name: str
    maximum: int
    requisitioned: int
    paid: int
    not_requisitioned: int
    payable: bool  # False once the requisition deadline has passed: what was not requisitioned is lost
    first_requisition: date | None


def followup(
    regions: Sequence[Region],
    maximum: dict[str, int],
    requisitions: Iterable[Requisition],
    payouts: Iterable[tuple[str, date, int]],
    as_of: date,
    requisition_due: date,
) -> list[FollowupRow]:
    """Per region, as of a date: maximum, requisitioned, paid, and what is left (payable or not)."""
    requested: dict[str, int] = {}
    first: dict[str, date] = {}
    for item in requisitions:
        if item.received <= as_of:
            requested[item.code] = requested.get(item.code, 0) + item.amount
            first[item.code] = min(first.get(item.code, item.received), item.received)
    paid: dict[str, int] = {}
    for code, paid_on, amount in payouts:
        if paid_on <= as_of:
            paid[code] = paid.get(code, 0) + amount
    return [
        FollowupRow(
            r.code,
            r.name,
            maximum.get(r.code, 0),
            requested.get(r.code, 0),
            paid.get(r.code, 0),
            maximum.get(r.code, 0) - requested.get(r.code, 0),
            as_of <= requisition_due,
            first.get(r.code),
        )
        for r in regions
    ]


def requisition_problems(
    items: Sequence[Requisition],
    maximum: dict[str, int],
    already: dict[str, int],
    ombud_approved: dict[str, date],
    names: dict[str, str],
) -> list[Problem]:
    """Requisitions that may not be recorded: above the region's maximum, or before an approved ombud."""
    problems = []
    running = dict(already)
    for item in items:
        approved = ombud_approved.get(item.code)
        if approved is None or approved > item.received:
            params = {"column": "received", "name": names[item.code], "approved": approved}
            problems.append(Problem("no_ombud", item.row, value=item.received.isoformat(), params=params))
        total = running.get(item.code, 0) + item.amount
        if total > maximum.get(item.code, 0):
            params = {
                "column": "amount",
                "name": names[item.code],
                "amount": item.amount,
                "maximum": maximum.get(item.code, 0),
                "already": running.get(item.code, 0),
            }
            problems.append(Problem("above_max", item.row, params=params))
        running[item.code] = total
    return problems
