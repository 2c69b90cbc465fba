"""Parsing of numbers as people type them: planned positions and counts.

Only the digits 0-9 are digits here (``２８０`` or ``٢٨٤`` are refused, not read as numbers), and a
number has at most ``MAX_DIGITS`` digits before and ``MAX_DECIMALS`` after the decimal mark, so every
value that passes can be stored and written back exactly.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction

MAX_DIGITS = 15  # whole kronor up to 10^15 − 1; positions are bounded far lower by their callers
MAX_DECIMALS = 6
MAX_PLANNED = 100_000  # planned AT positions: far above any region's
MAX_PLANNED_DECIMALS = 2  # "12,5"; a range's midpoint adds one more

_DECIMAL = re.compile(r"^-?([0-9]+)(?:\.([0-9]+))?$")
_RANGE = re.compile(r"^\s*([^\s\-–—]+)\s*[-–—]\s*([^\s\-–—]+)\s*$")


class ParseError(ValueError):
    """A value that cannot be read; the message is in English and names the value.

    ``code`` is one of the problem codes of ``present.problems``; ``detail`` fills its ``{detail}``.
    """

    def __init__(self, code: str, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.detail = detail


def _plain_text(text: str | int | float) -> str:
    """The number as text: a str cleaned of spaces and with a point for the decimal mark."""
    if isinstance(text, bool):
        raise ParseError("not_a_number", f"not a number: {text!r}")
    if isinstance(text, int):
        return str(text)
    if isinstance(text, float):
        if text != text or text in (float("inf"), float("-inf")):
            raise ParseError("not_a_number", f"not a number: {text!r}")
        return format(Decimal(repr(text)), "f")
    cleaned = str(text).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    return cleaned.replace("−", "-").replace("–", "-")


def parse_number(text: str | int | float | Fraction, max_decimals: int = MAX_DECIMALS) -> Fraction:
    """A non-negative decimal number (comma or point as decimal mark) as an exact Fraction."""
    if isinstance(text, Fraction):
        value = text
    else:
        cleaned = _plain_text(text)
        shown = str(text).strip()
        if not cleaned:
            raise ParseError("empty_value", "empty value")
        match = _DECIMAL.match(cleaned)
        if not match:  # no exponents, no signs but minus: as people write numbers
            if any(ch.isdigit() and not ch.isascii() for ch in cleaned):
                raise ParseError("foreign_digits", f"digits other than 0-9: {shown!r}")
            raise ParseError("not_a_number", f"not a number: {shown!r}")
        whole, decimals = match.group(1), match.group(2) or ""
        if len(whole.lstrip("0")) > MAX_DIGITS:
            raise ParseError("too_many_digits", f"too many digits: {shown!r}", str(MAX_DIGITS))
        if len(decimals.rstrip("0")) > max_decimals:
            raise ParseError("too_many_decimals", f"too many decimals: {shown!r}", str(max_decimals))
        try:
            value = Fraction(Decimal(cleaned))
        except (InvalidOperation, ValueError, OverflowError):
            raise ParseError("not_a_number", f"not a number: {shown!r}") from None
    if value < 0:
        raise ParseError("negative_number", f"negative number: {text}")
    return value


def parse_count(text: str | int | float) -> int:
    """A non-negative whole number of positions."""
    value = parse_number(text)
    if value.denominator != 1:
        raise ParseError("not_whole", f"not a whole number: {text}")
    return int(value)


def parse_planned(text: str | int | float | Fraction) -> Fraction:
    """Planned positions: a number, or a range ``a-b`` (hyphen or en dash) counted as its midpoint.

    At most ``MAX_PLANNED`` with ``MAX_PLANNED_DECIMALS`` decimals. A reversed range (``5-1``) or a
    negative number is an error.
    """
    value: Fraction | None = None
    if isinstance(text, str):
        stripped = text.strip()
        if stripped.startswith(("-", "−", "–")):
            raise ParseError("negative_number", f"negative number: {stripped}")
        match = _RANGE.match(stripped)
        if match:
            low = parse_number(match.group(1), MAX_PLANNED_DECIMALS)
            high = parse_number(match.group(2), MAX_PLANNED_DECIMALS)
            if low > high:
                raise ParseError("reversed_range", f"reversed range: {stripped} (the lower bound comes first)")
            value = (low + high) / 2
    if value is None:
        value = parse_number(text, MAX_PLANNED_DECIMALS)
    if value > MAX_PLANNED:
        raise ParseError("too_large", f"larger than {MAX_PLANNED}: {text}", f"{MAX_PLANNED:,}".replace(",", " "))
    return value
