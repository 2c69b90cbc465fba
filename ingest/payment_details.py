"""Recipients' payment details: the organisation number and the bankgiro number, checked, and read from a file.

Pure: text in, the number in its usual written form out, or an ``InvalidNumber`` saying why in English and
Swedish. Nothing here makes up a number: there are no defaults and no examples; a missing or wrong number
is an error for the person who enters it.

- Organisation number (*organisationsnummer*): 10 digits, written ``NNNNNN-NNNN``; a 12-digit form with
  the prefix ``16`` is accepted. The third digit is at least 2 (what separates it from a personal
  identity number, which is never stored here), and the last digit is the Luhn check digit of the
  nine before it.
- Bankgiro number: 7 or 8 digits, written ``NNN-NNNN`` or ``NNNN-NNNN``, the last a Luhn check digit.

A file (CSV or XLSX, read by ``ingest.spreadsheet.read_table`` within its limits) has a header row with a
region column (``region``, ``län``, ``länskod``, ``kod`` or ``code``: a län code or a region name), an
organisation number column (``organisationsnummer``, ``orgnr``, ``org_number``) and a bankgiro column
(``bankgiro``, ``bg``). Every problem is reported with its row (the header is row 1) and its column as the
file names it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from allocation.problems import InputError, Problem
from allocation.regions import RegionIndex, UnknownRegion
from ingest.spreadsheet import read_table

ORG = "organisationsnummer"
BANKGIRO = "bankgiro"
REGION = "region"
ALIASES = {
    REGION: ("region", "län", "lan", "länskod", "lanskod", "län code", "kod", "code", "region name", "regionnamn"),
    ORG: ("organisationsnummer", "orgnr", "org nr", "org.nr", "org_number", "org number", "organisation number"),
    BANKGIRO: ("bankgiro", "bankgironummer", "bg", "bg-nummer", "bankgiro number"),
}
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]")  # spaces and hyphens/dashes people type


class InvalidNumber(ValueError):
    """A number that is not valid; ``message_sv`` says why in Swedish."""

    def __init__(self, message_en: str, message_sv: str) -> None:
        super().__init__(message_en)
        self.message_en = message_en
        self.message_sv = message_sv


def luhn_ok(digits: str) -> bool:
    """The Luhn (mod 10) check of a digit string whose last digit is the check digit."""
    if not digits or not digits.isascii() or not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _digits(text: str, what_en: str, what_sv: str) -> str:
    cleaned = _SEPARATORS.sub("", text.strip())
    if not cleaned:
        raise InvalidNumber(f"the {what_en} is missing", f"{what_sv} saknas")
    if not (cleaned.isascii() and cleaned.isdigit()):
        raise InvalidNumber(
            f"a {what_en} has only the digits 0-9 (and a hyphen)",
            f"ett {what_sv} består bara av siffrorna 0–9 (och ett bindestreck)",
        )
    return cleaned


def org_number(text: str) -> str:
    """The organisation number as ``NNNNNN-NNNN``; ``InvalidNumber`` if it is not a valid one."""
    digits = _digits(text, "organisation number", "organisationsnummer")
    if len(digits) == 12:
        if not digits.startswith("16"):
            raise InvalidNumber(
                "12 digits are accepted only with the prefix 16 (a personal identity number is not accepted)",
                "12 siffror tas bara emot med prefixet 16 (ett personnummer tas inte emot)",
            )
        digits = digits[2:]
    if len(digits) != 10:
        raise InvalidNumber(
            f"an organisation number has 10 digits, this has {len(digits)}",
            f"ett organisationsnummer har 10 siffror, detta har {len(digits)}",
        )
    if int(digits[2]) < 2:
        raise InvalidNumber(
            "the third digit of an organisation number is at least 2 (this looks like a personal identity number)",
            "tredje siffran i ett organisationsnummer är minst 2 (detta liknar ett personnummer)",
        )
    if not luhn_ok(digits):
        raise InvalidNumber(
            "the check digit (the last) of the organisation number is wrong",
            "kontrollsiffran (den sista) i organisationsnumret stämmer inte",
        )
    return f"{digits[:6]}-{digits[6:]}"


def bankgiro(text: str) -> str:
    """The bankgiro number as ``NNN-NNNN`` or ``NNNN-NNNN``; ``InvalidNumber`` if it is not a valid one."""
    digits = _digits(text, "bankgiro number", "bankgironummer")
    if len(digits) not in (7, 8):
        raise InvalidNumber(
            f"a bankgiro number has 7 or 8 digits, this has {len(digits)}",
            f"ett bankgironummer har 7 eller 8 siffror, detta har {len(digits)}",
        )
    if not luhn_ok(digits):
        raise InvalidNumber(
            "the check digit (the last) of the bankgiro number is wrong",
            "kontrollsiffran (den sista) i bankgironumret stämmer inte",
        )
    return f"{digits[:-4]}-{digits[-4:]}"


@dataclass(frozen=True, slots=True)
class PaymentDetail:
    code: str
    org_number: str  # NNNNNN-NNNN
    bankgiro: str  # NNN-NNNN or NNNN-NNNN
    row: int = 0  # the file's row, for messages


def _header(cells: Sequence[str]) -> tuple[dict[str, tuple[int, str]], list[Problem]]:
    """Column name -> (index, the header as the file writes it); problems with the header."""
    lookup = {alias: name for name, aliases in ALIASES.items() for alias in aliases}
    expected = ", ".join(ALIASES)
    columns: dict[str, tuple[int, str]] = {}
    problems = []
    for index, cell in enumerate(cells):
        shown = cell.strip()
        if not shown:
            continue
        name = lookup.get(" ".join(shown.casefold().split()))
        if name is None:
            problems.append(Problem("unknown_column", 1, shown, shown, expected))
        elif name in columns:
            problems.append(Problem("duplicate_column", 1, shown, shown))
        else:
            columns[name] = (index, shown)
    problems += [Problem("missing_column", 1, name, name) for name in ALIASES if name not in columns]
    return columns, problems


def _invalid(row: int, column: str, value: str, exc: InvalidNumber) -> Problem:
    return Problem("invalid_number", row, column, value, exc.message_en, exc.message_sv)


def parse_payment_details(rows: Sequence[Sequence[str]], index: RegionIndex) -> list[PaymentDetail]:
    """Every row checked; ``InputError`` with every problem (row and column named), or the details."""
    if not rows or not any(str(cell).strip() for cell in rows[0]):
        raise InputError([Problem("empty_file")])
    columns, problems = _header(rows[0])
    if problems:
        raise InputError(problems)
    found: list[PaymentDetail] = []
    first_row_of: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(str(cell).strip() for cell in row):
            continue
        cells = {name: (row[i].strip() if i < len(row) else "", shown) for name, (i, shown) in columns.items()}
        extra = [cell for cell in row[len(rows[0]) :] if str(cell).strip()]
        if extra:
            problems.append(Problem("too_many_cells", number, "", str(len(rows[0]) + len(extra)), str(len(rows[0]))))
        code = None
        text, shown = cells[REGION]
        if not text:
            problems.append(Problem("empty_value", number, shown))
        else:
            try:
                code = index.resolve(text).code
            except UnknownRegion:
                problems.append(Problem("unknown_region", number, shown, text))
            else:
                if code in first_row_of:
                    problems.append(Problem("duplicate_region", number, shown, text, str(first_row_of[code])))
                    code = None
                else:
                    first_row_of[code] = number
        checked = {}
        for name, check in ((ORG, org_number), (BANKGIRO, bankgiro)):
            value, shown = cells[name]
            try:
                checked[name] = check(value)
            except InvalidNumber as exc:
                problems.append(_invalid(number, shown, value, exc))
        if code is not None and len(checked) == 2:
            found.append(PaymentDetail(code, checked[ORG], checked[BANKGIRO], number))
    if not found and not problems:
        problems.append(Problem("no_rows"))
    if problems:
        raise InputError(sorted(problems, key=lambda p: p.row))
    return found


def read_payment_details(data: bytes, index: RegionIndex) -> list[PaymentDetail]:
    """A CSV or XLSX file of payment details, read within the limits of ``ingest.spreadsheet``."""
    return parse_payment_details(read_table(data), index)


def shared_numbers(details: dict[str, tuple[str, str]], codes: set[str]) -> list[tuple[str, str, list[str]]]:
    """Numbers that ``codes`` share with another recipient: (``ORG`` or ``BANKGIRO``, number, all its codes).

    Two regions with one bankgiro or one organisation number is almost always a typing error that would
    send one region's money to another; staff confirm it before it is saved."""
    shared = []
    for kind, index in ((ORG, 0), (BANKGIRO, 1)):
        holders: dict[str, list[str]] = {}
        for code, numbers in sorted(details.items()):
            holders.setdefault(numbers[index], []).append(code)
        for number, holding in sorted(holders.items()):
            if len(holding) > 1 and codes & set(holding):
                shared.append((kind, number, holding))
    return shared
