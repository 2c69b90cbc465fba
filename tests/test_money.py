from fractions import Fraction

import pytest

from allocation.money import apportion


def test_exact_split_needs_no_remainder() -> None:
    assert apportion(100, [1, 1, 2], ["01", "03", "04"]) == [25, 25, 50]


def test_largest_remainder_gets_the_krona() -> None:
    # 10 × (1/6, 2/6, 3/6) = 1.67, 3.33, 5: the 0.67 remainder wins.
    assert apportion(10, [1, 2, 3], ["01", "03", "04"]) == [2, 3, 5]


def test_equal_remainders_go_to_the_lower_tiebreak_key_first() -> None:
    assert apportion(2, [1, 1, 1], ["25", "01", "14"]) == [0, 1, 1]
    assert apportion(1, [1, 1], ["09", "03"]) == [0, 1]


def test_fraction_weights_are_exact() -> None:
    weights = [Fraction(3 * 100_000, 61_167), Fraction(12 * 100_000, 2_437_158)]
    parts = apportion(204_000_000, weights, ["09", "01"])
    assert sum(parts) == 204_000_000


def test_zero_weights_give_zero() -> None:
    assert apportion(1000, [0, 0], ["01", "03"]) == [0, 0]
    assert apportion(1000, [0, 5], ["01", "03"]) == [0, 1000]


@pytest.mark.parametrize(
    ("total", "weights", "keys"),
    [(-1, [1], ["01"]), (10, [-1, 2], ["01", "03"]), (10, [1, 2], ["01"])],
)
def test_bad_arguments_are_refused(total: int, weights: list[int], keys: list[str]) -> None:
    with pytest.raises(ValueError):
        apportion(total, weights, keys)
