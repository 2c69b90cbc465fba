"""The block engine's batch path: S scenarios of a round at once (numpy), for simulations and previews.

Values are arrays in the recipients' code order, (R,) for a value every scenario shares or (S, R).
Each amount agrees with the exact path (``allocation.block_engine``) within 1 krona and every block's
paid + unpaid equals what it had. An eligibility rule is compared in float64; a comparison that is a
near-tie there is decided again exactly (``Fraction``) from the row's own inputs, so float error never
decides who is eligible.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from allocation.block_data import (
    PER_100K,
    PER_100K_BASE,
    REPORTED_PARTS,
    MissingValues,
    Recipient,
    derive_values,
    sorted_recipients,
)
from allocation.block_eligible import eligible_codes
from allocation.block_engine import PotChoice, pot_for
from allocation.blocks import ALL, LIST, MEAN, NATIONAL_AVERAGE, Block, Eligibility, Round
from allocation.formulas import expansion, outcome, per_inhabitants
from allocation.methods import BatchInput, method
from allocation.methods.shares import row_sums

_NEAR = 1e-9  # relative distance below which a float comparison is decided exactly
_CHUNK_CELLS = 1 << 16  # scenarios × recipients per chunk


@dataclass(frozen=True, slots=True)
class BlockBatch:
    block_id: str
    available: NDArray[np.int64]  # (S,) own pot plus inflow
    eligible: NDArray[np.bool_]  # (S, R); a read-only view of one row when no value decides it
    amounts: NDArray[np.int64]  # (S, R)
    unpaid: NDArray[np.int64]  # (S,)
    unpaid_to: str | None


@dataclass(frozen=True, slots=True)
class RoundBatch:
    codes: tuple[str, ...]
    blocks: dict[str, BlockBatch]
    totals: NDArray[np.int64]  # (S, R)
    pot: NDArray[np.int64]  # (S,) Σ the blocks' own pots
    unallocated: NDArray[np.int64]  # (S,)


def _given(values: Mapping[str, ArrayLike], n_cols: int) -> tuple[int, dict[str, NDArray[np.float64]]]:
    """The values as float64 arrays, (R,) or (S, R), checked finite and never negative; and S."""
    arrays = {key: np.asarray(v, dtype=np.float64) for key, v in values.items()}
    for key, a in arrays.items():
        if a.ndim not in (1, 2) or a.shape[-1] != n_cols:
            raise ValueError(f"values {key!r} must have shape ({n_cols},) or (scenarios, {n_cols})")
        # One pass each: NaN fails the first comparison, inf the second.
        if a.size and not (a.min() >= 0 and a.max() < np.inf):
            raise ValueError(f"values {key!r} must be finite and non-negative")
    n = max((a.shape[0] for a in arrays.values() if a.ndim == 2), default=1)
    return n, arrays


class _Derived(Mapping[str, NDArray[np.float64]]):
    """Values of one chunk of scenarios, each (S, R): the given ones, and ``outcome``, ``expansion`` and the
    ``*_per_100k`` keys computed when first asked for (a round reads only a few of them)."""

    def __init__(self, base: dict[str, NDArray[np.float64]], derivable: list[str], excluded: bool) -> None:
        self._base = base
        self._excluded = excluded  # given: otherwise it is 0 everywhere and subtracts nothing
        keys = [*base, *derivable]
        per_100k = [k + PER_100K for k in keys if not k.endswith(PER_100K) and k != "population"]
        self._keys = list(dict.fromkeys([*keys, *per_100k]))

    def __getitem__(self, key: str) -> NDArray[np.float64]:
        if key not in self._base:
            if key not in self._keys:
                raise KeyError(key)
            self._base[key] = self._derive(key)
        return self._base[key]

    def _derive(self, key: str) -> NDArray[np.float64]:
        if key == "outcome":
            return outcome(self["filled"], self["started"])
        if key == "expansion":
            return expansion(self["outcome"], self["planned"], self["excluded"] if self._excluded else 0.0)
        return per_inhabitants(self[key.removesuffix(PER_100K)], self["population"], PER_100K_BASE)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


def derive_batch(
    recipients: tuple[Recipient, ...], given: Mapping[str, NDArray[np.float64]], planned: Mapping[str, Fraction], n: int
) -> Mapping[str, NDArray[np.float64]]:
    """The keys of ``allocation.block_data.derive_values``, as (S, R) arrays, by the same formulas (a value
    given as (R,) is repeated for every scenario)."""
    return _derived(_shared_rows(recipients, given, planned), given, n)


def _shared_rows(
    recipients: tuple[Recipient, ...], given: Mapping[str, NDArray[np.float64]], planned: Mapping[str, Fraction]
) -> dict[str, NDArray[np.float64]]:
    """The values every scenario shares, (R,) each: the given ones, the planned table, the population, and 0
    for a reported part nobody gave."""
    rows = {key: a for key, a in given.items() if a.ndim == 1}
    for key in REPORTED_PARTS:
        if key not in given:
            rows[key] = np.zeros(len(recipients))
    if planned and "planned" not in given:
        missing = [r.code for r in recipients if r.code not in planned]
        if missing:
            raise ValueError(f"no planned value for {', '.join(missing)}")
        rows["planned"] = np.array([float(planned[r.code]) for r in recipients])
    rows["population"] = np.array([r.population for r in recipients], dtype=np.float64)
    return rows


def _derived(tiles: Mapping[str, NDArray[np.float64]], given: Mapping[str, NDArray[np.float64]], n: int) -> _Derived:
    """A chunk's values: ``tiles`` are the shared rows repeated (at least ``n`` rows, contiguous: numpy is
    several times faster on them than on a broadcast row), ``given`` the chunk's own (S, R) rows."""
    base = {key: t[:n] if t.ndim == 2 else np.broadcast_to(t, (n, t.shape[0])) for key, t in tiles.items()}
    base |= {key: a for key, a in given.items() if a.ndim == 2}
    derivable = [] if "outcome" in given else ["outcome"]
    if "expansion" not in given and "planned" in base:
        derivable.append("expansion")
    return _Derived(base, derivable, "excluded" in given)


def _compare(op: str, left: NDArray[np.float64], right: NDArray[np.float64]) -> NDArray[np.bool_]:
    ops = {">=": np.greater_equal, ">": np.greater, "<=": np.less_equal, "<": np.less, "==": np.equal}
    return ops[op](left, right)


def eligible_batch(
    eligibility: Eligibility,
    recipients: tuple[Recipient, ...],
    values: Mapping[str, NDArray[np.float64]],
    given: Mapping[str, NDArray[np.float64]],
    planned: Mapping[str, Fraction],
    n: int,
) -> NDArray[np.bool_]:
    codes = [r.code for r in recipients]
    if eligibility.kind == ALL:
        return np.ones((n, len(codes)), dtype=bool)
    if eligibility.kind == LIST:
        chosen = eligible_codes(eligibility, recipients, {})
        return np.broadcast_to(np.array([c in chosen for c in codes]), (n, len(codes))).copy()
    rule = eligibility.rule
    assert rule is not None
    if not codes:
        return np.zeros((n, 0), dtype=bool)
    if rule.key not in values:
        raise MissingValues(rule.key, values)
    left = values[rule.key]
    if rule.than == MEAN:
        right = row_sums(left)[:, None] / len(codes)
    elif rule.than == NATIONAL_AVERAGE:
        population = np.array([r.population for r in recipients], dtype=np.float64)
        right = (left @ population)[:, None] / population.sum()
    else:
        right = np.full((n, 1), float(Fraction(rule.than)))
    # Values are never negative. The difference has the sign of the comparison (IEEE subtraction of finite
    # numbers is 0 only for equal ones), and a near tie (|left − right| ≤ _NEAR × max(left, right)) always
    # has |left − right| ≤ 2 × _NEAR × right: those rows are decided again exactly.
    diff = left - right
    mask = _compare(rule.op, diff, np.zeros(1))
    np.abs(diff, out=diff)
    near = diff <= 2 * _NEAR * right
    near_rows = np.flatnonzero(near.any(axis=1)) if near.any() else np.zeros(0, dtype=np.intp)
    decided: dict[bytes, NDArray[np.bool_]] = {}
    for row in near_rows:
        raw = {key: a[row] if a.ndim == 2 else a for key, a in given.items()}
        fingerprint = b"".join(key.encode() + a.tobytes() for key, a in sorted(raw.items()))
        if fingerprint not in decided:
            exact_given = {
                key: {c: Fraction(repr(float(v))) for c, v in zip(codes, a, strict=True)} for key, a in raw.items()
            }
            exact = eligible_codes(eligibility, recipients, derive_values(recipients, exact_given, planned))
            decided[fingerprint] = np.array([c in exact for c in codes])
        mask[row] = decided[fingerprint]
    return mask


def _pot_array(block: Block, choice: PotChoice | ArrayLike | None, n: int) -> NDArray[np.int64]:
    if choice is None or isinstance(choice, int | str):
        return np.full(n, pot_for(block, choice)[0], dtype=np.int64)
    pots = np.broadcast_to(np.asarray(choice, dtype=np.int64), (n,))
    if (pots < 0).any():
        raise ValueError(f"block {block.id}: pots must not be negative")
    return pots


def _chunk_rows(n: int, n_cols: int) -> int:
    """Scenarios per chunk, about ``_CHUNK_CELLS`` cells: temporaries that stay in the CPU cache cost less
    than large ones in page faults, and the peak memory stays that of the results."""
    return max(1, min(n, max(64, _CHUNK_CELLS // max(n_cols, 1))))


@dataclass(frozen=True, slots=True)
class _Setting:
    """What every chunk of a round's scenarios shares."""

    round_: Round
    people: tuple[Recipient, ...]
    events: Mapping[str, Mapping[str, date]]
    pots: dict[str, NDArray[np.int64]]  # block id -> (S,)
    tiles: dict[str, NDArray[np.float64]]  # the values every scenario shares, repeated for a chunk's rows
    order: tuple[Block, ...]  # the blocks in flow order
    masks: dict[tuple, NDArray[np.bool_]]  # eligibility by no value (everyone, a list), for a chunk's rows
    shared: dict[str, dict[str, Any]]  # block id -> what its kernel keeps for every chunk (BatchInput.shared)


def allocate_round_batch(
    round_: Round,
    recipients: Iterable[Recipient],
    values: Mapping[str, ArrayLike] | None = None,
    events: Mapping[str, Mapping[str, date]] | None = None,
    pots: Mapping[str, PotChoice | ArrayLike] | None = None,
) -> RoundBatch:
    """Every block for S scenarios. ``values``: key -> (R,) or (S, R) in the recipients' code order;
    ``pots``: block id -> option id, amount, or (S,) amounts. Computed in chunks of scenarios."""
    people = sorted_recipients(recipients)
    n, given = _given(values or {}, len(people))
    pots = pots or {}
    step = _chunk_rows(n, len(people))
    tiles = {key: np.tile(row, (step, 1)) for key, row in _shared_rows(people, given, round_.planned).items()}
    masks = {
        _rule(b): np.tile(eligible_batch(b.eligible, people, {}, {}, {}, 1)[0], (step, 1))
        for b in round_.blocks
        if b.eligible.kind in (ALL, LIST)
    }
    setting = _Setting(
        round_,
        people,
        events or {},
        {b.id: _pot_array(b, pots.get(b.id), n) for b in round_.blocks},
        tiles,
        round_.order(),
        masks,
        {b.id: {} for b in round_.blocks},
    )
    shape = (n, len(people))
    blocks = {
        b.id: BlockBatch(
            b.id,
            np.empty(n, dtype=np.int64),
            np.broadcast_to(masks[_rule(b)][0], shape) if _rule(b) in masks else np.empty(shape, dtype=bool),
            np.empty(shape, dtype=np.int64),
            np.empty(n, dtype=np.int64),
            b.unpaid_to,
        )
        for b in round_.blocks
    }
    # One block: the round's totals are its amounts (one array, not a copy).
    if len(blocks) == 1:
        totals = next(iter(blocks.values())).amounts
    else:  # filled chunk by chunk (no blocks: nothing to fill)
        totals = np.empty(shape, dtype=np.int64) if blocks else np.zeros(shape, dtype=np.int64)
    for start in range(0, n, step):
        rows = slice(start, min(start + step, n))
        chunk = {key: a[rows] if a.ndim == 2 else a for key, a in given.items()}
        _allocate_chunk(setting, chunk, rows, blocks, totals if len(blocks) > 1 else None)
    own_pots = sum((setting.pots[b.id] for b in round_.blocks), np.zeros(n, dtype=np.int64))
    unallocated = sum((b.unpaid for b in blocks.values() if b.unpaid_to is None), np.zeros(n, dtype=np.int64))
    return RoundBatch(tuple(r.code for r in people), blocks, totals, own_pots, unallocated)


def _rule(block: Block) -> tuple:
    return (block.eligible.kind, block.eligible.codes, block.eligible.rule)


def _allocate_chunk(
    setting: _Setting,
    given: dict[str, NDArray[np.float64]],
    rows: slice,
    out: dict[str, BlockBatch],
    totals: NDArray[np.int64] | None,
) -> None:
    """The round's blocks, in flow order, for the scenarios ``rows``; results written into ``out`` (and
    their sum into ``totals`` when the round has more than one block)."""
    round_, people = setting.round_, setting.people
    n = rows.stop - rows.start
    derived = _derived(setting.tiles, given, n)
    inflow: dict[str, NDArray[np.int64]] = {}
    decided: dict[tuple, NDArray[np.bool_]] = {}  # a rule that another block repeats (same_as) is decided once
    for block in setting.order:
        available = setting.pots[block.id][rows]
        if block.id in inflow:
            available = available + inflow[block.id]
        rule = _rule(block)
        everyone = block.eligible.kind == ALL
        if rule in setting.masks:
            eligible = setting.masks[rule][:n]
        else:
            if rule not in decided:
                decided[rule] = eligible_batch(block.eligible, people, derived, given, round_.planned, n)
            eligible = decided[rule]
        result = out[block.id]
        rows_out = result.amounts[rows]
        if everyone or eligible.any():
            shared = setting.shared[block.id]
            inp = BatchInput(available, people, eligible, derived, setting.events, everyone, shared, rows_out)
            amounts = method(block.method).allocate_batch(block.params, inp).amounts  # 0 for the ineligible
        else:
            amounts = np.zeros(eligible.shape, dtype=np.int64)
        unpaid = available - np.einsum("ij->i", amounts)  # the fastest exact row sum of integers
        if (amounts.size and amounts.min() < 0) or (unpaid < 0).any():
            raise AssertionError(f"block {block.id}: a negative amount, or more paid than available")
        if block.unpaid_to is not None:
            inflow[block.unpaid_to] = inflow[block.unpaid_to] + unpaid if block.unpaid_to in inflow else unpaid
        if amounts is not rows_out:
            rows_out[...] = amounts
        result.available[rows], result.unpaid[rows] = available, unpaid
        if rule not in setting.masks:
            result.eligible[rows] = eligible
    if totals is not None:  # Σ the blocks' rows: one pass fewer than adding each into zeros
        first, *others = (out[b.id].amounts[rows] for b in setting.order)
        np.add(first, others[0], out=totals[rows])
        for amounts in others[1:]:
            totals[rows] += amounts
