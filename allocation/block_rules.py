"""Reading a block round from its rules document (the dict ``tomllib`` gives, or TOML text).

Every field is read or refused; every problem is reported at once, in English and Swedish, naming its
field. Pure: a planned file is named, not read (the caller reads it and passes the values).

The format (``kind = "blocks"``; tests/rounds/*.toml are full examples). Every figure carries
``section`` + ``quote`` and may say ``illustrative = true``:

- top: ``id title year version population_date`` (required), ``short_title grantor dnr seed_file
  population_source illustrative``, ``[source]``, ``[planned]`` (``file`` or ``table``), ``[[milestones]]``
  (``id label due start after expected region_action event``);
- ``[[blocks]]``: ``id title method`` (a name of ``allocation.methods.METHODS``), ``illustrative``;
  ``[blocks.pot]``: ``amount`` or ``default`` + ``[[blocks.pot.options]]`` (``id amount label``);
  ``eligible = "all"`` or ``[blocks.eligible]`` with ``codes``, or ``key op than`` (``than``: a number,
  ``mean``, ``national_average``), or ``same_as``; ``[blocks.params]`` per method
  (``allocation.method_params``); ``[[blocks.keys]]`` (``name date``); ``[blocks.unpaid]`` ``to`` = a
  block id or ``unallocated`` (the default); ``paid_on`` = ``decision`` (the default: paid in the decision's
  payout run) or ``requisition`` (each recipient requisitions up to its amount by the due date of the
  milestone with ``event = "requisition"`` and is paid as its requisitions arrive; only a ``fixed_table``
  block, and then every block of the round);
- ``[agency_costs]`` (optional): ``gross`` (the appropriation) and ``at_most`` (the most the agency keeps for
  its own costs), kronor, ``gross`` ≥ ``at_most``, cited.
"""

from __future__ import annotations

from collections.abc import Collection
from fractions import Fraction
from typing import Any

from allocation.block_data import as_value
from allocation.block_eligible import read_eligibility, resolve_same_as
from allocation.block_fields import Citation, Fields, RuleProblem, RulesError
from allocation.blocks import (
    ALL,
    PAID_ON,
    PAID_ON_DECISION,
    UNALLOCATED,
    AgencyCosts,
    Block,
    Eligibility,
    KeyDate,
    Pot,
    PotOption,
    Round,
    RoundMilestone,
    flow_problems,
)
from allocation.methods import METHODS
from allocation.toml_bounds import load_rules

KIND = "blocks"


def _pot(f: Fields) -> Pot | None:
    options: list[PotOption] = []
    if f.has("options"):
        for o in f.tables("options"):
            option_id, amount, label, source = o.text("id"), o.amount("amount"), o.text("label"), o.citation()
            o.done()
            if option_id and amount is not None and label and source:
                options.append(PotOption(option_id, amount, label, source))
        default = f.text("default")
        ids = [o.id for o in options]
        seen: set[str] = set()
        for option_id in ids:
            if option_id in seen:
                f.report("options", "pot_option_twice", option=option_id)
            seen.add(option_id)
        if default is not None and options and default not in ids:
            f.report("default", "no_pot_option", option=default)
            return None
    else:
        amount, label, source = f.amount("amount"), f.text("label", required=False), f.citation()
        default = "default"
        if amount is not None and source is not None:
            options.append(PotOption(default, amount, label or f"{amount} kr", source))
    f.done()
    return Pot(tuple(options), default) if options and default else None


def _block(f: Fields, sources: dict[str, Citation]) -> tuple[Block | None, str | None, str | None]:
    """A block, the block its unpaid money flows to, and the block whose eligibility it repeats."""
    block_id, title, name = f.text("id"), f.text("title"), f.text("method")
    illustrative = f.flag("illustrative")
    paid_on = f.text("paid_on", required=False, default=PAID_ON_DECISION)
    if paid_on not in PAID_ON:
        f.report("paid_on", "bad_paid_on", value=repr(paid_on), choices=tuple(PAID_ON))
        paid_on = None
    pot_fields = f.table("pot")
    pot = _pot(pot_fields) if pot_fields else None
    eligibility, same_as = Eligibility(ALL), None
    raw = f.value("eligible", required=False)
    if raw == ALL:
        pass
    elif isinstance(raw, dict):
        eligibility, same_as = read_eligibility(Fields(raw, f"{f.path}.eligible", f.problems))
    elif raw is not None:
        f.report("eligible", "bad_eligible")
        eligibility = None
    if eligibility is not None and eligibility.source is not None:
        sources["eligible"] = eligibility.source
    params = None
    if name is not None and name not in METHODS:
        f.report("method", "unknown_method", value=repr(name), choices=tuple(sorted(METHODS)))
    elif name is not None:
        p = f.table("params", required=False) or Fields({}, f"{f.path}.params", f.problems)
        citation = p.citation() if p.raw else None
        if citation is not None:
            sources["params"] = citation
        params = METHODS[name].read_params(p, citation.section if citation else None)
        p.done()
    keys = []
    for k in f.tables("keys"):
        key_name, key_date, source = k.text("name"), k.day("date", required=False), k.citation()
        k.done()
        if key_name and source:
            keys.append(KeyDate(key_name, key_date, source))
            sources[f"key.{key_name}"] = source
    unpaid_to = None
    unpaid = f.table("unpaid", required=False)
    if unpaid is not None:
        target = unpaid.text("to")
        cited = target != UNALLOCATED or unpaid.has("quote") or unpaid.has("section")
        citation = unpaid.citation() if cited else None
        unpaid.done()
        unpaid_to = None if target == UNALLOCATED else target
        if citation is not None:
            sources["unpaid"] = citation
    f.done()
    if None in (block_id, title, name, pot, eligibility, params, paid_on):
        return None, unpaid_to, same_as
    assert block_id is not None and title is not None and name is not None and pot is not None
    assert eligibility is not None and paid_on is not None
    block = Block(
        block_id, title, pot, name, params, eligibility, tuple(keys), unpaid_to, illustrative, sources, paid_on
    )
    return block, unpaid_to, same_as


def read_milestone(f: Fields) -> RoundMilestone | None:
    milestone_id, label = f.text("id"), f.text("label")
    due, start, after = f.day("due", required=False), f.day("start", required=False), f.day("after", required=False)
    expected, region_action = f.flag("expected"), f.flag("region_action")
    event = f.text("event", required=False)
    source = f.citation()
    f.done()
    for name, early in (("start", start), ("after", after)):
        if early is not None and due is not None and early > due:
            f.report(name, "after_due", value=early, due=due)
            return None
    if milestone_id and label and source:
        return RoundMilestone(milestone_id, label, due, start, after, expected, region_action, event, source)
    return None


def _planned(f: Fields) -> tuple[dict[str, Fraction], str | None]:
    file_name = f.text("file", required=False)
    table: dict[str, Fraction] = {}
    rows = f.table("table", required=False)
    if rows is not None:
        for code, raw in rows.raw.items():
            rows.value(code)
            try:
                table[code] = as_value("planned", code, raw)
            except ValueError as exc:
                rows.report(code, "bad_planned", value=repr(raw), detail=str(exc))
    if (file_name is None) == (rows is None):
        f.report(None, "file_or_table")
    return table, file_name


def _agency_costs(f: Fields) -> AgencyCosts | None:
    gross, at_most, source = f.amount("gross"), f.amount("at_most"), f.citation()
    f.done()
    if gross is not None and at_most is not None and at_most > gross:
        f.report("at_most", "above_gross", value=at_most, gross=gross)
        return None
    if gross is None or at_most is None or source is None:
        return None
    return AgencyCosts(gross, at_most, source)


def parse_block_round(doc: dict[str, Any], recipient_codes: Collection[str] | None = None) -> Round:
    """The round of a rules document in the ``[[blocks]]`` format; ``recipient_codes``, when given, must
    include every recipient the rules name. Raises ``RulesError`` listing every problem."""
    problems: list[RuleProblem] = []
    f = Fields(doc, "", problems)
    kind = f.text("kind")
    if kind is not None and kind != KIND:
        f.report("kind", "not_blocks_kind", value=repr(kind), kind=KIND)
    round_id, title, version = f.text("id"), f.text("title"), f.text("version")
    year = f.integer("year", minimum=1)
    population_date = f.day("population_date")
    texts = {name: f.text(name, required=False, default="") for name in ("short_title", "grantor", "dnr", "seed_file")}
    population_source = f.text("population_source", required=False, default="")
    illustrative = f.flag("illustrative")
    sources: dict[str, Citation] = {}
    source = f.table("source", required=False)
    if source is not None:
        citation = source.citation()
        source.done()
        if citation:
            sources["round"] = citation
    planned: dict[str, Fraction] = {}
    planned_file = None
    planned_fields = f.table("planned", required=False)
    if planned_fields is not None:
        planned, planned_file = _planned(planned_fields)
        citation = planned_fields.citation()
        planned_fields.done()
        if citation:
            sources["planned"] = citation
    costs_fields = f.table("agency_costs", required=False)
    agency_costs = _agency_costs(costs_fields) if costs_fields is not None else None
    milestones = []
    for m in f.tables("milestones"):
        milestone = read_milestone(m)
        if milestone is not None:
            milestones.append(milestone)
            sources[f"milestone.{milestone.id}"] = milestone.source
    blocks, flows, same = [], [], []
    for i, b in enumerate(f.tables("blocks", required=True)):
        block_sources: dict[str, Citation] = {}
        block, unpaid_to, same_as = _block(b, block_sources)
        flows.append((b.raw.get("id") if isinstance(b.raw.get("id"), str) else f"#{i}", unpaid_to))
        same.append(same_as)
        blocks.append(block)
    if f.has("blocks") and not blocks:
        f.report("blocks", "no_blocks")
    f.done()
    problems.extend(flow_problems(flows))
    blocks = resolve_same_as(blocks, same, problems)
    if recipient_codes is not None:
        _check_codes(blocks, planned, set(recipient_codes), problems)
    if problems:
        raise RulesError(problems)
    assert round_id and title and version and year and population_date
    return Round(
        round_id,
        title,
        year,
        version,
        population_date,
        tuple(b for b in blocks if b is not None),
        short_title=texts["short_title"] or "",
        grantor=texts["grantor"] or "",
        dnr=texts["dnr"] or "",
        seed_file=texts["seed_file"] or "",
        population_source=population_source or "",
        planned=planned,
        planned_file=planned_file,
        milestones=tuple(milestones),
        illustrative=illustrative,
        sources=sources,
        agency_costs=agency_costs,
    )


def _check_codes(
    blocks: list[Block | None], planned: dict[str, Fraction], known: set[str], problems: list[RuleProblem]
) -> None:
    named = [("planned.table", code) for code in planned]
    for i, block in enumerate(blocks):
        if block is not None:
            named += [(f"blocks[{i}].eligible.codes", c) for c in block.eligible.codes]
            named += [(f"blocks[{i}].params.table", c) for c in block.params.referenced_codes()]
    for field, code in named:
        if code not in known:
            problems.append(RuleProblem(field, code="unknown_recipient", params={"code": code}))


def parse_block_round_text(text: str, recipient_codes: Collection[str] | None = None) -> Round:
    """The round of a rules document given as TOML text (read within ``allocation.toml_bounds``)."""
    return parse_block_round(load_rules(text), recipient_codes)
