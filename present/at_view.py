"""The 2023 AT output format read off the block engine's result: per region its figures (planned, outcome,
expansion, step, leftover share, next step) as the command line's ``--outcomes`` form prints them
(``present.report``) and as the explanation reads them (``present.explain.explain``).

The round is a round of one ``staircase_leftover`` block (the 2023 performance format as the rules reader
reads it), the regions' reports are generic reports (``allocation.report_values.Report``), and the result
is ``allocation.block_engine.allocate_round``'s; every amount is the engine's, read through the staircase's
own details (``allocation.methods.staircase.details``). Nothing here computes a rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import ceil

from allocation.block_data import Notice, Recipient
from allocation.block_engine import PotChoice, allocate_round, pot_for
from allocation.blocks import CUSTOM_POT, Round
from allocation.formulas import outcome, per_inhabitants, raw_expansion
from allocation.method_params import StaircaseParams
from allocation.methods.record import NOBODY_QUALIFIES, POT_BELOW_STEPS
from allocation.methods.staircase import StepDetail, pot_below_steps
from allocation.report_values import Report, engine_values
from allocation.rules import Step
from present.block_table import stair_details

__all__ = ["NOBODY_QUALIFIES", "POT_BELOW_STEPS", "Allocation", "RegionResult", "allocate_view", "step_reached"]

CUSTOM_POT_SV = "eget belopp (what-if)"


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
    params: StaircaseParams  # the staircase, its key and its per-inhabitants figure, as allocated
    pot: int
    pot_source: str  # the id of the block's pot option, or ``custom`` (a what-if amount)
    pot_source_sv: str  # where the pot figure comes from, in Swedish: the seed's section, or a what-if amount
    steps_total: int  # Σ nominal staircase amounts
    leftover: int  # shared by the key (0 when the pot is below Σ steps)
    paid: int
    unallocated: int
    warnings: tuple[Notice, ...]  # worded by present.notices
    regions: tuple[RegionResult, ...]

    def by_code(self) -> dict[str, RegionResult]:
        return {r.code: r for r in self.regions}


def step_reached(level: int, steps: tuple[Step, ...]) -> tuple[Step | None, Step | None]:
    """The step of ``level`` (steps reached; 0 none) and the step after it."""
    return (steps[level - 1] if level else None), (steps[level] if level < len(steps) else None)


def _reports_by_code(recipients: Sequence[Recipient], reports: Iterable[Report]) -> dict[str, Report]:
    by_code: dict[str, Report] = {}
    known = {r.code for r in recipients}
    for report in reports:
        if report.code not in known:
            raise ValueError(f"unknown region code {report.code!r}")
        if report.code in by_code:
            raise ValueError(f"region {report.code} appears twice")
        by_code[report.code] = report
    return by_code


def allocate_view(
    round_: Round,
    recipients: Sequence[Recipient],
    reports: Iterable[Report],
    pots: Mapping[str, PotChoice] | None = None,
) -> Allocation:
    """Every recipient of a round of one staircase block on the block engine, in the 2023 format; ``pots``: the
    block's pot (an option's id or kronor), the rules' default when not given. Recipients without a report
    reported nothing."""
    (block,) = round_.blocks
    params = block.params
    if not isinstance(params, StaircaseParams):
        raise ValueError(f"block {block.id!r} is not a staircase: the 2023 format has one")
    by_code = _reports_by_code(recipients, reports)
    values = engine_values(by_code.values())
    pot, source = pot_for(block, (pots or {}).get(block.id))
    result = allocate_round(round_, recipients, values, pots={block.id: pot})
    stair = stair_details(round_, result, recipients, values)[0][block.id]
    regions = [
        _region(r, by_code.get(r.code, Report(r.code)), stair[r.code], round_, params, result.totals[r.code])
        for r in recipients
    ]
    steps_total = sum(d.nominal for d in stair.values())
    warnings: tuple[Notice, ...] = ()
    if not any(d.level for d in stair.values()):
        warnings = (Notice.of(NOBODY_QUALIFIES, amount=pot),)  # the whole pot stays unallocated
    elif pot < steps_total:
        warnings = (pot_below_steps(pot, steps_total),)
    return Allocation(
        round_id=round_.id,
        params=params,
        pot=pot,
        pot_source=source,
        pot_source_sv=CUSTOM_POT_SV if source == CUSTOM_POT else block.pot.option(source).source.section,
        steps_total=steps_total,
        leftover=pot - steps_total if not warnings else 0,
        paid=result.paid,
        unallocated=result.unallocated,
        warnings=warnings,
        regions=tuple(regions),
    )


def _region(
    r: Recipient, report: Report, d: StepDetail, round_: Round, params: StaircaseParams, total: int
) -> RegionResult:
    """One recipient's line of the 2023 format: its report, the staircase's figures for it, its total."""
    filled, started, excluded = (int(report.value(k)) for k in ("filled", "started", "excluded"))
    planned = report.planned if report.planned is not None else round_.planned[r.code]
    made = outcome(filled, started)
    raw = raw_expansion(made, planned, excluded)
    step, following = step_reached(d.level, params.steps)
    return RegionResult(
        code=r.code,
        name=r.name,
        population=r.population,
        planned=planned,
        planned_overridden=report.planned is not None,
        filled=filled,
        started=started,
        outcome=made,
        excluded=excluded,
        raw_expansion=raw,
        expansion=d.measure,
        expansion_per_100k=per_inhabitants(d.measure, r.population, params.per_inhabitants),
        step=step,
        step_nominal=d.nominal,
        step_amount=d.step_paid,
        weight=d.weight,
        share_of_leftover=d.share,
        redistribution=d.leftover_paid,
        total=total,
        next_step=following,
        next_step_positions=None if following is None else max(1, ceil(following.min_expansion - raw)),
        next_step_kronor=d.next_gain,
    )
