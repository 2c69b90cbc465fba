"""Deadline status of milestones: at and around every deadline of the rules files, plus invariants (Hypothesis)."""

from __future__ import annotations

import tomllib
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allocation.deadlines import (
    AMBER,
    BLUE,
    COLORS,
    GREEN,
    GREY,
    LABELS_SV,
    RED,
    MilestoneWindow,
    Status,
    StatusResult,
    color,
    days_sv,
    is_urgent,
    opens_on,
    round_end,
    status,
    window_from_toml,
)

ROUNDS = Path(__file__).resolve().parents[1] / "data" / "rounds"
DAY = timedelta(days=1)


def _milestones(round_file: str) -> dict[str, dict[str, Any]]:
    with (ROUNDS / round_file).open("rb") as f:
        doc = tomllib.load(f)
    return {m["id"]: m for m in doc["milestones"]}


AT = _milestones("at-2023.toml")
ELDERLY = _milestones("elderly-2023.toml")


def window(
    round_milestones: dict[str, dict[str, Any]], milestone_id: str, region_action: bool = True
) -> MilestoneWindow:
    return window_from_toml(round_milestones[milestone_id], region_action=region_action)


# --- The rules files ------------------------------------------------------------------------------


def test_every_milestone_of_both_files_builds_a_window() -> None:
    for milestones in (AT, ELDERLY):
        for table in milestones.values():
            w = window_from_toml(table, region_action=True)
            assert w.id == table["id"]
            assert w.label == table["label"]
            for key in ("start", "due", "after"):
                assert getattr(w, key) == table.get(key)
                assert getattr(w, key) is None or type(getattr(w, key)) is date


def test_the_deadlines_read_from_the_files() -> None:
    assert window(AT, "report").due == date(2023, 11, 1)
    assert window(ELDERLY, "requisition").due == date(2023, 10, 31)
    assert window(ELDERLY, "usage_report").due == date(2024, 4, 30)
    assert window(AT, "review").after == date(2023, 11, 1)
    assert window(ELDERLY, "report_form").start == date(2024, 2, 1)


def test_window_from_toml_accepts_iso_strings_and_datetimes_and_rejects_other_types() -> None:
    w = window_from_toml(
        {"id": "x", "label": "X", "start": "2024-02-01", "due": datetime(2024, 4, 30, 12, 0)}, region_action=False
    )
    assert w == MilestoneWindow("x", "X", date(2024, 2, 1), date(2024, 4, 30), None, False)
    with pytest.raises(TypeError):
        window_from_toml({"id": "x", "label": "X", "due": 20240430}, region_action=True)


DEADLINES = [
    pytest.param(AT, "report", date(2023, 11, 1), id="at-report-2023-11-01"),
    pytest.param(ELDERLY, "requisition", date(2023, 10, 31), id="elderly-requisition-2023-10-31"),
    pytest.param(ELDERLY, "usage_report", date(2024, 4, 30), id="elderly-usage-report-2024-04-30"),
]


@pytest.mark.parametrize(("milestones", "milestone_id", "due"), DEADLINES)
def test_not_done_around_the_deadline(milestones: dict, milestone_id: str, due: date) -> None:
    w = window(milestones, milestone_id)
    assert w.due == due

    before = status(w, due - DAY, None)
    assert before == StatusResult(Status.OPEN, 1, None, "Öppen (1 dag kvar)")

    on = status(w, due, None)
    assert on == StatusResult(Status.OPEN, 0, None, "Öppen (sista dagen)")

    after = status(w, due + DAY, None)
    assert after == StatusResult(Status.OVERDUE, None, 1, "Försenad (1 dag)")

    assert status(w, due + 3 * DAY, None) == StatusResult(Status.OVERDUE, None, 3, "Försenad (3 dagar)")
    assert status(w, due - 12 * DAY, None).text_sv == "Öppen (12 dagar kvar)"


@pytest.mark.parametrize(("milestones", "milestone_id", "due"), DEADLINES)
def test_done_around_the_deadline(milestones: dict, milestone_id: str, due: date) -> None:
    w = window(milestones, milestone_id)
    as_of = due + 10 * DAY

    early = status(w, as_of, due - DAY)
    assert early == StatusResult(Status.DONE_ON_TIME, None, None, f"Klar i tid ({(due - DAY).isoformat()})")

    on = status(w, as_of, due)
    assert on == StatusResult(Status.DONE_ON_TIME, None, None, f"Klar i tid ({due.isoformat()})")

    late = status(w, as_of, due + DAY)
    assert late == StatusResult(Status.DONE_LATE, None, 1, f"Klar för sent ({(due + DAY).isoformat()}, 1 dag sent)")


@pytest.mark.parametrize(("milestones", "milestone_id", "due"), DEADLINES)
def test_done_on_the_day_itself_is_seen_that_day(milestones: dict, milestone_id: str, due: date) -> None:
    w = window(milestones, milestone_id)
    for day in (due - DAY, due, due + DAY):
        result = status(w, day, day)
        expected = Status.DONE_LATE if day > due else Status.DONE_ON_TIME
        assert result.status is expected


def test_done_late_counts_the_days_after_the_deadline() -> None:
    w = window(AT, "report")
    result = status(w, date(2023, 12, 1), date(2023, 11, 3))
    assert result == StatusResult(Status.DONE_LATE, None, 2, "Klar för sent (2023-11-03, 2 dagar sent)")
    assert status(w, date(2024, 1, 1), date(2023, 12, 1)).days_late == 30


def test_done_on_time_example_text() -> None:
    result = status(window(AT, "report"), date(2023, 11, 15), date(2023, 10, 30))
    assert result.text_sv == "Klar i tid (2023-10-30)"


def test_an_event_after_as_of_is_not_done_yet() -> None:
    w = window(ELDERLY, "requisition")  # due 2023-10-31
    assert status(w, date(2023, 10, 20), date(2023, 10, 25)).status is Status.OPEN
    assert status(w, date(2023, 10, 24), date(2023, 10, 25)).days_left == 7
    assert status(w, date(2023, 11, 2), date(2023, 11, 5)) == StatusResult(
        Status.OVERDUE, None, 2, "Försenad (2 dagar)"
    )
    assert status(w, date(2023, 11, 5), date(2023, 11, 5)).status is Status.DONE_LATE


def test_not_yet_open_before_the_start_and_open_on_the_start_day() -> None:
    w = window(ELDERLY, "report_form")  # start 2024-02-01, due 2024-02-29 (leap year)
    assert opens_on(w) == date(2024, 2, 1)
    assert status(w, date(2024, 1, 31), None) == StatusResult(
        Status.NOT_YET_OPEN, None, None, "Inte öppnad än (öppnar 2024-02-01)"
    )
    assert status(w, date(2024, 2, 1), None) == StatusResult(Status.OPEN, 28, None, "Öppen (28 dagar kvar)")
    assert status(w, date(2024, 3, 1), None).status is Status.OVERDUE


def test_not_yet_open_on_the_after_date_and_open_the_day_after() -> None:
    w = window(AT, "review", region_action=True)  # after 2023-11-01, no due date
    assert opens_on(w) == date(2023, 11, 2)
    assert status(w, date(2023, 11, 1), None) == StatusResult(
        Status.NOT_YET_OPEN, None, None, "Inte öppnad än (öppnar 2023-11-02)"
    )
    assert status(w, date(2023, 11, 2), None) == StatusResult(Status.OPEN, None, None, "Öppen")
    assert status(w, date(2030, 1, 1), None).status is Status.OPEN  # no due date: never overdue

    payout = window(ELDERLY, "payout", region_action=True)  # after 2023-01-01, due 2023-12-31
    assert status(payout, date(2023, 1, 1), None).status is Status.NOT_YET_OPEN
    assert status(payout, date(2023, 1, 2), None).days_left == 363


def test_start_wins_over_after() -> None:
    w = MilestoneWindow("x", "X", start=date(2024, 1, 10), due=None, after=date(2024, 1, 1), region_action=True)
    assert opens_on(w) == date(2024, 1, 10)
    assert status(w, date(2024, 1, 9), None).status is Status.NOT_YET_OPEN
    assert status(w, date(2024, 1, 10), None).status is Status.OPEN


def test_done_before_the_window_opens_is_done() -> None:
    w = window(ELDERLY, "report_form")
    assert status(w, date(2024, 1, 31), date(2024, 1, 20)).status is Status.DONE_ON_TIME


def test_a_window_without_dates_is_open() -> None:
    w = MilestoneWindow("x", "X", None, None, None, True)
    assert opens_on(w) is None
    assert status(w, date(2023, 1, 1), None) == StatusResult(Status.OPEN, None, None, "Öppen")
    assert status(w, date(2023, 1, 1), date(2022, 1, 1)).status is Status.DONE_ON_TIME


@pytest.mark.parametrize(
    ("milestones", "milestone_id"),
    [(AT, "review"), (AT, "decision_payout"), (ELDERLY, "payout"), (ELDERLY, "report_form"), (AT, "report")],
)
def test_not_applicable_whatever_the_dates(milestones: dict, milestone_id: str) -> None:
    w = window(milestones, milestone_id, region_action=False)
    expected = StatusResult(Status.NOT_APPLICABLE, None, None, "Ej tillämplig")
    for as_of in (date(2022, 1, 1), date(2023, 11, 1), date(2025, 1, 1)):
        for done_on in (None, date(2023, 6, 1), date(2024, 6, 1)):
            assert status(w, as_of, done_on) == expected
    assert color(expected) == GREY
    assert not is_urgent(expected)


# --- Swedish texts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "text"), [(0, "0 dagar"), (1, "1 dag"), (2, "2 dagar"), (14, "14 dagar"), (21, "21 dagar")]
)
def test_days_sv(n: int, text: str) -> None:
    assert days_sv(n) == text


def test_labels_and_colours_cover_every_status() -> None:
    assert set(LABELS_SV) == set(Status) == set(COLORS)
    assert LABELS_SV == {
        Status.DONE_ON_TIME: "Klar i tid",
        Status.DONE_LATE: "Klar för sent",
        Status.OPEN: "Öppen",
        Status.OVERDUE: "Försenad",
        Status.NOT_YET_OPEN: "Inte öppnad än",
        Status.NOT_APPLICABLE: "Ej tillämplig",
        Status.MISSED: "Aldrig",
    }
    assert [s.value for s in Status] == [
        "done_on_time",
        "done_late",
        "open",
        "overdue",
        "not_yet_open",
        "not_applicable",
        "missed",
    ]
    for hex_colour in COLORS.values():
        assert len(hex_colour) == 7 and hex_colour.startswith("#")
        int(hex_colour[1:], 16)


def test_singular_and_plural_in_status_texts() -> None:
    w = MilestoneWindow("x", "X", None, date(2024, 4, 30), None, True)
    assert status(w, date(2024, 4, 29), None).text_sv == "Öppen (1 dag kvar)"
    assert status(w, date(2024, 4, 28), None).text_sv == "Öppen (2 dagar kvar)"
    assert status(w, date(2024, 5, 1), None).text_sv == "Försenad (1 dag)"
    assert status(w, date(2024, 5, 2), None).text_sv == "Försenad (2 dagar)"
    assert status(w, date(2024, 6, 1), date(2024, 5, 1)).text_sv == "Klar för sent (2024-05-01, 1 dag sent)"
    assert status(w, date(2024, 6, 1), date(2024, 5, 2)).text_sv == "Klar för sent (2024-05-02, 2 dagar sent)"


# --- Urgency and colour ---------------------------------------------------------------------------


def test_is_urgent_and_color_around_fourteen_days() -> None:
    w = window(AT, "report")  # due 2023-11-01
    due = date(2023, 11, 1)

    fifteen = status(w, due - 15 * DAY, None)
    assert fifteen.days_left == 15
    assert not is_urgent(fifteen)
    assert color(fifteen) == BLUE

    fourteen = status(w, due - 14 * DAY, None)
    assert is_urgent(fourteen)
    assert color(fourteen) == AMBER

    last_day = status(w, due, None)
    assert is_urgent(last_day)
    assert color(last_day) == AMBER

    overdue = status(w, due + DAY, None)
    assert is_urgent(overdue)
    assert color(overdue) == RED

    assert is_urgent(fifteen, within_days=15)
    assert not is_urgent(fourteen, within_days=13)
    assert is_urgent(last_day, within_days=0)
    with pytest.raises(ValueError):
        is_urgent(fifteen, within_days=-1)


def test_colours_of_the_other_statuses() -> None:
    w = window(ELDERLY, "report_form")
    on_time = status(w, date(2024, 3, 1), date(2024, 2, 29))
    late = status(w, date(2024, 3, 5), date(2024, 3, 1))
    not_open = status(w, date(2024, 1, 1), None)
    no_due = status(window(AT, "review"), date(2024, 1, 1), None)

    assert (on_time.status, color(on_time), is_urgent(on_time)) == (Status.DONE_ON_TIME, GREEN, False)
    assert (late.status, color(late), is_urgent(late)) == (Status.DONE_LATE, AMBER, False)
    assert (not_open.status, color(not_open), is_urgent(not_open)) == (Status.NOT_YET_OPEN, GREY, False)
    assert (no_due.status, color(no_due), is_urgent(no_due)) == (Status.OPEN, BLUE, False)


def test_dataclasses_are_frozen() -> None:
    w = window(AT, "report")
    with pytest.raises(AttributeError):
        w.due = date(2024, 1, 1)  # type: ignore[misc]
    r = status(w, date(2023, 11, 1), None)
    with pytest.raises(AttributeError):
        r.days_left = 3  # type: ignore[misc]


# --- Properties (Hypothesis) ----------------------------------------------------------------------

days = st.dates(min_value=date(2022, 1, 1), max_value=date(2025, 12, 31))
optional_days = st.none() | days


@st.composite
def windows(draw: st.DrawFn) -> MilestoneWindow:
    return MilestoneWindow(
        id=draw(st.sampled_from(["report", "requisition", "usage_report", "x"])),
        label="Milstolpe",
        start=draw(optional_days),
        due=draw(optional_days),
        after=draw(optional_days),
        region_action=draw(st.booleans()),
    )


def _expected_predicates(w: MilestoneWindow, as_of: date, done_on: date | None) -> dict[Status, bool]:
    """Each status's definition written out independently; exactly one must hold."""
    applicable = w.region_action
    done = done_on is not None and done_on <= as_of
    opening = w.start if w.start is not None else (w.after + DAY if w.after is not None else None)
    not_yet = opening is not None and as_of < opening
    return {
        Status.NOT_APPLICABLE: not applicable,
        Status.DONE_ON_TIME: applicable and done and (w.due is None or done_on <= w.due),
        Status.DONE_LATE: applicable and done and w.due is not None and done_on > w.due,
        Status.NOT_YET_OPEN: applicable and not done and not_yet,
        Status.OPEN: applicable and not done and not not_yet and (w.due is None or as_of <= w.due),
        Status.OVERDUE: applicable and not done and not not_yet and w.due is not None and as_of > w.due,
    }


@settings(max_examples=500, deadline=None)
@given(windows(), days, optional_days)
def test_exactly_one_status(w: MilestoneWindow, as_of: date, done_on: date | None) -> None:
    result = status(w, as_of, done_on)
    holding = [s for s, holds in _expected_predicates(w, as_of, done_on).items() if holds]
    assert holding == [result.status]
    assert result.text_sv.startswith(LABELS_SV[result.status])
    assert (result.days_left is not None) == (result.status is Status.OPEN and w.due is not None)
    assert (result.days_late is not None) == (result.status in (Status.OVERDUE, Status.DONE_LATE))
    assert color(result) in {GREEN, AMBER, RED, GREY, BLUE}
    if is_urgent(result):
        assert color(result) in {AMBER, RED}


@settings(max_examples=500, deadline=None)
@given(windows(), days, optional_days)
def test_days_left_and_days_late_are_consistent(w: MilestoneWindow, as_of: date, done_on: date | None) -> None:
    result = status(w, as_of, done_on)
    if result.status is Status.OPEN and w.due is not None:
        assert result.days_left is not None and result.days_left >= 0
        assert as_of + timedelta(days=result.days_left) == w.due
    if result.status is Status.OVERDUE:
        assert result.days_late is not None and result.days_late >= 1
        assert w.due is not None and w.due + timedelta(days=result.days_late) == as_of
    if result.status is Status.DONE_LATE:
        assert result.days_late is not None and result.days_late >= 1
        assert w.due is not None and w.due + timedelta(days=result.days_late) == done_on


# Lifecycle order: moving as_of forward never moves a status backwards.
RANK = {Status.NOT_YET_OPEN: 0, Status.OPEN: 1, Status.OVERDUE: 2, Status.DONE_ON_TIME: 3, Status.DONE_LATE: 3}
DONE = (Status.DONE_ON_TIME, Status.DONE_LATE)


@settings(max_examples=500, deadline=None)
@given(windows(), days, st.integers(0, 800), optional_days)
def test_moving_as_of_forward_never_goes_back(w: MilestoneWindow, as_of: date, step: int, done_on: date | None) -> None:
    later_day = as_of + timedelta(days=step)
    earlier = status(w, as_of, done_on)
    later = status(w, later_day, done_on)
    if earlier.status in DONE:
        assert later == earlier  # done stays done, with the same text
    if earlier.status is Status.OVERDUE:
        assert later.status is not Status.OPEN
        assert later.status in (Status.OVERDUE, *DONE)
    if earlier.status is Status.NOT_APPLICABLE:
        assert later.status is Status.NOT_APPLICABLE
    else:
        assert RANK[later.status] >= RANK[earlier.status]


# --- a closed round: final statuses, never "N days overdue" ---------------------------------------


def _windows(milestones: dict[str, dict[str, Any]]) -> list[MilestoneWindow]:
    return [window_from_toml(m, bool(m.get("region_action", False))) for m in milestones.values()]


def test_a_round_ends_on_its_last_milestone_date() -> None:
    assert round_end(_windows(AT)) == date(2023, 12, 31)
    assert round_end(_windows(ELDERLY)) == date(2024, 4, 30)
    assert round_end([MilestoneWindow("x", "X", None, None, None, True)]) is None


def test_in_a_closed_round_what_was_never_done_is_missed_and_not_urgent() -> None:
    w = window(AT, "report")
    result = status(w, date(2026, 11, 23), None, closed=True)
    assert result == StatusResult(Status.MISSED, None, None, "Aldrig (sista dag 2023-11-01)")
    assert not is_urgent(result) and color(result) == RED
    assert status(w, date(2026, 11, 23), date(2023, 10, 30), closed=True).status is Status.DONE_ON_TIME
    late = status(w, date(2026, 11, 23), date(2023, 11, 5), closed=True)
    assert (late.status, late.days_late) == (Status.DONE_LATE, 4)
    no_due = MilestoneWindow("x", "X", date(2023, 1, 1), None, None, True)
    assert status(no_due, date(2026, 1, 1), None, closed=True).text_sv == "Aldrig"
    agency = window_from_toml(AT["review"], region_action=False)
    assert status(agency, date(2026, 1, 1), None, closed=True).status is Status.NOT_APPLICABLE


@settings(max_examples=200)
@given(w=windows(), as_of=st.dates(date(2022, 1, 1), date(2026, 12, 31)), done_on=st.none() | st.dates())
def test_closing_a_round_changes_only_what_was_not_done(w: MilestoneWindow, as_of: date, done_on: date | None) -> None:
    open_result, closed_result = status(w, as_of, done_on), status(w, as_of, done_on, closed=True)
    if open_result.status in (Status.DONE_ON_TIME, Status.DONE_LATE, Status.NOT_APPLICABLE):
        assert closed_result == open_result
    else:
        assert closed_result.status is Status.MISSED and not is_urgent(closed_result)


def test_a_round_that_has_not_opened_never_counts_anything_as_overdue() -> None:
    """A copy of AT 2023 as a 2027 round whose report deadline was left at 2023-11-01 (issue 25)."""
    from allocation.milestones import Phase, RoundMilestones, needs_attention, status_cells
    from allocation.regions import Region

    report = MilestoneWindow("report", "Rapport", None, date(2023, 11, 1), None, True)
    payout = MilestoneWindow("payout", "Utbetalning", date(2027, 12, 1), date(2027, 12, 31), None, False)
    round_ = RoundMilestones("at-2027", "AT 2027", ((report, "at_report"), (payout, None)), 2027)
    regions = [Region(c, n, n, 1, date(2022, 11, 1)) for c, n in (("01", "Stockholm"), ("03", "Uppsala"))]
    as_of = date(2026, 12, 5)
    assert round_.phase(as_of) is Phase.UPCOMING
    cells = status_cells([round_], regions, {}, as_of)
    assert {c.result.status for c in cells} == {Status.NOT_YET_OPEN}
    assert "omgången öppnar 2027-01-01" in cells[0].result.text_sv
    assert needs_attention(cells) == []
