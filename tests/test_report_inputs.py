"""Reading reports for any round: which values a round's rules name, Swedish and English column names, the
date received always explicit, and hostile files refused with the row and column named in Swedish."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import hostile_files as h
import pytest
from block_helpers import load_test_round
from hypothesis import given, settings
from hypothesis import strategies as st

from allocation.problems import InputError
from allocation.regions import RegionIndex
from allocation.report_values import Report, ReportSpec, counts, engine_values, report_spec
from ingest.columns import canonical
from ingest.data_folder import load_regions
from ingest.reports import read_round_reports
from present.problems import problem_sv

INDEX = RegionIndex(load_regions())
TODAY = date(2024, 12, 1)
AT = ReportSpec(("filled", "started", "excluded"), frozenset({"excluded"}), True, (("at_report", date(2024, 11, 1)),))
GIVEN = ReportSpec(("expansion", "positions"))


def read(data: bytes, spec: ReportSpec = AT, received: date | None = date(2024, 10, 30)) -> list[Report]:
    return read_round_reports(data, INDEX, spec, received, TODAY)


def problems(data: bytes, spec: ReportSpec = AT, received: date | None = date(2024, 10, 30)) -> list[str]:
    with pytest.raises(InputError) as info:
        read(data, spec, received)
    return [problem_sv(p) for p in info.value.problems]


# --- which values a round reports: from its rules ----------------------------------------------------


def test_the_2024_shape_reports_positions_and_its_date_counts_for_the_block_paid_on_reporting() -> None:
    spec = report_spec(load_test_round("at-2024-illustrative"))
    assert (spec.values, spec.required, spec.planned_override) == (AT.values, ("filled", "started"), True)
    assert spec.deadlines == (("at_report", date(2024, 11, 1)),)
    assert counts(spec, date(2024, 11, 1)) == {"at_report": True}
    assert counts(spec, date(2024, 11, 2)) == {"at_report": False}


def test_the_2022_shape_without_a_planning_document_reports_its_keys_as_values() -> None:
    spec = report_spec(load_test_round("at-2022-illustrative"))
    assert spec == ReportSpec(("expansion", "positions"))  # population and the per-100k keys are not reported
    assert spec.accepts_reports and spec.last_day is None


def test_reports_become_the_engines_values() -> None:
    reports = [
        Report("01", {"filled": Fraction(3), "started": Fraction(4)}, date(2024, 1, 1), Fraction(5, 2)),
        Report("03", {"positions": Fraction(7)}, date(2024, 1, 2)),
    ]
    values = engine_values(reports)
    assert values["filled"] == {"01": 3} and values["excluded"] == {} and values["positions"] == {"03": 7}
    assert values["planned"] == {"01": Fraction(5, 2)}
    with pytest.raises(ValueError, match="twice"):
        engine_values([reports[0], reports[0]])


# --- column names: Swedish beside English ------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        "region,filled,started,excluded,received",
        "Region,Tillsatta,Påbörjade,Avräknade,Mottagen",
        "REGION , TILLSATTA TJÄNSTER,påbörjade,Avräknade:,Datum mottagen",
        "Länskod,Tillsatta,Påbörjade,Avräknade,Mottagningsdatum",
    ],
)
def test_swedish_and_english_headers_read_the_same(header: str) -> None:
    first = "03" if header.startswith("Länskod") else "Uppsala"
    data = f"{header}\n{first},5,4,1,2024-10-01\n".encode()
    assert read(data, received=None) == [Report("03", {"filled": 5, "started": 4, "excluded": 1}, date(2024, 10, 1))]


def test_a_county_code_and_a_name_must_agree() -> None:
    assert problems(b"L\xc3\xa4nskod;Region;Tillsatta;P\xc3\xa5b\xc3\xb6rjade\n03;Gotland;1;1\n") == [
        'rad 2, kolumn Region: "Gotland" är inte regionen med länskod 03'
    ]


def test_a_round_of_other_values_reads_them_exactly() -> None:
    data = "Region;AT-tjänster;Utökning\nSkåne;250;12,5\n".encode()
    assert read(data, GIVEN) == [Report("12", {"positions": 250, "expansion": Fraction(25, 2)}, date(2024, 10, 30))]
    assert canonical("  Utökning ") == "expansion" and canonical("Eget värde") == "eget värde"


# --- the date received: explicit, never today by default -------------------------------------------


def test_each_row_may_carry_its_date_and_a_row_without_one_takes_the_given_date() -> None:
    data = b"Region;Tillsatta;P\xc3\xa5b\xc3\xb6rjade;Mottagen\nUppsala;1;1;2024-09-01\nGotland;2;2;\n"
    assert [r.received for r in read(data)] == [date(2024, 9, 1), date(2024, 10, 30)]
    assert problems(data, received=None) == ["rad 3, kolumn Mottagen: " + MISSING_DATE]


MISSING_DATE = "datum mottagen saknas: lägg till kolumnen Mottagen (ÅÅÅÅ-MM-DD) eller välj datumet"


def test_no_date_anywhere_is_refused_and_a_future_date_too() -> None:
    assert problems(b"region,filled,started\nUppsala,1,1\n", received=None) == [MISSING_DATE]
    assert problems(b"region,filled,started,received\nUppsala,1,1,2025-01-01\n") == [
        'rad 2, kolumn received: "2025-01-01" är senare än i dag (2024-12-01)'
    ]


# --- hostile and wrong files ---------------------------------------------------------------------------


def test_a_wrong_file_is_refused_by_its_columns() -> None:
    requisitions = b"region;received;amount;reference\nGotland;2023-05-02;1000;R-1\n"
    found = problems(requisitions)
    assert 'rad 1, kolumn amount: okänd kolumn "amount"' in found[0]
    assert "Tillsatta, Påbörjade" in found[0]  # the expected columns, by their Swedish names
    assert any("Tillsatta" in p and "saknas" in p for p in found)
    assert problems(b"\x89PNG\r\n\x1a\n\xff\x00") == [
        'filen är inte UTF-8-text (spara den som "CSV UTF-8" eller som XLSX)'
    ]
    assert problems(b"PK\x03\x04 not a workbook")[0].startswith("filen går inte att läsa: inte en giltig XLSX-fil")


def test_a_stale_xlsx_dimension_never_cuts_the_rows() -> None:
    rows = [["Region", "Tillsatta", "Påbörjade", "Avräknade", "Mottagen"]] + [
        [name, 30 + i, 28 + i, 0, date(2024, 10, 1)] for i, name in enumerate(h.REGIONS)
    ]
    stale = h.stale_dimension(h.xlsx(rows), "A1:B2")
    assert len(read(stale, received=None)) == len(h.REGIONS)


def test_formula_looking_text_is_refused_as_text_never_evaluated() -> None:
    data = b'Region;Tillsatta;P\xc3\xa5b\xc3\xb6rjade\n=HYPERLINK("http://x","y");1;1\nUppsala;=1+2;@SUM(A1)\n'
    assert problems(data) == [
        'rad 2, kolumn Region: okänd region "=HYPERLINK("http://x","y")"',
        'rad 3, kolumn Tillsatta: "=1+2" är inte ett tal',
        'rad 3, kolumn Påbörjade: "@SUM(A1)" är inte ett tal',
    ]


def test_unknown_regions_negative_numbers_and_fractions_of_positions_are_named() -> None:
    data = b"Region;Tillsatta;P\xc3\xa5b\xc3\xb6rjade;Avr\xc3\xa4knade\nAtlantis;1;1;0\nUppsala;-3;2,5;\n"
    assert problems(data) == [
        'rad 2, kolumn Region: okänd region "Atlantis"',
        'rad 3, kolumn Tillsatta: "-3" är negativt',
        'rad 3, kolumn Påbörjade: "2,5" är inte ett heltal',
    ]
    assert problems("Region;Utökning;AT-tjänster\nSkåne;-1;2\n".encode(), GIVEN) == [
        'rad 2, kolumn Utökning: "-1" är negativt'
    ]


# --- a property: whatever the language of the headers, a written report reads back as itself ------------

HEADERS = {
    "english": ("region", "filled", "started", "excluded", "received"),
    "swedish": ("Region", "Tillsatta", "Påbörjade", "Avräknade", "Mottagen"),
}


@settings(max_examples=60, deadline=None)
@given(
    rows=st.dictionaries(
        st.sampled_from([r.code for r in load_regions()]),
        st.tuples(*(st.integers(0, 2_000),) * 3, st.dates(date(2020, 1, 1), TODAY)),
        min_size=1,
        max_size=21,
    ),
    language=st.sampled_from(sorted(HEADERS)),
    separator=st.sampled_from([",", ";"]),
)
def test_a_written_report_reads_back_as_itself(rows: dict, language: str, separator: str) -> None:
    lines = [separator.join(HEADERS[language])]
    lines += [separator.join(map(str, (code, *row))) for code, row in rows.items()]
    found = read(("\n".join(lines) + "\n").encode(), received=None)
    expected = [
        Report(code, dict(zip(AT.values, map(Fraction, row[:3]), strict=True)), row[3]) for code, row in rows.items()
    ]
    assert found == expected
