"""Unit tests of the AT engine's single rules; the worked cases test whole rounds."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allocation.at import NOBODY_QUALIFIES, RegionInput, allocate, step_reached
from allocation.batch import allocate_batch, apportion_rows
from allocation.money import apportion
from allocation.rules import Step
from ingest.data_folder import load_round
from present.explain import explain
from present.report import to_dict

ROUND = load_round("at-2023")
STEPS = ROUND.steps


@pytest.mark.parametrize(
    ("expansion", "amount"),
    [
        (0, 0),
        (1, 0),
        (Fraction(19, 10), 0),
        (2, 2_000_000),
        (Fraction(5, 2), 2_000_000),
        (3, 3_000_000),
        (4, 3_000_000),
        (5, 5_000_000),
        (6, 5_000_000),
        (7, 8_000_000),
        (9, 8_000_000),
        (10, 12_000_000),
        (25, 12_000_000),
    ],
)
def test_highest_step_reached(expansion: Fraction, amount: int) -> None:
    reached, _ = step_reached(Fraction(expansion), STEPS)
    assert (reached.amount if reached else 0) == amount


def test_outcome_is_the_higher_of_filled_and_started() -> None:
    result = allocate(ROUND, [RegionInput("09", filled=17, started=19)]).by_code()["09"]
    assert (result.outcome, result.expansion, result.step_amount) == (19, 3, 3_000_000)


def test_excluded_positions_do_not_count_again() -> None:
    result = allocate(ROUND, [RegionInput("09", filled=19, started=19, excluded=2)]).by_code()["09"]
    assert result.expansion == 1
    assert result.step is None
    assert result.total == 0


def test_below_plan_is_zero_expansion_and_distance_counts_from_the_deficit() -> None:
    result = allocate(ROUND, [RegionInput("09", filled=13, started=12)]).by_code()["09"]
    assert result.raw_expansion == -3
    assert result.expansion == 0
    assert result.next_step_positions == 5  # 3 to reach the plan, 2 more for the first step
    assert result.next_step_kronor == 2_000_000


def test_midpoint_plan_and_distance_in_whole_positions() -> None:
    # planned 1-4 → 2.5; outcome 5 → expansion 2.5 → the 2-step; the 3-step needs one more position.
    result = allocate(ROUND, [RegionInput("09", 5, 5, 0, Fraction(5, 2))]).by_code()["09"]
    assert result.planned_overridden
    assert result.expansion == Fraction(5, 2)
    assert result.step_amount == 2_000_000
    assert (result.next_step_positions, result.next_step_kronor) == (1, 1_000_000)


def test_top_step_has_no_next_step() -> None:
    result = allocate(ROUND, [RegionInput("09", 30, 0)]).by_code()["09"]
    assert result.next_step is None
    assert result.next_step_positions is None and result.next_step_kronor is None


def test_nobody_qualifies_leaves_the_pot_unallocated() -> None:
    result = allocate(ROUND, [RegionInput("01", 273, 273)])
    assert result.paid == 0
    assert result.unallocated == 254_000_000
    assert [w.code for w in result.warnings] == [NOBODY_QUALIFIES]


def test_overridden_steps_change_the_staircase() -> None:
    params = ROUND.params(steps=(Step(1, 1_000_000), Step(4, 9_000_000)), pot=20_000_000)
    result = allocate(ROUND, [RegionInput("09", 17, 0), RegionInput("03", 57, 0)], params).by_code()
    assert result["09"].step_amount == 1_000_000
    assert result["03"].step_amount == 9_000_000
    assert result["09"].total + result["03"].total == 20_000_000


@pytest.mark.parametrize(
    "bad",
    [
        lambda: RegionInput("09", filled=-1),
        lambda: RegionInput("09", started=1.5),  # type: ignore[arg-type]
        lambda: RegionInput("09", planned=Fraction(-1)),
        lambda: allocate(ROUND, [RegionInput("99")]),
        lambda: allocate(ROUND, [RegionInput("09"), RegionInput("09")]),
    ],
)
def test_bad_inputs_are_refused(bad) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        bad()


def test_explanation_names_inputs_step_share_and_next_step() -> None:
    allocation = allocate(ROUND, [RegionInput("09", 19, 18), RegionInput("01", 284, 280)])
    lines = explain(allocation.by_code()["09"], allocation)
    text = "\n".join(lines)
    assert "tillsatta (19)" in text and "påbörjade (18)" in text
    assert "3 ≥ 3 ger 3\u00a0000\u00a0000\u00a0kr" in text
    assert "3 × 100\u00a0000 / 61\u00a0167 = 4,90" in text
    assert "Nästa trappsteg (5) nås med 2 tjänst(er)" in text
    assert lines[-1] == f"Totalt: {allocation.by_code()['09'].total:,} kr.".replace(",", "\u00a0").replace(
        " kr", "\u00a0kr"
    )


def test_json_record_has_the_specified_fields() -> None:
    data = to_dict(allocate(ROUND, [RegionInput("09", 19, 18)]), ROUND.version)
    assert {"round", "pot", "pot_source", "unallocated", "warnings", "regions"} <= data.keys()
    assert [r["code"] for r in data["regions"]] == [r.code for r in ROUND.regions]
    gotland = next(r for r in data["regions"] if r["code"] == "09")
    assert gotland["total"] == 254_000_000
    assert gotland["explanation"]


def test_batch_rejects_a_wrong_shape() -> None:
    with pytest.raises(ValueError, match="21"):
        allocate_batch(ROUND, np.zeros((3, 20)))


def test_batch_of_many_scenarios_sums_to_the_pot_per_scenario() -> None:
    rng = np.random.default_rng(7)
    planned = np.array([float(ROUND.planned_value(r.code)) for r in ROUND.regions])
    outcome = np.maximum(planned + rng.integers(-3, 15, size=(20_000, 21)), 0)
    pots = rng.integers(0, 300_000_000, size=20_000)
    result = allocate_batch(ROUND, outcome, pots=pots)
    assert (result.total >= 0).all()
    nobody = result.step_amount.sum(axis=1) == 0
    assert (result.total.sum(axis=1)[~nobody] == pots[~nobody]).all()
    assert (result.unallocated[nobody] == pots[nobody]).all()


def test_apportion_rows_ties_go_to_the_lower_column() -> None:
    shares = apportion_rows(np.array([2, 1, 0]), np.array([[1.0, 1.0, 1.0], [2.0, 2.0, 0.0], [1.0, 1.0, 1.0]]))
    assert shares.tolist() == [[1, 1, 0], [1, 0, 0], [0, 0, 0]]


@settings(max_examples=300, deadline=None)
@given(
    weights=st.lists(st.lists(st.integers(0, 3), min_size=4, max_size=4), min_size=1, max_size=6),
    totals=st.lists(st.integers(0, 40), min_size=6, max_size=6),
)
def test_apportion_rows_equals_the_exact_largest_remainder_with_many_ties(
    weights: list[list[int]], totals: list[int]
) -> None:
    """Small whole weights tie often: every row equals allocation.money.apportion, krona for krona."""
    rows = np.array(weights, dtype=float)
    wanted = np.array(totals[: len(weights)], dtype=np.int64)
    got = apportion_rows(wanted, rows)
    codes = [f"{i:02d}" for i in range(rows.shape[1])]
    for r, row in enumerate(weights):
        expected = apportion(int(wanted[r]), row, codes) if sum(row) else [0] * len(row)
        assert list(got[r]) == expected
