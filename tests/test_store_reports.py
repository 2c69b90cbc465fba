"""Reports for every round, on both engines: imported with Swedish column names into a round of blocks, recorded
and corrected one at a time (a changed date is a change), audited, and what the decision computes from."""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from block_helpers import ROUNDS_DIR

from allocation.block_engine import allocate_round
from allocation.problems import InputError
from allocation.report_values import Report
from present.problems import lines_en, problem_sv
from store.model import Actor, WriteRefused
from store.service import Store

ANNA = Actor("Anna Andersson")
AT_2024 = "at-2024-illustrative"
AT_2022 = "at-2022-illustrative"
# Swedish headers, a semicolon, a län code column beside the name, each row its own date received.
SWEDISH = (
    "Länskod;Region;Tillsatta;Påbörjade;Avräknade;Mottagen\n"
    "01;Stockholm;330;325;0;2024-10-28\n"
    "03;Uppsala;90;88;2;2024-10-30\n"
    "09;Gotland;14;12;;2024-11-05\n"  # after 2024-11-01: too late for block 1
).encode()


@pytest.fixture
def store(store_target: Path | str) -> Store:
    s = Store.open(store_target)
    for name in (AT_2024, AT_2022):
        s.rounds.save_round(ANNA, "testomgång", (ROUNDS_DIR / f"{name}.toml").read_text(encoding="utf-8"))
    yield s
    s.close()


def test_which_values_each_round_reports_comes_from_its_rules(store: Store) -> None:
    assert store.reports.report_spec(AT_2024).values == ("filled", "started", "excluded")
    assert store.reports.report_spec(AT_2024).deadlines == (("at_report", date(2024, 11, 1)),)
    assert store.reports.report_spec(AT_2022).values == (
        "expansion",
        "positions",
    )  # no planning document: given as data
    assert store.reports.report_spec("at-2023").values == ("filled", "started", "excluded")
    assert not store.reports.report_spec("elderly-2023").accepts_reports
    assert store.reports.report_round_ids() == sorted([AT_2022, AT_2024, "at-2023"])


def test_a_swedish_file_is_imported_into_a_round_of_blocks_and_the_decision_uses_it(store: Store) -> None:
    before = store.decisions.decision_check(AT_2024)
    assert before.totals and not any(before.totals[c] for c in ("01", "03"))  # nothing reported: no step, no share
    entries = store.audit.audit_count()
    result = store.reports.import_reports(ANNA, "inrapportering", AT_2024, SWEDISH, "rapporter.csv")
    assert (result.rows, result.changed, result.unchanged) == (3, 3, 0)
    assert store.audit.audit_count() == entries + 3
    reports = {r.code: r for r in store.reports.reports(AT_2024)}
    assert reports["03"] == Report("03", {"filled": 90, "started": 88, "excluded": 2}, date(2024, 10, 30))
    assert reports["09"].values["excluded"] == 0 and reports["09"].received == date(2024, 11, 5)
    assert store.reports.report_dates(AT_2024) == {
        "01": date(2024, 10, 28),
        "03": date(2024, 10, 30),
        "09": date(2024, 11, 5),
    }
    # The decision computes from the reports: the engine on the same values and dates, to the krona.
    round_, recipients = store.rounds.block_round(AT_2024), store.rounds.recipients(AT_2024)
    events = {"at_report": store.reports.report_dates(AT_2024)}
    expected = allocate_round(round_, recipients, store.reports.report_values(AT_2024), events)
    after = store.decisions.decision_check(AT_2024)
    assert after.totals == dict(expected.totals)
    assert after.totals["01"] > 0 and after.totals["03"] > 0  # no longer 0: the reports count
    reporting = next(b for b in expected.blocks if b.block_id == "reporting")
    assert reporting.amounts["01"] > 0 and reporting.amounts.get("09", 0) == 0  # Gotland reported too late


def test_a_wrong_date_is_corrected_in_the_form_and_by_a_new_import(store: Store) -> None:
    store.reports.import_reports(ANNA, "inrapportering", AT_2024, SWEDISH, "rapporter.csv")
    gotland = next(r for r in store.reports.reports(AT_2024) if r.code == "09")
    assert store.reports.record_report(ANNA, "rättat datum", AT_2024, Report("09", gotland.values, date(2024, 10, 31)))
    entry = store.audit.audit(limit=1).iloc[0]
    assert (entry["action"], entry["entity_key"], entry["reason"]) == ("update", f"{AT_2024}/09", "rättat datum")
    assert json.loads(entry["before"])["received"] == "2024-11-05"
    assert json.loads(entry["after"])["received"] == "2024-10-31"
    # The same report again changes nothing; the file's old date is a change back, shown in the preview.
    assert not store.reports.record_report(ANNA, "igen", AT_2024, Report("09", gotland.values, date(2024, 10, 31)))
    preview = store.reports.import_reports(ANNA, "x", AT_2024, SWEDISH, "rapporter.csv", dry_run=True)
    change = (("received", date(2024, 10, 31), date(2024, 11, 5)),)
    assert (preview.changed, preview.unchanged, preview.changes) == (1, 2, (("09", change),))
    # A file without dates takes the date given for it: the same figures on another day are a change.
    undated = b"region,filled,started\nStockholm,330,325\n"
    result = store.reports.import_reports(ANNA, "nytt datum", AT_2024, undated, "u.csv", received=date(2024, 10, 29))
    assert result.changed == 1 and store.reports.report_dates(AT_2024)["01"] == date(2024, 10, 29)


def test_a_date_is_never_today_by_default_nor_in_the_future(store: Store) -> None:
    undated = b"region,filled,started\nStockholm,330,325\n"
    with pytest.raises(InputError) as info:
        store.reports.import_reports(ANNA, "x", AT_2024, undated, "u.csv")
    assert [p.code for p in info.value.problems] == ["missing_date"]
    assert "Mottagen" in problem_sv(info.value.problems[0])
    tomorrow = store.clock().date().replace(year=store.clock().year + 1)
    with pytest.raises(InputError) as raised:
        store.reports.import_reports(ANNA, "x", AT_2024, undated, "u.csv", received=tomorrow)
    assert "after today" in "\n".join(lines_en(raised.value))
    values = {"filled": Fraction(1), "started": Fraction(1), "excluded": Fraction(0)}
    with pytest.raises(WriteRefused):
        store.reports.record_report(ANNA, "x", AT_2024, Report("01", values, tomorrow))
    with pytest.raises(WriteRefused):
        store.reports.record_report(ANNA, "x", AT_2024, Report("01", values, None))
    assert store.reports.reports(AT_2024) == []


def test_a_round_that_reports_other_values_keeps_them_exactly(store: Store) -> None:
    data = "Region;AT-tjänster;Utökning;Datum mottagen\nSkåne;250;12,5;2022-09-30\nUppsala;80;0;2022-09-29\n"
    store.reports.import_reports(ANNA, "inrapportering", AT_2022, data.encode(), "r.csv")
    skane = next(r for r in store.reports.reports(AT_2022) if r.code == "12")
    assert skane.values == {"positions": 250, "expansion": Fraction(25, 2)}
    assert store.reports.reports(AT_2022)[0].value("filled") == 0  # not reported: nothing is made up in their place
    assert store.reports.report_values(AT_2022)["expansion"] == {"03": 0, "12": Fraction(25, 2)}
    frame = store.reports.reports_frame(AT_2022)
    assert list(frame.columns[:4]) == ["code", "region", "expansion", "positions"]
    assert store.decisions.decision_check(AT_2022).totals["12"] > 0


def test_a_bad_file_writes_nothing_and_names_row_and_column_as_written(store: Store) -> None:
    entries = store.audit.audit_count()
    bad = "Region;Tillsatta;Påbörjade;Mottagen\nStockholm;3;2;2024-10-01\nAtlantis;1;1;2024-10-01\nSkåne;-1;2;1 okt\n"
    with pytest.raises(InputError) as info:
        store.reports.import_reports(ANNA, "x", AT_2024, bad.encode(), "fel.csv")
    assert [problem_sv(p) for p in info.value.problems] == [
        'rad 3, kolumn Region: okänd region "Atlantis"',
        'rad 4, kolumn Tillsatta: "-1" är negativt',
        'rad 4, kolumn Mottagen: "1 okt" är inget datum (skriv ÅÅÅÅ-MM-DD)',
    ]
    assert store.audit.audit_count() == entries and store.reports.reports(AT_2024) == []


def test_a_round_without_reported_values_refuses_reports_by_its_title(store: Store) -> None:
    with pytest.raises(WriteRefused) as info:
        store.reports.import_reports(ANNA, "x", "elderly-2023", SWEDISH, "r.csv")
    assert "tar inte emot rapporter" in info.value.message_sv and "elderly-2023" not in info.value.message_sv
    assert "AT 2024 (illustrativ)" in info.value.message_sv


def test_the_decision_check_lists_missing_and_late_reports_by_name_and_day(store: Store) -> None:
    assert store.reports.report_check("elderly-2023") == []  # its rules use no report
    store.reports.import_reports(ANNA, "inrapportering", AT_2024, SWEDISH, "rapporter.csv")
    texts = [i.text for i in store.decisions.decision_check(AT_2024).warnings]
    assert any(t.startswith("Rapport saknas från 18 av 21 regioner") for t in texts)
    late = next(t for t in texts if t.startswith("Rapport efter"))
    assert late == (
        "Rapport efter 1 november 2024 från 1 region (Gotland 5 november 2024); "
        "den räknas inte för Block 1: medel för inrapportering."
    )
    gotland = next(r for r in store.reports.reports(AT_2024) if r.code == "09")
    store.reports.record_report(ANNA, "rättat datum", AT_2024, Report("09", gotland.values, date(2024, 11, 1)))
    assert not any(
        t.startswith("Rapport efter") for t in (i.text for i in store.decisions.decision_check(AT_2024).items)
    )
