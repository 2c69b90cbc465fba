"""The store's money invariants on both engines, as a Hypothesis property and as the attacks that broke them.

- Any sequence of reports, decisions, amendments, payment runs, payouts by hand and repayments: a write never
  takes a recipient or the round above the decision in force, and every payout list reconciles
  (decided − already paid = to pay now − to recover).
- The payout list's fingerprint covers every field that reaches the bank (a changed bankgiro is a changed list).
- Two recipients with the same bankgiro or organisation number are refused unless staff confirm it.
- A pot above the product's one bound is refused by the store and by ``decide --pot``.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from allocation.money import MAX_AMOUNT, kr
from store import decision_commands
from store.cli import main as store_main
from store.model import Actor, WriteRefused
from store.payout_export import payout_export
from store.service import Store
from tests.postgres import fresh_database
from tests.test_payments import made_up_bankgiro, made_up_org

ANNA = Actor("Anna Andersson", "handläggare")
AT = "at-2023"
_names = itertools.count(1)


def net_paid(store: Store) -> dict[str, int]:
    rows = store.query(
        "SELECT code, sum(amount) FROM (SELECT code, amount FROM payouts WHERE round_id = ? UNION ALL "
        "SELECT code, -amount FROM recoveries WHERE round_id = ?) t GROUP BY code",
        [AT, AT],
    )
    return {code: int(total) for code, total in rows}


def in_force(store: Store) -> dict[str, int]:
    current = store.decisions.current_decision(AT)
    return dict(current.totals) if current else {}


def report(store: Store, extra: dict[str, int]) -> None:
    planned = store.rounds.block_round(AT).planned
    rows = ["region;filled;started"]
    for r in store.rounds.recipients(AT):
        value = int(planned.get(r.code, 0)) + extra.get(r.code, 0)
        rows.append(f"{r.code};{value};{value}")
    store.reports.import_reports(ANNA, "rapporter", AT, "\n".join(rows).encode(), "r.csv", date(2023, 10, 30))


codes = st.sampled_from(["01", "03", "09", "12", "25"])
operation = st.one_of(
    st.tuples(st.just("report"), st.dictionaries(codes, st.integers(0, 12), min_size=1)),
    st.tuples(st.just("decide")),
    st.tuples(st.just("pay")),
    st.tuples(st.just("hand"), codes, st.integers(1, 20_000_000)),
    st.tuples(st.just("recover"), st.integers(1, 3)),
)


def apply(store: Store, op: tuple, day: date) -> None:
    """One operation; a refusal is an allowed outcome (the invariant is checked either way)."""
    try:
        if op[0] == "report":
            report(store, op[1])
        elif op[0] == "decide":
            current = store.decisions.current_decision(AT)
            number = None if current is None else current.number
            store.decisions.decide_round(
                ANNA, "beslut", AT, f"S2023/{next(_names)}", date(2023, 12, 1), None, "", number, True
            )
        elif op[0] == "pay":
            store.payments.record_payment_run(ANNA, "utbetalning", AT, day, f"UB-{next(_names)}")
        elif op[0] == "hand":
            store.followup.record_payout(ANNA, "för hand", AT, op[1], day, op[2])
        else:
            listed = store.payments.payout_list(AT)
            for owed in listed.recoveries:  # repaid in full, or a part of it
                amount = max(1, owed.amount // op[1])
                store.payments.record_recovery(ANNA, "återbetalt", AT, owed.code, day, amount, f"ÅK-{next(_names)}")
    except WriteRefused:
        pass


def check(store: Store, op: tuple, before: dict[str, int]) -> None:
    after, decided = net_paid(store), in_force(store)
    if op[0] != "decide":  # an amendment may leave a recipient above its new amount: that is to recover
        for code, amount in after.items():
            assert amount <= max(decided.get(code, 0), before.get(code, 0)), (op, code)
        total_before, total_after = sum(before.values()), sum(after.values())
        assert total_after <= max(sum(decided.values()), total_before), op
    if decided:
        listed = store.payments.payout_list(AT)
        assert listed.basis - listed.already_paid == listed.total - listed.to_recover
        assert listed.already_paid == sum(after.values())


@contextmanager
def engine_store(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Store]:
    name = f"money_{next(_names)}"
    if engine == "duckdb":
        store = Store.open(tmp_path / f"{name}.duckdb")
        try:
            yield store
        finally:
            store.close()
        return
    with fresh_database(request.getfixturevalue("pg_cluster"), name) as url:
        store = Store.open(url)
        try:
            yield store
        finally:
            store.close()


@pytest.mark.parametrize("engine", ["duckdb", "postgresql"])
def test_no_sequence_of_writes_pays_above_the_decision_in_force(
    engine: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    @settings(
        max_examples=10,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(ops=st.lists(operation, min_size=2, max_size=8))
    def run(ops: list[tuple]) -> None:
        with engine_store(engine, tmp_path, request) as store:
            for i, r in enumerate(store.rounds.recipients(AT)):
                store.bank_details.save_payment_details(ANNA, "uppgifter", r.code, made_up_org(i), made_up_bankgiro(i))
            report(store, {"01": 5, "03": 2})
            for step, op in enumerate([("decide",), ("pay",), *ops]):
                before = net_paid(store)
                apply(store, op, date(2024, 1, 1) + timedelta(days=step))
                check(store, op, before)

    run()


def test_the_attack_of_issue_23_an_amendment_that_moves_money_between_regions(store_target: Path | str) -> None:
    """Decide, pay in full, correct a report, amend (money moves between regions), pay again: refused until
    the amount to recover is repaid, and the round never pays more than it decided."""
    store = Store.open(store_target)
    for i, r in enumerate(store.rounds.recipients(AT)):
        store.bank_details.save_payment_details(ANNA, "uppgifter", r.code, made_up_org(i), made_up_bankgiro(i))
    report(store, {"01": 12, "03": 4, "09": 3})
    first = store.decisions.decide_round(ANNA, "beslut", AT, "S1", date(2023, 12, 1), confirmed=True)
    store.payments.record_payment_run(ANNA, "utbetalning", AT, date(2023, 12, 15), "UB-1")
    report(store, {"01": 2, "03": 10, "09": 7})  # a corrected report: 01 falls, 03 and 09 rise
    store.decisions.decide_round(ANNA, "ändring", AT, "S2", date(2023, 12, 20), supersedes=first.number, confirmed=True)
    with pytest.raises(WriteRefused):
        store.payments.record_payment_run(ANNA, "igen", AT, date(2023, 12, 21), "UB-2")
    assert sum(net_paid(store).values()) <= first.paid
    listed = store.payments.payout_list(AT)
    (owed,) = listed.recoveries
    about = dict(openpyxl.load_workbook(io.BytesIO(payout_export(store, listed, "xlsx")))["Om uttaget"].values)
    assert "Avstämning" in about and kr(listed.to_recover) in about["Avstämning"]
    assert owed.code not in {line.code for line in listed.lines}  # the bank file pays, never recovers
    store.close()


def test_a_repayment_from_the_command_line_then_the_rest_is_paid(
    isolated_database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store.open(isolated_database)
    for i, r in enumerate(store.rounds.recipients(AT)):
        store.bank_details.save_payment_details(ANNA, "uppgifter", r.code, made_up_org(i), made_up_bankgiro(i))
    report(store, {"01": 12, "03": 4})
    first = store.decisions.decide_round(ANNA, "beslut", AT, "S1", date(2023, 12, 1), confirmed=True)
    store.payments.record_payment_run(ANNA, "utbetalning", AT, date(2023, 12, 15), "UB-1")
    report(store, {"01": 2, "03": 10})
    amended = store.decisions.decide_round(
        ANNA, "ändring", AT, "S2", date(2023, 12, 20), supersedes=first.number, confirmed=True
    )
    (owed,) = store.payments.payout_list(AT).recoveries
    store.close()
    common = ["--db", str(isolated_database)]
    assert store_main([*common, "payouts", "--round", AT, "--out", str(isolated_database.parent / "p.csv")]) == 0
    out = capsys.readouterr().out
    assert f"to recover: {owed.name}" in out and "reconciliation: decided" in out
    recover = [*common, "recover", "--round", AT, "--region", owed.code, "--received-on", "2024-01-10"]
    recover += ["--reference", "ÅK-1", "--actor", "Anna", "--reason", "återbetalt"]
    assert store_main([*recover, "--amount", str(owed.amount + 1)]) == 2
    assert "to be recovered" in capsys.readouterr().err
    assert store_main([*recover, "--amount", f"{owed.amount:_}".replace("_", " ")]) == 0
    pay = [*common, "pay", "--round", AT, "--paid-on", "2024-01-11", "--reference", "UB-2"]
    assert store_main([*pay, "--actor", "Anna", "--reason", "resten"]) == 0
    store = Store.open(isolated_database)
    assert {c: a for c, a in net_paid(store).items() if a} == {c: t for c, t in amended.totals.items() if t}
    store.close()


def test_the_fingerprint_covers_the_bankgiro_sent_to_the_bank(store_target: Path | str) -> None:
    store = Store.open(store_target)
    for i, r in enumerate(store.rounds.recipients(AT)):
        store.bank_details.save_payment_details(ANNA, "uppgifter", r.code, made_up_org(i), made_up_bankgiro(i))
    report(store, {"01": 5})
    store.decisions.decide_round(ANNA, "beslut", AT, "S1", date(2023, 12, 1), confirmed=True)
    shown = store.payments.payout_list(AT).fingerprint  # exported and sent to the bank
    store.bank_details.save_payment_details(ANNA, "nytt bankgiro", "01", made_up_org(0), made_up_bankgiro(40))
    with pytest.raises(WriteRefused, match="changed since"):
        store.payments.record_payment_run(ANNA, "betalt", AT, date(2023, 12, 15), "UB-1", expected=shown)
    assert store.query("SELECT count(*) FROM payouts")[0][0] == 0
    store.close()


def test_two_recipients_with_one_bankgiro_or_org_number_need_confirmation(store_target: Path | str) -> None:
    store = Store.open(store_target)
    store.bank_details.save_payment_details(ANNA, "uppgifter", "01", made_up_org(1), made_up_bankgiro(1))
    with pytest.raises(WriteRefused, match="bankgiro") as refused:
        store.bank_details.save_payment_details(ANNA, "uppgifter", "03", made_up_org(2), made_up_bankgiro(1))
    assert "Samma nummer för flera mottagare" in refused.value.message_sv and "Stockholm" in refused.value.message_sv
    with pytest.raises(WriteRefused, match="organisation number"):
        store.bank_details.save_payment_details(ANNA, "uppgifter", "03", made_up_org(1), made_up_bankgiro(2))
    assert set(store.bank_details.payment_details()) == {"01"}
    store.bank_details.save_payment_details(
        ANNA, "delat, kontrollerat", "03", made_up_org(2), made_up_bankgiro(1), True
    )
    assert store.bank_details.payment_details()["03"][1] == store.bank_details.payment_details()["01"][1]
    data = f"region,organisationsnummer,bankgiro\n09,{made_up_org(9)},{made_up_bankgiro(1)}\n".encode()
    with pytest.raises(WriteRefused, match="bankgiro"):
        store.bank_details.import_payment_details(ANNA, "import", data, "bg.csv")
    assert "09" not in store.bank_details.payment_details()
    store.close()


def test_a_pot_above_the_bound_is_refused_by_the_store_and_the_command_line(
    isolated_database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store.open(isolated_database)
    block = store.rounds.block_round(AT).blocks[0].id
    for pot in (MAX_AMOUNT + 1, 10**30):
        with pytest.raises(WriteRefused, match="must be between 0 and"):
            store.decisions.decide_round(ANNA, "beslut", AT, "S1", date(2023, 12, 1), {block: pot}, confirmed=True)
    assert store.decisions.current_decision(AT) is None
    store.close()
    assert decision_commands.parse_amount("9223372036854775808") != 9223372036854775808
    args = ["--db", str(isolated_database), "decide", "--round", AT, "--dnr", "S1", "--published", "2023-12-01"]
    status = store_main([*args, "--pot", "9223372036854775808", "--confirm", "--actor", "Anna", "--reason", "test"])
    assert status == 2
    err = capsys.readouterr().err
    assert "at most 1" in err and "Traceback" not in err
