"""Region preview: what one region can expect when the others' outcomes are uncertain.

The other twenty regions' expansions are drawn (or fixed by an assumption), the region's own outcome
may vary within a band, and the engine's batch path allocates every simulated round at once.
Reproducible: the same seed gives the same figures.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray

from allocation.at import RegionInput, allocate
from allocation.batch import allocate_batch
from allocation.block_batch import allocate_round_batch
from allocation.block_data import Recipient, sorted_recipients
from allocation.blocks import Round
from allocation.rules import AtParams, AtRound


@dataclass(frozen=True, slots=True)
class Uncertain:
    """Each other region: with probability ``share`` it expands, by a whole number uniform in [low, high]."""

    low: int = 0
    high: int = 6
    share: float = 0.5

    def __post_init__(self) -> None:
        if self.low < 0 or self.high < self.low:
            raise ValueError("need 0 <= low <= high")
        if not 0 <= self.share <= 1:
            raise ValueError("share must be between 0 and 1")


# The preview's default assumption about the others, explained on the page: half of them grow, each by 1 to 6
# positions beyond plan — from short of the first step to the middle of the staircase. A way of showing how
# much the amount depends on the others, not a forecast.
DEFAULT_UNCERTAIN = Uncertain(1, 6, 0.5)
CURVE_MIN_TOP = 15  # the curve runs at least from 0 to 15 positions, and 5 beyond the top step


@dataclass(frozen=True, slots=True)
class PreviewResult:
    code: str
    n: int
    seed: int
    totals: NDArray[np.int64]  # the region's total in each simulated round
    step_amounts: NDArray[np.int64]
    median: int
    p10: int
    p90: int
    minimum: int
    maximum: int
    step_probability: dict[int, float]  # nominal step amount (0 = none) -> share of rounds
    curve: list[tuple[int, int]]  # (own expansion, median total) for 0..15 (or 5 beyond the top step)
    gain_two: int  # median gain if the region fills two more positions than entered


def _plan_outcomes(at_round: AtRound) -> NDArray[np.float64]:
    return np.array([math.ceil(at_round.planned_value(r.code)) for r in at_round.regions], dtype=np.float64)


def _outcomes(
    at_round: AtRound,
    own: RegionInput,
    others: Sequence[RegionInput] | Uncertain,
    known: Sequence[RegionInput],
    n: int,
    rng: np.random.Generator,
    own_band: int,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Outcome (n x regions), planned and excluded per region: the others drawn or fixed, those ``known``
    (their reports) fixed in every round, the region's own outcome as given (within its band)."""
    codes = [r.code for r in at_round.regions]
    index = codes.index(own.code)
    planned = np.array([float(at_round.planned_value(c)) for c in codes])
    excluded = np.zeros(len(codes))
    if isinstance(others, Uncertain):
        base = _plan_outcomes(at_round)
        grows = rng.random((n, len(codes))) < others.share
        extra = rng.integers(others.low, others.high + 1, size=(n, len(codes)))
        outcome = base + np.where(grows, extra, 0)
        fixed: Sequence[RegionInput] = known
    else:
        outcome = np.zeros((n, len(codes)))  # a region the inputs leave out has no outcome
        by_code = {i.code: i for i in others}
        fixed = [by_code.get(c, RegionInput(c)) for c in codes]
    for item in fixed:
        if item.code not in codes or item.code == own.code:
            continue
        k = codes.index(item.code)
        outcome[:, k] = max(item.filled, item.started)
        excluded[k] = item.excluded
        if item.planned is not None:
            planned[k] = float(item.planned)
    own_outcome = max(own.filled, own.started)
    if own.planned is not None:
        planned[index] = float(own.planned)
    excluded[index] = own.excluded
    if own_band:
        outcome[:, index] = np.maximum(0, own_outcome + rng.integers(-own_band, own_band + 1, size=n))
    else:
        outcome[:, index] = own_outcome
    return outcome, planned, excluded


def simulate(
    at_round: AtRound,
    own: RegionInput,
    others: Sequence[RegionInput] | Uncertain,
    params: AtParams,
    n: int = 100_000,
    seed: int = 2023,
    own_band: int = 0,
    curve_n: int = 5_000,
    known: Sequence[RegionInput] = (),
) -> PreviewResult:
    """Simulate ``n`` rounds. ``others`` is a fixed set of inputs (plan, a scenario) or an Uncertain draw;
    with an Uncertain draw, the regions in ``known`` (those that have reported) keep their reported figures."""
    codes = [r.code for r in at_round.regions]
    index = codes.index(own.code)
    rng = np.random.default_rng(seed)
    outcome, planned, excluded = _outcomes(at_round, own, others, known, n, rng, own_band)
    own_outcome = max(own.filled, own.started)
    result = allocate_batch(at_round, outcome, planned=planned, excluded=excluded, params=params)
    totals = result.total[:, index]
    steps = result.step_amount[:, index]
    nominal = _nominal_steps(result.expansion[:, index], params)
    values, counts = np.unique(nominal, return_counts=True)
    p10, median, p90 = (int(v) for v in np.percentile(totals, [10, 50, 90], method="lower"))

    # The curve: the region's median total at each own expansion 0..15, the others as above.
    curve = []
    sample = outcome[: min(n, curve_n)].copy()
    top = max(CURVE_MIN_TOP, max((s.min_expansion for s in params.steps), default=0) + 5)
    for expansion in range(top + 1):
        sample[:, index] = planned[index] + excluded[index] + expansion
        curve_totals = allocate_batch(at_round, sample, planned=planned, excluded=excluded, params=params).total[
            :, index
        ]
        curve.append((expansion, int(np.percentile(curve_totals, 50, method="lower"))))
    # "Two more positions are worth": from the region's own outcome as entered, whatever its expansion.
    medians = []
    for more in (0, 2):
        sample[:, index] = own_outcome + more
        more_totals = allocate_batch(at_round, sample, planned=planned, excluded=excluded, params=params).total
        medians.append(int(np.percentile(more_totals[:, index], 50, method="lower")))
    return PreviewResult(
        own.code,
        n,
        seed,
        totals,
        steps,
        median,
        p10,
        p90,
        int(totals.min()),
        int(totals.max()),
        {int(v): float(c) / n for v, c in zip(values, counts, strict=True)},
        curve,
        medians[1] - medians[0],
    )


def _nominal_steps(expansion: NDArray[np.float64], params: AtParams) -> NDArray[np.int64]:
    amounts = np.zeros(expansion.shape, dtype=np.int64)
    for step in params.steps:
        amounts[expansion >= step.min_expansion] = step.amount
    return amounts


def exact_at_plan(at_round: AtRound, own: RegionInput, params: AtParams) -> int:
    """The exact engine's amount for the region when every other region is at plan."""
    return allocate(at_round, [own], params).by_code()[own.code].total


@dataclass(frozen=True, slots=True)
class Expected:
    """The region's amount from fixed own figures (a report, or the plan): exact when nothing else is
    unknown, otherwise the spread that comes only from the others still drawn."""

    amount: int  # the exact amount, or the median of the simulated rounds
    low: int  # 8 rounds in 10 lie between low and high (equal to amount when exact)
    high: int
    exact: bool
    drawn: int  # other recipients whose outcome was drawn (0: every other one is known)


def expected(
    at_round: AtRound,
    own: RegionInput,
    known: Sequence[RegionInput],
    others: Uncertain,
    params: AtParams,
    n: int = 20_000,
    seed: int = 2023,
) -> Expected:
    """The region's amount with its own figures fixed: the others in ``known`` as reported, the rest drawn.

    Exact (the engine's own amount) when every other region is known, or when the region reaches no step in
    any draw (what the others do cannot give it anything)."""
    codes = [r.code for r in at_round.regions]
    known = [k for k in known if k.code != own.code and k.code in codes]
    drawn = len(codes) - 1 - len({k.code for k in known})
    if drawn == 0:
        total = allocate(at_round, [own, *known], params).by_code()[own.code].total
        return Expected(total, total, total, True, 0)
    rng = np.random.default_rng(seed)
    outcome, planned, excluded = _outcomes(at_round, own, others, known, n, rng, 0)
    totals = allocate_batch(at_round, outcome, planned=planned, excluded=excluded, params=params).total[
        :, codes.index(own.code)
    ]
    p10, median, p90 = (int(v) for v in np.percentile(totals, [10, 50, 90], method="lower"))
    if int(totals.max()) == 0:
        return Expected(0, 0, 0, True, drawn)
    return Expected(median, p10, p90, False, drawn)


@dataclass(frozen=True, slots=True)
class BlockPreviewResult:
    """A region's amount in a round of blocks over simulated rounds: in all, and the median per block."""

    code: str
    n: int
    seed: int
    totals: NDArray[np.int64]
    median: int
    p10: int
    p90: int
    minimum: int
    maximum: int
    block_medians: dict[str, int]  # block id -> the region's median amount from that block


def simulate_blocks(
    round_: Round,
    recipients: Sequence[Recipient],
    own: RegionInput,
    others: Uncertain,
    events: Mapping[str, Mapping[str, date]] | None = None,
    n: int = 10_000,
    seed: int = 2023,
    known: Sequence[RegionInput] = (),
) -> BlockPreviewResult:
    """Simulate ``n`` rounds of blocks: each other recipient at its plan, grown as ``others`` draws (those in
    ``known`` as they reported); the region's own figures as given. Needs the round's planning table
    (``round_.planned``)."""
    people = sorted_recipients(recipients)
    codes = [r.code for r in people]
    index = codes.index(own.code)
    rng = np.random.default_rng(seed)
    base = np.array([math.ceil(float(round_.planned.get(c, 0))) for c in codes], dtype=np.float64)
    grows = rng.random((n, len(codes))) < others.share
    extra = rng.integers(others.low, others.high + 1, size=(n, len(codes)))
    filled = base + np.where(grows, extra, 0)
    started = np.zeros((n, len(codes)))
    excluded = np.zeros((n, len(codes)))
    for item in (*known, own):
        if item.code in codes:
            k = codes.index(item.code)
            filled[:, k], started[:, k], excluded[:, k] = item.filled, item.started, item.excluded
    batch = allocate_round_batch(round_, people, {"filled": filled, "started": started, "excluded": excluded}, events)
    totals = batch.totals[:, index]
    p10, median, p90 = (int(v) for v in np.percentile(totals, [10, 50, 90], method="lower"))
    return BlockPreviewResult(
        own.code,
        n,
        seed,
        totals,
        median,
        p10,
        p90,
        int(totals.min()),
        int(totals.max()),
        {
            block_id: int(np.percentile(block.amounts[:, index], 50, method="lower"))
            for block_id, block in batch.blocks.items()
        },
    )
