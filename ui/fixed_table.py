"""A round of fixed amounts per region: its table, a chart, and the downloads (nothing to simulate)."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from allocation.fixed import BASIS_SV
from present import formats as f
from store.export import store_facts
from store.session import Session
from ui.charts import COLORS, Chart, _layout
from ui.downloads import download_pair
from ui.followup import basis_notice
from ui.rounds import RoundRef
from ui.text import plain


def fixed_frame(store: Session, round_id: str) -> pd.DataFrame:
    """One row per region the principal may see: its amount, basis, share of the total and per inhabitant."""
    amounts = store.fixed_amounts(round_id)
    regions = store.regions(store.block_round(round_id).population_date)
    total = sum(a for a, _, _ in amounts.values())
    rows = []
    for region in regions:
        if region.code not in amounts:
            continue
        amount, basis, _ = amounts[region.code]
        rows.append(
            {
                "länskod": region.code,
                "region": region.name,
                "befolkning": region.population,
                "högsta belopp (kr)": amount,
                "andel av summan": amount / total if total else 0.0,
                "kr per invånare": amount / region.population,
                "underlag": BASIS_SV.get(basis, basis),
            }
        )
    return pd.DataFrame(rows)


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
    fig.update_xaxes(tickformat=",.0f", title="kr")
    return Chart(fig, ordered, title)


def fixed_table_view(store: Session, ref: RoundRef) -> None:
    """The allocation of a round whose amounts are fixed per region (official or a labelled estimate)."""
    round_ = store.block_round(ref.id)
    due = f" senast {round_.requisition_due.isoformat()}" if round_.requisition_due else ""
    st.caption(
        f"{plain(round_.title)} · {plain(round_.dnr)} · {f.kr(round_.pot)} · fasta belopp per region som regionerna "
        f"rekvirerar{due}: det finns inget att simulera."
    )
    amounts = store.fixed_amounts(ref.id)
    kind, text = basis_notice(amounts)
    (st.warning if kind == "warning" else st.info)(text, icon=":material/info:")
    frame = fixed_frame(store, ref.id)
    if frame.empty:
        st.info("Omgången har inga belopp per region ännu.")
        return
    total = int(frame["högsta belopp (kr)"].sum())
    m1, m2, m3 = st.columns(3)
    m1.metric("Summa", f.mnkr(total))
    m2.metric("Regioner", f.count(len(frame)))
    m3.metric("Största belopp", f.mnkr(int(frame["högsta belopp (kr)"].max())))
    estimate = " (uppskattning)" if kind == "warning" else ""
    chart = fixed_chart(frame, f"Högsta belopp per region{estimate}, summa {f.kr(total)}")
    st.plotly_chart(chart.figure, key="fixed_chart", config={"displaylogo": False, "locale": "sv"})
    st.dataframe(
        frame.style.format(
            {
                "befolkning": lambda v: f.number(int(v)),
                "högsta belopp (kr)": lambda v: f.kr(int(v)),
                "andel av summan": lambda v: f.percent(v, 2),
                "kr per invånare": lambda v: f.number(v, 2),
            }
        ),
        hide_index=True,
        width="stretch",
    )
    about = [("Bidragsomgång", round_.title), ("Diarienummer", round_.dnr), ("Underlag", text), *store_facts(store)]
    download_pair(frame, about, sheet="Belopp per region", name=(ref.short_title, "belopp per region"), key="fixed")
    st.page_link("pages/elderly/followup.py", label="Till uppföljningen av rekvisitionerna", icon=":material/elderly:")
