"""A what-if of a round of blocks: what the simulator changes against the rules, as one record.

A what-if names blocks by their ids in the round's rules: a pot per block (kronor), a staircase's step
amounts per block, and the recipients' values and report dates. ``apply`` gives the round with the what-if's
staircases; the pots, values and events go to the engine as they are. Pure: no I/O, no texts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from fractions import Fraction

from allocation.blocks import Round
from allocation.method_params import StaircaseParams
from allocation.rules import KEYS, Step

Values = Mapping[str, Mapping[str, Fraction | int]]
Events = Mapping[str, Mapping[str, date]]


@dataclass(frozen=True)
class WhatIf:
    # block id -> the pot: an amount (kronor) or the id of one of the block's pot options; not named: the rules'
    pots: Mapping[str, int | str] = field(default_factory=dict)
    steps: Mapping[str, tuple[int, ...]] = field(default_factory=dict)  # block id -> each step's amount, in order
    values: Values = field(default_factory=dict)  # key -> recipient code -> value
    events: Events = field(default_factory=dict)  # event -> recipient code -> date
    keys: Mapping[str, str] = field(default_factory=dict)  # block id -> a staircase's key for the leftover


def staircase_blocks(round_: Round) -> tuple[str, ...]:
    """The ids of the blocks whose method is a staircase (their step amounts can be what-ifs)."""
    return tuple(b.id for b in round_.blocks if isinstance(b.params, StaircaseParams))


def rule_steps(round_: Round, block_id: str) -> tuple[Step, ...]:
    params = round_.block(block_id).params
    if not isinstance(params, StaircaseParams):
        raise ValueError(f"block {block_id!r} has no staircase")
    return params.steps


def apply(round_: Round, what_if: WhatIf) -> Round:
    """The round with the what-if's step amounts and keys (thresholds and sources as the rules give them)."""
    unknown = sorted((set(what_if.steps) | set(what_if.keys)) - set(staircase_blocks(round_)))
    if unknown:
        raise ValueError(f"step amounts or a key for blocks without a staircase: {', '.join(unknown)}")
    wrong = sorted(k for k in what_if.keys.values() if k not in KEYS)
    if wrong:
        raise ValueError(f"unknown key {wrong[0]!r}; choose one of {', '.join(KEYS)}")
    if not what_if.steps and not what_if.keys:
        return round_
    blocks = []
    for block in round_.blocks:
        params = block.params
        if not isinstance(params, StaircaseParams) or (block.id not in what_if.steps and block.id not in what_if.keys):
            blocks.append(block)
            continue
        params = replace(params, key=what_if.keys.get(block.id, params.key))
        amounts = what_if.steps.get(block.id, tuple(s.amount for s in params.steps))
        if len(amounts) != len(params.steps):
            raise ValueError(f"block {block.id!r}: {len(params.steps)} step amounts needed, got {len(amounts)}")
        if any(isinstance(a, bool) or not isinstance(a, int) or a < 0 for a in amounts):
            raise ValueError(f"block {block.id!r}: step amounts must be whole, non-negative kronor")
        steps = tuple(Step(s.min_expansion, a) for s, a in zip(params.steps, amounts, strict=True))
        changed = steps != params.steps
        sources = () if changed else params.step_sources  # a changed amount no longer says what the rules say
        blocks.append(replace(block, params=replace(params, steps=steps, step_sources=sources)))
    return replace(round_, blocks=tuple(blocks))


def pot_amount(round_: Round, block_id: str, choice: int | str) -> int:
    """A pot choice in kronor: an amount as it is, an option by its figure."""
    return round_.block(block_id).pot.option(choice).amount if isinstance(choice, str) else choice


def changes(round_: Round, what_if: WhatIf) -> bool:
    """Whether the what-if's rules differ from the round's (values and events are the outcomes, not rules)."""
    pots = any(
        (choice if isinstance(choice, str) else None) != round_.block(b).pot.default
        and pot_amount(round_, b, choice) != round_.block(b).pot.amount
        for b, choice in what_if.pots.items()
    )
    steps = any(tuple(s.amount for s in rule_steps(round_, b)) != tuple(a) for b, a in what_if.steps.items())
    keys = any(getattr(round_.block(b).params, "key", None) != k for b, k in what_if.keys.items())
    return pots or steps or keys


def from_2023(round_: Round, pot: int, pot_source: str, steps: Sequence[Step], key: str, values: Values) -> WhatIf:
    """A scenario saved in the 2023 AT format (a pot and where it came from, the staircase, the key, the
    regions' reports) as a what-if of the round's one staircase block. A pot named by one of the block's
    options stays that option; a step amount applies to the rules' step of the same threshold."""
    (block_id,) = staircase_blocks(round_)
    block = round_.block(block_id)
    known = {o.id for o in block.pot.options}
    choice: int | str = pot_source if pot_source in known else pot
    by_threshold = {s.min_expansion: s.amount for s in steps}
    amounts = tuple(by_threshold.get(s.min_expansion, s.amount) for s in rule_steps(round_, block_id))
    return WhatIf({block_id: choice}, {block_id: amounts}, values, {}, {block_id: key})
