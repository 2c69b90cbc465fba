"""No cell of any export is a formula; every formula-looking text survives as text (OWASP: CSV injection).

Hostile texts enter the store where they can in real use — a scenario's name and note, an actor's name,
an audit reason, a user's name and login, a requisition reference and a file name from a region's file,
usage-report, payout and decision references — and every export is checked: each table of
``EXPORTABLE_TABLES`` as XLSX and CSV, a scenario's result (also through ``python -m store export``),
the chart data, the preliminary preview workbook and the engine's CSV.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import subprocess
import sys
import zipfile
from collections.abc import Collection, Iterator
from datetime import date
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from allocation.block_engine import allocate_round
from allocation.preview import Setting, simulate
from allocation.report_values import Report
from allocation.whatif import apply
from present.block_method import method_rows
from present.cells import FORMULA_TRIGGERS, csv_cell, csv_text, is_formula_like, ooxml_text, ooxml_unescape
from present.report import REGION_FIELDS, to_csv
from store.export import export_scenario, export_table, frame_to_csv, frame_to_xlsx
from store.model import EXPORTABLE_TABLES, Actor, User
from store.service import Store
from tests.block_helpers import at_view
from tests.report_helpers import positions
from tests.scenario_helpers import at_what_if
from ui.block_compare import difference_frame
from ui.charts import comparison_chart
from ui.preview import preview_xlsx

ROOT = Path(__file__).resolve().parents[1]

HYPERLINK = '=HYPERLINK("http://x","y")'
CMD = "=cmd|' /C calc'!A0"
PLUS = "+1+1"
MINUS = "-2+3"
AT = "@SUM(A1)"
TAB = "\tx"
CR = "\rx"
DASH = "-"
ERROR = "#N/A"  # openpyxl would write this as an error cell, not as text
HOSTILE = (HYPERLINK, CMD, PLUS, MINUS, AT, TAB, CR, DASH, ERROR)

LOGIN = "+1+1@example.se"
REQUISITION_FILE = CMD + ".csv"
# Where each hostile text is expected, table by table (the audit log repeats most of them).
EXPECTED = {
    "scenarios": {HYPERLINK, PLUS, TAB, CR, ERROR},
    "users": {CMD, LOGIN},
    "requisitions": {HYPERLINK, AT, MINUS, DASH, REQUISITION_FILE},
    "usage_reports": {PLUS},
    "payouts": {AT},
    "decisions": {MINUS},
    "at_reports": {HYPERLINK},
    "audit_log": {TAB, CR, CMD, MINUS, AT, HYPERLINK, PLUS, DASH, LOGIN},
}
SWEDISH_NUMBER = re.compile(r"-?\d+(,\d+)?")
FORMULA_ELEMENT = re.compile(rb"<(\w+:)?f[ >/]")


def _requisition_file() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(["region", "received", "amount", "reference"])
    for day, reference in enumerate((HYPERLINK, AT, MINUS, DASH), start=2):
        writer.writerow(["Gotland", f"2023-05-0{day}", str(1000 * day), reference])
    return buffer.getvalue().encode("utf-8")


def fill_with_hostile_texts(store: Store) -> None:
    """Write the hostile texts through the service layer, where each can come from in real use."""
    anna = Actor("Anna Andersson")
    round_id = "at-2023"
    gotland = at_what_if(store, round_id, reports=[positions("09", 19, 18)])
    store.scenarios.save_what_if(Actor(TAB), AT, HYPERLINK, round_id, gotland, note=CR)
    others = [positions("09", 19, 18), positions("01", 400, 400)]  # Gotland loses: a negative difference
    store.scenarios.save_what_if(
        Actor(CR), MINUS, PLUS, round_id, at_what_if(store, round_id, reports=others), note=ERROR
    )
    store.users.save_user(Actor(CMD), PLUS, User(LOGIN, CMD, "handläggare"))
    store.followup.record_ombud(anna, "ombud godkänt", "09", date(2023, 3, 1))
    store.followup.import_requisitions(Actor(MINUS), DASH, "elderly-2023", _requisition_file(), REQUISITION_FILE)
    store.followup.record_usage_report(Actor(AT), HYPERLINK, "elderly-2023", "09", date(2024, 4, 2), PLUS)
    store.followup.record_payout(anna, "utbetalning", "elderly-2023", "09", date(2023, 6, 1), 1000, reference=AT)
    store.decisions.record_decision(anna, "beslut", "elderly-2023", date(2023, 4, 1), MINUS)
    reports = b"region;filled;started\nGotland;19;18\nKalmar;52;50\n"
    store.reports.import_reports(Actor(HYPERLINK), CMD, round_id, reports, HYPERLINK, date(2023, 10, 30))


@pytest.fixture
def store(store_target: Path | str) -> Iterator[Store]:
    s = Store.open(store_target)
    fill_with_hostile_texts(s)
    yield s
    s.close()


# --- what every export must satisfy ---------------------------------------------------------------


def xlsx_texts(data: bytes) -> list[str]:
    """Every text cell of every sheet (as Excel shows it), after checking that no cell is a formula."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert not FORMULA_ELEMENT.search(archive.read(name)), f"a formula element in {name}"
    workbook = load_workbook(io.BytesIO(data))
    texts = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type not in ("f", "e"), f"{sheet.title}!{cell.coordinate} is {cell.data_type}"
                if isinstance(cell.value, str):
                    assert cell.data_type == "s"
                    texts.append(ooxml_unescape(cell.value))
    return texts


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, as before
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def assert_csv_safe(rows: list[list[str]], numeric: Collection[str] = ()) -> None:
    """No field begins with a trigger, except a number in a numeric column (e.g. ``-5``)."""
    header = rows[0]
    for row in rows:
        assert len(row) == len(header), row  # a CR or a newline in a text never splits a row
        for column, field in zip(header, row, strict=True):
            if is_formula_like(field):
                assert column in numeric and SWEDISH_NUMBER.fullmatch(field), (column, field)


def numeric_columns(frame: pd.DataFrame) -> set[str]:
    return {str(c) for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])}


# --- every table, both formats ----------------------------------------------------------------------


@pytest.mark.parametrize("table", sorted(EXPORTABLE_TABLES))
def test_every_table_exports_texts_as_text_and_no_formula(store: Store, table: str) -> None:
    expected = EXPECTED.get(table, set())
    texts = set(xlsx_texts(export_table(store, table, "xlsx")))
    assert expected <= texts, expected - texts

    rows = csv_rows(export_table(store, table, "csv"))
    assert_csv_safe(rows, numeric_columns(store.audit.table(table)))
    fields = {field for row in rows for field in row}
    assert {csv_text(text) for text in expected} <= fields


def test_numbers_stay_numbers(store: Store) -> None:
    workbook = load_workbook(io.BytesIO(export_table(store, "requisitions", "xlsx")))
    sheet = workbook["requisitions"]
    header = [c.value for c in sheet[1]]
    amounts = [row[header.index("amount")] for row in sheet.iter_rows(min_row=2)]
    assert [(c.value, c.data_type) for c in amounts] == [(2000, "n"), (3000, "n"), (4000, "n"), (5000, "n")]
    references = [row[header.index("reference")].value for row in sheet.iter_rows(min_row=2)]
    assert references == [HYPERLINK, AT, MINUS, DASH]

    rows = csv_rows(export_table(store, "requisitions", "csv"))
    by_name = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert [r["amount"] for r in by_name] == ["2000", "3000", "4000", "5000"]
    assert [r["reference"] for r in by_name] == ["'" + HYPERLINK, "'" + AT, "'" + MINUS, "'" + DASH]
    assert {r["source"] for r in by_name} == {"'" + REQUISITION_FILE}


def test_a_scenario_result_names_the_scenario_as_text(store: Store) -> None:
    scenario = store.scenarios.scenario(HYPERLINK)
    assert scenario is not None and scenario.author == TAB and scenario.note == CR
    texts = xlsx_texts(export_scenario(store, scenario, "xlsx"))
    assert {HYPERLINK, CR} <= set(texts) and any(text.startswith(TAB) for text in texts)  # "Sparat av": author, time

    data = export_scenario(store, scenario, "csv")
    frame = pd.read_csv(io.BytesIO(data), sep=";", decimal=",")
    assert_csv_safe(csv_rows(data), numeric_columns(frame))
    assert frame["totalt (kr)"].iloc[-1] == frame["totalt (kr)"].iloc[:-1].sum() > 0  # numbers after the round trip


def test_the_command_line_export_is_safe_too(isolated_database: Path, tmp_path: Path) -> None:
    store = Store.open(isolated_database)
    try:
        fill_with_hostile_texts(store)
    finally:
        store.close()  # one process writes the file at a time: the command line needs it

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "store", "--db", str(isolated_database), "export", *args]
        return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)

    out = tmp_path / "scenario.xlsx"
    result = run("--scenario", HYPERLINK, "--format", "xlsx", "--out", str(out))
    assert result.returncode == 0, result.stderr
    texts = xlsx_texts(out.read_bytes())
    assert HYPERLINK in texts and any(text.startswith(TAB) for text in texts)  # "Sparat av": author, time

    out = tmp_path / "rekvisitioner.csv"
    result = run("--table", "requisitions", "--format", "csv", "--out", str(out))
    assert result.returncode == 0, result.stderr
    rows = csv_rows(out.read_bytes())
    assert_csv_safe(rows, {"id", "amount"})
    assert "'" + HYPERLINK in {field for row in rows for field in row}


# --- the frames behind the page downloads, directly ----------------------------------------------


def hostile_frame() -> pd.DataFrame:
    count = len(HOSTILE)
    return pd.DataFrame(
        {
            "text": list(HOSTILE),
            "mixed": [*HOSTILE[:-2], -7, None],  # an object column: numbers in it stay numbers
            "as_text": ["-5"] * count,  # a number written as text is text: neutralised
            "int": [-5] * count,
            "float": [-2.5] * count,
            "day": [date(2023, 5, 2)] * count,
            HYPERLINK: [1] * count,  # a header is a text cell too
        }
    )


def test_frame_to_xlsx_keeps_every_text_and_every_number() -> None:
    frame = hostile_frame()
    data = frame_to_xlsx(frame, [(text, text) for text in HOSTILE], sheet_name="Data")
    texts = xlsx_texts(data)
    assert set(HOSTILE) <= set(texts) and HYPERLINK in texts
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook["Data"]
    header = [c.value for c in sheet[1]]
    assert header == [str(c) for c in frame.columns]
    rows = list(sheet.iter_rows(min_row=2))
    assert [ooxml_unescape(row[0].value) for row in rows] == list(HOSTILE)  # as Excel reads "_x000D_"
    assert {(row[header.index("int")].value, row[header.index("int")].data_type) for row in rows} == {(-5, "n")}
    assert {row[header.index("float")].value for row in rows} == {-2.5}
    assert {row[header.index("as_text")].data_type for row in rows} == {"s"}
    assert rows[-2][header.index("mixed")].value == -7 and rows[-2][header.index("mixed")].data_type == "n"
    about = [(ooxml_unescape(a.value), ooxml_unescape(b.value)) for a, b in workbook["Om uttaget"].iter_rows(min_row=2)]
    assert about[: len(HOSTILE)] == [(text, text) for text in HOSTILE]
    assert about[-1][0] == "Skapad" and about[-1][1].endswith("svensk tid (Europe/Stockholm)")


def test_frame_to_csv_neutralises_text_and_leaves_numbers() -> None:
    frame = hostile_frame()
    rows = csv_rows(frame_to_csv(frame))
    assert_csv_safe(rows, {"int", "float", "mixed", HYPERLINK})
    assert rows[0] == ["text", "mixed", "as_text", "int", "float", "day", "'" + HYPERLINK]
    body = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert [r["text"] for r in body] == [csv_text(text) for text in HOSTILE]
    assert [r["text"] for r in body][:8] == ["'" + text for text in HOSTILE[:8]]
    assert body[-1]["text"] == ERROR  # no trigger: unchanged
    assert {r["int"] for r in body} == {"-5"} and {r["float"] for r in body} == {"-2,5"}
    assert {r["as_text"] for r in body} == {"'-5"}
    assert [r["mixed"] for r in body][-2:] == ["-7", ""]
    assert {r["day"] for r in body} == {"2023-05-02"}


def test_comparison_chart_data_names_scenarios_and_keeps_negative_differences(store: Store) -> None:
    round_ = store.rounds.block_round("at-2023")
    people = store.rounds.recipients("at-2023")
    first, second = (store.scenarios.scenario(name) for name in (HYPERLINK, PLUS))
    assert first is not None and second is not None

    def simulated(scenario):  # type: ignore[no-untyped-def]
        what_if = scenario.what_if
        return allocate_round(apply(round_, what_if), people, what_if.values, what_if.events, dict(what_if.pots))

    base, other = simulated(first), simulated(second)
    diff = difference_frame(base, other, people)
    chart = comparison_chart(diff, first.name, second.name)
    # The simulator's method sheet names the scenario (and where the table came from) as text.
    rows = method_rows(apply(round_, first.what_if), first.what_if, base, PLUS, HYPERLINK)
    assert {HYPERLINK, PLUS} <= set(xlsx_texts(frame_to_xlsx(chart.data, rows)))
    assert (chart.data["difference"] < 0).any()
    rows = csv_rows(frame_to_csv(chart.data))
    assert_csv_safe(rows, numeric_columns(chart.data))
    negatives = [
        row[rows[0].index("difference")] for row in rows[1:] if row[rows[0].index("difference")].startswith("-")
    ]
    assert negatives and all(SWEDISH_NUMBER.fullmatch(n) for n in negatives)
    assert xlsx_texts(frame_to_xlsx(chart.data, [("Bas", first.name), ("Jämförs med", second.name)]))


def test_the_preliminary_preview_workbook_keeps_texts_as_text(store: Store) -> None:
    setting = Setting.of(store.rounds.block_round("at-2023"), store.rounds.recipients("at-2023"))
    result = simulate(setting, Report("09", {"filled": Fraction(19), "started": Fraction(18)}), [], n=50, curve_n=10)
    titles = {b.id: b.title for b in setting.round_.blocks}
    texts = xlsx_texts(preview_xlsx(result, titles, HYPERLINK, [(CMD, AT), ("Antagande", CR)]))
    assert {HYPERLINK, CMD, AT, CR} <= set(texts)


def test_the_engines_csv_neutralises_region_names() -> None:
    allocation = at_view([positions("09", 19, 18)])
    # Region names come from the rule data, never from users; they are neutralised all the same. (A name
    # with a carriage return would still split its row: the engine writes "\n" line ends, and Python 3.11's
    # csv writer quotes only the line-end characters — a bare CR is not one of them.)
    hostile_names = [text for text in HOSTILE if "\r" not in text]
    names = dict(zip((r.code for r in allocation.regions), hostile_names * 3, strict=False))
    hostile = dataclasses.replace(
        allocation, regions=tuple(dataclasses.replace(r, name=names[r.code]) for r in allocation.regions)
    )
    rows = list(csv.DictReader(io.StringIO(to_csv(hostile), newline="")))
    assert [r["region"] for r in rows] == [csv_text(names[r.code]) for r in allocation.regions]
    assert all(not is_formula_like(value) for row in rows for value in row.values())
    assert [int(r["total"]) for r in rows] == [r.total for r in allocation.regions]
    assert list(rows[0]) == list(REGION_FIELDS)


# --- the neutraliser itself, and the property for any text ----------------------------------------


def test_csv_cell_changes_only_text() -> None:
    assert csv_cell(-5) == -5 and csv_cell(-2.5) == -2.5 and csv_cell(None) is None and csv_cell(True) is True
    assert csv_cell(date(2023, 1, 1)) == date(2023, 1, 1)
    assert csv_cell("-5") == "'-5" and csv_cell("Gotland") == "Gotland" and csv_cell("") == ""
    assert [csv_cell(t) for t in (PLUS, TAB, CR)] == ["'+1+1", "'\tx", "'\rx"]
    assert ooxml_text("_x0041_") == "_x005F_x0041_" and ooxml_unescape(ooxml_text("_x0041_")) == "_x0041_"
    assert ooxml_text("a\x01\rb") == "a_x0001__x000D_b"


any_text = st.tuples(st.sampled_from(["", *FORMULA_TRIGGERS, "_x0041_", " "]), st.text(max_size=60)).map("".join)


@settings(deadline=None, max_examples=150)
@given(text=any_text)
def test_any_text_reads_back_from_xlsx_as_the_same_text(text: str) -> None:
    frame = pd.DataFrame([[text, -5]], columns=[text, "tal"])
    data = frame_to_xlsx(frame, [(text, text)])
    xlsx_texts(data)  # no formula anywhere
    workbook = load_workbook(io.BytesIO(data))
    cells = [workbook["Data"]["A1"], workbook["Data"]["A2"], *workbook["Om uttaget"]["A2:B2"][0]]
    for cell in cells:
        if text == "":
            assert cell.value is None
        else:
            assert cell.data_type == "s" and ooxml_unescape(cell.value) == text
    assert (workbook["Data"]["B2"].value, workbook["Data"]["B2"].data_type) == (-5, "n")


@settings(deadline=None, max_examples=150)
@given(text=any_text)
def test_any_text_in_csv_never_begins_with_a_trigger(text: str) -> None:
    rows = csv_rows(frame_to_csv(pd.DataFrame([[text, -5]], columns=[text, "tal"])))
    assert rows == [[csv_text(text), "tal"], [csv_text(text), "-5"]]
    assert not is_formula_like(rows[1][0]) and not is_formula_like(rows[0][0])
    assert rows[1][0] == text or rows[1][0] == "'" + text
