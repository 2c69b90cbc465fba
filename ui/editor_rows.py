"""The rows of the simulator's outcomes table: its columns of positions, one row parsed into the round's
generic per-recipient record (``allocation.report_values.Report``: the values by the keys recipients report,
and a planned figure of its own) or each wrong cell a problem naming the column in Swedish, the read-only
check column (each row against its plan) and the columns' widths and labels. The table itself, its state and
quick fills are in ``ui.block_editor``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Protocol

import pandas as pd
import streamlit as st

from allocation.planned import ParseError, parse_count, parse_planned
from allocation.problems import Problem
from allocation.report_values import AT_PARTS, OUTCOME_PARTS, Report
from present import formats as f

EDITOR_COLUMNS = ("code", "region", "planned", "filled", "started", "excluded")
CHECK = "check"  # the editor's read-only column: each row against its plan, or its wrong cells
CHECK_LABEL = "Mot plan"
# The editor's column headers: a wrong cell is named by its region and by the header the user sees.
EDITOR_LABELS = {"planned": "Planerat", "filled": "Tillsatta", "started": "Påbörjade", "excluded": "Avräknade"}


class Plan(Protocol):
    """The planned table a row is read against: as written (a range such as ``1-5``) and as a number."""

    planned: Mapping[str, str]

    def planned_value(self, code: str) -> Fraction: ...


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def parse_row(row: Mapping[str, Any], plan: Plan) -> tuple[Report | None, list[Problem]]:
    """One row of the table: the recipient's positions as a report (its own planned figure only where the row
    changes the plan), or its wrong cells (each a problem naming the column in Swedish)."""
    problems: list[Problem] = []
    counts: dict[str, Fraction] = {}
    for column in AT_PARTS:
        value = row[column]
        label = EDITOR_LABELS[column]
        if _missing(value):
            problems.append(Problem("empty_value", 0, label))
            continue
        try:
            counts[column] = Fraction(parse_count(value))
        except ParseError as exc:
            problems.append(Problem(exc.code, 0, label, str(value), exc.detail))
    planned_text = "" if _missing(row["planned"]) else str(row["planned"]).strip()
    planned = None
    if planned_text != plan.planned[row["code"]]:
        try:
            planned = parse_planned(planned_text)
        except ParseError as exc:
            problems.append(Problem(exc.code, 0, EDITOR_LABELS["planned"], planned_text, exc.detail))
    if problems:
        return None, problems
    return Report(row["code"], counts, planned=planned), []


@dataclass(frozen=True)
class RowCheck:
    text: str
    kind: str  # "error", "above", "below", "changed" (the plan, only), "none" (no outcome) or "" (as planned)


def check_row(row: Mapping[str, Any], plan: Plan) -> RowCheck:
    """``+5 över plan``, ``3 under plan``, ``enligt plan``, ``inget utfall`` (with ``, plan ändrad`` when the
    plan differs from the planning document), or the row's wrong columns."""
    return check_of(*parse_row(row, plan), plan)


def parsed_row(row: Mapping[str, Any], plan: Plan) -> tuple[Report | None, list[Problem], RowCheck]:
    """``parse_row`` and ``check_of`` of a row, remembered by the row's cells and its plan: a rerun after one
    edit reads again only the row that changed."""
    code = row["code"]
    cells = tuple((type(row[c]).__name__, row[c]) for c in ("planned", *AT_PARTS))
    try:
        item, problems, check = _parsed(code, plan.planned[code], plan.planned_value(code), cells)
    except TypeError:  # a cell that cannot be a key (none the editor sends): read it as it is
        item, found = parse_row(row, plan)
        return item, found, check_of(item, found, plan)
    return item, list(problems), check


class _Plan:
    """One recipient's plan, as ``parse_row`` reads it."""

    def __init__(self, code: str, text: str, value: Fraction) -> None:
        self.planned = {code: text}
        self._value = value

    def planned_value(self, code: str) -> Fraction:
        return self._value


@functools.lru_cache(maxsize=4096)
def _parsed(
    code: str, text: str, value: Fraction, cells: tuple[tuple[str, Any], ...]
) -> tuple[Report | None, tuple[Problem, ...], RowCheck]:
    plan = _Plan(code, text, value)
    row = {"code": code} | dict(zip(("planned", *AT_PARTS), (v for _, v in cells), strict=True))
    item, problems = parse_row(row, plan)
    return item, tuple(problems), check_of(item, problems, plan)


def check_of(item: Report | None, problems: list[Problem], plan: Plan) -> RowCheck:
    """``check_row`` of a row already parsed (``parse_row``'s report and problems)."""
    if item is None:
        columns = list(dict.fromkeys(p.column for p in problems))
        return RowCheck("Fel: " + ", ".join(columns), "error")
    planned = item.planned if item.planned is not None else plan.planned_value(item.code)
    outcome = max(item.value(k) for k in OUTCOME_PARTS)
    difference = outcome - planned
    if outcome == 0 and planned > 0:
        check = RowCheck("inget utfall", "none")  # nothing reported (yet): not a shortfall to point at
    elif difference > 0:
        check = RowCheck(f"+{f.count(difference)} över plan", "above")
    elif difference < 0:
        check = RowCheck(f"{f.count(-difference)} under plan", "below")
    else:
        check = RowCheck("enligt plan", "")
    if item.planned is not None:
        return RowCheck(check.text + ", plan ändrad", check.kind if check.kind in ("above", "below") else "changed")
    return check


CHECK_COLOURS = {
    "error": "#c62828",
    "above": "#2e7d32",
    "below": "#a15c00",
    "changed": "#1f4e79",
    "none": "#8a8a8a",
    "": "#6b6b6b",
}


# The columns in the order they are shown: the region and what a user edits first (a phone shows only the
# first two or three columns), then the check, and the län code last.
EDITOR_WIDTHS = {
    "region": 150,
    "filled": 100,
    "started": 100,
    "planned": 100,
    "excluded": 150,
    CHECK: 190,
    "code": 80,
}
EDITOR_ORDER = list(EDITOR_WIDTHS)


def editor_column_config() -> dict[str, object]:
    """Fixed column widths (pixels) keep the table readable and its cells at known places for tests."""
    count = {"min_value": 0, "step": 1, "format": "%d", "required": True}
    w = EDITOR_WIDTHS
    return {
        "code": st.column_config.TextColumn("Länskod", disabled=True, width=w["code"]),
        "region": st.column_config.TextColumn("Region", disabled=True, width=w["region"]),
        "planned": st.column_config.TextColumn(
            EDITOR_LABELS["planned"],
            width=w["planned"],
            alignment="right",  # a number (or a range such as 1-5): right-aligned like the other counts
            help="Från planeringsunderlaget; ett spann som 1-5 räknas som medelvärdet. Ändra för what-if.",
        ),
        "filled": st.column_config.NumberColumn(
            EDITOR_LABELS["filled"], help="Tillsatta AT-tjänster under omgångens år", width=w["filled"], **count
        ),
        "started": st.column_config.NumberColumn(
            EDITOR_LABELS["started"], help="Påbörjade AT-tjänster under omgångens år", width=w["started"], **count
        ),
        "excluded": st.column_config.NumberColumn(
            EDITOR_LABELS["excluded"],
            width=w["excluded"],
            help="Tjänster som låg till grund för utbetalning i en tidigare omgång och inte får räknas igen",
            **count,
        ),
    }
