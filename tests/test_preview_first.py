"""The region preview's first figure, as region Uppsala sees it: its plan before a report, its report's amount
(the uncertainty from the others only) after one, the published decision once there is one — never an
unpublished decision — and the what-if apart below it. A saved scenario's own rules are the ones applied."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import date, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from allocation.block_engine import allocate_round
from allocation.planned import parse_planned
from allocation.report_values import Report, engine_values
from allocation.rules import Step
from allocation.whatif import WhatIf, apply
from present import formats as f
from store.service import Store
from tests.app_helpers import CLI, UPPSALA, app, logged_in
from tests.markdown_text import shown
from tests.report_helpers import positions
from tests.scenario_helpers import at_what_if
from ui.preview_words import about_kr, about_range, about_sentence

PAGE = "pages/region/preview.py"
ROUND = "at-2023"
STATISTICS = re.compile(r"P10|P90|[Ss]lumpfrö|median", re.IGNORECASE)


@pytest.fixture
def store(store: Store) -> Store:
    store.users.save_user(CLI, "test", UPPSALA)
    return store


def planned(store: Store, code: str) -> int:
    return math.ceil(parse_planned(store.rounds.planned_table(ROUND)[code]))


def allocated(store: Store, what_if: WhatIf, reports: Iterable[Report]) -> dict[str, int]:
    """Each region's total by the block engine: the round with the what-if's rules, these reports."""
    round_ = apply(store.rounds.block_round(ROUND), what_if)
    return allocate_round(
        round_, store.rounds.recipients(ROUND), engine_values(reports), pots=dict(what_if.pots)
    ).totals


def as_uppsala() -> AppTest:
    at = logged_in(app(90), UPPSALA)
    at.run()
    assert not at.exception
    assert at.title[0].value == "Förhandsbesked för Uppsala"  # the region user's start page
    return at


def as_staff(region: str) -> AppTest:
    at = app(90)
    at.run()
    at.switch_page(PAGE)
    at.query_params["pv_region"] = region
    at.run()
    assert not at.exception
    return at


def first_box(at: AppTest) -> tuple[list[tuple[str, str]], str]:
    """The first figure's metrics and its text (the bordered box keyed pv_first)."""
    container = at.main.get_by_key("pv_first")
    metrics = [(shown(m.label), m.value) for m in container.get("metric")]
    text = "\n".join(shown(m.value) for m in container.get("markdown"))
    return metrics, text


def page_text(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "info", "warning") for e in at.get(kind)]
    return "\n".join(shown(p) for p in parts)


def test_words_round_what_a_simulation_can_know() -> None:
    assert about_kr(71_412_345) == "71 miljoner\u00a0kr"
    assert about_kr(9_355_470) == "9,4 miljoner\u00a0kr"
    assert about_kr(1_020_000) == "1,0 miljon\u00a0kr"
    assert about_kr(851_234) == "850\u00a0000\u00a0kr"
    assert about_kr(0) == "0\u00a0kr"
    assert about_range(53_200_000, 101_900_000) == "mellan 53 och 102 miljoner\u00a0kr"
    assert about_range(850_000, 12_000_000) == "mellan 850\u00a0000\u00a0kr och 12 miljoner\u00a0kr"
    assert (
        about_sentence(71_000_000, 53_000_000, 102_000_000)
        == "omkring 71 miljoner\u00a0kr; i 8 fall av 10 mellan 53 och 102 miljoner\u00a0kr"
    )
    assert about_sentence(71_000_000, 71_100_000, 71_200_000) == "omkring 71 miljoner\u00a0kr"


def test_before_a_report_the_first_figure_is_the_plan_and_the_what_if_starts_at_plan(store: Store) -> None:
    at = as_uppsala()
    metrics, text = first_box(at)
    assert metrics == [("Belopp enligt er plan", f.kr(0))]
    assert "inte lämnat någon rapport" in text and "som planerat" in text
    assert not STATISTICS.search(text)
    # The what-if is a step of its own, prefilled with the plan: never plan + 3.
    assert [s.value for s in at.subheader] == ["Om ni utökar fler tjänster"]
    assert at.number_input(key="pv_filled_03").value == planned(store, "03")
    assert at.number_input(key="pv_started_03").value == 0


def test_after_a_report_the_first_figure_is_the_reports_rounded_with_the_others_uncertainty(store: Store) -> None:
    own = positions("03", planned(store, "03") + 5, planned(store, "03") + 4, received=date(2023, 10, 20))
    store.reports.record_report(CLI, "test", ROUND, own)
    store.reports.record_report(
        CLI, "test", ROUND, positions("01", planned(store, "01") + 7, 0, received=date(2023, 10, 21))
    )
    at = as_uppsala()
    metrics, text = first_box(at)
    (label, value), *_ = metrics
    assert label == "Troligt belopp enligt er rapport, omkring"
    assert re.fullmatch(r"\d+(,\d)? miljoner\u00a0kr", value)  # rounded: the others are not known
    assert "inlämnade rapport (inkom 20 oktober 2023)" in text and f"{own.value('filled')} tillsatta" in text
    assert "I 8 fall av 10 mellan" in text
    # The what-if starts where the first figure is: the same inputs give the same rounded figure.
    assert shown(at.metric[1].label) == "Troligt belopp, omkring" and at.metric[1].value == value
    assert "utfall visas inte förrän beslutet är publicerat" in text  # Stockholm's report is not Uppsala's
    assert not STATISTICS.search(text)
    assert at.number_input(key="pv_filled_03").value == own.value("filled")  # the what-if starts from the report
    assert at.number_input(key="pv_started_03").value == own.value("started")
    # Statistics only in the expander for those who want to know more.
    expander = next(e for e in at.expander if e.label == "För den som vill veta mer")
    assert "P10" in "\n".join(shown(m.value) for m in expander.markdown)


def test_staff_see_exact_kronor_when_every_other_region_has_reported(store: Store) -> None:
    for r in store.rounds.recipients(ROUND):
        more = 5 if r.code == "03" else 2
        store.reports.record_report(
            CLI, "test", ROUND, positions(r.code, planned(store, r.code) + more, received=date(2023, 10, 20))
        )
    exact = allocated(store, WhatIf(), store.reports.reports(ROUND))["03"]
    metrics, text = first_box(as_staff("03"))
    assert metrics == [("Belopp enligt er rapport", f.kr(exact))]
    assert "Alla andra regioners rapporter är kända" in text


def test_after_publication_the_first_figure_is_the_decision_and_an_unpublished_one_is_never_shown(
    store: Store,
) -> None:
    own = positions("03", planned(store, "03") + 5, 0, received=date(2023, 10, 20))
    store.reports.record_report(CLI, "test", ROUND, own)
    store.reports.record_report(
        CLI, "test", ROUND, positions("01", planned(store, "01") + 7, 0, received=date(2023, 10, 21))
    )
    later = date.today() + timedelta(days=30)
    snapshot = store.decisions.decide_round(CLI, "beslut", ROUND, "S2023/77", later, confirmed=True)
    decided = snapshot.recipient("03").total
    # Not yet published: Uppsala sees its report's figure, nothing of the decision.
    at = as_uppsala()
    metrics, text = first_box(at)
    assert metrics[0][0] == "Troligt belopp enligt er rapport, omkring"
    everything = page_text(at) + " ".join(f"{m.label} {m.value}" for m in at.metric)
    assert f.kr(decided) not in everything and "S2023/77" not in everything and "Beslutat" not in everything
    # Published (an amendment that moves the date to yesterday stands for "the day has come").
    store.decisions.decide_round(
        CLI, "beslut", ROUND, "S2023/78", date.today() - timedelta(days=1), supersedes=snapshot.number, confirmed=True
    )
    at = as_uppsala()
    metrics, text = first_box(at)
    assert metrics == [("Beslutat belopp", f.kr(decided))]
    assert "Beslutet är publicerat" in text and "S2023/78" in text
    assert "Inget är utbetalt ännu" in page_text(at)  # what of the decided amount is paid: nothing yet
    # The what-if stays, below and apart, folded: the decided amount stands alone until the region asks.
    assert at.subheader[0].value == "Om ni hade utökat fler tjänster"
    assert not [m for m in at.metric if m.label.startswith("Troligt")]
    at.toggle(key="pv_after_decision").set_value(True).run()
    assert not at.exception
    # Opened, it starts from what the decision used: Uppsala's own report, the others' reports as decided (the
    # regions that never reported without an outcome, not drawn as if they had): the decided amount, exactly.
    assert at.radio(key="pv_assumption").value == "decided"
    assert at.number_input(key="pv_filled_03").value == own.value("filled")
    assert [(m.label, m.value) for m in at.metric][1:] == [("Belopp med beslutets underlag", f.kr(decided))]
    assert "de siffror beslutet räknade med" in page_text(at)
    at.number_input(key="pv_filled_03").set_value(int(own.value("filled")) + 3).run()  # three more: more money
    more = next(m.value for m in at.metric if m.label == "Belopp med beslutets underlag")
    assert int(more.replace("\u00a0", "").removesuffix("kr")) > decided


def test_a_saved_scenario_applies_its_own_rules(store: Store) -> None:
    (block,) = store.rounds.block_round(ROUND).blocks
    steps = tuple(Step(s.min_expansion, 3_000_000 if s.min_expansion == 2 else s.amount) for s in block.params.steps)
    others = [positions("01", planned(store, "01") + 2), positions("14", planned(store, "14") + 2)]
    rules = at_what_if(store, ROUND, reports=others, steps=steps)
    store.scenarios.save_what_if(CLI, "test", "Trappsteg 3 miljoner", ROUND, rules)
    at = as_staff("09")
    own = positions("09", planned(store, "09") + 2)
    at.number_input(key="pv_filled_09").set_value(int(own.value("filled"))).run()
    at.radio(key="pv_assumption").set_value("scenario").run()
    assert not at.exception
    with_scenario = allocated(store, rules, [*others, own])
    with_instruction = allocated(store, WhatIf(), [*others, own])
    assert with_scenario["09"] != with_instruction["09"]
    figure = next(m for m in at.metric if m.label.startswith("Belopp om scenariot"))
    assert figure.value == f.kr(with_scenario["09"])


def test_a_fixed_table_block_shows_its_amount_labelled_as_estimate_even_when_paid_up_to_a_requisition(
    store: Store,
) -> None:
    """Läkare i äldreomsorgen, one fixed_table block: the region's maximum is the table's, said to be an estimate
    by population share until the official table is imported — also when the block pays up to what is requisitioned."""
    from dataclasses import replace

    from allocation.preview import Setting
    from ui.preview_first import TABLE, table_figure

    round_ = store.rounds.block_round("elderly-2023")
    block = round_.blocks[0]
    maximum = block.params.table["03"]  # type: ignore[union-attr]
    capped = replace(round_, blocks=(replace(block, params=replace(block.params, cap_key="requisitioned")),))
    for rules in (round_, capped):
        figure = table_figure(Setting.of(rules, store.rounds.recipients("elderly-2023")), "03")
        assert figure.source == TABLE
        assert figure.metrics == (("Högsta belopp (uppskattning efter befolkningsandel)", f.kr(maximum)),)
        assert "uppskattning" in figure.shows and "officiella tabellen" in figure.shows
    at = as_staff("03")
    at.session_state["omgang"] = "elderly-2023"
    at.run()
    metrics, text = first_box(at)
    assert "uppskattning" in text
    assert metrics == [("Högsta belopp (uppskattning efter befolkningsandel)", f.kr(maximum)), ("Rekvirerat", f.kr(0))]
    assert not at.subheader  # no staircase: nothing to add positions to
