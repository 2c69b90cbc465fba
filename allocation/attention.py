"""Which regions need attention, and why: one entry per region, ranked, as of a date.

Pure rules over the deadline status cells (``allocation.milestones.status_cells``) and the money each
region has not requisitioned in the rounds of fixed amounts. No I/O, no formats: the dashboard words
the reasons (dates and kronor in Swedish) from the structured :class:`Reason`.

A region's *level* is its worst reason:

- ``OVERDUE``: a milestone of its own is past its last day and not done;
- ``DUE_SOON``: a milestone is open with at most ``within_days`` left;
- ``LAPSED``: money it did not requisition can no longer be paid (the requisition deadline has passed);
- ``NONE``: nothing to attend to now. Milestones not yet open, or whose last day is further away, are
  not problems; nor is anything in a closed round (*avslutad*: its statuses are final).

The ranking is a total order: level, then the nearest pending deadline (days from the date to the last
day: negative when overdue, so the longest overdue comes first), then the money not requisitioned
(most first), then the län code. It does not depend on the order of its inputs.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from allocation.deadlines import LABELS_SV, URGENT_WITHIN_DAYS, Status, days_sv
from allocation.milestones import StatusCell


class Level(enum.IntEnum):
    """How much a region needs attention; lower is more urgent. The value orders the ranking."""

    OVERDUE = 0
    DUE_SOON = 1
    LAPSED = 2
    NONE = 3


LEVEL_SV: dict[Level, str] = {
    Level.OVERDUE: "Försenad",
    Level.DUE_SOON: "Sista dag nära",
    Level.LAPSED: "Medel förlorade",
    Level.NONE: "Inget att åtgärda nu",
}


@dataclass(frozen=True, slots=True)
class Unrequisitioned:
    """Money one region has not requisitioned in one round of fixed amounts, as of the date."""

    round_id: str
    milestone_id: str  # the round's requisition milestone
    code: str
    amount: int  # kronor, at least 0
    payable: bool  # False after the requisition deadline: it can no longer be paid
    final: bool = False  # the round is closed (avslutad): a fact, no longer something to attend to


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason a region needs attention."""

    level: Level
    round_id: str
    round_title: str
    milestone_id: str
    milestone: str
    due: date | None
    days: int | None  # OVERDUE: days late; DUE_SOON: days left (0 on the last day); LAPSED: None
    amount: int  # kronor not requisitioned that this reason is about (0 if none)

    @property
    def key(self) -> tuple[int, int, int, str, str]:
        """Most urgent first: by level, then the nearest deadline, then the most money."""
        signed = -(self.days or 0) if self.level is Level.OVERDUE else (self.days or 0)
        return (self.level, signed, -self.amount, self.round_id, self.milestone_id)


@dataclass(frozen=True, slots=True)
class RoundState:
    """A region's status in one round, in a few words: what matters now among its milestones."""

    round_id: str
    round_title: str
    status: Status
    done: int
    total: int
    text_sv: str


@dataclass(frozen=True, slots=True)
class RegionAttention:
    code: str
    region: str
    level: Level
    reasons: tuple[Reason, ...]  # most urgent first
    rounds: tuple[RoundState, ...]  # one per round the region has milestones in, in the rounds' order
    nearest: int | None  # days to the nearest pending last day (negative: overdue); None if none is pending
    not_requisitioned: int  # kronor that can still be requisitioned
    lapsed: int  # kronor that can no longer be paid

    @property
    def needs_attention(self) -> bool:
        return self.level is not Level.NONE

    @property
    def key(self) -> tuple[int, int | float, int, str]:
        nearest: int | float = self.nearest if self.nearest is not None else float("inf")
        return (self.level, nearest, -(self.not_requisitioned + self.lapsed), self.code)


def _signed_days(cell: StatusCell) -> int | None:
    """Days from the date to the cell's last day if it is still to be done: negative when overdue."""
    result = cell.result
    if result.status is Status.OVERDUE and result.days_late is not None:
        return -result.days_late
    if result.status is Status.OPEN and result.days_left is not None:
        return result.days_left
    return None


def round_state(cells: Sequence[StatusCell]) -> RoundState:
    """What matters now in one round for one region (``cells``: its milestones in that round).

    Overdue before open before never done (a closed round) before done; a round whose next milestone
    has not opened yet says how many are done, not that something is missing.
    """
    first = cells[0]
    statuses = [c.result.status for c in cells]
    done = sum(s in (Status.DONE_ON_TIME, Status.DONE_LATE) for s in statuses)
    total = len(cells)
    overdue = [c.result.days_late or 0 for c in cells if c.result.status is Status.OVERDUE]
    opened = [c.result.days_left for c in cells if c.result.status is Status.OPEN]
    if overdue:
        status, text = Status.OVERDUE, f"{LABELS_SV[Status.OVERDUE]} {days_sv(max(overdue))}"
    elif opened:
        dated = [d for d in opened if d is not None]
        status = Status.OPEN
        if not dated:
            text = LABELS_SV[Status.OPEN]
        else:
            left = min(dated)
            text = f"{LABELS_SV[Status.OPEN]}, {'sista dagen' if left == 0 else f'{days_sv(left)} kvar'}"
    elif Status.MISSED in statuses:
        status = Status.MISSED
        text = LABELS_SV[Status.MISSED] + (f" ({done} av {total} klara)" if done else "")
    elif done == total:
        status = Status.DONE_LATE if Status.DONE_LATE in statuses else Status.DONE_ON_TIME
        text = LABELS_SV[status]
    elif done:
        status, text = Status.NOT_YET_OPEN, f"{done} av {total} klara"
    else:
        status, text = Status.NOT_YET_OPEN, LABELS_SV[Status.NOT_YET_OPEN]
    return RoundState(first.round_id, first.round_title, status, done, total, text)


def _reasons(
    cells: Sequence[StatusCell], money: dict[tuple[str, str], Unrequisitioned], within_days: int
) -> list[Reason]:
    reasons = []
    covered: set[str] = set()  # rounds whose unrequisitioned money an overdue requisition already names
    for cell in cells:
        result = cell.result
        owed = money.get((cell.round_id, cell.milestone_id))
        amount = owed.amount if owed is not None else 0
        if result.status is Status.OVERDUE:
            level, days = Level.OVERDUE, result.days_late
        elif result.status is Status.OPEN and result.days_left is not None and result.days_left <= within_days:
            level, days = Level.DUE_SOON, result.days_left
        else:
            continue
        if owed is not None:
            covered.add(cell.round_id)
        reasons.append(
            Reason(level, cell.round_id, cell.round_title, cell.milestone_id, cell.milestone, cell.due, days, amount)
        )
    titles = {c.round_id: c.round_title for c in cells}
    labels = {(c.round_id, c.milestone_id): (c.milestone, c.due) for c in cells}
    for owed in money.values():
        if owed.payable or owed.final or owed.amount <= 0 or owed.round_id in covered:
            continue
        label, due = labels.get((owed.round_id, owed.milestone_id), (owed.milestone_id, None))
        title = titles.get(owed.round_id, owed.round_id)
        reasons.append(Reason(Level.LAPSED, owed.round_id, title, owed.milestone_id, label, due, None, owed.amount))
    return sorted(reasons, key=lambda r: r.key)


def rank_regions(
    cells: Iterable[StatusCell],
    money: Iterable[Unrequisitioned] = (),
    round_order: Sequence[str] | None = None,
    within_days: int = URGENT_WITHIN_DAYS,
) -> list[RegionAttention]:
    """Every region that has a milestone in ``cells``, most in need of attention first (see the module).

    ``money``: what each region has not requisitioned per round of fixed amounts (a region without
    cells is left out). ``round_order``: the order of the per-round states (default: by title, then id).
    """
    if within_days < 0:
        raise ValueError("within_days must not be negative")
    by_region: dict[str, list[StatusCell]] = {}
    for cell in cells:
        by_region.setdefault(cell.code, []).append(cell)
    owed: dict[str, dict[tuple[str, str], Unrequisitioned]] = {}
    for item in money:
        if item.amount < 0:
            raise ValueError(f"amount not requisitioned must not be negative: {item}")
        key = (item.round_id, item.milestone_id)
        if key in owed.setdefault(item.code, {}):
            raise ValueError(f"two amounts for the same region and round: {item}")
        owed[item.code][key] = item
    titles = {c.round_id: c.round_title for cs in by_region.values() for c in cs}
    order = list(round_order) if round_order is not None else sorted(titles, key=lambda r: (titles[r], r))
    position = {round_id: i for i, round_id in enumerate(order)}
    ranked = []
    for code, mine in by_region.items():
        mine = sorted(mine, key=lambda c: (c.round_id, c.due or date.max, c.milestone_id))
        money_here = owed.get(code, {})
        reasons = _reasons(mine, money_here, within_days)
        per_round: dict[str, list[StatusCell]] = {}
        for cell in mine:
            per_round.setdefault(cell.round_id, []).append(cell)
        states = tuple(
            round_state(per_round[r])
            for r in sorted(per_round, key=lambda r: (position.get(r, len(position)), titles[r], r))
        )
        pending = [d for d in (_signed_days(c) for c in mine) if d is not None]
        ranked.append(
            RegionAttention(
                code=code,
                region=min(c.region for c in mine),
                level=min((r.level for r in reasons), default=Level.NONE),
                reasons=tuple(reasons),
                rounds=states,
                nearest=min(pending, default=None),
                not_requisitioned=sum(m.amount for m in money_here.values() if m.payable),
                lapsed=sum(m.amount for m in money_here.values() if not m.payable),
            )
        )
    return sorted(ranked, key=lambda r: r.key)
