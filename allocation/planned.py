"""Parsing of numbers as people type them: planned positions and counts."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction

_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")
_RANGE = re.compile(r"^\s*([^\s\-–—]+)\s*[-–—]\s*([^\s\-–—]+)\s*$")


class ParseError(ValueError):
    """A value that cannot be read; the message is in English and names the value.

    ``code`` is one of the problem codes of ``allocation.problems``.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def parse_number(text: str | int | float | Fraction) -> Fraction:
    """A non-negative decimal number (comma or point as decimal mark) as an exact Fraction."""
    if isinstance(text, Fraction):
        value = text
    elif isinstance(text, bool):
        raise ParseError("not_a_number", f"not a number: {text!r}")
    elif isinstance(text, int):
        value = Fraction(text)
    elif isinstance(text, float):
        if text != text or text in (float("inf"), float("-inf")):
            raise ParseError("not_a_number", f"not a number: {text!r}")
        value = Fraction(Decimal(repr(text)))
    else:
        cleaned = str(text).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        cleaned = cleaned.replace("−", "-").replace("–", "-")
        if not cleaned:
            raise ParseError("empty_value", "empty value")
        if not _DECIMAL.match(cleaned):  # no exponents, no signs but minus: as people write numbers
            raise ParseError("not_a_number", f"not a number: {str(text).strip()!r}")
        try:
            value = Fraction(Decimal(cleaned))
        except (InvalidOperation, ValueError, OverflowError):
            raise ParseError("not_a_number", f"not a number: {str(text).strip()!r}") from None
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

    A reversed range (``5-1``) or a negative number is an error.
    """
    if isinstance(text, str):
        stripped = text.strip()
        if stripped.startswith(("-", "−", "–")):
            raise ParseError("negative_number", f"negative number: {stripped}")
        match = _RANGE.match(stripped)
        if match:
            low = parse_number(match.group(1))
            high = parse_number(match.group(2))
            if low > high:
                raise ParseError("reversed_range", f"reversed range: {stripped} (the lower bound comes first)")
            return (low + high) / 2
    return parse_number(text)
