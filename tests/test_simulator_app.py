"""AppTest of the simulator page: a wrong cell, the comparison's default pair, the next step below the
staircase, and the notice when one region takes most of the pot.

AppTest cannot type into the data editor's canvas (the browser test does: tests/browser/test_simulator_page.py),
so a wrong cell arrives the way an edit leaves it: in the table the page draws the editor from.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from allocation.report_values import Report
from allocation.whatif import WhatIf
from ingest.data_folder import load_block_round
from store.model import Actor
from tests.block_helpers import GREYED, SIMULATOR, at_table, at_view, base_key, kronor, recipients, results_table
from tests.markdown_text import shown
from tests.report_helpers import positions, reports_of
from tests.scenario_helpers import at_what_if
from ui.editor_rows import CHECK, CHECK_COLOURS
from ui.state import get_store

ROUND = load_block_round("at-2023")
EDITOR_BASE = base_key("at-2023")
CURRENT = "Aktuell simulering"
BASELINE = "Utgångsläge (reglernas belopp, inga rapporter)"
# Five regions on the staircase: Uppsala +2, Stockholm +10, Västra Götaland +7, Skåne +5, Gotland +4.
FIVE = [
    positions("03", 55, 55),
    positions("01", 282, 282),
    positions("14", 257, 257),
    positions("12", 204, 204),
    positions("09", 20, 20),
]


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.run()
    at.switch_page(SIMULATOR).run()
    assert not at.exception
    return at


def _table(at: AppTest) -> pd.DataFrame:
    return results_table(at)


def _editor(at: AppTest):  # type: ignore[no-untyped-def]
    """The data editor (AppTest lists it among the dataframes): its data, and each check label's colour."""
    element = next(d for d in at.dataframe if CHECK in d.value.columns)
    config = json.loads(element.proto.columns)[CHECK]["type_config"]
    data = element.value.assign(**{CHECK: [next(iter(v)) for v in element.value[CHECK]]})
    return data, {o["value"]: o["color"] for o in config["options"]}


def _greyed(at: AppTest) -> bool:
    return any(GREYED in h.proto.body for h in at.get("html"))


def _with(at: AppTest, inputs: list[Report]) -> AppTest:
    """The table as if these outcomes had been typed in."""
    at.session_state[EDITOR_BASE] = at_table(inputs)
    at.run()
    assert not at.exception
    return at


def test_a_wrong_cell_is_named_marked_and_the_last_valid_results_stay_greyed_until_undone(app: AppTest) -> None:
    app.button(key="blk_example").click().run()
    valid = _table(app)
    good_frame = app.session_state[EDITOR_BASE].copy()
    bad = good_frame.copy()
    bad.loc[bad["code"] == "03", "planned"] = "abc"
    app.session_state[EDITOR_BASE] = bad
    app.run()
    assert not app.exception
    error = shown(app.error[0].value)
    assert 'Uppsala (rad 2), kolumn Planerat: "abc" är inte ett tal' in error, error
    assert "senast giltiga" in error
    # The row is marked in the editor: its label in the check column names the wrong column, in red.
    data, colours = _editor(app)
    assert data.loc[data["code"] == "03", CHECK].item() == "Fel: Planerat"
    assert colours["Fel: Planerat"] == CHECK_COLOURS["error"]
    # The results of the last valid table stay, greyed and labelled; so do the downloads; saving waits.
    assert _greyed(app)
    assert any("Senast giltiga resultat" in c.value for c in app.caption)
    assert _table(app)["totalt (kr)"].tolist() == valid["totalt (kr)"].tolist()
    assert {b.label for b in app.get("download_button")} >= {"Ladda ned (XLSX)", "Ladda ned (CSV)"}
    assert app.get("form_submit_button")[0].disabled
    # Ångra: back to the last valid table, the results no longer greyed.
    app.button(key="blk_undo").click().run()
    assert not app.exception
    assert not app.error
    assert not _greyed(app)
    pd.testing.assert_frame_equal(app.session_state[EDITOR_BASE], good_frame)
    assert _editor(app)[0].loc[lambda d: d["code"] == "03", CHECK].item() == "+3 över plan"
    assert not app.get("form_submit_button")[0].disabled


def test_the_check_column_follows_the_table(app: AppTest) -> None:
    _with(app, [positions("09", 21, 0), positions("03", 50, 0, 0)])
    data, colours = _editor(app)
    checks = dict(zip(data["code"], data[CHECK], strict=True))
    assert checks["09"] == "+5 över plan"
    assert checks["03"] == "3 under plan"
    assert checks["01"] == "inget utfall"  # nothing reported: grey, not a shortfall
    assert [colours[t] for t in ("+5 över plan", "3 under plan", "inget utfall")] == [
        CHECK_COLOURS["above"],
        CHECK_COLOURS["below"],
        CHECK_COLOURS["none"],
    ]


def test_just_after_saving_the_comparison_is_the_baseline_against_the_saved_scenario(
    app: AppTest, isolated_database: Path
) -> None:
    app.button(key="blk_example").click().run()
    app.session_state["actor_name"] = "Anna Andersson"  # the sidebar's name (see test_app.py)
    app.text_input(key="scenario_name").set_value("Exempel")
    app.get("form_submit_button")[0].click().run()
    assert get_store(str(isolated_database)).scenarios.scenario("Exempel") is not None
    app.session_state["vy"] = "Jämför scenarier"
    app.run()
    assert not app.exception
    baseline = BASELINE
    assert (app.selectbox(key="compare_base").value, app.selectbox(key="compare_other").value) == (
        baseline,
        "Exempel",
    )
    diff = next(d.value for d in app.dataframe if "Skillnad" in d.value.columns)
    expected = at_view(reports_of(_example_inputs(app)))
    assert [kronor(v) for v in diff["Skillnad"]] == [r.total for r in expected.regions]
    assert app.get("plotly_chart")
    # Changed after saving, the tab opened again: the scenario against the current simulation.
    app.session_state["vy"] = "Resultat"
    app.run()
    app.radio(key="pot").set_value("bakgrund").run()
    app.session_state["vy"] = "Jämför scenarier"
    app.run()
    assert (app.selectbox(key="compare_base").value, app.selectbox(key="compare_other").value) == (
        "Exempel",
        CURRENT,
    )
    diff = next(d.value for d in app.dataframe if "Skillnad" in d.value.columns)
    assert sum(kronor(v) for v in diff["Skillnad"]) == 252_000_000 - 254_000_000


def test_the_comparison_says_when_the_two_are_equal(app: AppTest, isolated_database: Path) -> None:
    store = get_store(str(isolated_database))
    store.scenarios.save_what_if(Actor("Anna"), "test", "Plan", "at-2023", at_what_if(store, "at-2023"))
    app.session_state["vy"] = "Jämför scenarier"
    app.run()
    # Nothing active, the newest scenario equals the current simulation: compared with the baseline instead,
    # which (everyone at plan too) gives the same amounts, and the page says so instead of an empty chart.
    assert (app.selectbox(key="compare_base").value, app.selectbox(key="compare_other").value) == (
        BASELINE,
        "Plan",
    )
    assert any("ger samma belopp för varje region" in shown(i.value) for i in app.info)
    assert not app.get("plotly_chart")
    app.selectbox(key="compare_base").set_value(CURRENT).run()
    assert any("”Plan” och ”Aktuell simulering” ger samma belopp" in shown(i.value) for i in app.info)


def test_below_the_staircase_the_next_step_is_scaled_like_the_steps(app: AppTest) -> None:
    _with(app, FIVE)
    app.radio(key="pot").set_value("custom").run()
    app.text_input(key="pot_kr").set_value("20 000 000").run()
    assert not app.exception
    regions = _table(app).set_index("länskod")
    assert int(regions["totalt (kr)"].sum()) == 20_000_000
    assert regions.loc["03", "trappsteg (kr)"] == 1_333_334
    assert regions.loc["03", "nästa steg (kr)"] == 602_150  # not the unscaled 1 000 000
    app.selectbox(key="explain_region").set_value("03").run()
    text = "\n".join(m.value for m in app.markdown)
    assert (
        "ger 602\u00a0150\u00a0kr mer i trappbelopp" in text and "utan nedskalning 1\u00a0000\u00a0000\u00a0kr" in text
    )


def test_one_region_taking_most_of_the_pot_is_said_out_loud(app: AppTest) -> None:
    _with(app, FIVE)
    notice = next(shown(i.value) for i in app.info if "av potten" in i.value)
    gotland = at_view(reports_of(FIVE)).by_code()["09"]
    assert notice.startswith("**Gotland får 71\u00a0% av potten**")
    assert f"{gotland.total:,}".replace(",", "\u00a0") + "\u00a0kr för 4 tjänster" in notice
    assert "per 100\u00a0000 invånare" in notice
    # An even spread says nothing.
    _with(app, [positions(r.code, int(ROUND.planned[r.code]) + 3, 0) for r in recipients()])
    assert not any("av potten" in i.value for i in app.info)


def _example_inputs(at: AppTest) -> list[Report]:
    frame = at.session_state[EDITOR_BASE]
    return [
        positions(row.code, int(row.filled), int(row.started), int(row.excluded))
        for row in frame.itertuples(index=False)
    ]


def test_the_pots_difference_is_explained_by_the_rules_sentence_on_the_agencys_costs(app: AppTest) -> None:
    """Two pots in the rules, 2 000 000 kr apart: the difference is named with the cited sentence that gives it
    (the amount is the rules', read from the pot options and their sources)."""
    notice = next(shown(i.value) for i in app.info if "belopp i reglerna" in i.value)
    assert "Skillnaden, 2\u00a0000\u00a0000\u00a0kr, motsvarar medlen för myndighetens egna kostnader" in notice
    assert "Socialstyrelsens egna kostnader" in notice  # the rules' own sentence, quoted


def test_the_method_sheet_names_the_pot_steps_key_and_scenario() -> None:
    from present.block_method import NO_SCENARIO_SV, method_rows
    from tests.block_helpers import at_result

    applied, result, _, _ = at_result(FIVE)
    rows = dict(method_rows(applied, WhatIf(), result, "exempelfilen", ""))
    assert rows["Pott"].startswith("254\u00a0000\u00a0000\u00a0kr (Bidragets storlek")
    assert rows["Trappsteg"].startswith("≥ 2 → 2\u00a0000\u00a0000\u00a0kr")
    assert rows["Fördelningsnyckel"] == "utökning per 100 000 invånare"
    assert rows["Utfall"] == "exempelfilen" and rows["Scenario"] == NO_SCENARIO_SV
    assert rows["Utbetalt"] == "254\u00a0000\u00a0000\u00a0kr"


def test_the_sheet_names_the_simulated_rules_file_once_among_the_stores_facts(isolated_database: Path) -> None:
    """The store's facts list every round's rules file: the simulator's sheet says the simulated round's, once."""
    from present.block_method import method_sheet
    from store.export import store_facts
    from tests.block_helpers import at_result

    store = get_store(str(isolated_database))
    facts = store_facts(store)  # what the simulator's downloads read
    assert len([k for k, _ in facts if k == "Regelfil"]) >= 2  # every round's (the case this is about)
    applied, result, _, _ = at_result(FIVE)
    rows = method_sheet(applied, WhatIf(), result, "exempelfilen", "", facts)
    assert [v for k, v in rows if k == "Regelfil"] == [f"version {applied.version}"]
    assert dict(rows)["Bidragsomgång"] == applied.title
    assert len([k for k, _ in rows if k == "Befolkningsdatum"]) == 1
    keys = [k for k, _ in rows]
    assert [k for k in set(keys) if keys.count(k) > 1 and not k.endswith("Obs")] == []  # no row said twice


def test_the_results_tables_headers_are_capitalised_as_every_other_tables(app: AppTest) -> None:
    element = next(d for d in app.dataframe if "totalt (kr)" in d.value.columns)
    columns = json.loads(element.proto.columns)
    labels = {name: c.get("label") for name, c in columns.items() if name != "_index"}  # the hidden index
    assert labels["länskod"] == "Länskod" and labels["totalt (kr)"] == "Totalt (kr)" and labels["region"] == "Region"
    assert [n for n, label in labels.items() if not (label and label[0].isupper())] == []


def test_an_edit_reruns_the_table_and_its_results_only(app: AppTest) -> None:
    """The outcomes table and what follows from it are one fragment: a cell edited in the browser reruns that
    part (the pots above and the frame keep what they drew), and the results follow the edit."""
    from bench.bench_floors import edit_cell

    before = _table(app)
    stockholm = before.loc[before["länskod"] == "01", "totalt (kr)"].item()
    edit_cell(app, 400)  # Stockholm's first count, far above its plan: the 10-step and a share of the rest
    assert not app.exception
    after = _table(app)
    assert after.loc[after["länskod"] == "01", "totalt (kr)"].item() > stockholm
    assert _editor(app)[0].loc[lambda d: d["code"] == "01", CHECK].item().endswith("över plan")
    assert "Block och pottar" not in [h.value for h in app.subheader]  # drawn by the page, not rerun
    assert "Utfall per region" in [h.value for h in app.subheader]
