"""A grant round made of blocks, as data: each block a pot, who may receive it, and a method by name.

Frozen dataclasses only; the engine is ``allocation.block_engine`` and the reader of rules documents
``allocation.block_rules``. Nothing here names a round or assumes a number of recipients.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from allocation.block_data import Notice
from allocation.block_fields import Citation, RuleProblem, RulesError, RuleValue
from allocation.method_params import FixedTableParams, MethodParams
from allocation.methods import METHODS
from allocation.report_values import report_spec

ALL, LIST, RULE = "all", "list", "rule"
MEAN, NATIONAL_AVERAGE = "mean", "national_average"
OPERATORS = (">=", ">", "<=", "<", "==")
UNALLOCATED = "unallocated"  # where unpaid money stays unless a block names another block
CUSTOM_POT = "custom"  # a what-if pot that is none of the rules' figures
# How a block's money reaches the recipients: in the payout run of the decision (the default), or on
# requisition — each recipient requisitions up to its amount by the round's requisition deadline and is
# paid as its requisitions arrive (Läkare i äldreomsorgen 2023).
PAID_ON_DECISION, PAID_ON_REQUISITION = "decision", "requisition"
PAID_ON = (PAID_ON_DECISION, PAID_ON_REQUISITION)
REQUISITION_EVENT = "requisition"  # the milestone event whose due date is the last day to requisition
USAGE_REPORT_EVENT = "usage_report"  # the milestone event whose due date is the last day to report the use


@dataclass(frozen=True, slots=True)
class PotOption:
    id: str
    amount: int  # kronor
    label: str
    source: Citation


@dataclass(frozen=True, slots=True)
class Pot:
    """A block's pot: one or more figures, each with its source; ``default`` is the one used."""

    options: tuple[PotOption, ...]
    default: str

    def option(self, option_id: str) -> PotOption:
        for option in self.options:
            if option.id == option_id:
                return option
        raise KeyError(option_id)

    @property
    def amount(self) -> int:
        return self.option(self.default).amount


@dataclass(frozen=True, slots=True)
class Rule:
    """``key op than``; ``than`` is a number, ``mean`` (of all recipients) or ``national_average``
    (for a ``*_per_100k`` key: the whole population's rate, i.e. the population-weighted mean)."""

    key: str
    op: str
    than: Fraction | str


@dataclass(frozen=True, slots=True)
class Eligibility:
    kind: str = ALL  # all | list | rule
    codes: tuple[str, ...] = ()
    rule: Rule | None = None
    same_as: str | None = None  # the block whose eligibility this repeats, when the rules say so
    source: Citation | None = None


@dataclass(frozen=True, slots=True)
class KeyDate:
    """A key a block uses and the date its values refer to (e.g. population on 2022-11-01)."""

    name: str
    date: date | None
    source: Citation


@dataclass(frozen=True, slots=True)
class Block:
    id: str
    title: str
    pot: Pot
    method: str  # a name in allocation.methods.METHODS
    params: MethodParams
    eligible: Eligibility = field(default_factory=Eligibility)
    keys: tuple[KeyDate, ...] = ()
    unpaid_to: str | None = None  # a block id; None: what the block does not pay stays unallocated
    illustrative: bool = False
    sources: Mapping[str, Citation] = field(default_factory=dict)  # "params", "unpaid", "eligible"...
    paid_on: str = PAID_ON_DECISION  # PAID_ON_DECISION or PAID_ON_REQUISITION

    @property
    def on_requisition(self) -> bool:
        return self.paid_on == PAID_ON_REQUISITION

    @property
    def table_source(self) -> Citation | None:
        """Where the block's table of amounts is published (a ``fixed_table`` block), else its params' source."""
        return self.sources.get("official_table") or self.sources.get("params")


@dataclass(frozen=True, slots=True)
class AgencyCosts:
    """The appropriation before the agency's own costs and the most the agency may keep (e.g. 300 000 000 kr,
    of which at most 1 500 000 kr for the agency: the blocks share the rest)."""

    gross: int  # kronor
    at_most: int  # kronor
    source: Citation | None = None


@dataclass(frozen=True, slots=True)
class RoundMilestone:
    id: str
    label: str
    due: date | None
    start: date | None
    after: date | None
    expected: bool
    region_action: bool
    event: str | None
    source: Citation


@dataclass(frozen=True, slots=True)
class Round:
    id: str
    title: str
    year: int
    version: str
    population_date: date
    blocks: tuple[Block, ...]
    short_title: str = ""
    grantor: str = ""
    dnr: str = ""
    seed_file: str = ""
    population_source: str = ""
    planned: Mapping[str, Fraction] = field(default_factory=dict)  # code -> planned positions (baseline)
    planned_file: str | None = None  # the caller reads it; the engine reads no file
    milestones: tuple[RoundMilestone, ...] = ()
    illustrative: bool = False
    sources: Mapping[str, Citation] = field(default_factory=dict)
    agency_costs: AgencyCosts | None = None

    def __post_init__(self) -> None:
        problems = method_problems(self.blocks) + flow_problems(self.flows)
        problems += payment_problems(self.blocks, self.milestones)
        if problems:
            raise RulesError(problems)

    @property
    def paid_on_requisition(self) -> bool:
        """Whether the round's money is paid as requisitions arrive (its blocks are all paid so, or none)."""
        return any(b.on_requisition for b in self.blocks)

    @property
    def has_reports(self) -> bool:
        """Whether some block's method needs values the recipients report (or a report date)."""
        return report_spec(self).accepts_reports

    def due(self, event: str) -> date | None:
        """The due date of the round's milestone for ``event`` (its ``event``, or else its id), if any."""
        for milestone in self.milestones:
            if milestone.event == event or (milestone.event is None and milestone.id == event):
                return milestone.due
        return None

    @property
    def requisition_due(self) -> date | None:
        """The last day to requisition (a round paid on requisition has one)."""
        return self.due(REQUISITION_EVENT)

    @property
    def usage_report_due(self) -> date | None:
        return self.due(USAGE_REPORT_EVENT)

    def requisition_maximum(self) -> dict[str, int]:
        """Per recipient, the most it may requisition: the tables of the blocks paid on requisition."""
        maximum: dict[str, int] = {}
        for block in self.blocks:
            if block.on_requisition and isinstance(block.params, FixedTableParams):
                for code, amount in block.params.table.items():
                    maximum[code] = maximum.get(code, 0) + amount
        return maximum

    def block(self, block_id: str) -> Block:
        for block in self.blocks:
            if block.id == block_id:
                return block
        raise KeyError(block_id)

    def order(self) -> tuple[Block, ...]:
        """The blocks in an order where every block comes after those whose unpaid money flows into it;
        otherwise in the rules' order."""
        return tuple(self.block(i) for i in flow_order(self.flows))

    @property
    def flows(self) -> tuple[tuple[str, str | None], ...]:
        return tuple((b.id, b.unpaid_to) for b in self.blocks)

    @property
    def pot(self) -> int:
        return sum(b.pot.amount for b in self.blocks)


def _problem(field_name: str, code: str, **params: RuleValue) -> RuleProblem:
    """A problem of the field, as a code and its parameters (worded by ``present.rule_problems``)."""
    return RuleProblem(field_name, code=code, params=params)


def payment_problems(blocks: Sequence[Block], milestones: Sequence[RoundMilestone]) -> list[RuleProblem]:
    """How blocks are paid: a known way; a block paid on requisition has a table of amounts (the most each
    recipient may requisition), every block of its round is paid so, and the round says by when."""
    problems = []
    for i, block in enumerate(blocks):
        if block.paid_on not in PAID_ON:
            problems.append(
                _problem(f"blocks[{i}].paid_on", "bad_paid_on", value=repr(block.paid_on), choices=tuple(PAID_ON))
            )
        elif block.on_requisition and block.method != "fixed_table":
            problems.append(_problem(f"blocks[{i}].paid_on", "requisition_needs_table", method=block.method))
    ways = {b.paid_on for b in blocks if b.paid_on in PAID_ON}
    if len(ways) > 1:
        problems.append(_problem("blocks", "mixed_payment"))
    if PAID_ON_REQUISITION in ways and not any(m.event == REQUISITION_EVENT and m.due is not None for m in milestones):
        problems.append(_problem("milestones", "requisition_needs_milestone", event=REQUISITION_EVENT))
    return problems


def method_problems(blocks: Sequence[Block]) -> list[RuleProblem]:
    """Methods the registry does not know, and parameters of another method's kind."""
    problems = []
    for i, block in enumerate(blocks):
        if block.method not in METHODS:
            known = tuple(sorted(METHODS))
            problems.append(_problem(f"blocks[{i}].method", "unknown_method", value=repr(block.method), choices=known))
        elif not isinstance(block.params, METHODS[block.method].params_type):
            kind = METHODS[block.method].params_type.__name__
            problems.append(_problem(f"blocks[{i}].params", "params_of_other_method", method=block.method, kind=kind))
    return problems


def flow_problems(flows: Sequence[tuple[str, str | None]]) -> list[RuleProblem]:
    """For (block id, unpaid_to) in the rules' order: duplicate or reserved ids, flows to unknown blocks
    or to the block itself, and cycles of flows."""
    problems = []
    ids = [block_id for block_id, _ in flows]
    for i, (block_id, target) in enumerate(flows):
        if block_id == UNALLOCATED or ids.index(block_id) != i:
            code = "block_id_reserved" if block_id == UNALLOCATED else "block_id_twice"
            problems.append(_problem(f"blocks[{i}].id", code, block=block_id))
        if target is not None and target not in ids:
            problems.append(_problem(f"blocks[{i}].unpaid.to", "flows_to_unknown", block=target))
        elif target == block_id:
            problems.append(_problem(f"blocks[{i}].unpaid.to", "flows_to_itself"))
    if problems:
        return problems
    following = dict(flows)
    for i, (block_id, _) in enumerate(flows):
        seen = [block_id]
        target = following[block_id]
        while target is not None and target not in seen:
            seen.append(target)
            target = following[target]
        if target == block_id:
            problems.append(_problem(f"blocks[{i}].unpaid.to", "flow_cycle", blocks=(*seen, block_id)))
    return problems


def flow_order(flows: Sequence[tuple[str, str | None]]) -> list[str]:
    """Block ids so that each comes after every block that flows into it (the rules' order otherwise)."""
    order: list[str] = []
    remaining = [block_id for block_id, _ in flows]
    sources = {block_id: [s for s, target in flows if target == block_id] for block_id in remaining}
    while remaining:
        ready = next(i for i in remaining if all(s in order for s in sources[i]))
        order.append(ready)
        remaining.remove(ready)
    return order


@dataclass(frozen=True, slots=True)
class BlockResult:
    block_id: str
    title: str
    method: str
    pot: int  # the block's own pot
    pot_source: str  # the pot option's id, or "custom"
    inflow: int  # unpaid money of other blocks that flowed in
    eligible: tuple[str, ...]
    amounts: dict[str, int]  # every recipient; 0 when not eligible
    parts: dict[str, dict[str, int]]  # named components of the amounts (e.g. step, leftover)
    paid: int
    unpaid: int
    unpaid_to: str | None  # None: stays unallocated
    notices: tuple[Notice, ...]
    paid_on: str = PAID_ON_DECISION  # the block's own: by decision or on requisition

    @property
    def available(self) -> int:
        return self.pot + self.inflow


@dataclass(frozen=True, slots=True)
class RoundResult:
    round_id: str
    codes: tuple[str, ...]  # recipients, in code order
    blocks: tuple[BlockResult, ...]  # in the rules' order
    totals: dict[str, int]  # per recipient, all blocks
    pot: int  # Σ the blocks' own pots
    paid: int
    unallocated: int  # pot − paid: what no block paid and no flow carried on
    # The values the blocks were computed on (given and derived: outcome, expansion, per 100 000 ...), key ->
    # code -> value; what explanations and charts show beside the amounts. Not part of the result's identity.
    derived: Mapping[str, Mapping[str, Fraction]] = field(default_factory=dict, compare=False, repr=False)

    def block(self, block_id: str) -> BlockResult:
        for result in self.blocks:
            if result.block_id == block_id:
                return result
        raise KeyError(block_id)

    @property
    def notices(self) -> tuple[tuple[str, Notice], ...]:
        return tuple((b.block_id, n) for b in self.blocks for n in b.notices)
