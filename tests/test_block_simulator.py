"""AppTest of the simulator on a round of blocks (the illustrative AT 2024 and AT 2022 test rounds): pots and
staircases as what-ifs, a wrong cell kept greyed until "Ångra", saved scenarios reopened and compared, and
the store's what-if JSON read back exactly.

AppTest cannot type into the data editor's canvas (the browser test does), so a wrong cell arrives the way
an edit leaves it: in the table the page draws the editor from.
"""

from __future__ import annotations

import shutil
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from allocation.block_engine import allocate_round
from allocation.whatif import WhatIf, apply
from present import formats as f
from store.model import Actor
from store.paths import DATA_ENV
from store.scenario_json import what_if_from_json, what_if_json
from tests.block_helpers import load_test_round, recipients
from tests.markdown_text import shown
from ui.block_compare import CURRENT
from ui.state import get_store

ROOT = Path(__file__).resolve().parent.parent
SIMULATOR = "pages/at/simulator.py"
GREYED = ".st-key-blk_results { opacity"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    for name in ("at-2024-illustrative", "at-2022-illustrative"):
        shutil.copy(ROOT / "tests" / "rounds" / f"{name}.toml", target / "rounds" / f"{name}.toml")
    monkeypatch.setenv(DATA_ENV, str(target))
    return target


def app_on(round_id: str) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=90)
    at.session_state["as_of"] = date(2024, 6, 1)
    at.session_state["omgang"] = round_id
    at.run()
    at.switch_page(SIMULATOR).run()
    assert not at.exception, at.exception
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {shown(m.label): m.value for m in at.metric}


def base_key(round_id: str) -> str:
    return f"blk_base_{round_id}"


def test_a_pot_and_a_step_amount_are_what_ifs_the_engine_applies(data_dir: Path) -> None:
    at = app_on("at-2024-illustrative")
    at.button(key="blk_plan_k").click().run()
    at.text_input(key="pot_kr_performance").set_value("100 000 000").run()
    at.text_input(key="steg10_performance").set_value("20000000").run()
    assert not at.exception, at.exception
    assert at.text_input(key="steg10_performance").value == f.number(20_000_000)  # grouped when left
    round_ = load_test_round("at-2024-illustrative")
    people = recipients()
    frame = at.session_state[base_key("at-2024-illustrative")]
    by = next(b.params.by for b in round_.blocks if hasattr(b.params, "by"))
    values = {
        "filled": {c: int(v) for c, v in zip(frame["code"], frame["filled"], strict=True)},
        "started": {c: 0 for c in frame["code"]},
        "excluded": {c: 0 for c in frame["code"]},
    }
    what_if = WhatIf(
        {"reporting": 63_000_000, "performance": 100_000_000},
        {"performance": (2_000_000, 3_000_000, 5_000_000, 8_000_000, 20_000_000)},
    )
    expected = allocate_round(
        apply(round_, what_if), people, values, {"at_report": {r.code: by for r in people}}, dict(what_if.pots)
    )
    assert metrics(at)["Pott"] == f.mnkr(163_000_000)
    assert metrics(at)["Utbetalt"] == f.mnkr(expected.paid)
    table = next(d.value for d in at.dataframe if "totalt (kr)" in d.value.columns)
    assert list(table["totalt (kr)"]) == [f.kr(expected.totals[c]) for c in table["länskod"]]
    # "Återställ": the rules' figures again.
    at.button(key="blk_reset").click().run()
    assert at.text_input(key="pot_kr_performance").value == f.number(160_000_000)
    assert at.text_input(key="steg10_performance").value == f.number(12_000_000)


def test_a_wrong_cell_keeps_the_last_valid_results_greyed_until_undone(data_dir: Path) -> None:
    at = app_on("at-2024-illustrative")
    at.button(key="blk_plan_k").click().run()
    key = base_key("at-2024-illustrative")
    good = at.session_state[key].copy()
    paid = metrics(at)["Utbetalt"]
    bad = good.copy()
    bad["at_report"] = bad["at_report"].astype(object)
    bad.loc[bad["code"] == "03", "at_report"] = "igår"
    at.session_state[key] = bad
    at.run()
    assert not at.exception, at.exception
    error = shown(at.error[0].value)
    assert "Uppsala (rad 2), Rapporterad: ”igår” är inget datum" in error
    assert "senast giltiga" in error
    assert any(GREYED in h.proto.body for h in at.get("html"))
    assert metrics(at)["Utbetalt"] == paid  # the last valid results, not zero
    assert at.get("form_submit_button")[0].disabled
    at.button(key="blk_undo").click().run()
    assert not at.exception
    assert not at.error
    assert not any(GREYED in h.proto.body for h in at.get("html"))
    assert list(at.session_state[key]["at_report"]) == list(good["at_report"])


def test_a_saved_scenario_reopens_and_is_compared_with_the_baseline(data_dir: Path, isolated_database: Path) -> None:
    at = app_on("at-2024-illustrative")
    at.button(key="blk_plan_k").click().run()
    at.text_input(key="pot_kr_performance").set_value("120 000 000").run()
    at.session_state["actor_name"] = "Anna Andersson"
    at.text_input(key="scenario_name").set_value("Mindre block 2")
    at.get("form_submit_button")[0].click().run()
    assert not at.exception, at.exception
    scenario = get_store(str(isolated_database)).scenarios.scenario("Mindre block 2")
    assert scenario is not None and scenario.what_if is not None
    assert scenario.what_if.pots == {"reporting": 63_000_000, "performance": 120_000_000}
    assert scenario.what_if.values["filled"]["01"] == 272 + 3
    paid = metrics(at)["Utbetalt"]
    # The comparison: the baseline (the rules, no reports) against the scenario just saved.
    at.session_state["vy"] = "Jämför scenarier"
    at.run()
    assert (at.selectbox(key="compare_base").value, at.selectbox(key="compare_other").value)[1] == "Mindre block 2"
    diff = next(d.value for d in at.dataframe if "Skillnad" in d.value.columns)
    # The baseline pays nothing: the scenario's amounts are the differences (a gain with "+").
    zero = f.kr(0)
    assert [f"+{x}" for x in diff["Mindre block 2"] if x != zero] == [x for x in diff["Skillnad"] if x != zero]
    # A fresh session opens the scenario from the sidebar (as a shared link does): pots and table come back.
    fresh = app_on("at-2024-illustrative")
    fresh.selectbox(key="scenario").set_value("Mindre block 2").run()
    assert not fresh.exception, fresh.exception
    assert fresh.text_input(key="pot_kr_performance").value == f.number(120_000_000)
    assert metrics(fresh)["Utbetalt"] == paid
    fresh.session_state["vy"] = "Jämför scenarier"
    fresh.run()
    # The scenario in view gives what the current simulation gives: compared with the baseline.
    assert fresh.selectbox(key="compare_other").value == "Mindre block 2"
    assert CURRENT in fresh.selectbox(key="compare_base").options


def test_the_three_block_round_runs_with_its_own_keys(data_dir: Path) -> None:
    at = app_on("at-2022-illustrative")
    assert not at.exception, at.exception
    pots = [n.key for n in at.text_input if n.key and n.key.startswith("pot_kr_")]
    assert len(pots) == 3
    for tab in ("Per invånare", "Karta"):
        at.session_state["vy"] = tab
        at.run()
        assert not at.exception, at.exception
        assert at.get("plotly_chart")


def test_a_what_if_the_round_cannot_take_is_refused_before_anything_is_written(
    data_dir: Path, isolated_database: Path
) -> None:
    store = get_store(str(isolated_database))
    round_ = load_test_round("at-2024-illustrative")
    with pytest.raises(ValueError, match="without a staircase"):
        store.scenarios.save_what_if(Actor("Anna"), "test", "Fel", round_.id, WhatIf(steps={"reporting": (1,)}))
    assert store.scenarios.scenario("Fel") is None  # refused before anything is written


amounts = st.integers(min_value=0, max_value=10**12)
fractions = st.fractions(min_value=0, max_value=10_000, max_denominator=8)


@given(
    pots=st.dictionaries(st.sampled_from(["a", "b_1"]), amounts | st.sampled_from(["rules", "bakgrund"])),
    steps=st.dictionaries(st.sampled_from(["a"]), st.tuples(amounts, amounts)),
    values=st.dictionaries(
        st.sampled_from(["filled", "positions"]), st.dictionaries(st.sampled_from(["01", "25"]), fractions)
    ),
    days=st.dictionaries(st.sampled_from(["01", "03"]), st.dates(date(2020, 1, 1), date(2030, 12, 31))),
    keys=st.dictionaries(st.sampled_from(["a"]), st.sampled_from(["equal", "expansion"])),
)
def test_what_if_json_reads_back_exactly(pots, steps, values, days, keys) -> None:  # type: ignore[no-untyped-def]
    what_if = WhatIf(pots, steps, values, {"at_report": days} if days else {}, keys)
    params, inputs = what_if_json(what_if)
    back = what_if_from_json(params, inputs)
    assert back.pots == what_if.pots
    assert back.steps == what_if.steps
    assert back.values == {k: {c: Fraction(v) for c, v in by.items()} for k, by in what_if.values.items()}
    assert back.events == what_if.events
    assert back.keys == what_if.keys
