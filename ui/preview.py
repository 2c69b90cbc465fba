"""Region preview: figures and the preliminary XLSX."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from allocation.preview import PreviewResult
from allocation.rules import AtParams
from present import formats as f
from store.export import frame_to_xlsx
from ui.charts import COLORS, Chart, _layout


def histogram_chart(result: PreviewResult, region: str) -> Chart:
    title = f"{region}: troligen {f.mnkr(result.median)} (80 % mellan {f.mnkr(result.p10)} och {f.mnkr(result.p90)})"
    counts, edges = np.histogram(result.totals, bins=40)
    data = pd.DataFrame({"från_kr": edges[:-1].astype(int), "till_kr": edges[1:].astype(int), "antal": counts})
    fig = go.Figure(
        go.Bar(
            x=(edges[:-1] + edges[1:]) / 2,
            y=counts / result.n,
            marker={"color": COLORS["step"]},
            hovertext=[
                f"{f.kr(int(a))} – {f.kr(int(b))}: {f.percent(c / result.n)}"
                for a, b, c in zip(edges[:-1], edges[1:], counts, strict=True)
            ],
            hoverinfo="text",
        )
    )
    for value, label in ((result.p10, "P10"), (result.median, "Median"), (result.p90, "P90")):
        fig.add_vline(
            x=value,
            line_dash="dash",
            line_color="#c62828" if label == "Median" else "#888",
            annotation_text=label,
            annotation_position="top",
        )
    fig.update_xaxes(title="Belopp", tickformat=",.0f", ticksuffix=" kr")
    fig.update_yaxes(title="Andel av simuleringarna", tickformat=".0%")
    return Chart(_layout(fig, title, height=380), data, title)


def curve_chart(result: PreviewResult, params: AtParams, region: str, own_expansion: float) -> Chart:
    title = f"Två tjänster till är värda {f.kr(result.gain_two)} (median)"
    data = pd.DataFrame(result.curve, columns=["utökning", "median_kr"])
    fig = go.Figure(
        go.Scatter(
            x=data["utökning"],
            y=data["median_kr"],
            mode="lines+markers",
            line={"shape": "hv", "width": 3},
            marker={"color": COLORS["step"]},
            hovertext=[f"Utökning {x}: {f.kr(int(y))}" for x, y in result.curve],
            hoverinfo="text",
        )
    )
    for step in params.steps:
        fig.add_vline(
            x=step.min_expansion,
            line_dash="dot",
            line_color="#bbb",
            annotation_text=f"≥ {step.min_expansion}",
            annotation_position="top",
        )
    fig.add_vline(
        x=own_expansion,
        line_color="#c62828",
        annotation_text="Er utökning",
        annotation_position="top right",
        annotation_y=0.9,
    )
    fig.update_xaxes(title="Regionens utökning (tjänster utöver plan)", dtick=1, range=[-0.3, 15.3])
    fig.update_yaxes(title="Belopp (median)", tickformat=",.0f", ticksuffix=" kr", rangemode="tozero")
    return Chart(_layout(fig, title, height=380), data, title)


def preview_xlsx(result: PreviewResult, region: str, assumptions: Sequence[tuple[str, str]]) -> bytes:
    frame = pd.DataFrame(
        [
            ("Median", result.median),
            ("P10", result.p10),
            ("P90", result.p90),
            ("Lägsta", result.minimum),
            ("Högsta", result.maximum),
            *(
                (f"Sannolikhet trappsteg {f.kr(a) if a else 'inget'}", round(p, 4))
                for a, p in sorted(result.step_probability.items())
            ),
            *((f"Median vid utökning {x}", y) for x, y in result.curve),
        ],
        columns=["Uppgift", "Värde"],
    )
    about = [
        ("PRELIMINÄRT", "Förhandsbesked, inte ett beslut. Beloppet beror på alla regioners utfall."),
        ("Region", region),
        *assumptions,
        ("Antal simuleringar", f"{result.n}"),
        ("Slumpfrö", f"{result.seed}"),
    ]
    return frame_to_xlsx(frame, about, sheet_name="Förhandsbesked")
