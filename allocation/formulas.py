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
    """Outcome beyond the plan, less the positions already paid for (*excluded*); may be negative.

    On arrays the result is one new array (the subtractions in place; an excluded of 0 is not subtracted)."""
    raw = outcome_ - planned
    if isinstance(raw, np.ndarray):
        if np.ndim(excluded) or excluded != 0:
            np.subtract(raw, excluded, out=raw)
        return raw
    return raw - excluded


def expansion(outcome_: N, planned: N, excluded: N) -> N:
    """The expansion (*utökning*): outcome − planned − excluded, never below 0."""
    raw = raw_expansion(outcome_, planned, excluded)
    return np.maximum(raw, 0.0, out=raw) if isinstance(raw, np.ndarray) else max(raw, raw * 0)


def per_inhabitants(value: N, population: N, base: int = 100_000) -> N:
    """A value per ``base`` inhabitants (expansion per 100 000 inhabitants); on arrays one new array."""
    if isinstance(value, np.ndarray):
        scaled = np.multiply(value, float(base))
        return np.divide(scaled, population, out=scaled)
    return value * base / population


def step_level(measure: N, thresholds: Sequence[int]) -> N:
    """The highest step reached: how many of the strictly rising thresholds ``measure`` reaches (0: none).

    On arrays the count is kept in bytes (each comparison's booleans added as bytes: numpy casts mixed
    operands in buffers, several times slower) and returned as indices."""
    if isinstance(measure, np.ndarray):
        if len(thresholds) > 255:  # a count that does not fit in a byte
            return sum((measure >= t).astype(np.intp) for t in thresholds) + np.zeros(measure.shape, dtype=np.intp)
        level = np.zeros(measure.shape, dtype=np.uint8)
        reached = np.empty(measure.shape, dtype=bool)
        for threshold in thresholds:
            np.greater_equal(measure, threshold, out=reached)
            level += reached.view(np.uint8)
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
