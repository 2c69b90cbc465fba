"""Text cells a spreadsheet will not run: OWASP's guidance on CSV injection, for every export.

Spreadsheet programs read a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and, in some of them,
a tab or a carriage return) as a formula. Texts in the exports come from people and from files: a
user's name, the actor and reason of an audit entry, a scenario's name and note, a requisition
reference in a region's file. A name such as ``=HYPERLINK("http://…";"Klicka")`` or
``=cmd|' /C calc'!A0`` would otherwise run when somebody opens the export. So every export treats
every text cell (OWASP, "CSV Injection"):

- CSV: a text that begins with one of ``FORMULA_TRIGGERS`` gets a single quote in front
  (``'=HYPERLINK(…)``) and the csv writer quotes the field where needed. Only text changes: numbers
  stay numbers (``-5`` in a numeric column is written ``-5``), as do dates and empty cells. The quote
  stays in the file: an importer that reads such a CSV back (``ingest/inputs.py``) sees the
  reference ``'=X``, not ``=X`` — a text that begins with a trigger does not round-trip through CSV
  unchanged (no other text is touched, and none of the importers' numeric columns are).
- XLSX: a text is stored as a string cell, never as a formula, so it keeps every character and cannot
  run (``store/export.py`` sets the cell type). ``ooxml_text`` escapes the few characters XML cannot
  carry (control characters, and a carriage return, which XML turns into a line feed) the way Excel
  reads them back (``_x000D_``), so any text survives verbatim instead of breaking the file.

Pure functions (no pandas, no openpyxl): the engine's CSV output (``present/report.py``) uses them too.
"""

from __future__ import annotations

import re
from datetime import date, time
from numbers import Number

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_PREFIX = "'"

# XML 1.0 cannot hold these (the carriage return it can, but a parser turns it into a line feed);
# OOXML writes a character as _xHHHH_, and a literal "_xHHHH_" in the text as "_x005F_xHHHH_".
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LOOKS_ESCAPED = re.compile("_(?=x[0-9A-Fa-f]{4}_)")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could read this text as a formula (it begins with a trigger)."""
    return text.startswith(FORMULA_TRIGGERS)


def csv_text(text: str) -> str:
    """A text for a CSV field: with a leading single quote when it could be read as a formula."""
    return CSV_PREFIX + text if is_formula_like(text) else text


def csv_cell(value: object) -> object:
    """A value for a CSV field: numbers, dates, booleans and ``None`` unchanged, anything else as safe text."""
    if value is None or isinstance(value, Number | date | time):  # bool is a Number, datetime a date
        return value
    return csv_text(value if isinstance(value, str) else str(value))


def ooxml_text(text: str) -> str:
    """A text as an XLSX string cell carries it: characters XML cannot hold written as ``_xHHHH_``."""
    if "_x" in text:
        text = _LOOKS_ESCAPED.sub("_x005F_", text)
    return _NOT_IN_XML.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


def ooxml_unescape(text: str) -> str:
    """The text Excel shows for an ``ooxml_text`` (the reverse: ``_xHHHH_`` back to the character)."""
    return re.sub("_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), text)
