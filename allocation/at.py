"""The AT-tjänster engine: outcome → expansion → staircase → redistribution, exact to the krona.

Pure code: plain functions over frozen dataclasses, money as ``int`` kronor, counts as exact
``Fraction`` (a planned range ``1-4`` has the midpoint 2.5). No floats on the money path.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from math import ceil

from allocation.formats import kr
from allocation.money import apportion
from allocation.rules import AtParams, AtRound, Step

POT_BELOW_STEPS = "pot_below_steps"
NOBODY_QUALIFIES = "nobody_qualifies"


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
class Warning:
    code: str
    message: str  # English
    message_sv: str


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
    next_step_kronor: int | None  # the staircase amount gained at the next step

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
    warnings: tuple[Warning, ...]
    regions: tuple[RegionResult, ...]

    @property
    def pot(self) -> int:
        return self.params.pot

    @property
    def pot_source(self) -> str:
        return self.params.pot_source

    def by_code(self) -> dict[str, RegionResult]:
        return {r.code: r for r in self.regions}


def step_reached(expansion: Fraction, steps: tuple[Step, ...]) -> tuple[Step | None, Step | None]:
    """The highest step whose threshold ``expansion`` reaches, and the step after it."""
    reached: Step | None = None
    following: Step | None = steps[0] if steps else None
    for i, step in enumerate(steps):
        if expansion >= step.min_expansion:
            reached = step
            following = steps[i + 1] if i + 1 < len(steps) else None
    return reached, following


def _weight(key: str, expansion: Fraction, per_100k: Fraction) -> Fraction:
    if key == "expansion_per_100k":
        return per_100k
    if key == "expansion":
        return expansion
    return Fraction(1)  # "equal"


def allocate(at_round: AtRound, inputs: Iterable[RegionInput], params: AtParams | None = None) -> Allocation:
    """Allocate the pot among all regions of the round. Regions without input reported nothing."""
    params = params or at_round.default_params()
    by_code: dict[str, RegionInput] = {}
    known = {r.code for r in at_round.regions}
    for item in inputs:
        if item.code not in known:
            raise ValueError(f"unknown region code {item.code!r}")
        if item.code in by_code:
            raise ValueError(f"region {item.code} appears twice")
        by_code[item.code] = item

    rows = []
    for region in at_round.regions:
        item = by_code.get(region.code, RegionInput(region.code))
        planned = item.planned if item.planned is not None else at_round.planned_value(region.code)
        outcome = max(item.filled, item.started)
        raw = outcome - planned - item.excluded
        expansion = max(Fraction(0), raw)
        per_100k = expansion * params.per_inhabitants / region.population
        step, following = step_reached(expansion, params.steps)
        weight = _weight(params.key, expansion, per_100k) if step is not None else Fraction(0)
        rows.append((region, item, planned, outcome, raw, expansion, per_100k, step, following, weight))

    qualifying = [row for row in rows if row[7] is not None]
    nominal = [row[7].amount if row[7] is not None else 0 for row in rows]
    steps_total = sum(nominal)
    codes = [row[0].code for row in rows]
    warnings: list[Warning] = []

    if not qualifying:
        step_paid = [0] * len(rows)
        redistribution = [0] * len(rows)
        leftover = 0
        warnings.append(
            Warning(
                NOBODY_QUALIFIES,
                "No region reached the first step; nothing is paid and the whole pot is unallocated.",
                "Ingen region nådde första trappsteget: inget betalas ut och hela potten är ofördelad.",
            )
        )
    elif params.pot < steps_total:
        step_paid = apportion(params.pot, nominal, codes)
        redistribution = [0] * len(rows)
        leftover = 0
        warnings.append(
            Warning(
                POT_BELOW_STEPS,
                f"The pot ({params.pot} kr) is smaller than the staircase amounts ({steps_total} kr): "
                "the steps are scaled down pro rata to fit and nothing is redistributed.",
                f"Potten ({kr(params.pot)}) är mindre än trappstegens summa ({kr(steps_total)}): "
                "trappbeloppen skalas ned proportionellt och inget omfördelas.",
            )
        )
    else:
        step_paid = nominal
        leftover = params.pot - steps_total
        redistribution = apportion(leftover, [row[9] for row in rows], codes)

    weight_sum = sum((row[9] for row in rows), Fraction(0))
    results = []
    for i, (region, item, planned, outcome, raw, expansion, per_100k, step, following, weight) in enumerate(rows):
        if following is not None:
            positions = max(1, ceil(following.min_expansion - raw))
            kronor = following.amount - nominal[i]
        else:
            positions = kronor = None
        results.append(
            RegionResult(
                code=region.code,
                name=region.name,
                population=region.population,
                planned=planned,
                planned_overridden=item.planned is not None,
                filled=item.filled,
                started=item.started,
                outcome=outcome,
                excluded=item.excluded,
                raw_expansion=raw,
                expansion=expansion,
                expansion_per_100k=per_100k,
                step=step,
                step_nominal=nominal[i],
                step_amount=step_paid[i],
                weight=weight,
                share_of_leftover=weight / weight_sum if weight_sum else Fraction(0),
                redistribution=redistribution[i],
                total=step_paid[i] + redistribution[i],
                next_step=following,
                next_step_positions=positions,
                next_step_kronor=kronor,
            )
        )
    paid = sum(r.total for r in results)
    return Allocation(
        round_id=at_round.id,
        params=params,
        steps_total=steps_total,
        leftover=leftover,
        paid=paid,
        unallocated=params.pot - paid,
        warnings=tuple(warnings),
        regions=tuple(results),
    )
