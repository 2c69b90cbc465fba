"""``staircase_leftover``: the highest step reached on a measure, then what the steps leave shared by a key.

The rule (AT 2023, S2023/00678): each recipient gets the amount of the highest step its measure reaches
(``formulas.step_level``); the pot less Σ steps (the leftover) goes to those who reached a step, in
proportion to the key (``formulas.leftover_weight``), or stays unpaid when the rules say so. A pot below
Σ steps pays the steps scaled down pro rata and shares nothing. Nobody on a step: nothing is paid.

``solve`` is the exact kernel (``Fraction``, whole kronor, largest remainder, ties to the lower code) and
``solve_rows`` its batch twin (numpy, S scenarios); ``exact`` and ``batch`` adapt them to a block.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from allocation import method_params as mp
from allocation.block_data import Notice, key_values
from allocation.formulas import larger, leftover_weight, step_level
from allocation.methods.record import (
    LEFTOVER_UNPAID,
    NOBODY_QUALIFIES,
    POT_BELOW_STEPS,
    BatchInput,
    BatchOutput,
    MethodInput,
    MethodOutput,
)
from allocation.methods.shares import apportion, apportion_rows_float, row_sums
from allocation.rules import Step


@dataclass(frozen=True, slots=True)
class Staircase:
    """A staircase solved exactly; every tuple is per recipient, in the order the recipients were given."""

    levels: tuple[int, ...]  # steps reached: 0 none, len(steps) the top step
    nominal: tuple[int, ...]  # the staircase amount of that step
    weights: tuple[Fraction, ...]  # the key's value among those on a step, 0 for the others
    step_paid: tuple[int, ...]  # = nominal, or scaled down when the pot is below Σ steps
    leftover_paid: tuple[int, ...]
    leftover: int  # what the steps leave (0 when the pot is below them)
    warning: str | None  # NOBODY_QUALIFIES, POT_BELOW_STEPS or None
    weight_sum: Fraction = Fraction(0)  # Σ weights

    @property
    def steps_total(self) -> int:
        return sum(self.nominal)


def amounts_by_level(steps: Sequence[Step]) -> tuple[int, ...]:
    return (0, *(s.amount for s in steps))


def solve(
    pot: int,
    steps: Sequence[Step],
    key: str,
    per_inhabitants: int,
    codes: Sequence[str],
    populations: Sequence[int],
    measures: Sequence[Fraction],
) -> Staircase:
    """The exact staircase: steps first, then the leftover by the key (or the pot scaled over the steps)."""
    thresholds = [s.min_expansion for s in steps]
    by_level = amounts_by_level(steps)
    levels = tuple(step_level(m, thresholds) for m in measures)
    nominal = tuple(by_level[level] for level in levels)
    weights = tuple(
        leftover_weight(key, Fraction(m), p, per_inhabitants) if level else Fraction(0)
        for m, p, level in zip(measures, populations, levels, strict=True)
    )
    zeros, total = (0,) * len(codes), sum(weights, Fraction(0))
    if not any(levels):
        return Staircase(levels, nominal, weights, zeros, zeros, 0, NOBODY_QUALIFIES, total)
    steps_total = sum(nominal)
    if pot < steps_total:
        scaled = tuple(apportion(pot, nominal, codes))
        return Staircase(levels, nominal, weights, scaled, zeros, 0, POT_BELOW_STEPS, total)
    leftover = pot - steps_total
    shares = tuple(apportion(leftover, weights, codes))
    return Staircase(levels, nominal, weights, nominal, shares, leftover, None, total)


def next_step_gains(stair: Staircase, pot: int, steps: Sequence[Step], codes: Sequence[str]) -> list[int | None]:
    """What each recipient gains in staircase money by reaching its next step, everyone else unchanged.

    Its step amount there minus what it is paid now: the full difference while the pot covers the moved
    staircase; below it every step is scaled again, so the gain is its largest-remainder share of the pot
    with its new step minus its scaled amount now. None at the top step. Recipients on the same step share
    one moved staircase, so each costs O(number of steps + log n), not another apportionment.
    """
    by_level = amounts_by_level(steps)
    total = stair.steps_total
    groups: dict[int, list[str]] = {}  # nominal amount -> codes, sorted (the tie-break order)
    for code, amount in sorted(zip(codes, stair.nominal, strict=True)):
        groups.setdefault(amount, []).append(code)
    gains: list[int | None] = []
    for code, level, paid in zip(codes, stair.levels, stair.step_paid, strict=True):
        if level == len(steps):
            gains.append(None)
            continue
        old, new = by_level[level], by_level[level + 1]
        moved_total = total - old + new
        if pot >= moved_total:
            gains.append(new - paid)
        else:
            gains.append(_share_after_move(pot, moved_total, groups, old, new, code) - paid)
    return gains


def _share_after_move(pot: int, moved_total: int, groups: dict[int, list[str]], old: int, new: int, code: str) -> int:
    """``apportion(pot, nominal with code's amount old → new, codes)[code]``, from the groups of equal amounts."""
    quotient, remainder = divmod(pot * new, moved_total)
    floors, ahead = quotient, 0  # Σ floors of all parts; parts ranked before code's remainder
    for amount, members in groups.items():
        count = len(members) - (amount == old)
        q, r = divmod(pot * amount, moved_total)
        floors += count * q
        if r > remainder:
            ahead += count
        elif r == remainder:
            ahead += bisect_left(members, code)  # lower codes first; code itself is not below itself
    left = pot - floors
    return quotient + (1 if ahead < left else 0)


def pot_below_steps(pot: int, steps_total: int) -> Notice:
    """The pot is below the staircase's amounts: the steps are scaled down and nothing is redistributed."""
    return Notice.of(POT_BELOW_STEPS, pot=pot, total=steps_total)


def _notices(stair: Staircase, pot: int, leftover: str) -> list[Notice]:
    if stair.warning == NOBODY_QUALIFIES:
        return [Notice.of(NOBODY_QUALIFIES)]
    if stair.warning == POT_BELOW_STEPS:
        return [pot_below_steps(pot, stair.steps_total)]
    if leftover == mp.UNPAID and stair.leftover:
        return [Notice.of(LEFTOVER_UNPAID, amount=stair.leftover)]
    return []


def exact(params: mp.StaircaseParams, inp: MethodInput) -> MethodOutput:
    """The block's staircase on its measure (never below 0), exactly."""
    codes = inp.codes
    measures = [larger(m, Fraction(0)) for m in key_values(inp.values, params.measure, codes)]
    populations = [r.population for r in inp.recipients]
    stair = solve(inp.pot, params.steps, params.key, params.per_inhabitants, codes, populations, measures)
    shared = stair.leftover_paid if params.leftover == mp.SHARE else (0,) * len(codes)
    steps = dict(zip(codes, stair.step_paid, strict=True))
    leftover = dict(zip(codes, shared, strict=True))
    amounts = {c: steps[c] + leftover[c] for c in codes}
    return MethodOutput(
        amounts, tuple(_notices(stair, inp.pot, params.leftover)), {"step": steps, "leftover": leftover}
    )


def solve_rows(
    pot: NDArray[np.int64],
    steps: Sequence[Step],
    key: str,
    per_inhabitants: int,
    population: NDArray[np.float64],
    measure: NDArray[np.float64],
    share_leftover: bool = True,
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.bool_]]:
    """The batch twin of ``solve`` for S scenarios: (step paid, leftover paid, pot below Σ steps), (S, R) each
    and (S,). ``measure`` is (S, R) and never below 0; ``population`` (R,) or (S, R); the formulas are the
    exact path's own."""
    step, leftover, below = solve_rows_float(pot, steps, key, per_inhabitants, population, measure, share_leftover)
    return step.astype(np.int64), leftover.astype(np.int64), below


def solve_rows_float(
    pot: NDArray[np.int64],
    steps: Sequence[Step],
    key: str,
    per_inhabitants: int,
    population: NDArray[np.float64],
    measure: NDArray[np.float64],
    share_leftover: bool = True,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_]]:
    """``solve_rows`` in whole numbers held in float64 (exact below 2**53): a caller adds the parts before
    its one conversion to integers. The leftover part is all zeros when nothing is shared."""
    levels = step_level(measure, [s.min_expansion for s in steps])
    nominal = np.array(amounts_by_level(steps), dtype=np.float64).take(levels)
    steps_total = row_sums(nominal)
    below = pot < steps_total
    below_rows = np.flatnonzero(below)
    if not share_leftover:
        if below_rows.size:
            nominal[below_rows] = apportion_rows_float(pot[below_rows], nominal[below_rows])
        return nominal, np.zeros_like(nominal), below
    # Only those on a step share the leftover (in a new array: the weight may be the measure itself).
    weights = leftover_weight(key, measure, population, per_inhabitants)
    on_step = levels > 0
    weights = np.multiply(weights, on_step, out=None if weights is measure else weights)
    totals = pot - steps_total.astype(np.int64)
    if below_rows.size:  # those rows scale the steps to the pot and share nothing
        weights[below_rows] = nominal[below_rows]
        totals[below_rows] = pot[below_rows]
    shares = apportion_rows_float(totals, weights, overwrite=True)
    if below_rows.size:
        nominal[below_rows] = shares[below_rows]
        shares[below_rows] = 0.0
    return nominal, shares, below


def batch(params: mp.StaircaseParams, inp: BatchInput) -> BatchOutput:
    """``solve_rows`` on the block's measure; the ineligible measure 0, below every step. (Batch values are
    never negative: ``block_batch`` refuses negative inputs and every derived key is at least 0.)"""
    measure = inp.column(params.measure)
    if not inp.everyone:
        measure = np.multiply(measure, inp.eligible)
    population = inp.column("population")
    share = params.leftover == mp.SHARE
    step, leftover, _ = solve_rows_float(
        inp.pot, params.steps, params.key, params.per_inhabitants, population, measure, share
    )
    # The block engine reads the amounts only: the parts stay unsplit (two more conversions to integers).
    amounts = np.add(step, leftover, out=step) if share else step
    if inp.out is None:
        return BatchOutput(amounts.astype(np.int64))
    np.copyto(inp.out, amounts, casting="unsafe")  # whole numbers: the conversion is exact
    return BatchOutput(inp.out)


@dataclass(frozen=True, slots=True)
class StepDetail:
    """One recipient on a block's staircase, as plain data (tables, charts and explanations read it)."""

    measure: Fraction  # the block's measure (never below 0)
    level: int  # steps reached: 0 none
    nominal: int  # the staircase amount of that step
    step_paid: int  # nominal, or scaled down when the pot is below Σ steps
    leftover_paid: int  # its share of the leftover (0 when the rules keep the leftover unpaid)
    weight: Fraction  # its value of the key among those on a step, 0 for the others
    share: Fraction  # weight / Σ weights: its share of the leftover
    next_threshold: int | None  # the next step's threshold; None at the top step
    to_next: Fraction | None  # how much more of the measure the next step needs
    next_gain: int | None  # what reaching it adds in staircase money, everyone else unchanged


def details(params: mp.StaircaseParams, inp: MethodInput) -> dict[str, StepDetail]:
    """Each eligible recipient's place on the staircase, from the kernel's own ``solve`` and
    ``next_step_gains`` (the same figures ``exact`` pays)."""
    codes = inp.codes
    measures = [larger(m, Fraction(0)) for m in key_values(inp.values, params.measure, codes)]
    populations = [r.population for r in inp.recipients]
    stair = solve(inp.pot, params.steps, params.key, params.per_inhabitants, codes, populations, measures)
    gains = next_step_gains(stair, inp.pot, params.steps, codes)
    shared = stair.leftover_paid if params.leftover == mp.SHARE else (0,) * len(codes)
    out = {}
    for i, code in enumerate(codes):
        level = stair.levels[i]
        following = params.steps[level] if level < len(params.steps) else None
        weight = stair.weights[i]
        out[code] = StepDetail(
            measures[i],
            level,
            stair.nominal[i],
            stair.step_paid[i],
            shared[i],
            weight,
            weight / stair.weight_sum if stair.weight_sum else Fraction(0),
            None if following is None else following.min_expansion,
            None if following is None else following.min_expansion - measures[i],
            gains[i],
        )
    return out
