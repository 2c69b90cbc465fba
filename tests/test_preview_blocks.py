"""The region preview of a round of blocks (the illustrative AT 2024 test round): the same page as for AT 2023 —
an uncertain default whose figures never exceed the best case, a headline that says when a single figure holds,
a saved scenario's own rules applied, and the first figure's three states (plan, report, decision)."""

from __future__ import annotations

import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from allocation.preview import Uncertain, exact_amounts, on_time, simulate
from allocation.whatif import WhatIf
from present import formats as f
from store.paths import DATA_ENV
from store.service import Store
from tests.app_helpers import CLI, UPPSALA, app, logged_in
from tests.markdown_text import shown
from tests.preview_helpers import AT_2024, report

ROOT = Path(__file__).resolve().parent.parent
ROUND_ID = "at-2024-illustrative"
ROUND = AT_2024.round_
PEOPLE = AT_2024.recipients
BY = on_time(ROUND)
assert BY is not None
SHARE = 63_000_000 // len(PEOPLE)  # block 1: equal shares for those who report on time
STATISTICS = re.compile(r"P10|P90|[Ss]lumpfrö|median", re.IGNORECASE)


def best_case(code: str, more: int) -> int:
    """The region's amount with every other region exactly at plan (all reporting in time)."""
    reports = [report(r.code, AT_2024.plan(r.code) + (more if r.code == code else 0), received=BY) for r in PEOPLE]
    return exact_amounts(AT_2024, sorted(reports, key=lambda r: r.code != code))[0]


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
    own = report(code, AT_2024.plan(code) + more, received=BY)
    result = simulate(AT_2024, own, Uncertain(low, low + width, share / 10), n=200, seed=more, curve_n=20)
    assert result.minimum <= result.p10 <= result.median <= result.p90 <= result.maximum <= best_case(code, more)
    assert set(result.block_medians) == {b.id for b in ROUND.blocks}


def test_the_block_simulation_is_reproducible() -> None:
    own = report("09", AT_2024.plan("09") + 3, received=BY)
    a, b = (simulate(AT_2024, own, Uncertain(), n=500, seed=7, curve_n=50) for _ in range(2))
    assert (a.totals == b.totals).all() and a.block_medians == b.block_medians and a.curve == b.curve
    assert a.step_probability == {"performance": {3_000_000: 1.0}}  # three beyond plan: always the 3-step
    assert a.block_fixed == {"reporting"} and a.block_medians["reporting"] == SHARE  # reported on time: its share


def test_a_late_report_loses_the_reporting_block_only() -> None:
    on_time_ = simulate(AT_2024, report("09", AT_2024.plan("09"), received=BY), [], n=10, curve_n=5)
    late = simulate(AT_2024, report("09", AT_2024.plan("09"), received=BY + timedelta(days=1)), [], n=10, curve_n=5)
    assert on_time_.block_medians == {"reporting": SHARE, "performance": 0}
    assert late.block_medians == {"reporting": 0, "performance": 0}


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    shutil.copy(ROOT / "tests" / "rounds" / f"{ROUND_ID}.toml", target / "rounds")
    monkeypatch.setenv(DATA_ENV, str(target))
    return target


@pytest.fixture
def store(data_dir: Path, store: Store) -> Store:  # data_dir first: the store reads the rounds of that folder
    store.users.save_user(CLI, "test", UPPSALA)
    return store


BEFORE = date(2024, 10, 1)  # a sidebar date before the last day for the reports (BY)


def block_preview_page(region: str = "Gotland", as_of: date = BEFORE) -> AppTest:
    at = app(90)
    at.session_state["omgang"] = ROUND_ID
    at.session_state["as_of"] = as_of
    at.run()
    at.switch_page("pages/region/preview.py")
    at.query_params["pv_region"] = region
    at.run()
    assert not at.exception
    return at


def as_uppsala(as_of: date = BEFORE) -> AppTest:
    at = logged_in(app(90), UPPSALA)
    at.session_state["omgang"] = ROUND_ID
    at.session_state["as_of"] = as_of
    at.run()
    assert not at.exception
    assert at.title[0].value == "Förhandsbesked för Uppsala"  # the region user's start page
    return at


def first_box(at: AppTest) -> tuple[list[tuple[str, str]], str]:
    container = at.main.get_by_key("pv_first")
    metrics = [(shown(m.label), m.value) for m in container.get("metric")]
    return metrics, "\n".join(shown(m.value) for m in container.get("markdown"))


def what_if_metrics(at: AppTest) -> list[tuple[str, str]]:
    first = len(at.main.get_by_key("pv_first").get("metric"))
    return [(shown(m.label), m.value) for m in list(at.metric)[first:]]


def test_the_block_preview_leads_with_the_plans_amount_and_simulates_apart(data_dir: Path) -> None:
    at = block_preview_page()
    # The first figure: no report yet, so the plan's amount (reporting on time), per block. At plan Gotland
    # reaches no step: block 1's share whatever the others do, in exact kronor.
    first, box = first_box(at)
    assert first == [
        ("Belopp enligt er plan", f.kr(SHARE)),
        *((b.title, f.kr(SHARE if b.id == "reporting" else 0)) for b in ROUND.blocks),
    ]
    assert "inte lämnat någon rapport" in box and "Illustrativ omgång" in box
    # The what-if, prefilled with the plan (never plan + 3), defaults to the uncertain assumption.
    assert at.subheader[0].value == "Om ni utökar fler tjänster"
    assert at.number_input(key="pv_filled_09").value == AT_2024.plan("09")
    assert at.checkbox(key="pv_on_time").value  # the plan: reported on time
    at.number_input(key="pv_filled_09").set_value(AT_2024.plan("09") + 3).run()
    assert at.radio(key="pv_assumption").value == "uncertain"
    metrics = what_if_metrics(at)
    assert metrics[0][0] == "Troligt belopp, omkring" and len(metrics) == 1 + len(ROUND.blocks)
    assert metrics[0][1].endswith("miljoner\u00a0kr")
    likely = round(float(metrics[0][1].split(" ")[0].replace(",", ".")) * 1_000_000)
    assert likely < best_case("09", 3)
    text = " ".join(shown(c.value) for c in at.caption)
    assert "Hälften av de simulerade utfallen" in text and "Illustrativ omgång" in text
    assert "Med de här siffrorna når ni trappsteget 3\u00a0000\u00a0000\u00a0kr." in " ".join(
        shown(m.value) for m in at.markdown
    )
    at.radio(key="pv_assumption").set_value("plan").run()
    assert not at.exception
    assert what_if_metrics(at)[0] == ("Om ingen annan region kvalificerar sig", f.kr(best_case("09", 3)))
    info = shown(at.info[0].value)
    assert "bara om ingen annan region" in info and "Illustrativ omgång" in info
    assert not re.search(r"\bsäker", " ".join(shown(i.value) for i in at.info).casefold())
    # A report that comes in late counts for no block paid on reporting (its share flows to block 2, which
    # the region, alone on the staircase, then takes).
    at.checkbox(key="pv_on_time").uncheck().run()
    total, block_1, block_2 = what_if_metrics(at)
    assert block_1 == (ROUND.blocks[0].title, f.kr(0)) and block_2 == (ROUND.blocks[1].title, total[1])


def test_after_the_last_day_without_a_report_the_plan_counts_as_not_reported(data_dir: Path) -> None:
    """The sidebar's date is past the last day for the reports and none came in: block 1 (paid for a report in
    time) gives nothing, the first figure says why, and the what-if starts from a report not in time."""
    at = block_preview_page(as_of=BY + timedelta(days=1))
    first, box = first_box(at)
    assert first == [("Belopp enligt er plan", f.kr(0)), *((b.title, f.kr(0)) for b in ROUND.blocks)]
    assert f"sista dagen för den, {f.long_date(BY)}, har passerat" in box
    assert "det som betalas för rapport i tid får regionen inte" in box
    assert not at.checkbox(key="pv_on_time").value
    captions = " ".join(shown(c.value) for c in at.caption)
    assert f"Sista dagen för rapporten, {f.long_date(BY)}, har passerat utan rapport." in captions
    at.radio(key="pv_assumption").set_value("plan").run()
    assert what_if_metrics(at) == [("Beräknat belopp", f.kr(0))]  # at plan, not in time: nothing at all
    at.checkbox(key="pv_on_time").check().run()  # had it come in on time: block 1's share
    assert what_if_metrics(at)[1] == (ROUND.blocks[0].title, f.kr(SHARE))
    # On the last day itself the report can still come in on time: the plan counts it so.
    at = block_preview_page(as_of=BY)
    assert first_box(at)[0][0] == ("Belopp enligt er plan", f.kr(SHARE))
    assert at.checkbox(key="pv_on_time").value


def _millions(value: str) -> float:
    return float(value.split("\u00a0")[0].split(" ")[0].replace(",", "."))


def test_after_the_last_day_the_others_without_a_report_count_as_not_in_time(store: Store) -> None:
    """Staff see every report: once the last day has passed, a region that has not reported has not reported in
    time, so it gets nothing from block 1 and its share goes where the rules send it (block 2)."""
    store.reports.record_report(CLI, "test", ROUND_ID, report("09", AT_2024.plan("09") + 3, received=BY))
    before, after = (first_box(block_preview_page(as_of=day)) for day in (BY, BY + timedelta(days=1)))
    for metrics, _ in (before, after):
        assert metrics[1] == (ROUND.blocks[0].title, f.kr(SHARE))  # Gotland's own report came in on time
        assert metrics[2][0] == f"{ROUND.blocks[1].title}, omkring"
    assert _millions(after[0][2][1]) > _millions(before[0][2][1])  # the others' block 1 flows to block 2
    assert "de 20 som inte har rapporterat får inget av det som betalas för rapport i tid" in after[1]
    assert "får inget av det som betalas" not in before[1]
    at = block_preview_page(as_of=BY + timedelta(days=1))
    captions = " ".join(shown(c.value) for c in at.caption)
    assert "sista dagen har passerat, så de som inte har rapporterat räknas utan rapport i tid" in captions


def test_a_saved_scenario_of_a_round_of_blocks_applies_its_own_rules(store: Store) -> None:
    steps = (3_000_000, 3_000_000, 5_000_000, 8_000_000, 12_000_000)  # the 2-step raised to 3 000 000 kr
    others = {"01": AT_2024.plan("01") + 2, "14": AT_2024.plan("14") + 2}
    what_if = WhatIf(
        {"performance": 150_000_000},
        {"performance": steps},
        {"filled": {c: v for c, v in others.items()}},
        {"at_report": {c: BY for c in others}},
    )
    store.scenarios.save_what_if(CLI, "test", "Trappsteg 3 miljoner", ROUND_ID, what_if)
    at = block_preview_page("09")
    at.number_input(key="pv_filled_09").set_value(AT_2024.plan("09") + 2).run()
    at.radio(key="pv_assumption").set_value("scenario").run()
    assert not at.exception
    own = report("09", AT_2024.plan("09") + 2, received=BY)
    scenario = [report(c, v, received=BY) for c, v in others.items()]
    from allocation.preview import Setting
    from allocation.whatif import apply

    applied = Setting(apply(ROUND, what_if), PEOPLE, {"performance": 150_000_000})
    with_scenario = exact_amounts(applied, [own, *scenario])[0]
    assert with_scenario != exact_amounts(AT_2024, [own, *scenario])[0]
    assert what_if_metrics(at)[0] == ("Belopp om scenariot inträffar", f.kr(with_scenario))


def test_a_published_block_decision_is_the_first_figure_per_block(store: Store) -> None:
    snapshot = store.decisions.decide_round(CLI, "beslut", ROUND_ID, "S2024/1", date(2024, 12, 1), confirmed=True)
    at = block_preview_page()
    first, _ = first_box(at)
    assert first[0] == ("Beslutat belopp", f.kr(snapshot.recipient("09").total))
    assert first[1:] == [(b.title, f.kr(b.amounts["09"])) for b in snapshot.blocks]


def test_uppsala_sees_the_same_three_states_of_the_first_figure_as_in_at_2023(store: Store) -> None:
    """Plan before a report; the report's amount (rounded, the others' uncertainty only) after one, while a
    decision is not yet published; the published decision, per block, once it is."""
    at = as_uppsala()
    first, box = first_box(at)
    assert first[0] == ("Belopp enligt er plan", f.kr(SHARE))  # at plan: no step, block 1's share
    assert "inte lämnat någon rapport" in box and not STATISTICS.search(box)
    assert at.number_input(key="pv_filled_03").value == AT_2024.plan("03")

    store.reports.record_report(
        CLI, "test", ROUND_ID, report("03", AT_2024.plan("03") + 5, received=date(2024, 10, 20))
    )
    store.reports.record_report(
        CLI, "test", ROUND_ID, report("01", AT_2024.plan("01") + 7, received=date(2024, 10, 21))
    )
    later = date.today() + timedelta(days=30)
    snapshot = store.decisions.decide_round(CLI, "beslut", ROUND_ID, "S2024/77", later, confirmed=True)
    decided = snapshot.recipient("03").total
    at = as_uppsala()
    first, box = first_box(at)
    assert first[0][0] == "Troligt belopp enligt er rapport, omkring"
    assert re.fullmatch(r"\d+(,\d)? miljoner\u00a0kr", first[0][1])
    # Block 1 is the same whatever the others do (a report on time): exact; block 2 is rounded.
    assert first[1:] == [(ROUND.blocks[0].title, f.kr(SHARE)), (f"{ROUND.blocks[1].title}, omkring", first[2][1])]
    assert "inlämnade rapport (inkom 20 oktober 2024)" in box and "I 8 fall av 10 mellan" in box
    assert "utfall visas inte förrän beslutet är publicerat" in box and not STATISTICS.search(box)
    assert at.number_input(key="pv_filled_03").value == AT_2024.plan("03") + 5  # the what-if starts from it
    everything = " ".join(f"{m.label} {m.value}" for m in at.metric) + box
    assert f.kr(decided) not in everything and "S2024/77" not in everything and "Beslutat" not in everything

    store.decisions.decide_round(
        CLI,
        "beslut",
        ROUND_ID,
        "S2024/78",
        date.today() - timedelta(days=1),
        supersedes=snapshot.number,
        confirmed=True,
    )
    at = as_uppsala()
    first, box = first_box(at)
    assert first[0] == ("Beslutat belopp", f.kr(decided))
    assert first[1:] == [(b.title, f.kr(b.amounts.get("03", 0))) for b in snapshot.blocks]
    assert "Beslutet är publicerat" in box and "S2024/78" in box and "Inget är utbetalt ännu" in box
    # The what-if stays, below and apart, folded until the region asks: the decided amount stands alone.
    assert at.subheader[0].value == "Om ni hade utökat fler tjänster"
    at.toggle(key="pv_after_decision").set_value(True).run()
    assert not at.exception and at.number_input(key="pv_filled_03").value == AT_2024.plan("03") + 5
    # Opened, it starts from what the decision used: only Uppsala and Stockholm reported, so the 19 others count
    # without an outcome and without a report in time (not drawn as if they had): the decided amounts, exactly.
    assert at.radio(key="pv_assumption").value == "decided" and at.checkbox(key="pv_on_time").value
    assert what_if_metrics(at) == [
        ("Belopp med beslutets underlag", f.kr(decided)),
        *((b.title, f.kr(b.amounts.get("03", 0))) for b in snapshot.blocks),
    ]
