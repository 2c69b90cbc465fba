"""AppTest (headless Streamlit) of every page: renders, agrees with the engine, reacts to the pot."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from allocation.at import allocate
from allocation.regions import RegionIndex
from allocation.rules import load_round
from ui.inputs import EXAMPLE_OUTCOMES, load_outcomes

ROUND = load_round("at-2023")


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.run()
    assert not at.exception
    return at


def _example(pot: int):  # type: ignore[no-untyped-def]
    inputs = load_outcomes(EXAMPLE_OUTCOMES.read_bytes(), RegionIndex(ROUND.regions)).inputs
    return allocate(ROUND, inputs, ROUND.params(pot=pot))


def test_results_table_equals_the_engine(app: AppTest) -> None:
    table = app.dataframe[0].value
    expected = _example(254_000_000)
    assert len(table) == 21
    assert table["Länskod"].tolist() == [r.code for r in expected.regions]
    assert table["Totalt"].tolist() == [r.total for r in expected.regions]
    assert table["Trappsteg"].tolist() == [r.step_amount for r in expected.regions]
    assert table["Omfördelning"].tolist() == [r.redistribution for r in expected.regions]
    assert int(table["Totalt"].sum()) == 254_000_000


def test_changing_the_pot_changes_the_totals_which_still_sum_to_it(app: AppTest) -> None:
    app.radio(key="pot_choice").set_value("bakgrund").run()
    assert not app.exception
    table = app.dataframe[0].value
    assert int(table["Totalt"].sum()) == 252_000_000
    assert table["Totalt"].tolist() == [r.total for r in _example(252_000_000).regions]
    assert app.metric[0].value == "252,0\u00a0mnkr"


def test_custom_pot_below_the_steps_warns(app: AppTest) -> None:
    app.radio(key="pot_choice").set_value("custom").run()
    app.number_input(key="custom_pot").set_value(10_000_000).run()
    assert not app.exception
    assert int(app.dataframe[0].value["Totalt"].sum()) == 10_000_000
    assert any("skalas ned" in w.value for w in app.warning)


def test_explanation_for_the_chosen_region(app: AppTest) -> None:
    app.selectbox[0].set_value("23").run()
    text = app.markdown[-1].value
    assert "Utökning = 30 − 24 − 0 = 6." in text
    assert "Totalt:" in text
