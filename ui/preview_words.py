"""Amounts in words for a region official: exact kronor only where a figure is exact, otherwise rounded to
what a simulation can know ("omkring 71 miljoner kr; i 8 fall av 10 mellan 53 och 102 miljoner kr")."""

from __future__ import annotations

from fractions import Fraction

from present import formats as f

MILLION = 1_000_000


def _millions(value: int) -> str:
    """``71`` (whole millions from 10 million), ``9,4`` (one decimal below)."""
    if value >= 10 * MILLION:
        return f.number(round(Fraction(value, MILLION)))
    return f.number(Fraction(value, MILLION), 1)


def _miljoner(number: str) -> str:
    return f"{number} {'miljon' if number in ('1', '1,0') else 'miljoner'}\u00a0kr"


def about_kr(value: int) -> str:
    """A simulated amount rounded: ``71 miljoner kr``, ``9,4 miljoner kr``, ``850 000 kr``, ``4 000 kr``."""
    if value >= MILLION - 50_000:
        return _miljoner(_millions(max(value, MILLION)))
    if value >= 100_000:
        return f.kr(round(value, -4))
    return f.kr(round(value, -3))


def about_range(low: int, high: int) -> str:
    """``mellan 53 och 102 miljoner kr`` (the unit said once when both are millions)."""
    if low >= MILLION - 50_000 and high >= MILLION - 50_000:
        return f"mellan {_millions(max(low, MILLION))} och {_miljoner(_millions(high))}"
    return f"mellan {about_kr(low)} och {about_kr(high)}"


def about_sentence(median: int, low: int, high: int) -> str:
    """``omkring 71 miljoner kr; i 8 fall av 10 mellan 53 och 102 miljoner kr`` (without the spread when it
    rounds to one figure)."""
    text = f"omkring {about_kr(median)}"
    if about_kr(low) != about_kr(high):
        text += f"; i 8 fall av 10 {about_range(low, high)}"
    return text


def about_spread(low: int, high: int) -> str:
    """``I 8 fall av 10 mellan 53 och 102 miljoner kr``; empty when the two round to one figure."""
    return f"I 8 fall av 10 {about_range(low, high)}" if about_kr(low) != about_kr(high) else ""


def positions(value: int | Fraction) -> str:
    """``1 tjänst``, ``3 tjänster``, ``2,5 tjänster``."""
    return f"{f.count(value)} {'tjänst' if value == 1 else 'tjänster'}"
