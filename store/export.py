"""Exports of any table and of any allocation result, as CSV (Swedish Excel) and XLSX.

CSV: UTF-8 with BOM, semicolon-separated, decimal comma, CRLF line ends — what Excel with Swedish
settings opens as columns (the importers read it back). XLSX: the data sheet plus a sheet "Om uttaget" with the
parameters, the method, the rule file's version and the data dates, so a printed copy explains itself.

No cell of an export is a formula (``present/cells.py``): in CSV a text that begins with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return gets a leading single quote, numbers are untouched; in
XLSX every text — data, header, the "Om uttaget" sheet — is a string cell, kept verbatim.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from allocation.at import Allocation
from allocation.rules import AtRound
from present.cells import csv_cell, csv_text, ooxml_text
from present.tables import method_rows, results_frame_sv
from store.model import EXPORTABLE_TABLES
from store.service import Store

if TYPE_CHECKING:
    from store.session import Session

KRONOR_FORMAT = '#,##0 "kr"'
COUNT_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"


def _typed(values: pd.Series) -> bool:
    """Numbers, booleans and datetimes: written as such, never read as a formula."""
    return (
        pd.api.types.is_numeric_dtype(values)
        or pd.api.types.is_bool_dtype(values)
        or pd.api.types.is_datetime64_any_dtype(values)
        or pd.api.types.is_timedelta64_dtype(values)
    )


def frame_to_csv(frame: pd.DataFrame) -> bytes:
    """The frame as Swedish-Excel CSV; every text cell (and header) neutralised, numbers untouched."""
    safe = frame.copy()
    for position, (_, values) in enumerate(frame.items()):
        if not _typed(values):
            safe.isetitem(position, values.map(csv_cell, na_action="ignore"))
    header = [csv_text(str(column)) for column in frame.columns]
    # CRLF (RFC 4180) line ends: the csv writer then quotes a field with a carriage return in it, which
    # it leaves bare when the line end is "\n" alone — and a bare CR ends the row for every reader.
    text = safe.to_csv(sep=";", decimal=",", index=False, header=header, lineterminator="\r\n")
    return text.encode("utf-8-sig")


def _cell_value(value: object) -> object:
    if value is None or (not isinstance(value, str | bytes) and pd.isna(value)):  # type: ignore[arg-type]
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()  # type: ignore[union-attr]
    return value


def _append(sheet: Worksheet, values: Sequence[object]) -> None:
    """A row whose texts are string cells: openpyxl would make "=…" a formula and "#N/A" an error."""
    sheet.append([ooxml_text(v) if isinstance(v, str) else v for v in values])
    row = sheet.max_row
    for column, value in enumerate(values, start=1):
        if isinstance(value, str):
            sheet.cell(row=row, column=column).data_type = "s"


def _is_money(column: str) -> bool:
    lowered = column.casefold()
    if "per" in lowered.split():
        return False
    return any(word in lowered for word in ("amount", "belopp", "trappsteg", "omfördelning", "totalt", "kr", "pott"))


def frame_to_xlsx(
    frame: pd.DataFrame,
    about: Sequence[tuple[str, str]],
    sheet_name: str = "Data",
) -> bytes:
    """A workbook: the frame (bold header, frozen, sized columns, Swedish-readable formats) and "Om uttaget"."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name[:31]
    _append(sheet, [str(c) for c in frame.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in frame.itertuples(index=False):
        _append(sheet, [_cell_value(v) for v in row])
    for index, column in enumerate(frame.columns, start=1):
        letter = get_column_letter(index)
        values = frame[column]
        width = max([len(str(column)), *(len(str(v)) for v in values.head(500))]) + 2
        sheet.column_dimensions[letter].width = min(max(width, 8), 60)
        number_format = None
        if pd.api.types.is_integer_dtype(values) or pd.api.types.is_float_dtype(values):
            if _is_money(str(column)):
                number_format = KRONOR_FORMAT
            elif pd.api.types.is_float_dtype(values) and not (values.dropna() % 1 == 0).all():
                number_format = DECIMAL_FORMAT
            else:
                number_format = COUNT_FORMAT
        elif pd.api.types.is_datetime64_any_dtype(values):
            number_format = "yyyy-mm-dd hh:mm"
        elif values.map(lambda v: isinstance(v, date) and not isinstance(v, datetime)).any():
            number_format = "yyyy-mm-dd"
        if number_format:
            for cell in sheet[letter][1:]:
                cell.number_format = number_format
    sheet.freeze_panes = "A2"

    info = workbook.create_sheet("Om uttaget")
    _append(info, ["Uppgift", "Värde"])
    for cell in info[1]:
        cell.font = Font(bold=True)
    for key, value in about:
        _append(info, [key, value])
    info.column_dimensions["A"].width = 22
    info.column_dimensions["B"].width = 110
    for row in info.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
        row[0].alignment = Alignment(vertical="top")

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def store_facts(store: Store | Session) -> list[tuple[str, str]]:
    """Rule-file versions and data dates held by the store, for the "Om uttaget" sheet."""
    return store.facts()


def export_table(store: Store | Session, table: str, fmt: str) -> bytes:
    """Any exportable table of the store as CSV or XLSX."""
    frame = store.table(table)
    if fmt == "csv":
        return frame_to_csv(frame)
    about = [
        ("Tabell", f"{EXPORTABLE_TABLES[table]} ({table})"),
        ("Rader", str(len(frame))),
        *store_facts(store),
        ("Skapad", datetime.now().strftime("%Y-%m-%d %H:%M")),
    ]
    return frame_to_xlsx(frame, about, sheet_name=table)


def export_allocation(
    at_round: AtRound, allocation: Allocation, fmt: str, extra: dict[str, str] | None = None
) -> bytes:
    """An allocation result (per region, with a totals row) as CSV or XLSX with its method sheet."""
    frame = results_frame_sv(allocation)
    if fmt == "csv":
        return frame_to_csv(frame)
    return frame_to_xlsx(frame, method_rows(at_round, allocation, extra), sheet_name="Fördelning")
