"""Test helpers for saved scenarios: what a scenario saved in the 2023 AT format stood for, as a what-if, and
such a row as the store still holds it from before (the format is no longer written)."""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from allocation.report_values import AT_PARTS, Report, engine_values
from allocation.rules import CUSTOM_POT, Step
from allocation.whatif import WhatIf, from_2023, rule_steps, staircase_blocks
from store.model import Actor, Scenario, fraction_text
from store.service import Store
from store.session import Session


def _staircase(store: Store | Session, round_id: str) -> tuple[Any, str]:
    round_ = store.rounds.block_round(round_id)
    (block_id,) = staircase_blocks(round_)
    return round_, block_id


def _pot(store: Store | Session, round_id: str, pot: int | None) -> tuple[int, str]:
    """A pot as the 2023 format wrote it: its amount, and the option it is (else ``custom``)."""
    round_, block_id = _staircase(store, round_id)
    block = round_.block(block_id)
    if pot is None:
        return block.pot.amount, block.pot.default
    return pot, next((o.id for o in block.pot.options if o.amount == pot), CUSTOM_POT)


def at_what_if(
    store: Store | Session,
    round_id: str,
    *,
    pot: int | None = None,
    reports: Iterable[Report] = (),
    steps: tuple[Step, ...] | None = None,
    key: str | None = None,
) -> WhatIf:
    """The what-if of a round's one staircase block: a pot (the rules' when None; one of the block's options
    when the amount is one), step amounts and key (the rules' when None), and the regions' reports as values."""
    round_, block_id = _staircase(store, round_id)
    amount, source = _pot(store, round_id, pot)
    steps = rule_steps(round_, block_id) if steps is None else steps
    key = round_.block(block_id).params.key if key is None else key
    return from_2023(round_, amount, source, steps, key, engine_values(reports))


def _text(planned: Fraction | None) -> str | None:
    return None if planned is None else fraction_text(planned)


def save_2023_row(
    store: Store,
    actor: Actor,
    reason: str,
    name: str,
    round_id: str,
    *,
    pot: int | None = None,
    reports: Iterable[Report] = (),
    key: str | None = None,
    note: str = "",
    overwrite: bool = False,
) -> Scenario:
    """A scenario as the 2023 AT format saved it (parameters and region inputs), written the way the store wrote
    it then: what a store opened today still holds from before."""
    round_, block_id = _staircase(store, round_id)
    amount, source = _pot(store, round_id, pot)
    params = round_.block(block_id).params
    params_data = {
        "pot": amount,
        "pot_source": source,
        "steps": [[s.min_expansion, s.amount] for s in params.steps],
        "key": params.key if key is None else key,
        "per_inhabitants": params.per_inhabitants,
    }
    inputs = [
        {
            "code": r.code,
            **{k: int(r.value(k)) for k in AT_PARTS},
            "planned": None if r.planned is None else fraction_text(r.planned),
        }
        for r in sorted(reports, key=lambda r: r.code)
    ]
    version = round_.version
    return store.scenarios.write_scenario(actor, reason, name, round_id, version, params_data, inputs, note, overwrite)
