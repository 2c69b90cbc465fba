"""Today's single-pot rounds as one-block rounds, so the block engine can run them too.

``from_at_round``: an AT round (``allocation.rules.AtRound``) becomes one ``staircase_leftover`` block;
``from_fixed_round``: a fixed-amount round (``allocation.fixed.FixedRound``) one ``fixed_table`` block.
The block engine then gives, to the krona, what ``allocation.at.allocate`` and the fixed table give.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction

from allocation import method_params as mp
from allocation.at import RegionInput
from allocation.block_data import Recipient
from allocation.block_fields import Citation
from allocation.blocks import Block, Pot, PotOption, Round, RoundMilestone
from allocation.fixed import FixedRound
from allocation.regions import Region
from allocation.rules import CUSTOM_POT, AtParams, AtRound, Source


def recipients_from_regions(regions: Iterable[Region]) -> tuple[Recipient, ...]:
    return tuple(Recipient(r.code, r.name, r.population) for r in regions)


def _cite(source: Source) -> Citation:
    return Citation(source.section, source.quote)


def at_values(inputs: Iterable[RegionInput]) -> dict[str, dict[str, Fraction | int]]:
    """The regions' AT reports as block-engine values; a planned override replaces the planning document."""
    values: dict[str, dict[str, Fraction | int]] = {"filled": {}, "started": {}, "excluded": {}}
    for item in inputs:
        if item.code in values["filled"]:
            raise ValueError(f"region {item.code} appears twice")
        values["filled"][item.code] = item.filled
        values["started"][item.code] = item.started
        values["excluded"][item.code] = item.excluded
        if item.planned is not None:
            values.setdefault("planned", {})[item.code] = item.planned
    return values


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


def from_fixed_round(
    fixed: FixedRound, amounts: Mapping[str, int], basis: str, source: Citation | None = None, year: int | None = None
) -> Round:
    """One block ``fixed``: the amount per region from ``amounts``, the official table or an estimate
    (``basis``: ``official`` or ``estimate``), never presented as the other."""
    if basis not in (mp.OFFICIAL, mp.ESTIMATE):
        raise ValueError(f"basis must be {mp.OFFICIAL} or {mp.ESTIMATE}, got {basis!r}")
    source = source or Citation(fixed.official_table, "", illustrative=basis == mp.ESTIMATE)
    block = Block(
        id="fixed",
        title=fixed.title,
        pot=Pot((PotOption("total", fixed.total, f"{fixed.total} kr", source),), "total"),
        method="fixed_table",
        params=mp.FixedTableParams(dict(amounts), basis),
        sources={"params": source},
    )
    return Round(
        id=fixed.id,
        title=fixed.title,
        year=year if year is not None else min(fixed.requisition_due, fixed.usage_report_due).year,
        version=fixed.version,
        population_date=fixed.population_date,
        blocks=(block,),
        dnr=fixed.dnr,
    )
