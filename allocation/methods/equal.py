"""``equal``: equal shares among the eligible; the kronor that do not divide go to the lowest codes."""

from __future__ import annotations

from allocation import method_params as mp
from allocation.methods.record import BatchInput, BatchOutput, MethodInput, MethodOutput
from allocation.methods.shares import apportion, equal_rows


def exact(params: mp.EqualParams, inp: MethodInput) -> MethodOutput:
    codes = inp.codes
    return MethodOutput(dict(zip(codes, apportion(inp.pot, [1] * len(codes), codes), strict=True)))


def batch(params: mp.EqualParams, inp: BatchInput) -> BatchOutput:
    return BatchOutput(equal_rows(inp.pot, inp.eligible, inp.everyone))
