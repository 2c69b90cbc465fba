"""The methods' batch path: many scenarios at once with numpy (scenarios × recipients), for simulations.

The same rules as ``allocation.methods``, in float64 with integer results, so that every amount agrees
with the exact path within 1 krona and every row pays what the exact path pays: equal shares and
tables are exact integer arithmetic; the staircase is ``allocation.batch`` itself.
Columns are the recipients in code order, so the lower column wins a tie as the lower code does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from numpy.typing import NDArray

from allocation import method_params as mp
from allocation.batch import allocate_batch, apportion_rows
from allocation.block_data import EQUAL, Recipient
from allocation.rules import CUSTOM_POT, AtParams


@dataclass(frozen=True, slots=True)
class BatchInput:
    pot: NDArray[np.int64]  # (S,)
    recipients: tuple[Recipient, ...]  # every recipient, in code order (R columns)
    eligible: NDArray[np.bool_]  # (S, R)
    values: Mapping[str, NDArray[np.float64]]  # key -> (S, R)
    events: Mapping[str, Mapping[str, date]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class BatchOutput:
    amounts: NDArray[np.int64]  # (S, R); 0 for the ineligible


def _values(inp: BatchInput, key: str) -> NDArray[np.float64]:
    if key == EQUAL:
        return np.ones(inp.eligible.shape)
    if key not in inp.values:
        raise ValueError(f"no values for the key {key!r}; known keys: {', '.join(sorted(inp.values))}")
    return inp.values[key]


def equal_rows(pot: NDArray[np.int64], mask: NDArray[np.bool_]) -> NDArray[np.int64]:
    """Equal whole-krona shares among the True columns of each row, exactly: ``pot // n`` each and one
    krona more for the first ``pot % n`` of them (largest remainder with all remainders equal)."""
    count = mask.sum(axis=1)
    safe = np.maximum(count, 1)
    base, extra = np.divmod(pot, safe)
    rank = np.cumsum(mask, axis=1)  # 1 for the first True column of the row, 2 for the next...
    shares = base[:, None] + (rank <= extra[:, None])
    return np.where(mask & (count > 0)[:, None], shares, 0).astype(np.int64)


def _shares(pot: NDArray[np.int64], weights: NDArray[np.float64], key: str, mask: NDArray[np.bool_]):
    if key == EQUAL:
        return equal_rows(pot, mask)
    return apportion_rows(pot, np.where(mask, weights, 0.0))


def staircase_leftover(params: mp.StaircaseParams, inp: BatchInput) -> BatchOutput:
    """``allocation.batch.allocate_batch`` on the measure; the ineligible measure 0, below every step."""
    measure = np.where(inp.eligible, np.maximum(_values(inp, params.measure), 0.0), 0.0)
    at_round = mp.at_round_for(inp.recipients, params)
    at_params = AtParams(0, CUSTOM_POT, params.steps, params.key, params.per_inhabitants)
    result = allocate_batch(at_round, measure, planned=np.zeros(len(inp.recipients)), params=at_params, pots=inp.pot)
    return BatchOutput(result.step_amount if params.leftover == mp.UNPAID else result.total)


def proportional(params: mp.ProportionalParams, inp: BatchInput) -> BatchOutput:
    return BatchOutput(_shares(inp.pot, _values(inp, params.key), params.key, inp.eligible))


def equal(params: mp.EqualParams, inp: BatchInput) -> BatchOutput:
    return BatchOutput(equal_rows(inp.pot, inp.eligible))


def fixed_table(params: mp.FixedTableParams, inp: BatchInput) -> BatchOutput:
    table = np.array([params.table.get(r.code, 0) for r in inp.recipients], dtype=np.int64)
    due = np.where(inp.eligible, table[None, :], 0)
    if params.cap_key is not None:
        due = np.minimum(due, np.floor(_values(inp, params.cap_key)).astype(np.int64))
    total = due.sum(axis=1)
    above = total > inp.pot
    if not above.any():
        return BatchOutput(due)
    scaled = apportion_rows(np.where(above, inp.pot, 0), due.astype(np.float64))
    return BatchOutput(np.where(above[:, None], scaled, due))


def reported_share(params: mp.ReportedShareParams, inp: BatchInput) -> BatchOutput:
    dates = inp.events.get(params.event, {})
    done = np.array([r.code in dates and dates[r.code] <= params.by for r in inp.recipients], dtype=bool)
    among = inp.eligible if params.among == mp.AMONG_ELIGIBLE else inp.eligible & done[None, :]
    shares = _shares(inp.pot, _values(inp, params.key), params.key, among)
    return BatchOutput(np.where(done[None, :], shares, 0))
