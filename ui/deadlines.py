"""Deadline views: status cells from the store, the traffic-light matrix, the Gantt timeline."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from datetime import date, timedelta
from html import escape

import pandas as pd
import plotly.graph_objects as go

from allocation.deadlines import LABELS_SV
from allocation.milestones import RoundMilestones, StatusCell, round_milestones, status_cells
from store.access import Action
from store.session import Session
from ui.charts import Chart, _layout


def rounds(store: Session, round_ids: Sequence[str] | None = None) -> list[RoundMilestones]:
    """The milestones of the given rounds (default: every round in the store)."""
    ids = store.round_ids() if round_ids is None else round_ids
    return [round_milestones(store.round_document(rid)) for rid in ids]


def event_dates(store: Session, round_id: str) -> dict[str, dict[str, date]]:
    """Per event kind (the rules files' ``event``), the date each region did it in this round."""
    first_requisition: dict[str, date] = {}
    for item in store.requisitions(round_id):
        first_requisition[item.code] = min(first_requisition.get(item.code, item.received), item.received)
    return {
        "at_report": store.report_dates(round_id),
        "requisition": first_requisition,
        "usage_report": store.usage_report_dates(round_id),
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
    regions = store.regions(store.latest_population_date())
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
    return f'{_MATRIX_STYLE}<div class="matris">{table}</div>'


def timeline_chart(round_list: Sequence[RoundMilestones], as_of: date) -> Chart:
    """A Gantt chart of the grant year: one bar per milestone, the chosen date as a line."""
    rows = []
    for round_ in round_list:
        for window, _ in round_.windows:
            start = window.start or (window.after + timedelta(days=1) if window.after else None)
            end = window.due
            if start is None and end is None:
                continue
            if start is None:
                start = end - timedelta(days=14)  # a deadline without an opening: show its last fortnight
            if end is None:
                end = start + timedelta(days=30)  # an opening without an end: a month
            rows.append(
                {
                    "omgång": round_.title,
                    "milstolpe": window.label,
                    "från": start,
                    "till": end,
                    "regionens": window.region_action,
                }
            )
    data = pd.DataFrame(rows).sort_values("från")
    open_now = data[(data["från"] <= as_of) & (data["till"] >= as_of)]
    title = f"{as_of.isoformat()}: {len(open_now)} tidsfönster öppna" + (
        f" ({', '.join(open_now['milstolpe'])})" if len(open_now) else ""
    )
    day_ms = 24 * 60 * 60 * 1000  # a date axis measures bar lengths in milliseconds
    fig = go.Figure()
    for round_title, group in data.groupby("omgång", sort=False):
        fig.add_trace(
            go.Bar(
                y=[_row_label(m, r) for m, r in zip(group["milstolpe"], group["omgång"], strict=True)],
                x=[((t - f).days + 1) * day_ms for f, t in zip(group["från"], group["till"], strict=True)],
                base=[f.isoformat() for f in group["från"]],
                orientation="h",
                name=round_title,
                hovertext=[
                    f"{m}: {f.isoformat()} – {t.isoformat()}"
                    for m, f, t in zip(group["milstolpe"], group["från"], group["till"], strict=True)
                ],
                hoverinfo="text",
            )
        )
    first, last = data["från"].min() - timedelta(days=15), data["till"].max() + timedelta(days=15)
    fig.update_xaxes(type="date", tickformat="%Y-%m", range=[first.isoformat(), last.isoformat()])
    fig.update_yaxes(autorange="reversed")
    if first <= as_of <= last:
        fig.add_vline(x=as_of.isoformat(), line_width=2, line_dash="dash", line_color="#c62828")
        fig.add_annotation(
            x=as_of.isoformat(),
            y=1.02,
            yref="paper",
            text=f"Per {as_of.isoformat()}",
            showarrow=False,
            font={"color": "#c62828"},
        )
    else:
        title += " (datumet ligger utanför bidragsåret)"
    fig.update_layout(barmode="overlay", legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0})
    lines = sum(len(_row_label(m, r).split("<br>")) for m, r in zip(data["milstolpe"], data["omgång"], strict=True))
    fig = _layout(fig, title, height=110 + 17 * lines + 14 * len(data))
    # The title is shown by the page above the chart (it wraps on a phone; a Plotly title is cut off).
    fig.update_layout(title=None, margin={"t": 30})
    return Chart(fig, data, title)


def _row_label(milestone: str, round_title: str) -> str:
    """A row per round and milestone: the milestone (wrapped for a phone), the round below it in grey."""
    lines = textwrap.wrap(milestone, 30) or [milestone]
    return "<br>".join(escape(line) for line in lines) + f"<br><span style='color:#767676'>{escape(round_title)}</span>"
