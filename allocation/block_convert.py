"""Every rules document read as one ``Round`` of blocks: the only place that knows the older formats.

``read_round``: a rules document of any format (``kind`` = ``blocks``, or the two 2023 formats) → a Round.
``from_at_round``: an AT round (``allocation.rules.AtRound``, ``kind = "performance"``) becomes one
``staircase_leftover`` block; ``from_fixed_round``: a fixed-amount round (``allocation.fixed.FixedRound``,
``kind = "fixed"``) one ``fixed_table`` block paid on requisition, with the round's deadlines and the
appropriation before the agency's costs. The block engine then gives, to the krona, what the older
engines gave. Nothing outside the readers branches on a round's format.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from allocation import method_params as mp
from allocation.block_data import Recipient
from allocation.block_fields import Citation, Fields
from allocation.block_rules import parse_block_round, read_milestone
from allocation.blocks import (
    PAID_ON_REQUISITION,
    REQUISITION_EVENT,
    USAGE_REPORT_EVENT,
    AgencyCosts,
    Block,
    Pot,
    PotOption,
    Round,
    RoundMilestone,
)
from allocation.fixed import FixedRound, parse_fixed_round
from allocation.planned import parse_planned
from allocation.regions import Region
from allocation.rules import CUSTOM_POT, AtParams, AtRound, Source, Step, parse_round

PERFORMANCE, FIXED, BLOCKS = "performance", "fixed", "blocks"  # the formats' ``kind``


def recipients_from_regions(regions: Iterable[Region]) -> tuple[Recipient, ...]:
    return tuple(Recipient(r.code, r.name, r.population) for r in regions)


def _cite(source: Source) -> Citation:
    return Citation(source.section, source.quote)


def from_at_round(at_round: AtRound, params: AtParams | None = None, year: int | None = None) -> Round:
    """One block ``performance``: the staircase and the leftover by the key, with the round's pot options.

    ``params`` (a what-if) replaces the staircase, key and pot; a pot that is none of the rules' figures
    becomes an option ``custom``. ``year`` defaults to the year of the round's first deadline.
    """
    params = params or at_round.default_params()
    sources = at_round.sources
    options = [PotOption(o.id, o.amount, o.label, _cite(o.source)) for o in at_round.pot_options]
    if params.pot_source == CUSTOM_POT or all(o.amount != params.pot for o in options):
        options.append(PotOption(CUSTOM_POT, params.pot, f"{params.pot} kr (what-if)", Citation("what-if", "")))
        default = CUSTOM_POT
    else:
        default = params.pot_source
    step_sources = tuple(
        _cite(sources[f"step.{i}"]) if params.steps == at_round.steps and f"step.{i}" in sources else Citation("", "")
        for i in range(len(params.steps))
    )
    staircase = mp.StaircaseParams(
        params.steps, params.key, params.per_inhabitants, "expansion", mp.SHARE, step_sources
    )
    block_sources = {name: _cite(sources[name]) for name in ("staircase", "redistribution_key") if name in sources}
    block = Block(
        id="performance",
        title=at_round.title,
        pot=Pot(tuple(options), default),
        method="staircase_leftover",
        params=staircase,
        sources=block_sources,
    )
    milestones = tuple(
        RoundMilestone(m.id, m.label, m.due, m.start, m.after, m.expected, False, None, _cite(m.source))
        for m in at_round.milestones
    )
    dues = [m.due for m in at_round.milestones if m.due is not None]
    return Round(
        id=at_round.id,
        title=at_round.title,
        year=year if year is not None else (min(dues).year if dues else at_round.population_date.year),
        version=at_round.version,
        population_date=at_round.population_date,
        blocks=(block,),
        dnr=at_round.dnr,
        seed_file=at_round.seed_file,
        population_source=at_round.population_source,
        planned={code: at_round.planned_value(code) for code in at_round.planned},
        milestones=milestones,
        sources={name: _cite(s) for name, s in sources.items()},
    )


def _deadlines(fixed: FixedRound) -> tuple[RoundMilestone, ...]:
    """The two deadlines a fixed round's rules always give, when the caller has not read its milestones."""
    return tuple(
        RoundMilestone(event, event, due, None, None, False, True, event, Citation("", ""))
        for event, due in ((REQUISITION_EVENT, fixed.requisition_due), (USAGE_REPORT_EVENT, fixed.usage_report_due))
    )


def from_fixed_round(
    fixed: FixedRound,
    amounts: Mapping[str, int],
    basis: str,
    source: Citation | None = None,
    year: int | None = None,
    milestones: tuple[RoundMilestone, ...] | None = None,
) -> Round:
    """One block ``fixed`` paid on requisition: the amount per region from ``amounts``, the official table or
    an estimate (``basis``: ``official`` or ``estimate``), never presented as the other. ``milestones``: the
    round's, as the rules give them (default: the requisition and usage-report deadlines alone)."""
    if basis not in (mp.OFFICIAL, mp.ESTIMATE):
        raise ValueError(f"basis must be {mp.OFFICIAL} or {mp.ESTIMATE}, got {basis!r}")
    source = source or Citation(fixed.official_table, "", illustrative=basis == mp.ESTIMATE)
    block = Block(
        id="fixed",
        title=fixed.title,
        pot=Pot((PotOption("total", fixed.total, f"{fixed.total} kr", source),), "total"),
        method="fixed_table",
        params=mp.FixedTableParams(dict(amounts), basis),
        sources={"params": source, "official_table": Citation(fixed.official_table, "")},
        paid_on=PAID_ON_REQUISITION,
    )
    return Round(
        id=fixed.id,
        title=fixed.title,
        year=year if year is not None else min(fixed.requisition_due, fixed.usage_report_due).year,
        version=fixed.version,
        population_date=fixed.population_date,
        blocks=(block,),
        dnr=fixed.dnr,
        milestones=_deadlines(fixed) if milestones is None else milestones,
        agency_costs=AgencyCosts(fixed.gross, fixed.agency_costs_max),
    )


def document_milestones(doc: Mapping[str, Any]) -> tuple[RoundMilestone, ...]:
    """The milestones of a rules document (the same table in every format), as the blocks reader reads them."""
    fields = Fields(dict(doc), "", [])
    found = (read_milestone(m) for m in fields.tables("milestones"))
    return tuple(m for m in found if m is not None)


def is_performance_2023(doc: Mapping[str, Any]) -> bool:
    """Whether a rules document is in the 2023 performance format (read as one ``staircase_leftover`` block)."""
    return doc.get("kind") == PERFORMANCE


def with_staircase(round_: Round, steps: tuple[Step, ...] | None = None, key: str | None = None) -> Round:
    """A round of one staircase block (the 2023 performance format) with other steps or another key: the
    command line's what-if of that format, checked as that format checks its parameters (``ValueError``)."""
    (block,) = round_.blocks
    params = block.params
    if not isinstance(params, mp.StaircaseParams):
        raise ValueError(f"block {block.id!r} has no staircase")
    steps = params.steps if steps is None else steps
    key = params.key if key is None else key
    AtParams(block.pot.amount, block.pot.default, steps, key, params.per_inhabitants)  # validates (ValueError)
    sources = params.step_sources if steps == params.steps else tuple(Citation("", "") for _ in steps)
    staircase = replace(params, steps=steps, key=key, step_sources=sources)
    return replace(round_, blocks=(replace(block, params=staircase),))


def _performance(
    doc: Mapping[str, Any], regions_at: Callable[[date], tuple[Region, ...]], planned: Mapping[str, str]
) -> AtRound:
    """The 2023 performance format's own reading, converted to one block by ``from_at_round``."""
    return parse_round(dict(doc), regions_at(doc["redistribution"]["population_date"]), dict(planned))


def read_round(
    doc: Mapping[str, Any],
    *,
    regions_at: Callable[[date], tuple[Region, ...]],
    planned: Mapping[str, str],
    amounts: Mapping[str, tuple[int, str, str]],
    codes: Collection[str],
) -> Round:
    """A rules document of any format as a round of blocks, with what the store holds beside the rules:
    ``planned`` (code → planned positions as entered), ``amounts`` (code → (amount, basis, source): a
    fixed-amount round's table, the labelled estimate or the imported official one) and the known
    recipient ``codes``. Raises what the format's reader raises."""
    if is_performance_2023(doc):
        return from_at_round(_performance(doc, regions_at, planned))
    if doc.get("kind") == FIXED:
        fixed = parse_fixed_round(dict(doc))
        estimate = not amounts or any(basis != mp.OFFICIAL for _, basis, _ in amounts.values())
        sources = sorted({source for _, _, source in amounts.values()})
        cite = Citation("; ".join(sources) or fixed.official_table, "", illustrative=estimate)
        table = {c: a for c, (a, _, _) in amounts.items()}
        basis = mp.ESTIMATE if estimate else mp.OFFICIAL
        costs = doc["pot"]
        round_ = from_fixed_round(fixed, table, basis, cite, milestones=document_milestones(doc))
        gross, agency = costs["gross"], costs["agency_costs"]
        cited = Citation(agency.get("section", ""), agency.get("quote", ""))
        return replace(round_, agency_costs=AgencyCosts(int(gross["amount"]), int(agency["max_amount"]), cited))
    round_ = parse_block_round(dict(doc), codes)
    if planned and (round_.planned or round_.planned_file):  # the rules say the round has a planned table
        round_ = replace(round_, planned={code: parse_planned(value) for code, value in planned.items()})
    return round_
