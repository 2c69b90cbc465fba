"""Example data (``store.demo``, ``python -m store demo``, ``ui.example_data``): made from the rounds' rules,
loaded and removed in one audited transaction each, never mixed with real records, labelled on every page."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from block_helpers import ROUNDS_DIR
from streamlit.testing.v1 import AppTest

from allocation.block_convert import recipients_from_regions
from allocation.block_engine import allocate_round
from allocation.fixed import Requisition
from allocation.report_values import engine_values
from present.block_table import stair_details
from store import db, demo
from store.model import Actor, User, WriteRefused
from store.service import Store
from tests.app_helpers import USERS, app, logged_in
from tests.report_helpers import positions
from tests.scenario_helpers import at_what_if
from ui.example_data import READER_NOTE, STAFF_INSTRUCTION
from ui.scenarios import EXAMPLE_SUFFIX
from ui.state import get_store

ROOT = Path(__file__).resolve().parents[1]
RECEIVED = date(2023, 10, 30)  # the day the reports arrived: always explicit
ANNA = Actor("Anna Andersson")
TABLES = demo.TABLES


@pytest.fixture
def store(store_target: Path | str) -> Store:
    s = Store.open(store_target)
    yield s
    s.close()


def rows(store: Store, table: str, where: str = "TRUE", ids: bool = True) -> list[tuple[object, ...]]:
    """Every row of a follow-up table but the time it was written (and its id, unless ``ids``)."""
    left_out = ["updated_at" if table == "at_reports" else "recorded_at"]
    if not ids and table in ("requisitions", "payouts"):
        left_out += ["id", "requisition_id"]  # ids (and the links by id) differ between two loads
    listed = store.query(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position", [table]
    )
    columns = ", ".join(c for (c,) in listed if c not in left_out)
    return sorted(store.query(f"SELECT {columns} FROM {table} WHERE {where}"), key=repr)


# --- made from the rules --------------------------------------------------------------------------------


def test_every_round_with_region_events_gets_a_realistic_mix(store: Store) -> None:
    plan = demo.make_plan(store)
    assert plan == demo.make_plan(store)  # a fixed seed: the same records every time (stable screenshots)
    assert plan != demo.make_plan(store, seed=demo.SEED + 1)
    assert demo.plan_problems(store, plan) == []
    n = len(store.rounds.regions(store.rounds.latest_population_date()))
    for round_id in of_format(store, "performance"):
        doc = store.rounds.round_document(round_id)
        due = next(m["due"] for m in doc["milestones"] if m.get("event") == "at_report")
        reports = [report for r, report in plan.reports if r == round_id]
        received = {report.code: report.received for report in reports}
        on_time = sum(day <= due for day in received.values() if day is not None)
        assert 0 < on_time < len(received) < n  # some on time, some late, some never
        round_ = store.rounds.block_round(round_id)
        people = recipients_from_regions(store.rounds.regions(round_.population_date))
        values = engine_values(reports)
        result = allocate_round(round_, people, values)
        stairs = stair_details(round_, result, people, values)[0]
        steps = Counter(d.nominal for stair in stairs.values() for d in stair.values() if d.level)
        assert len(steps) >= 3 and sum(steps.values()) < len(received)  # several steps reached; not everyone
        assert result.paid == result.pot
    for round_id in store.rounds.requisition_round_ids():
        maximum = {c: a for c, (a, _, _) in store.rounds.fixed_amounts(round_id).items()}
        due = store.rounds.block_round(round_id).requisition_due
        asked: dict[str, list[Requisition]] = {}
        for r, item in plan.requisitions:
            if r == round_id:
                asked.setdefault(item.code, []).append(item)
                assert isinstance(item.amount, int) and item.amount > 0
        total = {code: sum(i.amount for i in items) for code, items in asked.items()}
        assert all(total[code] <= maximum[code] for code in total)  # never above a region's maximum
        assert any(total[c] == maximum[c] and len(asked[c]) == 1 for c in total)  # in full
        assert any(len(items) == 2 for items in asked.values())  # in two parts
        assert any(total[c] < maximum[c] for c in total)  # partly
        assert any(min(i.received for i in items) > due for items in asked.values())  # late
        assert len(asked) < n  # and some not at all
        ombud = dict(plan.ombud)
        assert all(ombud[c] <= min(i.received for i in items) for c, items in asked.items())
        paid = {p.code for p in plan.payouts if p.round_id == round_id}
        late = {c for c, items in asked.items() if min(i.received for i in items) > due}
        assert paid == set(asked) - late  # a requisition after the deadline is not paid
        reported = {code for r, code, _ in plan.usage_reports if r == round_id}
        assert reported and reported < set(asked)  # only a region given money reports its use; not all do


def test_a_round_dropped_into_the_data_folder_gets_example_data_by_its_rules(
    isolated_database: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    shutil.copy(ROUNDS_DIR / "at-2024-illustrative.toml", data / "rounds")  # a round of blocks, reported by date
    store = Store.open(isolated_database, data_dir=data)
    loaded = demo.load(store, ANNA, "visning")
    assert "at-2024-illustrative" in loaded.rounds
    dates = store.reports.report_dates("at-2024-illustrative")
    assert dates and all(day.year == 2024 for day in dates.values())  # around its own milestone, not 2023's
    store.close()


# --- loading: one audited transaction, idempotent, never beside real records --------------------------


def test_loading_is_one_audited_transaction_marked_in_every_row(store: Store) -> None:
    before = store.audit.audit_count()
    loaded = demo.load(store, ANNA, "visning")
    assert loaded.written and set(loaded.rounds) == {"at-2023", "elderly-2023"}
    assert all(loaded.counts[t] > 0 for t in TABLES)
    assert store.audit.audit_count() == before + sum(loaded.counts.values()) + 1  # each row, and the summary
    entries = store.audit.audit(limit=store.audit.audit_count() - before)
    assert entries["reason"].str.startswith(demo.MARK).all()  # every entry says the data is fictitious
    assert entries["logged_at"].nunique() == 1  # written by one transaction
    assert demo.example_counts(store) == loaded.counts
    assert demo.real_counts(store) == dict.fromkeys(TABLES, 0)
    frame = store.audit.table("at_reports")  # every view and export can tell: a column, and the source in words
    assert frame["example"].all() and (frame["source"] == demo.MARK).all()
    assert set(demo.example_rounds(store)) == set(loaded.rounds)


def test_example_payouts_pay_their_requisitions_and_the_payout_list_reconciles(store: Store) -> None:
    demo.load(store, ANNA, "visning")
    for round_id in demo.example_rounds(store):
        if not store.rounds.block_round(round_id).paid_on_requisition:
            continue
        paid = {rid for (rid,) in store.query("SELECT requisition_id FROM payouts WHERE round_id = ?", [round_id])}
        assert None not in paid  # every example payout pays one requisition
        listed = store.payments.payout_list(round_id)
        assert not {line.requisition_id for line in listed.lines} & paid  # a paid requisition is never listed
        assert listed.basis == listed.total + sum(r.amount for r in listed.refused)  # the list reconciles
        (unpaid,) = store.query(
            "SELECT coalesce(sum(amount), 0) FROM requisitions q WHERE round_id = ? AND NOT EXISTS "
            "(SELECT 1 FROM payouts p WHERE p.requisition_id = q.id)",
            [round_id],
        )[0]
        assert listed.basis == unpaid
        assert (
            listed.already_paid + unpaid
            == store.query("SELECT sum(amount) FROM requisitions WHERE round_id = ?", [round_id])[0][0]
        )


def test_a_failure_while_loading_writes_nothing(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    before = store.audit.audit_count()
    written = []
    original = store.followup.write_requisition

    def fail_after_some(tx, round_id, item, source):  # type: ignore[no-untyped-def]
        written.append(item)
        if len(written) == 5:
            raise OSError("disk full")
        return original(tx, round_id, item, source)

    monkeypatch.setattr(store.followup, "write_requisition", fail_after_some)
    with pytest.raises(OSError):
        demo.load(store, ANNA, "visning")
    assert demo.example_counts(store) == dict.fromkeys(TABLES, 0)
    assert demo.example_rounds(store) == {}
    assert store.audit.audit_count() == before


def test_loading_twice_writes_nothing_the_second_time(store: Store) -> None:
    first = demo.load(store, ANNA, "visning")
    entries = store.audit.audit_count()
    again = demo.load(store, ANNA, "visning igen")
    assert not again.written and again.counts == first.counts
    assert store.audit.audit_count() == entries


def test_loading_is_refused_while_the_store_holds_real_records(store: Store) -> None:
    store.reports.record_report(ANNA, "inkommen", "at-2023", positions("09", 19, 18, received=date(2023, 10, 30)))
    before = store.audit.audit_count()
    with pytest.raises(WriteRefused, match="real records") as refused:
        demo.load(store, ANNA, "visning")
    assert "riktiga uppgifter (1 rapporter" in refused.value.message_sv
    assert store.audit.audit_count() == before
    assert demo.example_counts(store) == dict.fromkeys(TABLES, 0)


def test_an_actor_and_a_reason_are_required(store: Store) -> None:
    with pytest.raises(WriteRefused):
        demo.load(store, Actor(" "), "visning")
    with pytest.raises(WriteRefused):
        demo.load(store, ANNA, " ")
    assert demo.example_rounds(store) == {}


# --- removing: exactly the example records --------------------------------------------------------------


def test_real_follow_up_records_are_refused_while_example_data_is_loaded(store: Store) -> None:
    demo.load(store, ANNA, "visning")
    counts = demo.example_counts(store)
    entries = store.audit.audit_count()
    code = sorted(r.code for r in store.rounds.regions(store.rounds.latest_population_date()))[0]
    writes = [
        lambda: store.reports.record_report(
            ANNA, "inkommen", "at-2023", positions(code, 30, 29, received=date(2023, 11, 1))
        ),
        lambda: store.followup.record_ombud(ANNA, "godkänt", code, date(2023, 4, 4)),
        lambda: store.followup.record_requisition(
            ANNA, "inkommen", "elderly-2023", Requisition(code, date(2023, 10, 30), 1_000, "R-1")
        ),
        lambda: store.followup.record_payout(ANNA, "utbetald", "elderly-2023", code, date(2023, 11, 10), 1_000, "U-1"),
        lambda: store.followup.record_usage_report(ANNA, "inkommen", "elderly-2023", code, date(2024, 4, 2), "Dnr 2"),
        lambda: store.reports.import_reports(
            ANNA, "fil", "at-2023", b"region,filled,started\n01,1,1\n", "f.csv", RECEIVED
        ),
        lambda: store.followup.import_requisitions(
            ANNA, "fil", "elderly-2023", b"region,received,amount\n01,2023-10-01,5\n", "f.csv"
        ),
    ]
    for write in writes:
        with pytest.raises(WriteRefused) as refused:
            write()
        assert "exempeldata" in refused.value.message_sv and "demo --remove" in refused.value.message_sv
    assert demo.example_counts(store) == counts and store.audit.audit_count() == entries  # nothing written
    demo.remove(store, ANNA, "städning")
    assert store.followup.record_ombud(ANNA, "godkänt", code, date(2023, 4, 4))  # real records once it is gone


def test_removing_deletes_exactly_the_example_records_and_nothing_real(store: Store) -> None:
    # Real records of other kinds (follow-up records are refused beside example data, in both directions).
    store.users.save_user(ANNA, "ny handläggare", User("sara@myndighet.se", "Sara", "handläggare"))
    store.decisions.record_decision(ANNA, "publicerat", "at-2023", date(2023, 12, 15), "Dnr 1")
    other_tables = ("users", "decisions", "fixed_amounts", "rounds", "planned_positions")
    others_before = {t: store.query(f"SELECT count(*) FROM {t}")[0][0] for t in other_tables}
    demo.load(store, ANNA, "visning")
    removed = demo.remove(store, ANNA, "städning")
    assert removed.kept == dict.fromkeys(TABLES, 0)
    assert demo.example_counts(store) == dict.fromkeys(TABLES, 0)
    assert demo.example_rounds(store) == {}
    assert all(rows(store, t) == [] for t in TABLES)
    assert {t: store.query(f"SELECT count(*) FROM {t}")[0][0] for t in other_tables} == others_before
    entries = store.audit.audit(limit=5)
    assert entries.iloc[0]["action"] == "remove" and entries.iloc[0]["reason"].startswith(demo.MARK)


def test_removing_without_example_data_writes_nothing(store: Store) -> None:
    before = store.audit.audit_count()
    removed = demo.remove(store, ANNA, "städning")
    assert removed.rounds == () and not any(removed.counts.values())
    assert store.audit.audit_count() == before


def test_after_removal_the_store_is_empty_and_the_same_data_can_be_loaded_again(store: Store) -> None:
    first = demo.load(store, ANNA, "visning")
    tables = {t: rows(store, t, ids=False) for t in TABLES}
    demo.remove(store, ANNA, "städning")
    assert demo.is_empty(store)
    again = demo.load(store, ANNA, "visning")
    assert again.counts == first.counts
    assert {t: rows(store, t, ids=False) for t in TABLES} == tables


def test_declining_the_first_start_offer_is_remembered_and_audited(store: Store) -> None:
    assert demo.is_empty(store) and not demo.declined(store)
    demo.decline(store, ANNA)
    assert demo.declined(store)
    assert store.audit.audit(limit=1).iloc[0]["action"] == "decline"


def test_a_database_of_the_previous_schema_is_upgraded_with_its_rows_real(isolated_database: Path) -> None:
    old = Store.open(isolated_database, migrate_to=5)
    old.followup.record_ombud(ANNA, "godkänt", "09", date(2023, 3, 1))
    old.close()
    new = Store.open(isolated_database)
    assert db.schema_version(new.con) == len(db.migrations())
    assert demo.real_counts(new)["ombud"] == 1 and demo.example_rounds(new) == {}
    with pytest.raises(WriteRefused):
        demo.load(new, ANNA, "visning")
    new.close()


# --- the command line ------------------------------------------------------------------------------------


def run(db_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", "--db", str(db_path), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_make_demo_beside_the_running_dashboard_says_exactly_what_to_do(isolated_database: Path) -> None:
    store = Store.open(isolated_database)  # as the running dashboard holds it (make run, then make demo)
    try:
        held = run(isolated_database, "demo", "--actor", "make demo", "--reason", "visning")
    finally:
        store.close()
    assert held.returncode == 3 and "Traceback" not in held.stderr
    text = held.stderr
    assert text.startswith("error: the database ") and "is open in the running dashboard" in text
    assert '"Läs in exempeldata" in the box "Databasen är tom" at the top of any page' in text
    assert "stop the dashboard (Ctrl+C where make run runs), run make demo, then make run again" in text
    assert "Data page" not in text


def test_the_command_loads_once_removes_and_refuses_beside_real_records(isolated_database: Path) -> None:
    who = ["--actor", "Anna", "--reason", "visning"]
    loaded = run(isolated_database, "demo", *who)
    assert loaded.returncode == 0, loaded.stderr
    assert "example data loaded" in loaded.stdout and "at-2023, elderly-2023" in loaded.stdout
    again = run(isolated_database, "demo", *who)
    assert again.returncode == 0 and "nothing written" in again.stdout

    store = Store.open(isolated_database)  # the command line cannot open the file while this holds it
    held = run(isolated_database, "demo", "--remove", *who)
    assert held.returncode == 3 and held.stderr.startswith("error: ") and "Traceback" not in held.stderr
    # beside the running dashboard: where its button is, or how to stop it first; never "the Data page"
    assert '"Ta bort exempeldata" under the banner' in held.stderr and "Ctrl+C where make run runs" in held.stderr
    assert "Data page" not in held.stderr
    counts = demo.example_counts(store)
    store.close()

    removed = run(isolated_database, "demo", "--remove", *who)
    assert removed.returncode == 0, removed.stderr
    assert f"{counts['at_reports']} reports" in removed.stdout
    nothing = run(isolated_database, "demo", "--remove", *who)
    assert nothing.returncode == 0 and "nothing removed" in nothing.stdout

    store = Store.open(isolated_database)
    store.followup.record_ombud(ANNA, "godkänt", "09", date(2023, 3, 1))
    store.close()
    refused = run(isolated_database, "demo", *who)
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.strip().splitlines() == [
        "error: the database holds real records (0 reports, 1 ombud, 0 requisitions, 0 payouts, 0 usage "
        "reports): example data is loaded only into a database without real records, so that the two never mix"
    ]
    missing = run(isolated_database, "demo", "--actor", "Anna")
    assert missing.returncode == 2 and "--reason" in missing.stderr


# --- the dashboard ---------------------------------------------------------------------------------------

FRAME = """
import streamlit as st
from ui.example_data import example_data_banner, first_start_offer
from ui.state import session_or_stop

session = session_or_stop()
example_data_banner(session)
first_start_offer(session)
st.title("Sidan")
"""


def of_format(store: Store, kind: str) -> list[str]:
    """The store's rounds whose rules are in the format ``kind`` (the AT report API takes the 2023 format)."""
    return [r for r in store.rounds.round_ids() if store.rounds.round_document(r).get("kind") == kind]


def _banner(at: AppTest) -> bool:
    return any(demo.MARK in i.value for i in at.info)


def test_staff_load_example_data_at_first_start_see_the_banner_and_remove_it(isolated_database: Path) -> None:
    at = AppTest.from_string(FRAME, default_timeout=60)
    at.session_state["actor_name"] = "Anna Andersson"  # local mode: the name the sidebar asks for
    at.run()
    assert not at.exception and not _banner(at)
    at.button(key="example_data_load").click().run()
    assert not at.exception and _banner(at)
    assert not [b for b in at.button if b.key == "example_data_load"]  # the offer is gone once loaded
    store = get_store(str(isolated_database))
    assert set(demo.example_rounds(store)) == {"at-2023", "elderly-2023"}
    at.button(key="example_data_remove").click().run()
    assert not at.exception and not _banner(at)
    assert demo.example_rounds(store) == {} and demo.is_empty(store)


def test_the_first_start_offer_asks_for_a_name_and_can_be_declined(isolated_database: Path) -> None:
    at = AppTest.from_string(FRAME, default_timeout=60).run()
    at.button(key="example_data_load").click().run()
    assert any("Ange ditt namn" in e.value for e in at.error) and not _banner(at)
    at.session_state["actor_name"] = "Anna Andersson"
    at.button(key="example_data_decline").click().run()
    assert not [b for b in at.button if b.key == "example_data_load"]
    assert demo.declined(get_store(str(isolated_database)))


def test_no_offer_once_the_store_holds_real_records(isolated_database: Path) -> None:
    get_store(str(isolated_database)).followup.record_ombud(ANNA, "godkänt", "09", date(2023, 3, 1))
    at = AppTest.from_string(FRAME, default_timeout=60).run()
    assert not at.exception and not [b for b in at.button if b.key == "example_data_load"] and not _banner(at)


@pytest.mark.parametrize(
    ("user", "may_remove"),
    [
        (USERS["staff"], True),
        (USERS["manager"], False),
        (USERS["region"], False),
    ],
    ids=["staff", "manager", "region"],
)
def test_every_role_sees_the_banner_and_only_staff_may_remove_it(
    isolated_database: Path, user: User, may_remove: bool
) -> None:
    store = get_store(str(isolated_database))
    store.users.save_user(ANNA, "test", user)
    demo.load(store, ANNA, "visning")
    at = logged_in(AppTest.from_string(FRAME, default_timeout=60), user)
    at.run()
    assert not at.exception and _banner(at)
    assert bool([b for b in at.button if b.key == "example_data_remove"]) == may_remove
    assert not [b for b in at.button if b.key == "example_data_load"]
    # the instruction to remove it is for staff only; the others are told what it means for them
    (banner,) = [i.value for i in at.info if demo.MARK in i.value]
    assert (STAFF_INSTRUCTION in banner) == may_remove and (READER_NOTE in banner) != may_remove


# --- scenarios saved on example data ----------------------------------------------------------------------


def _scenario(store: Store, name: str) -> None:
    reports = [positions(r.code, 5, 5) for r in store.rounds.recipients("at-2023")]
    store.scenarios.save_what_if(ANNA, "test", name, "at-2023", at_what_if(store, "at-2023", reports=reports))


def test_a_scenario_saved_on_example_data_stays_marked_after_its_removal(store: Store) -> None:
    _scenario(store, "Före")  # real (no example data yet)
    demo.load(store, ANNA, "visning")
    _scenario(store, "På exempel")
    assert store.scenarios.example_scenario_names("at-2023") == {"På exempel"}
    demo.remove(store, ANNA, "städning")
    assert store.scenarios.example_scenario_names("at-2023") == {"På exempel"}  # removal keeps it, and its mark
    assert store.scenarios.scenario("På exempel").example and not store.scenarios.scenario("Före").example
    _scenario(store, "Efter")
    assert store.scenarios.example_scenario_names() == {"På exempel"}
    # overwritten with real data later: no longer marked
    store.scenarios.save_what_if(ANNA, "test", "På exempel", "at-2023", at_what_if(store, "at-2023"), overwrite=True)
    assert store.scenarios.example_scenario_names() == frozenset()


def test_a_scenario_made_on_example_data_is_labelled_in_the_sidebar_and_in_the_comparison(
    isolated_database: Path,
) -> None:
    store = get_store(str(isolated_database))
    demo.load(store, ANNA, "visning")
    _scenario(store, "Prov")
    demo.remove(store, ANNA, "städning")
    store.reports.record_report(ANNA, "e-tjänsten", "at-2023", positions("01", 300, 0, received=date(2023, 10, 20)))
    at = app(90)
    at.session_state["actor_name"] = "Anna Andersson"
    at.run()
    assert not at.exception
    assert f"Prov{EXAMPLE_SUFFIX}" in at.selectbox(key="scenario").options
    at.switch_page("pages/at/simulator.py")
    at.query_params["vy"] = "Jämför scenarier"
    at.run()
    assert not at.exception, at.exception
    other = at.selectbox(key="compare_other")
    assert f"Prov{EXAMPLE_SUFFIX}" in other.options
    other.set_value("Prov").run()
    warnings = [w.value for w in at.warning if "exempeldata" in w.value]
    assert warnings and "”Prov”" in warnings[0] and "fiktiva" in warnings[0]


PAGES = (
    "pages/overview/overview.py",
    "pages/elderly/followup.py",
    "pages/deadlines/status.py",
    "pages/at/simulator.py",
    "pages/region/preview.py",
    "pages/data/import_export.py",
)


@pytest.mark.skipif(
    "example_data_banner" not in (ROOT / "app.py").read_text(encoding="utf-8"),
    reason="app.py does not call ui.example_data.example_data_banner yet",
)
@pytest.mark.parametrize("loaded", [True, False], ids=["with example data", "without"])
def test_every_page_of_the_app_says_when_it_shows_example_data(isolated_database: Path, loaded: bool) -> None:
    store = get_store(str(isolated_database))
    if loaded:
        demo.load(store, ANNA, "visning")
    else:
        store.followup.record_ombud(
            ANNA, "godkänt", "09", date(2023, 3, 1)
        )  # a real record: no first-start offer either
    at = app().run()
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, page
        assert _banner(at) == loaded, page
