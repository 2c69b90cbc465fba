"""The data page's reports (AppTest): every round whose rules use a reported value is offered, its columns are named
in Swedish, and the form records and corrects one region's report — its values and the date received — audited."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from allocation.report_values import Report
from store.model import Actor
from store.paths import DATA_ENV
from store.service import Store
from tests.markdown_text import shown

ROOT = Path(__file__).resolve().parent.parent
ROUND_ID = "at-2024-illustrative"
PAGE = "pages/data/import_export.py"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_database: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    for name in ("at-2024-illustrative", "at-2022-illustrative"):
        shutil.copy(ROOT / "tests" / "rounds" / f"{name}.toml", target / "rounds")
    monkeypatch.setenv(DATA_ENV, str(target))
    return target


def data_page(round_id: str = ROUND_ID) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=90)
    at.session_state["omgang"] = round_id
    at.session_state["actor_name"] = "Anna Andersson"
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    kinds = ("subheader", "markdown", "caption", "info", "success", "error")
    return "\n".join(shown(e.value) for kind in kinds for e in at.get(kind))


def test_every_round_that_takes_reports_is_offered_with_its_own_columns_in_swedish(data_dir: Path) -> None:
    at = data_page()
    picker = at.selectbox(key="report_round")
    assert set(picker.options) == {"AT-tjänster 2023", "AT 2024 (illustrativ)", "AT 2022 (illustrativ)"}
    assert picker.value == ROUND_ID  # the sidebar's round
    words = texts(at)
    assert "Regionerna rapporterar: Tillsatta, Påbörjade, Avräknade" in words
    assert "senast 1 november 2024 räknas" in words
    assert "Region (eller Länskod), Tillsatta, Påbörjade, Avräknade (valfri)" in words
    picker.set_value("at-2022-illustrative").run()
    assert "Regionerna rapporterar: Utökning, AT-tjänster" in texts(at)
    assert "filled" not in texts(at)  # no English key in what the page says


def test_the_form_records_a_report_then_corrects_its_date_audited(data_dir: Path, isolated_database: Path) -> None:
    at = data_page()
    at.selectbox(key="report_code").set_value("09").run()
    assert "Regionen har ingen rapport i databasen ännu." in texts(at)
    prefix = f"report_{ROUND_ID}_09"
    at.number_input(key=f"{prefix}_filled").set_value(14)
    at.number_input(key=f"{prefix}_started").set_value(12)
    at.date_input(key=f"{prefix}_received").set_value(date(2024, 11, 5))
    at.text_input(key=f"{prefix}_reason").set_value("Rapport per e-post")
    at.button[-1].click().run()  # the form's submit button
    assert not at.exception, at.exception
    assert "Rapporten från Gotland är sparad (mottagen 5 november 2024) och loggad." in texts(at)
    table = next(d.value for d in at.dataframe if "Tillsatta" in d.value.columns)
    assert list(table["Tillsatta"]) == ["14"]  # the grid gets the Swedish text shown (ui/grid.py)

    # A wrong date corrected: the form starts from the stored report, only the date changes.
    assert "mottagen 5 november 2024" in texts(at)
    assert at.number_input(key=f"{prefix}_filled").value == 14
    at.date_input(key=f"{prefix}_received").set_value(date(2024, 10, 31))
    at.text_input(key=f"{prefix}_reason").set_value("Fel datum rättat")
    at.button[-1].click().run()
    assert "sparad (mottagen 31 oktober 2024)" in texts(at)
    store = Store.open(isolated_database, data_dir=data_dir)
    try:
        assert store.reports.report_dates(ROUND_ID) == {"09": date(2024, 10, 31)}
        log = store.audit.audit(limit=1).iloc[0]
        assert (log["entity_key"], log["reason"], log["actor"]) == (
            f"{ROUND_ID}/09",
            "Fel datum rättat",
            "Anna Andersson",
        )
    finally:
        store.close()


def test_the_form_refuses_a_missing_date_and_saving_the_same_report_changes_nothing(
    data_dir: Path, isolated_database: Path
) -> None:
    store = Store.open(isolated_database, data_dir=data_dir)
    values = {"filled": 30, "started": 28, "excluded": 0}
    store.reports.record_report(Actor("Anna"), "post", ROUND_ID, Report("03", values, date(2024, 10, 1)))  # type: ignore[arg-type]
    store.close()
    at = data_page()
    at.selectbox(key="report_code").set_value("01").run()
    prefix = f"report_{ROUND_ID}_01"
    at.number_input(key=f"{prefix}_filled").set_value(3)
    at.number_input(key=f"{prefix}_started").set_value(3)
    at.button[-1].click().run()
    assert "Mottagen: välj dagen rapporten togs emot." in texts(at)
    at.selectbox(key="report_code").set_value("03").run()
    at.button[-1].click().run()
    assert "Databasen har redan exakt denna rapport från Uppsala: ingenting ändrades." in texts(at)
