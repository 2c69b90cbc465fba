"""Region preview: what one recipient can expect from a round of blocks when the others' outcomes are uncertain.

Any round, by its blocks: the others' outcomes are drawn (or fixed by an assumption), the region's own
figures may vary within a band, and the block engine's batch path (``allocation.block_batch``) allocates
every simulated round at once; a figure with nothing left unknown comes from the exact engine
(``allocation.block_engine``). Reproducible: the same seed gives the same figures.

The region's own figures and the others' known reports are ``Report`` values (``allocation.report_values``):
whatever the round's rules name as reported, with the date each was received (a block paid on reporting
counts a report received by its last day). An other recipient whose outcome is drawn grows beyond its plan
by chance and reports on time (once that day has passed, one that has not reported has not: ``Uncertain``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from allocation.block_batch import allocate_round_batch, derive_batch
from allocation.block_data import REPORTED_PARTS, Recipient, sorted_recipients
from allocation.block_engine import PotChoice, allocate_round
from allocation.blocks import CUSTOM_POT, Round
from allocation.decision import Snapshot
from allocation.formulas import step_level
from allocation.method_params import StaircaseParams
from allocation.methods.staircase import amounts_by_level
from allocation.report_values import PLANNED, Report, engine_values, report_spec


@dataclass(frozen=True, slots=True)
class Uncertain:
    """Each other region: with probability ``share`` it expands, by a whole number uniform in [low, high]; it
    reports on time, unless ``on_time`` is False (the last day has passed: one that has not reported, has not)."""

    low: int = 0
    high: int = 6
    share: float = 0.5
    on_time: bool = True

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
GROWS = "filled"  # the value a drawn recipient grows in: positions filled beyond its plan


@dataclass(frozen=True, slots=True)
class Setting:
    """The round as it is simulated: its rules (a saved scenario's applied), recipients and pots per block."""

    round_: Round
    recipients: tuple[Recipient, ...]  # in code order
    pots: Mapping[str, PotChoice] = field(default_factory=dict)  # block id -> option id or kronor

    @classmethod
    def of(cls, round_: Round, recipients: Iterable[Recipient], pots: Mapping[str, PotChoice] | None = None) -> Setting:
        return cls(round_, sorted_recipients(recipients), dict(pots or {}))

    @property
    def codes(self) -> list[str]:
        return [r.code for r in self.recipients]

    def staircases(self) -> list[tuple[str, StaircaseParams]]:
        """The blocks paid by a staircase (their steps are what more positions can reach)."""
        return [(b.id, b.params) for b in self.round_.blocks if isinstance(b.params, StaircaseParams)]

    def plan(self, code: str) -> int:
        """The outcome "as planned": the planned positions, a range's midpoint rounded up to a whole position."""
        return math.ceil(self.round_.planned.get(code, Fraction(0)))


def plan_report(setting: Setting, code: str, received: date | None = None) -> Report:
    """A recipient's figures when its outcome is as planned: filled = its plan, nothing else."""
    return Report(code, {GROWS: Fraction(setting.plan(code))}, received)


def decided_inputs(setting: Setting, snapshot: Snapshot) -> tuple[Setting, dict[str, Report]]:
    """The round as its decision computed it: the decision's pots, and each recipient's report as the decision
    used it (its values and the day it came in). A recipient that never reported has neither: no outcome, and
    no report for a block paid on reporting."""
    pots: dict[str, PotChoice] = {
        b.block_id: b.pot if b.pot_source == CUSTOM_POT else b.pot_source for b in snapshot.blocks
    }
    planned = snapshot.inputs.get(PLANNED, {})
    reported = set(report_spec(setting.round_).values)  # not the round's own figures, nor a requisition cap
    reports = {}
    for code in setting.codes:
        values = {k: Fraction(v[code]) for k, v in snapshot.inputs.items() if k in reported and code in v}
        days = [date.fromisoformat(dates[code][:10]) for dates in snapshot.events.values() if code in dates]
        own_plan = Fraction(planned[code]) if code in planned else None
        reports[code] = Report(code, values, min(days, default=None), own_plan)
    return Setting(setting.round_, setting.recipients, pots), reports


def on_time(round_: Round) -> date | None:
    """The last day a report counts for every block paid on reporting (None: no block is)."""
    deadlines = report_spec(round_).deadlines
    return min((d for _, d in deadlines), default=None)


def events_of(round_: Round, reports: Iterable[Report]) -> dict[str, dict[str, date]]:
    """The report dates as the engine's events, for each event a block of the round is paid on."""
    dated = {r.code: r.received for r in reports if r.received is not None}
    return {event: dict(dated) for event, _ in report_spec(round_).deadlines}


@dataclass(frozen=True, slots=True)
class PreviewResult:
    code: str
    n: int
    seed: int
    totals: NDArray[np.int64]  # the region's total in each simulated round
    median: int
    p10: int
    p90: int
    minimum: int
    maximum: int
    block_medians: dict[str, int]  # block id -> the region's median amount from that block
    step_probability: dict[str, dict[int, float]]  # staircase block id -> nominal step amount (0 none) -> share
    curve: list[tuple[int, int]]  # (own expansion, median total) for 0..15 (or 5 beyond the top step)
    gain_two: int  # median gain if the region fills two more positions than entered
    block_fixed: frozenset[str] = frozenset()  # blocks whose amount is the same in every simulated round


def _filled(report: Report) -> Fraction:
    return max((report.value(k) for k in ("filled", "started")), default=Fraction(0))


def _draws(
    setting: Setting,
    own: Report,
    others: Sequence[Report] | Uncertain,
    known: Sequence[Report],
    n: int,
    rng: np.random.Generator,
    own_band: int,
) -> tuple[dict[str, NDArray[np.float64]], dict[str, dict[str, date]]]:
    """The engine's values (key -> (n, R)) and events: the others drawn (those ``known`` as they reported,
    the rest on time) or fixed as given (a recipient the inputs leave out has no outcome and no report), the
    region's own figures as given, within its band of positions filled."""
    codes = setting.codes
    index = codes.index(own.code)
    shape = (n, len(codes))
    if isinstance(others, Uncertain):
        fixed = {r.code: r for r in known if r.code != own.code and r.code in codes}
        by = on_time(setting.round_)
        day = by if others.on_time else None
        reports = [fixed.get(c) or Report(c, {}, day) for c in codes if c != own.code]
    else:
        fixed = {r.code: r for r in others if r.code != own.code and r.code in codes}
        reports = list(fixed.values())
    given = [*fixed.values(), own]
    keys = set(REPORTED_PARTS) | {k for r in given for k in r.values}
    arrays = {k: np.zeros(shape) for k in sorted(keys)}
    if isinstance(others, Uncertain):
        base = np.array([setting.plan(c) for c in codes], dtype=np.float64)
        grows = rng.random(shape) < others.share
        extra = rng.integers(others.low, others.high + 1, size=shape)
        arrays[GROWS][:] = base + np.where(grows, extra, 0)
    for report in given:  # a known recipient: exactly its report (what it leaves out is 0)
        column = codes.index(report.code)
        for k in keys:
            arrays[k][:, column] = float(report.value(k))
    if own_band:
        filled = float(own.value(GROWS))
        arrays[GROWS][:, index] = np.maximum(0, filled + rng.integers(-own_band, own_band + 1, size=n))
    if setting.round_.planned:  # the planning table, a report's own planned figure over it
        planned = {c: Fraction(v) for c, v in setting.round_.planned.items()}
        planned |= {r.code: r.planned for r in given if r.planned is not None}
        arrays["planned"] = np.broadcast_to(np.array([float(planned.get(c, 0)) for c in codes]), shape)
    return arrays, events_of(setting.round_, [*reports, own])


def _allocate(
    setting: Setting, arrays: Mapping[str, NDArray[np.float64]], events: Mapping[str, Mapping[str, date]]
) -> tuple[NDArray[np.int64], dict[str, NDArray[np.int64]], dict[str, NDArray[np.bool_]]]:
    batch = allocate_round_batch(setting.round_, setting.recipients, arrays, events, setting.pots)
    return (
        batch.totals,
        {b: r.amounts for b, r in batch.blocks.items()},
        {b: r.eligible for b, r in batch.blocks.items()},
    )


def _percentiles(totals: NDArray[np.int64]) -> tuple[int, int, int]:
    p10, median, p90 = (int(v) for v in np.percentile(totals, [10, 50, 90], method="lower"))
    return p10, median, p90


def _own_steps(
    setting: Setting, arrays: Mapping[str, NDArray[np.float64]], index: int, eligible: Mapping[str, NDArray[np.bool_]]
) -> dict[str, dict[int, float]]:
    """Per staircase block: the share of the simulated rounds in which the region reaches each step."""
    stairs = setting.staircases()
    if not stairs:
        return {}
    own = setting.recipients[index]
    n = next(iter(arrays.values())).shape[0]
    column = {k: a[:, index : index + 1] for k, a in arrays.items()}
    derived = derive_batch((own,), column, {}, n)  # the planned figure, if any, is among the arrays
    found = {}
    for block_id, params in stairs:
        measure = np.maximum(derived[params.measure][:, 0], 0.0)
        nominal = np.array(amounts_by_level(params.steps), dtype=np.int64).take(
            step_level(measure, [s.min_expansion for s in params.steps])
        )
        nominal = np.where(eligible[block_id][:, index], nominal, 0)
        values, counts = np.unique(nominal, return_counts=True)
        found[block_id] = {int(v): float(c) / n for v, c in zip(values, counts, strict=True)}
    return found


def curve_top(setting: Setting) -> int:
    """The curve's last own expansion: at least 15 positions, and 5 beyond the highest step."""
    top = max((s.min_expansion for _, p in setting.staircases() for s in p.steps), default=0)
    return max(CURVE_MIN_TOP, top + 5)


def simulate(
    setting: Setting,
    own: Report,
    others: Sequence[Report] | Uncertain,
    n: int = 100_000,
    seed: int = 2023,
    own_band: int = 0,
    curve_n: int = 5_000,
    known: Sequence[Report] = (),
) -> PreviewResult:
    """Simulate ``n`` rounds. ``others`` is a fixed set of reports (plan, a scenario) or an Uncertain draw;
    with an Uncertain draw, the recipients in ``known`` (those that have reported) keep their reports.

    The curve (the median total at each own expansion) and the worth of two more positions are computed for
    a round with a staircase on expansion against a planning table; otherwise the curve is empty."""
    index = setting.codes.index(own.code)
    rng = np.random.default_rng(seed)
    arrays, events = _draws(setting, own, others, known, n, rng, own_band)
    totals_all, blocks, eligible = _allocate(setting, arrays, events)
    totals = totals_all[:, index]
    p10, median, p90 = _percentiles(totals)
    curve: list[tuple[int, int]] = []
    gain_two = 0
    on_plan = bool(setting.round_.planned) and any(p.measure == "expansion" for _, p in setting.staircases())
    if on_plan:
        sample = {k: np.array(a[: min(n, curve_n)]) for k, a in arrays.items()}
        planned = float(sample["planned"][0, index])
        excluded = float(own.value("excluded"))
        sample["started"][:, index] = 0

        def median_with(filled: float) -> int:
            sample[GROWS][:, index] = filled
            return int(np.percentile(_allocate(setting, sample, events)[0][:, index], 50, method="lower"))

        curve = [(x, median_with(planned + excluded + x)) for x in range(curve_top(setting) + 1)]
        outcome = float(_filled(own))
        gain_two = median_with(outcome + 2) - median_with(outcome)
    return PreviewResult(
        own.code,
        n,
        seed,
        totals,
        median,
        p10,
        p90,
        int(totals.min()),
        int(totals.max()),
        {b: int(np.percentile(a[:, index], 50, method="lower")) for b, a in blocks.items()},
        _own_steps(setting, arrays, index, eligible),
        curve,
        gain_two,
        _fixed(blocks, index),
    )


def _fixed(amounts: Mapping[str, NDArray[np.int64]], index: int) -> frozenset[str]:
    """The blocks whose amount for the recipient in column ``index`` is the same in every simulated round."""
    return frozenset(b for b, a in amounts.items() if a[:, index].min() == a[:, index].max())


def exact_amounts(setting: Setting, reports: Sequence[Report]) -> tuple[int, dict[str, int]]:
    """The exact engine's amount for the first report's recipient with exactly these reports (the others none),
    in all and per block."""
    code = reports[0].code
    result = allocate_round(
        setting.round_,
        setting.recipients,
        engine_values(reports),
        events_of(setting.round_, reports),
        setting.pots,
    )
    return result.totals[code], {b.block_id: b.amounts[code] for b in result.blocks}


@dataclass(frozen=True, slots=True)
class Expected:
    """The region's amount from fixed own figures (a report, or the plan): exact when nothing else is
    unknown, otherwise the spread that comes only from the others still drawn."""

    amount: int  # the exact amount, or the median of the simulated rounds
    low: int  # 8 rounds in 10 lie between low and high (equal to amount when exact)
    high: int
    exact: bool
    drawn: int  # other recipients whose outcome was drawn (0: every other one is known)
    blocks: dict[str, int] = field(default_factory=dict)  # block id -> amount (exact) or median
    block_fixed: frozenset[str] = frozenset()  # blocks whose amount no draw changes (exact kronor)
    partial: bool = False  # no planning table to draw from: those without a report count with nothing


def expected(
    setting: Setting,
    own: Report,
    known: Sequence[Report],
    others: Uncertain = DEFAULT_UNCERTAIN,
    n: int = 20_000,
    seed: int = 2023,
) -> Expected:
    """The region's amount with its own figures fixed: the others in ``known`` as reported, the rest drawn.

    Exact (the engine's own amount) when every other recipient is known or the round takes no reported value,
    when the round has no planning table to draw the others from (those without a report then count with
    nothing: ``partial``), and when no draw changes the amount (e.g. the region reaches no step in any)."""
    codes = setting.codes
    known = [k for k in known if k.code != own.code and k.code in codes]
    takes_values = bool(report_spec(setting.round_).values)
    drawn = len(codes) - 1 - len({k.code for k in known}) if takes_values else 0
    if drawn == 0 or not setting.round_.planned:
        total, blocks = exact_amounts(setting, [own, *known])
        return Expected(total, total, total, True, drawn, blocks, frozenset(blocks), partial=drawn > 0)
    rng = np.random.default_rng(seed)
    arrays, events = _draws(setting, own, others, known, n, rng, 0)
    totals_all, amounts, _ = _allocate(setting, arrays, events)
    totals = totals_all[:, codes.index(own.code)]
    if int(totals.min()) == int(totals.max()):
        total = int(totals[0])
        index = codes.index(own.code)
        fixed = {b: int(a[0, index]) for b, a in amounts.items()}
        return Expected(total, total, total, True, drawn, fixed, frozenset(fixed))
    p10, median, p90 = _percentiles(totals)
    index = codes.index(own.code)
    medians = {b: int(np.percentile(a[:, index], 50, method="lower")) for b, a in amounts.items()}
    return Expected(median, p10, p90, False, drawn, medians, _fixed(amounts, index))
