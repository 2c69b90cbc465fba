"""Reading region reports (filled, started, excluded, planned) from CSV or XLSX, validating everything.

The whole file is checked before anything is returned; all problems are raised together as an
``InputError`` naming row and column. Rows are numbered as in a spreadsheet: the header is row 1.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

from allocation.at import RegionInput
from allocation.planned import ParseError, parse_count, parse_planned
from allocation.problems import InputError, Problem
from allocation.regions import RegionIndex, UnknownRegion

REQUIRED = ("region", "filled", "started")
OPTIONAL = ("excluded", "planned")
COLUMNS = REQUIRED + OPTIONAL


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _rows_from_csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError([Problem("not_utf8")]) from None
    if "\x00" in text:
        raise InputError([Problem("unreadable_file", detail="it is not a CSV or XLSX file")])
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:  # e.g. a field beyond the csv module's size limit
        raise InputError([Problem("unreadable_file", detail=f"not a valid CSV file ({exc})")]) from None


def _rows_from_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook  # imported here: only XLSX input needs it

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise InputError([Problem("unreadable_file", detail=f"not a valid XLSX file ({type(exc).__name__})")]) from None
    try:
        sheet = workbook.worksheets[0]
        return [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def read_table(data: bytes) -> list[list[str]]:
    """The cells of a CSV (UTF-8, with or without BOM; comma or semicolon) or XLSX file as text."""
    if data[:4] == b"PK\x03\x04":
        return _rows_from_xlsx(data)
    return _rows_from_csv(data)


def _header(rows: Sequence[Sequence[str]]) -> dict[str, int]:
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise InputError([Problem("empty_file")])
    problems = []
    columns: dict[str, int] = {}
    for index, cell in enumerate(rows[0]):
        name = cell.strip().casefold()
        if not name:
            continue
        if name not in COLUMNS:
            problems.append(Problem("unknown_column", 1, cell.strip(), cell.strip(), ", ".join(COLUMNS)))
        elif name in columns:
            problems.append(Problem("duplicate_column", 1, name, name))
        else:
            columns[name] = index
    problems += [Problem("missing_column", 1, name, name) for name in REQUIRED if name not in columns]
    if problems:
        raise InputError(problems)
    return columns


def parse_reports(rows: Sequence[Sequence[str]], index: RegionIndex) -> list[RegionInput]:
    """Validate a table of region reports; raise InputError with every problem, or return the inputs."""
    columns = _header(rows)
    problems: list[Problem] = []
    inputs: list[RegionInput] = []
    first_row_of: dict[str, int] = {}
    data_rows = 0
    for row_number, row in enumerate(rows[1:], start=2):
        cells = {name: (row[i].strip() if i < len(row) else "") for name, i in columns.items()}
        if not any(cells.values()):
            continue  # blank line
        data_rows += 1
        row_problems: list[Problem] = []
        extra = [cell for cell in row[len(rows[0]) :] if str(cell).strip()]
        if extra:
            width = len(rows[0]) + len(extra)
            row_problems.append(Problem("too_many_cells", row_number, "", str(width), str(len(rows[0]))))
        code = None
        region_text = cells["region"]
        if not region_text:
            row_problems.append(Problem("empty_value", row_number, "region"))
        else:
            try:
                region = index.resolve(region_text)
                code = region.code
                if code in first_row_of:
                    row_problems.append(
                        Problem("duplicate_region", row_number, "region", region_text, str(first_row_of[code]))
                    )
                else:
                    first_row_of[code] = row_number
            except UnknownRegion:
                row_problems.append(Problem("unknown_region", row_number, "region", region_text))
        counts: dict[str, int] = {}
        for name in ("filled", "started", "excluded"):
            text = cells.get(name, "")
            if not text:
                if name == "excluded":
                    counts[name] = 0
                else:
                    row_problems.append(Problem("empty_value", row_number, name))
                continue
            try:
                counts[name] = parse_count(text)
            except ParseError as exc:
                row_problems.append(Problem(exc.code, row_number, name, text))
        planned: Fraction | None = None
        if cells.get("planned"):
            try:
                planned = parse_planned(cells["planned"])
            except ParseError as exc:
                row_problems.append(Problem(exc.code, row_number, "planned", cells["planned"]))
        if row_problems or code is None:
            problems += row_problems
            continue
        inputs.append(RegionInput(code, counts["filled"], counts["started"], counts["excluded"], planned))
    if not problems and data_rows == 0:
        problems.append(Problem("no_rows"))
    if problems:
        raise InputError(problems)
    return inputs


def read_reports(data: bytes, index: RegionIndex) -> list[RegionInput]:
    return parse_reports(read_table(data), index)


def read_reports_file(path: Path, index: RegionIndex) -> list[RegionInput]:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError([Problem("unreadable_file", detail=exc.strerror or str(exc))]) from None
    return read_reports(data, index)
