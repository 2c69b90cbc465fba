"""A recipient's computation in plain Swedish, block by block, for a decision and its letter.

Every sentence is built from the round's rules, the engine's result and the values it used; no round
and no method is known here by heart beyond the methods' Swedish names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from fractions import Fraction
from typing import Any

from allocation.blocks import Block, BlockResult, Round, RoundResult
from allocation.decision import Source
from allocation.method_params import StaircaseParams
from present import formats as f
from present.eligibility import key_sv

METHOD_SV = {
    "staircase_leftover": "trappa och omfördelning av det som blir kvar",
    "proportional": "i proportion till en nyckel",
    "equal": "lika delar mellan de behöriga",
    "fixed_table": "fast belopp per mottagare",
    "reported_share": "andel för dem som rapporterat i tid",
}
PART_SV = {"step": "Trappsteg", "leftover": "Omfördelning"}

Derived = Mapping[str, Mapping[str, Fraction]]


def _at_line(values: Derived, code: str) -> str | None:
    """The AT report and its expansion, when the round's values have them."""
    if not all(k in values for k in ("outcome", "filled", "started", "planned", "excluded", "expansion")):
        return None
    return (
        f"Utfall {f.count(values['outcome'][code])} (högsta av tillsatta {f.count(values['filled'][code])} "
        f"och påbörjade {f.count(values['started'][code])}); planerat {f.count(values['planned'][code])}; "
        f"tidigare finansierade {f.count(values['excluded'][code])}; "
        f"utökning {f.count(values['expansion'][code])} tjänster."
    )


def _staircase(block: Block, result: BlockResult, values: Derived, code: str) -> str:
    params = block.params
    assert isinstance(params, StaircaseParams)
    measure = values.get(params.measure, {}).get(code, Fraction(0))
    reached = [s for s in params.steps if measure >= s.min_expansion]
    step = result.parts.get("step", {}).get(code, 0)
    leftover = result.parts.get("leftover", {}).get(code, 0)
    if not reached:
        first = params.steps[0].min_expansion if params.steps else 0
        return (
            f"{block.title}: {key_sv(params.measure)} {f.count(measure)} når inget trappsteg "
            f"(det första kräver {first}); 0 kr."
        )
    top = reached[-1]
    line = (
        f"{block.title}: {key_sv(params.measure)} {f.count(measure)} når trappsteget för minst {top.min_expansion}, "
        f"som ger {f.kr(top.amount)}"
    )
    if step != top.amount:
        line += f"; potten räcker inte till alla trappsteg, så steget blir {f.kr(step)}"
    if leftover:
        per = values.get(params.key, {}).get(code)
        weight = f", regionens värde {f.number(per, 2)}" if per is not None else ""
        line += (
            f"; andel av det som blev kvar efter trappstegen, fördelat efter {key_sv(params.key)}{weight}: "
            f"{f.kr(leftover)}"
        )
    return line + f". Summa {f.kr(result.amounts.get(code, 0))}."


def explanation(round_: Round, result: RoundResult, values: Derived, code: str) -> tuple[str, ...]:
    """One sentence a step: the reported outcome (if any), each block's part, the total.

    A round of one block names no block (its title is the round's)."""
    if len(round_.blocks) == 1:
        only = round_.blocks[0]
        round_ = replace(round_, blocks=(replace(only, title="Beräkning"),))
    lines = []
    if at := _at_line(values, code):
        lines.append(at)
    for outcome in result.blocks:
        block = round_.block(outcome.block_id)
        amount = outcome.amounts.get(code, 0)
        if code not in outcome.eligible:
            lines.append(f"{block.title}: regionen omfattas inte av blocket; 0 kr.")
        elif isinstance(block.params, StaircaseParams):
            lines.append(_staircase(block, outcome, values, code))
        else:
            method = METHOD_SV.get(block.method, block.method)
            lines.append(f"{block.title} ({method}): {f.kr(amount)}.")
    lines.append(f"Totalt: {f.kr(result.totals.get(code, 0))}.")
    return tuple(lines)


def rule_sources(round_: Round) -> tuple[Source, ...]:
    """Every cited rule of the round, once each, in the rules' order."""
    found: list[Source] = []
    seen = set()

    def add(what: str, cite: Any) -> None:
        if cite is None or not (cite.section or cite.quote) or cite.section == "what-if":
            return
        if (cite.section, cite.quote) not in seen:
            seen.add((cite.section, cite.quote))
            found.append(Source(what, cite.section, cite.quote))

    for name, cite in round_.sources.items():
        add(name, cite)
    for block in round_.blocks:
        for option in block.pot.options:
            add(f"{block.title}: pott", option.source)
        for name, cite in block.sources.items():
            add(f"{block.title}: {name}", cite)
        add(f"{block.title}: behörighet", block.eligible.source)
        for i, cite in enumerate(getattr(block.params, "step_sources", ()), start=1):
            add(f"{block.title}: trappsteg {i}", cite)
        for key in block.keys:
            add(f"{block.title}: {key.name}", key.source)
    for milestone in round_.milestones:
        add(milestone.label, milestone.source)
    return tuple(found)
