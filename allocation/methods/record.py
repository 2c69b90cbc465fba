"""The one record type every method kernel works on, exact and batch side by side.

A kernel takes a pot, the eligible recipients, their values and events and returns amounts with their
named parts: ``MethodInput`` → ``MethodOutput`` exactly (``Fraction``, whole kronor), ``BatchInput`` →
``BatchOutput`` for S scenarios at once (numpy, scenarios × recipients, within 1 krona of exact).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from numpy.typing import NDArray

from allocation.block_data import EQUAL, MissingValues, Notice, Recipient, Values

# Notice codes. Those in UNPAID_REASONS explain why a block paid less than its pot.
NOBODY_ELIGIBLE = "nobody_eligible"
NOBODY_QUALIFIES = "nobody_qualifies"
POT_BELOW_STEPS = "pot_below_steps"
LEFTOVER_UNPAID = "leftover_unpaid"
NO_WEIGHT = "no_weight"
NOBODY_REPORTED = "nobody_reported"
NOT_REPORTED = "not_reported"
TABLE_BELOW_POT = "table_below_pot"
TABLE_ABOVE_POT = "table_above_pot"
NOT_REQUISITIONED = "not_requisitioned"
NOT_IN_TABLE = "not_in_table"
ESTIMATE = "estimate"
FLOWS_TO = "flows_to"  # what a block did not pay goes on to another block
UNALLOCATED = "unallocated"  # ... or stays unallocated
NOTICE_CODES = (
    NOBODY_ELIGIBLE,
    NOBODY_QUALIFIES,
    POT_BELOW_STEPS,
    LEFTOVER_UNPAID,
    NO_WEIGHT,
    NOBODY_REPORTED,
    NOT_REPORTED,
    TABLE_BELOW_POT,
    TABLE_ABOVE_POT,
    NOT_REQUISITIONED,
    NOT_IN_TABLE,
    ESTIMATE,
    FLOWS_TO,
    UNALLOCATED,
)
UNPAID_REASONS = frozenset(
    {
        NOBODY_ELIGIBLE,
        NOBODY_QUALIFIES,
        LEFTOVER_UNPAID,
        NO_WEIGHT,
        NOBODY_REPORTED,
        NOT_REPORTED,
        TABLE_BELOW_POT,
        NOT_REQUISITIONED,
    }
)


@dataclass(frozen=True, slots=True)
class MethodInput:
    pot: int  # kronor this block has to pay (its own pot plus what flowed in)
    recipients: tuple[Recipient, ...]  # the eligible recipients, in code order
    values: Values  # key -> code -> value, derived keys included (allocation.block_data)
    events: Mapping[str, Mapping[str, date]] = field(default_factory=dict)  # event -> code -> date

    @property
    def codes(self) -> list[str]:
        return [r.code for r in self.recipients]


@dataclass(frozen=True, slots=True)
class MethodOutput:
    amounts: dict[str, int]  # per eligible recipient
    notices: tuple[Notice, ...] = ()
    parts: dict[str, dict[str, int]] = field(default_factory=dict)  # named components, e.g. step


@dataclass(frozen=True, slots=True)
class BatchInput:
    pot: NDArray[np.int64]  # (S,)
    recipients: tuple[Recipient, ...]  # every recipient, in code order (R columns)
    eligible: NDArray[np.bool_]  # (S, R)
    values: Mapping[str, NDArray[np.float64]]  # key -> (S, R)
    events: Mapping[str, Mapping[str, date]] = field(default_factory=dict)
    everyone: bool = False  # every column is eligible in every scenario (lets a kernel skip masking)
    # What a kernel computes from the recipients, events and params alone, kept for the call's next chunks
    # of scenarios (the same dict for every chunk of one block; empty at first).
    shared: dict[str, Any] = field(default_factory=dict)
    # The block's result rows for these scenarios, (S, R): a kernel may write its amounts there and return
    # this array (one pass less than a copy). None: return a new array.
    out: NDArray[np.int64] | None = None

    def column(self, key: str) -> NDArray[np.float64]:
        """The key's values, (S, R); ``equal``: 1 each. A key nobody supplied is an error."""
        if key == EQUAL:
            return np.ones(self.eligible.shape)
        if key not in self.values:
            raise MissingValues(key, self.values)
        return self.values[key]


@dataclass(frozen=True, slots=True)
class BatchOutput:
    amounts: NDArray[np.int64]  # (S, R); 0 for the ineligible
    parts: dict[str, NDArray[np.int64]] = field(default_factory=dict)  # named components, (S, R) each


def no_weight(key: str, pot: int) -> Notice:
    """Every eligible recipient has 0 as its ``key``: the ``pot`` cannot be shared."""
    return Notice.of(NO_WEIGHT, key=key, amount=pot)
