"""The service layer enforces the roles: every read and write of a Session checks its principal.

These tests call the Session directly, as a crafted request would (no page hides anything here).
"""

from __future__ import annotations

import inspect
from datetime import date, datetime
from pathlib import Path

import pytest

from allocation.fixed import Requisition
from store.access import Action, Principal, Role
from store.model import Actor, User, WriteRefused
from store.service import Store
from store.session import AccessDenied, Session
from tests.report_helpers import positions
from tests.scenario_helpers import at_what_if

RECEIVED = date(2023, 10, 30)
STAFF = Principal("Sara Handläggare", Role.STAFF, login="oidc")
MANAGER = Principal("Mats Chef", Role.MANAGER, login="oidc")
UPPSALA = Principal("Ulla Uppsala", Role.REGION, "03", login="oidc")
ELDERLY = "elderly-2023"


@pytest.fixture
def store(store_target: Path | str) -> Store:
    store = Store.open(store_target)
    store.clock = lambda: datetime(2023, 11, 15, 10, 0)
    staff = Session(store, STAFF)
    for code, filled in (("01", 300), ("03", 60), ("12", 150)):
        staff.reports.record_report("test", "at-2023", positions(code, filled, 0, received=date(2023, 10, 1)))
    for code in ("01", "03"):
        staff.followup.record_ombud("test", code, date(2023, 6, 1))
        staff.followup.record_requisition("test", ELDERLY, Requisition(code, date(2023, 9, 1), 1_000_000, f"R-{code}"))
    return store


def refusals(store: Store) -> list[tuple[str, str, str]]:
    rows = store.query("SELECT actor, role, entity_key FROM audit_log WHERE action = 'refused' ORDER BY id")
    return [tuple(r) for r in rows]


def test_a_region_user_reads_only_its_own_region_before_the_decision(store: Store) -> None:
    region = Session(store, UPPSALA)
    assert [r.code for r in region.reports.reports("at-2023")] == ["03"]
    assert set(region.reports.reports_frame("at-2023")["code"]) == {"03"}
    assert {r.code for r in region.followup.requisitions(ELDERLY)} == {"03"}
    assert set(region.followup.requisitions_frame(ELDERLY)["code"]) == {"03"}
    assert set(region.rounds.fixed_amounts(ELDERLY)) == {"03"}
    assert set(region.followup.ombud_dates()) == {"03"}
    assert set(region.reports.report_dates("at-2023")) == {"03"}
    assert region.visible(Action.READ_REPORTS, "at-2023") == frozenset({"03"})


def test_staff_and_managers_read_every_region(store: Store) -> None:
    for principal in (STAFF, MANAGER):
        session = Session(store, principal)
        assert [r.code for r in session.reports.reports("at-2023")] == ["01", "03", "12"]
        assert set(session.rounds.fixed_amounts(ELDERLY)) == {r.code for r in store.rounds.recipients("at-2023")}
        assert {r.code for r in session.followup.requisitions(ELDERLY)} == {"01", "03"}


def test_another_regions_data_asked_for_by_name_is_refused_and_logged(store: Store) -> None:
    region = Session(store, UPPSALA)
    assert region.reports.report("03", "at-2023") == positions("03", 60, 0, received=date(2023, 10, 1))
    before = store.audit.audit_count()
    with pytest.raises(AccessDenied) as refused:
        region.reports.report("01", "at-2023")
    assert "behörighet" in refused.value.message_sv and "01" in refused.value.message_sv
    with pytest.raises(AccessDenied):
        region.require_region(Action.PREVIEW, "01")
    assert store.audit.audit_count() == before + 2  # one audit entry per refusal, nothing else written
    assert refusals(store) == [("Ulla Uppsala", "region 03", "at-2023/01"), ("Ulla Uppsala", "region 03", "01")]


def test_publishing_the_decision_opens_that_rounds_data_to_every_region(store: Store) -> None:
    region = Session(store, UPPSALA)
    Session(store, STAFF).decisions.record_decision("beslut", "at-2023", date(2023, 12, 1), "Dnr 1.2-3/2023")
    assert [r.code for r in region.reports.reports("at-2023")] == ["03"]  # published on 1 December: not yet
    store.clock = lambda: datetime(2023, 12, 1, 8, 0)
    assert [r.code for r in region.reports.reports("at-2023")] == ["01", "03", "12"]
    assert region.reports.report("01", "at-2023") == positions("01", 300, 0, received=date(2023, 10, 1))
    assert {r.code for r in region.followup.requisitions(ELDERLY)} == {"03"}  # the other round is still unpublished
    with pytest.raises(AccessDenied):
        region.require_region(Action.PREVIEW, "01")  # never another region's preview


@pytest.mark.parametrize("principal", [MANAGER, UPPSALA], ids=["chef", "region"])
def test_only_staff_write_anything(store: Store, principal: Principal) -> None:
    session = Session(store, principal)
    plan = at_what_if(store, "at-2023")
    tables = {t: len(store.audit.table(t)) for t in ("at_reports", "requisitions", "scenarios", "users", "decisions")}
    writes = [
        lambda: session.reports.record_report("x", "at-2023", positions("03", 1, 0, received=date(2023, 10, 1))),
        lambda: session.reports.import_reports(
            "x", "at-2023", b"region,filled,started\nUppsala,1,0\n", "f.csv", RECEIVED
        ),
        lambda: session.followup.import_requisitions(
            "x", ELDERLY, b"region,received,amount\n03,2023-09-02,1\n", "f.csv"
        ),
        lambda: session.followup.import_official_amounts("x", ELDERLY, b"region,amount\n", "f.csv", "källa"),
        lambda: session.followup.record_requisition("x", ELDERLY, Requisition("03", date(2023, 9, 2), 5, "")),
        lambda: session.followup.record_payout("x", ELDERLY, "03", date(2023, 9, 3), 5),
        lambda: session.followup.record_ombud("x", "03", date(2023, 6, 2)),
        lambda: session.followup.record_usage_report("x", ELDERLY, "03", date(2024, 4, 1)),
        lambda: session.scenarios.save_what_if("x", "s", "at-2023", plan),
        lambda: session.scenarios.delete_scenario("x", "s"),
        lambda: session.decisions.record_decision("x", "at-2023", date(2023, 12, 1), "Dnr"),
        lambda: session.users.save_user("x", User("ny@example.se", "Ny", "handläggare")),
        lambda: session.audit.backup(store.path.parent / "copy.duckdb"),
    ]
    for write in writes:
        with pytest.raises(AccessDenied):
            write()
    assert {t: len(store.audit.table(t)) for t in tables} == tables
    assert len(refusals(store)) == len(writes)
    assert not (store.path.parent / "copy.duckdb").exists()


def test_staff_can_save_a_scenario_and_a_manager_cannot(store: Store) -> None:
    plan = at_what_if(store, "at-2023")
    saved = Session(store, STAFF).scenarios.save_what_if("plan", "Alla enligt plan", "at-2023", plan)
    assert saved.author == "Sara Handläggare"
    assert store.query("SELECT role FROM audit_log WHERE entity = 'scenarios'") == [("handläggare",)]
    manager = Session(store, MANAGER)
    assert manager.scenarios.scenario_names() == ["Alla enligt plan"]  # managers read scenarios
    with pytest.raises(AccessDenied) as refused:
        manager.scenarios.save_what_if("x", "Chefens", "at-2023", plan)
    assert "chef" in refused.value.message_sv
    assert manager.scenarios.scenario("Chefens") is None


def test_a_region_user_cannot_read_staff_material(store: Store) -> None:
    region = Session(store, UPPSALA)
    for read in (
        region.scenarios.scenario_names,
        region.scenarios.scenarios,
        lambda: region.scenarios.scenario("x"),
        region.audit.audit,
        region.audit.audit_count,
        lambda: region.audit.table("at_reports"),
        region.users.users,
    ):
        with pytest.raises(AccessDenied):
            read()
    assert region.rounds.block_round("at-2023").id == "at-2023"  # the published rules and planning data are open to all
    assert len(region.rounds.regions(store.rounds.latest_population_date())) == 21


def test_a_manager_reads_tables_and_the_audit_log_but_not_the_users(store: Store) -> None:
    manager = Session(store, MANAGER)
    assert len(manager.audit.table("at_reports")) == 3
    assert manager.audit.audit_count() > 0
    with pytest.raises(AccessDenied):
        manager.audit.table("users")
    with pytest.raises(AccessDenied):
        manager.users.users()


def test_a_manager_does_not_see_user_administration_in_the_audit_log(store: Store) -> None:
    Session(store, STAFF).users.save_user("ny", User("ulla@region.se", "Ulla", "region", "03"))
    with pytest.raises(AccessDenied):
        Session(store, UPPSALA).scenarios.scenario_names()  # a refusal: an "access" entry naming a region user
    manager, staff = Session(store, MANAGER), Session(store, STAFF)
    assert {"users", "access"} <= set(staff.audit.audit()["entity"])
    assert not {"users", "access"} & set(manager.audit.audit()["entity"])
    assert not {"users", "access"} & set(manager.audit.table("audit_log")["entity"])
    assert manager.audit.audit_count() == staff.audit.audit_count() - 2
    assert len(manager.audit.audit(entity="users")) == 0


def test_status_opens_per_round_when_its_decision_is_published(store: Store) -> None:
    from ui.deadlines import cells_as_of

    region = Session(store, UPPSALA)
    before = {(c.round_id, c.code) for c in cells_as_of(region, date(2023, 11, 15))}
    assert {code for _, code in before} == {"03"}
    Session(store, STAFF).decisions.record_decision("beslut", ELDERLY, date(2023, 11, 1), "Dnr S2022/04810")
    after = {(c.round_id, c.code) for c in cells_as_of(region, date(2023, 11, 15))}
    assert {code for rid, code in after if rid == ELDERLY} == {r.code for r in store.rounds.recipients("at-2023")}
    assert {code for rid, code in after if rid == "at-2023"} == {"03"}  # the AT round is still unpublished


def test_a_refusal_entry_is_bounded(store: Store) -> None:
    store.audit.record_refusal(Actor("x", "region 03"), "preview" * 50, "k" * 5000, "m" * 5000)
    (key, reason) = store.query("SELECT entity_key, reason FROM audit_log WHERE action = 'refused'")[0]
    assert len(key) == 100 and len(reason) == 500


def test_users_are_validated_and_audited(store: Store) -> None:
    staff = Session(store, STAFF)
    assert staff.users.save_user("ny kollega", User(" Anna@Region-Uppsala.SE ", "Anna", "region", "03"))
    assert store.users.user("anna@region-uppsala.se") == User("anna@region-uppsala.se", "Anna", "region", "03", True)
    assert not staff.users.save_user("igen", User("anna@region-uppsala.se", "Anna", "region", "03"))  # unchanged
    bad = [
        User("", "Namn", "chef"),
        User("a b@x.se", "Namn", "chef"),
        User("c@x.se", "", "chef"),
        User("c@x.se", "Namn", "admin"),
        User("c@x.se", "Namn", "region"),
        User("c@x.se", "Namn", "region", "99"),
    ]
    for user in bad:
        with pytest.raises(WriteRefused) as refused:
            staff.users.save_user("fel", user)
        assert refused.value.message_sv
    entries = store.query("SELECT actor, action, entity_key FROM audit_log WHERE entity = 'users'")
    assert entries == [("Sara Handläggare", "insert", "anna@region-uppsala.se")]


def test_the_last_active_staff_user_cannot_be_removed(store: Store) -> None:
    actor = Actor("cli", "handläggare (kommandorad)")
    store.users.save_user(actor, "först", User("sara@x.se", "Sara", "handläggare"))
    with pytest.raises(WriteRefused, match="last active staff"):
        store.users.save_user(actor, "fel", User("sara@x.se", "Sara", "chef"))
    with pytest.raises(WriteRefused):
        store.users.save_user(actor, "fel", User("sara@x.se", "Sara", "handläggare", active=False))
    store.users.save_user(actor, "andra", User("per@x.se", "Per", "handläggare"))
    assert store.users.save_user(actor, "nu går det", User("sara@x.se", "Sara", "chef"))


def test_pages_reach_the_store_only_through_a_session() -> None:
    """No page or UI module opens the Store itself or reaches past the Session to it."""
    root = Path(__file__).resolve().parents[1]
    allowed = {root / "ui" / "state.py", root / "ui" / "auth.py"}  # where the Session is made
    files = [*root.joinpath("pages").rglob("*.py"), *root.joinpath("ui").glob("*.py"), root / "app.py"]
    offenders = [
        f"{path.relative_to(root)}: {needle}"
        for path in files
        if path not in allowed
        for needle in ("get_store", "store_or_stop", "Store.open", ".store.", "Store(")
        if needle in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_payouts_and_usage_reports_are_narrowed_too(store: Store) -> None:
    staff, region = Session(store, STAFF), Session(store, UPPSALA)
    for code in ("01", "03"):
        staff.followup.record_payout("test", ELDERLY, code, date(2023, 9, 5), 1_000_000)
        staff.followup.record_usage_report("test", ELDERLY, code, date(2024, 4, 2))
    assert [p[0] for p in region.followup.payouts(ELDERLY)] == ["03"]
    assert set(region.followup.usage_report_dates(ELDERLY)) == {"03"}
    assert [p[0] for p in staff.followup.payouts(ELDERLY)] == ["01", "03"]


def test_each_session_entry_offers_the_store_method_of_its_name(store: Store) -> None:
    """A session's views: the services' parameters, less the actor that a write takes from the principal."""
    session = Session(store, STAFF)
    for service, name in (
        ("reports", "reports"),
        ("rounds", "fixed_amounts"),
        ("followup", "ombud_dates"),
        ("rounds", "block_round"),
        ("users", "users"),
        ("audit", "backup"),
    ):
        offered = getattr(getattr(session, service), name)
        assert inspect.signature(offered) == inspect.signature(getattr(getattr(store, service), name))
    for service, name in (
        ("reports", "record_report"),
        ("followup", "record_payout"),
        ("followup", "import_official_amounts"),
        ("scenarios", "save_what_if"),
        ("users", "save_user"),
    ):
        store_parameters = list(inspect.signature(getattr(getattr(store, service), name)).parameters)
        assert store_parameters[0] == "actor"
        offered = getattr(getattr(session, service), name)
        assert list(inspect.signature(offered).parameters) == store_parameters[1:]
