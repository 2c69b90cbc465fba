"""The AT batch path: many scenarios at once with numpy (scenarios × regions), for simulations.

A thin wrapper kept this session for its callers (``allocation.preview``, tests, bench): it measures the
expansion by ``allocation.formulas`` and runs the staircase block's batch kernel
(``allocation.methods.staircase.solve_rows_float``) in chunks of scenarios. Largest remainder per scenario with
the exact path's tie-break (lower län code first; regions are in code order), so each amount agrees with
the exact path within 1 krona and every row still sums to the pot.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from allocation.formulas import expansion
from allocation.methods.shares import apportion_rows
from allocation.methods.staircase import solve_rows_float
from allocation.rules import AtParams, AtRound

__all__ = ["BatchResult", "allocate_batch", "apportion_rows"]

_CHUNK_CELLS = 1 << 16  # scenarios × regions per chunk: temporaries that stay in the CPU cache


@dataclass(frozen=True, slots=True)
class BatchResult:
    codes: tuple[str, ...]  # column order (län codes)
    expansion: NDArray[np.float64]  # (S, R)
    step_amount: NDArray[np.int64]  # (S, R)
    redistribution: NDArray[np.int64]  # (S, R)
    total: NDArray[np.int64]  # (S, R)
    unallocated: NDArray[np.int64]  # (S,)
    pot_below_steps: NDArray[np.bool_]  # (S,)


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
    size = max(1, min(n, max(64, _CHUNK_CELLS // max(r, 1))))
    # Values every scenario shares are repeated for a chunk's rows once (flat passes, not broadcast rows).
    plans = [float(at_round.planned_value(x.code)) for x in regions] if planned is None else planned
    plan = _chunks_of(plans, n, r, size)
    excl = _chunks_of(0 if excluded is None else excluded, n, r, size)
    pot = np.broadcast_to(np.asarray(params.pot if pots is None else pots, dtype=np.int64), (n,))
    if (pot < 0).any():
        raise ValueError("pots must not be negative")
    population = np.tile(np.array([x.population for x in regions], dtype=np.float64), (size, 1))
    result = BatchResult(
        codes=tuple(x.code for x in regions),
        expansion=np.empty((n, r)),
        step_amount=np.empty((n, r), dtype=np.int64),
        redistribution=np.empty((n, r), dtype=np.int64),
        total=np.empty((n, r), dtype=np.int64),
        unallocated=np.empty(n, dtype=np.int64),
        pot_below_steps=np.empty(n, dtype=bool),
    )
    for start in range(0, n, size):
        rows = slice(start, min(start + size, n))
        m = rows.stop - rows.start
        grown = expansion(out[rows], plan(rows), excl(rows))
        step, leftover, below = solve_rows_float(
            pot[rows], params.steps, params.key, params.per_inhabitants, population[:m], grown
        )
        result.expansion[rows] = grown
        result.step_amount[rows] = step
        result.redistribution[rows] = leftover
        total = result.total[rows]
        np.add(result.step_amount[rows], result.redistribution[rows], out=total)
        result.unallocated[rows] = pot[rows] - np.einsum("ij->i", total)
        result.pot_below_steps[rows] = below  # a pot below Σ steps implies someone is on a step
    return result


def _chunks_of(a: ArrayLike, n: int, r: int, size: int) -> Callable[[slice], NDArray[np.float64] | float]:
    """A chunk's rows of values that broadcast to (S, R): rows of their own sliced, one row every scenario
    shares repeated once for a chunk (contiguous), and 0 everywhere as the number 0."""
    full = np.broadcast_to(np.asarray(a, dtype=np.float64), (n, r))
    if full.strides[0] and n > 1:
        return lambda rows: full[rows]
    if not full[:1].any():
        return lambda rows: 0.0
    tile = np.tile(full[0], (size, 1))
    return lambda rows: tile[: rows.stop - rows.start]
