"""Reading region reports: number parsing, region names, validation, row numbering, messages."""

from __future__ import annotations

import io
import unicodedata
from fractions import Fraction
from pathlib import Path

import pytest
from openpyxl import Workbook

from allocation.planned import ParseError, parse_count, parse_number, parse_planned
from allocation.problems import InputError, Problem
from allocation.regions import RegionIndex, UnknownRegion
from ingest.data_folder import load_regions
from ingest.inputs import parse_reports, read_reports, read_reports_file, read_table
from present.problems import lines_en, problem_en, problem_sv
from tests.report_helpers import positions

INDEX = RegionIndex(load_regions())


def problems_of(data: bytes) -> list[Problem]:
    with pytest.raises(InputError) as info:
        read_reports(data, INDEX)
    return info.value.problems


def where(problems: list[Problem]) -> list[tuple[str, int, str]]:
    return [(p.code, p.row, p.column) for p in problems]


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- parse_number --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", Fraction(0)),
        ("12", Fraction(12)),
        (" 12 ", Fraction(12)),
        ("2,5", Fraction(5, 2)),
        ("2.5", Fraction(5, 2)),
        ("1 000", Fraction(1000)),
        ("1\u00a0000", Fraction(1000)),
        ("0,1", Fraction(1, 10)),  # exact, not the float 0.1
        (7, Fraction(7)),
        (2.5, Fraction(5, 2)),
        (0.1, Fraction(1, 10)),
        (Fraction(7, 3), Fraction(7, 3)),
    ],
)
def test_parse_number(text: object, expected: Fraction) -> None:
    value = parse_number(text)
    assert value == expected
    assert isinstance(value, Fraction)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty_value"),
        ("   ", "empty_value"),
        ("abc", "not_a_number"),
        ("12 st", "not_a_number"),
        ("NaN", "not_a_number"),
        ("inf", "not_a_number"),
        (float("nan"), "not_a_number"),
        (float("inf"), "not_a_number"),
        (True, "not_a_number"),
        ("-1", "negative_number"),
        ("−1", "negative_number"),  # U+2212 minus sign
        ("-0,5", "negative_number"),
        (-3, "negative_number"),
        (Fraction(-1, 2), "negative_number"),
    ],
)
def test_parse_number_rejects(text: object, code: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_number(text)
    assert info.value.code == code
    assert isinstance(info.value, ValueError)


# --- parse_count ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [("0", 0), ("19", 19), ("1 234", 1234), ("3,0", 3), (3.0, 3), (4, 4)])
def test_parse_count(text: object, expected: int) -> None:
    value = parse_count(text)
    assert value == expected
    assert type(value) is int


@pytest.mark.parametrize(
    ("text", "code"),
    [("2.5", "not_whole"), ("2,5", "not_whole"), (2.5, "not_whole"), ("-2", "negative_number"), ("x", "not_a_number")],
)
def test_parse_count_rejects(text: object, code: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_count(text)
    assert info.value.code == code


# --- parse_planned -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("28", Fraction(28)),
        ("1-5", Fraction(3)),  # the seed's own example: 1-5 counts as 3
        ("1–5", Fraction(3)),  # en dash
        ("1—5", Fraction(3)),  # em dash
        (" 1 - 5 ", Fraction(3)),
        ("1-4", Fraction(5, 2)),
        ("2-2", Fraction(2)),
        ("0-3", Fraction(3, 2)),
        ("2,5-3,5", Fraction(3)),
        ("2,5", Fraction(5, 2)),
        (16, Fraction(16)),
        (Fraction(5, 2), Fraction(5, 2)),
    ],
)
def test_parse_planned(text: object, expected: Fraction) -> None:
    assert parse_planned(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("5-1", "reversed_range"),
        ("5–1", "reversed_range"),
        ("3,5-3", "reversed_range"),
        ("-5", "negative_number"),
        ("−5", "negative_number"),
        ("-1-5", "negative_number"),
        ("1-−5", "negative_number"),
        (-2, "negative_number"),
        ("1-x", "not_a_number"),
        ("1-5-7", "not_a_number"),
        ("ca 5", "not_a_number"),
        ("", "empty_value"),
    ],
)
def test_parse_planned_rejects(text: object, code: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_planned(text)
    assert info.value.code == code


def test_parse_error_message_names_the_value() -> None:
    with pytest.raises(ParseError, match="5-1"):
        parse_planned("5-1")


# --- RegionIndex.resolve -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Gotland", "09"),
        ("gotland", "09"),
        ("GOTLAND", "09"),
        ("  Gotland  ", "09"),
        ("Region Gotland", "09"),
        ("region  gotland", "09"),
        ("Gotlands län", "09"),
        ("Gotland län", "09"),
        ("09", "09"),
        ("9", "09"),
        ("1", "01"),
        ("01", "01"),
        ("25", "25"),
        ("Norrbotten", "25"),
        ("Norrbottn", "25"),  # the seed's spelling
        ("Norrbottens län", "25"),
        ("Västra Götaland", "14"),
        ("Västra Götalands län", "14"),
        ("västra götaland", "14"),
        ("Region Skåne", "12"),
        ("Skåne län", "12"),
        ("Region Jönköpings län", "06"),
        ("Region Kalmar län", "08"),
        ("Region Örebro län", "18"),
        ("Stockholms läns landsting", "01"),
        (unicodedata.normalize("NFD", "Östergötland"), "05"),  # decomposed, as some systems write it
    ],
)
def test_resolve(text: str, code: str) -> None:
    assert INDEX.resolve(text).code == code


def test_resolve_gives_the_canonical_name_and_population() -> None:
    region = INDEX.resolve("Norrbottn")
    assert (region.code, region.name, region.seed_name) == ("25", "Norrbotten", "Norrbottn")
    assert region.population > 0
    assert len(INDEX.regions) == 21


@pytest.mark.parametrize("text", ["Narnia", "", "Region", "län", "00", "02", "2", "11", "26", "99", "010", "Gotlandia"])
def test_resolve_rejects(text: str) -> None:
    with pytest.raises(UnknownRegion):
        INDEX.resolve(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [("Region Sörmland", "04"), ("Västra Götalandsregionen", "14"), ("Region Jämtland Härjedalen", "23")],
)
def test_resolve_official_region_names(text: str, code: str) -> None:
    assert INDEX.resolve(text).code == code


# --- read_reports: formats ---------------------------------------------------------------------

EXPECTED = [
    positions("09", 19, 18, 0, Fraction(3)),
    positions("25", 58, 56, 1, None),
    positions("14", 262, 258, 2, Fraction(5, 2)),
]
COMMA = (
    "region,filled,started,excluded,planned\nGotland,19,18,0,1-5\nNorrbottn,58,56,1,\nVästra Götaland,262,258,2,1–4\n"
)


@pytest.mark.parametrize(
    "data",
    [
        COMMA.encode("utf-8"),
        b"\xef\xbb\xbf" + COMMA.encode("utf-8"),
        COMMA.replace(",", ";").encode("utf-8"),
        b"\xef\xbb\xbf" + COMMA.replace(",", ";").encode("utf-8"),
        COMMA.replace("\n", "\r\n").encode("utf-8"),
        xlsx(
            [
                ["region", "filled", "started", "excluded", "planned"],
                ["Gotland", 19, 18, 0, "1-5"],
                ["Norrbottn", 58, 56, 1, None],
                ["Västra Götaland", 262, 258.0, 2, "1–4"],
            ]
        ),
    ],
    ids=["comma", "bom", "semicolon", "bom-semicolon", "crlf", "xlsx"],
)
def test_read_reports_formats(data: bytes) -> None:
    assert read_reports(data, INDEX) == EXPECTED


def test_semicolon_file_with_decimal_commas() -> None:
    data = b"region;filled;started;planned\nGotland;19;18;2,5\n"
    assert read_reports(data, INDEX) == [positions("09", 19, 18, 0, Fraction(5, 2))]


def test_header_is_case_insensitive_and_columns_in_any_order() -> None:
    data = b" Started ;REGION;Filled\n18;Gotland;19\n"
    assert read_reports(data, INDEX) == [positions("09", 19, 18, 0, None)]


def test_optional_columns_default() -> None:
    data = b"region,filled,started,excluded,planned\nGotland,19,18,,\n"
    assert read_reports(data, INDEX) == [positions("09", 19, 18, 0, None)]


def test_blank_lines_are_skipped() -> None:
    data = b"region,filled,started\n\nGotland,19,18\n,,\n\nKalmar,52,50\n\n"
    assert [r.code for r in read_reports(data, INDEX)] == ["09", "08"]


def test_parse_reports_takes_rows_of_text() -> None:
    rows = [["region", "filled", "started"], ["Region Gotland", "19", "18"], ["09 "]]
    with pytest.raises(InputError) as info:
        parse_reports(rows, INDEX)
    # the short row: its missing cells are empty, and it repeats Gotland
    assert where(info.value.problems) == [
        ("duplicate_region", 3, "region"),
        ("empty_value", 3, "filled"),
        ("empty_value", 3, "started"),
    ]
    assert parse_reports(rows[:2], INDEX) == [positions("09", 19, 18)]


def test_read_table_gives_text_cells() -> None:
    assert read_table(b"region;filled\nGotland;19\n") == [["region", "filled"], ["Gotland", "19"]]
    assert read_table(xlsx([["region", "filled"], ["Gotland", 19.0]])) == [["region", "filled"], ["Gotland", "19"]]


def test_read_reports_file(tmp_path: Path) -> None:
    path = tmp_path / "outcomes.csv"
    path.write_bytes(COMMA.encode("utf-8"))
    assert read_reports_file(path, INDEX) == EXPECTED


# --- row numbering -------------------------------------------------------------------------------


def test_rows_are_numbered_as_in_a_spreadsheet() -> None:
    data = b"region,filled,started\nGotland,19,18\n\nKalmar,x,50\n"
    assert where(problems_of(data)) == [("not_a_number", 4, "filled")]


def test_rows_are_numbered_as_in_a_spreadsheet_crlf() -> None:
    data = b"region,filled,started\r\nGotland,19,18\r\n\r\n\r\nKalmar,x,50\r\n"
    assert where(problems_of(data)) == [("not_a_number", 5, "filled")]


def test_rows_are_numbered_as_in_a_spreadsheet_bom() -> None:
    data = b"\xef\xbb\xbfregion;filled;started\n\nKalmar;-1;50\n"
    assert where(problems_of(data)) == [("negative_number", 3, "filled")]


def test_rows_are_numbered_as_in_a_spreadsheet_xlsx() -> None:
    data = xlsx([["region", "filled", "started"], ["Gotland", 19, 18], [], ["Kalmar", 52, 2.5]])
    assert where(problems_of(data)) == [("not_whole", 4, "started")]


# --- every problem, with row and column --------------------------------------------------------


def test_all_problems_are_reported_together() -> None:
    data = (
        "region,filled,started,excluded,planned\n"
        "Narnia,1,1,0,\n"  # row 2
        "\n"  # row 3
        "Skåne,-3,199,x,\n"  # row 4
        "Gotland,19,18.5,0,5-1\n"  # row 5
        "region skåne,1,,0,\n"  # row 6
        ",1,1,0,\n"  # row 7
        "Kalmar,52,50,0,3\n"  # row 8: fine
    ).encode()
    assert where(problems_of(data)) == [
        ("unknown_region", 2, "region"),
        ("negative_number", 4, "filled"),
        ("not_a_number", 4, "excluded"),
        ("not_whole", 5, "started"),
        ("reversed_range", 5, "planned"),
        ("duplicate_region", 6, "region"),
        ("empty_value", 6, "started"),
        ("empty_value", 7, "region"),
    ]


def test_a_bad_row_with_an_unknown_region_reports_its_numbers_too() -> None:
    data = b"region,filled,started\nNarnia,-1,abc\n"
    assert where(problems_of(data)) == [
        ("unknown_region", 2, "region"),
        ("negative_number", 2, "filled"),
        ("not_a_number", 2, "started"),
    ]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"region,filled\nGotland,19\n", [("missing_column_named", 1, "")]),
        (b"region\nGotland\n", [("missing_column_named", 1, ""), ("missing_column_named", 1, "")]),
        (b"region,filled,started,filled\nGotland,1,1,1\n", [("duplicate_column", 1, "filled")]),
        (b"region,filled,started,comment\nGotland,1,1,x\n", [("unknown_column", 1, "comment")]),
        (b"", [("empty_file", 0, "")]),
        (b"\n\n", [("empty_file", 0, "")]),
        (b"region,filled,started\n", [("no_rows", 0, "")]),
        (b"region,filled,started\n\n,,\n", [("no_rows", 0, "")]),
    ],
    ids=["missing", "missing-two", "duplicate-column", "unknown-column", "empty", "blank", "header-only", "blank-rows"],
)
def test_header_and_file_problems(data: bytes, expected: list[tuple[str, int, str]]) -> None:
    assert where(problems_of(data)) == expected


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01", "not_utf8"),
        ("region,filled,started\nSkåne,205,199\n".encode("latin-1"), "not_utf8"),
        ("region,filled,started\nSkåne,205,199\n".encode("utf-16"), "not_utf8"),
        (b"region,filled,started\x00\x00\n", "unreadable_file"),
        (b"PK\x03\x04 this is not a workbook", "unreadable_file"),
    ],
    ids=["png", "latin-1", "utf-16", "nul-bytes", "broken-xlsx"],
)
def test_unreadable_files(data: bytes, code: str) -> None:
    assert where(problems_of(data)) == [(code, 0, "")]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        read_reports_file(tmp_path / "nowhere.csv", INDEX)
    assert where(info.value.problems) == [("unreadable_file", 0, "")]
    assert problem_en(info.value.problems[0]).startswith("cannot read the file: ")


# --- messages in English and Swedish ------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "english", "swedish"),
    [
        (
            b"region,filled,started\nGotland,-1,18\n",
            "row 2, column filled: '-1' is negative",
            'rad 2, kolumn filled: "-1" är negativt',
        ),
        (
            b"region,filled,started\nGotland,19,tio\n",
            "row 2, column started: 'tio' is not a number",
            'rad 2, kolumn started: "tio" är inte ett tal',
        ),
        (
            b"region,filled,started\nGotland,19,2.5\n",
            "row 2, column started: '2.5' is not a whole number",
            'rad 2, kolumn started: "2.5" är inte ett heltal',
        ),
        (
            b"region,filled,started,planned\nGotland,19,18,5-1\n",
            "row 2, column planned: '5-1' is a reversed range (write the lower bound first)",
            'rad 2, kolumn planned: "5-1" är ett omvänt intervall (skriv det lägre talet först)',
        ),
        (
            b"region,filled,started\nNarnia,1,1\n",
            "row 2, column region: unknown region 'Narnia'",
            'rad 2, kolumn region: okänd region "Narnia"',
        ),
        (
            b"region,filled,started\nGotland,1,1\n\n9,1,1\n",
            "row 4, column region: region '9' appears again (first on row 2)",
            'rad 4, kolumn region: regionen "9" förekommer igen (först på rad 2)',
        ),
        (
            b"region,filled,started\nGotland,,1\n",
            "row 2, column filled: empty value; write 0 if there is none",
            "rad 2, kolumn filled: tomt värde; skriv 0 om det inte finns några",
        ),
        (
            b"region,started\nGotland,1\n",
            "row 1: missing column 'filled' (in Swedish 'Tillsatta')",
            'rad 1: kolumnen "Tillsatta" saknas',
        ),
        (
            "region,filled,started\nSkåne,1,1\n".encode("latin-1"),
            "the file is not UTF-8 text (save it as 'CSV UTF-8' or as XLSX)",
            'filen är inte UTF-8-text (spara den som "CSV UTF-8" eller som XLSX)',
        ),
        (b"region,filled,started\n", "the file has a header but no data rows", "filen har rubriker men inga datarader"),
        (b"", "the file has no header row", "filen saknar rubrikrad"),
    ],
    ids=[
        "negative",
        "not-a-number",
        "not-whole",
        "reversed-range",
        "unknown-region",
        "duplicate-region",
        "empty-value",
        "missing-column",
        "not-utf8",
        "no-rows",
        "empty-file",
    ],
)
def test_messages(data: bytes, english: str, swedish: str) -> None:
    [problem] = problems_of(data)
    assert problem_en(problem) == english
    assert problem_sv(problem) == swedish


def test_input_error_lists_every_problem_in_english() -> None:
    with pytest.raises(InputError) as info:
        read_reports(b"region,filled,started\nNarnia,1,1\nGotland,-1,1\n", INDEX)
    assert lines_en(info.value) == [
        "row 2, column region: unknown region 'Narnia'",
        "row 3, column filled: '-1' is negative",
    ]


def test_problem_without_place() -> None:
    problem = Problem("unreadable_file", detail="it is not a CSV or XLSX file")
    assert problem_en(problem) == "cannot read the file: it is not a CSV or XLSX file"
    assert problem_sv(problem) == "filen går inte att läsa: it is not a CSV or XLSX file"


# --- review findings: decimal commas in comma files, exponents, dashes ---------------------------


def test_a_decimal_comma_in_a_comma_separated_file_is_reported_not_misread() -> None:
    data = b"region,filled,started,excluded,planned\nGotland,19,18,0,1,5\n"
    with pytest.raises(InputError) as info:
        read_reports(data, INDEX)
    (problem,) = info.value.problems
    assert (problem.code, problem.row) == ("too_many_cells", 2)
    assert "decimalkomma" in problem_sv(problem)


@pytest.mark.parametrize("text", ["1e3", "1E3", "1e999999999", "0x10", "+3", "3."])
def test_only_plain_decimal_numbers_are_read(text: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_number(text)
    assert info.value.code == "not_a_number"


def test_an_en_dash_minus_is_negative() -> None:
    with pytest.raises(ParseError) as info:
        parse_number("–5")
    assert info.value.code == "negative_number"


def test_a_damaged_xlsx_sheet_is_a_clear_problem_not_a_crash() -> None:
    import zipfile

    good = xlsx([["region", "filled", "started"], ["Gotland", 19, 18]])
    source = zipfile.ZipFile(io.BytesIO(good))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.endswith("sheet1.xml"):
                data = data[: len(data) // 2]  # truncated XML
            target.writestr(item, data)
    with pytest.raises(InputError) as info:
        read_reports(out.getvalue(), INDEX)
    assert info.value.problems[0].code == "unreadable_file"
