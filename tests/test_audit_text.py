"""The audit log in words: who changed what, before and after, in Swedish with no internal key or raw value."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from streamlit.testing.v1 import AppTest

from allocation.fixed import Requisition
from store.model import Actor
from store.service import Store
from ui.audit_text import audit_in_words, key_text

ANNA = Actor("Anna Andersson", "handläggare")
INTERNAL = re.compile(r"\b(insert|update|delete|None|null|planned_positions|requisitions|at-2023|elderly-2023)\b|[{}]")


def test_each_entry_says_who_did_what_to_which_record_before_and_after(isolated_database: Path) -> None:
    store = Store.open(isolated_database)
    store.followup.record_ombud(ANNA, "ombud godkänt", "03", date(2023, 6, 1))
    store.followup.record_requisition(
        ANNA, "rekvisition", "elderly-2023", Requisition("03", date(2023, 9, 1), 1_234_567, "R-1")
    )
    store.followup.record_ombud(ANNA, "rättat datum", "03", date(2023, 6, 2))
    rounds = {"at-2023": "AT-tjänster 2023", "elderly-2023": "Läkare i äldreomsorgen 2023"}
    regions = {r.code: r.name for r in store.rounds.regions(store.rounds.latest_population_date())}
    words = audit_in_words(store.audit.audit(limit=3), rounds, regions)
    changed, requisition, _ = words.to_dict("records")
    assert changed["Händelse"] == "Ändrade · Godkända ombud" and changed["Gäller"] == "Uppsala"
    assert changed["Före"] == "ombud godkänt: 1 juni 2023" and changed["Efter"] == "ombud godkänt: 2 juni 2023"
    assert requisition["Händelse"] == "Lade till · Rekvisitioner" and requisition["Före"] == "–"
    assert requisition["Gäller"].startswith("Läkare i äldreomsorgen 2023 · Uppsala · nr ")
    assert (
        "belopp: 1\u00a0234\u00a0567\u00a0kr" in requisition["Efter"]
        and "mottagen: 1 september 2023" in requisition["Efter"]
    )
    assert re.fullmatch(r"\d{1,2} \w+ 20\d\d kl\. \d\d\.\d\d", changed["Tid"])
    assert changed["Vem"] == "Anna Andersson (handläggare)" and changed["Anledning"] == "rättat datum"
    for row in words.to_dict("records"):
        for value in row.values():
            assert not INTERNAL.search(str(value)), value
    store.close()


def test_a_round_version_key_reads_as_the_round_and_its_version() -> None:
    assert key_text("at-2027@1.0.0", {"at-2027": "AT 2027"}, {}) == "AT 2027 · version 1.0.0"
    assert key_text("at-2027/25", {"at-2027": "AT 2027"}, {"25": "Norrbotten"}) == "AT 2027 · Norrbotten"


def test_the_data_page_shows_the_log_in_words(isolated_database: Path) -> None:
    store = Store.open(isolated_database)
    store.followup.record_ombud(ANNA, "ombud godkänt", "03", date(2023, 6, 1))
    store.close()
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.session_state["actor_name"] = "Sara"
    at.run()
    at.switch_page("pages/data/import_export.py").run()
    at.session_state["flik"] = "Granskningslogg"
    at.run()
    assert not at.exception, at.exception
    (frame,) = [d.value for d in at.dataframe if "Händelse" in d.value.columns]
    assert "Lade till · Godkända ombud" in set(frame["Händelse"])
    assert at.selectbox(key="audit_entity").options[0] == "Alla tabeller"
