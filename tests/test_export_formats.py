"""Exports people can read: Swedish time stated, file names with round, scenario and date, number formats
that show what a figure is (percent, kronor, counts), and no internal words or ids."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from store.export import (
    COUNT_FORMAT,
    KRONOR_FORMAT,
    PERCENT_FORMAT,
    export_file_name,
    export_scenario,
    export_table,
    frame_to_xlsx,
    stamp,
)
from store.model import EXPORTABLE_TABLES, Actor
from store.service import Store
from tests.report_helpers import positions
from tests.scenario_helpers import at_what_if

ANNA = Actor("Anna Andersson", "handläggare")
ZONE = "svensk tid (Europe/Stockholm)"
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*(_[A-Za-z0-9][A-Za-z0-9-]*)*\.[a-z0-9]+")


@pytest.fixture
def store(store_target: Path | str) -> Store:
    return Store.open(store_target)


def about_of(data: bytes) -> dict[str, object]:
    workbook = load_workbook(io.BytesIO(data))
    return {row[0].value: row[1].value for row in workbook["Om uttaget"].iter_rows(min_row=2)}


def all_texts(data: bytes) -> list[str]:
    workbook = load_workbook(io.BytesIO(data))
    return [str(c.value) for sheet in workbook for row in sheet.iter_rows() for c in row if c.value is not None]


def test_a_time_is_swedish_time_and_says_so() -> None:
    assert stamp(datetime(2023, 10, 25, 16, 22, 41)) == f"2023-10-25 16:22 {ZONE}"


def test_a_file_name_carries_round_what_region_scenario_and_date() -> None:
    name = export_file_name(
        "AT-tjänster 2023", "förhandsbesked", "Västra Götaland", "Storstäder +3", ext="xlsx", day=date(2023, 10, 25)
    )
    assert name == "AT-tjanster-2023_forhandsbesked_Vastra-Gotaland_Storstader-3_2023-10-25.xlsx"
    assert export_file_name("Läkare i äldreomsorgen 2023", None, "", ext="CSV", day=date(2024, 1, 2)) == (
        "Lakare-i-aldreomsorgen-2023_2024-01-02.csv"
    )


@given(parts=st.lists(st.text(max_size=80), max_size=5), ext=st.sampled_from(["xlsx", "csv", "ics"]))
def test_any_texts_make_a_safe_file_name(parts: list[str], ext: str) -> None:
    """Whatever a round's title or a scenario's name holds (slashes, dots, quotes, emoji, newlines): the name
    is ASCII letters, digits, hyphens and underscores, has the date and the extension, and is not too long."""
    name = export_file_name(*parts, ext=ext, day=date(2023, 10, 25))
    assert SAFE_NAME.fullmatch(name), name
    assert name.endswith(f"_2023-10-25.{ext}") or name == f"2023-10-25.{ext}"
    assert len(name) <= 5 * 41 + len("2023-10-25.xlsx")
    assert ".." not in name and "/" not in name and not name.startswith((".", "-"))


def test_the_method_sheet_names_the_scenario_and_no_round_id(store: Store) -> None:
    what_if = at_what_if(store, "at-2023", pot=252_000_000, reports=[positions("09", 19, 18)])
    store.scenarios.save_what_if(ANNA, "test", "Bakgrund 252", "at-2023", what_if)
    scenario = store.scenarios.scenario("Bakgrund 252")
    assert scenario is not None
    data = export_scenario(store, scenario, "xlsx")
    about = about_of(data)
    assert about["Scenario"] == "Bakgrund 252" and about["Utfall"] == "scenariot ”Bakgrund 252”"
    assert about["Bidragsomgång"] == store.rounds.block_round("at-2023").title and about["Regelfil"] == "version 1.2.0"
    assert about["Regelversion vid sparande"] == "1.2.0" and str(about["Sparat av"]).startswith("Anna")
    assert str(about["Skapad"]).endswith(ZONE)
    assert not any("at-2023" in t for t in all_texts(data))


@pytest.mark.parametrize("table", ["at_reports", "audit_log", "scenarios"])
def test_a_table_export_has_no_internal_words_and_states_its_times_zone(store: Store, table: str) -> None:
    store.scenarios.save_what_if(ANNA, "test", "Plan", "at-2023", at_what_if(store, "at-2023"))
    about = about_of(export_table(store, table, "xlsx"))
    assert about["Tabell"] == EXPORTABLE_TABLES[table]
    assert "Schemaversion" not in about
    assert str(about["Skapad"]).endswith(ZONE)
    values = [str(v) for v in about.values()]
    assert not any("at-2023" in v or "elderly-2023" in v or ".toml" in v for v in values)
    if table in ("audit_log", "scenarios"):  # tables with times: their zone is stated
        assert about["Tider i tabellen"] == ZONE


def test_number_formats_per_column_and_per_row_and_counts_as_numbers() -> None:
    frame = pd.DataFrame(
        {"Uppgift": ["Belopp", "Sannolikhet", "Antal"], "Värde": pd.Series([5, 0.45, 3], dtype=object)}
    )
    data = frame_to_xlsx(
        frame,
        [("Antal simuleringar", 100_000), ("Andel", 0.25), ("Text", "ord")],
        formats={"Värde": [KRONOR_FORMAT, PERCENT_FORMAT, COUNT_FORMAT]},
    )
    workbook = load_workbook(io.BytesIO(data))
    cells = [row[1] for row in workbook.active.iter_rows(min_row=2)]
    assert [(c.value, c.number_format) for c in cells] == [
        (5, KRONOR_FORMAT),
        (0.45, PERCENT_FORMAT),
        (3, COUNT_FORMAT),
    ]
    about = {row[0].value: row[1] for row in workbook["Om uttaget"].iter_rows(min_row=2)}
    assert about["Antal simuleringar"].value == 100_000 and about["Antal simuleringar"].data_type == "n"
    assert about["Antal simuleringar"].number_format == COUNT_FORMAT
    assert about["Text"].data_type == "s"
