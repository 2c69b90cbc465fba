"""One small formula per concept of the rules, each defined once and used by the exact and the batch path.

Every formula is written with operators that work the same on exact numbers (``int``, ``Fraction``) and
on numpy arrays (scenarios × recipients), so the exact engine and the simulations cannot drift apart.
The larger of two values is ``max`` on exact numbers (keeping ``int`` and ``Fraction``) and ``np.maximum`` on arrays.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

import numpy as np

N = TypeVar("N", bound=Any)  # an exact number or a numpy array of them


def larger(a: N, b: N) -> N:
    """The larger of two exact numbers, or elementwise of arrays."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return np.maximum(a, b)
    return max(a, b)


def outcome(filled: N, started: N) -> N:
    """The positions a region counts: the higher of filled (*tillsatta*) and started (*påbörjade*)."""
    return larger(filled, started)


def raw_expansion(outcome_: N, planned: N, excluded: N) -> N:
    """Outcome beyond the plan, less the positions already paid for (*excluded*); may be negative."""
    return outcome_ - planned - excluded


def expansion(outcome_: N, planned: N, excluded: N) -> N:
    """The expansion (*utökning*): outcome − planned − excluded, never below 0."""
    raw = raw_expansion(outcome_, planned, excluded)
    return np.maximum(raw, 0.0) if isinstance(raw, np.ndarray) else max(raw, raw * 0)


def per_inhabitants(value: N, population: N, base: int = 100_000) -> N:
    """A value per ``base`` inhabitants (expansion per 100 000 inhabitants)."""
    return value * base / population


def step_level(measure: N, thresholds: Sequence[int]) -> N:
    """The highest step reached: how many of the strictly rising thresholds ``measure`` reaches (0: none).

    On arrays the count is kept in the smallest integer type that holds it (a pass over bytes, not over
    8-byte integers) and returned as indices."""
    if isinstance(measure, np.ndarray):
        level = np.zeros(measure.shape, dtype=np.min_scalar_type(len(thresholds)))
        for threshold in thresholds:
            level += measure >= threshold
        return level.astype(np.intp)
    return sum(measure >= threshold for threshold in thresholds)


def leftover_weight(key: str, measure: N, population: N, base: int) -> N:
    """A qualifying recipient's weight in the leftover: per ``base`` inhabitants, the measure itself, or 1."""
    if key == "expansion_per_100k":
        return per_inhabitants(measure, population, base)
    if key == "expansion":
        return measure
    if key == "equal":
        return measure * 0 + 1
    raise ValueError(f"unknown redistribution key {key!r}")
