"""The overview's table of regions needing attention: one row per region in rank order, the level in
traffic-light colours, a compact status per round, and the money not requisitioned."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from allocation.attention import LEVEL_SV, Level, RegionAttention
from allocation.deadlines import AMBER, GREY, RED, Status
from present import formats as f
from ui.attention_text import why_sv
from ui.rounds import RoundRef
from ui.text import plain

LEVEL_COLORS = {Level.OVERDUE: RED, Level.DUE_SOON: AMBER, Level.LAPSED: RED, Level.NONE: GREY}
ROW_HEIGHT = 66


def attention_frame(
    ranked: Sequence[RegionAttention], events: dict[tuple[str, str], str], rounds: Sequence[tuple[str, str]]
) -> pd.DataFrame:
    """One row per region in rank order; ``rounds`` = (round id, column label) for the per-round columns."""
    rows = []
    for entry in ranked:
        states = {s.round_id: s.text_sv for s in entry.rounds}
        rows.append(
            {
                "region": entry.region,
                "varför": why_sv(entry, events),
                "läge": LEVEL_SV[entry.level],
                **{f"omgång {i}": states.get(round_id, "–") for i, (round_id, _) in enumerate(rounds)},
                "ej rekvirerat": entry.not_requisitioned,
                "förlorat": entry.lapsed,
            }
        )
    return pd.DataFrame(rows)


_TINTS = {
    Status.OVERDUE: "background-color: #FDECEA; color: #8B1A1A",
    Status.MISSED: "background-color: #FDECEA; color: #8B1A1A",
    Status.DONE_ON_TIME: "background-color: #E8F5E9; color: #1B5E20",
    Status.DONE_LATE: "background-color: #E8F5E9; color: #1B5E20",
}
_SOON_TINT = "background-color: #FFF4D6; color: #5C4300"


def frame_styles(
    ranked: Sequence[RegionAttention], rounds: Sequence[tuple[str, str]], columns: Sequence[str]
) -> pd.DataFrame:
    """CSS per cell of ``attention_frame``: the level in traffic-light colours (its words stay in the cell),
    each round's status tinted (red overdue or never done, amber near its last day, green done)."""
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


def header_width(title: str, least: int = 110) -> int:
    """A column wide enough for its header (headers do not wrap): about 6.5 px a character at 14 px, and padding."""
    return max(least, round(6.5 * len(title)) + 24)


def attention_table(
    rows: Sequence[RegionAttention],
    refs: Sequence[RoundRef],
    events: dict[tuple[str, str], str],
    money: bool,
) -> None:
    titles = {r.id: r.short_title for r in refs}
    rounds_here = [(r.id, titles[r.id]) for r in refs if any(s.round_id == r.id for e in rows for s in e.rounds)]
    frame = attention_frame(rows, events, rounds_here)
    config = {
        "region": st.column_config.TextColumn("Region", pinned=True, width=125),
        "varför": st.column_config.TextColumn("Varför", width=228),  # region and reason fit a phone (390 px)
        "läge": st.column_config.TextColumn("Läge", help="Det mest brådskande för regionen just nu.", width=120),
        **{
            f"omgång {i}": st.column_config.TextColumn(
                title, help=f"Regionens status i {plain(title)}.", width=header_width(title)
            )
            for i, (_, title) in enumerate(rounds_here)
        },
        "ej rekvirerat": st.column_config.NumberColumn(
            "Ej rekvirerat", help="Kan fortfarande rekvireras.", width=header_width("Ej rekvirerat", 120)
        ),
        "förlorat": st.column_config.NumberColumn(
            "Kan inte betalas ut",
            help="Inte rekvirerat före sista dag: kan inte längre betalas ut.",
            width=header_width("Kan inte betalas ut", 120),
        ),
    }
    # A money column only where there is money in it: before the deadline nothing is lost, after it nothing
    # can still be requisitioned.
    columns = [c for c in frame.columns if c not in ("ej rekvirerat", "förlorat") or (money and frame[c].any())]
    styles = frame_styles(rows, rounds_here, columns).set_axis(frame.index)
    styled = frame[columns].style.apply(lambda _: styles, axis=None)
    styled = styled.format({c: lambda v: f.kr(int(v)) for c in ("ej rekvirerat", "förlorat") if c in columns})
    st.dataframe(
        styled,
        hide_index=True,
        width="stretch",
        row_height=ROW_HEIGHT,  # above 4rem Streamlit wraps a cell's text: the reason is read whole, also on a phone
        height=ROW_HEIGHT * len(frame) + 38,  # every row: no scrolling inside the table
        column_config=config,
        key="ov_uppmarksamhet",
    )
