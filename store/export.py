"""Exports of any table and of any allocation result, as CSV (Swedish Excel) and XLSX.

CSV: UTF-8 with BOM, semicolon-separated, decimal comma, CRLF line ends — what Excel with Swedish
settings opens as columns (the importers read it back). XLSX: the data sheet plus a sheet "Om uttaget" with the
parameters, the method, the rule file's version and the data dates, so a printed copy explains itself.

Every time in an export is Swedish time (Europe/Stockholm, as the store records it) and says so; a file
name carries the round's short title, the scenario and the date (``export_file_name``), never an internal id.

No cell of an export is a formula (``present/cells.py``): in CSV a text that begins with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return gets a leading single quote, numbers are untouched; in
XLSX every text — data, header, the "Om uttaget" sheet — is a string cell, kept verbatim.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

import pandas as pd

from allocation.block_convert import recipients_from_regions
from allocation.block_engine import allocate_round
from allocation.whatif import apply
from present.block_method import method_rows
from present.block_table import result_columns, with_sum_row
from present.cells import csv_cell, csv_text, ooxml_text
from store.core import now_local
from store.model import EXPORTABLE_TABLES, Scenario
from store.service import Store

if TYPE_CHECKING:  # openpyxl is imported where a workbook is written: no page needs it to open
    from openpyxl.worksheet.worksheet import Worksheet

    from store.session import Session

KRONOR_FORMAT = '#,##0 "kr"'
COUNT_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0%"
TIME_ZONE_SV = "svensk tid (Europe/Stockholm)"
CREATED = "Skapad"
TIMES = "Tider i tabellen"
NO_SCENARIO_SV = "inget sparat scenario (den aktuella simuleringen)"

# An about row's value: a text, or a number (a count stays a number the spreadsheet can sum).
AboutValue = str | int | float
# A column's number format: one for every row, or one per row (None: the guessed format).
ColumnFormat = str | Sequence[str | None]


def stamp(moment: datetime | None = None) -> str:
    """``2023-10-25 16:22 svensk tid (Europe/Stockholm)``: now, or a time as the store records it, with its zone."""
    return f"{(moment or now_local()):%Y-%m-%d %H:%M} {TIME_ZONE_SV}"


def created_row() -> tuple[str, str]:
    """When an export was made, in Swedish time, saying so."""
    return (CREATED, stamp())


def _file_part(text: str, limit: int = 40) -> str:
    """A part of a file name: ASCII letters, digits and hyphens (å → a, "AT-tjänster 2023" → "AT-tjanster-2023")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-")[:limit].strip("-")


def export_file_name(*parts: str | None, ext: str, day: date | None = None) -> str:
    """A file name safe on every system: the parts (round's short title, what, region, scenario) and the date.

    ``export_file_name("AT-tjänster 2023", "förhandsbesked", "Gotland", ext="xlsx")`` is
    ``AT-tjanster-2023_forhandsbesked_Gotland_2023-10-25.xlsx`` on that day (Swedish time). Empty parts are
    left out; a part is at most 40 characters.
    """
    words = [w for w in (_file_part(p) for p in parts if p) if w]
    words.append((day or now_local().date()).isoformat())
    return "_".join(words) + "." + (_file_part(ext).lower() or "dat")


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
    about: Sequence[tuple[str, AboutValue]],
    sheet_name: str = "Data",
    formats: Mapping[str, ColumnFormat] | None = None,
) -> bytes:
    """A workbook: the frame (bold header, frozen, sized columns, Swedish-readable formats) and "Om uttaget".

    ``formats`` sets a column's number format (``PERCENT_FORMAT``, ``KRONOR_FORMAT``, ...), for the whole
    column or per row, where the guess from the column's name and type would be wrong. "Om uttaget" ends
    with when the file was made (Swedish time, stated) unless ``about`` says it, and states the time zone
    of the table's times when it has any.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

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
        chosen = (formats or {}).get(str(column))
        per_row = [chosen] * len(frame) if chosen is None or isinstance(chosen, str) else list(chosen)
        for cell, own in zip(sheet[letter][1:], per_row, strict=True):
            if own or number_format:
                cell.number_format = own or number_format
    sheet.freeze_panes = "A2"
    keys = {key for key, _ in about}
    about = list(about)
    if TIMES not in keys and any(pd.api.types.is_datetime64_any_dtype(v) for _, v in frame.items()):
        about.append((TIMES, TIME_ZONE_SV))
    if CREATED not in keys:
        about.append(created_row())

    info = workbook.create_sheet("Om uttaget")
    _append(info, ["Uppgift", "Värde"])
    for cell in info[1]:
        cell.font = Font(bold=True)
    for key, value in about:
        _append(info, [key, value])
        if isinstance(value, int | float) and not isinstance(value, bool):
            info.cell(row=info.max_row, column=2).number_format = (
                COUNT_FORMAT if float(value).is_integer() else DECIMAL_FORMAT
            )
    info.column_dimensions["A"].width = 26
    info.column_dimensions["B"].width = 110
    for row in info.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
        row[0].alignment = Alignment(vertical="top")

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def store_facts(store: Store | Session, round_id: str | None = None) -> list[tuple[str, str]]:
    """The rules' versions (of one round, or of every round) and the data dates, for the "Om uttaget" sheet.

    In the words users know: a round by its short title, never its id or a database detail.
    """
    rows = []
    for rid in [round_id] if round_id else store.rounds.round_ids():
        doc = store.rounds.round_document(rid)
        rows.append(("Regelfil", f"{doc.get('short_title') or doc['title']}, version {doc['version']}"))
    rows += [(key, value) for key, value in store.audit.facts() if key == "Befolkningsdatum"]
    return rows


def export_table(store: Store | Session, table: str, fmt: str) -> bytes:
    """Any exportable table of the store as CSV or XLSX."""
    frame = store.audit.table(table)
    if fmt == "csv":
        return frame_to_csv(frame)
    about = [
        ("Tabell", EXPORTABLE_TABLES[table]),
        ("Rader", str(len(frame))),
        *store_facts(store),
        created_row(),
    ]
    return frame_to_xlsx(frame, about, sheet_name=table)


def export_scenario(store: Store, scenario: Scenario, fmt: str) -> bytes:
    """A saved scenario's result, of any round, as the simulator exports it: the same table (one row per
    recipient, a ``Summa`` row) and, in XLSX, the same method sheet with who saved it and under which rules.

    A scenario saved in the 2023 format is read as the what-if of its round, as the simulator opens it.
    """
    round_ = store.rounds.block_round(scenario.round_id)
    what_if = scenario.what_if
    applied = apply(round_, what_if)
    recipients = recipients_from_regions(store.rounds.regions(round_.population_date))
    result = allocate_round(applied, recipients, what_if.values, what_if.events, dict(what_if.pots))
    frame = with_sum_row(pd.DataFrame(result_columns(applied, result, recipients, what_if.values)))
    if fmt == "csv":
        return frame_to_csv(frame)
    method = method_rows(applied, what_if, result, f"scenariot ”{scenario.name}”", scenario.name)
    said = {key for key, _ in method}  # the rules file and the population date among them: said once
    rows: list[tuple[str, AboutValue]] = [
        *method,
        ("Sparat av", f"{scenario.author}, {stamp(scenario.created)}"),
        ("Regelversion vid sparande", scenario.rules_version),
        *([("Anteckning", scenario.note)] if scenario.note else []),
        *(row for row in store_facts(store, scenario.round_id) if row[0] not in said and row[0] != "Regelfil"),
        created_row(),
    ]
    return frame_to_xlsx(frame, rows, sheet_name="Fördelning")
