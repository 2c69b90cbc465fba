"""Payment details, payout lists and payment runs: the checks, the arithmetic (Hypothesis) and the store.

Every organisation and bankgiro number here is made up in the test: a body of digits completed with its
Luhn check digit (``complete``). None is a real recipient's number.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allocation.payouts import PendingRequisition, decision_payouts, requisition_payouts
from allocation.problems import InputError
from ingest.payment_details import InvalidNumber, bankgiro, luhn_ok, org_number, parse_payment_details
from present.payouts import problems_sv, refused_sv
from present.problems import lines_sv
from store import db
from store.access import Principal, Role
from store.model import AccessDenied, Actor, Requisition, WriteRefused
from store.service import Store
from store.session import Session

ANNA = Actor("Anna")
AT = "at-2023"
ELDERLY = "elderly-2023"


def complete(body: str) -> str:
    """``body`` with the Luhn check digit that makes it valid."""
    return next(body + d for d in "0123456789" if luhn_ok(body + d))


def made_up_org(i: int) -> str:
    return complete(f"23{i % 8 + 2}{i:06d}")


def made_up_bankgiro(i: int) -> str:
    return complete(f"9{i:06d}")


# --- the numbers ----------------------------------------------------------------------------------


def test_organisation_numbers_are_written_nnnnnn_nnnn_and_checked() -> None:
    valid = complete("555000123")
    assert org_number(valid) == f"{valid[:6]}-{valid[6:]}"
    assert org_number(f" {valid[:6]}-{valid[6:]} ") == org_number("16" + valid) == org_number(valid)
    wrong = valid[:-1] + str((int(valid[-1]) + 1) % 10)
    with pytest.raises(InvalidNumber) as exc:
        org_number(wrong)
    assert "kontrollsiffran" in exc.value.message_sv and "check digit" in str(exc.value)
    person_like = complete("191212121")  # third digit 1: the shape of a personal identity number
    with pytest.raises(InvalidNumber, match="third digit"):
        org_number(person_like)
    for bad, words in (("", "missing"), ("12345", "10 digits"), ("55500O1234", "0-9"), ("19" + valid, "prefix 16")):
        with pytest.raises(InvalidNumber, match=words):
            org_number(bad)


def test_bankgiro_numbers_have_7_or_8_digits_and_a_check_digit() -> None:
    seven, eight = complete("123456"), complete("1234567")
    assert bankgiro(seven) == f"{seven[:3]}-{seven[3:]}"
    assert bankgiro(eight) == f"{eight[:4]}-{eight[4:]}"
    assert bankgiro(f"{eight[:4]}-{eight[4:]}") == bankgiro(eight)
    with pytest.raises(InvalidNumber) as exc:
        bankgiro(eight[:-1] + str((int(eight[-1]) + 3) % 10))
    assert "kontrollsiffran" in exc.value.message_sv
    with pytest.raises(InvalidNumber, match="7 or 8"):
        bankgiro("123456789")


@given(body=st.text("0123456789", min_size=9, max_size=9).filter(lambda b: b[2] >= "2"), position=st.integers(0, 9))
def test_a_valid_number_round_trips_and_any_one_wrong_digit_is_caught(body: str, position: int) -> None:
    number = complete(body)
    assert org_number(org_number(number)) == org_number(number)
    changed = str((int(number[position]) + 1 + position % 8) % 10)
    assert not luhn_ok(number[:position] + changed + number[position + 1 :])


def test_a_file_of_details_names_every_problem_by_row_and_column(tmp_path: Path, store: Store) -> None:
    good, bg = made_up_org(1), made_up_bankgiro(1)
    wrong = good[:-1] + str((int(good[-1]) + 1) % 10)
    text = (
        f"Län;Organisationsnummer;Bankgiro\n09;{good};{bg}\nKalmar;{wrong};{bg}\nAtlantis;{good};12\n09;{good};{bg}\n"
    )
    with pytest.raises(InputError) as exc:
        parse_payment_details([line.split(";") for line in text.splitlines()], store.rounds.region_index())
    lines = lines_sv(exc.value)
    assert any(line.startswith("rad 4, kolumn Län") and "Atlantis" in line for line in lines)
    assert any(line.startswith("rad 4, kolumn Bankgiro") for line in lines)
    assert any(line.startswith("rad 5, kolumn Län") for line in lines)  # Gotland again
    assert any(line.startswith("rad 3, kolumn Organisationsnummer") and "kontrollsiffran" in line for line in lines)
    rows = [["region", "orgnr", "bg"], ["Gotland", good, bg]]
    (detail,) = parse_payment_details(rows, store.rounds.region_index())
    assert (detail.code, detail.org_number, detail.bankgiro) == ("09", org_number(good), bankgiro(bg))


# --- the arithmetic (Hypothesis) --------------------------------------------------------------------

codes = st.sampled_from([f"{n:02d}" for n in range(1, 8)])
money = st.integers(0, 10**9)


@settings(max_examples=200)
@given(totals=st.dictionaries(codes, money, min_size=1), paid=st.dictionaries(codes, money))
def test_a_decisions_lines_and_what_was_paid_make_its_totals(totals: dict[str, int], paid: dict[str, int]) -> None:
    lines, recoveries = decision_payouts(totals, {}, paid, "S1", {})
    by_code = {line.code: line.amount for line in lines}
    owed = {r.code: r.amount for r in recoveries}
    assert all(amount > 0 for amount in by_code.values()) and all(amount > 0 for amount in owed.values())
    assert not set(by_code) & set(owed)  # a recipient is paid or owes, never both: nothing is netted across
    for code in set(totals) | set(paid):
        assert by_code.get(code, 0) - owed.get(code, 0) == totals.get(code, 0) - paid.get(code, 0)
    # decided − already paid = to pay now − to recover
    assert sum(totals.values()) - sum(paid.values()) == sum(by_code.values()) - sum(owed.values())
    after = dict(paid)
    for line in lines:
        after[line.code] = after.get(line.code, 0) + line.amount
    for code, amount in owed.items():
        after[code] -= amount
    assert decision_payouts(totals, {}, after, "S1", {}) == ((), ())


@settings(max_examples=200)
@given(
    maximum=st.dictionaries(codes, money, min_size=1),
    paid=st.dictionaries(codes, st.integers(0, 10**9)),
    amounts=st.lists(st.tuples(codes, st.integers(1, 5 * 10**8), st.integers(1, 30)), max_size=15),
    up_to=st.none() | st.integers(1, 30),
)
def test_requisitions_never_take_a_region_above_its_maximum(
    maximum: dict[str, int], paid: dict[str, int], amounts: list[tuple[str, int, int]], up_to: int | None
) -> None:
    pending = [PendingRequisition(i, c, date(2023, 10, day), a) for i, (c, a, day) in enumerate(amounts)]
    limit = None if up_to is None else date(2023, 10, up_to)
    lines, refused = requisition_payouts(pending, maximum, paid, {}, "S1", {}, limit)
    considered = [p for p in pending if limit is None or p.received <= limit]
    assert {line.requisition_id for line in lines} | {r.requisition_id for r in refused} == {p.id for p in considered}
    for code in {line.code for line in lines}:
        assert paid.get(code, 0) + sum(line.amount for line in lines if line.code == code) <= maximum[code]
    assert all(line.amount == pending[line.requisition_id or 0].amount > 0 for line in lines)
    after = dict(paid)
    for line in lines:
        after[line.code] = after.get(line.code, 0) + line.amount
    rest = [p for p in pending if p.id not in {line.requisition_id for line in lines}]
    assert requisition_payouts(rest, maximum, after, {}, "S1", {}, limit)[0] == ()


# --- the store --------------------------------------------------------------------------------------


@pytest.fixture
def store(store_target: Path | str) -> Store:
    s = Store.open(store_target)
    yield s  # type: ignore[misc]
    s.close()


def report(store: Store, outcome: dict[str, int] | None = None) -> None:
    rows = ["region;filled;started"]
    for n, r in enumerate(store.rounds.recipients(AT)):
        value = (outcome or {}).get(r.code, 20 + 3 * n)
        rows.append(f"{r.code};{value};{value}")
    store.reports.import_reports(ANNA, "rapporter", AT, "\n".join(rows).encode(), "r.csv", date(2023, 10, 30))


def decided(store: Store) -> int:
    report(store)
    return store.decisions.decide_round(ANNA, "beslut", AT, "S2023/00001", date(2023, 12, 1), confirmed=True).number


def enter_details(store: Store, codes: list[str] | None = None) -> None:
    for i, r in enumerate(store.rounds.recipients(AT)):
        if codes is None or r.code in codes:
            store.bank_details.save_payment_details(
                ANNA, "uppgifter från regionen", r.code, made_up_org(i), made_up_bankgiro(i)
            )


def test_a_decision_is_paid_once_in_one_audited_transaction(store: Store) -> None:
    number = decided(store)
    snapshot = store.decisions.decision_snapshot(number)
    listed = store.payments.payout_list(AT)
    assert listed.total == snapshot.paid == sum(snapshot.totals.values())
    assert {line.code for line in listed.lines} == {c for c, t in snapshot.totals.items() if t}
    with pytest.raises(WriteRefused) as exc:  # no payment details yet
        store.payments.record_payment_run(ANNA, "utbetalning", AT, date(2023, 12, 15), "UB-1")
    assert "Betalningsuppgifter" in exc.value.message_sv
    assert store.payments.payment_runs(AT) == [] and store.followup.payouts(AT) == []

    enter_details(store)
    before = store.audit.audit_count()
    run_id = store.payments.record_payment_run(ANNA, "utbetalning", AT, date(2023, 12, 15), "UB-1")
    (run,) = store.payments.payment_runs(AT)
    assert (run.id, run.decision_id, run.total, run.lines) == (run_id, number, snapshot.paid, len(listed.lines))
    assert sum(a for _, _, a in store.followup.payouts(AT)) == snapshot.paid
    entries = store.audit.audit(limit=100)
    new = entries.head(store.audit.audit_count() - before)
    assert sorted(new["entity"].unique()) == ["payment_runs", "payouts"]
    assert (new["entity"] == "payouts").sum() == len(listed.lines)
    assert new["logged_at"].nunique() == 1 and set(new["reason"]) == {"utbetalning"}
    linked = store.query("SELECT count(*) FROM payouts WHERE run_id = ? AND decision_id = ?", [run_id, number])
    assert linked[0][0] == len(listed.lines)

    assert store.payments.payout_list(AT).lines == ()
    with pytest.raises(WriteRefused, match="nothing is left"):
        store.payments.record_payment_run(ANNA, "igen", AT, date(2023, 12, 16), "UB-2")
    with pytest.raises(db.CONSTRAINT_ERRORS):  # the index backs it, whatever the code does
        store.con.execute(
            "INSERT INTO payouts (round_id, code, paid_on, amount, recorded_at, decision_id) "
            "VALUES (?, ?, ?, 1, now(), ?)",
            [AT, listed.lines[0].code, date(2023, 12, 16), number],
        )


def test_an_amendment_lists_what_to_recover_and_never_pays_the_round_above_its_decision(store: Store) -> None:
    first = decided(store)
    enter_details(store)
    store.payments.record_payment_run(ANNA, "utbetalning", AT, date(2023, 12, 15), "UB-1")
    old = store.decisions.decision_snapshot(first).totals
    top = max(old, key=lambda c: old[c])
    report(store, {top: 0})  # the largest recipient had reported wrongly: it drops out, the others gain
    amended = store.decisions.decide_round(
        ANNA, "rättelse", AT, "S2023/00002", date(2023, 12, 20), supersedes=first, confirmed=True
    )
    listed = store.payments.payout_list(AT)
    assert listed.decision_id == amended.number
    (owed,) = listed.recoveries
    assert (owed.code, owed.amount) == (top, old[top] - amended.totals[top])
    for line in listed.lines:
        assert line.amount == amended.totals[line.code] - old[line.code] > 0
    assert listed.basis - listed.already_paid == listed.total - listed.to_recover  # the list reconciles
    with pytest.raises(WriteRefused, match="amended"):
        store.payments.record_payment_run(ANNA, "gammalt", AT, date(2023, 12, 21), "UB-X", decision_id=first)
    with pytest.raises(WriteRefused, match="recovered") as refused:
        store.payments.record_payment_run(ANNA, "ändringsbeslut", AT, date(2023, 12, 21), "UB-2")
    assert "återkrävas" in refused.value.message_sv
    assert store.query("SELECT count(*) FROM payouts WHERE reference = 'UB-2'")[0][0] == 0
    with pytest.raises(WriteRefused, match="to be recovered"):
        store.payments.record_recovery(ANNA, "för mycket", AT, top, date(2024, 1, 10), owed.amount + 1, "ÅK-1")
    store.payments.record_recovery(ANNA, "återbetalt", AT, top, date(2024, 1, 10), owed.amount, "ÅK-1")
    assert store.payments.record_recovery(ANNA, "igen", AT, top, date(2024, 1, 10), owed.amount, "ÅK-1") == (
        store.payments.recoveries(AT)[0].id  # a retried write records nothing new
    )
    relisted = store.payments.payout_list(AT)
    assert relisted.recoveries == () and relisted.recordable
    store.payments.record_payment_run(ANNA, "ändringsbeslut", AT, date(2024, 1, 11), "UB-2")
    paid: dict[str, int] = {}
    for code, _, amount in store.followup.payouts(AT):
        paid[code] = paid.get(code, 0) + amount
    for r in store.payments.recoveries(AT):
        paid[r.code] -= r.amount
    assert {c: a for c, a in paid.items() if a} == {c: t for c, t in amended.totals.items() if t}


def test_payment_details_are_checked_imported_and_audited(store: Store) -> None:
    with pytest.raises(WriteRefused) as exc:
        store.bank_details.save_payment_details(ANNA, "r", "09", complete("555000123")[:-1] + "x", made_up_bankgiro(1))
    assert "0–9" in exc.value.message_sv
    org, bg = made_up_org(3), made_up_bankgiro(3)
    data = f"region,organisationsnummer,bankgiro\nGotland,{org},{bg}\n03,{made_up_org(4)},{made_up_bankgiro(4)}\n"
    dry = store.bank_details.import_payment_details(ANNA, "import", data.encode(), "bg.csv", dry_run=True)
    assert (dry.rows, dry.changed) == (2, 2) and store.bank_details.payment_details() == {}
    done = store.bank_details.import_payment_details(ANNA, "import", data.encode(), "bg.csv")
    assert (done.changed, store.bank_details.payment_details()["09"]) == (2, (org_number(org), bankgiro(bg)))
    again = store.bank_details.import_payment_details(ANNA, "import", data.encode(), "bg.csv")
    assert (again.changed, again.unchanged) == (0, 2)
    audit = store.audit.audit(entity="payment_details")
    assert len(audit) == 2 and json.loads(audit.iloc[0]["after"])["bankgiro"] in {
        bankgiro(bg),
        bankgiro(made_up_bankgiro(4)),
    }


def elderly_with_official_table(store: Store) -> dict[str, int]:
    estimate = {code: amount for code, (amount, _, _) in store.rounds.fixed_amounts(ELDERLY).items()}
    table = "region;amount\n" + "\n".join(f"{c};{a}" for c, a in estimate.items())
    store.followup.import_official_amounts(
        ANNA, "tabell", ELDERLY, table.encode(), "bilaga.csv", "test: påhittad tabell"
    )
    for code in estimate:
        store.followup.record_ombud(ANNA, "ombud", code, date(2023, 2, 1))
    return estimate


def test_requisitions_are_paid_up_to_a_day_once_and_never_above_the_maximum(store: Store) -> None:
    estimated = store.payments.payout_list(ELDERLY)
    assert any("uppskattningar" in text for text in problems_sv(estimated))
    maximum = elderly_with_official_table(store)
    for code in ("09", "08"):
        store.bank_details.save_payment_details(ANNA, "r", code, made_up_org(int(code)), made_up_bankgiro(int(code)))
    store.followup.record_requisition(ANNA, "rekv", ELDERLY, Requisition("09", date(2023, 3, 1), 1_000_000, "R-1"))
    store.followup.record_requisition(ANNA, "rekv", ELDERLY, Requisition("08", date(2023, 5, 1), 2_000_000, "R-2"))
    listed = store.payments.payout_list(ELDERLY, up_to=date(2023, 4, 1))
    assert [(line.code, line.amount, line.requisition) for line in listed.lines] == [("09", 1_000_000, "R-1")]
    assert listed.total == listed.basis == 1_000_000
    store.payments.record_payment_run(ANNA, "utbetalning", ELDERLY, date(2023, 4, 1), "UB-1")
    assert store.payments.payout_list(ELDERLY, up_to=date(2023, 4, 1)).lines == ()
    with pytest.raises(WriteRefused, match="nothing is left"):
        store.payments.record_payment_run(ANNA, "igen", ELDERLY, date(2023, 4, 2), "UB-2")
    run_id = store.payments.record_payment_run(ANNA, "maj", ELDERLY, date(2023, 5, 2), "UB-3")
    assert store.payments.run_lines(run_id)[0][:2] == ("08", 2_000_000)

    # Paid by hand close to Gotland's maximum; a requisition within what it requisitioned, but above what is left.
    store.followup.record_payout(ANNA, "manuell", ELDERLY, "09", date(2023, 6, 1), maximum["09"] - 1_500_000)
    store.followup.record_requisition(ANNA, "rekv", ELDERLY, Requisition("09", date(2023, 6, 2), 600_000, "R-3"))
    listed = store.payments.payout_list(ELDERLY)
    (refused,) = listed.refused
    assert refused.code == "09" and "överstiger" in refused_sv(refused) and listed.lines == ()
    with pytest.raises(WriteRefused) as exc:
        store.payments.record_payment_run(ANNA, "juni", ELDERLY, date(2023, 6, 3), "UB-4")
    assert "högsta belopp" in exc.value.message_sv
    paid_09 = sum(a for c, _, a in store.followup.payouts(ELDERLY) if c == "09")
    assert paid_09 == maximum["09"] - 500_000


def test_payments_are_refused_while_example_data_is_loaded(store: Store) -> None:
    from store import demo

    demo.load(store, ANNA, "visning")
    with pytest.raises(WriteRefused, match="example data"):
        store.payments.record_payment_run(ANNA, "r", AT, date(2023, 12, 15), "UB-1")
    with pytest.raises(WriteRefused, match="example data"):
        store.bank_details.save_payment_details(ANNA, "r", "09", made_up_org(1), made_up_bankgiro(1))


def test_managers_read_payout_lists_and_only_staff_record_them(store: Store) -> None:
    decided(store)
    manager = Session(store, Principal("Maja", Role.MANAGER))
    assert manager.payments.payout_list(AT).total == store.payments.payout_list(AT).total
    with pytest.raises(AccessDenied):
        manager.payments.record_payment_run("r", AT, date(2023, 12, 15), "UB-1")
    region = Session(store, Principal("Rune", Role.REGION, "09"))
    with pytest.raises(AccessDenied):
        region.payments.payout_list(AT)
    staff = Session(store, Principal("Anna", Role.STAFF))
    with pytest.raises(WriteRefused, match="payment details"):
        staff.payments.record_payment_run("r", AT, date(2023, 12, 15), "UB-1")


def test_a_run_that_meets_a_paid_line_writes_nothing_at_all(store: Store) -> None:
    number = decided(store)
    enter_details(store)
    listed = store.payments.payout_list(AT)
    code = listed.lines[-1].code
    store.con.execute(  # a line of this decision already in the table (as another writer might have left it)
        "INSERT INTO payouts (round_id, code, paid_on, amount, recorded_at, decision_id) VALUES (?, ?, ?, 0, now(), ?)",
        [AT, code, date(2023, 12, 14), number],
    )
    before = store.audit.audit_count()
    with pytest.raises(WriteRefused) as exc:
        store.payments.record_payment_run(ANNA, "utbetalning", AT, date(2023, 12, 15), "UB-1")
    assert "redan utbetald" in exc.value.message_sv
    assert store.payments.payment_runs(AT) == [] and store.audit.audit_count() == before
    assert store.query("SELECT count(*) FROM payouts WHERE run_id IS NOT NULL")[0][0] == 0


def test_payment_before_the_decision_or_without_reference_is_refused(store: Store) -> None:
    decided(store)
    enter_details(store)
    with pytest.raises(WriteRefused, match="before the decision"):
        store.payments.record_payment_run(ANNA, "r", AT, date(2023, 11, 30), "UB-1")
    with pytest.raises(WriteRefused, match="reference"):
        store.payments.record_payment_run(ANNA, "r", AT, date(2023, 12, 15), "  ")
    assert store.payments.payment_runs(AT) == []


def test_an_illustrative_round_is_decided_but_never_paid(store: Store) -> None:
    """An illustrative round's amounts are examples: it may be decided (to try the flow), never paid. The same
    rules not marked illustrative at the round's level are paid (tests/browser/test_round_end_to_end.py pays
    the 2024-shaped round that way)."""
    text = (Path(__file__).parent / "rounds" / "at-2024-illustrative.toml").read_text(encoding="utf-8")
    head, sep, rest = text.partition("\n[source]")
    real = head.replace('id = "at-2024-illustrative"', 'id = "at-2024-real"').replace(
        "\nillustrative = true\n", "\nillustrative = false\n"
    )
    assert real != head
    for rules in (text, real + sep + rest):
        store.rounds.save_round(ANNA, "testomgång", rules)
    for round_id in ("at-2024-illustrative", "at-2024-real"):
        reports = "Region;Tillsatta;Påbörjade;Avräknade;Mottagen\nUppsala;58;57;0;2024-10-31\n"
        store.reports.import_reports(ANNA, "rapporter", round_id, reports.encode(), "r.csv")
        store.decisions.decide_round(ANNA, "beslut", round_id, "S2024/1", date(2024, 12, 10), confirmed=True)
    for i, r in enumerate(store.rounds.recipients("at-2024-real")):
        store.bank_details.save_payment_details(ANNA, "uppgifter", r.code, made_up_org(i), made_up_bankgiro(i))

    listed = store.payments.payout_list("at-2024-illustrative")
    assert listed.total == 223_000_000  # the list is shown, with why it cannot be recorded
    assert "Illustrativ omgång: inga utbetalningar registreras." in problems_sv(listed)
    with pytest.raises(WriteRefused, match="illustrative"):
        store.payments.record_payment_run(ANNA, "utbetalning", "at-2024-illustrative", date(2024, 12, 15), "UB-1")
    assert store.payments.payment_runs("at-2024-illustrative") == []

    assert (
        problems_sv(store.payments.payout_list("at-2024-real")) == []
        and store.payments.payout_list("at-2024-real").recordable
    )
    store.payments.record_payment_run(ANNA, "utbetalning", "at-2024-real", date(2024, 12, 15), "UB-2")
    assert sum(a for _, _, a in store.followup.payouts("at-2024-real")) == 223_000_000


def test_a_region_reads_what_it_has_been_paid_of_its_decided_amount(store: Store) -> None:
    number = decided(store)
    totals = store.decisions.decision_snapshot(number).totals
    own = next(code for code, total in totals.items() if total)
    uppsala = Session(store, Principal("region-user", Role.REGION, own))
    assert uppsala.payments.paid_per_recipient(AT) == {}  # decided, nothing paid yet
    enter_details(store)
    store.payments.record_payment_run(ANNA, "utbetalning", AT, date(2023, 12, 15), "UB-1")
    assert uppsala.payments.paid_per_recipient(AT)[own] == totals[own]
    # The decision is published, so (as its amounts) what each region was paid is public; read as follow-up.
    assert (
        uppsala.payments.paid_per_recipient(AT)
        == store.payments.paid_per_recipient(AT)
        == {c: t for c, t in totals.items() if t}
    )
