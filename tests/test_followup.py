"""Läkare i äldreomsorgen and deadline status: pure code, the calendar, and the three new pages (AppTest)."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

from icalendar import Calendar
from streamlit.testing.v1 import AppTest

from allocation.deadlines import Status
from allocation.fixed import Requisition, estimate_amounts, followup
from allocation.milestones import needs_attention, round_milestones, status_cells
from ingest.data_folder import load_fixed_round, load_regions
from present.calendar import deadlines_ics
from store.model import Actor
from tests.markdown_text import shown
from tests.report_helpers import positions
from ui.state import get_store

ROOT = Path(__file__).resolve().parents[1]
REGIONS = load_regions()
ROUNDS = [
    round_milestones(tomllib.loads((ROOT / f"data/rounds/{r}.toml").read_text())) for r in ("at-2023", "elderly-2023")
]
ANNA = Actor("Anna Andersson")


def test_the_estimate_is_population_shares_summing_to_the_total() -> None:
    fixed = load_fixed_round("elderly-2023")
    amounts = estimate_amounts(REGIONS, fixed.total)
    assert sum(amounts.values()) == 298_500_000
    population = sum(r.population for r in REGIONS)
    for region in REGIONS:
        assert abs(amounts[region.code] - 298_500_000 * region.population / population) < 1


def test_followup_counts_only_what_happened_by_the_date() -> None:
    maximum = {"09": 1_000_000}
    requisitions = [Requisition("09", date(2023, 5, 2), 600_000), Requisition("09", date(2023, 11, 5), 100_000)]
    rows = {
        r.code: r
        for r in followup(
            REGIONS, maximum, requisitions, [("09", date(2023, 6, 1), 600_000)], date(2023, 10, 31), date(2023, 10, 31)
        )
    }
    assert (rows["09"].requisitioned, rows["09"].paid, rows["09"].not_requisitioned) == (600_000, 600_000, 400_000)
    assert rows["09"].payable  # the deadline day itself
    after = {r.code: r for r in followup(REGIONS, maximum, requisitions, [], date(2023, 11, 1), date(2023, 10, 31))}
    assert not after["09"].payable


def test_status_cells_cover_every_region_milestone() -> None:
    events = {"at_report": {"09": date(2023, 10, 30)}, "requisition": {"09": date(2023, 11, 2)}}
    cells = status_cells(ROUNDS, REGIONS, events, date(2023, 11, 2))
    assert len(cells) == 3 * 21  # report, requisition, usage report
    by = {(c.milestone_id, c.code): c.result for c in cells}
    assert by[("report", "09")].status == Status.DONE_ON_TIME
    assert by[("report", "01")].status == Status.OVERDUE
    assert by[("requisition", "09")].status == Status.DONE_LATE
    assert by[("usage_report", "09")].status == Status.NOT_YET_OPEN
    urgent = needs_attention(cells)
    assert urgent[0].result.status == Status.OVERDUE
    assert all(c.milestone_id != "usage_report" for c in urgent)  # months left


def test_years_later_both_rounds_are_closed_with_final_statuses() -> None:
    """In 2026 the 2023 rounds are over: what was done keeps its status, the rest is "Aldrig", nothing urgent."""
    events = {"at_report": {"09": date(2023, 10, 30)}, "requisition": {"09": date(2023, 11, 2)}}
    assert [r.closed(date(2026, 11, 23)) for r in ROUNDS] == [True, True]
    assert [r.closed(r.ends_on) for r in ROUNDS] == [False, False]  # the last day itself is still open
    cells = status_cells(ROUNDS, REGIONS, events, date(2026, 11, 23))
    by = {(c.milestone_id, c.code): c.result for c in cells}
    assert by[("report", "09")].status == Status.DONE_ON_TIME
    assert by[("requisition", "09")].status == Status.DONE_LATE
    assert by[("report", "01")].text_sv == "Aldrig (sista dag 2023-11-01)"
    assert by[("usage_report", "01")].text_sv == "Aldrig (sista dag 2024-04-30)"
    assert Status.OVERDUE not in {c.result.status for c in cells}
    assert needs_attention(cells) == []
    # Between the two ends: the AT round is closed, the elderly-care round is not.
    mid = {(c.milestone_id, c.code): c.result.status for c in status_cells(ROUNDS, REGIONS, {}, date(2024, 3, 1))}
    assert mid[("report", "01")] is Status.MISSED and mid[("requisition", "01")] is Status.OVERDUE


def test_the_calendar_parses_and_has_every_dated_milestone() -> None:
    gotland = next(r for r in REGIONS if r.code == "09")
    cells = status_cells(ROUNDS, REGIONS, {}, date(2023, 10, 20))
    calendar = Calendar.from_ical(deadlines_ics(ROUNDS, gotland, cells))
    events = calendar.walk("VEVENT")
    assert len(events) == 7
    report = next(e for e in events if "Inrapportering" in str(e["summary"]))
    assert report.decoded("dtstart") == date(2023, 11, 1)
    assert "Gotland" in str(report["summary"]) and "Öppen (12 dagar kvar)" in str(report["description"])


def _app(page: str, as_of: date | None = None, round_id: str | None = None) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=60)
    if as_of:
        at.session_state["as_of"] = as_of
    if round_id:
        at.session_state["omgang"] = round_id  # the sidebar's round picker
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception
    return at


def test_overview_figures_match_the_store(isolated_database: Path) -> None:
    store = get_store(str(isolated_database))
    store.followup.record_ombud(ANNA, "ombud", "09", date(2023, 2, 1))
    store.followup.record_requisition(
        ANNA, "e-tjänsten", "elderly-2023", Requisition("09", date(2023, 5, 2), 1_000_000)
    )
    store.followup.record_payout(ANNA, "utbetalning", "elderly-2023", "09", date(2023, 5, 20), 1_000_000)
    at = _app("", date(2023, 10, 25))
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Rekvirerat"] == "1,0\u00a0mnkr" and metrics["Utbetalt"] == "1,0\u00a0mnkr"
    assert metrics["Att rekvirera"] == "298,5\u00a0mnkr"
    assert metrics["Rapporter inkomna"] == "0 av 21"
    assert metrics["Öppen"] == str(21 + 20)  # AT report for all; requisition for all but Gotland


def test_deadline_page_shows_the_statuses_of_the_chosen_date(isolated_database: Path) -> None:
    at = _app("pages/deadlines/status.py", date(2023, 11, 2))
    html = next(h.proto.body for h in at.get("html") if "matris" in h.proto.body)
    assert html.count(">Försenad (1 dag)<") == 21  # the AT report, due 2023-11-01
    assert html.count(">Försenad (2 dagar)<") == 21  # the requisition, due 2023-10-31
    assert html.count(">Inte öppnad än (öppnar 2024-02-01)<") == 21  # the usage report
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Försenad"] == "42"
    assert not [i for i in at.info if "Avslutad" in i.value]  # neither round is over yet


def test_deadline_page_years_later_says_the_rounds_are_closed(isolated_database: Path) -> None:
    at = _app("pages/deadlines/status.py", date(2026, 11, 23))
    html = next(h.proto.body for h in at.get("html") if "matris" in h.proto.body)
    assert "Försenad" not in html and html.count(">Aldrig (sista dag 2023-11-01)<") == 21
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Försenad"], metrics["Aldrig"]) == ("0", "63")
    notice = shown(next(i.value for i in at.info if "Avslutad" in i.value))
    assert "sista tidsfrist 2023-12-31" in notice and "sista tidsfrist 2024-04-30" in notice


def test_elderly_page_records_a_requisition_and_refuses_one_above_the_maximum(isolated_database: Path) -> None:
    store = get_store(str(isolated_database))
    store.followup.record_ombud(ANNA, "ombud", "09", date(2023, 2, 1))
    at = _app("pages/elderly/followup.py", date(2023, 6, 1), "elderly-2023")
    assert any("inte officiella" in w.value for w in at.warning)
    at.session_state["aldre_flik"] = "Registrera händelser"
    at.session_state["actor_name"] = "Anna Andersson"
    at.run()
    at.selectbox(key="fu_region_requisition").set_value("09")
    at.text_input(key="fu_amount_requisition").set_value("99 000 000")
    at.text_input(key="fu_reason_requisition").set_value("e-tjänsten")
    at.get("form_submit_button")[0].click().run()
    assert any("överstiger regionens högsta belopp" in e.value for e in at.error)
    at.text_input(key="fu_amount_requisition").set_value("5OO OOO")  # letters O, not zeros
    at.get("form_submit_button")[0].click().run()
    assert any("Belopp (kr)" in shown(e.value) and "inte ett tal" in shown(e.value) for e in at.error)
    at.text_input(key="fu_amount_requisition").set_value("500 000 kr")
    at.get("form_submit_button")[0].click().run()
    assert any("Rekvisition från Gotland registrerad" in s.value for s in at.success)
    assert [r.amount for r in store.followup.requisitions("elderly-2023")] == [500_000]


def test_the_overview_says_which_rounds_are_closed(isolated_database: Path) -> None:
    later = _app("", date(2026, 11, 23))
    notice = shown(next(i.value for i in later.info if "Avslutad" in i.value))
    assert "sista tidsfrist 2023-12-31" in notice and "sista tidsfrist 2024-04-30" in notice
    metrics = {m.label: m.value for m in later.metric}
    assert (metrics["Försenad"], metrics["Aldrig"]) == ("0", "63")
    assert any("Inga tidsfrister är försenade eller nära" in s.value for s in later.success)
    during = _app("", date(2023, 11, 2))
    assert not [i for i in during.info if "Avslutad" in i.value]


def test_a_report_received_shows_a_swedish_date_and_a_time_only_when_there_is_one(isolated_database: Path) -> None:
    from datetime import datetime

    from ui.followup import when_sv

    assert when_sv(datetime(2023, 11, 25)) == "2023-11-25"  # recorded by day: no time of day
    assert when_sv(datetime(2023, 11, 25, 14, 5)) == "2023-11-25 14:05"
    assert when_sv(date(2023, 11, 25)) == "2023-11-25" and when_sv(None) == "–"
    store = get_store(str(isolated_database))
    store.reports.record_report(ANNA, "e-tjänsten", "at-2023", positions("03", 40, 40, received=date(2023, 11, 25)))
    at = _app("pages/elderly/followup.py", date(2023, 12, 1), "at-2023")
    (table,) = [h.proto.body for h in at.html if "Rapport mottagen" in h.proto.body]
    assert "<td>2023-11-25</td>" in table.replace(' class=""', "") and "T00:00" not in table
