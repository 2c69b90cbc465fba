"""Problems found in input in words: one catalog from a problem's code to its English and Swedish text.

``allocation.problems.Problem`` is a value (a code, the row and column it concerns, the value and a detail);
here it becomes the sentence the dashboard (Swedish) or the command line and logs (English) show, naming
its row and column first: "rad 3, kolumn Region: okänd region "Atlantis"".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

from allocation.problems import SHOWN_PROBLEMS, InputError, Problem, ProblemValue
from present import formats as f

__all__ = ["MESSAGES", "lines_en", "lines_sv", "problem_en", "problem_sv"]

MESSAGES: dict[str, tuple[str, str]] = {
    "unreadable_file": ("cannot read the file: {detail}", "filen går inte att läsa: {detail}"),
    "file_too_large": (
        "the file is {value}; at most {detail} is accepted",
        "filen är {value}; högst {detail} tas emot",
    ),
    "zip_too_large": (
        "the XLSX file unpacks to more than {detail}, the most that is accepted (a damaged file or a zip bomb?)",
        "XLSX-filen packas upp till mer än {detail}, det mesta som tas emot (en skadad fil eller en zipbomb?)",
    ),
    "zip_too_many_members": (
        "the XLSX file holds {value} parts; at most {detail} are accepted",
        "XLSX-filen består av {value} delar; högst {detail} tas emot",
    ),
    "xml_too_many_tags": (
        "the XLSX part {value} holds more than {detail} XML tags (a damaged or generated file?); "
        "save it again as a new workbook or as CSV",
        "XLSX-filens del {value} har fler än {detail} XML-taggar (en skadad eller maskinskapad fil?); "
        "spara den på nytt som en ny arbetsbok eller som CSV",
    ),
    "too_many_rows": (
        "more than {detail} rows with content; split the file",
        "fler än {detail} rader med innehåll; dela upp filen",
    ),
    "too_many_cells_in_file": (
        "more than {detail} cells; remove empty or unused columns and rows, or split the file",
        "fler än {detail} celler; ta bort tomma eller oanvända kolumner och rader, eller dela upp filen",
    ),
    "beyond_last_row": (
        "content below row {detail}; remove the rows in between",
        "innehåll nedanför rad {detail}; ta bort raderna däremellan",
    ),
    "too_many_columns": (
        "content beyond column {detail}, the last one that is read",
        "innehåll efter kolumn {detail}, den sista som läses",
    ),
    "cell_too_long": (
        "the cell holds {value} characters; at most {detail} are accepted",
        "cellen innehåller {value} tecken; högst {detail} tas emot",
    ),
    "not_utf8": (
        "the file is not UTF-8 text (save it as 'CSV UTF-8' or as XLSX)",
        'filen är inte UTF-8-text (spara den som "CSV UTF-8" eller som XLSX)',
    ),
    "empty_file": ("the file has no header row", "filen saknar rubrikrad"),
    "no_rows": ("the file has a header but no data rows", "filen har rubriker men inga datarader"),
    "missing_column": ("missing column '{value}'", 'kolumnen "{value}" saknas'),
    "missing_column_named": ("missing column '{value}' (in Swedish '{detail}')", 'kolumnen "{detail}" saknas'),
    "region_mismatch": (
        "'{value}' is not the region of län code {detail}",
        '"{value}" är inte regionen med länskod {detail}',
    ),
    "missing_date": (
        "no date received: add a column 'received' (YYYY-MM-DD) or give the date",
        "datum mottagen saknas: lägg till kolumnen Mottagen (ÅÅÅÅ-MM-DD) eller välj datumet",
    ),
    "future_date": ("'{value}' is after today ({detail})", '"{value}" är senare än i dag ({detail})'),
    "unknown_column": (
        "unknown column '{value}' (expected {detail})",
        'okänd kolumn "{value}" (förväntade {detail})',
    ),
    "duplicate_column": ("column '{value}' appears twice", 'kolumnen "{value}" förekommer två gånger'),
    "unknown_region": ("unknown region '{value}'", 'okänd region "{value}"'),
    "duplicate_region": (
        "region '{value}' appears again (first on row {detail})",
        'regionen "{value}" förekommer igen (först på rad {detail})',
    ),
    "too_many_cells": (
        "the row has {value} cells but the header only {detail} (a decimal comma in a comma-separated file?)",
        "raden har {value} celler men rubrikraden bara {detail} (decimalkomma i en kommaseparerad fil?)",
    ),
    "not_a_date": ("'{value}' is not a date (write YYYY-MM-DD)", '"{value}" är inget datum (skriv ÅÅÅÅ-MM-DD)'),
    "duplicate_row": (
        "the same row for '{value}' appears again (first on row {detail})",
        'samma rad för "{value}" förekommer igen (först på rad {detail})',
    ),
    "missing_regions": ("regions missing from the table: {value}", "regioner saknas i tabellen: {value}"),
    "wrong_sum": (
        "the amounts sum to {value}: {detail}",
        "beloppen summerar till {value}: {detail}",
    ),
    "no_ombud": ("no approved ombud on {value} ({detail})", "inget godkänt ombud den {value} ({detail})"),
    "above_max": (
        "{value} is above the region's maximum ({detail})",
        "{value} överstiger regionens högsta belopp ({detail})",
    ),
    "too_large": ("'{value}' is larger than {detail}", '"{value}" är större än {detail}'),
    "below_requisitioned": (
        "{value} is less than the region has already requisitioned ({detail})",
        "{value} är mindre än regionen redan har rekvirerat ({detail})",
    ),
    "empty_value": ("empty value; write 0 if there is none", "tomt värde; skriv 0 om det inte finns några"),
    "foreign_digits": (
        "'{value}' has digits other than 0-9; write the number with 0-9",
        '"{value}" har andra siffror än 0–9; skriv talet med 0–9',
    ),
    "too_many_decimals": (
        "'{value}' has more than {detail} decimals",
        '"{value}" har fler än {detail} decimaler',
    ),
    "too_many_digits": (
        "'{value}' has more than {detail} digits before the decimal mark",
        '"{value}" har fler än {detail} siffror före decimaltecknet',
    ),
    "not_a_number": ("'{value}' is not a number", '"{value}" är inte ett tal'),
    "negative_number": ("'{value}' is negative", '"{value}" är negativt'),
    "not_whole": ("'{value}' is not a whole number", '"{value}" är inte ett heltal'),
    "invalid_number": ("'{value}': {detail}", '"{value}": {detail}'),
    "reversed_range": (
        "'{value}' is a reversed range (write the lower bound first)",
        '"{value}" är ett omvänt intervall (skriv det lägre talet först)',
    ),
}


# A column named by its key (the header as written is not known), as the import files name it in Swedish
# (``ingest.columns.COLUMNS``; tests/test_problem_texts.py checks they agree).
COLUMN_SV = {"region": "Region", "code": "Länskod", "received": "Mottagen", "amount": "Belopp"}

Params = Mapping[str, ProblemValue]


def _kr(p: Params, name: str, swedish: bool) -> str:
    value = p.get(name)
    amount = value if isinstance(value, int) else 0
    return f.kr(amount) if swedish else f"{amount:,} kr"


def _day(value: ProblemValue) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def _no_ombud(p: Params, value: str, swedish: bool) -> str:
    approved = p.get("approved")
    if swedish:
        when = "inget godkänt" if approved is None else f"godkänt först {_day(approved)}"
        return f"inget godkänt ombud den {value} ({p.get('name')}: {when})"
    when = "none approved" if approved is None else f"approved only on {_day(approved)}"
    return f"no approved ombud on {value} ({p.get('name')}: {when})"


def _above_max(p: Params, value: str, swedish: bool) -> str:
    amount, top, before = (_kr(p, k, swedish) for k in ("amount", "maximum", "already"))
    if swedish:
        return (
            f"{amount} överstiger regionens högsta belopp ({p.get('name')} kan rekvirera högst {top}; "
            f"redan rekvirerat {before})"
        )
    return f"{amount} is above the region's maximum ({p.get('name')} may requisition at most {top}; already {before})"


def _below_requisitioned(p: Params, value: str, swedish: bool) -> str:
    amount, before = _kr(p, "amount", swedish), _kr(p, "already", swedish)
    if swedish:
        return f"{amount} är mindre än regionen redan har rekvirerat ({p.get('name')}: {before})"
    return f"{amount} is less than the region has already requisitioned ({p.get('name')}: {before})"


# Codes whose text is composed from ``Problem.params`` (amounts, names, dates) rather than a detail.
FROM_PARAMS: Mapping[str, Callable[[Params, str, bool], str]] = {
    "no_ombud": _no_ombud,
    "above_max": _above_max,
    "below_requisitioned": _below_requisitioned,
}


def _where(problem: Problem, swedish: bool) -> str:
    parts = []
    if problem.row:
        parts.append(f"{'rad' if swedish else 'row'} {problem.row}")
    column = problem.column
    if not column and problem.params.get("column"):
        key = str(problem.params["column"])
        column = COLUMN_SV.get(key, key) if swedish else key
    if column:
        parts.append(f"{'kolumn' if swedish else 'column'} {column}")
    return ", ".join(parts)


def _render(problem: Problem, swedish: bool) -> str:
    if problem.params and problem.code in FROM_PARAMS:
        text = FROM_PARAMS[problem.code](problem.params, problem.value, swedish)
    else:
        english, swedish_text = MESSAGES.get(problem.code, ("{value} {detail}", "{value} {detail}"))
        detail = problem.detail_sv if swedish and problem.detail_sv else problem.detail
        text = (swedish_text if swedish else english).format(value=problem.value, detail=detail).strip()
    where = _where(problem, swedish)
    return f"{where}: {text}" if where else text


def problem_en(problem: Problem) -> str:
    """The problem in English, naming its row and column (the command line, logs)."""
    return _render(problem, False)


def problem_sv(problem: Problem) -> str:
    """The problem in Swedish, naming its row and column (the dashboard)."""
    return _render(problem, True)


def _lines(problems: InputError | Sequence[Problem], limit: int, swedish: bool) -> list[str]:
    error = problems if isinstance(problems, InputError) else InputError(list(problems))
    shown, more = error.shown(limit)
    lines = [_render(p, swedish) for p in shown]
    if more:
        lines.append(f"… och {more} fel till" if swedish else f"… and {more} more problems")
    return lines


def lines_en(problems: InputError | Sequence[Problem], limit: int = SHOWN_PROBLEMS) -> list[str]:
    """Every problem in English, the first ``limit`` of them listed and the rest counted."""
    return _lines(problems, limit, False)


def lines_sv(problems: InputError | Sequence[Problem], limit: int = SHOWN_PROBLEMS) -> list[str]:
    """Every problem in Swedish, the first ``limit`` of them listed and the rest counted."""
    return _lines(problems, limit, True)
