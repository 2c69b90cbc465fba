"""Bidragsomgångar: staff make a new round from a copy; it is validated, saved as a version and shown."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from present import formats as f
from tests.markdown_text import shown
from ui.state import get_store

PAGE = "pages/admin/rounds.py"


def open_page(actor: str = "Anna Andersson") -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=90)
    at.session_state["actor_name"] = actor
    at.session_state["omgang"] = "at-2023"
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def fill(at: AppTest, **values: object) -> None:
    for key, value in values.items():
        at.text_input(key=f"nr_at-2023_{key}").set_value(value) if isinstance(value, str) else at.number_input(
            key=f"nr_at-2023_{key}"
        ).set_value(value)


REVIEW = "FormSubmitter:nr_at-2023_form-Granska"


def save_button(at: AppTest):  # type: ignore[no-untyped-def]
    return next(b for b in at.button if b.label == "Spara omgången")


def review_text(at: AppTest) -> str:
    return " | ".join(shown(e.value) for e in [*at.markdown, *at.caption])


def confirm_everything(at: AppTest) -> None:
    """Tick every date to confirm and remove every flagged quote (the review's own button)."""
    next(b for b in at.button if b.label == "Ta bort alla flaggade citat").click().run()
    for box in at.checkbox:
        box.check()
    at.run()


def test_staff_make_a_round_from_a_copy_and_every_page_shows_it(isolated_database: Path) -> None:
    at = open_page()
    fill(at, id="at-2026", short="AT-tjänster 2026", title="AT-tjänster 2026 (test)", year=2026, reason="Ny omgång")
    at.button(key=REVIEW).click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    confirm_everything(at)
    save_button(at).click().run()
    assert not at.exception, at.exception
    assert any("Sparad: AT-tjänster 2026 version 1.0.0" in shown(s.value) for s in at.success)
    store = get_store(str(isolated_database))
    saved = tomllib.loads(store.rounds.round_toml("at-2026"))
    assert (saved["id"], saved["year"], saved["short_title"]) == ("at-2026", 2026, "AT-tjänster 2026")
    assert store.rounds.planned_table("at-2026") == store.rounds.planned_table("at-2023")  # copied from the source
    audit = store.query("SELECT actor, entity FROM audit_log WHERE entity_key LIKE 'at-2026%'")
    assert ("Anna Andersson", "rounds") in [tuple(r) for r in audit]
    at.switch_page("pages/at/simulator.py").run()  # the new round is chosen in the sidebar
    assert not at.exception
    assert "AT-tjänster 2026" in shown(at.title[0].value)
    assert {m.label: m.value for m in at.metric}["Pott"] == f.mnkr(254_000_000)


def test_the_review_shows_the_changes_and_refuses_to_save_until_each_flag_is_answered(
    isolated_database: Path,
) -> None:
    at = open_page()
    fill(at, id="at-2027", short="AT-tjänster 2027", year=2027, reason="Ny omgång 2027", ms0_due="2027-11-01")
    at.button(key=REVIEW).click().run()
    assert not at.exception, at.exception
    text = review_text(at)
    assert "Jämfört med AT-tjänster 2023 version 1.2.0" in text
    assert "År: 2023 → 2027" in text
    assert "Inrapportering av prestationer i e-tjänsten, senast: 2023-11-01 → 2027-11-01" in text
    assert "Kopierat från AT-tjänster 2023 version 1.2.0 (21 mottagare)" in text
    assert "Befolkningen per 2022-11-01" in text
    assert "Id at-2027 är nytt: det här blir en ny omgång, version 1.0.0." in text
    assert "nämner 2023, men omgången gäller 2027" in text
    boxes = [shown(b.label) for b in at.checkbox]
    assert "Socialstyrelsen kontrollerar prestationerna, efter: 2023-11-01 ligger utanför omgångens år (2027)." in boxes
    assert any("ligger nu efter Beslut och utbetalning" in b for b in boxes)  # the order the edit reversed
    assert save_button(at).disabled
    store = get_store(str(isolated_database))

    # Every date confirmed, but the quotes not answered: still refused.
    for box in at.checkbox:
        box.check()
    at.run()
    assert save_button(at).disabled
    assert "Innan du kan spara: välj vad som ska hända med" in review_text(at)
    # One quote rewritten, every other removed: saved, with the rewritten and removed quotes in the file.
    next(b for b in at.button if b.label == "Ta bort alla flaggade citat").click().run()
    at.radio[0].set_value("rewrite").run()
    at.text_area[0].set_value("Uppdraget för 2027 enligt regeringens beslut.").run()
    assert not save_button(at).disabled
    assert "at-2027" not in store.rounds.round_ids()  # nothing saved before the button
    save_button(at).click().run()
    assert not at.exception, at.exception
    assert any("Sparad: AT-tjänster 2027 version 1.0.0" in shown(s.value) for s in at.success)
    saved = tomllib.loads(store.rounds.round_toml("at-2027"))
    assert saved["milestones"][0]["due"].isoformat() == "2027-11-01"  # the edited deadline took
    assert saved["source"]["quote"] == "Uppdraget för 2027 enligt regeringens beslut."
    assert saved["pot"]["agency_costs"]["quote"].startswith("Citatet togs bort av handläggare")
    assert "2023" not in saved["staircase"]["steps"][0]["quote"]


def test_a_new_review_starts_with_nothing_confirmed() -> None:
    at = open_page()
    fill(at, id="at-2027", short="AT 2027", year=2027, reason="x")
    at.button(key=REVIEW).click().run()
    for box in at.checkbox:
        box.check()
    at.run()
    fill(at, ms1_after="2027-11-01")
    at.button(key=REVIEW).click().run()
    assert not at.exception
    assert at.checkbox and not any(b.value for b in at.checkbox)
    assert save_button(at).disabled


def test_a_bad_form_is_refused_with_the_fields_named_and_nothing_saved(isolated_database: Path) -> None:
    at = open_page()
    fill(at, id="AT 2026!", short="", reason="x")
    at.button(key=REVIEW).click().run()
    assert not at.exception
    message = shown(at.error[0].value)
    assert "Id:" in message and "Kort titel: får inte vara tom" in message
    assert get_store(str(isolated_database)).rounds.round_ids() == ["at-2023", "elderly-2023"]


def test_versions_tab_lists_the_rounds_versions() -> None:
    at = open_page()
    at.session_state["nr_flik"] = "Versioner"
    at.run()
    assert not at.exception
    frame = next(d.value for d in at.dataframe)
    assert isinstance(frame, pd.DataFrame) and len(frame) >= 1


def test_the_form_names_a_bad_step_and_a_bad_date() -> None:
    from ui import rules_doc
    from ui.round_editor import Edits, apply

    doc = rules_doc.load((Path(__file__).resolve().parent.parent / "data/rounds/at-2023.toml").read_text("utf-8"))
    refs = {"pots": rules_doc.pots(doc), "staircases": rules_doc.staircases(doc)}
    header = {"id": "at-2026", "version": "1.0.0", "year": 2026, "title": "T", "short_title": "T", "dnr": "D"}
    pots = pd.DataFrame({"Pott": ["a", "b"], "Belopp (kr)": [1, -5]})
    steps = [pd.DataFrame([(2, 1), (2, 5)], columns=["min", "amount"])]
    milestones = pd.DataFrame(rules_doc.milestones(doc)).assign(start="", due="1 nov", after="")
    problems = apply(doc, Edits(header, pots, steps, milestones), refs)
    text = " | ".join(problems)
    assert "får inte vara negativt" in text and "Trappan, rad 2: trappstegen måste öka strikt" in text
    assert "Senast: ”1 nov” är inget datum" in text
