"""Grant-round rules loaded from ``data/rounds/<id>.toml``: rules as data, with their sources."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from fractions import Fraction
from typing import Any

from allocation.planned import parse_planned
from allocation.regions import Region

KEYS = ("expansion_per_100k", "expansion", "equal")
# The rules a performance round's file names for measuring: the engine applies exactly these (allocation.formulas),
# so a file that names another rule is refused rather than silently computed the usual way.
OUTCOME_RULES = ("max(filled, started)",)
RANGE_RULES = ("midpoint",)

CUSTOM_POT = "custom"


@dataclass(frozen=True, slots=True)
class Source:
    section: str
    quote: str


@dataclass(frozen=True, slots=True)
class Step:
    min_expansion: int
    amount: int  # kronor


@dataclass(frozen=True, slots=True)
class PotOption:
    id: str
    amount: int
    label: str
    source: Source


@dataclass(frozen=True, slots=True)
class Milestone:
    id: str
    label: str
    due: date | None
    start: date | None
    after: date | None
    expected: bool
    source: Source


@dataclass(frozen=True, slots=True)
class AtParams:
    """The rule parameters a what-if may override. Defaults come from the rules file."""

    pot: int
    pot_source: str  # id of a pot option of the rules file, or "custom"
    steps: tuple[Step, ...]
    key: str = "expansion_per_100k"
    per_inhabitants: int = 100_000

    def __post_init__(self) -> None:
        validate_params(self)


def validate_params(params: AtParams) -> None:
    problems = []
    if isinstance(params.pot, bool) or not isinstance(params.pot, int) or params.pot < 0:
        problems.append(f"pot must be a whole, non-negative number of kronor, got {params.pot!r}")
    if not params.steps:
        problems.append("the staircase needs at least one step")
    previous = 0
    for step in params.steps:
        if step.min_expansion <= previous:
            problems.append(
                f"step thresholds must be positive and strictly increasing (got {step.min_expansion} after {previous})"
            )
        if step.amount < 0:
            problems.append(f"step amount must not be negative (step {step.min_expansion}: {step.amount})")
        previous = step.min_expansion
    if params.key not in KEYS:
        problems.append(f"unknown redistribution key {params.key!r}; choose one of {', '.join(KEYS)}")
    if params.per_inhabitants <= 0:
        problems.append("per_inhabitants must be positive")
    if problems:
        raise ValueError("; ".join(problems))


@dataclass(frozen=True, slots=True)
class AtRound:
    """One performance-based AT round: its rules, its regions and their planned positions."""

    id: str
    title: str
    version: str
    dnr: str
    seed_file: str
    regions: tuple[Region, ...]
    planned: dict[str, str]  # län code -> planned positions as entered (e.g. "28" or "1-5")
    pot_options: tuple[PotOption, ...]
    default_pot: str
    agency_costs: int
    steps: tuple[Step, ...]
    key: str
    per_inhabitants: int
    population_date: date
    population_source: str
    milestones: tuple[Milestone, ...]
    sources: dict[str, Source] = field(default_factory=dict)

    def default_params(self) -> AtParams:
        pot = self.pot_option(self.default_pot)
        return AtParams(pot.amount, pot.id, self.steps, self.key, self.per_inhabitants)

    def pot_option(self, option_id: str) -> PotOption:
        for option in self.pot_options:
            if option.id == option_id:
                return option
        raise KeyError(option_id)

    def params(
        self,
        *,
        pot: int | None = None,
        steps: tuple[Step, ...] | None = None,
        key: str | None = None,
        per_inhabitants: int | None = None,
    ) -> AtParams:
        """Parameters for a what-if: the defaults with any of them overridden.

        A pot equal to one of the seed's figures is attributed to it; any other amount is "custom".
        """
        base = self.default_params()
        pot_source = base.pot_source
        if pot is not None:
            pot_source = next((o.id for o in self.pot_options if o.amount == pot), CUSTOM_POT)
        return replace(
            base,
            pot=base.pot if pot is None else pot,
            pot_source=pot_source,
            steps=base.steps if steps is None else steps,
            key=base.key if key is None else key,
            per_inhabitants=base.per_inhabitants if per_inhabitants is None else per_inhabitants,
        )

    def planned_value(self, code: str) -> Fraction:
        return parse_planned(self.planned[code])


def _source(table: dict[str, Any], section: str | None = None) -> Source:
    return Source(section=table.get("section", section or ""), quote=table["quote"])


def _as_date(value: Any) -> date | None:
    return value if isinstance(value, date) else None


def parse_round(doc: dict[str, Any], regions: tuple[Region, ...], planned: dict[str, str]) -> AtRound:
    """Build an AT round from its rules document (parsed TOML), its regions and planned positions."""
    redistribution = doc["redistribution"]
    for table, key, known in (("outcome", "rule", OUTCOME_RULES), ("planned", "range_rule", RANGE_RULES)):
        value = doc[table].get(key)
        if value not in known:
            raise ValueError(f"{table}.{key}: {value!r} is not a rule the engine applies; known: {', '.join(known)}")
    missing = [r.code for r in regions if r.code not in planned]
    if missing:
        raise ValueError(f"{doc['planned_file']}: no planned positions for {', '.join(missing)}")
    for value in planned.values():
        parse_planned(value)  # fail early on a bad planning file
    staircase_section = doc["staircase"]["section"]
    pot_options = tuple(PotOption(o["id"], int(o["amount"]), o["label"], _source(o)) for o in doc["pot"]["options"])
    sources = {
        "round": _source(doc["source"]),
        "outcome": _source(doc["outcome"]),
        "planned": _source(doc["planned"]),
        "excluded": _source(doc["excluded"]),
        "staircase": _source(doc["staircase"]),
        "redistribution": _source(redistribution),
        "redistribution_key": Source(redistribution["section"], redistribution["key_quote"]),
        "agency_costs": _source(doc["pot"]["agency_costs"]),
    }
    for option in pot_options:
        sources[f"pot.{option.id}"] = option.source
    steps = []
    for i, s in enumerate(doc["staircase"]["steps"]):
        steps.append(Step(int(s["min_expansion"]), int(s["amount"])))
        sources[f"step.{i}"] = _source(s, staircase_section)
    milestones = tuple(
        Milestone(
            m["id"],
            m["label"],
            _as_date(m.get("due")),
            _as_date(m.get("start")),
            _as_date(m.get("after")),
            bool(m.get("expected", False)),
            _source(m),
        )
        for m in doc.get("milestones", [])
    )
    at_round = AtRound(
        id=doc["id"],
        title=doc["title"],
        version=doc["version"],
        dnr=doc["dnr"],
        seed_file=doc["seed_file"],
        regions=regions,
        planned=planned,
        pot_options=pot_options,
        default_pot=doc["pot"]["default"],
        agency_costs=int(doc["pot"]["agency_costs"]["amount"]),
        steps=tuple(steps),
        key=redistribution["key"],
        per_inhabitants=int(redistribution["per_inhabitants"]),
        population_date=redistribution["population_date"],
        population_source=redistribution["population_source"],
        milestones=milestones,
        sources=sources,
    )
    at_round.default_params()  # validates the file's own parameters
    return at_round
