"""The 2023 AT result (``Allocation``) from the staircase block's kernel: a thin wrapper, kept this session.

``allocate`` converts an AT round and its regions' reports into the ``staircase_leftover`` kernel
(``allocation.methods.staircase``), measuring with ``allocation.formulas`` (outcome → expansion), and
dresses the result in the AT-only types its callers in ui/, store/ and cli/ still read; they move to the
block engine's result later, and then this module goes. No rule is computed here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import ceil

from allocation.block_data import Notice
from allocation.formulas import expansion, outcome, per_inhabitants, raw_expansion, step_level
from allocation.methods.record import NOBODY_QUALIFIES, POT_BELOW_STEPS
from allocation.methods.staircase import Staircase, next_step_gains, pot_below_steps, solve
from allocation.regions import Region
from allocation.rules import AtParams, AtRound, Step

__all__ = ["NOBODY_QUALIFIES", "POT_BELOW_STEPS", "Allocation", "RegionInput", "RegionResult"]


@dataclass(frozen=True, slots=True)
class RegionInput:
    """What one region reported. ``planned`` overrides the planning document when given."""

    code: str
    filled: int = 0
    started: int = 0
    excluded: int = 0
    planned: Fraction | None = None

    def __post_init__(self) -> None:
        for name in ("filled", "started", "excluded"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"region {self.code}: {name} must be a non-negative whole number, got {value!r}")
        if self.planned is not None and self.planned < 0:
            raise ValueError(f"region {self.code}: planned must not be negative, got {self.planned}")


@dataclass(frozen=True, slots=True)
class RegionResult:
    code: str
    name: str
    population: int
    planned: Fraction
    planned_overridden: bool
    filled: int
    started: int
    outcome: int
    excluded: int
    raw_expansion: Fraction  # outcome − planned − excluded, may be negative
    expansion: Fraction  # max(0, raw_expansion)
    expansion_per_100k: Fraction
    step: Step | None  # highest step reached, None below the first
    step_nominal: int  # the staircase amount of that step
    step_amount: int  # paid for the step (= nominal unless the pot is below Σ steps)
    weight: Fraction  # the redistribution key's value (0 when not qualifying)
    share_of_leftover: Fraction  # weight / Σ weights
    redistribution: int
    total: int
    next_step: Step | None
    next_step_positions: int | None  # whole positions more needed to reach the next step
    # The staircase amount gained at the next step, the other regions unchanged: exactly what the engine would
    # pay then, scaled like every step when the pot is below the staircase (``_next_step_gain``).
    next_step_kronor: int | None

    @property
    def qualifies(self) -> bool:
        return self.step is not None


@dataclass(frozen=True, slots=True)
class Allocation:
    round_id: str
    params: AtParams
    steps_total: int  # Σ nominal staircase amounts
    leftover: int  # shared by the key (0 when the pot is below Σ steps)
    paid: int
    unallocated: int
    warnings: tuple[Notice, ...]  # worded by present.notices
    regions: tuple[RegionResult, ...]

    @property
    def pot(self) -> int:
        return self.params.pot

    @property
    def pot_source(self) -> str:
        return self.params.pot_source

    def by_code(self) -> dict[str, RegionResult]:
        return {r.code: r for r in self.regions}


def step_reached(measure: Fraction, steps: tuple[Step, ...]) -> tuple[Step | None, Step | None]:
    """The highest step ``measure`` reaches (``formulas.step_level``), and the step after it."""
    level = step_level(measure, [s.min_expansion for s in steps])
    return (steps[level - 1] if level else None), (steps[level] if level < len(steps) else None)


def _inputs_by_code(at_round: AtRound, inputs: Iterable[RegionInput]) -> dict[str, RegionInput]:
    by_code: dict[str, RegionInput] = {}
    known = {r.code for r in at_round.regions}
    for item in inputs:
        if item.code not in known:
            raise ValueError(f"unknown region code {item.code!r}")
        if item.code in by_code:
            raise ValueError(f"region {item.code} appears twice")
        by_code[item.code] = item
    return by_code


def _warnings(stair: Staircase, pot: int) -> tuple[Notice, ...]:
    if stair.warning == NOBODY_QUALIFIES:
        return (Notice.of(NOBODY_QUALIFIES, amount=pot),)  # the whole pot stays unallocated
    if stair.warning == POT_BELOW_STEPS:
        return (pot_below_steps(pot, stair.steps_total),)
    return ()


def _result(
    region: Region, item: RegionInput, planned: Fraction, params: AtParams, stair: Staircase, i: int, gain: int | None
) -> RegionResult:
    """Region ``i``'s figures: its measures by the formulas, its amounts from the solved staircase."""
    made = outcome(item.filled, item.started)
    raw = raw_expansion(made, planned, item.excluded)
    grown = expansion(made, planned, item.excluded)
    step, following = step_reached(grown, params.steps)
    return RegionResult(
        code=region.code,
        name=region.name,
        population=region.population,
        planned=planned,
        planned_overridden=item.planned is not None,
        filled=item.filled,
        started=item.started,
        outcome=made,
        excluded=item.excluded,
        raw_expansion=raw,
        expansion=grown,
        expansion_per_100k=per_inhabitants(grown, region.population, params.per_inhabitants),
        step=step,
        step_nominal=stair.nominal[i],
        step_amount=stair.step_paid[i],
        weight=stair.weights[i],
        share_of_leftover=stair.weights[i] / stair.weight_sum if stair.weight_sum else Fraction(0),
        redistribution=stair.leftover_paid[i],
        total=stair.step_paid[i] + stair.leftover_paid[i],
        next_step=following,
        next_step_positions=None if following is None else max(1, ceil(following.min_expansion - raw)),
        next_step_kronor=gain,
    )


def allocate(at_round: AtRound, inputs: Iterable[RegionInput], params: AtParams | None = None) -> Allocation:
    """Allocate the pot among all regions of the round. Regions without input reported nothing.

    A wrapper over the staircase block's kernel (``allocation.methods.staircase.solve``), kept this session
    only for the callers that still read ``Allocation``.
    """
    params = params or at_round.default_params()
    by_code = _inputs_by_code(at_round, inputs)
    regions: Sequence[Region] = at_round.regions
    items = [by_code.get(r.code, RegionInput(r.code)) for r in regions]
    planned = [i.planned if i.planned is not None else at_round.planned_value(i.code) for i in items]
    grown = [expansion(outcome(i.filled, i.started), p, i.excluded) for i, p in zip(items, planned, strict=True)]
    codes = [r.code for r in regions]
    stair = solve(
        params.pot, params.steps, params.key, params.per_inhabitants, codes, [r.population for r in regions], grown
    )
    gains = next_step_gains(stair, params.pot, params.steps, codes)
    results = tuple(
        _result(r, item, p, params, stair, i, gains[i])
        for i, (r, item, p) in enumerate(zip(regions, items, planned, strict=True))
    )
    paid = sum(r.total for r in results)
    return Allocation(
        round_id=at_round.id,
        params=params,
        steps_total=stair.steps_total,
        leftover=stair.leftover,
        paid=paid,
        unallocated=params.pot - paid,
        warnings=_warnings(stair, params.pot),
        regions=results,
    )
