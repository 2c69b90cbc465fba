"""What the benchmark compares the batch engine with: a numpy floor, and a kommun-sized round.

The floor of a round's batch: the sort and elementwise work its rules need, done bare on an array of the
same shape (scenarios × recipients, float64, in the engine's chunks), with no engine around it. Counted per
round from its blocks (``floor_work``):

- per round: 3 passes to derive outcome and expansion (max, subtract, clamp) when the round has a plan;
- per block whose method shares by float weights (a staircase, proportional, a reported share by a key):
  one sort of every row and two row sums (largest remainder); per block, the elementwise passes of its
  method: staircase 8 (one compare per step counts as one pass together, the step lookup, the
  weight, the scale, floor, remainder, threshold compare and the sum of step and share), proportional 6
  (weight mask, scale, floor, remainder, threshold compare, add), reported share 4, equal 3, fixed
  table 3; an eligibility rule 3 more (difference, compare, near-tie check).

A pass is one elementwise operation writing a new array; the ratio engine / floor says how much the
engine spends beyond that arithmetic (Python, bookkeeping, masks, integer conversion).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from allocation.block_data import EQUAL, Recipient
from allocation.blocks import ALL, LIST, Round
from allocation.methods.shares import row_sums

_PASSES = {"staircase_leftover": 8, "proportional": 6, "reported_share": 4, "equal": 3, "fixed_table": 3}
_SORTED = ("staircase_leftover", "proportional")  # a largest remainder over float weights; others by key
_CHUNK_CELLS = 1 << 16  # as allocation/block_batch.py


@dataclass(frozen=True)
class Work:
    passes: int
    sorts: int
    sums: int

    def describe(self) -> str:
        return f"{self.sorts} row sort(s), {self.passes} passes, {self.sums} row sums"


def floor_work(round_: Round) -> Work:
    passes, sorts, sums = (3 if round_.planned else 0), 0, 0
    for block in round_.blocks:
        passes += _PASSES[block.method] + (0 if block.eligible.kind in (ALL, LIST) else 3)
        if block.method in _SORTED or getattr(block.params, "key", EQUAL) != EQUAL:
            sorts, sums = sorts + 1, sums + 2
    return Work(passes, sorts, sums)


def floor(x: NDArray[np.float64], work: Work) -> None:
    """The bare numpy work: ``work.passes`` elementwise passes, ``work.sorts`` row sorts and ``work.sums``
    row sums over ``x``, chunk by chunk."""
    rows = max(64, _CHUNK_CELLS // x.shape[1])
    for start in range(0, x.shape[0], rows):
        chunk = x[start : start + rows]
        for _ in range(work.passes):
            chunk * 1.0000001
        for _ in range(work.sorts):
            np.sort(chunk, axis=1)
        for _ in range(work.sums):
            row_sums(chunk)


def kommun_recipients(n: int, seed: int = 290) -> tuple[tuple[Recipient, ...], NDArray[np.int64]]:
    """``n`` made-up recipients the size of Swedish kommuner (2 500 – 1 000 000 inhabitants, four-digit
    codes) and a planned number of positions each (0 – 59): a kommun-sized round for the scaling figures."""
    rng = np.random.default_rng(seed)
    people = tuple(Recipient(f"{i:04d}", f"Kommun {i}", int(rng.integers(2_500, 1_000_000))) for i in range(1, n + 1))
    return people, rng.integers(0, 60, size=n)
