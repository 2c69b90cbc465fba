"""``fixed_table``: each eligible recipient's amount from the table (at most its ``cap_key``), scaled down
pro rata if the table asks for more than the pot. Exact and batch."""

from __future__ import annotations

from math import floor

import numpy as np

from allocation import method_params as mp
from allocation.block_data import Notice, key_values
from allocation.methods.record import (
    ESTIMATE,
    NOT_IN_TABLE,
    NOT_REQUISITIONED,
    TABLE_ABOVE_POT,
    TABLE_BELOW_POT,
    BatchInput,
    BatchOutput,
    MethodInput,
    MethodOutput,
)
from allocation.methods.shares import apportion, apportion_rows


def _notices(params: mp.FixedTableParams, codes: list[str], table: list[int], due: list[int], pot: int) -> list[Notice]:
    notices = []
    if params.basis == mp.ESTIMATE:
        notices.append(Notice.of(ESTIMATE))
    missing = tuple(c for c in codes if c not in params.table)
    if missing:
        notices.append(Notice.of(NOT_IN_TABLE, codes=missing))
    if sum(due) > pot:
        notices.append(Notice.of(TABLE_ABOVE_POT, total=sum(due), pot=pot))
        return notices
    if sum(table) < pot:
        notices.append(Notice.of(TABLE_BELOW_POT, total=sum(table), pot=pot, amount=pot - sum(table)))
    if sum(due) < min(sum(table), pot):
        gap = min(sum(table), pot) - sum(due)
        notices.append(Notice.of(NOT_REQUISITIONED, amount=gap, key=params.cap_key or ""))
    return notices


def exact(params: mp.FixedTableParams, inp: MethodInput) -> MethodOutput:
    codes = inp.codes
    table = [params.table.get(c, 0) for c in codes]
    due = table
    if params.cap_key is not None:
        caps = key_values(inp.values, params.cap_key, codes)
        due = [min(t, floor(cap)) for t, cap in zip(table, caps, strict=True)]
    notices = tuple(_notices(params, codes, table, due, inp.pot))
    paid = apportion(inp.pot, due, codes) if sum(due) > inp.pot else due
    return MethodOutput(dict(zip(codes, paid, strict=True)), notices)


def batch(params: mp.FixedTableParams, inp: BatchInput) -> BatchOutput:
    table = np.array([params.table.get(r.code, 0) for r in inp.recipients], dtype=np.int64)
    due = np.where(inp.eligible, table[None, :], 0)
    if params.cap_key is not None:
        due = np.minimum(due, np.floor(inp.column(params.cap_key)).astype(np.int64))
    above = due.sum(axis=1) > inp.pot
    rows = np.flatnonzero(above)
    if rows.size:
        due[rows] = apportion_rows(inp.pot[rows], due[rows].astype(np.float64))
    return BatchOutput(due)
