"""The allocation methods of a block, a closed registry looked up by name from the rules.

One module per method, its exact kernel and its batch kernel side by side, over one record type
(``allocation.methods.record``): a pot, the eligible recipients, their values and events → amounts with
parts. Exact kernels are ``Fraction`` arithmetic in whole kronor by largest remainder (ties to the lower
code), paying the pot or saying in a notice why not; batch kernels are numpy over S scenarios, within
1 krona of the exact path, sharing its formulas (``allocation.formulas``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from allocation import method_params as mp
from allocation.block_fields import Fields
from allocation.methods import equal, fixed_table, proportional, reported_share, staircase
from allocation.methods.record import (
    ESTIMATE,
    FLOWS_TO,
    LEFTOVER_UNPAID,
    NO_WEIGHT,
    NOBODY_ELIGIBLE,
    NOBODY_QUALIFIES,
    NOBODY_REPORTED,
    NOT_IN_TABLE,
    NOT_REPORTED,
    NOT_REQUISITIONED,
    NOTICE_CODES,
    POT_BELOW_STEPS,
    TABLE_ABOVE_POT,
    TABLE_BELOW_POT,
    UNALLOCATED,
    UNPAID_REASONS,
    BatchInput,
    BatchOutput,
    MethodInput,
    MethodOutput,
)
from allocation.methods.reported_share import reporters

__all__ = [
    "ESTIMATE",
    "FLOWS_TO",
    "LEFTOVER_UNPAID",
    "METHODS",
    "NOBODY_ELIGIBLE",
    "NOBODY_QUALIFIES",
    "NOBODY_REPORTED",
    "NOTICE_CODES",
    "NOT_IN_TABLE",
    "NOT_REPORTED",
    "NOT_REQUISITIONED",
    "NO_WEIGHT",
    "POT_BELOW_STEPS",
    "TABLE_ABOVE_POT",
    "TABLE_BELOW_POT",
    "UNALLOCATED",
    "UNPAID_REASONS",
    "BatchInput",
    "BatchOutput",
    "Method",
    "MethodInput",
    "MethodOutput",
    "method",
    "reporters",
]


@dataclass(frozen=True, slots=True)
class Method:
    name: str
    params_type: type
    read_params: Callable[[Fields, str | None], Any]  # the block's params table -> params or None
    allocate: Callable[[Any, MethodInput], MethodOutput]
    allocate_batch: Callable[[Any, BatchInput], BatchOutput]


METHODS: Mapping[str, Method] = MappingProxyType(
    {
        m.name: m
        for m in (
            Method("staircase_leftover", mp.StaircaseParams, mp.read_staircase, staircase.exact, staircase.batch),
            Method("proportional", mp.ProportionalParams, mp.read_proportional, proportional.exact, proportional.batch),
            Method("equal", mp.EqualParams, mp.read_equal, equal.exact, equal.batch),
            Method("fixed_table", mp.FixedTableParams, mp.read_fixed_table, fixed_table.exact, fixed_table.batch),
            Method(
                "reported_share",
                mp.ReportedShareParams,
                mp.read_reported_share,
                reported_share.exact,
                reported_share.batch,
            ),
        )
    }
)


def method(name: str) -> Method:
    """The method registered under ``name``; any other name is refused."""
    if name not in METHODS:
        raise ValueError(f"unknown method {name!r}; known: {', '.join(sorted(METHODS))}")
    return METHODS[name]
