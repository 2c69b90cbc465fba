"""Deadline status of a grant round's milestones, as of a given day.

Pure rules over frozen dataclasses (standard library only). A milestone window comes from a
``[[milestones]]`` table of a rules file in ``data/rounds/``; its status for one region, as of a day,
is one of :class:`Status`, with a short Swedish text for the dashboard.

Conventions:

- The deadline day itself counts as on time: done on ``due`` is DONE_ON_TIME, and on ``due`` an
  undone milestone is still OPEN (``days_left == 0``, "sista dagen").
- ``start`` is the first open day; ``after`` means "happens after this date", so the window opens
  the day after. ``start`` wins when both are given.
- An event dated after ``as_of`` had not happened as of that day: it counts as not done.
- Milestones that are the agency's or informational (``region_action=False``) are NOT_APPLICABLE
  per region, whatever the dates.
- A round is closed (*avslutad*) after the last date of any of its milestones (``round_end``). In a
  closed round, a milestone a region never did is MISSED ("Aldrig"): a final status, not an overdue
  one that keeps counting days and asks for attention years later.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any


class Status(enum.Enum):
    """The status of one milestone for one region; the value is a stable machine id."""

    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    OPEN = "open"
    OVERDUE = "overdue"
    NOT_YET_OPEN = "not_yet_open"
    NOT_APPLICABLE = "not_applicable"
    MISSED = "missed"  # never done, and the round is closed


LABELS_SV: dict[Status, str] = {
    Status.DONE_ON_TIME: "Klar i tid",
    Status.DONE_LATE: "Klar för sent",
    Status.OPEN: "Öppen",
    Status.OVERDUE: "Försenad",
    Status.NOT_YET_OPEN: "Inte öppnad än",
    Status.NOT_APPLICABLE: "Ej tillämplig",
    Status.MISSED: "Aldrig",
}

# Traffic-light colours.
GREEN = "#2E7D32"
AMBER = "#F2A900"
RED = "#C62828"
GREY = "#9E9E9E"
BLUE = "#1F77B4"

COLORS: dict[Status, str] = {
    Status.DONE_ON_TIME: GREEN,
    Status.DONE_LATE: AMBER,
    Status.OPEN: BLUE,  # an urgent open milestone is AMBER: see color()
    Status.OVERDUE: RED,
    Status.NOT_YET_OPEN: GREY,
    Status.NOT_APPLICABLE: GREY,
    Status.MISSED: RED,
}

URGENT_WITHIN_DAYS = 14


@dataclass(frozen=True, slots=True)
class MilestoneWindow:
    """When a milestone is open and due. All dates are inclusive."""

    id: str
    label: str
    start: date | None  # opens on this day; None = open from the beginning (unless ``after`` says otherwise)
    due: date | None  # deadline; the day itself counts as on time
    after: date | None  # "happens after this date": opens the day after
    region_action: bool  # False for the agency's own or informational milestones


@dataclass(frozen=True, slots=True)
class StatusResult:
    status: Status
    days_left: int | None  # OPEN with a due date: days from as_of to due (0 on the due day); else None
    days_late: int | None  # OVERDUE: days past due as of as_of; DONE_LATE: days the event was after due; else None
    text_sv: str  # short Swedish text for the dashboard, e.g. "Öppen (12 dagar kvar)"


def days_sv(n: int) -> str:
    """``n`` days in Swedish: "1 dag", "2 dagar", "0 dagar"."""
    return f"{n} {'dag' if abs(n) == 1 else 'dagar'}"


def opens_on(window: MilestoneWindow) -> date | None:
    """The first day the window is open: ``start``, else the day after ``after``, else None (always open)."""
    if window.start is not None:
        return window.start
    if window.after is not None:
        return window.after + timedelta(days=1)
    return None


def round_end(windows: Iterable[MilestoneWindow]) -> date | None:
    """The last date of any milestone of a round (None if no milestone has a date): after it, the round is closed."""
    dates = [d for w in windows for d in (w.start, w.due, w.after) if d is not None]
    return max(dates, default=None)


def status(
    window: MilestoneWindow,
    as_of: date,
    done_on: date | None,
    closed: bool = False,
    round_opens: date | None = None,
) -> StatusResult:
    """The milestone's status for one region as of ``as_of``, given the day it was done (or None).

    ``closed``: the round has ended as of ``as_of`` (see ``round_end``); what was not done is MISSED.
    ``round_opens``: the first day of the round; before it nothing of the round is open, so nothing is overdue
    (whatever a milestone's own dates say — a copied round can carry a deadline of an earlier year).
    """
    if not window.region_action:
        return StatusResult(Status.NOT_APPLICABLE, None, None, LABELS_SV[Status.NOT_APPLICABLE])

    due = window.due
    if done_on is not None and done_on <= as_of:
        if due is None or done_on <= due:
            return StatusResult(
                Status.DONE_ON_TIME, None, None, f"{LABELS_SV[Status.DONE_ON_TIME]} ({done_on.isoformat()})"
            )
        late = (done_on - due).days
        text = f"{LABELS_SV[Status.DONE_LATE]} ({done_on.isoformat()}, {days_sv(late)} sent)"
        return StatusResult(Status.DONE_LATE, None, late, text)

    if round_opens is not None and as_of < round_opens:
        text = f"{LABELS_SV[Status.NOT_YET_OPEN]} (omgången öppnar {round_opens.isoformat()})"
        return StatusResult(Status.NOT_YET_OPEN, None, None, text)

    if closed:
        last = f" (sista dag {due.isoformat()})" if due is not None else ""
        return StatusResult(Status.MISSED, None, None, f"{LABELS_SV[Status.MISSED]}{last}")

    opening = opens_on(window)
    if opening is not None and as_of < opening:
        text = f"{LABELS_SV[Status.NOT_YET_OPEN]} (öppnar {opening.isoformat()})"
        return StatusResult(Status.NOT_YET_OPEN, None, None, text)

    if due is None:
        return StatusResult(Status.OPEN, None, None, LABELS_SV[Status.OPEN])

    if as_of <= due:
        left = (due - as_of).days
        detail = "sista dagen" if left == 0 else f"{days_sv(left)} kvar"
        return StatusResult(Status.OPEN, left, None, f"{LABELS_SV[Status.OPEN]} ({detail})")

    late = (as_of - due).days
    return StatusResult(Status.OVERDUE, None, late, f"{LABELS_SV[Status.OVERDUE]} ({days_sv(late)})")


def is_urgent(result: StatusResult, within_days: int = URGENT_WITHIN_DAYS) -> bool:
    """True if the milestone is OVERDUE, or OPEN with a due date at most ``within_days`` away."""
    if within_days < 0:
        raise ValueError("within_days must not be negative")
    if result.status is Status.OVERDUE:
        return True
    return result.status is Status.OPEN and result.days_left is not None and result.days_left <= within_days


def color(result: StatusResult) -> str:
    """The traffic-light colour of a result: an urgent open milestone is amber, otherwise COLORS[status]."""
    if result.status is Status.OPEN and is_urgent(result):
        return AMBER
    return COLORS[result.status]


def _as_date(value: Any, key: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):  # a TOML date-time: keep the day
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value)
    raise TypeError(f"milestone {key!r} must be a date, not {type(value).__name__}")


def window_from_toml(table: Mapping[str, Any], region_action: bool) -> MilestoneWindow:
    """Build a window from one ``[[milestones]]`` table (keys id, label, start, due, after; dates optional)."""
    return MilestoneWindow(
        id=str(table["id"]),
        label=str(table["label"]),
        start=_as_date(table.get("start"), "start"),
        due=_as_date(table.get("due"), "due"),
        after=_as_date(table.get("after"), "after"),
        region_action=region_action,
    )
