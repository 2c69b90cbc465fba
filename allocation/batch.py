"""The batch path: many scenarios at once with numpy (scenarios × regions), for simulations.

Same rules as ``allocation.at``, vectorised in float64 with integer results. Largest remainder is
applied per scenario with the same tie-break (lower län code first; regions are in code order),
so each amount agrees with the exact path within 1 krona and every row still sums to the pot.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from allocation.rules import AtParams, AtRound

# Shares are floored after shrinking by this relative margin, so float error can never round a
# share up past its exact value; the largest-remainder step then hands the krona back.
_FLOOR_MARGIN = 1e-12
_CHUNK = 4096


@dataclass(frozen=True, slots=True)
class BatchResult:
    codes: tuple[str, ...]  # column order (län codes)
    expansion: NDArray[np.float64]  # (S, R)
    step_amount: NDArray[np.int64]  # (S, R)
    redistribution: NDArray[np.int64]  # (S, R)
    total: NDArray[np.int64]  # (S, R)
    unallocated: NDArray[np.int64]  # (S,)
    pot_below_steps: NDArray[np.bool_]  # (S,)


def apportion_rows(totals: NDArray[np.int64], weights: NDArray[np.float64]) -> NDArray[np.int64]:
    """Largest remainder per row: whole numbers proportional to ``weights`` summing to ``totals``.

    Rows whose weights are all 0 get 0. Equal remainders go to the lower column index first.
    """
    n_cols = weights.shape[1]
    weight_sum = weights.sum(axis=1)
    has_weight = weight_sum > 0
    safe_sum = np.where(has_weight, weight_sum, 1.0)
    exact = totals[:, None].astype(np.float64) * weights / safe_sum[:, None]
    floors = np.floor(exact * (1.0 - _FLOOR_MARGIN))
    remainders = exact - floors
    left = np.where(has_weight, totals - floors.sum(axis=1).astype(np.int64), 0)
    # The `left` largest remainders get one krona each. Rather than ranking every row (argsort),
    # find each row's threshold remainder and fill ties from the lowest column index.
    ascending = np.sort(remainders, axis=1)
    threshold = np.take_along_axis(ascending, np.clip(n_cols - left, 0, n_cols - 1)[:, None], axis=1)
    # Above the threshold all get one; of those tied at it, the lowest columns get the rest (no row loop).
    above = remainders > threshold
    tied = remainders == threshold
    need = left - above.sum(axis=1)
    extra = (above | (tied & (np.cumsum(tied, axis=1) <= need[:, None]))) & (left > 0)[:, None]
    shares = floors.astype(np.int64) + extra
    return np.where(has_weight[:, None], shares, 0)


def allocate_batch(
    at_round: AtRound,
    outcome: ArrayLike,
    *,
    planned: ArrayLike | None = None,
    excluded: ArrayLike | None = 0,
    params: AtParams | None = None,
    pots: ArrayLike | None = None,
) -> BatchResult:
    """Allocate S scenarios at once. ``outcome`` is (S, R) in the round's region order (by län code).

    ``planned`` and ``excluded`` broadcast to (S, R); ``planned`` defaults to the planning document.
    ``pots`` (S,) overrides ``params.pot`` per scenario.
    """
    params = params or at_round.default_params()
    regions = at_round.regions
    out = np.asarray(outcome, dtype=np.float64)
    if out.ndim != 2 or out.shape[1] != len(regions):
        raise ValueError(f"outcome must have shape (scenarios, {len(regions)})")
    n, r = out.shape
    plan = (
        np.array([float(at_round.planned_value(x.code)) for x in regions])
        if planned is None
        else np.asarray(planned, dtype=np.float64)
    )
    plan = np.broadcast_to(plan, (n, r))
    excl = np.broadcast_to(np.asarray(0 if excluded is None else excluded, dtype=np.float64), (n, r))
    pot = np.broadcast_to(np.asarray(params.pot if pots is None else pots, dtype=np.int64), (n,))
    if (pot < 0).any():
        raise ValueError("pots must not be negative")
    key_factor = (
        params.per_inhabitants / np.array([x.population for x in regions], dtype=np.float64)
        if params.key == "expansion_per_100k"
        else None
    )

    result = BatchResult(
        codes=tuple(x.code for x in regions),
        expansion=np.empty((n, r)),
        step_amount=np.empty((n, r), dtype=np.int64),
        redistribution=np.empty((n, r), dtype=np.int64),
        total=np.empty((n, r), dtype=np.int64),
        unallocated=np.empty(n, dtype=np.int64),
        pot_below_steps=np.empty(n, dtype=bool),
    )
    # Chunks small enough to stay in the CPU cache: large temporaries cost more in page faults
    # than in arithmetic on this kind of machine.
    for start in range(0, n, _CHUNK):
        rows = slice(start, min(start + _CHUNK, n))
        _allocate_chunk(params, key_factor, out[rows], plan[rows], excl[rows], pot[rows], result, rows)
    return result


def _allocate_chunk(
    params: AtParams,
    key_factor: NDArray[np.float64] | None,
    out: NDArray[np.float64],
    plan: NDArray[np.float64],
    excl: NDArray[np.float64],
    pot: NDArray[np.int64],
    result: BatchResult,
    rows: slice,
) -> None:
    expansion = np.maximum(out - plan - excl, 0.0)
    # Highest step reached: amounts[k] for the last threshold k that the expansion reaches.
    reached = np.zeros(expansion.shape, dtype=np.intp)
    for step in params.steps:
        reached += expansion >= step.min_expansion
    amounts = np.array([0] + [step.amount for step in params.steps], dtype=np.int64)
    nominal = amounts.take(reached)
    qualifies = reached > 0

    if key_factor is not None:
        weights = expansion * key_factor
    elif params.key == "expansion":
        weights = expansion.copy()
    else:
        weights = np.ones_like(expansion)
    weights *= qualifies

    steps_total = nominal.sum(axis=1)
    below = pot < steps_total
    leftover = np.where(below, 0, pot - steps_total)
    # One apportionment per scenario: the pot by step amounts when it is below Σ steps,
    # otherwise the leftover by the redistribution key.
    shares = apportion_rows(np.where(below, pot, leftover), np.where(below[:, None], nominal, weights))
    step_amount = np.where(below[:, None], shares, nominal)
    redistribution = np.where(below[:, None], 0, shares)
    total = step_amount + redistribution
    result.expansion[rows] = expansion
    result.step_amount[rows] = step_amount
    result.redistribution[rows] = redistribution
    result.total[rows] = total
    result.unallocated[rows] = pot - total.sum(axis=1)
    result.pot_below_steps[rows] = below & qualifies.any(axis=1)
