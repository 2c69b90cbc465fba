"""Deadline status for every region and every milestone a region must act on, as of a date.

Which milestones are the regions' own, and which event in the store marks one done, is data: the
``region_action`` and ``event`` keys of a rules file's ``[[milestones]]``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from allocation.deadlines import (
    MilestoneWindow,
    Status,
    StatusResult,
    color,
    is_urgent,
    opens_on,
    round_end,
    status,
    window_from_toml,
)
from allocation.regions import Region


class Phase(enum.Enum):
    """Where a round stands as of a day; the value is a stable machine id."""

    UPCOMING = "upcoming"
    OPEN = "open"
    REVIEW = "review"
    DECIDED = "decided"
    CLOSED = "closed"


PHASE_SV: dict[Phase, str] = {
    Phase.UPCOMING: "Kommande",
    Phase.OPEN: "Öppen",
    Phase.REVIEW: "Granskning",
    Phase.DECIDED: "Beslutad",
    Phase.CLOSED: "Avslutad",
}


@dataclass(frozen=True, slots=True)
class RoundMilestones:
    round_id: str
    title: str
    windows: tuple[tuple[MilestoneWindow, str | None], ...]  # (window, event kind or None)
    year: int | None = None  # the round's year (rules file ``year``), when given

    @property
    def ends_on(self) -> date | None:
        """The round's last milestone date: after it the round is closed (*avslutad*)."""
        return round_end(w for w, _ in self.windows)

    def closed(self, as_of: date) -> bool:
        return self.ends_on is not None and as_of > self.ends_on

    @property
    def opens(self) -> date | None:
        """The first day a region can act. A region milestone without an opening date is open from the
        start of the round's year (an assumption: the rules files give no earlier date); None if unknown."""
        region = [w for w, _ in self.windows if w.region_action]
        openings = [opens_on(w) for w in region]
        if any(o is None for o in openings):
            return date(self.year, 1, 1) if self.year else None
        return min((o for o in openings if o is not None), default=None)

    @property
    def last_region_due(self) -> date | None:
        return max((w.due for w, _ in self.windows if w.region_action and w.due), default=None)

    def phase(self, as_of: date, decided_on: date | None = None) -> Phase:
        """Kommande before the regions can act; öppen until their last deadline; then granskning until the
        decision is published (beslutad); avslutad after the round's last milestone, whatever else holds."""
        if self.opens is not None and as_of < self.opens:  # before it opens, a round is neither late nor over
            return Phase.UPCOMING
        if self.closed(as_of):
            return Phase.CLOSED
        if decided_on is not None and decided_on <= as_of:
            return Phase.DECIDED
        due = self.last_region_due
        if due is not None and as_of > due:
            return Phase.REVIEW
        return Phase.OPEN


def round_milestones(doc: dict[str, Any]) -> RoundMilestones:
    windows = tuple(
        (window_from_toml(m, bool(m.get("region_action", False))), m.get("event")) for m in doc.get("milestones", [])
    )
    year = doc.get("year")
    return RoundMilestones(doc["id"], doc.get("short_title") or doc["title"], windows, int(year) if year else None)


@dataclass(frozen=True, slots=True)
class StatusCell:
    round_id: str
    round_title: str
    milestone_id: str
    milestone: str
    due: date | None
    code: str
    region: str
    result: StatusResult

    @property
    def color(self) -> str:
        return color(self.result)


def status_cells(
    rounds: Iterable[RoundMilestones],
    regions: Sequence[Region],
    events: dict[str, dict[str, date]],
    as_of: date,
) -> list[StatusCell]:
    """One cell per region × region milestone; ``events[kind][code]`` is the date the region did it."""
    cells = []
    for round_ in rounds:
        closed, opens = round_.closed(as_of), round_.opens
        for window, kind in round_.windows:
            if not window.region_action:
                continue
            done = events.get(kind or "", {})
            for region in regions:
                cells.append(
                    StatusCell(
                        round_.round_id,
                        round_.title,
                        window.id,
                        window.label,
                        window.due,
                        region.code,
                        region.name,
                        status(window, as_of, done.get(region.code), closed, opens),
                    )
                )
    return cells


def needs_attention(cells: Iterable[StatusCell], within_days: int = 14) -> list[StatusCell]:
    """Overdue, or open with at most ``within_days`` left: most urgent first."""
    urgent = [c for c in cells if is_urgent(c.result, within_days)]
    return sorted(urgent, key=lambda c: (c.result.status != Status.OVERDUE, c.result.days_left or 0, c.code))
