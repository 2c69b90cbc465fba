"""Invariants of AT 2023's staircase block on the block engine, checked with Hypothesis over random reports and
what-if pots and keys (the round read as the store reads it)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from block_helpers import recipients
from hypothesis import given, settings
from hypothesis import strategies as st

from allocation.block_batch import allocate_round_batch
from allocation.block_engine import allocate_round
from allocation.blocks import Round, RoundResult
from allocation.methods.record import POT_BELOW_STEPS
from allocation.whatif import WhatIf, apply, staircase_blocks
from ingest.data_folder import load_block_round
from present.block_table import stair_details

ROUND = load_block_round("at-2023")
(BLOCK,) = staircase_blocks(ROUND)
PEOPLE = recipients()
CODES = [r.code for r in PEOPLE]
PLANNED = {code: Fraction(ROUND.planned.get(code, 0)) for code in CODES}
Report = tuple[str, int, int, int, Fraction | None]  # code, filled, started, excluded, planned override


@st.composite
def report(draw: st.DrawFn, code: str) -> Report:
    planned = draw(st.none() | st.sampled_from([Fraction(3), Fraction(7, 2), Fraction(5, 2), Fraction(40)]))
    base = int(planned if planned is not None else PLANNED[code])
    filled = max(0, base + draw(st.integers(-4, 16)))
    started = max(0, base + draw(st.integers(-4, 16)))
    return code, filled, started, draw(st.integers(0, 3)), planned


@st.composite
def rounds(draw: st.DrawFn) -> list[Report]:
    codes = draw(st.lists(st.sampled_from(CODES), unique=True, max_size=21))
    return [draw(report(code)) for code in codes]


def values_of(reports: list[Report]) -> dict[str, dict[str, Fraction | int]]:
    values: dict[str, dict[str, Fraction | int]] = {"filled": {}, "started": {}, "excluded": {}, "planned": {}}
    for code, filled, started, excluded, planned in reports:
        values["filled"][code], values["started"][code], values["excluded"][code] = filled, started, excluded
        if planned is not None:
            values["planned"][code] = planned
    return values


def run(reports: list[Report], pot: int, key: str | None = None) -> tuple[Round, RoundResult]:
    applied = apply(ROUND, WhatIf({BLOCK: pot}, keys={BLOCK: key} if key else {}))
    return applied, allocate_round(applied, PEOPLE, values_of(reports), {}, {BLOCK: pot})


pots = st.one_of(st.sampled_from([254_000_000, 252_000_000]), st.integers(0, 400_000_000))
keys = st.sampled_from(["expansion_per_100k", "expansion", "equal"])


@settings(max_examples=200, deadline=None)
@given(reports=rounds(), pot=pots, key=keys)
def test_paid_equals_pot_and_nothing_is_negative(reports: list[Report], pot: int, key: str) -> None:
    applied, result = run(reports, pot, key)
    block = result.block(BLOCK)
    assert all(a >= 0 for part in block.parts.values() for a in part.values())
    assert all(a >= 0 for a in result.totals.values())
    assert result.paid + result.unallocated == pot
    stair = stair_details(applied, result, PEOPLE, values_of(reports))[0][BLOCK]
    if any(d.level for d in stair.values()):
        assert result.paid == pot
        assert result.unallocated == 0
    else:
        assert result.paid == 0
        assert result.unallocated == pot


@settings(max_examples=200, deadline=None)
@given(reports=rounds(), pot=pots, data=st.data())
def test_input_order_changes_nothing(reports: list[Report], pot: int, data: st.DataObject) -> None:
    shuffled = data.draw(st.permutations(reports))
    assert run(reports, pot)[1] == run(shuffled, pot)[1]


@settings(max_examples=300, deadline=None)
@given(reports=rounds(), pot=pots, key=keys, who=st.sampled_from(CODES), more=st.integers(1, 12))
def test_own_outcome_rising_never_lowers_own_total(
    reports: list[Report], pot: int, key: str, who: str, more: int
) -> None:
    """Only the region's own outcome rises; its total may not fall.

    Exactly: the gain in step outweighs the leftover it uses (its share is at most 1). In whole
    kronor, largest remainder can hand one krona to another region, so 1 kr is the tolerance.
    """
    before_reports = {r[0]: r for r in reports}
    _, filled, started, excluded, planned = before_reports.get(who, (who, 0, 0, 0, None))
    outcome = max(filled, started)
    after_reports = before_reports | {who: (who, outcome + more, outcome + more, excluded, planned)}
    before = run(list(before_reports.values()), pot, key)
    after = run(list(after_reports.values()), pot, key)
    assert _exact_total(after, list(after_reports.values()), who) >= _exact_total(
        before, list(before_reports.values()), who
    )
    assert after[1].totals[who] >= before[1].totals[who] - 1


def _exact_total(run_: tuple[Round, RoundResult], reports: list[Report], code: str) -> Fraction:
    """The region's amount before rounding to whole kronor."""
    applied, result = run_
    stair = stair_details(applied, result, PEOPLE, values_of(reports))[0][BLOCK]
    block = result.block(BLOCK)
    steps_total = sum(d.nominal for d in stair.values())
    d = stair[code]
    if any(n.code == POT_BELOW_STEPS for n in block.notices):
        return Fraction(block.available * d.nominal, steps_total)
    return d.nominal + (block.available - steps_total) * d.share


@settings(max_examples=100, deadline=None)
@given(reports=rounds(), pot=pots, key=keys)
def test_batch_agrees_with_exact_within_one_krona(reports: list[Report], pot: int, key: str) -> None:
    applied, exact = run(reports, pot, key)
    values = values_of(reports)
    rows = {k: np.array([float(values[k].get(c, 0)) for c in CODES]) for k in ("filled", "started", "excluded")}
    rows["planned"] = np.array([float(values["planned"].get(c, PLANNED[c])) for c in CODES])
    batch = allocate_round_batch(applied, PEOPLE, rows, {}, {BLOCK: pot})
    totals = np.array([exact.totals[c] for c in CODES])
    assert np.abs(batch.totals[0] - totals).max() <= 1
    assert int(batch.totals[0].sum() + batch.unallocated[0]) == pot
    assert int(batch.unallocated[0]) == exact.unallocated
