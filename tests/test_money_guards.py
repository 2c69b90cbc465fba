"""Guards on money and decisions found in review: a payment run records exactly the list that was shown,
a payout by hand never exceeds what was decided, a decision is taken once even when two staff press at the
same moment, and a snapshot row that does not match its content is refused. On both engines."""

from __future__ import annotations

import json
import math
import threading
from datetime import date
from pathlib import Path

import pytest

from allocation.fixed import Requisition
from allocation.planned import parse_planned
from ingest.payment_details import luhn_ok
from store.db import redacted
from store.model import Actor, StoreError, WriteRefused
from store.pg import translate
from store.service import Store
from tests.report_helpers import positions

STAFF = Actor("Sara Handläggare", "handläggare")
AT, ELDERLY = "at-2023", "elderly-2023"


def valid(body: str) -> str:
    """``body`` and the Luhn check digit that makes it valid (made up for the test, never a real number)."""
    return next(body + d for d in "0123456789" if luhn_ok(body + d))


@pytest.fixture
def store(store_target: Path | str) -> Store:
    store = Store.open(store_target)
    for i, (code, more) in enumerate((("01", 5), ("03", 2), ("25", 3))):
        planned = math.ceil(parse_planned(store.rounds.planned_table(AT)[code]))
        store.reports.record_report(STAFF, "test", AT, positions(code, planned + more, 0, received=date(2023, 10, 20)))
        store.bank_details.save_payment_details(STAFF, "test", code, valid(f"23210{i}000"), valid(f"555{i}000"))
    return store


def message(call: object, *args: object, **kw: object) -> str:
    with pytest.raises(WriteRefused) as refused:
        call(*args, **kw)  # type: ignore[operator]
    return refused.value.message_sv


def test_a_payment_run_records_the_list_that_was_shown_or_nothing(store: Store) -> None:
    first = store.decisions.decide_round(STAFF, "beslut", AT, "S1", date(2023, 12, 1), confirmed=True)
    shown = store.payments.payout_list(AT).fingerprint
    store.reports.record_report(STAFF, "rättelse", AT, positions("03", 10, 0, received=date(2023, 10, 20)))
    store.decisions.decide_round(STAFF, "ändring", AT, "S2", date(2023, 12, 2), supersedes=first.number, confirmed=True)
    text = message(store.payments.record_payment_run, STAFF, "betalt", AT, date(2023, 12, 15), "UB-1", expected=shown)
    assert "har ändrats sedan den visades" in text
    assert store.query("SELECT count(*) FROM payouts")[0][0] == 0
    fresh = store.payments.payout_list(AT)
    store.payments.record_payment_run(STAFF, "betalt", AT, date(2023, 12, 15), "UB-1", expected=fresh.fingerprint)
    assert (
        store.query("SELECT sum(amount) FROM payouts")[0][0] == fresh.total == store.decisions.current_decision(AT).paid
    )


def test_a_payout_by_hand_never_exceeds_the_decision_or_the_maximum(store: Store) -> None:
    assert "inte beslutad" in message(store.followup.record_payout, STAFF, "hand", AT, "01", date(2023, 12, 1), 1)
    snapshot = store.decisions.decide_round(STAFF, "beslut", AT, "S1", date(2023, 12, 1), confirmed=True)
    total = snapshot.totals["01"]
    text = message(store.followup.record_payout, STAFF, "hand", AT, "01", date(2023, 12, 1), total + 1)
    assert "mer än det beslutade beloppet" in text
    first = store.followup.record_payout(STAFF, "hand", AT, "01", date(2023, 12, 1), total, "H-1")
    assert (
        store.followup.record_payout(STAFF, "hand igen", AT, "01", date(2023, 12, 1), total, "H-1") == first
    )  # a retry
    maximum = store.rounds.fixed_amounts(ELDERLY)["09"][0]
    assert "högsta belopp" in message(
        store.followup.record_payout, STAFF, "hand", ELDERLY, "09", date(2023, 9, 1), maximum + 1
    )


def test_two_staff_deciding_at_the_same_moment_make_one_decision(store: Store) -> None:
    outcomes: list[str] = []

    def decide(reference: str) -> None:
        try:
            store.decisions.decide_round(STAFF, "beslut", AT, reference, date(2023, 12, 1), confirmed=True)
            outcomes.append("decided")
        except WriteRefused as exc:
            outcomes.append(exc.message_sv)

    threads = [threading.Thread(target=decide, args=(f"S{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("decided") == 1 and len(store.decisions.decision_list(AT)) == 1
    assert all("redan beslutad" in o or "ändrades nyss" in o for o in outcomes if o != "decided")


def test_a_snapshot_moved_to_another_row_is_refused(store: Store) -> None:
    snapshot = store.decisions.decide_round(STAFF, "beslut", AT, "S1", date(2023, 12, 1), confirmed=True)
    text = store.query("SELECT snapshot FROM decision_snapshots WHERE id = ?", [snapshot.number])[0][0]
    data = json.loads(text)
    store.con.execute(  # a copy of the sealed JSON under another id: its own hash still holds
        "INSERT INTO decision_snapshots (id, round_id, kind, supersedes, reference, published_on, decided_by, "
        "decided_at, migrated, content_hash, snapshot) VALUES (?, ?, 'ändringsbeslut', ?, 'X', ?, 'x', ?, FALSE, ?, ?)",
        [99, AT, snapshot.number, date(2023, 12, 1), date(2023, 12, 1), data["content_hash"], text],
    )
    with pytest.raises(StoreError) as refused:
        store.decisions.decision_snapshot(99)
    assert "kontrollsumman eller innehållet stämmer inte" in refused.value.message_sv


def test_requisitions_and_ombud_still_record_on_both_engines(store: Store) -> None:
    store.followup.record_ombud(STAFF, "test", "09", date(2023, 6, 1))
    store.followup.record_requisition(STAFF, "test", ELDERLY, Requisition("09", date(2023, 9, 1), 1_000, "R-1"))
    assert [r.amount for r in store.followup.requisitions(ELDERLY)] == [1_000]


def test_postgresql_text_is_passed_as_written() -> None:
    assert translate("a LIKE 'x%' AND b = ? AND c = '?'") == "a LIKE 'x%%' AND b = %s AND c = '?'"
    assert redacted("postgresql://app:pw@db/x?password=s3cret&sslmode=require") == (
        "postgresql://app:***@db/x"  # shown from the parsed fields: no query text reaches a message
    )
