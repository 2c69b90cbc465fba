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
from allocation.money import kr


def _notices(params: mp.FixedTableParams, codes: list[str], table: list[int], due: list[int], pot: int) -> list[Notice]:
    notices = []
    if params.basis == mp.ESTIMATE:
        notices.append(
            Notice(
                ESTIMATE,
                "The amounts are an estimate, not the official table.",
                "Beloppen är en uppskattning, inte den officiella tabellen.",
            )
        )
    missing = [c for c in codes if c not in params.table]
    if missing:
        notices.append(
            Notice(
                NOT_IN_TABLE,
                f"Not in the table, so nothing for: {', '.join(missing)}.",
                f"Saknas i tabellen och får därför inget: {', '.join(missing)}.",
            )
        )
    if sum(due) > pot:
        notices.append(
            Notice(
                TABLE_ABOVE_POT,
                f"The table asks for {sum(due)} kr, more than the pot ({pot} kr): scaled down pro rata.",
                f"Tabellen kräver {kr(sum(due))}, mer än potten ({kr(pot)}): beloppen skalas ned proportionellt.",
            )
        )
        return notices
    if sum(table) < pot:
        left = pot - sum(table)
        notices.append(
            Notice(
                TABLE_BELOW_POT,
                f"The table gives {sum(table)} kr of the pot's {pot} kr: {left} kr stay unpaid.",
                f"Tabellen fördelar {kr(sum(table))} av potten {kr(pot)}: {kr(left)} betalas inte ut.",
            )
        )
    if sum(due) < min(sum(table), pot):
        gap = min(sum(table), pot) - sum(due)
        notices.append(
            Notice(
                NOT_REQUISITIONED,
                f"{gap} kr of the table were not requisitioned ({params.cap_key!r}).",
                f"{kr(gap)} av tabellens belopp har inte rekvirerats ({params.cap_key!r}).",
            )
        )
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
