"""A block whose method is a fixed table: its amounts per region, official or clearly labelled as an estimate,
as a chart and a table (nothing to simulate)."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from allocation.block_data import Recipient
from allocation.blocks import Block
from allocation.fixed import BASIS_SV
from allocation.method_params import OFFICIAL, FixedTableParams
from present import formats as f
from ui.charts import COLORS, TICKS, Chart, _layout
from ui.grid import figures_table
from ui.text import plain


def fixed_chart(frame: pd.DataFrame, title: str) -> Chart:
    ordered = frame.sort_values("högsta belopp (kr)", ascending=True)
    hover = [
        f"{html.escape(name)}<br>{f.kr(int(amount))}<br>{f.number(per, 2)} kr per invånare"
        for name, amount, per in zip(
            ordered["region"], ordered["högsta belopp (kr)"], ordered["kr per invånare"], strict=True
        )
    ]
    fig = go.Figure(
        go.Bar(
            x=ordered["högsta belopp (kr)"],
            y=ordered["region"],
            orientation="h",
            marker_color=COLORS["step"],
            hovertext=hover,
            hoverinfo="text",
        )
    )
    _layout(fig, title, height=max(360, 26 * len(ordered) + 90))
    fig.update_xaxes(tickformat=TICKS, title="kr")
    return Chart(fig, ordered, title)


def block_table_frame(block: Block, recipients: tuple[Recipient, ...]) -> pd.DataFrame:
    """A fixed-table block's amount per recipient, its share of the sum and per inhabitant."""
    params = block.params
    assert isinstance(params, FixedTableParams)
    total = sum(params.table.values())
    basis = BASIS_SV.get(params.basis, params.basis)
    rows = [
        {
            "länskod": r.code,
            "region": r.name,
            "befolkning": r.population,
            "högsta belopp (kr)": params.table[r.code],
            "andel av summan": params.table[r.code] / total if total else 0.0,
            "kr per invånare": params.table[r.code] / r.population,
            "underlag": basis,
        }
        for r in recipients
        if r.code in params.table
    ]
    return pd.DataFrame(rows)


def fixed_block_view(block: Block, recipients: tuple[Recipient, ...]) -> None:
    """A fixed-table block's tab: whether the table is official or an estimate, its chart and its table."""
    params = block.params
    assert isinstance(params, FixedTableParams)
    source = block.sources.get("params")
    where = plain(source.section) if source is not None else ""
    if params.basis == OFFICIAL:
        st.info(f"Beloppen är den officiella tabellen. Källa: {where}", icon=":material/info:")
    else:
        st.warning(f"{BASIS_SV[params.basis]}: beloppen är inte officiella. {where}", icon=":material/info:")
    frame = block_table_frame(block, recipients)
    if frame.empty:
        st.info("Omgången har inga belopp per region ännu.")
        return
    total = int(frame["högsta belopp (kr)"].sum())
    estimate = "" if params.basis == OFFICIAL else " (uppskattning)"
    chart = fixed_chart(frame, f"Högsta belopp per region{estimate}, summa {f.kr(total)}")
    st.plotly_chart(chart.figure, key="fixed_chart", config={"displaylogo": False, "locale": "sv"})
    figures_table(frame, {"andel av summan": lambda v: f.percent(v, 2)})
    st.page_link("pages/elderly/followup.py", label="Till uppföljningen av rekvisitionerna", icon=":material/elderly:")
