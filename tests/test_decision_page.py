"""AppTest of the decision page: staff decide and amend; managers read; a region sees its decision once
published and never before."""

from __future__ import annotations

import math
import re
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from allocation.planned import parse_planned
from present.formats import kr
from store.model import Actor, User
from store.service import Store
from tests.block_helpers import kronor
from tests.markdown_text import shown
from tests.report_helpers import positions
from tests.test_roles_app import login
from ui.state import get_store

CLI = Actor("test", "handläggare (kommandorad)")
ROUND = "at-2023"
PAGE = "pages/decision/decision.py"


@pytest.fixture
def store(isolated_database: Path) -> Store:
    store = get_store(str(isolated_database))
    for code, more in (("01", 5), ("03", 2), ("25", 3)):
        planned = math.ceil(parse_planned(store.rounds.planned_table(ROUND)[code]))
        store.reports.record_report(CLI, "test", ROUND, positions(code, planned + more, 0, received=date(2023, 10, 20)))
    store.users.save_user(CLI, "test", User("mats@myndighet.se", "Mats Chef", "chef"))
    store.users.save_user(CLI, "test", User("ulla@regionuppsala.se", "Ulla Uppsala", "region", "03"))
    return store


def texts(at: AppTest) -> str:
    kinds = ("title", "subheader", "markdown", "caption", "error", "warning", "info", "success")
    parts = [e.value for kind in kinds for e in at.get(kind)]
    parts += [f"{m.label}: {m.value}" for m in at.metric]
    return "\n".join(shown(p) for p in parts)


def open_page(at: AppTest) -> AppTest:
    at.session_state["omgang"] = ROUND
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def staff() -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.session_state["actor_name"] = "Sara Handläggare"
    return at


def fill(at: AppTest, reference: str, published: date | None = date(2023, 12, 1)) -> None:
    at.text_input(key="decide_reference").set_value(reference)
    if published is not None:
        at.date_input(key="decide_published_on").set_value(published)
    at.text_input(key="decide_reason").set_value("Beslut efter kontroll")
    at.checkbox(key="decide_confirm").check()


def click(at: AppTest, label: str) -> None:
    next(b for b in at.button if b.label == label).click()
    at.run()
    assert not at.exception, at.exception


def submit(at: AppTest, noun: str, reference: str) -> None:
    """Both steps: "Granska <noun>" shows the summary, "Fatta <noun>" decides."""
    fill(at, reference)
    click(at, f"Granska {noun}")
    assert f"Granska {noun} innan det fattas" in texts(at)
    click(at, f"Fatta {noun}")


def test_staff_see_the_check_decide_and_amend(store: Store) -> None:
    at = open_page(staff())
    page = texts(at)
    assert "Kontroll före beslut" in page and "Rapport saknas från 18 av 21 regioner" in page
    submit(at, "beslutet", "S2023/100")
    first = store.decisions.current_decision(ROUND)
    assert first is not None and first.reference == "S2023/100" and first.decided_by == "Sara Handläggare"
    assert f"Beslutet S2023/100 är fattat och låst: {kr(first.paid)}" in texts(at)

    # a corrected report does not change the decision: the page says what changed, an amendment corrects it
    store.reports.record_report(CLI, "rättelse", ROUND, positions("03", 10, 0, received=date(2023, 10, 20)))
    at.session_state["beslut_flik"] = "Beslut"
    at.run()
    page = texts(at)
    assert "Uppgifterna i databasen har ändrats sedan beslutet" in page
    assert store.decisions.current_decision(ROUND) == first

    at.session_state["beslut_flik"] = "Ändringsbeslut"
    at.run()
    submit(at, "ändringsbeslutet", "S2023/101")
    second = store.decisions.current_decision(ROUND)
    assert second is not None and second.supersedes == first.number and second.totals["03"] == 0
    at.session_state["beslut_flik"] = "Beslut"
    at.run()
    page = texts(at)
    assert "Ändrar beslut S2023/100" in page
    assert "Vad S2023/101 ändrade i S2023/100" in [shown(e.label) for e in at.expander]
    shown_cells = " ".join(" ".join(map(str, [*d.value.columns, *d.value.to_numpy().ravel()])) for d in at.dataframe)
    assert "Beslutsdatum 1 december 2023" in page and "Europe/Stockholm" not in shown_cells  # no zone id


def test_a_manager_reads_the_decision_and_cannot_decide(store: Store) -> None:
    store.decisions.decide_round(CLI, "beslut", ROUND, "S2023/7", date(2023, 12, 1), confirmed=True)
    at = open_page(login("manager"))
    page = texts(at)
    assert "S2023/7" in page and not any(b.label.startswith("Fatta") for b in at.button)
    assert [t.label for t in at.tabs] == ["Beslut", "Dokument", "Utbetalning", "Betalningsuppgifter"]


def test_a_region_sees_its_decision_only_once_published(store: Store) -> None:
    snapshot = store.decisions.decide_round(CLI, "beslut", ROUND, "S2023/8", date(2099, 1, 1), confirmed=True)
    at = open_page(login("region"))
    page = texts(at)
    assert "inte publicerat" in page and "S2023/8" not in page and kr(snapshot.totals["03"]) not in page
    assert not store.query("SELECT 1 FROM audit_log WHERE action = 'refused'")  # nothing was even asked


def test_a_region_sees_its_amount_explanation_and_letter_once_published(store: Store) -> None:
    snapshot = store.decisions.decide_round(CLI, "beslut", ROUND, "S2023/8", date(2023, 12, 1), confirmed=True)
    at = open_page(login("region"))
    page = texts(at)
    assert kr(snapshot.totals["03"]) in page and "Så beräknades beloppet" in page
    assert [b.label for b in at.get("download_button")][:2] == ["Brev till Uppsala (PDF)", "Brev till Uppsala (DOCX)"]
    assert not any(t.key == "sign_name" for t in at.text_input)  # only the agency fills the signature


def with_check_digit(body: str) -> str:
    """``body`` and the Luhn check digit that makes it valid (made-up numbers for tests, never real ones)."""
    from ingest.payment_details import luhn_ok

    return next(body + d for d in "0123456789" if luhn_ok(body + d))


def test_staff_pay_a_decision_once_and_the_payments_equal_the_decision(store: Store) -> None:
    snapshot = store.decisions.decide_round(CLI, "beslut", ROUND, "S2023/9", date(2023, 12, 1), confirmed=True)
    receiving = [c for c, t in snapshot.totals.items() if t]
    at = open_page(staff())
    at.session_state["beslut_flik"] = "Utbetalning"
    at.run()
    assert "Betalningsuppgifter (organisationsnummer, bankgiro) saknas för" in texts(at)
    for i, code in enumerate(receiving):
        org = with_check_digit(f"23210{i}000")
        giro = with_check_digit(f"555{i}000")
        store.bank_details.save_payment_details(CLI, "test", code, org, giro)
    at.run()
    assert len(at.get("download_button")) == 2  # the list to pay as XLSX and CSV
    at.text_input(key="pay_reference").set_value("BET-2023-12")
    at.text_input(key="pay_reason").set_value("Utbetalning enligt beslut")
    next(b for b in at.button if b.label == "Registrera som utbetald").click()
    at.run()
    assert not at.exception, at.exception
    assert f"Utbetalningen BET-2023-12 är registrerad: {kr(snapshot.paid)}" in texts(at)
    paid = store.query("SELECT sum(amount) FROM payouts WHERE round_id = ?", [ROUND])[0][0]
    assert paid == snapshot.paid
    # A second run has nothing to pay: one sentence, no list with a "Summa 0 kr" row, no empty file, no form.
    assert f"Det finns inget kvar att betala ut enligt beslutet S2023/9: {kr(snapshot.paid)} är redan utbetalt." in [
        shown(i.value) for i in at.info
    ]
    assert not [d for d in at.dataframe if "Belopp (kr)" in d.value.columns]
    assert not at.get("download_button") and "Registrera som utbetald" not in [b.label for b in at.button]


def test_an_amendment_below_what_was_paid_shows_what_to_recover_and_staff_record_the_repayment(
    store: Store,
) -> None:
    first = store.decisions.decide_round(CLI, "beslut", ROUND, "S2023/9", date(2023, 12, 1), confirmed=True)
    for i, code in enumerate(sorted(store.bank_details.payment_details().keys() | set(first.totals))):
        store.bank_details.save_payment_details(
            CLI, "test", code, with_check_digit(f"2321{i:02d}000"), with_check_digit(f"55{i:02d}000")
        )
    store.payments.record_payment_run(CLI, "betalt", ROUND, date(2023, 12, 15), "UB-1")
    planned = math.ceil(parse_planned(store.rounds.planned_table(ROUND)["01"]))
    store.reports.record_report(CLI, "rättelse", ROUND, positions("01", planned + 2, 0, received=date(2023, 10, 20)))
    amended = store.decisions.decide_round(
        CLI, "ändring", ROUND, "S2023/10", date(2023, 12, 20), None, "", first.number, True
    )
    owed = first.totals["01"] - amended.totals["01"]
    at = open_page(staff())
    at.session_state["beslut_flik"] = "Utbetalning"
    at.run()
    page = texts(at)
    assert "Att återkräva" in page and f"att återkräva {kr(owed)}" in page
    assert "registrera återbetalningarna först" in page  # the list cannot be paid before the repayment
    at.number_input(key="recovery_amount").set_value(owed)
    at.text_input(key="recovery_reference").set_value("ÅK-2024-1")
    at.text_input(key="recovery_reason").set_value("Återbetalt enligt ändringsbeslutet")
    next(b for b in at.button if b.label == "Registrera återbetalningen").click()
    at.run()
    assert not at.exception, at.exception
    assert f"Återbetalningen från Stockholm är registrerad: {kr(owed)}" in texts(at)
    assert "Att återkräva" not in texts(at) and store.payments.payout_list(ROUND).recordable


def test_staff_download_the_confirmation_of_a_requisition(store: Store) -> None:
    from allocation.fixed import Requisition

    store.followup.record_ombud(CLI, "test", "03", date(2023, 6, 1))
    store.followup.record_requisition(
        CLI, "test", "elderly-2023", Requisition("03", date(2023, 9, 1), 1_234_567, "R-03")
    )
    at = staff()
    at.session_state["omgang"] = "elderly-2023"
    at.run()
    at.switch_page("pages/elderly/followup.py").run()
    at.session_state["aldre_flik"] = "Bekräftelser"
    at.run()
    assert not at.exception, at.exception
    [choice] = at.selectbox(key="confirm_req_elderly-2023").options
    assert choice == f"Uppsala · 2023-09-01 · {kr(1_234_567)} · R-03"
    assert [b.label for b in at.get("download_button")] == ["Bekräftelse (PDF)"]
    assert "uppskattning" in texts(at)  # the maximum is an estimate until the official table is read


def test_deciding_takes_a_review_and_a_confirmation_and_a_chosen_publication_day(store: Store) -> None:
    at = open_page(staff())
    assert at.date_input(key="decide_published_on").value is None  # no day is chosen for the decider
    fill(at, "S2023/200", published=None)
    click(at, "Granska beslutet")
    assert "Välj publiceringsdag" in texts(at) and store.decisions.current_decision(ROUND) is None

    at.date_input(key="decide_published_on").set_value(date(2023, 12, 1))
    click(at, "Granska beslutet")
    page = texts(at)
    check = store.decisions.decision_check(ROUND)
    assert "Granska beslutet innan det fattas" in page and store.decisions.current_decision(ROUND) is None
    assert "Fördelas: " + kr(check.paid) in page and "Mottagare med belopp: 3 av 21" in page
    assert "Publiceringsdag och beslutsdatum: 1 december 2023" in page and "Diarienummer: S2023/200" in page
    assert "Rapport saknas från 18 av 21 regioner" in page[page.index("Varningar som du har bekräftat") :]
    pots, receiving = (d.value for d in at.dataframe)
    assert list(pots["Pott"]) == [kr(254_000_000)] and list(pots["Källa"]) == ["Bidragets storlek"]
    assert sorted(receiving["Mottagare"]) == ["Norrbotten", "Stockholm", "Uppsala"]
    assert list(pots.columns) == ["Del", "Pott", "Källa"] and list(receiving.columns) == ["Mottagare", "Belopp"]

    click(at, "Ändra uppgifterna")  # back to the form, with what was entered
    assert at.text_input(key="decide_reference").value == "S2023/200"
    assert at.date_input(key="decide_published_on").value == date(2023, 12, 1)
    assert store.decisions.current_decision(ROUND) is None
    click(at, "Granska beslutet")
    click(at, "Fatta beslutet")
    decided = store.decisions.current_decision(ROUND)
    assert decided is not None and decided.published_on == "2023-12-01" and decided.paid == check.paid
    assert "Beslutet S2023/200 är fattat och låst" in texts(at)


def test_a_review_made_before_the_inputs_changed_is_reviewed_again(store: Store) -> None:
    at = open_page(staff())
    fill(at, "S2023/201")
    click(at, "Granska beslutet")
    store.reports.record_report(CLI, "rättelse", ROUND, positions("03", 10, 0, received=date(2023, 10, 20)))
    at.run()
    assert "Uppgifterna har ändrats sedan du granskade beslutet" in texts(at)
    assert not any(b.label == "Fatta beslutet" for b in at.button) and store.decisions.current_decision(ROUND) is None
    assert at.text_input(key="decide_reference").value == "S2023/201"


def test_the_signature_fields_are_shown_openly_above_the_documents_and_say_what_is_missing(store: Store) -> None:
    store.decisions.decide_round(CLI, "beslut", ROUND, "S2023/11", date(2023, 12, 1), confirmed=True)
    at = open_page(staff())
    at.session_state["beslut_flik"] = "Dokument"
    at.run()
    assert not at.exception, at.exception
    for key in ("sign_name", "sign_title", "sign_place", "sign_contact"):
        assert any(t.key == key for t in at.text_input), key
        assert not any(t.key == key for e in at.expander for t in e.text_input), key  # not folded away
    assert not any(t.key == "sign_date" for e in at.expander for t in e.date_input)
    order = [getattr(node, "key", None) or node.type for node in at.main]  # the page from top to bottom
    assert order.index("sign_name") < order.index("sign_date") < order.index("doc_beslut_pdf")
    page = texts(at)
    assert "Dokumenten märks UTKAST" in page and "undertecknare, titel, ort och datum saknas" in page
    at.text_input(key="sign_name").set_value("Åsa Öberg")
    at.text_input(key="sign_title").set_value("Enhetschef")
    at.text_input(key="sign_place").set_value("Stockholm")
    at.run()
    assert "datum saknas" in texts(at) and "undertecknare" not in texts(at)
    at.date_input(key="sign_date").set_value(date(2023, 12, 1))
    at.run()
    assert "UTKAST" not in texts(at)
    assert [b.label for b in at.get("download_button")][:3] == ["Beslutet (PDF)", "Beslutet (DOCX)", "Alla brev (ZIP)"]


def test_letters_name_the_bankgiro_the_agency_registered(store: Store) -> None:
    from store.access import Principal, Role
    from store.session import Session
    from ui.decision_view import registered_bankgiros

    store.bank_details.save_payment_details(
        CLI, "test", "25", with_check_digit("232100000"), with_check_digit("5050105")
    )
    registered = store.bank_details.payment_details()["25"][1]
    assert registered_bankgiros(Session(store, Principal("Sara", Role.STAFF))) == {"25": registered}
    assert registered_bankgiros(Session(store, Principal("Ulla", Role.REGION, "25"))) == {}


def test_the_decision_page_has_one_date_format_and_capitalised_headers(store: Store) -> None:
    first = store.decisions.decide_round(CLI, "beslut", ROUND, "S2023/9", date(2023, 12, 1), confirmed=True)
    planned = math.ceil(parse_planned(store.rounds.planned_table(ROUND)["03"]))
    store.reports.record_report(CLI, "rättelse", ROUND, positions("03", planned + 7, 0, received=date(2023, 10, 20)))
    store.decisions.decide_round(CLI, "ändring", ROUND, "S2023/10", date(2023, 12, 20), None, "", first.number, True)
    at = open_page(staff())
    page = texts(at)
    caption = next(line for line in page.splitlines() if line.startswith("Beslutsdatum "))
    assert caption.startswith("Beslutsdatum 20 december 2023 (publiceras då). Registrerat ") and " kl. " in caption
    assert not re.search(r"\d{4}-\d{2}-\d{2}", caption)  # one date format in the sentence
    headers = [str(c) for frame in at.dataframe for c in frame.value.columns]
    assert headers and all(h[0].isupper() or h[0].isdigit() or h.startswith("S20") for h in headers), headers
    changes = [frame.value for frame in at.dataframe if "Skillnad" in frame.value.columns]
    assert changes and any(kronor(x) for x in changes[0]["Skillnad"])  # the grid holds the text shown
    assert all(re.fullmatch(r"[+−]?\d{1,3}(\u00a0\d{3})*\u00a0kr", x) for x in changes[0]["Skillnad"])
