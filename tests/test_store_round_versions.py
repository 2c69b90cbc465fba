"""Staff saving rounds: versions, the freeze of a published round, checks naming the field, roles.

The rounds saved here are copies of data/rounds and tests/rounds with new ids: test data only.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from block_helpers import ROUNDS_DIR

from store.access import Principal, Role
from store.model import AccessDenied, Actor, WriteRefused
from store.service import Store
from store.session import Session

ANNA = Actor("Anna Andersson")
NEW = "at-2031-test"
AT_2024 = (ROUNDS_DIR / "at-2024-illustrative.toml").read_text(encoding="utf-8")


@pytest.fixture
def store(store_target: Path | str) -> Store:
    s = Store.open(store_target)
    s.clock = lambda: datetime(2031, 3, 1, 9, 0)
    yield s
    s.close()


def with_id(text: str, new_id: str) -> str:
    return re.sub(r'(?m)^id = "[^"]*"', f'id = "{new_id}"', text, count=1)


def version(text: str, number: str) -> str:
    return re.sub(r'(?m)^version = "[^"]*"', f'version = "{number}"', text, count=1)


def pot(text: str, amount: int) -> str:
    return text.replace("amount = 63_000_000", f"amount = {amount}", 1)


def audit(store: Store, entity: str) -> list[tuple[str, str, str, str]]:
    sql = "SELECT action, entity_key, actor, reason FROM audit_log WHERE entity = ? ORDER BY id"
    return [tuple(r) for r in store.query(sql, [entity])]


def test_a_new_round_is_saved_with_its_version_and_who_saved_it(store: Store) -> None:
    text = with_id(AT_2024, NEW)
    assert store.rounds.save_round(ANNA, "ny omgång", text) == (NEW, "0.1.0")
    assert NEW in store.rounds.round_ids() and store.rounds.round_versions(NEW)["kind"].tolist() == ["blocks"]
    (row,) = store.rounds.round_versions(NEW).to_dict("records")
    assert (row["version"], row["saved_by"], row["source_file"]) == (
        "0.1.0",
        "Anna Andersson",
        "sparad av Anna Andersson",
    )
    assert row["loaded_at"] == datetime(2031, 3, 1, 9, 0)
    assert audit(store, "rounds")[-1] == ("insert", f"{NEW}@0.1.0", "Anna Andersson", "ny omgång")
    # The planned table the rules name comes from the one data/rounds loaded, with its source.
    assert store.rounds.planned_table(NEW) == store.rounds.planned_table("at-2023")
    sources = store.query("SELECT DISTINCT source FROM planned_positions WHERE round_id = ?", [NEW])
    assert sources == [("data/rounds/at-2023-planned.csv",)]
    assert store.query("SELECT id FROM milestones WHERE round_id = ?", [NEW]) == [("report",)]


def test_saving_what_the_store_holds_writes_nothing(store: Store) -> None:
    store.rounds.save_round(ANNA, "ny", with_id(AT_2024, NEW))
    entries = store.audit.audit_count()
    assert store.rounds.save_round(ANNA, "igen", with_id(AT_2024, NEW)) == (NEW, "0.1.0")
    assert store.audit.audit_count() == entries


def test_an_unpublished_version_is_replaced_with_before_and_after(store: Store) -> None:
    first = with_id(AT_2024, NEW)
    store.rounds.save_round(ANNA, "ny", first)
    second = pot(first, 70_000_000)
    store.rounds.save_round(Actor("Bo"), "rättad pott", second)
    assert len(store.rounds.round_versions(NEW)) == 1
    assert store.rounds.round_toml(NEW) == second
    assert store.rounds.block_round(NEW).block("reporting").pot.amount == 70_000_000
    (before, after) = store.query(
        "SELECT before, after FROM audit_log WHERE entity = 'rounds' AND action = 'update' AND entity_key = ?",
        [f"{NEW}@0.1.0"],
    )[0]
    assert json.loads(before)["rules_toml"] == first and json.loads(after)["rules_toml"] == second
    assert store.rounds.round_versions(NEW)["saved_by"].tolist() == ["Bo"]


def test_a_round_is_frozen_from_its_decision_not_from_its_publication(store: Store) -> None:
    first = with_id(AT_2024, NEW)
    store.rounds.save_round(ANNA, "ny", first, dict(store.rounds.planned_table("at-2023")))
    store.decisions.decide_round(ANNA, "beslut", NEW, "S2031/9", date(2031, 12, 1), confirmed=True)  # published later
    assert not store.decisions.is_published(NEW)
    with pytest.raises(WriteRefused, match=r"is decided, so version 0.1.0 is frozen"):
        store.rounds.save_round(ANNA, "ändrad", pot(first, 70_000_000))
    with pytest.raises(WriteRefused, match=r"planned: round .* is decided"):
        store.rounds.save_round(ANNA, "ändrad plan", first, {**store.rounds.planned_table(NEW), "09": "40"})
    assert store.rounds.round_toml(NEW) == first
    (snapshot,) = store.decisions.decision_list(NEW)
    assert store.decisions.decision_snapshot(snapshot.id).rules_sha256 == hashlib.sha256(first.encode()).hexdigest()


def test_a_published_round_is_frozen_and_a_change_makes_a_new_version(store: Store) -> None:
    first = with_id(AT_2024, NEW)
    store.rounds.save_round(ANNA, "ny", first)
    store.decisions.record_decision(ANNA, "beslut", NEW, date(2031, 2, 1), "S2031/1")
    entries = store.audit.audit_count()
    with pytest.raises(WriteRefused) as refused:
        store.rounds.save_round(ANNA, "ändrad", pot(first, 70_000_000))
    assert str(refused.value).startswith("version:") and "frozen" in str(refused.value)
    assert "låst" in refused.value.message_sv and "nytt versionsnummer" in refused.value.message_sv
    assert store.audit.audit_count() == entries and store.rounds.round_toml(NEW) == first
    assert store.rounds.save_round(ANNA, "samma", first) == (NEW, "0.1.0")  # the same text: nothing to refuse
    assert store.audit.audit_count() == entries
    second = version(pot(first, 70_000_000), "0.2.0")
    assert store.rounds.save_round(Actor("Bo"), "ny version", second) == (NEW, "0.2.0")
    versions = store.rounds.round_versions(NEW)
    assert versions["version"].tolist() == ["0.2.0", "0.1.0"] and versions["saved_by"].tolist() == [
        "Bo",
        "Anna Andersson",
    ]
    assert store.rounds.round_toml(NEW, "0.1.0") == first  # the published version stays readable
    assert store.rounds.round_toml(NEW) == second == store.rounds.round_toml(NEW, "0.2.0")
    assert store.rounds.round_document(NEW)["version"] == "0.2.0"
    assert store.rounds.block_round(NEW).block("reporting").pot.amount == 70_000_000
    assert audit(store, "rounds")[-1] == ("insert", f"{NEW}@0.2.0", "Bo", "ny version")


def test_the_newest_saved_version_wins_whatever_the_clock_says(store: Store) -> None:
    store.rounds.save_round(ANNA, "ny", with_id(AT_2024, NEW))
    store.clock = lambda: datetime(2020, 1, 1)  # a clock set back, or the same second
    store.rounds.save_round(ANNA, "ny version", version(pot(with_id(AT_2024, NEW), 1), "0.10.0"))
    assert store.rounds.round_versions(NEW)["version"].tolist() == ["0.10.0", "0.1.0"]
    assert store.rounds.round_document(NEW)["version"] == "0.10.0"


def test_a_saved_planned_table_is_validated_and_recorded_as_saved(store: Store) -> None:
    text = with_id(AT_2024, NEW)
    planned = dict(store.rounds.planned_table("at-2023"))
    with pytest.raises(WriteRefused) as refused:
        store.rounds.save_round(ANNA, "ny", text, {**planned, "99": "3", "01": "5-1"})
    assert "planned.99: unknown region code '99'" in str(refused.value)
    assert "planned.01:" in refused.value.message_sv and "omvänt intervall" in refused.value.message_sv
    with pytest.raises(WriteRefused, match="planned: no value for 25"):
        store.rounds.save_round(ANNA, "ny", text, {c: v for c, v in planned.items() if c != "25"})
    assert NEW not in store.rounds.round_ids()
    store.rounds.save_round(ANNA, "ny", text, {**planned, "09": "12-14"})
    assert store.rounds.planned_table(NEW)["09"] == "12-14"
    sources = {row[0] for row in store.query("SELECT source FROM planned_positions WHERE round_id = ?", [NEW])}
    assert sources == {"sparad av Anna Andersson"}
    assert store.rounds.block_round(NEW).planned["09"] == 13
    store.decisions.record_decision(ANNA, "beslut", NEW, date(2031, 2, 1), "S2031/1")
    with pytest.raises(WriteRefused, match=r"planned: round .* is decided"):
        store.rounds.save_round(ANNA, "ny version", version(text, "0.2.0"), {**planned, "09": "20"})


def test_a_planned_table_for_rules_without_one_is_refused(store: Store) -> None:
    text = with_id((ROUNDS_DIR / "at-2022-illustrative.toml").read_text(encoding="utf-8"), NEW)
    with pytest.raises(WriteRefused) as refused:
        store.rounds.save_round(ANNA, "ny", text, dict(store.rounds.planned_table("at-2023")))
    assert str(refused.value).startswith("planned: the rules name no planned table")
    assert store.rounds.save_round(ANNA, "ny", text) == (NEW, "0.1.0")
    assert store.rounds.block_round(NEW).planned == {}


AT_2023 = (Path(__file__).resolve().parent.parent / "data" / "rounds" / "at-2023.toml").read_text(encoding="utf-8")
ELDERLY = (Path(__file__).resolve().parent.parent / "data" / "rounds" / "elderly-2023.toml").read_text(encoding="utf-8")
BAD = {
    "steps not increasing": (
        AT_2023.replace("min_expansion = 3\n", "min_expansion = 2\n"),
        "staircase.steps[1].min_expansion: steps must be positive and strictly increasing",
        "strikt stigande",
    ),
    "negative step": (AT_2023.replace("amount = 3_000_000", "amount = -3"), "staircase.steps[1].amount", "negativt"),
    "missing quote": (
        re.sub(r"(?m)^key_quote = .*\n", "", AT_2023),
        "redistribution.key_quote: missing field",
        "fältet saknas",
    ),
    "unknown pot": (
        AT_2023.replace('default = "bidragets_storlek"', 'default = "x"'),
        "pot.default: no pot option 'x'",
        "inget pottalternativ",
    ),
    "text for a number": (
        AT_2023.replace("per_inhabitants = 100_000", 'per_inhabitants = "100 000"'),
        "redistribution.per_inhabitants: must be a whole number",
        "måste vara ett heltal",
    ),
    "dates out of order": (
        AT_2023.replace("start = 2023-12-01", "start = 2024-01-15"),
        "milestones[2].start: 2024-01-15 comes after the due date 2023-12-31",
        "kommer efter slutdatumet",
    ),
    "fixed without its requisition": (
        ELDERLY.replace('id = "requisition"', 'id = "rekvisition"'),
        "milestones: needs a milestone 'requisition'",
        "behöver en milstolpe",
    ),
    "fixed with a negative pot": (
        ELDERLY.replace("amount = 298_500_000", "amount = -1"),
        "pot.amount: must not be negative",
        "negativt",
    ),
    "blocks with a negative pot": (pot(AT_2024, -5), "blocks[0].pot.amount: must not be negative", "negativt"),
    "blocks with an unknown recipient": (
        AT_2024.replace(
            'method = "reported_share"',
            'method = "reported_share"\neligible = { codes = ["01", "99"], section = "Test", quote = "Test" }',
        ),
        "unknown recipient '99'",
        "okänd mottagare",
    ),
    "planned file in another folder": (
        AT_2024.replace('file = "at-2023-planned.csv"', 'file = "../../etc/passwd"'),
        "planned.file: must be the plain name of a file",
        "utan mappar",
    ),
    "not TOML": ("kind = blocks", "not valid TOML", "inte giltig TOML"),
    "unknown kind": (AT_2024.replace('"blocks"', '"lottery"', 1), "kind: must be one of", "måste vara ett av"),
    "id with a slash": (with_id(AT_2024, "at/2031"), "id: may hold only", "får bara innehålla"),
    "another kind under an existing id": (
        with_id(AT_2024, "at-2023"), "kind: round 'at-2023' is a performance", "prestationsbaserad"
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BAD))
def test_a_rules_file_that_cannot_be_used_is_refused_naming_the_field(store: Store, case: str) -> None:
    text, english, swedish = BAD[case]
    text = text if case.startswith(("not TOML", "another kind", "id with")) else with_id(text, NEW)
    entries, ids = store.audit.audit_count(), store.rounds.round_ids()
    with pytest.raises(WriteRefused) as refused:
        store.rounds.save_round(ANNA, "prov", text)
    assert english in str(refused.value)
    assert swedish in refused.value.message_sv
    assert store.audit.audit_count() == entries and store.rounds.round_ids() == ids


def test_every_problem_is_listed_at_once(store: Store) -> None:
    text = with_id(
        AT_2023.replace("amount = 3_000_000", "amount = -3").replace("amount = 5_000_000", "amount = -5"), NEW
    )
    with pytest.raises(WriteRefused) as refused:
        store.rounds.save_round(ANNA, "prov", text)
    assert [p[0].split(":")[0] for p in refused.value.problems] == [
        "staircase.steps[1].amount",
        "staircase.steps[2].amount",
    ]  # type: ignore[attr-defined]


STAFF = Principal("Sara Handläggare", Role.STAFF, login="oidc")
MANAGER = Principal("Mats Chef", Role.MANAGER, login="oidc")
UPPSALA = Principal("Ulla Uppsala", Role.REGION, "03", login="oidc")


@pytest.mark.parametrize("principal", [MANAGER, UPPSALA], ids=["chef", "region"])
def test_only_staff_save_rounds_and_a_refusal_is_audited(store: Store, principal: Principal) -> None:
    session = Session(store, principal)
    assert session.rounds.round_toml("at-2023") == store.rounds.round_toml("at-2023")  # the rules are readable by all
    assert session.rounds.block_round("at-2023") == store.rounds.block_round("at-2023")
    with pytest.raises(AccessDenied) as refused:
        session.rounds.save_round("ny", with_id(AT_2024, NEW))
    assert "skapa och ändra bidragsomgångar" in refused.value.message_sv
    assert NEW not in store.rounds.round_ids()
    (row,) = store.query("SELECT actor, role, action, entity, after FROM audit_log WHERE action = 'refused'")
    assert row[:4] == (principal.name, principal.audit_role, "refused", "access")
    assert json.loads(row[4]) == {"action": "edit_rounds"}


def test_staff_save_a_round_through_the_session_as_themselves(store: Store) -> None:
    session = Session(store, STAFF)
    assert session.rounds.save_round("ny omgång", with_id(AT_2024, NEW)) == (NEW, "0.1.0")
    assert session.rounds.round_versions(NEW)["saved_by"].tolist() == ["Sara Handläggare"]
    assert store.query("SELECT role FROM audit_log WHERE entity = 'rounds' AND actor = 'Sara Handläggare'") == [
        ("handläggare",)
    ]
    assert [r.code for r in session.rounds.recipients(NEW)] == [r.code for r in store.rounds.recipients("at-2023")]
    assert session.rounds.round_problems() == ()
