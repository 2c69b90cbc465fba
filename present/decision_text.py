"""A recipient's computation in plain Swedish, block by block, for a decision and its letter.

Every sentence is built from the round's rules, the engine's result and the values it used; no round
and no method is known here by heart beyond the methods' Swedish names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
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
# The parts of a block in the order they are paid: the staircase first, then what is left over.
PART_ORDER = ("step", "leftover")

# The names a rules file gives its cited rules (allocation/rules.py, allocation/block_rules.py), in Swedish;
# a stored decision keeps the name it was taken with, so documents translate it when they print it.
SOURCE_SV = {
    "round": "Statsbidragets grund",
    "outcome": "Utfall",
    "planned": "Planerade tjänster",
    "excluded": "Tidigare finansierade tjänster",
    "staircase": "Prestationstrappan",
    "redistribution": "Omfördelning av kvarstående medel",
    "redistribution_key": "Grund för omfördelningen",
    "agency_costs": "Myndighetens egna kostnader",
    "eligible": "Vilka som kan få medel",
    "params": "Fördelningsgrund",
    "unpaid": "Medel som inte fördelas",
    "pott": "Medel att fördela",
    "behörighet": "Vilka som kan få medel",
}
SOURCE_PREFIX_SV = {
    "pot": "Medel att fördela",
    "step": "Trappsteg",
    "key": "Fördelningsnyckel",
    "milestone": "Tidpunkt",
}
_KEY_LIKE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)*")
# Markdown emphasis in a rules file's quote (**fet**, *kursiv*, __fet__, _kursiv_): the words stay, the marks go.
_EMPHASIS = (
    re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", re.DOTALL),
    re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])", re.DOTALL),
)

Derived = Mapping[str, Mapping[str, Fraction]]


def ordered_parts(parts: Iterable[str]) -> list[str]:
    """A block's parts in the order they are paid (the staircase before the leftover), others after."""
    known = [p for p in PART_ORDER if p in parts]
    return known + sorted(p for p in parts if p not in PART_ORDER)


def plain_quote(text: str) -> str:
    """A rules file's quote as plain text: markdown emphasis marks removed, the words kept."""
    for pattern in _EMPHASIS:
        text = pattern.sub(r"\2", text)
    return text


def _rule_name(name: str) -> str:
    """One rule's name in Swedish: ``step.0`` is "Trappsteg 1", ``pot.bakgrund`` "Medel att fördela"."""
    if name in SOURCE_SV:
        return SOURCE_SV[name]
    if not _KEY_LIKE.fullmatch(name):
        return name  # already words (a milestone's label, a name written in Swedish)
    head, _, tail = name.partition(".")
    if head == "step" and tail.isdigit():
        return f"Trappsteg {int(tail) + 1}"
    if head == "key" and tail:
        return f"Fördelningsnyckel: {key_sv(tail).replace(' (tjänster)', '')}"
    if head in SOURCE_PREFIX_SV:
        return SOURCE_PREFIX_SV[head]
    return "Regel" if "_" in name or "." in name else name.capitalize()


def source_heading(what: str) -> str:
    """The heading of a cited rule as a document prints it: Swedish, never a rules file's key.

    ``what`` is the name a decision stored (``staircase``, ``pot.bidragets_storlek``, ``Block: step.0``)."""
    block, sep, name = what.rpartition(": ")
    if sep and _KEY_LIKE.fullmatch(name):
        return f"{block}: {_rule_name(name)}"
    return _rule_name(what)


def _count_of(key: str, value: Fraction) -> str:
    """``3 tjänster`` for a count of positions, ``befolkning 12 345`` for any other value."""
    if key in ("expansion", "outcome", "planned", "positions"):
        return positions(value)
    return f"{key_sv(key)} {f.count(value)}"


def positions(value: int | Fraction) -> str:
    """``1 tjänst``, ``2 tjänster``, ``2,5 tjänster``."""
    return f"{f.count(value)} {'tjänst' if value == 1 else 'tjänster'}"


def _at_line(values: Derived, code: str) -> str | None:
    """The AT report and its expansion, when the round's values have them."""
    if not all(k in values for k in ("outcome", "filled", "started", "planned", "excluded", "expansion")):
        return None
    return (
        f"Utfall {positions(values['outcome'][code])} (det högsta av tillsatta {f.count(values['filled'][code])} "
        f"och påbörjade {f.count(values['started'][code])}); planerat {positions(values['planned'][code])}; "
        f"tidigare finansierade {positions(values['excluded'][code])}; "
        f"utökning {positions(values['expansion'][code])}."
    )


def _key_value(params: StaircaseParams, values: Derived, code: str) -> str:
    """What the leftover is shared by, and the region's value of it in words (and its computation)."""
    name = key_sv(params.key).replace(" (tjänster)", "")
    text = f"Det som blev kvar efter trappstegen fördelas efter {name}"
    per = values.get(params.key, {}).get(code)
    if per is None:
        return text
    text += f": regionens {name} är {f.number(per, 2)}"
    base = params.key.removesuffix("_per_100k")
    if base != params.key and code in values.get(base, {}) and code in values.get("population", {}):
        text += (
            f" ({_count_of(base, values[base][code])} × {f.number(params.per_inhabitants)} / "
            f"{f.number(values['population'][code])} invånare)"
        )
    return text


def _measured(key: str, value: Fraction) -> str:
    """``en utökning med 3 tjänster`` for the AT measure; ``befolkning 12 345`` for any other."""
    return f"en utökning med {positions(value)}" if key == "expansion" else f"{key_sv(key)} {f.count(value)}"


def _staircase(block: Block, result: BlockResult, values: Derived, code: str) -> str:
    params = block.params
    assert isinstance(params, StaircaseParams)
    measure = values.get(params.measure, {}).get(code, Fraction(0))
    reached = [s for s in params.steps if measure >= s.min_expansion]
    step = result.parts.get("step", {}).get(code, 0)
    leftover = result.parts.get("leftover", {}).get(code, 0)
    what = _measured(params.measure, measure)
    if not reached:
        first = params.steps[0].min_expansion if params.steps else 0
        needed = _count_of(params.measure, first)
        return f"{block.title}: {what} når inget trappsteg (det första kräver {needed}); 0 kr."
    top = reached[-1]
    line = (
        f"{block.title}: {what} når trappsteget för minst {_count_of(params.measure, top.min_expansion)}, "
        f"som ger {f.kr(top.amount)}"
    )
    if step != top.amount:
        line += f"; potten räcker inte till alla trappsteg, så steget blir {f.kr(step)}"
    if leftover:
        line += f". {_key_value(params, values, code)}, vilket ger regionen {f.kr(leftover)}"
    return line + f". Summa {f.kr(result.amounts.get(code, 0))}."


NO_REPORT_SV = "Ingen rapport från regionen kom in före beslutet, så dess värden räknas som 0."


def explanation(
    round_: Round, result: RoundResult, values: Derived, code: str, reported: frozenset[str] | None = None
) -> tuple[str, ...]:
    """One sentence a step: the reported outcome (if any), each block's part, the total.

    ``reported``: the recipients with a report, for a round whose rules use reports (None: not a question);
    a recipient without one is told so first, rather than shown an outcome it never reported.
    A round of one block names no block (its title is the round's)."""
    if len(round_.blocks) == 1:
        only = round_.blocks[0]
        round_ = replace(round_, blocks=(replace(only, title="Beräkning"),))
    lines = []
    if reported is not None and code not in reported:
        lines.append(NO_REPORT_SV)
    elif at := _at_line(values, code):
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
    """Every cited rule of the round, once each, in the rules' order, each named in Swedish (a block's
    rules after the block's title when the round has more than one block)."""
    found: list[Source] = []
    seen = set()
    labels = {f"milestone.{m.id}": m.label for m in round_.milestones}

    def add(what: str, cite: Any) -> None:
        if cite is None or not (cite.section or cite.quote) or cite.section == "what-if":
            return
        if (cite.section, cite.quote) not in seen:
            seen.add((cite.section, cite.quote))
            found.append(Source(what, cite.section, cite.quote))

    for name, cite in round_.sources.items():
        add(labels.get(name) or _rule_name(name), cite)
    several = len(round_.blocks) > 1
    for block in round_.blocks:

        def named(name: str, block: Block = block) -> str:
            return f"{block.title}: {name}" if several else name

        for option in block.pot.options:
            add(named(SOURCE_SV["pott"]), option.source)
        for name, cite in block.sources.items():
            add(named(_rule_name(name)), cite)
        add(named(SOURCE_SV["eligible"]), block.eligible.source)
        for i, cite in enumerate(getattr(block.params, "step_sources", ()), start=1):
            add(named(f"Trappsteg {i}"), cite)
        for key in block.keys:
            add(named(_rule_name(f"key.{key.name}")), key.source)
    for milestone in round_.milestones:
        add(milestone.label, milestone.source)
    return tuple(found)
