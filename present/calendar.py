"""The grant year's deadlines as an iCalendar file (RFC 5545, made with the ``icalendar`` library)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from icalendar import Calendar, Event

from allocation.milestones import RoundMilestones, StatusCell
from allocation.regions import Region

PRODID = "-//Statsbidrag till regionerna//Tidsfrister//SV"


def deadlines_ics(
    rounds: Iterable[RoundMilestones],
    region: Region | None = None,
    cells: Sequence[StatusCell] = (),
    stamp: datetime | None = None,
) -> bytes:
    """All-day events for every milestone with a date; for one region, its own status in each event."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Statsbidrag: tidsfrister{'' if region is None else ' – ' + region.name}")
    stamp = stamp or datetime.now()
    by_key = {(c.round_id, c.milestone_id, c.code): c for c in cells}
    for round_ in rounds:
        for window, _ in round_.windows:
            day = window.due or window.start
            if day is None:
                continue
            event = Event()
            scope = "alla" if region is None else region.code
            event.add("uid", f"{round_.round_id}-{window.id}-{scope}@statsbidrag")
            event.add("dtstamp", stamp)
            event.add("dtstart", day)
            event.add("dtend", day + timedelta(days=1))
            who = f" – {region.name}" if region is not None and window.region_action else ""
            event.add("summary", f"{round_.title}: {window.label}{who}")
            lines = [f"Senast {window.due.isoformat()}." if window.due else f"Från {day.isoformat()}."]
            if window.start and window.due:
                lines.append(f"Perioden {window.start.isoformat()} – {window.due.isoformat()}.")
            cell = by_key.get((round_.round_id, window.id, region.code)) if region is not None else None
            if cell is not None:
                lines.append(f"Status: {cell.result.text_sv}.")
            event.add("description", " ".join(lines))
            event.add("categories", [round_.round_id])
            calendar.add_component(event)
    return calendar.to_ical()
