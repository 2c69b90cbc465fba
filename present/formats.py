"""Swedish number formats (locale sv_SE from Babel): ``1 234 567 kr``, ``12,5``, ``12,0 mnkr``.

Babel's sv_SE uses a non-breaking space as the thousands separator and a comma for decimals.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from babel.numbers import get_decimal_symbol, get_group_symbol, get_minus_sign_symbol

LOCALE = "sv_SE"
# The locale's symbols come from Babel; the digits from Python's own formatting, which rounds a
# Decimal half-to-even exactly as Babel does but is about fifty times faster (a results table
# formats hundreds of cells on every rerun). tests/test_formats.py checks it against Babel.
_SYMBOLS = str.maketrans(
    {",": get_group_symbol(LOCALE), ".": get_decimal_symbol(LOCALE), "-": get_minus_sign_symbol(LOCALE)}
)


def _decimal(value: int | float | Fraction | Decimal) -> int | Decimal:
    if isinstance(value, int | Decimal):
        return value
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(repr(float(value)))  # the shortest repr, as Babel reads a float


def number(value: int | float | Fraction | Decimal, decimals: int = 0) -> str:
    """``1 234`` or ``3,5`` (fixed number of decimals), in the formats of sv_SE."""
    exact = _decimal(value)
    text = format(exact, f",.{decimals}f") if decimals or not isinstance(exact, int) else format(exact, ",")
    return text.translate(_SYMBOLS)


def count(value: int | Fraction) -> str:
    """Positions: whole numbers without decimals, midpoints with one (``2``, ``2,5``)."""
    value = Fraction(value)
    if value.denominator == 1:
        return number(int(value))
    return number(value, decimals=1 if (value * 10).denominator == 1 else 2)


def kr(value: int) -> str:
    """``12 000 000 kr``."""
    return f"{number(value)}\u00a0kr"


def mnkr(value: int, decimals: int = 1) -> str:
    """``12,0 mnkr`` (millions of kronor)."""
    return f"{number(Fraction(value, 1_000_000), decimals)}\u00a0mnkr"


def tkr(value: int) -> str:
    """``12 000 tkr`` (thousands of kronor)."""
    return f"{number(Fraction(value, 1_000))}\u00a0tkr"


def percent(value: Fraction | float, decimals: int = 1) -> str:
    return f"{number(Fraction(value) * 100, decimals)}\u00a0%"


def long_date(day: date) -> str:
    """``1 december 2023`` (Babel's Swedish month names)."""
    from babel.dates import format_date

    return format_date(day, "d MMMM y", locale=LOCALE)
