"""What the benchmark compares the batch engine with: a numpy floor, and a kommun-sized round.

The floor of a round's batch: the sort and elementwise work its rules need, done bare on an array of the
same shape (scenarios × recipients, float64, in the engine's chunks), with no engine around it. Counted per
round from its blocks (``floor_work``), each count the fewest elementwise operations the method's formulas
need on every cell:

- per round with a plan: 3 passes to derive outcome and expansion (max; subtract the plan; clamp at 0);
- per block: 2 passes of bookkeeping (its amounts into the round's totals, the amounts kept) and one row
  sum (what it did not pay);
- a staircase: 13 passes (the step level, 2, as byte-wide compares; to indices; the step's amount; the
  weight; only those on a step; the leftover's scale, floor, remainder, the threshold compare, the krona
  added, to integers; step plus share), one sort of every row and two row sums (largest remainder);
- proportional: 7 passes (the eligible's weights; scale, floor, remainder, compare, add, to integers),
  one sort, two row sums; a reported share by a key the same and one more (who reported);
- equal shares (a reported share by ``equal`` too): 3 passes (rank, compare, add) and one more for the
  reporters; a fixed table: 2 passes (the table where eligible, the cap);
- an eligibility rule: 4 passes (difference, compare, near-tie check: 2) and one row sum (the average).

A pass is one elementwise operation writing a new array. The engine hands back its results in new arrays
(each block's amounts, and the round's totals when it has more than one block): as many of the floor's
bookkeeping passes write into new arrays of that size (``Work.results``), since on a fresh page the
first write costs the operating system's page fault and zeroing, not only the arithmetic (on this kind of
machine some 0.2–0.3 ms a MB, as much as several passes). ``floor(..., results=False)`` leaves that out:
the bench prints both. The ratio engine / floor says how much the engine spends beyond that work (Python
per chunk, masks, checks).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from allocation.block_data import EQUAL, Recipient
from allocation.blocks import ALL, LIST, Round
from allocation.methods.shares import row_sums

_PASSES = {"staircase_leftover": 13, "proportional": 7, "reported_share": 4, "equal": 3, "fixed_table": 2}
_BOOKKEEPING = 2  # passes per block: into the totals, kept as the block's amounts
_SORTED = ("staircase_leftover", "proportional")  # a largest remainder over float weights; others by key
_CHUNK_CELLS = 1 << 16  # as allocation/block_batch.py


@dataclass(frozen=True)
class Work:
    passes: int
    sorts: int
    sums: int
    results: int = 0  # of the passes, those writing into new (scenarios × recipients) arrays kept as results

    def describe(self) -> str:
        return (
            f"{self.sorts} row sort(s), {self.passes} passes of which {self.results} into new result arrays,"
            f" {self.sums} row sums"
        )


def floor_work(round_: Round) -> Work:
    passes, sorts, sums = (3 if round_.planned else 0), 0, 0
    for block in round_.blocks:
        passes += _PASSES[block.method] + _BOOKKEEPING
        sums += 1
        if block.eligible.kind not in (ALL, LIST):
            passes, sums = passes + 4, sums + 1
        key = getattr(block.params, "key", EQUAL)
        if block.method in _SORTED or (block.method == "reported_share" and key != EQUAL):
            passes, sorts, sums = passes + (block.method == "reported_share") * 4, sorts + 1, sums + 2
    blocks = len(round_.blocks)
    return Work(passes, sorts, sums, blocks + (blocks > 1))


def floor(x: NDArray[np.float64], work: Work, results: bool = True) -> None:
    """The bare numpy work: ``work.passes`` elementwise passes, ``work.sorts`` row sorts and ``work.sums``
    row sums over ``x``, chunk by chunk; ``work.results`` of the passes write into new arrays of ``x``'s
    size (unless ``results`` is False)."""
    rows = max(64, _CHUNK_CELLS // x.shape[1])
    kept = [np.empty(x.shape) for _ in range(work.results if results else 0)]
    for start in range(0, x.shape[0], rows):
        chunk = x[start : start + rows]
        for out in kept:
            np.multiply(chunk, 1.0000001, out=out[start : start + rows])
        for _ in range(work.passes - len(kept)):
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
