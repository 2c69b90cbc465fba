"""The block engine, exact path: a round's blocks in flow order, each by its method looked up by name.

Pure: recipients, values and report dates come in as arguments. Money is ``int`` kronor; what a block
does not pay flows to the block its rules name, or stays unallocated; the sums always close:
Σ own pots = paid + unallocated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from allocation.block_data import Notice, Recipient, derive_values, sorted_recipients
from allocation.block_eligible import eligible_codes
from allocation.blocks import CUSTOM_POT, Block, BlockResult, Round, RoundResult
from allocation.methods import FLOWS_TO, NOBODY_ELIGIBLE, UNALLOCATED, MethodInput, method

PotChoice = int | str  # an amount in kronor (a what-if), or the id of one of the block's pot options


def pot_for(block: Block, choice: PotChoice | None) -> tuple[int, str]:
    """The block's pot and its source: the default option, a chosen option, or a what-if amount."""
    if choice is None:
        return block.pot.amount, block.pot.default
    if isinstance(choice, str):
        try:
            return block.pot.option(choice).amount, choice
        except KeyError:
            known = ", ".join(o.id for o in block.pot.options)
            raise ValueError(f"block {block.id}: unknown pot option {choice!r}; known: {known}") from None
    if isinstance(choice, bool) or not isinstance(choice, int) or choice < 0:
        raise ValueError(f"block {block.id}: a pot must be a whole, non-negative number of kronor, got {choice!r}")
    source = next((o.id for o in block.pot.options if o.amount == choice), CUSTOM_POT)
    return choice, source


def _flow_notice(amount: int, target: str | None) -> Notice:
    if target is None:
        return Notice.of(UNALLOCATED, amount=amount)
    return Notice.of(FLOWS_TO, amount=amount, block=target)


def allocate_round(
    round_: Round,
    recipients: Iterable[Recipient],
    values: Mapping[str, Mapping[str, Any]] | None = None,
    events: Mapping[str, Mapping[str, date]] | None = None,
    pots: Mapping[str, PotChoice] | None = None,
) -> RoundResult:
    """Allocate every block of the round among ``recipients``.

    ``values``: key -> recipient code -> number (e.g. ``filled``, ``started``, ``positions``; a
    ``planned`` entry overrides the round's planned table). ``events``: event -> code -> date (e.g. the
    day a recipient reported). ``pots``: block id -> pot option id or a what-if amount.
    """
    people = sorted_recipients(recipients)
    codes = tuple(r.code for r in people)
    derived = derive_values(people, values or {}, round_.planned)
    events = events or {}
    pots = pots or {}
    unknown = sorted(set(pots) - {b.id for b in round_.blocks})
    if unknown:
        raise ValueError(f"pots for unknown blocks: {', '.join(unknown)}")
    inflow = {b.id: 0 for b in round_.blocks}
    results: dict[str, BlockResult] = {}
    for block in round_.order():
        pot, pot_source = pot_for(block, pots.get(block.id))
        available = pot + inflow[block.id]
        eligible = eligible_codes(block.eligible, people, derived)
        allowed = set(eligible)
        chosen = tuple(r for r in people if r.code in allowed)
        entry = method(block.method)  # the registry, by name; Round has checked the name and params
        output = entry.allocate(block.params, MethodInput(available, chosen, derived, events))
        amounts = {c: output.amounts.get(c, 0) for c in codes}
        if set(output.amounts) - allowed or any(a < 0 for a in amounts.values()):
            raise AssertionError(f"block {block.id}: {block.method} paid an ineligible recipient or a negative sum")
        paid = sum(amounts.values())
        unpaid = available - paid
        if unpaid < 0:
            raise AssertionError(f"block {block.id}: {block.method} paid {paid} kr of {available} kr")
        notices = list(output.notices)
        if not eligible and available:
            notices.insert(0, Notice.of(NOBODY_ELIGIBLE, amount=available))
        if unpaid:
            notices.append(_flow_notice(unpaid, block.unpaid_to))
            if block.unpaid_to is not None:
                inflow[block.unpaid_to] += unpaid
        parts = {name: {c: part.get(c, 0) for c in codes} for name, part in output.parts.items()}
        results[block.id] = BlockResult(
            block.id,
            block.title,
            block.method,
            pot,
            pot_source,
            inflow[block.id],
            eligible,
            amounts,
            parts,
            paid,
            unpaid,
            block.unpaid_to,
            tuple(notices),
            block.paid_on,
        )
    ordered = tuple(results[b.id] for b in round_.blocks)
    totals = {c: sum(r.amounts[c] for r in ordered) for c in codes}
    pot_total = sum(r.pot for r in ordered)
    paid_total = sum(totals.values())
    unallocated = sum(r.unpaid for r in ordered if r.unpaid_to is None)
    if pot_total != paid_total + unallocated:
        raise AssertionError(f"round {round_.id}: {pot_total} kr ≠ {paid_total} paid + {unallocated} unallocated")
    return RoundResult(round_.id, codes, ordered, totals, pot_total, paid_total, unallocated, derived)
