"""A region sees nothing of a decision before its publication (on DuckDB and PostgreSQL).

Every Session read that shows decisions to a region — the publication register (``decisions``), the list,
a snapshot, the decision in force (amount, letter, reference, date) — shows only decisions published by the
store's day, each with its own reference and date; the one in force is the latest published, never an
amendment still to be published. Staff see everything, and the users page lists each decision apart.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from pathlib import Path

import pytest

from allocation import decision as d
from allocation.planned import parse_planned
from store.access import Principal, Role
from store.service import Store
from store.session import AccessDenied, Session
from tests.report_helpers import positions
from ui.decision_register import decision_rows

STAFF = Principal("Sara Handläggare", Role.STAFF, login="oidc")
MANAGER = Principal("Mats Chef", Role.MANAGER, login="oidc")
UPPSALA = Principal("Ulla Uppsala", Role.REGION, "03", login="oidc")
ROUND = "at-2023"
ELDERLY = "elderly-2023"


def on(store: Store, day: date) -> None:
    store.clock = lambda: datetime(day.year, day.month, day.day, 10, 0)


@pytest.fixture
def store(store_target: Path | str) -> Store:
    store = Store.open(store_target)
    on(store, date(2023, 11, 15))
    staff = Session(store, STAFF)
    for code, more in (("01", 5), ("03", 2), ("25", 3)):
        planned = math.ceil(parse_planned(store.rounds.planned_table(ROUND)[code]))
        staff.reports.record_report("test", ROUND, positions(code, planned + more, 0, received=date(2023, 10, 20)))
    return store


def decide(store: Store, reference: str, published_on: date, supersedes: int | None = None) -> d.Snapshot:
    return Session(store, STAFF).decisions.decide_round(
        "beslut", ROUND, reference, published_on, supersedes=supersedes, confirmed=True
    )


def region_sees_no_decision(region: Session) -> None:
    assert ROUND not in region.decisions.decisions()
    assert not region.decisions.is_published(ROUND)
    for read in (region.decisions.decision_list, region.decisions.current_decision):
        with pytest.raises(AccessDenied):
            read(ROUND)


def test_a_decision_not_yet_published_is_invisible_to_a_region(store: Store) -> None:
    first = decide(store, "S2023/1", date(2023, 12, 1))
    region = Session(store, UPPSALA)
    region_sees_no_decision(region)
    with pytest.raises(AccessDenied):
        region.decisions.decision_snapshot(ROUND, first.number)
    # staff and managers see the decision to come, with its date
    for principal in (STAFF, MANAGER):
        assert Session(store, principal).decisions.decisions()[ROUND] == (date(2023, 12, 1), "S2023/1")
    on(store, date(2023, 12, 1))  # the day of publication
    assert region.decisions.decisions() == {ROUND: (date(2023, 12, 1), "S2023/1")}
    assert region.decisions.current_decision(ROUND) == first


def test_an_amendment_to_be_published_shows_nothing_of_itself_to_a_region(store: Store) -> None:
    first = decide(store, "S2023/1", date(2023, 12, 1))
    on(store, date(2023, 12, 5))
    second = decide(store, "S2023/2", date(2023, 12, 20), supersedes=first.number)
    region = Session(store, UPPSALA)
    # the published decision with its own reference and date; nothing of the amendment
    assert region.decisions.decisions() == {ROUND: (date(2023, 12, 1), "S2023/1")}
    assert [s.reference for s in region.decisions.decision_list(ROUND)] == ["S2023/1"]
    assert region.decisions.current_decision(ROUND) == first
    assert region.decisions.current_decision(ROUND).reference == "S2023/1"  # the letter's and the page's reference
    with pytest.raises(KeyError):
        region.decisions.decision_snapshot(ROUND, second.number)
    # staff: the amendment is the decision in force; the register lists both, each with its own date
    staff = Session(store, STAFF)
    assert staff.decisions.current_decision(ROUND) == second
    rows = decision_rows(staff, {ROUND: "AT 2023"}).to_dict("records")
    assert [(r["kind"], r["reference"], r["published_on"], r["Status"]) for r in rows] == [
        ("Beslut", "S2023/1", date(2023, 12, 1), "publicerat"),
        ("Ändringsbeslut", "S2023/2", date(2023, 12, 20), "inte publicerat ännu"),
    ]
    on(store, date(2023, 12, 20))  # the amendment is published: now it is the one in force for the region
    assert region.decisions.decisions() == {ROUND: (date(2023, 12, 20), "S2023/2")}
    assert [s.reference for s in region.decisions.decision_list(ROUND)] == ["S2023/1", "S2023/2"]
    assert region.decisions.current_decision(ROUND) == second
    assert region.decisions.decision_snapshot(ROUND, first.number) == first  # the first stays readable


def test_a_publication_recorded_without_a_snapshot_is_shown_only_from_its_date(store: Store) -> None:
    """A round published before snapshots existed (or whose rules cannot be computed) has only its record."""
    Session(store, STAFF).decisions.record_decision("beslut", ELDERLY, date(2023, 12, 1), "S2022/04810")
    region = Session(store, UPPSALA)
    assert ELDERLY not in region.decisions.decisions()
    assert Session(store, MANAGER).decisions.decisions()[ELDERLY] == (date(2023, 12, 1), "S2022/04810")
    rows = decision_rows(Session(store, STAFF), {}).to_dict("records")
    assert [(r["round_id"], r["reference"], r["Status"]) for r in rows] == [
        (ELDERLY, "S2022/04810", "inte publicerat ännu")
    ]
    on(store, date(2023, 12, 2))
    assert region.decisions.decisions() == {ELDERLY: (date(2023, 12, 1), "S2022/04810")}


def test_a_payout_recorded_ahead_shows_nothing_to_a_region_before_its_day(store: Store) -> None:
    """Payouts by an amendment still to be published, recorded for its publication day, are not seen early
    (the round's first decision is published, so a region reads every region's payouts)."""
    first = decide(store, "S2023/1", date(2023, 12, 1))
    on(store, date(2023, 12, 5))
    staff = Session(store, STAFF)
    staff.followup.record_payout("utbetalning", ROUND, "01", date(2023, 12, 5), first.totals["01"] // 2)
    second = decide(store, "S2023/2", date(2023, 12, 20), supersedes=first.number)
    for code in ("01", "03"):
        staff.followup.record_payout("utbetalning", ROUND, code, date(2023, 12, 20), second.totals[code] // 4)
    region = Session(store, UPPSALA)
    assert region.followup.payouts(ROUND) == [("01", date(2023, 12, 5), first.totals["01"] // 2)]
    assert len(staff.followup.payouts(ROUND)) == len(Session(store, MANAGER).followup.payouts(ROUND)) == 3
    on(store, date(2023, 12, 20))
    assert [(code, day) for code, day, _ in region.followup.payouts(ROUND)] == [
        ("01", date(2023, 12, 5)),
        ("01", date(2023, 12, 20)),
        ("03", date(2023, 12, 20)),
    ]
