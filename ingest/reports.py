"""Reading the recipients' reports for any round: the values its rules name, and the date each was received.

The columns are the round's (``allocation.report_values.ReportSpec``), in English or Swedish
(``ingest.columns``): e.g. Region or Länskod, Tillsatta, Påbörjade, Avräknade, Mottagen. The date
received is explicit: a column ``Mottagen`` (a row's own date) or the date the caller gives for the
whole file; a file with neither is refused, never dated today. The whole file is checked before
anything is returned; every problem names its row and the column as the file writes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from fractions import Fraction

from allocation.money import MAX_AMOUNT
from allocation.planned import ParseError, parse_count, parse_number, parse_planned
from allocation.problems import InputError, Problem
from allocation.regions import RegionIndex
from allocation.report_values import PLANNED, Report, ReportSpec
from ingest.inputs import MAX_POSITIONS, parse_date, region_rows
from ingest.spreadsheet import read_table

RECEIVED = "received"


def columns(spec: ReportSpec) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The required and the optional columns of the round's report files (the region aside)."""
    optional = tuple(k for k in spec.values if k in spec.optional)
    return spec.required, (*optional, *((PLANNED,) if spec.planned_override else ()), RECEIVED)


def _value(spec: ReportSpec, key: str, text: str) -> Fraction:
    """A reported value: a count of positions is whole and at most ``MAX_POSITIONS``; any other at most
    ``MAX_AMOUNT``. Raises ParseError (``too_large`` with the bound as detail)."""
    value = Fraction(parse_count(text)) if spec.whole(key) else parse_number(text)
    bound = MAX_POSITIONS if spec.whole(key) else MAX_AMOUNT
    if value > bound:
        raise ParseError("too_large", f"larger than {bound}", str(bound))
    return value


def _received(text: str, given: date | None, today: date, row: int, column: str) -> tuple[date | None, list]:
    if not text:
        return given, ([] if given else [Problem("missing_date", row, column)])
    try:
        when = parse_date(text)
    except ParseError as exc:
        return None, [Problem(exc.code, row, column, text, exc.detail)]
    if when > today:
        return None, [Problem("future_date", row, column, text, today.isoformat())]
    return when, []


def parse_round_reports(
    rows: Sequence[Sequence[str]], index: RegionIndex, spec: ReportSpec, received: date | None, today: date
) -> list[Report]:
    """Validate a table of reports for a round with ``spec``; raise InputError with every problem.

    ``received`` dates the rows without a date of their own (None: every row must have one).
    """
    required, optional = columns(spec)
    table = region_rows(rows, index, ("region", *required), optional)
    problems = list(table.problems)
    if received is not None and received > today:
        problems.append(Problem("future_date", 0, "", received.isoformat(), today.isoformat()))
        received = None
    undated = received is None and RECEIVED not in table.headers
    if undated:  # said once for the whole file; the rows are still checked
        problems.append(Problem("missing_date"))
    reports = []
    for row, cells, code in table.rows:
        before = len(problems)
        values: dict[str, Fraction] = {}
        for key in spec.values:
            text = cells.get(key, "")
            if not text:
                if key in spec.optional:
                    values[key] = Fraction(0)  # not reported: none
                else:
                    problems.append(Problem("empty_value", row, table.column(key)))
                continue
            try:
                values[key] = _value(spec, key, text)
            except ParseError as exc:
                problems.append(Problem(exc.code, row, table.column(key), text, exc.detail))
        planned = None
        if text := cells.get(PLANNED, ""):
            try:
                planned = parse_planned(text)
            except ParseError as exc:
                problems.append(Problem(exc.code, row, table.column(PLANNED), text, exc.detail))
        when, trouble = _received(cells.get(RECEIVED, ""), received, today, row, table.column(RECEIVED))
        problems += [] if undated else trouble
        if code is not None and len(problems) == before:
            reports.append(Report(code, values, when, planned))
    if problems:
        raise InputError(sorted(problems, key=lambda p: p.row))
    return reports


def read_round_reports(
    data: bytes, index: RegionIndex, spec: ReportSpec, received: date | None, today: date
) -> list[Report]:
    """A CSV or XLSX file of reports (bounded before it is parsed: ``ingest.spreadsheet``)."""
    return parse_round_reports(read_table(data), index, spec, received, today)
