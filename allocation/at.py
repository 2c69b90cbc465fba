"""The AT-tjänster engine: outcome → expansion → staircase → redistribution, exact to the krona.

Pure code: plain functions over frozen dataclasses, money as ``int`` kronor, counts as exact
``Fraction`` (a planned range ``1-4`` has the midpoint 2.5). No floats on the money path.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from math import ceil

from allocation.money import apportion, kr
from allocation.regions import Region
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
class AllocationWarning:
    """Something the reader of a result must know (the pot below the steps, nobody qualifying)."""

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
    warnings: tuple[AllocationWarning, ...]
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


@dataclass(frozen=True, slots=True)
class _Measured:
    """One region's outcome measured against its plan, before any money is shared."""

    region: Region
    item: RegionInput
    planned: Fraction
    outcome: int
    raw: Fraction  # outcome − planned − excluded
    expansion: Fraction
    per_100k: Fraction
    step: Step | None
    following: Step | None
    weight: Fraction


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


def _measure(at_round: AtRound, region: Region, item: RegionInput, params: AtParams) -> _Measured:
    """Outcome = max(filled, started); expansion = outcome − planned − excluded, at least 0; the step reached."""
    planned = item.planned if item.planned is not None else at_round.planned_value(region.code)
    outcome = max(item.filled, item.started)
    raw = outcome - planned - item.excluded
    expansion = max(Fraction(0), raw)
    per_100k = expansion * params.per_inhabitants / region.population
    step, following = step_reached(expansion, params.steps)
    weight = _weight(params.key, expansion, per_100k) if step is not None else Fraction(0)
    return _Measured(region, item, planned, outcome, raw, expansion, per_100k, step, following, weight)


def _share(
    rows: list[_Measured], pot: int, nominal: list[int]
) -> tuple[list[int], list[int], int, list[AllocationWarning]]:
    """(step paid, redistribution, leftover, warnings): steps first, then the leftover by the key."""
    codes = [row.region.code for row in rows]
    steps_total = sum(nominal)
    if not any(row.step is not None for row in rows):
        warning = AllocationWarning(
            NOBODY_QUALIFIES,
            "No region reached the first step; nothing is paid and the whole pot is unallocated.",
            "Ingen region nådde första trappsteget: inget betalas ut och hela potten är ofördelad.",
        )
        return [0] * len(rows), [0] * len(rows), 0, [warning]
    if pot < steps_total:
        warning = AllocationWarning(
            POT_BELOW_STEPS,
            f"The pot ({pot} kr) is smaller than the staircase amounts ({steps_total} kr): "
            "the steps are scaled down pro rata to fit and nothing is redistributed.",
            f"Potten ({kr(pot)}) är mindre än trappstegens summa ({kr(steps_total)}): "
            "trappbeloppen skalas ned proportionellt och inget omfördelas.",
        )
        return apportion(pot, nominal, codes), [0] * len(rows), 0, [warning]
    leftover = pot - steps_total
    return nominal, apportion(leftover, [row.weight for row in rows], codes), leftover, []


def _next_step_gain(i: int, rows: list[_Measured], pot: int, nominal: list[int], step_paid: list[int]) -> int | None:
    """What region ``i`` gains in staircase money by reaching its next step, everyone else unchanged.

    Its step amount at the next step minus what it is paid now: the full difference while the pot covers the
    staircase; below it, every step is scaled again, so the gain is the region's apportioned share of the pot
    with its new step (largest remainder, as ``_share`` pays it) minus its scaled amount now. Never above the pot.
    """
    following = rows[i].following
    if following is None:
        return None
    moved = [*nominal[:i], following.amount, *nominal[i + 1 :]]
    if pot >= sum(moved):
        return following.amount - step_paid[i]
    return apportion(pot, moved, [row.region.code for row in rows])[i] - step_paid[i]


def _result(
    row: _Measured, nominal: int, step_paid: int, redistribution: int, weight_sum: Fraction, next_gain: int | None
) -> RegionResult:
    positions = None if row.following is None else max(1, ceil(row.following.min_expansion - row.raw))
    return RegionResult(
        code=row.region.code,
        name=row.region.name,
        population=row.region.population,
        planned=row.planned,
        planned_overridden=row.item.planned is not None,
        filled=row.item.filled,
        started=row.item.started,
        outcome=row.outcome,
        excluded=row.item.excluded,
        raw_expansion=row.raw,
        expansion=row.expansion,
        expansion_per_100k=row.per_100k,
        step=row.step,
        step_nominal=nominal,
        step_amount=step_paid,
        weight=row.weight,
        share_of_leftover=row.weight / weight_sum if weight_sum else Fraction(0),
        redistribution=redistribution,
        total=step_paid + redistribution,
        next_step=row.following,
        next_step_positions=positions,
        next_step_kronor=next_gain,
    )


def allocate(at_round: AtRound, inputs: Iterable[RegionInput], params: AtParams | None = None) -> Allocation:
    """Allocate the pot among all regions of the round. Regions without input reported nothing."""
    params = params or at_round.default_params()
    by_code = _inputs_by_code(at_round, inputs)
    rows = [_measure(at_round, r, by_code.get(r.code, RegionInput(r.code)), params) for r in at_round.regions]
    nominal = [row.step.amount if row.step is not None else 0 for row in rows]
    step_paid, redistribution, leftover, warnings = _share(rows, params.pot, nominal)
    weight_sum = sum((row.weight for row in rows), Fraction(0))
    results = [
        _result(
            row,
            nominal[i],
            step_paid[i],
            redistribution[i],
            weight_sum,
            _next_step_gain(i, rows, params.pot, nominal, step_paid),
        )
        for i, row in enumerate(rows)
    ]
    paid = sum(r.total for r in results)
    return Allocation(
        round_id=at_round.id,
        params=params,
        steps_total=sum(nominal),
        leftover=leftover,
        paid=paid,
        unallocated=params.pot - paid,
        warnings=tuple(warnings),
        regions=tuple(results),
    )
