"""The region preview's page: an honest default, one unit, deep links by code or name, and its workbook.

The workbook is the one the page's download button would send: the button's callable and file name are
caught where Streamlit registers them (``MediaFileManager.add_deferred``), then read back with openpyxl.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from allocation.regions import Region
from ingest.data_folder import load_regions
from present import formats as f
from store.export import COUNT_FORMAT, KRONOR_FORMAT, PERCENT_FORMAT
from store.service import Store
from tests.app_helpers import CLI, UPPSALA, app, logged_in
from tests.markdown_text import shown
from tests.report_helpers import positions
from tests.scenario_helpers import at_what_if
from ui.preview import region_in_address
from ui.preview_words import about_kr

PAGE = "pages/region/preview.py"
REGIONS = load_regions()


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, tuple[str | None, Callable[[], Any]]]:
    """Every deferred download a run registers: element id -> (file name, callable that makes the file)."""
    caught: dict[str, tuple[str | None, Callable[[], Any]]] = {}
    original = MediaFileManager.add_deferred

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, *, element_id=""):  # type: ignore[no-untyped-def]
        caught[element_id] = (file_name, data_callable)
        return original(self, data_callable, mimetype, coordinates, file_name, element_id=element_id)

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return caught


def preview(region: str | None = None) -> AppTest:
    """Staff (the local mode) on the preview page, with ``?pv_region=`` when given."""
    at = app()
    at.run()
    at.switch_page(PAGE)
    if region is not None:
        at.query_params["pv_region"] = region
    at.run()
    assert not at.exception
    return at


def everything_shown(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "markdown", "caption", "error", "warning", "info") for e in at.get(kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    return "\n".join(shown(p) for p in parts)


def metrics(at: AppTest) -> dict[str, str]:
    """The what-if's metrics (below the first figure's box)."""
    return {shown(m.label): m.value for m in what_if_metrics(at)}


def what_if_metrics(at: AppTest) -> list[Any]:
    first = len(at.main.get_by_key("pv_first").get("metric"))
    return list(at.metric)[first:]


def kronor(value: str) -> int:
    """An amount as shown: exact kronor (``12 345 kr``) or rounded millions (``71 miljoner kr``, ``9,4 …``)."""
    if match := re.fullmatch(r"(\d+)(?:,(\d))? miljon(?:er)?\u00a0kr", value):
        return int(match.group(1)) * 1_000_000 + int(match.group(2) or 0) * 100_000
    return int(re.sub(r"\D", "", value))


AMOUNT = re.compile(r"[\d\u00a0]+\u00a0kr|\d+(,\d)? miljon(er)?\u00a0kr")


def workbook_of(downloads: dict[str, tuple[str | None, Callable[[], Any]]]):  # type: ignore[no-untyped-def]
    name, make = next(v for k, v in downloads.items() if k.endswith("pv_download"))
    return name, load_workbook(io.BytesIO(make()))


def test_the_default_is_the_uncertain_assumption_and_no_headline_says_certain(store: Store) -> None:
    at = preview("09")
    assert at.radio(key="pv_assumption").value == "uncertain"
    assert at.radio(key="pv_assumption").options[0].startswith("Osäkert")
    assert at.number_input(key="pv_filled_09").value == 16  # the plan: never plan + 3, silently
    at.number_input(key="pv_filled_09").set_value(19).run()
    first = what_if_metrics(at)[0]
    assert shown(first.label) == "Troligt belopp, omkring"
    # Exact kronor where a figure is exact, whole (or tenths of) millions where it is simulated; never mnkr.
    assert all(AMOUNT.fullmatch(m.value) for m in at.metric)
    assert "mnkr" not in everything_shown(at)
    for assumption in ("uncertain", "plan", "scenario"):
        if assumption == "scenario":
            store.scenarios.save_what_if(CLI, "test", "Alla växer", "at-2023", at_what_if(store, "at-2023"))
            at.run()
        at.radio(key="pv_assumption").set_value(assumption).run()
        assert not at.exception
        text = everything_shown(at)
        # "säkert" (certain) never, for a figure that depends on the others ("osäkert" names an assumption).
        assert not re.search(r"\bsäker", text.casefold()), assumption
    at.radio(key="pv_assumption").set_value("plan").run()
    assert what_if_metrics(at)[0].label == "Om ingen annan region kvalificerar sig"
    assert "bara om ingen annan region" in everything_shown(at)


def test_the_plan_figure_is_the_best_case_and_the_default_shows_less() -> None:
    at = preview("Gotland")
    at.number_input(key="pv_filled_09").set_value(19).run()  # three beyond its plan of 16
    likely = kronor(what_if_metrics(at)[0].value)
    at.radio(key="pv_assumption").set_value("plan").run()
    best = kronor(what_if_metrics(at)[0].value)
    assert best == 254_000_000 and likely < best


@pytest.mark.parametrize("asked", ["01", "1", "Stockholm", "region stockholm", "Stockholms län"])
def test_a_region_by_lan_code_or_by_name_in_the_address(asked: str) -> None:
    at = preview(asked)
    assert at.selectbox(key="pv_region").value == "01"
    assert at.query_params["pv_region"] == "01"  # the address now names the region by its code
    assert not at.warning or all("inte finns" not in w.value for w in at.warning)


def test_gotland_by_name_and_by_code_open_the_same_preview() -> None:
    by_name, by_code = preview("Gotland"), preview("09")
    assert by_name.selectbox(key="pv_region").value == by_code.selectbox(key="pv_region").value == "09"
    assert metrics(by_name) == metrics(by_code)
    assert "Planerat enligt planeringsunderlaget: 16 tjänster." in everything_shown(by_name)


def test_the_seeds_spelling_and_a_name_without_accents_open_the_region() -> None:
    assert preview("Norrbottn").selectbox(key="pv_region").value == "25"
    assert preview("Vastra Gotaland").selectbox(key="pv_region").value == "14"


@given(text=st.text(max_size=60))
def test_any_address_value_names_one_region_or_none(text: str) -> None:
    """Whatever the address holds: a region's own code, or None (never an exception, never a guess among two)."""
    code = region_in_address(text, REGIONS)
    assert code is None or code in {r.code for r in REGIONS}


@pytest.mark.parametrize("region", load_regions())
def test_every_region_by_code_by_name_and_without_accents(region: Region) -> None:
    folded = unicodedata.normalize("NFKD", region.name).encode("ascii", "ignore").decode("ascii")
    for text in (region.code, region.code.lstrip("0"), region.name, f"Region {region.name}", folded, folded.upper()):
        assert region_in_address(text, REGIONS) == region.code, text


def test_an_unknown_region_gets_a_swedish_message_and_the_page_still_works() -> None:
    at = preview("Atlantis")
    message = next(w.value for w in at.warning if "Atlantis" in shown(w.value))
    assert "inte finns" in message and "länskod" in message
    assert at.metric  # the page shows the first region instead
    long = preview("01' <script>x</script>" + "A" * 5000)
    warning = next(shown(w.value) for w in long.warning if "inte finns" in w.value)
    assert len(warning) < 300 and "<script>" in warning  # shown as text, cut short


def test_a_choice_in_the_select_box_wins_over_the_address_it_came_from() -> None:
    at = preview("01")
    at.selectbox(key="pv_region").set_value("09").run()
    assert at.selectbox(key="pv_region").value == "09" and at.query_params["pv_region"] == "09"


def test_a_link_to_the_region_last_shown_opens_it_after_another_page() -> None:
    at = preview("09")
    at.switch_page("pages/deadlines/status.py").run()
    at.switch_page(PAGE)
    at.query_params["pv_region"] = "09"
    at.run()
    assert not at.exception and at.selectbox(key="pv_region").value == "09"


def test_a_region_user_asking_for_another_region_by_name_is_refused_and_logged(store: Store) -> None:
    store.users.save_user(CLI, "test", UPPSALA)
    at = logged_in(app(), UPPSALA)
    at.query_params["pv_region"] = "Stockholm"
    at.run()
    assert not at.exception
    assert "inte region 01" in at.error[0].value
    assert at.selectbox(key="pv_region").value == "03" and at.title[0].value == "Förhandsbesked för Uppsala"
    refused = store.query("SELECT role, entity_key FROM audit_log WHERE action = 'refused'")
    assert [tuple(r) for r in refused] == [("region 03", "01")]
    assert at.radio(key="pv_assumption").value == "uncertain"
    assert "scenario" not in at.radio(key="pv_assumption").options


def test_the_workbook_has_percentages_kronor_counts_and_no_internal_words(downloads) -> None:  # type: ignore[no-untyped-def]
    at = preview("Gotland")
    at.number_input(key="pv_filled_09").set_value(19).run()
    at.slider(key="pv_band").set_value(2).run()  # the own figures vary too: more than one step is possible
    name, workbook = workbook_of(downloads)
    assert re.fullmatch(rf"AT-tjanster-2023_forhandsbesked_Gotland_{date.today().year}-\d\d-\d\d\.xlsx", name)
    data = workbook["Förhandsbesked"]
    rows = {r[0].value: r[1] for r in data.iter_rows(min_row=2)}
    probabilities = {k: c for k, c in rows.items() if k.startswith("Sannolikhet")}
    assert len(probabilities) > 1
    assert all(c.number_format == PERCENT_FORMAT and 0 <= c.value <= 1 for c in probabilities.values())
    assert abs(sum(c.value for c in probabilities.values()) - 1) < 1e-9
    for key in ("Troligt belopp (median)", "Lågt utfall (P10)", "Högt utfall (P90)", "Lägsta", "Högsta"):
        assert rows[key].number_format == KRONOR_FORMAT and isinstance(rows[key].value, int)
    assert about_kr(rows["Troligt belopp (median)"].value) == what_if_metrics(at)[0].value
    about = {r[0].value: r[1] for r in workbook["Om uttaget"].iter_rows(min_row=2)}
    assert about["Antal simuleringar"].value == 100_000 and about["Antal simuleringar"].number_format == COUNT_FORMAT
    assert about["Planerat enligt planeringsunderlaget"].value == 16
    assert about["Tillsatta"].value == 19 and about["Osäkerhet i egna siffror (± tjänster)"].value == 2
    assert about["Skapad"].value.endswith("svensk tid (Europe/Stockholm)")
    assert about["Regelfil"].value == "AT-tjänster 2023, version 1.2.0"
    texts = [str(c.value) for sheet in workbook for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not any("Schemaversion" in t or "at-2023" in t or "elderly-2023" in t for t in texts)


def test_the_workbook_names_the_scenario_in_its_name_and_on_its_method_sheet(store: Store, downloads) -> None:  # type: ignore[no-untyped-def]
    others = [positions("01", 290, 283), positions("23", 30, 28)]
    store.scenarios.save_what_if(
        CLI, "test", "Storstäder växer", "at-2023", at_what_if(store, "at-2023", reports=others)
    )
    at = preview("09")
    at.number_input(key="pv_filled_09").set_value(19).run()
    at.radio(key="pv_assumption").set_value("scenario").run()
    assert what_if_metrics(at)[0].label == "Belopp om scenariot inträffar"
    assert "”Storstäder växer”" in everything_shown(at)
    name, workbook = workbook_of(downloads)
    assert "_Storstader-vaxer_" in name and name.startswith("AT-tjanster-2023_forhandsbesked_Gotland_")
    about = {r[0].value: r[1].value for r in workbook["Om uttaget"].iter_rows(min_row=2)}
    assert about["Scenario"] == "Storstäder växer"


def test_a_region_below_the_first_step_is_told_so_whatever_the_others_do() -> None:
    at = preview("09")
    at.number_input(key="pv_filled_09").set_value(16).run()
    assert metrics(at) == {"Beräknat belopp": f.kr(0)}
    assert "inte första trappsteget" in everything_shown(at)
