"""Swedish number formats (Babel, locale sv_SE): ``1 234 567 kr``, ``12,5``, ``12,0 mnkr``.

Babel's sv_SE uses a non-breaking space as the thousands separator and a comma for decimals.
"""

from __future__ import annotations

from fractions import Fraction

from babel.numbers import format_decimal

LOCALE = "sv_SE"


def number(value: int | float | Fraction, decimals: int = 0) -> str:
    """``1 234`` or ``3,5`` (fixed number of decimals)."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(float(value) if isinstance(value, Fraction) else value, format=pattern, locale=LOCALE)


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
