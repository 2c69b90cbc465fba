"""Region preview: honest figures (the plan case equals the exact engine), reproducible, and its page."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from allocation.preview import DEFAULT_UNCERTAIN, Uncertain, exact_amounts, simulate
from tests.markdown_text import shown
from tests.preview_helpers import AT_2023, CODES, report

ROUND = AT_2023  # AT 2023 as the preview reads it: one staircase_leftover block


def exact_at_plan(own) -> int:  # type: ignore[no-untyped-def]
    """The exact engine's amount for the region when no other region expands (every other at plan or below)."""
    return exact_amounts(ROUND, [own])[0]


@settings(max_examples=25, deadline=None)
@given(code=st.sampled_from(CODES), more=st.integers(0, 14), band=st.integers(0, 0))
def test_all_at_plan_median_equals_the_exact_engine(code: str, more: int, band: int) -> None:
    own = report(code, ROUND.plan(code) + more)
    result = simulate(ROUND, own, [], n=200, own_band=band, curve_n=50)
    assert result.median == result.p10 == result.p90 == exact_at_plan(own)


def test_a_scenario_for_the_others_is_the_exact_allocation() -> None:
    others = [report("01", 284, 280), report("23", 30, 28)]
    own = report("09", 19, 18)
    result = simulate(ROUND, own, others, n=100, curve_n=20)
    assert result.median == exact_amounts(ROUND, [own, *others])[0]


def test_uncertain_others_are_reproducible_and_bounded() -> None:
    own = report("09", 19, 18)
    a = simulate(ROUND, own, Uncertain(1, 6, 0.5), n=5_000, seed=7, curve_n=200)
    b = simulate(ROUND, own, Uncertain(1, 6, 0.5), n=5_000, seed=7, curve_n=200)
    assert (a.totals == b.totals).all() and a.curve == b.curve
    assert a.minimum <= a.p10 <= a.median <= a.p90 <= a.maximum <= 254_000_000
    assert a.step_probability == {"performance": {3_000_000: 1.0}}  # its own outcome is fixed: always the 3-step
    with_band = simulate(ROUND, own, Uncertain(), n=5_000, seed=7, own_band=2, curve_n=200)
    chances = with_band.step_probability["performance"]
    assert len(chances) > 1 and abs(sum(chances.values()) - 1) < 1e-9


def test_the_curve_rises_with_the_regions_own_expansion() -> None:
    result = simulate(ROUND, report("09", 19, 18), Uncertain(), n=2_000, curve_n=2_000)
    values = [v for _, v in result.curve]
    assert values[0] == values[1] == 0
    assert values[2] > 0 and values[-1] >= values[2]


def test_preview_page_renders_and_answers(isolated_database) -> None:  # type: ignore[no-untyped-def]
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.run()
    at.switch_page("pages/region/preview.py").run()
    assert not at.exception
    at.selectbox(key="pv_region").set_value("09").run()
    at.number_input(key="pv_filled_09").set_value(19).run()
    assert at.radio(key="pv_assumption").value == "uncertain"  # the default: never the best case
    metrics = {shown(m.label): m.value for m in at.metric}
    assert metrics["Troligt belopp, omkring"].endswith("miljoner\u00a0kr")  # rounded: a simulated figure
    assert not any("P10" in label for label in metrics)  # statistics only for those who want to know more
    at.radio(key="pv_assumption").set_value("plan").run()
    assert not at.exception
    metrics = {shown(m.label): m.value for m in at.metric}
    assert metrics["Om ingen annan region kvalificerar sig"] == "254\u00a0000\u00a0000\u00a0kr"
    expander = next(e for e in at.expander if e.label == "För den som vill veta mer")
    assert any("slumpfrö 2023" in c.value for c in expander.caption)


def test_no_simulated_amount_exceeds_the_one_with_nobody_else_qualifying() -> None:
    """The plan figure is the best case: the default assumption never shows more than it, anywhere."""
    for code in ("01", "09", "23"):
        own = report(code, ROUND.plan(code) + 3)
        alone = exact_at_plan(own)
        result = simulate(ROUND, own, DEFAULT_UNCERTAIN, n=2_000, curve_n=50)
        assert result.maximum <= alone and result.median < alone


@settings(max_examples=30, deadline=None)
@given(
    code=st.sampled_from(CODES),
    more=st.integers(0, 14),
    low=st.integers(0, 10),
    width=st.integers(0, 8),
    share=st.integers(0, 20),
    seed=st.integers(0, 2**16),
)
def test_others_growing_never_raise_a_regions_amount(
    code: str, more: int, low: int, width: int, share: int, seed: int
) -> None:
    """Invariant behind "never overstate": whatever the others do, no simulated amount is above the amount
    with all others at plan, which is the figure the plan assumption shows."""
    own = report(code, ROUND.plan(code) + more)
    alone = exact_at_plan(own)
    result = simulate(ROUND, own, Uncertain(low, low + width, share / 20), n=300, seed=seed, curve_n=20)
    assert result.maximum <= alone


def test_two_more_positions_are_valued_from_the_regions_own_outcome() -> None:
    far_above = simulate(ROUND, report("01", 272 + 20), Uncertain(), n=2_000, curve_n=2_000)
    assert 0 <= far_above.gain_two < 5_000_000  # beyond the top step: only a larger share of the leftover
    below_plan = simulate(ROUND, report("01", 30), Uncertain(), n=2_000, curve_n=2_000)
    assert below_plan.gain_two == 0  # 242 positions short: two more change nothing
