"""The overview's table of regions needing attention: one row per region in rank order, the level in
traffic-light colours, a compact status per round, and the money not requisitioned."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import pandas as pd
import streamlit as st

from allocation.attention import Level, RegionAttention
from allocation.deadlines import AMBER, GREY, RED, Status
from present import formats as f
from ui.a11y import scroll_region
from ui.attention_text import level_sv, why_sv
from ui.rounds import RoundRef

LEVEL_COLORS = {Level.OVERDUE: RED, Level.DUE_SOON: AMBER, Level.LAPSED: RED, Level.NONE: GREY}


def attention_frame(
    ranked: Sequence[RegionAttention], events: dict[tuple[str, str], str], rounds: Sequence[tuple[str, str]]
) -> pd.DataFrame:
    """One row per region in rank order; ``rounds`` = (round id, column label) for the per-round columns.

    What a reader acts on comes first (region, level, why, money), then the status in each round: on a
    narrow screen the first columns are the ones that show."""
    rows = []
    for entry in ranked:
        states = {s.round_id: s.text_sv for s in entry.rounds}
        rows.append(
            {
                "region": entry.region,
                "läge": level_sv(entry),
                "varför": why_sv(entry, events),
                "ej rekvirerat": entry.not_requisitioned,
                "förlorat": entry.lapsed,
                **{f"omgång {i}": states.get(round_id, "–") for i, (round_id, _) in enumerate(rounds)},
            }
        )
    return pd.DataFrame(rows)


_TINTS = {
    Status.OVERDUE: "background-color: #FDECEA; color: #8B1A1A",
    # Never done in a closed round: a final fact, nothing to act on, so grey (red is for what is overdue now).
    Status.MISSED: "background-color: #EEEEEE; color: #333333",
    Status.DONE_ON_TIME: "background-color: #E8F5E9; color: #1B5E20",
    Status.DONE_LATE: "background-color: #E8F5E9; color: #1B5E20",
}
_SOON_TINT = "background-color: #FFF4D6; color: #5C4300"


def frame_styles(
    ranked: Sequence[RegionAttention], rounds: Sequence[tuple[str, str]], columns: Sequence[str]
) -> pd.DataFrame:
    """CSS per cell of ``attention_frame``: the level in traffic-light colours (its words stay in the cell),
    each round's status tinted (red overdue, amber near its last day, green done, grey never done in a closed
    round: final, nothing to act on)."""
    rows = []
    for entry in ranked:
        level = entry.level
        row = dict.fromkeys(columns, "")
        if level is not Level.NONE:
            text = "#222" if level is Level.DUE_SOON else "white"
            row["läge"] = f"background-color: {LEVEL_COLORS[level]}; color: {text}"
            row["varför"] = _SOON_TINT if level is Level.DUE_SOON else _TINTS[Status.OVERDUE]
        soon = {r.round_id for r in entry.reasons if r.level is Level.DUE_SOON}
        for i, (round_id, _) in enumerate(rounds):
            state = next((s for s in entry.rounds if s.round_id == round_id), None)
            if state is None:
                continue
            if state.status is Status.OPEN and round_id in soon:
                row[f"omgång {i}"] = _SOON_TINT
            else:
                row[f"omgång {i}"] = _TINTS.get(state.status, "")
        rows.append(row)
    return pd.DataFrame(rows, columns=list(columns))


def attention_table(
    rows: Sequence[RegionAttention],
    refs: Sequence[RoundRef],
    events: dict[tuple[str, str], str],
    money: bool,
) -> None:
    # An HTML table, not st.dataframe: the landing page then needs none of the data grid's code (about
    # 1.3 MB of JavaScript a new visitor's browser would fetch and compile before the page is drawn).
    st.html(attention_html(rows, refs, events, money))


def attention_html(
    rows: Sequence[RegionAttention],
    refs: Sequence[RoundRef],
    events: dict[tuple[str, str], str],
    money: bool,
) -> str:
    """The table as HTML (pure): one row per region, a column per round that has a status for them."""
    titles = {r.id: r.short_title for r in refs}
    rounds_here = [(r.id, titles[r.id]) for r in refs if any(s.round_id == r.id for e in rows for s in e.rounds)]
    frame = attention_frame(rows, events, rounds_here)
    labels = {
        "region": "Region",
        "varför": "Varför",
        "läge": "Läge",
        **{f"omgång {i}": title for i, (_, title) in enumerate(rounds_here)},
        "ej rekvirerat": "Ej rekvirerat",
        "förlorat": "Kan inte betalas ut",
    }
    helps = {
        "läge": "Det mest brådskande för regionen just nu.",
        **{f"omgång {i}": f"Regionens status i {title}." for i, (_, title) in enumerate(rounds_here)},
        "ej rekvirerat": "Kan fortfarande rekvireras.",
        "förlorat": "Inte rekvirerat före sista dag: kan inte längre betalas ut.",
    }
    # A money column only where there is money in it: before the deadline nothing is lost, after it nothing
    # can still be requisitioned.
    columns = [c for c in frame.columns if c not in MONEY or (money and frame[c].any())]
    styles = frame_styles(rows, rounds_here, columns)
    return table_html(frame[columns], styles, labels, helps)


MONEY = ("ej rekvirerat", "förlorat")
NARROW = "640px"  # at most this wide (a phone), each region is a card of "label: value" lines
_CSS = f"""<style>
.ovtable-wrap {{ overflow-x: auto; }}
table.ovtable {{ border-collapse: collapse; font-size: 0.875rem; width: 100%; }}
table.ovtable th {{ text-align: left; font-weight: 600; color: #555; border-bottom: 1px solid #ddd;
  padding: 0.4rem 0.5rem; vertical-align: bottom; min-width: 5.5rem; }}
table.ovtable td {{ padding: 0.4rem 0.5rem; border-bottom: 1px solid #eee; vertical-align: top; }}
table.ovtable td.money, table.ovtable th.money {{ text-align: right; white-space: nowrap; }}
table.ovtable td:first-child, table.ovtable th:first-child {{ position: sticky; left: 0; background: white;
  font-weight: 600; white-space: nowrap; }}
table.ovtable td.why {{ min-width: 11rem; }}
@media (max-width: {NARROW}) {{
  table.ovtable, table.ovtable tbody, table.ovtable tr, table.ovtable td {{ display: block; width: auto; }}
  table.ovtable thead {{ position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }}
  table.ovtable tr {{ border: 1px solid #ddd; border-radius: 0.4rem; margin-bottom: 0.6rem; overflow: hidden; }}
  table.ovtable td, table.ovtable td.money {{ display: grid; grid-template-columns: 8rem 1fr; column-gap: 0.5rem;
    text-align: left; white-space: normal; border-bottom: 1px solid #f2f2f2; min-width: 0; }}
  table.ovtable td::before {{ content: attr(data-label); font-weight: 600; color: inherit; }}
  table.ovtable td:first-child {{ position: static; display: block; font-size: 1rem; background: #fafafa; }}
  table.ovtable td:first-child::before {{ content: none; }}
}}
</style>"""


def table_html(frame: pd.DataFrame, styles: pd.DataFrame, labels: dict[str, str], helps: dict[str, str]) -> str:
    """The table as HTML: every text escaped, the cells' colours from ``styles``, money as ``1 234 kr`` with
    its whole-krona value in ``data-value``, each column's key in ``data-key`` (for tests and scripts).

    On a narrow screen (a phone) each row is drawn as a card of "label: value" lines (a CSS media query; the
    label is the cell's ``data-label``), so nothing is off-screen. The elements carry their table roles
    explicitly: a screen reader still hears a table when the CSS draws blocks."""
    columns = list(frame.columns)
    head = "".join(
        f'<th role="columnheader" data-key="{escape(c)}" title="{escape(helps.get(c, ""))}"'
        f"{' class=' + chr(34) + 'money' + chr(34) if c in MONEY else ''}>{escape(labels.get(c, c))}</th>"
        for c in columns
    )
    body = []
    for i in range(len(frame)):
        cells = []
        for j, column in enumerate(columns):
            value = frame.iat[i, j]
            style = escape(str(styles.iat[i, j] or ""))
            label = escape(labels.get(column, column))
            role = "rowheader" if j == 0 else "cell"
            if column in MONEY:
                amount = int(value)
                cells.append(
                    f'<td role="{role}" class="money" data-label="{label}" data-value="{amount}" style="{style}">'
                    f"{escape(f.kr(amount))}</td>"
                )
            else:
                kind = ' class="why"' if column == "varför" else ""
                cells.append(f'<td role="{role}"{kind} data-label="{label}" style="{style}">{escape(str(value))}</td>')
        body.append('<tr role="row">' + "".join(cells) + "</tr>")
    table = (
        f'<table class="ovtable" role="table"><thead role="rowgroup"><tr role="row">{head}</tr></thead>'
        f'<tbody role="rowgroup">{"".join(body)}</tbody></table>'
    )
    return f'{_CSS}<div class="ovtable-wrap" {scroll_region("Regioner som behöver uppmärksamhet")}>{table}</div>'
