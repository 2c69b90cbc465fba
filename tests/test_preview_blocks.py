"""The region preview of a round of blocks (the illustrative AT 2024 test round): an uncertain default whose
figures never exceed the best case, and a headline that says when a single figure holds."""

from __future__ import annotations

import math
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from allocation.at import RegionInput
from allocation.block_convert import at_values
from allocation.block_engine import allocate_round
from allocation.preview import Uncertain, simulate_blocks
from present import formats as f
from store.paths import DATA_ENV
from store.service import Actor
from tests.block_helpers import load_test_round, recipients
from tests.markdown_text import shown
from ui.state import get_store

ROOT = Path(__file__).resolve().parent.parent
ROUND_ID = "at-2024-illustrative"
ROUND = load_test_round(ROUND_ID)
PEOPLE = recipients()
BY = next(b.params.by for b in ROUND.blocks if hasattr(b.params, "by"))


def best_case(code: str, more: int) -> int:
    """The region's amount with every other region exactly at plan (all reporting in time)."""
    inputs = [
        RegionInput(r.code, math.ceil(ROUND.planned[r.code]) + (more if r.code == code else 0), 0) for r in PEOPLE
    ]
    events = {"at_report": {r.code: BY for r in PEOPLE}}
    return allocate_round(ROUND, PEOPLE, at_values(inputs), events).totals[code]


@settings(max_examples=15, deadline=None)
@given(
    code=st.sampled_from([r.code for r in PEOPLE]),
    more=st.integers(0, 12),
    low=st.integers(0, 8),
    width=st.integers(0, 6),
    share=st.integers(0, 10),
)
def test_no_simulated_block_amount_exceeds_the_best_case(
    code: str, more: int, low: int, width: int, share: int
) -> None:
    own = RegionInput(code, math.ceil(ROUND.planned[code]) + more, 0)
    events = {"at_report": {r.code: BY for r in PEOPLE}}
    result = simulate_blocks(ROUND, PEOPLE, own, Uncertain(low, low + width, share / 10), events, n=200, seed=more)
    assert result.minimum <= result.p10 <= result.median <= result.p90 <= result.maximum <= best_case(code, more)
    assert set(result.block_medians) == {b.id for b in ROUND.blocks}


def test_the_block_simulation_is_reproducible() -> None:
    own = RegionInput("09", math.ceil(ROUND.planned["09"]) + 3, 0)
    events = {"at_report": {r.code: BY for r in PEOPLE}}
    a, b = (simulate_blocks(ROUND, PEOPLE, own, Uncertain(), events, n=500, seed=7) for _ in range(2))
    assert (a.totals == b.totals).all() and a.block_medians == b.block_medians


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    shutil.copy(ROOT / "tests" / "rounds" / f"{ROUND_ID}.toml", target / "rounds")
    monkeypatch.setenv(DATA_ENV, str(target))
    return target


def block_preview_page() -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=90)
    at.session_state["omgang"] = ROUND_ID
    at.run()
    at.switch_page("pages/region/preview.py")
    at.query_params["pv_region"] = "Gotland"
    at.run()
    assert not at.exception
    return at


def first_metrics(at: AppTest) -> list[tuple[str, str]]:
    return [(shown(m.label), m.value) for m in at.main.get_by_key("pv_first").get("metric")]


def test_the_block_preview_leads_with_the_plans_amount_and_simulates_apart(data_dir: Path) -> None:
    at = block_preview_page()
    # The first figure: no report yet, so the plan's amount (reporting on time), per block, rounded.
    first = first_metrics(at)
    assert first[0][0] == "Troligt belopp enligt er plan, omkring" and len(first) == 1 + len(ROUND.blocks)
    assert all(re.fullmatch(r"\d+(,\d)? miljon(er)?\u00a0kr|[\d\u00a0]+\u00a0kr", v) for _, v in first)
    box = "\n".join(shown(m.value) for m in at.main.get_by_key("pv_first").get("markdown"))
    assert "inte lämnat någon rapport" in box and "Illustrativ omgång" in box
    # The what-if, prefilled with the plan (never plan + 3), defaults to the uncertain assumption.
    assert at.subheader[0].value == "Om ni utökar fler tjänster"
    assert at.number_input(key="bp_filled_09").value == math.ceil(ROUND.planned["09"])
    at.number_input(key="bp_filled_09").set_value(math.ceil(ROUND.planned["09"]) + 3).run()
    assert at.radio(key="bp_as").value == "uncertain"
    labels = [shown(m.label) for m in at.metric][len(first) :]
    assert labels[0] == "Troligt belopp, omkring" and len(labels) == 1 + len(ROUND.blocks)
    value = at.metric[len(first)].value
    assert value.endswith("miljoner\u00a0kr")
    likely = round(float(value.split(" ")[0].replace(",", ".")) * 1_000_000)
    assert likely < best_case("09", 3)
    info = shown(at.info[0].value)
    assert "Beloppet gäller bara under antagandet" in info and "Illustrativ omgång" in info
    for assumption, label in (("plan", "Om ingen annan region växer"), ("reports", "Enligt inlästa rapporter")):
        at.radio(key="bp_as").set_value(assumption).run()
        assert not at.exception and at.metric[len(first)].label == label
        assert not re.search(r"\bsäker", " ".join(shown(i.value) for i in at.info).casefold())
    at.radio(key="bp_as").set_value("plan").run()
    assert int(re.sub(r"\D", "", at.metric[len(first)].value)) == best_case("09", 3)
    at.radio(key="bp_as").set_value("reports").run()
    assert f"0 av {len(PEOPLE) - 1} andra regioner har rapporterat" in shown(at.info[0].value)


def test_a_published_block_decision_is_the_first_figure_per_block(data_dir: Path, isolated_database: Path) -> None:
    store = get_store(str(isolated_database))
    snapshot = store.decide_round(
        Actor("test", "handläggare (kommandorad)"), "beslut", ROUND_ID, "S2024/1", date(2024, 12, 1), confirmed=True
    )
    at = block_preview_page()
    first = first_metrics(at)
    assert first[0] == ("Beslutat belopp", f.kr(snapshot.recipient("09").total))
    assert first[1:] == [(b.title, f.kr(b.amounts["09"])) for b in snapshot.blocks]
