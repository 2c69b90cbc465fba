"""Which values a round's recipients report, and which report dates count: read from the round's rules.

Pure. Everything is derived from the round's data — its blocks' methods' parameters (``key``,
``measure``, ``event``/``by``, ``cap_key``), eligibility rules, the keys its blocks name, and whether it
has a planning document — never from a round's id or kind:

- ``outcome`` is reported as its parts: positions filled and started (the engine takes the higher);
- ``expansion`` is outcome − planned − excluded when the round has a planning document (so it is
  reported as filled, started and excluded, and a report may give its own planned figure); without
  one it is reported as a value of its own;
- ``population``, ``equal`` and a block's cap (e.g. what was requisitioned) are not reported;
- ``<key>_per_100k`` is reported as ``<key>``; any other key is reported as itself.

A block paid on reporting (parameters ``event`` and ``by``) makes the date a report was received
count: a report received on or before ``by`` counts for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from allocation.blocks import Round

OUTCOME_PARTS = ("filled", "started")  # outcome = the higher of the two
EXCLUDED = "excluded"  # positions already paid for in an earlier round; a report without it means 0
AT_PARTS = (*OUTCOME_PARTS, EXCLUDED)  # whole numbers of positions
PLANNED = "planned"
PER_100K = "_per_100k"
NOT_REPORTED = frozenset({"equal", "population"})  # a weight of 1, and the store's own population


@dataclass(frozen=True, slots=True)
class ReportSpec:
    """What a round's recipients report: values by key, and the last day a report counts, per event."""

    values: tuple[str, ...] = ()  # the keys reported, the AT parts first (in their order), then by name
    optional: frozenset[str] = frozenset()  # keys a report may leave out (they count as 0)
    planned_override: bool = False  # a report may give its own planned figure over the planning document
    deadlines: tuple[tuple[str, date], ...] = ()  # (event, last day a report counts), from blocks paid on it

    @property
    def accepts_reports(self) -> bool:
        return bool(self.values or self.deadlines)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(k for k in self.values if k not in self.optional)

    def whole(self, key: str) -> bool:
        """Whether the key's values are whole numbers (counts of positions)."""
        return key in AT_PARTS

    @property
    def last_day(self) -> date | None:
        """The latest day a report still counts for some block (None: no block is paid on reporting)."""
        return max((d for _, d in self.deadlines), default=None)


@dataclass(frozen=True, slots=True)
class Report:
    """One recipient's report: its values by key (only those reported), its own planned figure, its date."""

    code: str
    values: Mapping[str, Fraction] = field(default_factory=dict)
    received: date | None = None
    planned: Fraction | None = None

    def __post_init__(self) -> None:
        for key, value in self.values.items():
            if not isinstance(value, Fraction | int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"recipient {self.code}: {key} must be a non-negative number, got {value!r}")
        if self.planned is not None and self.planned < 0:
            raise ValueError(f"recipient {self.code}: planned must not be negative, got {self.planned}")

    def value(self, key: str) -> Fraction:
        return Fraction(self.values.get(key, 0))


def _has_plan(round_: Round) -> bool:
    return bool(getattr(round_, "planned", None) or getattr(round_, "planned_file", None))


def _referenced(round_: Round) -> tuple[set[str], set[str]]:
    """The data keys the round's blocks use (``_per_100k`` removed), and the keys that cap a block."""
    keys: set[str] = set()
    caps: set[str] = set()
    for block in round_.blocks:
        params: Any = block.params
        keys.update(v for v in (getattr(params, "key", None), getattr(params, "measure", None)) if v)
        if cap := getattr(params, "cap_key", None):
            caps.add(cap)
        rule = getattr(block.eligible, "rule", None)
        if rule is not None:
            keys.add(rule.key)
        keys.update(k.name for k in block.keys)
    return {k.removesuffix(PER_100K) for k in keys}, caps


def _deadlines(round_: Round) -> tuple[tuple[str, date], ...]:
    found = {}
    for block in round_.blocks:
        event, by = getattr(block.params, "event", None), getattr(block.params, "by", None)
        if isinstance(event, str) and isinstance(by, date):
            found[event] = max(by, found.get(event, by))
    return tuple(sorted(found.items()))


def report_spec(round_: Round) -> ReportSpec:
    """What the recipients of ``round_`` report (see the module's description)."""
    keys, caps = _referenced(round_)
    keys -= NOT_REPORTED | caps
    has_plan = _has_plan(round_)
    reported: set[str] = set()
    optional: set[str] = set()
    for key in keys:
        if key == "outcome":
            reported.update(OUTCOME_PARTS)
        elif key == "expansion" and has_plan:
            reported.update(AT_PARTS)
            optional.add(EXCLUDED)
        elif key == PLANNED and has_plan:
            continue  # the planning document gives it; a report may override it
        else:
            reported.add(key)
    ordered = tuple(k for k in AT_PARTS if k in reported) + tuple(sorted(reported - set(AT_PARTS)))
    return ReportSpec(ordered, frozenset(optional), has_plan and bool(reported), _deadlines(round_))


def engine_values(reports: Iterable[Report]) -> dict[str, dict[str, Fraction]]:
    """The reports as the engine's values per key and recipient (a report's planned figure as ``planned``).

    The AT parts are always there (empty when nobody reported them), as the engine's inputs have always been.
    """
    values: dict[str, dict[str, Fraction]] = {key: {} for key in AT_PARTS}
    seen: set[str] = set()
    for report in reports:
        if report.code in seen:
            raise ValueError(f"recipient {report.code} appears twice")
        seen.add(report.code)
        for key, value in report.values.items():
            values.setdefault(key, {})[report.code] = Fraction(value)
        if report.planned is not None:
            values.setdefault(PLANNED, {})[report.code] = report.planned
    return values


def counts(spec: ReportSpec, received: date) -> dict[str, bool]:
    """For each event a block is paid on: whether a report received on ``received`` counts for it."""
    return {event: received <= by for event, by in spec.deadlines}
