"""Swedish number formats: the fast formatter agrees with Babel's format_decimal for sv_SE."""

from decimal import Decimal
from fractions import Fraction

from babel.numbers import format_decimal, get_minus_sign_symbol
from hypothesis import given
from hypothesis import strategies as st

from present import formats as f


def _babel(value: object, decimals: int) -> str:
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    # Babel's patterns write a hyphen-minus; the locale's own minus sign (CLDR sv) is U+2212.
    return format_decimal(value, format=pattern, locale="sv_SE").replace("-", get_minus_sign_symbol("sv_SE"))


@given(st.integers(-(10**12), 10**12), st.integers(0, 3))
def test_integers_match_babel(value: int, decimals: int) -> None:
    assert f.number(value, decimals) == _babel(value, decimals)


@given(st.floats(-1e9, 1e9, allow_nan=False), st.integers(0, 3))
def test_floats_match_babel(value: float, decimals: int) -> None:
    assert f.number(value, decimals) == _babel(value, decimals)


@given(st.fractions(min_value=-(10**6), max_value=10**6, max_denominator=1000), st.integers(0, 3))
def test_fractions_match_babel(value: Fraction, decimals: int) -> None:
    assert f.number(value, decimals) == _babel(value, decimals)


def test_the_formats_people_see() -> None:
    assert f.kr(12_000_000) == "12\u00a0000\u00a0000\u00a0kr"
    assert f.mnkr(12_000_000) == "12,0\u00a0mnkr"
    assert f.tkr(2_500_000) == "2\u00a0500\u00a0tkr"
    assert f.count(Fraction(7, 2)) == "3,5"
    assert f.count(3) == "3"
    assert f.number(0.49237, 2) == "0,49"
    assert f.percent(Fraction(1, 3)) == "33,3\u00a0%"
    assert f.kr(-1_500) == "\u22121\u00a0500\u00a0kr"  # a real minus, never a hyphen


@given(st.integers(-(10**13), 10**13))
def test_engine_messages_format_kronor_as_the_pages_do(value: int) -> None:
    from allocation.money import kr

    assert kr(value) == f.kr(value)
