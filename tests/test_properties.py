"""Invariants of the AT engine, checked with Hypothesis over random rounds and what-if parameters."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from allocation.at import POT_BELOW_STEPS, Allocation, RegionInput, allocate
from allocation.batch import allocate_batch
from ingest.data_folder import load_round

ROUND = load_round("at-2023")
CODES = [r.code for r in ROUND.regions]
PLANNED = {code: ROUND.planned_value(code) for code in CODES}


@st.composite
def region_input(draw: st.DrawFn, code: str) -> RegionInput:
    planned = draw(st.none() | st.sampled_from([Fraction(3), Fraction(7, 2), Fraction(5, 2), Fraction(40)]))
    base = int(planned if planned is not None else PLANNED[code])
    filled = max(0, base + draw(st.integers(-4, 16)))
    started = max(0, base + draw(st.integers(-4, 16)))
    excluded = draw(st.integers(0, 3))
    return RegionInput(code, filled, started, excluded, planned)


@st.composite
def rounds(draw: st.DrawFn) -> list[RegionInput]:
    codes = draw(st.lists(st.sampled_from(CODES), unique=True, max_size=21))
    return [draw(region_input(code)) for code in codes]


pots = st.one_of(st.sampled_from([254_000_000, 252_000_000]), st.integers(0, 400_000_000))
keys = st.sampled_from(["expansion_per_100k", "expansion", "equal"])


@settings(max_examples=200, deadline=None)
@given(inputs=rounds(), pot=pots, key=keys)
def test_paid_equals_pot_and_nothing_is_negative(inputs: list[RegionInput], pot: int, key: str) -> None:
    result = allocate(ROUND, inputs, ROUND.params(pot=pot, key=key))
    amounts = [(r.step_amount, r.redistribution, r.total) for r in result.regions]
    assert all(a >= 0 for triple in amounts for a in triple)
    assert result.paid + result.unallocated == pot
    if any(r.qualifies for r in result.regions):
        assert result.paid == pot
        assert result.unallocated == 0
    else:
        assert result.paid == 0
        assert result.unallocated == pot


@settings(max_examples=200, deadline=None)
@given(inputs=rounds(), pot=pots, data=st.data())
def test_input_order_changes_nothing(inputs: list[RegionInput], pot: int, data: st.DataObject) -> None:
    shuffled = data.draw(st.permutations(inputs))
    params = ROUND.params(pot=pot)
    assert allocate(ROUND, inputs, params) == allocate(ROUND, shuffled, params)


@settings(max_examples=300, deadline=None)
@given(inputs=rounds(), pot=pots, key=keys, who=st.sampled_from(CODES), more=st.integers(1, 12))
def test_own_outcome_rising_never_lowers_own_total(
    inputs: list[RegionInput], pot: int, key: str, who: str, more: int
) -> None:
    """Only the region's own outcome rises; its total may not fall.

    Exactly: the gain in step outweighs the leftover it uses (its share is at most 1). In whole
    kronor, largest remainder can hand one krona to another region, so 1 kr is the tolerance.
    """
    params = ROUND.params(pot=pot, key=key)
    before_inputs = {i.code: i for i in inputs}
    mine = before_inputs.get(who, RegionInput(who))
    outcome = max(mine.filled, mine.started)
    raised = RegionInput(who, outcome + more, outcome + more, mine.excluded, mine.planned)
    after_inputs = before_inputs | {who: raised}
    before = allocate(ROUND, before_inputs.values(), params)
    after = allocate(ROUND, after_inputs.values(), params)
    assert _exact_total(after, who) >= _exact_total(before, who)
    assert after.by_code()[who].total >= before.by_code()[who].total - 1


def _exact_total(allocation: Allocation, code: str) -> Fraction:
    """The region's amount before rounding to whole kronor."""
    r = allocation.by_code()[code]
    if any(w.code == POT_BELOW_STEPS for w in allocation.warnings):
        return Fraction(allocation.pot * r.step_nominal, allocation.steps_total)
    return r.step_nominal + allocation.leftover * r.share_of_leftover


@settings(max_examples=100, deadline=None)
@given(inputs=rounds(), pot=pots, key=keys)
def test_batch_agrees_with_exact_within_one_krona(inputs: list[RegionInput], pot: int, key: str) -> None:
    params = ROUND.params(pot=pot, key=key)
    exact = allocate(ROUND, inputs, params)
    outcome = np.array([[r.outcome for r in exact.regions]], dtype=float)
    planned = np.array([float(r.planned) for r in exact.regions])
    excluded = np.array([r.excluded for r in exact.regions], dtype=float)
    batch = allocate_batch(ROUND, outcome, planned=planned, excluded=excluded, params=params)
    totals = np.array([r.total for r in exact.regions])
    assert np.abs(batch.total[0] - totals).max() <= 1
    assert np.abs(batch.step_amount[0] - np.array([r.step_amount for r in exact.regions])).max() <= 1
    assert int(batch.total[0].sum() + batch.unallocated[0]) == pot
    assert int(batch.unallocated[0]) == exact.unallocated
