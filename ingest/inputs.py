"""Reading a file of outcomes (positions filled, started, excluded, a report's own planned figure) from CSV or
XLSX as generic reports (``allocation.report_values.Report``, undated), validating everything.

The whole file is checked before anything is returned; all problems are raised together as an
``InputError`` naming row and column. Rows are numbered as in a spreadsheet: the header is row 1.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from pathlib import Path

from allocation.fixed import Requisition
from allocation.money import MAX_AMOUNT
from allocation.planned import ParseError, parse_count, parse_planned
from allocation.problems import InputError, Problem
from allocation.regions import RegionIndex, UnknownRegion
from allocation.report_values import Report
from ingest.columns import CODE, canonical, column_sv, names_sv
from ingest.spreadsheet import MAX_BYTES, read_table, too_large, unreadable

MAX_POSITIONS = 100_000  # far above any region's AT positions; keeps nonsense out of the store
MAX_KRONOR = MAX_AMOUNT  # the product's one bound on amounts (allocation.money)

REQUIRED = ("region", "filled", "started")
OPTIONAL = ("excluded", "planned")
COLUMNS = REQUIRED + OPTIONAL


def _header(
    rows: Sequence[Sequence[str]], required: tuple[str, ...] = REQUIRED, optional: tuple[str, ...] = OPTIONAL
) -> dict[str, tuple[int, str]]:
    """Each known column's index and header as written; English or Swedish names (``ingest.columns``).

    A ``region`` may be given by name (Region), by län code (Länskod), or both.
    """
    expected = required + optional + ((CODE,) if "region" in required else ())
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise InputError([Problem("empty_file")])
    problems = []
    columns: dict[str, tuple[int, str]] = {}
    for index, cell in enumerate(rows[0]):
        name, written = canonical(cell), cell.strip()
        if not name:
            continue
        if name not in expected:
            names = ", ".join(n for n in expected if n != CODE)
            problems.append(Problem("unknown_column", 1, written, written, names, names_sv(expected)))
        elif name in columns:
            problems.append(Problem("duplicate_column", 1, written, written))
        else:
            columns[name] = (index, written)
    missing = [n for n in required if n not in columns and not (n == "region" and CODE in columns)]
    problems += [Problem("missing_column_named", 1, "", n, column_sv(n)) for n in missing]
    if problems:
        raise InputError(problems)
    return columns


@dataclass
class _Rows:
    """Data rows of a table with the row number, cells by column name, and the region resolved."""

    problems: list[Problem]
    rows: list[tuple[int, dict[str, str], str | None]]
    headers: dict[str, str]  # column name -> the header as written in the file (problems name it so)

    def column(self, name: str) -> str:
        return self.headers.get(name, column_sv(name))


def _resolve(index: RegionIndex, cells: dict[str, str], row: int, headers: dict[str, str]) -> tuple[str | None, list]:
    """The region of a row by its län code or name (both given: they must agree), or the problems."""
    code_text, name_text = cells.get(CODE, ""), cells.get("region", "")
    if not code_text and not name_text:
        return None, [Problem("empty_value", row, headers.get("region") or headers[CODE])]
    found = []
    for text, header in ((code_text, headers.get(CODE, "")), (name_text, headers.get("region", ""))):
        if not text:
            continue
        try:
            found.append(index.resolve(text).code)
        except UnknownRegion:
            return None, [Problem("unknown_region", row, header, text)]
    if len(set(found)) > 1:
        return None, [Problem("region_mismatch", row, headers["region"], name_text, code_text)]
    return found[0], []


def region_rows(
    rows: Sequence[Sequence[str]],
    index: RegionIndex,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    unique_region: bool = True,
) -> _Rows:
    columns = _header(rows, required, optional)
    headers = {name: written for name, (_, written) in columns.items()}
    problems: list[Problem] = []
    found: list[tuple[int, dict[str, str], str | None]] = []
    first_row_of: dict[str, int] = {}
    for row_number, row in enumerate(rows[1:], start=2):
        cells = {name: (row[i].strip() if i < len(row) else "") for name, (i, _) in columns.items()}
        if not any(cells.values()) and not any(str(c).strip() for c in row):
            continue  # blank line
        extra = [cell for cell in row[len(rows[0]) :] if str(cell).strip()]
        if extra:
            width = len(rows[0]) + len(extra)
            problems.append(Problem("too_many_cells", row_number, "", str(width), str(len(rows[0]))))
        code, trouble = _resolve(index, cells, row_number, headers)
        problems += trouble
        if code is not None and unique_region and code in first_row_of:
            shown = cells.get("region") or cells.get(CODE, "")
            column = headers.get("region") or headers[CODE]
            problems.append(Problem("duplicate_region", row_number, column, shown, str(first_row_of[code])))
        if code is not None:
            first_row_of.setdefault(code, row_number)
        cells.setdefault("region", cells.get(CODE, ""))
        found.append((row_number, cells, code))
    if not found and not problems:
        problems.append(Problem("no_rows"))
    return _Rows(problems, found, headers)


_region_rows = region_rows  # the name the command line's readers import


def parse_reports(rows: Sequence[Sequence[str]], index: RegionIndex) -> list[Report]:
    """Validate a table of outcomes; raise InputError with every problem, or return one report per row (its
    values ``filled``, ``started``, ``excluded`` — 0 when not given — and its own planned figure; no date)."""
    table = region_rows(rows, index, REQUIRED, OPTIONAL)
    problems = list(table.problems)
    reports: list[Report] = []
    for row_number, cells, code in table.rows:
        counts: dict[str, int] = {}
        for name in ("filled", "started", "excluded"):
            text = cells.get(name, "")
            if not text:
                if name == "excluded":
                    counts[name] = 0
                else:
                    problems.append(Problem("empty_value", row_number, table.column(name)))
                continue
            try:
                counts[name] = parse_count(text)
            except ParseError as exc:
                problems.append(Problem(exc.code, row_number, table.column(name), text, exc.detail))
                continue
            if counts[name] > MAX_POSITIONS:
                problems.append(Problem("too_large", row_number, table.column(name), text, str(MAX_POSITIONS)))
                del counts[name]
        planned: Fraction | None = None
        if cells.get("planned"):
            try:
                planned = parse_planned(cells["planned"])
            except ParseError as exc:
                problems.append(Problem(exc.code, row_number, table.column("planned"), cells["planned"], exc.detail))
        if code is not None and len(counts) == 3:
            reports.append(Report(code, {k: Fraction(v) for k, v in counts.items()}, None, planned))
    if problems:
        raise InputError(sorted(problems, key=lambda p: p.row))
    return reports


REQUISITION_REQUIRED = ("region", "received", "amount")
REQUISITION_OPTIONAL = ("reference",)


_ISO_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[ T]00:00(?::00)?)?")


def parse_date(text: str) -> date:
    """An ISO date ``2023-10-31`` (an Excel date cell arrives as ``2023-10-31``, too)."""
    match = _ISO_DATE.fullmatch(text.strip())
    try:
        if match:
            return date.fromisoformat(match.group(1))
    except ValueError:
        pass
    raise ParseError("not_a_date", f"not a date: {text!r}")


def parse_requisitions(rows: Sequence[Sequence[str]], index: RegionIndex) -> list[Requisition]:
    """Validate a table of requisitions (region, received, amount[, reference])."""
    table = region_rows(rows, index, REQUISITION_REQUIRED, REQUISITION_OPTIONAL, unique_region=False)
    problems = list(table.problems)
    found: list[Requisition] = []
    seen: dict[tuple[str, date, int, str], int] = {}
    for row_number, cells, code in table.rows:
        received = amount = None
        if not cells["received"]:
            problems.append(Problem("empty_value", row_number, table.column("received")))
        else:
            try:
                received = parse_date(cells["received"])
            except ParseError as exc:
                problems.append(Problem(exc.code, row_number, table.column("received"), cells["received"], exc.detail))
        if not cells["amount"]:
            problems.append(Problem("empty_value", row_number, table.column("amount")))
        else:
            try:
                amount = parse_count(cells["amount"])
            except ParseError as exc:
                problems.append(Problem(exc.code, row_number, table.column("amount"), cells["amount"], exc.detail))
            else:
                if amount > MAX_KRONOR:
                    problems.append(
                        Problem("too_large", row_number, table.column("amount"), cells["amount"], str(MAX_KRONOR))
                    )
                    amount = None
        if code is None or received is None or amount is None:
            continue
        item = Requisition(code, received, amount, cells.get("reference", ""), row_number)
        key = (item.code, item.received, item.amount, item.reference)
        if key in seen:
            problems.append(Problem("duplicate_row", row_number, "", cells["region"], str(seen[key])))
            continue
        seen[key] = row_number
        found.append(item)
    if problems:
        raise InputError(sorted(problems, key=lambda p: p.row))
    return found


def read_reports(data: bytes, index: RegionIndex) -> list[Report]:
    return parse_reports(read_table(data), index)


def read_file(path: Path) -> bytes:
    """A file's bytes; one larger than ``MAX_BYTES`` is refused without being read (never more is read)."""
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > MAX_BYTES:  # a regular file's size is known before reading
                raise too_large(size)
            data = fh.read(MAX_BYTES + 1)  # a pipe or a device has no size: read one byte past the limit
    except IsADirectoryError:
        raise unreadable("it is a folder, not a file", "det är en mapp, inte en fil") from None
    except OSError as exc:
        raise InputError([Problem("unreadable_file", detail=exc.strerror or str(exc))]) from None
    if len(data) > MAX_BYTES:
        raise too_large(len(data))
    return data


def read_reports_file(path: Path, index: RegionIndex) -> list[Report]:
    return read_reports(read_file(path), index)


def read_requisitions(data: bytes, index: RegionIndex) -> list[Requisition]:
    return parse_requisitions(read_table(data), index)


def parse_planned_table(rows: Sequence[Sequence[str]], index: RegionIndex) -> dict[str, str]:
    """A planning table (columns ``region`` and ``planned``; "28" or a range "1-5"): every region once.

    Returns the planned positions per län code as written; raises InputError with every problem.
    """
    table = region_rows(rows, index, ("region", "planned"), ())
    problems = list(table.problems)
    planned: dict[str, str] = {}
    for row_number, cells, code in table.rows:
        text = cells.get("planned", "")
        if not text:
            problems.append(Problem("empty_value", row_number, table.column("planned")))
            continue
        try:
            parse_planned(text)
        except ParseError as exc:
            problems.append(Problem(exc.code, row_number, table.column("planned"), text, exc.detail))
            continue
        if code is not None:
            planned[code] = text
    missing = [r for r in index.regions if r.code not in planned]
    if not problems and missing:
        names = ", ".join(r.name for r in missing)
        problems.append(Problem("missing_regions", 0, "region", names))
    if problems:
        raise InputError(sorted(problems, key=lambda p: p.row))
    return planned


def read_planned_table(data: bytes, index: RegionIndex) -> dict[str, str]:
    return parse_planned_table(read_table(data), index)
