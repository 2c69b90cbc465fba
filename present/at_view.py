"""The 2023 AT output format read off the block engine's result: per region its figures (planned, outcome,
expansion, step, leftover share, next step) as the command line's ``--outcomes`` form prints them
(``present.report``) and as the explanation reads them (``present.explain.explain``).

The round is the 2023 rules reader's view (``allocation.rules.AtRound``, kept for that format's what-if
options), converted to its one staircase block (``allocation.block_convert.from_at_round``) and run by
``allocation.block_engine.allocate_round``; every amount is the engine's, read through the staircase's own
details (``allocation.methods.staircase.details``). Nothing here computes a rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from math import ceil

from allocation.at import RegionInput
from allocation.block_convert import at_values, from_at_round, recipients_from_regions
from allocation.block_data import Notice
from allocation.block_engine import allocate_round
from allocation.formulas import outcome, per_inhabitants, raw_expansion
from allocation.methods.record import NOBODY_QUALIFIES, POT_BELOW_STEPS
from allocation.methods.staircase import pot_below_steps
from allocation.rules import AtParams, AtRound, Step
from present.block_table import stair_details

__all__ = ["NOBODY_QUALIFIES", "POT_BELOW_STEPS", "Allocation", "RegionResult", "allocate_view", "step_reached"]


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
    next_step_kronor: int | None  # the staircase amount gained at the next step, the other regions unchanged

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


def step_reached(level: int, steps: tuple[Step, ...]) -> tuple[Step | None, Step | None]:
    """The step of ``level`` (steps reached; 0 none) and the step after it."""
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


def allocate_view(at_round: AtRound, inputs: Iterable[RegionInput], params: AtParams | None = None) -> Allocation:
    """All regions of the round on the block engine, in the 2023 format. Regions without input reported nothing."""
    params = params or at_round.default_params()
    by_code = _inputs_by_code(at_round, inputs)
    round_ = from_at_round(at_round, params)
    people = recipients_from_regions(at_round.regions)
    values = at_values(by_code.values())
    result = allocate_round(round_, people, values)
    (block_id,) = (b.id for b in round_.blocks)
    stair = stair_details(round_, result, people, values)[0][block_id]
    regions = []
    for r in at_round.regions:
        item = by_code.get(r.code, RegionInput(r.code))
        d = stair[r.code]
        planned = item.planned if item.planned is not None else at_round.planned_value(r.code)
        made = outcome(item.filled, item.started)
        raw = raw_expansion(made, planned, item.excluded)
        step, following = step_reached(d.level, params.steps)
        regions.append(
            RegionResult(
                code=r.code,
                name=r.name,
                population=r.population,
                planned=planned,
                planned_overridden=item.planned is not None,
                filled=item.filled,
                started=item.started,
                outcome=made,
                excluded=item.excluded,
                raw_expansion=raw,
                expansion=d.measure,
                expansion_per_100k=per_inhabitants(d.measure, r.population, params.per_inhabitants),
                step=step,
                step_nominal=d.nominal,
                step_amount=d.step_paid,
                weight=d.weight,
                share_of_leftover=d.share,
                redistribution=d.leftover_paid,
                total=result.totals[r.code],
                next_step=following,
                next_step_positions=None if following is None else max(1, ceil(following.min_expansion - raw)),
                next_step_kronor=d.next_gain,
            )
        )
    steps_total = sum(d.nominal for d in stair.values())
    warnings: tuple[Notice, ...] = ()
    if not any(d.level for d in stair.values()):
        warnings = (Notice.of(NOBODY_QUALIFIES, amount=params.pot),)  # the whole pot stays unallocated
    elif params.pot < steps_total:
        warnings = (pot_below_steps(params.pot, steps_total),)
    return Allocation(
        round_id=at_round.id,
        params=params,
        steps_total=steps_total,
        leftover=params.pot - steps_total if not warnings else 0,
        paid=result.paid,
        unallocated=result.unallocated,
        warnings=warnings,
        regions=tuple(regions),
    )
