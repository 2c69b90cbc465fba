"""Fixed-amount rounds (Läkare i äldreomsorgen 2023): amounts per region, requisitions, follow-up.

The official amount per region (bilaga 1 to the government decision of 2022-12-22, IV:6) is not in our
data. Until it is imported, the amounts are an ESTIMATE: the total shared by population 1 Nov 2022,
in whole kronor by largest remainder. Every figure carries which of the two it is.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from allocation import formats as f
from allocation.inputs import Requisition, _region_rows
from allocation.money import apportion
from allocation.planned import ParseError, parse_count
from allocation.problems import InputError, Problem
from allocation.regions import DATA_DIR, Region, RegionIndex
from allocation.spreadsheet import read_table

ESTIMATE = "estimate"
OFFICIAL = "official"
BASIS_SV = {ESTIMATE: "Uppskattning (befolkningsandel)", OFFICIAL: "Officiell tabell"}


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


def load_fixed_round(round_id: str, data_dir: Path = DATA_DIR) -> FixedRound:
    with open(data_dir / "rounds" / f"{round_id}.toml", "rb") as fh:
        return parse_fixed_round(tomllib.load(fh))


def estimate_amounts(regions: Sequence[Region], total: int) -> dict[str, int]:
    """The total shared by population, whole kronor summing exactly to ``total`` (an estimate)."""
    shares = apportion(total, [r.population for r in regions], [r.code for r in regions])
    return {r.code: amount for r, amount in zip(regions, shares, strict=True)}


def parse_official_amounts(rows: Sequence[Sequence[str]], index: RegionIndex, total: int) -> dict[str, int]:
    """The official table (columns region, amount): every region once, whole kronor, summing to ``total``."""
    table = _region_rows(rows, index, ("region", "amount"), ())
    problems = list(table.problems)
    amounts: dict[str, int] = {}
    for row_number, cells, code in table.rows:
        if not cells["amount"]:
            problems.append(Problem("empty_value", row_number, "amount"))
            continue
        try:
            amount = parse_count(cells["amount"])
        except ParseError as exc:
            problems.append(Problem(exc.code, row_number, "amount", cells["amount"], exc.detail))
            continue
        if amount > total:
            problems.append(Problem("too_large", row_number, "amount", cells["amount"], f.kr(total)))
            continue
        if code is not None:
            amounts[code] = amount
    if not problems:
        missing = [r.name for r in index.regions if r.code not in amounts]
        if missing:
            problems.append(Problem("missing_regions", 0, "region", ", ".join(missing)))
        elif sum(amounts.values()) != total:
            difference = sum(amounts.values()) - total
            en, sv = ("too much", "för mycket") if difference > 0 else ("too little", "för lite")
            problems.append(
                Problem(
                    "wrong_sum",
                    0,
                    "amount",
                    f.kr(sum(amounts.values())),
                    f"{f.kr(abs(difference))} {en}; the total is {f.kr(total)}",
                    f"{f.kr(abs(difference))} {sv}; totalen är {f.kr(total)}",
                )
            )
    if problems:
        raise InputError(problems)
    return amounts


def read_official_amounts(data: bytes, index: RegionIndex, total: int) -> dict[str, int]:
    return parse_official_amounts(read_table(data), index, total)


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
            when_en = "none approved" if approved is None else f"approved only on {approved.isoformat()}"
            when_sv = "inget godkänt" if approved is None else f"godkänt först {approved.isoformat()}"
            problems.append(
                Problem(
                    "no_ombud",
                    item.row,
                    "received",
                    item.received.isoformat(),
                    f"{names[item.code]}: {when_en}",
                    f"{names[item.code]}: {when_sv}",
                )
            )
        total = running.get(item.code, 0) + item.amount
        if total > maximum.get(item.code, 0):
            top, before = f.kr(maximum.get(item.code, 0)), f.kr(running.get(item.code, 0))
            problems.append(
                Problem(
                    "above_max",
                    item.row,
                    "amount",
                    f.kr(item.amount),
                    f"{names[item.code]} may requisition at most {top}; already requisitioned {before}",
                    f"{names[item.code]} kan rekvirera högst {top}; redan rekvirerat {before}",
                )
            )
        running[item.code] = total
    return problems
