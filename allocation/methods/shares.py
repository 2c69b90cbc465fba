"""Shares in whole kronor by largest remainder, exact and batch side by side.

Exact: ``allocation.money.apportion`` (integer ``divmod`` over a common denominator; the kronor left go to
the largest remainders, equal remainders to the lower code). Batch: ``apportion_rows``, the same rule per
scenario in float64 with integer results: columns are the recipients in code order, so the lower column
wins a tie as the lower code does, and every row sums to its total exactly.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from allocation.money import apportion

__all__ = ["apportion", "apportion_rows", "apportion_rows_float", "equal_rows", "row_sums"]

# Shares are floored after shrinking by this relative margin, so float error can never round a share up
# past its exact value; the largest-remainder step then hands the krona back.
_FLOOR_MARGIN = 1e-12


def row_sums(a: NDArray[np.float64]) -> NDArray[np.float64]:
    """Σ of each row: a matrix-vector product, several times faster than ``sum(axis=1)`` on short rows."""
    return a @ np.ones(a.shape[1])


def apportion_rows(
    totals: NDArray[np.int64],
    weights: NDArray[np.float64],
    overwrite: bool = False,
    out: NDArray[np.int64] | None = None,
) -> NDArray[np.int64]:
    """Largest remainder per row: whole numbers proportional to ``weights`` summing to ``totals``.

    Rows whose weights are all 0 get 0. Equal remainders go to the lower column index first. One sort of
    the remainders per row finds the threshold; only rows with a tie at the threshold are ranked further.
    ``overwrite``: ``weights`` may be written over; ``out``: the array to write the result into.
    """
    shares = apportion_rows_float(totals, weights, overwrite)
    if out is None:
        return shares.astype(np.int64)
    np.copyto(out, shares, casting="unsafe")  # whole numbers: the conversion is exact
    return out


def apportion_rows_float(
    totals: NDArray[np.int64], weights: NDArray[np.float64], overwrite: bool = False
) -> NDArray[np.float64]:
    """``apportion_rows`` as whole numbers in float64 (exact below 2**53), for a caller that adds more to
    them before the one conversion to integers. Every pass is over one dtype (numpy casts mixed operands in
    buffers, several times slower) and writes into the arrays it already has (``overwrite``: ``weights``
    too, which the caller no longer needs: fewer arrays, more of them in the CPU cache)."""
    n_rows, n_cols = weights.shape
    if n_cols == 0:
        return np.zeros((n_rows, 0))
    weight_sum = row_sums(weights)
    has_weight = weight_sum > 0
    scale = np.divide(totals, weight_sum, out=np.zeros(n_rows), where=has_weight)
    remainders = np.multiply(weights, scale[:, None], out=weights if overwrite else None)
    floors = np.multiply(remainders, 1.0 - _FLOOR_MARGIN)
    np.floor(floors, out=floors)
    remainders -= floors
    left = totals - np.rint(row_sums(floors)).astype(np.int64)
    left[~has_weight] = 0
    np.add(floors, _largest(remainders, left), out=floors)  # the bytes read as 0 and 1
    return floors


def _largest(remainders: NDArray[np.float64], left: NDArray[np.int64]) -> NDArray[np.uint8]:
    """For each row, 1 at its ``left`` largest remainders, else 0; equal remainders to the lower column
    first."""
    n_rows, n_cols = remainders.shape
    ascending = np.sort(remainders, axis=1)
    k = np.minimum(np.maximum(n_cols - left, 0), n_cols - 1)
    flat = np.arange(0, n_rows * n_cols, n_cols)
    threshold = ascending.ravel().take(flat + k)
    threshold[left <= 0] = np.inf
    extra = (remainders >= threshold[:, None]).view(np.uint8)
    # Where the remainder just below the threshold equals it, more columns tie than kronor are left:
    # those rows (rare but for equal weights) give the tied kronor to the lowest columns.
    tied_rows = np.flatnonzero((k > 0) & (ascending.ravel().take(flat + np.maximum(k - 1, 0)) == threshold))
    if tied_rows.size:
        rem, at = remainders[tied_rows], threshold[tied_rows, None]
        above, tied = rem > at, rem == at
        need = left[tied_rows] - above.sum(axis=1)
        extra[tied_rows] = above | (tied & (np.cumsum(tied, axis=1) <= need[:, None]))
    return extra


@lru_cache(maxsize=8)
def _first_columns(n_cols: int) -> NDArray[np.int64]:
    """Row ``e``: 1 in the first ``e`` columns, 0 after (the krona more for the first ``pot % n`` columns)."""
    table = (np.arange(n_cols)[None, :] < np.arange(n_cols)[:, None]).astype(np.int64)
    table.flags.writeable = False
    return table


def equal_rows(
    pot: NDArray[np.int64], mask: NDArray[np.bool_], everyone: bool = False, out: NDArray[np.int64] | None = None
) -> NDArray[np.int64]:
    """Equal whole-krona shares among the True columns of each row, exactly: ``pot // n`` each and one
    krona more for the first ``pot % n`` of them (largest remainder with all remainders equal).
    ``everyone``: every column is True (no counting needed); ``out``: where to write them then."""
    if everyone:
        n_rows, n_cols = mask.shape
        if n_cols == 0:
            return np.zeros((n_rows, 0), dtype=np.int64)
        base, extra = np.divmod(pot, n_cols)
        shares = np.repeat(base, n_cols).reshape(n_rows, n_cols)
        return np.add(shares, _first_columns(n_cols).take(extra, axis=0), out=shares if out is None else out)
    count = mask.sum(axis=1)
    safe = np.maximum(count, 1)
    base, extra = np.divmod(pot, safe)
    rank = np.cumsum(mask, axis=1)  # 1 for the first True column of the row, 2 for the next...
    shares = base[:, None] + (rank <= extra[:, None])
    return np.where(mask & (count > 0)[:, None], shares, 0).astype(np.int64)
