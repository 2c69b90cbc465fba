"""Hostile and oversized files (issue 12): read whole, refused fast with row, column and limit, nothing written."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allocation.planned import MAX_PLANNED, ParseError, parse_count, parse_planned
from allocation.problems import InputError
from allocation.regions import RegionIndex
from ingest import spreadsheet
from ingest.data_folder import load_regions
from ingest.inputs import read_file, read_reports, read_requisitions
from ingest.official import read_official_amounts
from present.problems import lines_en, lines_sv, problem_en, problem_sv
from store.model import EXPORTABLE_TABLES, Actor
from store.service import Store
from tests import hostile_files as h

ROOT = Path(__file__).resolve().parents[1]
INDEX = RegionIndex(load_regions())
RECEIVED = date(2023, 10, 30)  # the day the reports arrived: always explicit
ANNA = Actor("Anna Andersson")


def refusal(data: bytes) -> InputError:
    with pytest.raises(InputError) as info:
        spreadsheet.read_table(data)
    return info.value


def codes(error: InputError) -> list[tuple[str, int, str]]:
    return [(p.code, p.row, p.column) for p in error.problems]


def run(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def import_reports(db: Path, path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    common = ("--round", "at-2023", "--actor", "Anna", "--reason", "test", "--received", "2023-10-30")
    return run("store", "--db", str(db), "import-reports", str(path), *common, *extra)


def counts(store: Store) -> dict[str, int]:
    return {t: int(store.query(f"SELECT count(*) FROM {t}")[0][0]) for t in EXPORTABLE_TABLES}


@pytest.fixture
def store(store_target: Path | str) -> Store:
    s = Store.open(store_target)
    yield s
    s.close()


# --- 1. a stale <dimension> never cuts the sheet ---------------------------------------------------


@pytest.mark.parametrize("ref", ["A1:E2", "A1:B9", "A1", "A1:A1"])
def test_a_stale_dimension_is_ignored_rows_and_columns(ref: str) -> None:
    whole = h.xlsx(h.report_rows())
    stale = h.stale_dimension(whole, ref)
    assert f'<dimension ref="{ref}"'.encode() in zipfile.ZipFile(io.BytesIO(stale)).read(h.SHEET)
    assert spreadsheet.read_table(stale) == spreadsheet.read_table(whole)
    assert len(spreadsheet.read_table(stale)) == 10 and len(spreadsheet.read_table(stale)[9]) == 5
    assert read_reports(stale, INDEX) == read_reports(whole, INDEX)


def test_a_stale_dimension_as_openpyxl_alone_would_read_it_is_short() -> None:
    """The failure this guards against: openpyxl's read-only mode trusts the stored dimension."""
    from openpyxl import load_workbook

    stale = h.stale_dimension(h.xlsx(h.report_rows()), "A1:E2")
    sheet = load_workbook(io.BytesIO(stale), read_only=True).worksheets[0]
    assert len(list(sheet.iter_rows(values_only=True))) == 2  # what the old reader returned


def test_every_xlsx_reader_reads_the_whole_sheet_whatever_the_dimension() -> None:
    regions = load_regions()
    requisitions = [["region", "received", "amount"]] + [[r.name, "2023-06-01", 1000] for r in regions[:5]]
    stale = h.stale_dimension(h.xlsx(requisitions), "A1:C2")
    assert len(read_requisitions(stale, INDEX)) == 5

    amounts = [1000] * len(regions)
    official = [["region", "amount"]] + [[r.name, a] for r, a in zip(regions, amounts, strict=True)]
    stale = h.stale_dimension(h.xlsx(official), "A1:B2")
    assert len(read_official_amounts(stale, INDEX, sum(amounts))) == len(regions)


def test_the_cli_allocates_a_stale_dimension_file_as_the_whole_file(tmp_path: Path) -> None:
    whole = tmp_path / "whole.xlsx"
    whole.write_bytes(h.xlsx(h.report_rows()))
    stale = tmp_path / "stale.xlsx"
    stale.write_bytes(h.stale_dimension(whole.read_bytes(), "A1:E2"))
    a = run("cli", "allocate", "--round", "at-2023", "--outcomes", str(whole), "--format", "json")
    b = run("cli", "allocate", "--round", "at-2023", "--outcomes", str(stale), "--format", "json")
    assert a.returncode == b.returncode == 0, b.stderr
    assert a.stdout == b.stdout


def test_the_store_imports_every_row_of_a_stale_dimension_file(store: Store) -> None:
    stale = h.stale_dimension(h.xlsx(h.report_rows()), "A1:E2")
    result = store.reports.import_reports(ANNA, "test", "at-2023", stale, "stale.xlsx", RECEIVED)
    assert (result.rows, result.changed) == (9, 9)
    assert len(store.reports.reports("at-2023")) == 9


# --- 2. limits: refused before parsing, naming the limit -------------------------------------------


def test_a_file_over_the_byte_limit_is_refused_before_it_is_read() -> None:
    error = refusal(h.giant_csv(spreadsheet.MAX_BYTES + 1))
    assert codes(error) == [("file_too_large", 0, "")]
    assert "at most 2 MB" in problem_en(error.problems[0]) and "högst 2 MB" in problem_sv(error.problems[0])


def test_read_file_never_reads_more_than_the_limit(tmp_path: Path) -> None:
    giant = tmp_path / "giant.csv"
    with open(giant, "wb") as fh:  # sparse: 50 MB on paper, nothing on disk
        fh.truncate(50 * 1024 * 1024)
    with pytest.raises(InputError) as raised:
        read_file(giant)
    assert "at most 2 MB" in "\n".join(lines_en(raised.value))
    with pytest.raises(InputError) as raised:
        read_file(Path("/dev/zero"))  # no size to stat: reading stops one byte past the limit
    assert "at most 2 MB" in "\n".join(lines_en(raised.value))
    with pytest.raises(InputError) as raised:
        read_file(tmp_path)
    assert "folder" in "\n".join(lines_en(raised.value))


@pytest.mark.parametrize("bomb", [h.zip_bomb, h.sheet_bomb, h.lying_zip_bomb], ids=["media", "sheet", "lying"])
def test_a_zip_bomb_is_refused_without_inflating_it(bomb) -> None:  # type: ignore[no-untyped-def]
    data = bomb(200 * 1024 * 1024)
    assert len(data) < spreadsheet.MAX_BYTES  # it passes the byte limit: only its inflated size gives it away
    error = refusal(data)
    assert error.problems[0].code in {"zip_too_large", "unreadable_file"}
    if bomb is not h.lying_zip_bomb:
        assert "more than 10 MB" in problem_en(error.problems[0])


@pytest.mark.parametrize(
    ("member", "element"),
    [
        (h.SHEET, "<row/>"),  # empty rows: no cells to count, yet each costs openpyxl
        (h.SHEET, "<c/>"),
        ("xl/styles.xml", "<xf/>"),
        ("xl/sharedStrings.xml", "<si/>"),
        ("xl/workbook.xml", "<definedName/>"),
        ("docProps/app.xml", "<x/>"),
    ],
)
def test_an_xml_part_with_too_many_tags_is_refused_before_openpyxl_parses_it(member: str, element: str) -> None:
    limit = spreadsheet._tag_limit(member)
    data = h.bloated_part(member, element, limit + 1)
    assert len(data) < 200_000  # small on disk: only the tag count gives it away
    error = refusal(data)
    assert codes(error) == [("xml_too_many_tags", 0, "")]
    assert member in problem_en(error.problems[0]) and f"{limit:,}".replace(",", " ") in problem_en(error.problems[0])
    assert "XML-taggar" in problem_sv(error.problems[0])


def test_the_largest_real_file_passes_every_limit() -> None:
    """2 000 rows of five columns, texts as inline strings (the most tags a cell takes): read, not refused."""
    rows = [["region", "filled", "started", "excluded", "planned"]] + [
        [f"Region nummer {i}", i, i, 0, f"{i}-{i + 2}"] for i in range(spreadsheet.MAX_ROWS - 1)
    ]
    assert len(spreadsheet.read_table(h.xlsx(rows))) == spreadsheet.MAX_ROWS
    csv_text = "\n".join(";".join(str(c) for c in row) for row in rows) + "\n"
    assert len(spreadsheet.read_table(csv_text.encode())) == spreadsheet.MAX_ROWS


def test_a_part_just_under_its_tag_limit_is_read() -> None:
    plain_rows = spreadsheet.read_table(h.xlsx(h.report_rows()))
    data = h.bloated_part("xl/styles.xml", "<x/>", 5_000)
    assert spreadsheet.read_table(data) == plain_rows


def test_a_float_from_a_formula_reads_as_excel_shows_it() -> None:
    assert spreadsheet.cell_text(0.1 + 0.2) == "0.3"
    assert spreadsheet.cell_text(12.499999999999998) == "12.5"
    assert spreadsheet.cell_text(19.0) == "19" and spreadsheet.cell_text(2.5) == "2.5"


def test_too_many_rows_stops_reading_at_the_first_row_over_the_limit() -> None:
    error = refusal(h.many_rows_xlsx(spreadsheet.MAX_ROWS + 100))
    assert codes(error) == [("too_many_rows", spreadsheet.MAX_ROWS + 1, "")]
    assert "more than 2 000 rows" in problem_en(error.problems[0])
    csv_rows = "region;filled;started\n" + "Gotland;1;1\n" * spreadsheet.MAX_ROWS
    assert codes(refusal(csv_rows.encode()))[0] == ("too_many_rows", spreadsheet.MAX_ROWS + 1, "")


def test_the_cells_read_are_counted_empty_ones_too() -> None:
    """Parsing costs per cell: a sheet of styled empty cells is stopped as soon as it passes the limit."""
    row = "".join(f'<c r="{spreadsheet.column_letter(c)}{{n}}" s="0"/>' for c in range(1, 21))
    rows = "".join(f'<row r="{n}">{row.format(n=n)}</row>' for n in range(3, 1_100))
    base = h.xlsx(h.report_rows(1))
    data = h.rewrite_member(base, h.SHEET, lambda xml: xml.replace(b"</sheetData>", rows.encode() + b"</sheetData>"))
    error = refusal(data)
    assert codes(error)[0][0] == "too_many_cells_in_file"
    assert "more than 12 000 cells" in problem_en(error.problems[0])


def test_a_row_claiming_a_huge_number_is_refused_at_once() -> None:
    error = refusal(h.far_row_xlsx(10**12))
    assert codes(error) == [("beyond_last_row", 10**12, "")]
    assert "below row 100 000" in problem_en(error.problems[0])


def test_blank_rows_count_in_the_row_numbers_but_are_not_kept() -> None:
    rows = spreadsheet.read_table(b"region;filled;started\n\n\n;;\nGotland;1;x\n" + b"\n" * 100_000)
    assert rows == [["region", "filled", "started"], [], [], [], ["Gotland", "1", "x"]]
    with pytest.raises(InputError) as info:
        read_reports(b"region;filled;started\n\n\nGotland;1;x\n", INDEX)
    assert codes(info.value) == [("not_a_number", 4, "started")]


def test_a_value_far_to_the_right_is_refused_naming_the_column() -> None:
    error = refusal(h.far_column_xlsx("XFD"))
    assert codes(error) == [("too_many_columns", 2, "XFD")]
    assert "beyond column AD (30)" in problem_en(error.problems[0])
    wide = ("region;filled;started" + ";x" * 40 + "\n").encode()
    assert codes(refusal(wide))[0][0] == "too_many_columns"


def test_a_giant_cell_is_refused_naming_its_column() -> None:
    data = ("region;filled;started\nGotland;1;" + "9" * 5000 + "\n").encode()
    error = refusal(data)
    assert codes(error) == [("cell_too_long", 2, "started")]
    assert "5 000 characters" in problem_en(error.problems[0]) and "1 000" in problem_en(error.problems[0])


def test_at_most_fifty_problems_are_listed_then_counted() -> None:
    data = ("region;filled;started\n" + "Atlantis;1;1\n" * 200).encode()
    with pytest.raises(InputError) as info:
        read_reports(data, INDEX)
    lines = lines_en(info.value)
    assert len(info.value.problems) == 200 and len(lines) == 51
    assert lines[-1] == "… and 150 more problems" and lines_sv(info.value)[-1] == "… och 150 fel till"


def test_the_upload_limit_of_the_dashboard_matches_the_readers_limit() -> None:
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == spreadsheet.MAX_BYTES


# --- the command lines: exit 2, the limit named, no traceback, nothing written ---------------------


@pytest.mark.parametrize(
    ("name", "build", "expected"),
    [
        ("giant.csv", lambda: h.giant_csv(3 * 1024 * 1024), "at most 2 MB"),
        ("bomb.xlsx", lambda: h.zip_bomb(100 * 1024 * 1024), "more than 10 MB"),
        ("rows.xlsx", lambda: h.many_rows_xlsx(spreadsheet.MAX_ROWS + 1), "more than 2 000 rows"),
        ("far.xlsx", lambda: h.far_row_xlsx(10**12), "below row 100 000"),
    ],
)
def test_both_command_lines_refuse_hostile_files(
    isolated_database: Path,
    tmp_path: Path,
    name: str,
    build,
    expected: str,  # type: ignore[no-untyped-def]
) -> None:
    path = tmp_path / name
    path.write_bytes(build())
    engine = run("cli", "allocate", "--round", "at-2023", "--outcomes", str(path))
    assert engine.returncode == 2 and expected in engine.stderr and str(path) in engine.stderr
    assert engine.stdout == "" and "Traceback" not in engine.stderr

    store = Store.open(isolated_database)
    before = counts(store)
    store.close()
    imported = import_reports(isolated_database, path)
    assert imported.returncode == 2 and expected in imported.stderr and "Traceback" not in imported.stderr
    store = Store.open(isolated_database)
    assert counts(store) == before
    store.close()


def test_the_store_cli_lists_at_most_fifty_problems(isolated_database: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("region;filled;started\n" + "Atlantis;1;1\n" * 300, encoding="utf-8")
    result = import_reports(isolated_database, path, "--dry-run")
    # The problems, then the alias's note on where the command now lives (python -m cli).
    lines = [line for line in result.stderr.strip().splitlines() if "python -m cli" not in line]
    assert result.returncode == 2 and len(lines) == 51 and lines[-1].endswith("… and 250 more problems")


# --- 5. numbers: validated where they are parsed, so a write never fails after the check ----------


@pytest.mark.parametrize("text", ["２８０", "٢٨٤", "1٢", "߁"])
def test_digits_from_other_scripts_are_refused(text: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_count(text)
    assert info.value.code == "foreign_digits"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("1.0000000000000000000000000001", "too_many_decimals"),  # 29 significant digits
        ("12,345", "too_many_decimals"),
        ("12345678901234567890", "too_many_digits"),
        ("100000,5", "too_large"),
        ("1-200001", "too_large"),
        ("1,001-2", "too_many_decimals"),
    ],
)
def test_planned_values_are_bounded_where_they_are_parsed(text: str, code: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_planned(text)
    assert info.value.code == code


def test_planned_values_inside_the_bounds_still_read() -> None:
    assert parse_planned("12,50") == Fraction(25, 2)
    assert parse_planned("1,25-2,75") == 2
    assert parse_planned(str(MAX_PLANNED)) == MAX_PLANNED
    assert parse_planned("0012") == 12


def test_a_long_planned_value_is_refused_in_validation_so_the_write_cannot_fail(store: Store) -> None:
    data = b"region;filled;started;planned\nGotland;19;18;1.0000000000000000000000000001\n"
    before = counts(store)
    for dry_run in (True, False):
        with pytest.raises(InputError) as info:
            store.reports.import_reports(ANNA, "test", "at-2023", data, "lang.csv", RECEIVED, dry_run=dry_run)
        assert codes(info.value) == [("too_many_decimals", 2, "planned")]
        assert "fler än 2 decimaler" in problem_sv(info.value.problems[0])
    assert counts(store) == before


@given(
    st.decimals(min_value=0, max_value=MAX_PLANNED, places=2, allow_nan=False, allow_infinity=False),
    st.decimals(min_value=0, max_value=MAX_PLANNED, places=2, allow_nan=False, allow_infinity=False),
)
def test_every_planned_value_that_passes_is_stored_exactly(low, high) -> None:  # type: ignore[no-untyped-def]
    from store.model import fraction_text

    low, high = sorted((low, high))
    value = parse_planned(f"{low}-{high}")
    assert Fraction(fraction_text(value)) == value == (Fraction(low) + Fraction(high)) / 2


# --- the reader agrees with openpyxl's ordinary (not read-only) load on ordinary files -------------

_CELL = st.one_of(
    st.none(),
    # A text starting with "=" is written by openpyxl as a formula without a cached value: a different case
    # (an uncached formula reads as empty, openpyxl's ordinary load gives its text); here the ordinary cells.
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12).filter(
        lambda s: not s.startswith("=")
    ),
    st.integers(-(10**9), 10**9),
    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
    st.dates(date(1950, 1, 1), date(2050, 12, 31)),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_CELL, max_size=6), min_size=1, max_size=12))
def test_read_table_matches_openpyxls_ordinary_load(rows: list[list[object]]) -> None:
    from openpyxl import load_workbook

    data = h.xlsx(rows)
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]  # not read-only: the sheet as openpyxl builds it
    expected: list[list[str]] = []
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [spreadsheet.cell_text(v) for v in row]
        while cells and not cells[-1].strip():
            cells.pop()
        if cells:
            expected.extend([] for _ in range(number - 1 - len(expected)))
            expected.append(cells)
    assert spreadsheet.read_table(data) == expected
