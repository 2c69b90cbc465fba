"""``proportional``: the pot in proportion to a key among the eligible, exact and batch."""

from __future__ import annotations

import numpy as np

from allocation import method_params as mp
from allocation.block_data import EQUAL, key_values
from allocation.methods.record import BatchInput, BatchOutput, MethodInput, MethodOutput, no_weight
from allocation.methods.shares import apportion, apportion_rows, equal_rows


def exact(params: mp.ProportionalParams, inp: MethodInput) -> MethodOutput:
    codes = inp.codes
    weights = key_values(inp.values, params.key, codes)
    amounts = apportion(inp.pot, weights, codes)
    notices = (no_weight(params.key, inp.pot),) if codes and inp.pot and not any(weights) else ()
    return MethodOutput(dict(zip(codes, amounts, strict=True)), notices)


def shares_rows(pot: np.ndarray, inp: BatchInput, key: str, mask: np.ndarray, everyone: bool = False) -> np.ndarray:
    """The pot by ``key`` among the True columns of ``mask`` (``equal``: alike, exactly), written into
    ``inp.out`` when the block engine gives one."""
    if key == EQUAL:
        return equal_rows(pot, mask, everyone, inp.out)
    weights = inp.column(key)
    if everyone:
        return apportion_rows(pot, weights, out=inp.out)
    return apportion_rows(pot, np.multiply(weights, mask), overwrite=True, out=inp.out)


def batch(params: mp.ProportionalParams, inp: BatchInput) -> BatchOutput:
    return BatchOutput(shares_rows(inp.pot, inp, params.key, inp.eligible, inp.everyone))
