"""Deadline views: status cells from the store, the traffic-light matrix (the timeline: ui/timeline_html.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

import pandas as pd

from allocation.deadlines import LABELS_SV
from allocation.milestones import RoundMilestones, StatusCell, round_milestones, status_cells
from store.access import Action
from store.session import Session
from ui.a11y import scroll_region


def rounds(store: Session, round_ids: Sequence[str] | None = None) -> list[RoundMilestones]:
    """The milestones of the given rounds (default: every round in the store)."""
    ids = store.rounds.round_ids() if round_ids is None else round_ids
    return [round_milestones(store.rounds.round_document(rid)) for rid in ids]


def event_dates(store: Session, round_id: str) -> dict[str, dict[str, date]]:
    """Per event kind (the rules files' ``event``), the date each region did it in this round."""
    first_requisition: dict[str, date] = {}
    for item in store.followup.requisitions(round_id):
        first_requisition[item.code] = min(first_requisition.get(item.code, item.received), item.received)
    return {
        "at_report": store.reports.report_dates(round_id),
        "requisition": first_requisition,
        "usage_report": store.followup.usage_report_dates(round_id),
    }


def closed_notice(round_list: Sequence[RoundMilestones], as_of: date) -> str | None:
    """A sentence naming the rounds that are closed (avslutade) as of the date, or None if none is."""
    closed = [r for r in round_list if r.closed(as_of)]
    if not closed:
        return None
    names = "; ".join(f"{r.title} (sista tidsfrist {r.ends_on.isoformat()})" for r in closed if r.ends_on)
    return (
        f"Avslutad per {as_of.isoformat()}: {names}. Statusen är slutlig: klar i tid, klar för sent "
        "eller aldrig (gjordes inte före omgångens slut)."
    )


def cells_as_of(store: Session, as_of: date, round_ids: Sequence[str] | None = None) -> list[StatusCell]:
    """Status per region and milestone, for the regions whose status the principal may see (per round:
    a region user sees every region's status in a round whose decision is published, else its own)."""
    regions = store.rounds.regions(store.rounds.latest_population_date())
    cells = []
    for round_ in rounds(store, round_ids):
        visible = store.visible(Action.READ_STATUS, round_.round_id)
        found = status_cells([round_], regions, event_dates(store, round_.round_id), as_of)
        cells += [c for c in found if visible is None or c.code in visible]
    return cells


def cells_frame(cells: Sequence[StatusCell]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "omgång": c.round_title,
                "milstolpe": c.milestone,
                "senast": c.due,
                "länskod": c.code,
                "region": c.region,
                "status": LABELS_SV[c.result.status],
                "beskrivning": c.result.text_sv,
                "dagar kvar": c.result.days_left,
                "dagar sent": c.result.days_late,
            }
            for c in cells
        ]
    )


_MATRIX_STYLE = """
<style>
div.matris { overflow-x: auto; }
table.matris { border-collapse: separate; border-spacing: 2px; font-size: 0.82rem; }
table.matris th { text-align: left; font-weight: 600; padding: 0.25rem 0.5rem; vertical-align: bottom; }
table.matris td { padding: 0.25rem 0.5rem; white-space: nowrap; border-radius: 4px; color: white; }
table.matris td.region { color: inherit; font-weight: 600; }
table.matris th.omgang { border-bottom: 2px solid #9E9E9E; }
</style>
"""


def matrix_html(cells: Sequence[StatusCell]) -> str:
    """Regions × milestones: each cell coloured by status AND labelled in words (not colour alone).

    Two header rows: the round (spanning its milestones), then each milestone with its last day, so two
    rounds' milestones of the same name never look like one.
    """
    columns: list[tuple[str, str, str, str]] = []  # (round id, milestone id, round title, label)
    for c in cells:
        key = (c.round_id, c.milestone_id, c.round_title, f"{c.milestone} ({c.due.isoformat() if c.due else '–'})")
        if key not in columns:
            columns.append(key)
    first_seen = list(dict.fromkeys(k[0] for k in columns))
    columns.sort(key=lambda k: first_seen.index(k[0]))  # each round's milestones together (a stable sort)
    regions: dict[str, str] = {}
    for c in cells:
        regions.setdefault(c.code, c.region)
    by_key = {(c.code, c.round_id, c.milestone_id): c for c in cells}
    groups: list[tuple[str, int]] = []
    for round_id, *_ in columns:
        if groups and groups[-1][0] == round_id:
            groups[-1] = (round_id, groups[-1][1] + 1)
        else:
            groups.append((round_id, 1))
    titles = {round_id: title for round_id, _, title, _ in columns}
    top = '<th rowspan="2">Region</th>' + "".join(
        f'<th colspan="{n}" class="omgang">{escape(titles[rid])}</th>' for rid, n in groups
    )
    head = "".join(f"<th>{escape(label)}</th>" for *_, label in columns)
    body = []
    for code, name in regions.items():
        tds = [f'<td class="region">{escape(code)} {escape(name)}</td>']
        for round_id, milestone_id, _, _ in columns:
            cell = by_key.get((code, round_id, milestone_id))
            if cell is None:
                tds.append("<td></td>")
                continue
            text_color = "#222" if cell.color in ("#F2A900", "#9E9E9E") else "white"
            tds.append(
                f'<td style="background:{cell.color};color:{text_color}" title="{escape(cell.result.text_sv)}">'
                f"{escape(cell.result.text_sv)}</td>"
            )
        body.append(f"<tr>{''.join(tds)}</tr>")
    table = f'<table class="matris"><thead><tr>{top}</tr><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
    return f'{_MATRIX_STYLE}<div class="matris" {scroll_region("Tidsfrister per region")}>{table}</div>'
