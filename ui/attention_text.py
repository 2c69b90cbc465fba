"""The overview's "Behöver uppmärksamhet" in words: dates, reasons and the headline in plain Swedish."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from babel.dates import format_date

from allocation.attention import LEVEL_SV, Level, Reason, RegionAttention
from allocation.deadlines import URGENT_WITHIN_DAYS, Status, days_sv
from allocation.milestones import RoundMilestones
from present import formats as f
from present.formats import LOCALE

# What a region has not done yet, by the rules files' event kinds; another kind is named by its milestone.
NOUNS_SV = {"requisition": "Rekvisition", "usage_report": "Återrapport", "at_report": "Inrapportering"}


def long_date(day: date) -> str:
    """``31 oktober 2023``."""
    return format_date(day, "d MMMM y", locale=LOCALE)


def events_of(milestones: Sequence[RoundMilestones]) -> dict[tuple[str, str], str]:
    """(round id, milestone id) → the event kind that marks the milestone done (rules files' ``event``)."""
    return {(m.round_id, w.id): kind for m in milestones for w, kind in m.windows if kind}


def reason_sv(reason: Reason, event: str | None = None) -> str:
    """One reason in plain Swedish: "Rekvisition saknas, sista dag 31 oktober 2023 passerad"."""
    noun = NOUNS_SV.get(event or "", reason.milestone)
    last = f"sista dag {long_date(reason.due)}" if reason.due else "sista dag"
    if reason.level is Level.OVERDUE:
        return f"{noun} saknas, {last} passerad"
    if reason.level is Level.DUE_SOON:
        days = reason.days or 0
        return f"{noun} ej inkommen, förfaller {'i dag' if days == 0 else f'om {days_sv(days)}'}"
    return f"Ej rekvirerat {f.kr(reason.amount)} kan inte längre betalas ut"


NOTHING_DUE_SV = "Inget försenat eller nära sista dag"
SETTLED_SV = "Avslutat, inget att åtgärda"


def settled(entry: RegionAttention) -> bool:
    """Nothing to attend to, but something was never done (or requisitioned) in a closed round: a final fact."""
    return not entry.reasons and (entry.lapsed > 0 or any(s.status is Status.MISSED for s in entry.rounds))


def and_sv(items: Sequence[str]) -> str:
    """``a``, ``a och b``, ``a, b och c``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} och {items[-1]}"


def settled_sv(entry: RegionAttention) -> str:
    """Why a region with "Aldrig" or money lost has nothing to attend to: its rounds are closed, the facts final."""
    closed = [s.round_title for s in entry.rounds if s.status is Status.MISSED]
    parts = [f"Aldrig gjort före omgångens slut i {and_sv(closed)}"] if closed else []
    if entry.lapsed:
        parts.append(f"{f.kr(entry.lapsed)} rekvirerades aldrig och kan inte betalas ut")
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def level_sv(entry: RegionAttention) -> str:
    """The level in words; a region whose only problems are final facts of closed rounds says so."""
    return SETTLED_SV if settled(entry) else LEVEL_SV[entry.level]


def why_sv(entry: RegionAttention, events: dict[tuple[str, str], str]) -> str:
    """The most urgent reason (the others show in the columns per round and of money); with none, why nothing
    is to be done: nothing is due, or what was never done belongs to a closed round (then it says so)."""
    if not entry.reasons:
        return settled_sv(entry) if settled(entry) else NOTHING_DUE_SV
    first = entry.reasons[0]
    return reason_sv(first, events.get((first.round_id, first.milestone_id)))


def headline_sv(ranked: Sequence[RegionAttention], within_days: int = URGENT_WITHIN_DAYS) -> str:
    """ "3 av 21 regioner behöver uppmärksamhet: 2 försenade, 1 med sista dag inom 14 dagar." (plain text)"""
    counts = {level: sum(r.level is level for r in ranked) for level in Level}
    need = len(ranked) - counts[Level.NONE]
    parts = []
    if counts[Level.OVERDUE]:
        parts.append(f"{counts[Level.OVERDUE]} försenade")
    if counts[Level.DUE_SOON]:
        parts.append(f"{counts[Level.DUE_SOON]} med sista dag inom {days_sv(within_days)}")
    if counts[Level.LAPSED]:
        parts.append(f"{counts[Level.LAPSED]} med medel som inte längre kan betalas ut")
    noun = "region behöver" if len(ranked) == 1 else "regioner behöver"
    return f"{need} av {len(ranked)} {noun} uppmärksamhet" + (f": {', '.join(parts)}." if parts else ".")
