"""Deadline status for every region and every milestone a region must act on, as of a date.

Which milestones are the regions' own, and which event in the store marks one done, is data: the
``region_action`` and ``event`` keys of a rules file's ``[[milestones]]``.
"""

from __future__ import annotations

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
    round_end,
    status,
    window_from_toml,
)
from allocation.regions import Region


@dataclass(frozen=True, slots=True)
class RoundMilestones:
    round_id: str
    title: str
    windows: tuple[tuple[MilestoneWindow, str | None], ...]  # (window, event kind or None)

    @property
    def ends_on(self) -> date | None:
        """The round's last milestone date: after it the round is closed (*avslutad*)."""
        return round_end(w for w, _ in self.windows)

    def closed(self, as_of: date) -> bool:
        return self.ends_on is not None and as_of > self.ends_on


def round_milestones(doc: dict[str, Any]) -> RoundMilestones:
    windows = tuple(
        (window_from_toml(m, bool(m.get("region_action", False))), m.get("event")) for m in doc.get("milestones", [])
    )
    return RoundMilestones(doc["id"], doc["title"], windows)


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
        closed = round_.closed(as_of)
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
                        status(window, as_of, done.get(region.code), closed),
                    )
                )
    return cells


def needs_attention(cells: Iterable[StatusCell], within_days: int = 14) -> list[StatusCell]:
    """Overdue, or open with at most ``within_days`` left: most urgent first."""
    urgent = [c for c in cells if is_urgent(c.result, within_days)]
    return sorted(urgent, key=lambda c: (c.result.status != Status.OVERDUE, c.result.days_left or 0, c.code))
