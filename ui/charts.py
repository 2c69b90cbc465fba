"""Plotly figures as pure functions: figures in, a figure and its data out (shared by the block charts).

Each figure's title states the result. Swedish number formats: ``separators=", "`` (decimal comma,
space for thousands) with explicit tick formats; hover texts are formatted on the server with Babel.
Tick formats are ``,~f`` (``~`` drops trailing zeros): a narrow range gets ``0,5`` rather than two ticks
both rounded to ``1``; Plotly writes a negative tick with a real minus (U+2212) after formatting it.
Each chart keeps to one unit (kr, or mnkr on the waterfall), with exact kronor on hover.
"""

from __future__ import annotations

import html
import math
import textwrap
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from present import formats as f

TICKS = ",~f"  # thousands grouped, no trailing zeros, never the same label on two ticks
COLORS = {"step": "#1f4e79", "redistribution": "#6fa8dc", "gain": "#2e7d32", "loss": "#c62828", "muted": "#9e9e9e"}
FONT = "Source Sans Pro, Arial, sans-serif"
MAP_SCALE = "Blues"


@dataclass(frozen=True)
class Chart:
    figure: go.Figure
    data: pd.DataFrame  # what the chart shows, for download
    title: str


TITLE_WIDTH = 42  # characters per title line: a Plotly title never wraps itself, and a phone shows about 42
TITLE_LINE = 23  # pixels per line of a 17 px title


def wrap_title(title: str, width: int = TITLE_WIDTH) -> str:
    """The title in lines of at most ``width`` characters (Plotly's ``<br>``), so no phone cuts it off.

    Each line but the last keeps its space: the title's text (what a screen reader and a test read) stays
    the sentence it was, not words run together across the break.
    """
    return " <br>".join(textwrap.wrap(title, width, break_long_words=False, break_on_hyphens=False)) or title


def title_height(fig: go.Figure) -> int:
    """The room the figure's title takes at the top, in pixels."""
    return 22 + TITLE_LINE * (str(fig.layout.title.text).count("<br>") + 1)


def _layout(fig: go.Figure, title: str, height: int = 420) -> go.Figure:
    """Shared looks. ``height`` is the plot's own: the wrapped title's lines are added above it."""
    fig.update_layout(
        title={
            "text": wrap_title(title),
            "x": 0,
            "xanchor": "left",
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": 16},
            "font": {"size": 17},
        },
        separators=", ",
        font={"family": FONT, "size": 13},
    )
    top = title_height(fig) + 28  # and a line for the legend or the top axis
    fig.update_layout(
        height=height + top - 60,
        margin={"l": 10, "r": 10, "t": top, "b": 10},
        plot_bgcolor="white",
        paper_bgcolor="white",
        hoverlabel={"font": {"family": FONT}},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
    )
    fig.update_xaxes(gridcolor="#eeeeee", zerolinecolor="#cccccc")
    fig.update_yaxes(gridcolor="#eeeeee", zerolinecolor="#cccccc")
    return fig


def per_capita_figure(
    frame: pd.DataFrame, hover: list[str], data: pd.DataFrame, marker: tuple[str, str] | None = None
) -> Chart:
    """Bars of kronor per inhabitant (``frame``: region, kr_per_inhabitant, total; sorted as drawn), and
    optionally a second measure (column, label) as markers on an upper axis."""
    paid = frame[frame["total"] > 0]
    if paid.empty:
        title = "Ingen region får medel"
    else:
        best = paid.sort_values("kr_per_inhabitant").iloc[-1]
        title = f"{best['region']} får mest per invånare ({f.number(best['kr_per_inhabitant'], 2)} kr)"
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            y=frame["region"],
            x=frame["kr_per_inhabitant"],
            orientation="h",
            name="Kr per invånare",
            marker={"color": COLORS["step"]},
            hovertext=hover,
            hoverinfo="text",
            xaxis="x",
        )
    )
    fig.update_layout(xaxis={"title": "Kr per invånare", "tickformat": TICKS, "domain": [0, 1]})
    if marker is not None:
        column, label = marker
        fig.add_trace(
            go.Scatter(
                y=frame["region"],
                x=frame[column],
                mode="markers",
                name=label,
                marker={"color": COLORS["gain"], "size": 10, "symbol": "diamond"},
                hovertext=hover,
                hoverinfo="text",
                xaxis="x2",
            )
        )
        fig.update_layout(
            xaxis2={
                "title": label,
                "overlaying": "x",
                "side": "top",
                "tickformat": TICKS,
                "tickmode": "auto",  # its own round ticks, not the lower axis's positions (Plotly's "sync")
                "showgrid": False,
                "rangemode": "tozero",
            },
        )
    height = max(300, 30 * len(frame) + 30)
    _layout(fig, title, height=height)
    top = title_height(fig) + (50 if marker else 0)  # an upper axis and its title below the title
    # The legend below the lower axis: above the plot it would cover the upper axis on a phone.
    fig.update_layout(
        margin={"t": top, "b": 90},
        height=height + top - 60 + 80,
        legend={"orientation": "h", "y": -0.1, "yanchor": "top", "x": 0, "xanchor": "left"},
        showlegend=marker is not None,
    )
    return Chart(fig, data, title)


def map_figure(
    frame: pd.DataFrame, hover: dict[str, str], outlines: dict[str, tuple[list, list]], metric: str = "total"
) -> Chart:
    """The län of ``frame`` (code, region, total, kr_per_inhabitant) coloured by ``metric``; ``hover`` by code."""
    label = "Totalt (kr)" if metric == "total" else "Kr per invånare"
    best = frame.sort_values(metric, ascending=False).iloc[0]
    if best[metric] <= 0:
        title = "Ingen region får medel"
    elif metric == "total":
        title = f"Störst belopp: {best['region']} ({f.kr(int(best['total']))})"
    else:
        title = f"Mest per invånare: {best['region']} ({f.number(best['kr_per_inhabitant'], 2)} kr)"
    values = dict(zip(frame["code"], frame[metric], strict=True))
    names = dict(zip(frame["code"], frame["region"], strict=True))
    top = max(values.values()) or 1
    fig = go.Figure()
    for code in frame["code"]:
        if code not in outlines:  # a recipient that is no län has no outline: the table has its figures
            continue
        xs, ys = outlines[code]
        color = sample_colorscale(MAP_SCALE, [values[code] / top])[0]
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                fill="toself",
                fillcolor=color,
                mode="lines",
                line={"color": "white", "width": 0.8},
                name=names[code],
                text=hover[code],
                hoveron="fills",
                hoverinfo="text",
                showlegend=False,
            )
        )
    # The colour scale, as a colour bar on an invisible marker.
    fig.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            showlegend=False,
            hoverinfo="skip",
            marker={
                "colorscale": MAP_SCALE,
                "cmin": 0,
                "cmax": top,
                "color": [0],
                "colorbar": {"title": {"text": label}, "tickformat": TICKS, "thickness": 14},
            },
        )
    )
    # Longitude and latitude as plain axes: a degree of latitude is about 1 / cos(62°) ≈ 2,1 times
    # as long as a degree of longitude at Sweden's middle, which keeps the country's shape.
    fig.update_xaxes(visible=False, range=[10.8, 24.4])
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1 / math.cos(math.radians(62)), range=[55.2, 69.2])
    data = frame[["code", "region", "total", "kr_per_inhabitant"]]
    return Chart(_layout(fig, title, height=720), data, title)


def _comparison_title(diff: pd.DataFrame, baseline: str, scenario: str, named: bool = True) -> str:
    """Who gains and who loses; ``named`` puts the two names first (the figure's own title leaves them to the
    pickers right above it: with them it took four lines)."""
    frame = diff.sort_values("difference")
    gainers = frame[frame["difference"] > 0]
    losers = frame[frame["difference"] < 0]
    if gainers.empty and losers.empty:
        title = f"”{scenario}” ger samma belopp som ”{baseline}” för alla regioner"
        if not named:
            title = "Samma belopp för alla regioner"
    else:
        parts = []
        if not gainers.empty:
            top = gainers.iloc[-1]
            parts.append(f"{len(gainers)} vinner (mest {top['region']}, +{f.kr(int(top['difference']))})")
        if not losers.empty:
            low = losers.iloc[0]
            parts.append(f"{len(losers)} förlorar (mest {low['region']}, −{f.kr(int(-low['difference']))})")
        title = (f"”{scenario}” mot ”{baseline}”: " if named else "") + "; ".join(parts)
    return title


def comparison_chart(diff: pd.DataFrame, baseline: str, scenario: str) -> Chart:
    """A diverging bar per region: the scenario's total minus the baseline's.

    The names are users' text: Plotly renders a subset of HTML in titles and hovers (``<a href>``), so
    they are HTML-escaped there (Plotly shows ``&lt;`` as ``<``); the returned title stays plain text.
    """
    plain_title = _comparison_title(diff, baseline, scenario)
    baseline, scenario = html.escape(baseline), html.escape(scenario)
    frame = diff.sort_values("difference")
    colors = [COLORS["gain"] if d > 0 else COLORS["loss"] if d < 0 else COLORS["muted"] for d in frame["difference"]]
    hover = [
        f"<b>{row.region}</b><br>{baseline}: {f.kr(int(row.baseline))}<br>{scenario}: {f.kr(int(row.scenario))}"
        f"<br>Skillnad: {'+' if row.difference > 0 else ''}{f.kr(int(row.difference))}"
        for row in frame.itertuples()
    ]
    fig = go.Figure(
        go.Bar(
            y=frame["region"],
            x=frame["difference"],
            orientation="h",
            marker={"color": colors},
            hovertext=hover,
            hoverinfo="text",
        )
    )
    fig.update_xaxes(title="Skillnad (kr)", tickformat=TICKS, zeroline=True, zerolinewidth=2)
    widest = int(frame["difference"].abs().max()) if len(frame) else 0
    if widest < 10:  # a few kronor (or none): whole-krona ticks, not half kronor
        fig.update_xaxes(dtick=1, range=[-max(widest, 1) - 0.5, max(widest, 1) + 0.5])
    shown_title = _comparison_title(diff, baseline, scenario, named=False)  # the names are in the pickers above
    return Chart(_layout(fig, shown_title, height=620), frame, plain_title)
