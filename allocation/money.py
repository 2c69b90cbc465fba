"""Exact whole-krona apportionment (largest remainder).

No floats: shares are computed with integer ``divmod`` over a common denominator.

Tie-break (documented in the README): the kronor left after flooring go one each to the
parts with the largest fractional remainder; equal remainders go to the part with the
smaller tie-break key first (callers pass the two-digit län code), so the result never
depends on the order of the input.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from math import lcm

# The one upper bound of every amount the product accepts (a pot, a step, a maximum, a requisition, a
# payment): 1 000 000 000 000 kr, a thousand times the largest grant round the seeds describe. Amounts
# are checked against it where they enter (rules files, the round editor, --pot, imports, forms), so no
# amount the store holds can overflow a 64-bit column or a numpy array, even summed over 10 000 recipients.
MAX_AMOUNT = 10**12


def within_bound(value: int) -> bool:
    """True when ``value`` is a whole amount in 0 … ``MAX_AMOUNT`` kronor."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_AMOUNT


def _as_integer_weights(weights: Sequence[Fraction | int]) -> list[int]:
    fractions = [Fraction(w) for w in weights]
    if any(w < 0 for w in fractions):
        raise ValueError("weights must not be negative")
    denominator = lcm(*(w.denominator for w in fractions)) if fractions else 1
    return [w.numerator * (denominator // w.denominator) for w in fractions]


def apportion(total: int, weights: Sequence[Fraction | int], tiebreak: Sequence[str]) -> list[int]:
    """Split ``total`` kronor in proportion to ``weights`` into whole kronor summing to ``total``.

    ``tiebreak`` holds one sortable key per part; among equal remainders the smaller key wins.
    Parts with weight 0 get 0. If every weight is 0, every part gets 0 (nothing can be split).
    """
    if total < 0:
        raise ValueError("total must not be negative")
    if len(weights) != len(tiebreak):
        raise ValueError("one tie-break key per weight")
    ints = _as_integer_weights(weights)
    weight_sum = sum(ints)
    if weight_sum == 0:
        return [0] * len(ints)
    quotients: list[int] = []
    remainders: list[int] = []
    for w in ints:
        q, r = divmod(total * w, weight_sum)
        quotients.append(q)
        remainders.append(r)
    left = total - sum(quotients)
    order = sorted(range(len(ints)), key=lambda i: (-remainders[i], tiebreak[i]))
    for i in order[:left]:
        quotients[i] += 1
    return quotients


def kr(value: int) -> str:
    """An amount in the engine's messages, ``1 234 567 kr`` with a real minus, without Babel.

    The same text as ``present.formats.kr`` (sv_SE: a no-break space between groups), which
    tests/test_formats.py checks; the engine stays free of presentation libraries.
    """
    sign = "\u2212" if value < 0 else ""
    return f"{sign}{abs(value):,}".replace(",", "\u00a0") + "\u00a0kr"
