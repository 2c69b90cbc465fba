"""Test helper for reports: a recipient's positions filled, started and excluded as a generic ``Report``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from fractions import Fraction
from typing import Any

from allocation.report_values import AT_PARTS, Report, ReportSpec


def positions(
    code: str,
    filled: int = 0,
    started: int = 0,
    excluded: int = 0,
    planned: Fraction | None = None,
    *,
    received: date | None = None,
    spec: ReportSpec | None = None,
) -> Report:
    """A report of positions filled, started and excluded (and its own planned figure), received on ``received``.

    With ``spec``: only the values the round's recipients report, and the planned figure only where they may
    give one (as a report form for that round would record it).
    """
    values = dict(zip(AT_PARTS, (Fraction(filled), Fraction(started), Fraction(excluded)), strict=True))
    if spec is not None:
        values = {k: v for k, v in values.items() if k in spec.values}
        planned = planned if spec.planned_override else None
    return Report(code, values, received, planned)


def reports_of(items: Iterable[Any]) -> list[Report]:
    """Rows of positions (anything with ``code``, ``filled``, ``started``, ``excluded``, ``planned``, such as the
    simulator table's rows) as reports; a report is kept as it is."""
    return [
        item
        if isinstance(item, Report)
        else positions(item.code, item.filled, item.started, item.excluded, item.planned)
        for item in items
    ]
