"""Unit tests of the AT engine's single rules; the worked cases test whole rounds."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allocation.block_batch import allocate_round_batch
from allocation.formulas import step_level
from allocation.methods.shares import apportion_rows
from allocation.money import apportion
from allocation.report_values import Report
from allocation.rules import Step
from allocation.whatif import staircase_blocks
from ingest.data_folder import load_block_round
from present.at_view import NOBODY_QUALIFIES, step_reached
from present.explain import explain
from present.report import to_dict
from tests.block_helpers import at_view, recipients
from tests.report_helpers import positions

BLOCK_ROUND = load_block_round("at-2023")
STEPS = BLOCK_ROUND.blocks[0].params.steps  # type: ignore[union-attr]
CODES = [r.code for r in recipients()]


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
    reached, _ = step_reached(step_level(Fraction(expansion), [s.min_expansion for s in STEPS]), STEPS)
    assert (reached.amount if reached else 0) == amount


def test_outcome_is_the_higher_of_filled_and_started() -> None:
    result = at_view([positions("09", filled=17, started=19)]).by_code()["09"]
    assert (result.outcome, result.expansion, result.step_amount) == (19, 3, 3_000_000)


def test_excluded_positions_do_not_count_again() -> None:
    result = at_view([positions("09", filled=19, started=19, excluded=2)]).by_code()["09"]
    assert result.expansion == 1
    assert result.step is None
    assert result.total == 0


def test_below_plan_is_zero_expansion_and_distance_counts_from_the_deficit() -> None:
    result = at_view([positions("09", filled=13, started=12)]).by_code()["09"]
    assert result.raw_expansion == -3
    assert result.expansion == 0
    assert result.next_step_positions == 5  # 3 to reach the plan, 2 more for the first step
    assert result.next_step_kronor == 2_000_000


def test_midpoint_plan_and_distance_in_whole_positions() -> None:
    # planned 1-4 → 2.5; outcome 5 → expansion 2.5 → the 2-step; the 3-step needs one more position.
    result = at_view([positions("09", 5, 5, 0, Fraction(5, 2))]).by_code()["09"]
    assert result.planned_overridden
    assert result.expansion == Fraction(5, 2)
    assert result.step_amount == 2_000_000
    assert (result.next_step_positions, result.next_step_kronor) == (1, 1_000_000)


def test_top_step_has_no_next_step() -> None:
    result = at_view([positions("09", 30, 0)]).by_code()["09"]
    assert result.next_step is None
    assert result.next_step_positions is None and result.next_step_kronor is None


def test_below_the_staircase_the_next_step_is_worth_its_scaled_amount() -> None:
    """A 20 MSEK pot below 30 MSEK of steps: every step is paid at 2/3, and so is the step a region could reach.

    Uppsala stands at the 2-step (1 333 334 kr paid, largest remainder). At the 3-step the staircase would sum
    to 31 MSEK, and Uppsala would get 20 000 000 × 3 / 31 = 1 935 483,9 → 1 935 484 kr: 602 150 kr more, not
    the unscaled 1 000 000 kr (and not 666 667 kr either: the scale itself falls as the staircase grows).
    """
    inputs = [
        positions("03", 55, 55),  # Uppsala, plan 53: +2 → 2 MSEK
        positions("01", 282, 282),  # Stockholm, plan 272: +10 → 12 MSEK
        positions("14", 257, 257),  # Västra Götaland, plan 250: +7 → 8 MSEK
        positions("12", 204, 204),  # Skåne, plan 199: +5 → 5 MSEK
        positions("09", 19, 19),  # Gotland, plan 16: +3 → 3 MSEK
    ]
    allocation = at_view(inputs, pot=20_000_000)
    assert allocation.steps_total == 30_000_000
    uppsala = allocation.by_code()["03"]
    assert uppsala.step_amount == 1_333_334
    assert (uppsala.next_step_positions, uppsala.next_step_kronor) == (1, 1_935_484 - 1_333_334)
    moved = at_view([positions("03", 56, 56), *inputs[1:]], pot=20_000_000)
    assert moved.by_code()["03"].step_amount == 1_935_484
    assert allocation.by_code()["01"].next_step_kronor is None  # the top step
    # A region not yet on the staircase: its first step scaled in among the others'.
    assert allocation.by_code()["25"].next_step_kronor == 20_000_000 * 2 // 32


def _raised(inputs: list[Report], code: str, more: int) -> list[Report]:
    by_code = {i.code: i for i in inputs}
    mine = by_code.get(code, Report(code))
    outcome = int(max(mine.value("filled"), mine.value("started"))) + more
    raised = positions(code, outcome, outcome, int(mine.value("excluded")), mine.planned)
    return [*(i for i in inputs if i.code != code), raised]


@settings(max_examples=150, deadline=None)
@given(
    outcomes=st.dictionaries(st.sampled_from(CODES), st.integers(-3, 14), max_size=8),
    pot=st.one_of(st.integers(0, 60_000_000), st.sampled_from([254_000_000, 1])),
    amounts=st.one_of(st.just(None), st.lists(st.integers(0, 15_000_000), min_size=5, max_size=5)),
)
def test_the_next_step_is_worth_exactly_what_reaching_it_pays_and_never_more_than_the_pot(
    outcomes: dict[str, int], pot: int, amounts: list[int] | None
) -> None:
    """For every region: reach the next step (others unchanged), and its step amount grows by next_step_kronor."""
    steps = STEPS if amounts is None else tuple(Step(s.min_expansion, a) for s, a in zip(STEPS, amounts, strict=True))
    planned = BLOCK_ROUND.planned
    inputs = [positions(code, max(0, int(planned[code]) + more), 0) for code, more in outcomes.items()]
    allocation = at_view(inputs, pot=pot, steps=steps)
    for r in allocation.regions:
        if r.next_step is None:
            assert r.next_step_kronor is None
            continue
        assert r.next_step_kronor is not None and r.next_step_kronor <= pot
        after = at_view(_raised(inputs, r.code, r.next_step_positions or 0), pot=pot, steps=steps).by_code()[r.code]
        assert after.step == r.next_step
        assert after.step_amount - r.step_amount == r.next_step_kronor
        if amounts is None:  # rising steps: reaching one never lowers the region's staircase money
            assert r.next_step_kronor >= 0


def test_nobody_qualifies_leaves_the_pot_unallocated() -> None:
    result = at_view([positions("01", 273, 273)])
    assert result.paid == 0
    assert result.unallocated == 254_000_000
    assert [w.code for w in result.warnings] == [NOBODY_QUALIFIES]


def test_overridden_steps_change_the_staircase() -> None:
    steps = (Step(1, 1_000_000), Step(4, 9_000_000))
    result = at_view([positions("09", 17, 0), positions("03", 57, 0)], steps=steps, pot=20_000_000).by_code()
    assert result["09"].step_amount == 1_000_000
    assert result["03"].step_amount == 9_000_000
    assert result["09"].total + result["03"].total == 20_000_000


@pytest.mark.parametrize(
    "bad",
    [
        lambda: positions("09", filled=-1),
        lambda: Report("09", {"started": 1.5}),  # type: ignore[dict-item]
        lambda: positions("09", planned=Fraction(-1)),
        lambda: at_view([positions("99")]),
        lambda: at_view([positions("09"), positions("09")]),
    ],
)
def test_bad_inputs_are_refused(bad) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        bad()


def test_explanation_names_inputs_step_share_and_next_step() -> None:
    allocation = at_view([positions("09", 19, 18), positions("01", 284, 280)])
    lines = explain(allocation.by_code()["09"], allocation)
    text = "\n".join(lines)
    assert "tillsatta (19)" in text and "påbörjade (18)" in text
    assert "3 ≥ 3 ger 3\u00a0000\u00a0000\u00a0kr" in text
    assert "3 × 100\u00a0000 / 61\u00a0167 = 4,90" in text
    assert "Nästa trappsteg (5) nås med 2 tjänster till och ger 2\u00a0000\u00a0000\u00a0kr mer" in text
    assert lines[-1] == f"Totalt: {allocation.by_code()['09'].total:,} kr.".replace(",", "\u00a0").replace(
        " kr", "\u00a0kr"
    )


def test_json_record_has_the_specified_fields() -> None:
    data = to_dict(at_view([positions("09", 19, 18)]), BLOCK_ROUND.version)
    assert {"round", "pot", "pot_source", "unallocated", "warnings", "regions"} <= data.keys()
    assert [r["code"] for r in data["regions"]] == CODES
    gotland = next(r for r in data["regions"] if r["code"] == "09")
    assert gotland["total"] == 254_000_000
    assert gotland["explanation"]


def test_batch_rejects_a_wrong_shape() -> None:
    with pytest.raises(ValueError, match="21"):
        allocate_round_batch(BLOCK_ROUND, recipients(), {"filled": np.zeros((3, 20))})


def test_batch_of_many_scenarios_sums_to_the_pot_per_scenario() -> None:
    """Per scenario: the whole pot paid when anybody reaches a step, else the whole pot unallocated."""
    rng = np.random.default_rng(7)
    people = recipients()
    planned = np.array([float(BLOCK_ROUND.planned.get(r.code, 0)) for r in people])
    outcome = np.maximum(planned + rng.integers(-3, 15, size=(20_000, len(people))), 0)
    pots = rng.integers(0, 300_000_000, size=20_000)
    (block,) = staircase_blocks(BLOCK_ROUND)
    result = allocate_round_batch(BLOCK_ROUND, people, {"filled": outcome}, {}, {block: pots})
    assert (result.totals >= 0).all()
    assert (result.totals.sum(axis=1) + result.unallocated == pots).all()
    nobody = result.totals.sum(axis=1) == 0
    assert (result.unallocated[nobody] == pots[nobody]).all() and (result.unallocated[~nobody] == 0).all()


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
