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


def test_saving_a_scenario_needs_a_name_and_is_audited(app: AppTest, isolated_database) -> None:  # type: ignore[no-untyped-def]
    app.text_input(key="scenario_name").set_value("Prov 1")
    app.get("form_submit_button")[0].click().run()
    assert any("Ange ditt namn" in e.value for e in app.error)  # no actor yet: nothing saved
    # AppTest keeps only the first run's sidebar in its element tree under st.navigation (the browser
    # shows it on every run), so the sidebar's name goes in through session state.
    app.session_state["actor_name"] = "Anna Andersson"
    app.text_input(key="scenario_name").set_value("Prov 1")
    app.get("form_submit_button")[0].click().run()
    assert not app.exception
    assert any("Prov 1" in s.value for s in app.success)
    from store.service import Store
    from ui.state import get_store

    store: Store = get_store(str(isolated_database))
    scenario = store.scenario("Prov 1")
    assert scenario is not None and scenario.author == "Anna Andersson"
    assert store.audit(limit=1).iloc[0]["entity_key"] == "Prov 1"


def test_results_come_from_the_store_reports_when_there_are_some(isolated_database) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from allocation.at import RegionInput
    from store.service import Actor
    from ui.state import get_store

    store = get_store(str(isolated_database))
    store.record_at_report(Actor("Anna"), "test", "at-2023", RegionInput("09", 19, 18), date(2023, 10, 30))
    at = AppTest.from_file("../app.py", default_timeout=60).run()
    assert not at.exception
    assert at.radio(key="outcome_source").value == "store"
    table = at.dataframe[0].value
    assert table.loc[table["Länskod"] == "09", "Totalt"].iloc[0] == 254_000_000


def test_data_page_renders_every_tab(app: AppTest) -> None:
    app.switch_page("pages/data/import_export.py").run()
    assert not app.exception
    assert [t.label for t in app.tabs] == [
        "Importera AT-rapporter",
        "Importera rekvisitioner",
        "Tabeller och export",
        "Granskningslogg",
        "Säkerhetskopia",
    ]
    app.selectbox(key="table").set_value("population").run()
    assert not app.exception
    frames = [d.value for d in app.dataframe]
    assert any(len(f) == 21 and "Befolkning" in f.columns for f in frames)
    assert any("Senaste" in c.value for c in app.caption)
