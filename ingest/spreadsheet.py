"""A CSV or XLSX file's cells as text, read whole and within limits that no real file meets.

Pure: bytes in, rows out. Every reader of the project (AT reports, requisitions, the official table)
goes through ``read_table``. Rows are numbered as in a spreadsheet: the header is row 1, and blank rows
count. Limits (README, "Files that are refused"): a file over ``MAX_BYTES`` is refused before it is
parsed; an XLSX's zip members are checked for their declared and their actual uncompressed sizes and
their number of XML tags before openpyxl opens it; rows, columns, cells and cell lengths are then
counted row by row, and reading stops at the first excess. The sheet's stored ``<dimension>`` is
never trusted (some generators write stale ones, and
openpyxl's read-only mode would silently cut the sheet to it): every row the sheet holds is read.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime, time
from typing import Any

from allocation.problems import InputError, Problem

MAX_BYTES = 2 * 1024 * 1024  # a 21-region file is a few kB; 290 kommuner with many rows each stay far below
MAX_ROWS = 2_000  # non-blank rows, the header included: 290 kommuner several times over
MAX_ROW_NUMBER = 100_000  # the number of the last non-blank row (blank rows in between count)
MAX_COLUMNS = 30  # the last non-empty column (the formats have at most five)
MAX_CELLS = 12_000  # cells read, empty ones included (a row is counted once openpyxl has parsed it)
MAX_CELL_CHARS = 1_000
MAX_UNCOMPRESSED = 10 * 1024 * 1024  # the zip members together, as declared and as actually inflated
MAX_ZIP_MEMBERS = 500
# openpyxl pays for every XML element it parses (10–100 µs each, styles and defined names the most), so
# bytes alone do not bound the time: a 20 kB file can hold two million empty elements. The tags ("<")
# of each XML part are counted while it is inflated, before openpyxl parses anything. A full sheet of
# MAX_CELLS cells is about 4 tags a cell; a real workbook's styles are a few thousand tags.
TAG_LIMITS = (
    ("xl/worksheets/", 60_000),  # MAX_CELLS cells at about 4 tags each, and their rows
    ("xl/sharedStrings.xml", 40_000),  # about 10 000 distinct texts; a real file has a few hundred
    ("xl/styles.xml", 20_000),
    ("xl/workbook.xml", 5_000),
)
MAX_TAGS_OTHER = 20_000  # any other part (relations, properties, theme, drawings)

_CHUNK = 256 * 1024


def _n(value: int) -> str:
    """A count with a space as thousands separator, as both languages' messages print it."""
    return f"{value:,}".replace(",", " ")


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")


def _last_column() -> str:
    return f"{column_letter(MAX_COLUMNS)} ({MAX_COLUMNS})"


def _refuse(code: str, row: int = 0, column: str = "", value: str = "", detail: str = "") -> InputError:
    return InputError([Problem(code, row, column, value, detail)])


def unreadable(detail: str, detail_sv: str) -> InputError:
    """A file that cannot be read, with the reason in both languages."""
    return InputError([Problem("unreadable_file", detail=detail, detail_sv=detail_sv)])


def _not_xlsx(exc: BaseException) -> InputError:
    name = type(exc).__name__
    return unreadable(f"not a valid XLSX file ({name})", f"inte en giltig XLSX-fil ({name})")


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 1-based column index: 1 → A, 27 → AA."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_text(value: Any) -> str:
    """A cell's value as the text a person would type (a date cell as ISO date, 12.0 as 12)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        # Excel keeps 15 significant digits; a computed 0.1 + 0.2 is stored as 0.30000000000000004.
        return str(int(value)) if value.is_integer() else format(value, ".15g")
    return str(value).strip()


class _Rows:
    """Rows as they are read, checked against the limits on arrival; reading stops at the first excess."""

    def __init__(self) -> None:
        self.rows: list[list[str]] = []
        self.filled = 0
        self.cells = 0
        self.header: list[str] = []

    def _column_name(self, index: int) -> str:
        name = self.header[index - 1].strip() if index - 1 < len(self.header) else ""
        return name if name and len(name) <= 40 else column_letter(index)

    def count(self, number: int, cells: int) -> None:
        """Count the cells of a row as read (empty ones too); stop at the first beyond ``MAX_CELLS``."""
        self.cells += cells
        if self.cells > MAX_CELLS:
            raise _refuse("too_many_cells_in_file", number, "", "", _n(MAX_CELLS))

    def add(self, number: int, cells: list[str]) -> None:
        while cells and not cells[-1].strip():
            cells.pop()
        if not cells:
            return  # a blank row is not kept; the numbers of the rows after it still count it
        if number <= len(self.rows):  # a sheet whose rows are out of order or repeated
            raise unreadable(f"row {number} appears out of order", f"rad {number} kommer i fel ordning")
        if number > MAX_ROW_NUMBER:
            raise _refuse("beyond_last_row", number, "", "", _n(MAX_ROW_NUMBER))
        if len(cells) > MAX_COLUMNS:
            raise _refuse("too_many_columns", number, column_letter(len(cells)), "", _last_column())
        for index, text in enumerate(cells, start=1):
            if len(text) > MAX_CELL_CHARS:
                raise _refuse("cell_too_long", number, self._column_name(index), _n(len(text)), _n(MAX_CELL_CHARS))
        self.filled += 1
        if self.filled > MAX_ROWS:
            raise _refuse("too_many_rows", number, "", "", _n(MAX_ROWS))
        if len(self.rows) < number - 1:
            self.rows.extend([] for _ in range(number - 1 - len(self.rows)))
        if not self.header:
            self.header = cells
        self.rows.append(cells)


def _rows_from_csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError([Problem("not_utf8")]) from None
    if "\x00" in text:
        raise unreadable("it is not a CSV or XLSX file", "det är varken en CSV- eller en XLSX-fil")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    rows = _Rows()
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
            rows.count(number, len(row))
            rows.add(number, row)
    except csv.Error as exc:  # e.g. a field beyond the csv module's size limit
        raise unreadable(f"not a valid CSV file ({exc})", f"inte en giltig CSV-fil ({exc})") from None
    return rows.rows


def _tag_limit(name: str) -> int:
    """How many XML tags the zip member ``name`` may hold (media and other binary parts: no limit)."""
    if not name.endswith((".xml", ".rels")):
        return 2**62
    return next((limit for prefix, limit in TAG_LIMITS if name.startswith(prefix)), MAX_TAGS_OTHER)


def _check_zip(data: bytes) -> None:
    """Refuse a zip whose members inflate beyond the limits, before openpyxl parses any of it.

    The declared sizes are summed first. Then every member is inflated in chunks, its bytes and XML
    tags counted and thrown away (nothing larger than a chunk is held): a member that declares less
    than it holds is cut at its declared size by ``zipfile`` and then fails its CRC check, so it is
    refused as damaged.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise _not_xlsx(exc) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise _refuse("zip_too_many_members", value=_n(len(members)), detail=_n(MAX_ZIP_MEMBERS))
        declared = sum(m.file_size for m in members)
        if declared > MAX_UNCOMPRESSED:
            raise _refuse("zip_too_large", detail=_mb(MAX_UNCOMPRESSED))
        inflated = 0
        for member in members:
            tag_limit = _tag_limit(member.filename)
            tags = 0
            try:
                with archive.open(member) as stream:
                    while chunk := stream.read(_CHUNK):
                        inflated += len(chunk)
                        if inflated > MAX_UNCOMPRESSED:
                            raise _refuse("zip_too_large", detail=_mb(MAX_UNCOMPRESSED))
                        tags += chunk.count(b"<")
                        if tags > tag_limit:
                            raise _refuse("xml_too_many_tags", value=member.filename[:80], detail=_n(tag_limit))
            except InputError:
                raise
            except Exception as exc:  # zipfile raises several kinds for a damaged or encrypted member
                raise _not_xlsx(exc) from None


def _rows_from_xlsx(data: bytes) -> list[list[str]]:
    _check_zip(data)
    from openpyxl import load_workbook  # imported here: only XLSX input needs it
    from openpyxl.worksheet._reader import WorkSheetParser

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise _not_xlsx(exc) from None
    rows = _Rows()
    try:
        sheet = workbook.worksheets[0]
        # openpyxl's own sheet parser, row by row: iter_rows() would trust the stored <dimension> and
        # fill the gaps up to whatever row number the file claims; here each row is checked as it comes.
        with sheet._get_source() as source:
            parser = WorkSheetParser(
                source,
                sheet._shared_strings,
                data_only=True,
                epoch=workbook.epoch,
                date_formats=workbook._date_formats,
                timedelta_formats=workbook._timedelta_formats,
            )
            for number, cells in parser.parse():
                rows.count(number, len(cells))
                values: dict[int, str] = {}
                for cell in cells:
                    column = int(cell["column"])
                    text = cell_text(cell["value"])
                    if not text:
                        continue
                    if column > MAX_COLUMNS:
                        raise _refuse("too_many_columns", number, column_letter(column), "", _last_column())
                    values[column] = text
                width = max(values, default=0)
                rows.add(number, [values.get(i, "") for i in range(1, width + 1)])
    except InputError:
        raise
    except Exception as exc:  # the sheet's XML is read lazily: a damaged sheet fails only here
        raise _not_xlsx(exc) from None
    finally:
        workbook.close()
    return rows.rows


def too_large(size: int) -> InputError:
    """The refusal of a file of ``size`` bytes, over ``MAX_BYTES``."""
    return _refuse("file_too_large", value=_mb(size), detail=_mb(MAX_BYTES))


def read_table(data: bytes) -> list[list[str]]:
    """The cells of a CSV (UTF-8, with or without BOM; comma or semicolon) or XLSX file as text.

    Rows are indexed from the header (index 0 = row 1); a blank row is an empty list.
    """
    if len(data) > MAX_BYTES:
        raise too_large(len(data))
    if data[:4] == b"PK\x03\x04":
        return _rows_from_xlsx(data)
    return _rows_from_csv(data)
