"""AppTest (headless Streamlit) of every page: renders, agrees with the engine, reacts to the rules."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from allocation.regions import RegionIndex
from allocation.report_values import Report
from allocation.rules import Step
from ingest.data_folder import load_regions
from store.model import Actor
from tests.block_helpers import SIMULATOR, at_view, kronor, recipients, results_table
from tests.markdown_text import shown
from tests.report_helpers import positions
from tests.scenario_helpers import at_what_if, save_2023_row
from ui.inputs import example_outcomes, load_outcomes
from ui.state import get_store

EXAMPLE = load_outcomes(
    example_outcomes("at-2023").read_bytes(),  # type: ignore[union-attr]
    RegionIndex(load_regions()),
).reports
STEPS = (Step(2, 2_000_000), Step(3, 3_000_000), Step(5, 5_000_000), Step(7, 8_000_000), Step(10, 12_000_000))


def _simulator(at: AppTest) -> AppTest:
    """Start the app (the landing page is the overview) and open the simulator."""
    at.run()
    at.switch_page(SIMULATOR).run()
    assert not at.exception
    return at


@pytest.fixture
def app() -> AppTest:
    return _simulator(AppTest.from_file("../app.py", default_timeout=60))


def _frame_with(at: AppTest, column: str):  # type: ignore[no-untyped-def]
    """AppTest gives st.dataframe no key: find the table by one of its columns."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _table(at: AppTest):  # type: ignore[no-untyped-def]
    """The results table as numbers: (regions, the sum of each column)."""
    frame = results_table(at).rename(
        columns={
            "länskod": "Länskod",
            "totalt (kr)": "Totalt",
            "trappsteg (kr)": "Trappsteg",
            "omfördelning (kr)": "Omfördelning",
        }
    )
    return frame, {"Totalt": int(frame["Totalt"].sum())}


def _with_example(at: AppTest) -> AppTest:
    at.button(key="blk_example").click().run()
    assert not at.exception
    return at


def test_without_reports_everyone_is_at_plan_and_nobody_qualifies(app: AppTest) -> None:
    assert any("alla regioner enligt plan" in c.value for c in app.caption)
    regions, totals = _table(app)
    assert len(regions) == 21
    assert totals["Totalt"] == 0
    assert any("Ingen mottagare nådde första trappsteget" in w.value for w in app.warning)


def test_results_table_equals_the_engine(app: AppTest) -> None:
    _with_example(app)
    regions, totals = _table(app)
    expected = at_view(EXAMPLE)
    assert regions["Länskod"].tolist() == [r.code for r in expected.regions]
    assert regions["Totalt"].tolist() == [r.total for r in expected.regions]
    assert regions["Trappsteg"].tolist() == [r.step_amount for r in expected.regions]
    assert regions["Omfördelning"].tolist() == [r.redistribution for r in expected.regions]
    assert totals["Totalt"] == 254_000_000


def test_changing_the_pot_changes_the_totals_which_still_sum_to_it(app: AppTest) -> None:
    _with_example(app)
    app.radio(key="pot").set_value("bakgrund").run()
    assert not app.exception
    regions, totals = _table(app)
    assert regions["Totalt"].tolist() == [r.total for r in at_view(EXAMPLE, pot=252_000_000).regions]
    assert int(regions["Totalt"].sum()) == 252_000_000
    assert totals["Totalt"] == 252_000_000
    assert app.metric[0].value == "252,0\u00a0mnkr"


def test_a_custom_pot_below_the_steps_scales_them_and_warns(app: AppTest) -> None:
    _with_example(app)
    app.radio(key="pot").set_value("custom").run()
    app.text_input(key="pot_kr").set_value("10 000 000").run()
    assert not app.exception
    regions, _ = _table(app)
    assert int(regions["Totalt"].sum()) == 10_000_000
    assert any("skalas ned" in w.value for w in app.warning)


def test_staircase_amounts_and_key_are_overridable_and_resettable(app: AppTest) -> None:
    _with_example(app)
    app.text_input(key="steg10").set_value("20 000 000").run()
    app.selectbox(key="nyckel").set_value("equal").run()
    assert not app.exception
    regions, _ = _table(app)
    stockholm = regions[regions["Länskod"] == "01"].iloc[0]
    steps = (*STEPS[:4], Step(10, 20_000_000))
    assert stockholm["Trappsteg"] == 20_000_000
    assert regions["Totalt"].tolist() == [r.total for r in at_view(EXAMPLE, steps=steps, key="equal").regions]
    app.button(key="blk_reset").click().run()
    regions, _ = _table(app)
    assert regions["Totalt"].tolist() == [r.total for r in at_view(EXAMPLE).regions]


def test_explanation_for_the_chosen_region(app: AppTest) -> None:
    _with_example(app)
    app.selectbox(key="explain_region").set_value("23").run()
    text = shown("\n".join(m.value for m in app.markdown))
    assert "planerat 24 tjänster; tidigare finansierade 0 tjänster; utökning 6 tjänster." in text
    assert "Utfall 30 tjänster" in text


def test_saving_a_scenario_needs_a_name_and_is_audited(app: AppTest, isolated_database: Path) -> None:
    _with_example(app)
    app.text_input(key="scenario_name").set_value("Prov 1")
    app.get("form_submit_button")[0].click().run()
    assert any("Ange ditt namn" in e.value for e in app.error)  # no actor yet: nothing saved
    # AppTest keeps only the first run's sidebar in its element tree under st.navigation (the browser
    # shows it on every run), so the sidebar's name goes in through session state.
    app.session_state["actor_name"] = "Anna Andersson"
    app.text_input(key="scenario_name").set_value("Prov 1")
    app.get("form_submit_button")[0].click().run()
    assert not app.exception
    store = get_store(str(isolated_database))
    scenario = store.scenarios.scenario("Prov 1")
    assert scenario is not None and scenario.author == "Anna Andersson"
    assert scenario.what_if is not None  # the pots, steps and the table as they were
    full = _full(EXAMPLE)
    for column in ("filled", "started", "excluded"):
        assert scenario.what_if.values[column] == {i.code: i.value(column) for i in full}
    assert store.audit.audit(limit=1).iloc[0]["entity_key"] == "Prov 1"
    assert app.session_state["scenario"] == "Prov 1"  # the saved scenario becomes the active one
    assert [t.value for t in app.toast if "sparades" in t.value]  # the confirmation is shown (one run, no st.rerun)
    app.text_input(key="scenario_name").set_value("Prov 1")
    app.get("form_submit_button")[0].click().run()  # the same name again, without "Skriv över"
    assert any("finns redan" in e.value for e in app.error) and len(store.scenarios.scenarios()) == 1


def _full(reports: list[Report]) -> list[Report]:
    """The table always holds all 21 regions: those not reported have zeros."""
    by_code = {i.code: i for i in reports}
    return [by_code.get(r.code, Report(r.code)) for r in recipients()]


def test_opening_a_saved_scenario_loads_its_rules_and_outcomes(isolated_database: Path) -> None:
    store = get_store(str(isolated_database))
    gotland = [positions("09", 19, 18)]  # saved in the 2023 format: opens as it did
    save_2023_row(
        store, Actor("Anna"), "test", "Bakgrund", "at-2023", pot=252_000_000, reports=gotland, key="expansion"
    )
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.session_state["scenario"] = "Bakgrund"
    _simulator(at)
    assert at.radio(key="pot").value == "bakgrund"
    assert at.selectbox(key="nyckel").value == "expansion"
    regions, _ = _table(at)
    assert regions.loc[regions["Länskod"] == "09", "Totalt"].iloc[0] == 252_000_000
    assert any("scenariot ”Bakgrund”" in shown(c.value) for c in at.caption)


def test_results_start_from_the_store_reports_when_there_are_some(isolated_database: Path) -> None:
    store = get_store(str(isolated_database))
    store.reports.record_report(Actor("Anna"), "test", "at-2023", positions("09", 19, 18, received=date(2023, 10, 30)))
    at = _simulator(AppTest.from_file("../app.py", default_timeout=60))
    assert any("inlästa rapporter (1 regioner)" in shown(c.value) for c in at.caption)
    regions, _ = _table(at)
    assert regions.loc[regions["Länskod"] == "09", "Totalt"].iloc[0] == 254_000_000


def test_comparison_of_a_scenario_with_the_current_simulation(app: AppTest, isolated_database: Path) -> None:
    store = get_store(str(isolated_database))
    store.scenarios.save_what_if(Actor("Anna"), "test", "Bas", "at-2023", at_what_if(store, "at-2023", reports=EXAMPLE))
    _simulator(app)
    _with_example(app)
    app.radio(key="pot").set_value("bakgrund").run()
    app.session_state["vy"] = "Jämför scenarier"  # tabs are lazy: open the comparison
    app.run()
    assert not app.exception
    diff = _frame_with(app, "Skillnad")
    assert sum(kronor(v) for v in diff["Skillnad"]) == 252_000_000 - 254_000_000


def test_data_page_renders_every_tab(app: AppTest) -> None:
    app.switch_page("pages/data/import_export.py").run()
    assert not app.exception
    assert [t.label for t in app.tabs] == [
        "Importera rapporter",
        "Importera rekvisitioner",
        "Tabeller och export",
        "Granskningslogg",
        "Säkerhetskopia",
    ]
    app.session_state["flik"] = "Tabeller och export"  # tabs are lazy: open the tables
    app.run()
    app.selectbox(key="table").set_value("population").run()
    assert not app.exception
    frames = [d.value for d in app.dataframe]
    assert any(len(f) == 21 and "Befolkning" in f.columns for f in frames)
    app.session_state["flik"] = "Granskningslogg"
    app.run()
    assert any("Senaste" in c.value for c in app.caption)
