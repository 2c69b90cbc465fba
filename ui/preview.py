"""Region preview: its headline, figures and the preliminary XLSX.

One unit on the page: kronor, written in full (``12 345 678 kr``), in the headline, the charts and the
workbook. The charts' titles are short enough for a phone (a second line is a subtitle), and the labels
of lines that fall close together are stacked, never drawn over each other.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from allocation.preview import PreviewResult
from allocation.regions import Region, RegionIndex, UnknownRegion
from allocation.rules import AtParams
from present import formats as f
from store.export import KRONOR_FORMAT, PERCENT_FORMAT, AboutValue, frame_to_xlsx
from ui.charts import COLORS, Chart, _layout

# The assumptions about the other regions, first the default: the uncertain one, which never claims more
# than the region can expect. "plan" and "scenario" give one figure that holds only under that assumption.
UNCERTAIN, PLAN, SCENARIO = "uncertain", "plan", "scenario"
ASSUMPTIONS_SV = {
    UNCERTAIN: "Osäkert: de andra regionernas utökning dras slumpmässigt",
    PLAN: "Alla andra regioner enligt plan (ingen annan kvalificerar sig)",
    SCENARIO: "Ett sparat scenario för de andra regionerna",
}
MARK_ROWS = 3  # label rows for vertical lines: close lines get different rows
_MARK_STEP = 0.085  # paper height per label row


def _folded(text: str) -> str:
    """Letters and digits only, without accents, in lower case: "Västra Götaland" and "vastra-gotaland" meet."""
    plain_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").casefold()
    return re.sub(r"[^a-z0-9]+", "", re.sub(r"^\s*region\s+|\s+(lan|region)\s*$", "", plain_text))


def region_in_address(text: str, regions: Iterable[Region]) -> str | None:
    """The län code a ``?pv_region=`` value names: a code (``01``, ``1``), a name as people write it
    (``Gotland``, ``Region Gotland``, ``Stockholms län``, the seed's ``Norrbottn``) or typed without å, ä, ö
    (``Vastra Gotaland``); None when it names no region."""
    regions = tuple(regions)
    try:
        return RegionIndex(regions).resolve(text).code
    except UnknownRegion:
        pass
    wanted = _folded(text)
    names = {(r.code, _folded(name)) for r in regions for name in (r.name, r.seed_name, *r.aliases)}
    for key in (wanted, wanted.removesuffix("s")):  # "Vastra Gotalands lan": a genitive s before "län"
        matches = {code for code, name in names if key and name == key}
        if len(matches) == 1:
            return matches.pop()
    return None


@dataclass(frozen=True, slots=True)
class Headline:
    """The preview's first figure and what it rests on, in words that never overstate the money."""

    label: str  # the metric's label: says under which assumption the figure holds
    value: str
    spread: tuple[tuple[str, str], ...]  # further metrics (P10, P90) when the figure varies
    condition: str  # one sentence: when the figure holds


def headline(result: PreviewResult, assumption: str, scenario: str | None = None) -> Headline:
    """The headline for an assumption about the others. Only the uncertain one gives a "likely" amount.

    A figure that depends on the other regions is never called certain: "all others at plan" is the best
    case (nobody else shares the leftover), a scenario is one case among many.
    """
    if result.maximum == 0:  # the region reaches no step in any simulation: the others change nothing
        return Headline(
            "Beräknat belopp",
            f.kr(0),
            (),
            "Med de här siffrorna når regionen inte första trappsteget: inget belopp, vad de andra än gör.",
        )
    varies = result.p10 != result.p90
    spread = (("Lågt utfall (P10)", f.kr(result.p10)), ("Högt utfall (P90)", f.kr(result.p90))) if varies else ()
    if assumption == UNCERTAIN:
        return Headline(
            "Troligt belopp (median)",
            f.kr(result.median),
            spread,
            "Hälften av simuleringarna ger mer, hälften mindre; 80 % ligger mellan P10 och P90.",
        )
    if assumption == SCENARIO:
        return Headline(
            "Belopp om scenariot inträffar" + (" (median)" if varies else ""),
            f.kr(result.median),
            spread,
            f"Beloppet gäller bara om de andra regionerna får exakt de utfall som scenariot ”{scenario}” anger.",
        )
    return Headline(
        "Om ingen annan region kvalificerar sig" + (" (median)" if varies else ""),
        f.kr(result.median),
        spread,
        "Beloppet gäller bara om ingen annan region når ett trappsteg, och det är det högsta ni kan få med "
        "era siffror: varje region som når trappan tar en del av potten. Välj Osäkert för ett troligt belopp.",
    )


def _marks(fig: go.Figure, marks: Sequence[tuple[float, str, str]], span: float, joiner: str = " = ") -> None:
    """Dashed vertical lines with their labels in stacked rows: lines at the same place share one label
    ("P10 = Median"), lines closer than a fifth of the axis take the next row, so no two labels overlap."""
    merged: list[tuple[float, str, str]] = []
    for x, label, color in sorted(marks, key=lambda m: m[0]):
        if merged and abs(x - merged[-1][0]) <= span * 1e-9:
            merged[-1] = (merged[-1][0], f"{merged[-1][1]}{joiner}{label}", color)
        else:
            merged.append((x, label, color))
    last_x: list[float | None] = [None] * MARK_ROWS
    for index, (x, label, color) in enumerate(merged):
        row = next(
            (r for r in range(MARK_ROWS) if last_x[r] is None or x - last_x[r] > span / 5),  # type: ignore[operator]
            index % MARK_ROWS,
        )
        last_x[row] = x
        fig.add_vline(x=x, line_dash="dash", line_color=color)
        fig.add_annotation(
            x=x,
            y=1 - row * _MARK_STEP,
            yref="paper",
            yanchor="top",
            xanchor="left",
            text=label,
            showarrow=False,
            font={"color": color, "size": 12},
            bgcolor="rgba(255,255,255,0.85)",
        )


def _share_ticks(peak: float) -> list[float]:
    """Round tick values from 0 to ``peak`` (a share), at most six: the headroom above the bars, where the
    line labels stand, gets no tick (a share above the tallest bar, or above 100 %, means nothing)."""
    step = next((s for s in (0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5) if peak / s <= 5), 1.0)
    return [round(k * step, 4) for k in range(int(peak / step + 1e-9) + 1)]


HISTOGRAM_BINS = 40
HISTOGRAM_TOP = 99  # the bars span the lowest amount to the 99th percentile; the rare amounts above share the last


def histogram_chart(result: PreviewResult) -> Chart:
    # Short lines (a phone's chart is about 340 px wide): the region is in the page's heading.
    title = f"Troligen {f.kr(result.median)}"
    subtitle = f"80 % mellan {f.kr(result.p10)} och {f.kr(result.p90)}"
    # A rare round where almost nobody else qualifies gives a far larger amount: drawn to scale, it would
    # squeeze every other outcome into one bar. Those amounts go into the last bar, which says so.
    top = int(np.percentile(result.totals, HISTOGRAM_TOP, method="higher"))
    if top <= result.minimum:
        top = result.maximum
    counts, edges = np.histogram(np.minimum(result.totals, top), bins=HISTOGRAM_BINS, range=(result.minimum, top or 1))
    upper = edges[1:].astype(np.int64)
    upper[-1] = result.maximum
    data = pd.DataFrame({"från_kr": edges[:-1].astype(np.int64), "till_kr": upper, "antal": counts})
    hover = [
        f"{f.kr(int(a))} – {f.kr(int(b))}: {f.percent(c / result.n)}"
        for a, b, c in zip(edges[:-1], edges[1:], counts, strict=True)
    ]
    if result.maximum > top:
        hover[-1] = (
            f"{f.kr(int(edges[-2]))} eller mer (högst {f.kr(result.maximum)}): {f.percent(counts[-1] / result.n)}"
        )
    shares = counts / result.n
    fig = go.Figure(
        go.Bar(
            x=(edges[:-1] + edges[1:]) / 2,
            y=shares,
            marker={"color": COLORS["step"]},
            hovertext=hover,
            hoverinfo="text",
        )
    )
    span = float(edges[-1] - edges[0]) or 1.0
    _marks(
        fig,
        [(result.p10, "P10", "#666"), (result.median, "Median", COLORS["loss"]), (result.p90, "P90", "#666")],
        span,
    )
    # Kronor without a suffix on every tick (the axis title says kr): short enough to stand upright on a phone.
    fig.update_xaxes(title="Belopp (kr)", tickformat=",.0f", nticks=4, tickangle=0)
    peak = float(shares.max()) or 1.0
    fig.update_yaxes(
        title="Andel av simuleringarna", tickformat=".0%", tickvals=_share_ticks(peak), range=[0, peak * 1.35]
    )
    _layout(fig, title, height=400)
    fig.update_layout(title={"subtitle": {"text": subtitle, "font": {"size": 13}}}, margin={"t": 70})
    return Chart(fig, data, f"{title}. {subtitle}")


def curve_chart(result: PreviewResult, params: AtParams, own_expansion: float) -> Chart:
    title = f"Två tjänster till: +{f.kr(result.gain_two)}"
    subtitle = "Belopp (median) efter egen utökning"
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
    top = max(x for x, _ in result.curve)
    marks = [(float(s.min_expansion), f"≥ {s.min_expansion}", "#999") for s in params.steps]
    _marks(fig, [*marks, (own_expansion, "Er utökning", COLORS["loss"])], float(top) or 1.0, joiner=" · ")
    peak = max((y for _, y in result.curve), default=0) or 1
    # Ticks where something happens (0, each step, the end): few enough to stand upright on a phone.
    ticks = sorted({0, *(s.min_expansion for s in params.steps), top})
    fig.update_xaxes(title="Egen utökning (tjänster utöver plan)", tickvals=ticks, tickangle=0, range=[-0.3, top + 0.3])
    fig.update_yaxes(title="Belopp, median (kr)", tickformat=",.0f", rangemode="tozero", range=[0, peak * 1.35])
    _layout(fig, title, height=400)
    fig.update_layout(title={"subtitle": {"text": subtitle, "font": {"size": 13}}}, margin={"t": 70})
    return Chart(fig, data, f"{title}. {subtitle}")


def preview_rows(result: PreviewResult) -> list[tuple[str, int | float, str]]:
    """The workbook's figures: (what, value, number format): kronor as kronor, probabilities as percent."""
    steps = sorted(result.step_probability.items())
    return [
        ("Troligt belopp (median)", result.median, KRONOR_FORMAT),
        ("Lågt utfall (P10)", result.p10, KRONOR_FORMAT),
        ("Högt utfall (P90)", result.p90, KRONOR_FORMAT),
        ("Lägsta", result.minimum, KRONOR_FORMAT),
        ("Högsta", result.maximum, KRONOR_FORMAT),
        *(
            (f"Sannolikhet: {'inget trappsteg' if a == 0 else f'trappsteg {f.kr(a)}'}", p, PERCENT_FORMAT)
            for a, p in steps
        ),
        ("Två tjänster till är värda (median)", result.gain_two, KRONOR_FORMAT),
        *((f"Belopp (median) vid utökning {x}", y, KRONOR_FORMAT) for x, y in result.curve),
    ]


def preview_xlsx(result: PreviewResult, region: str, assumptions: Sequence[tuple[str, AboutValue]]) -> bytes:
    rows = preview_rows(result)
    frame = pd.DataFrame(
        {"Uppgift": [r[0] for r in rows], "Värde": pd.Series([r[1] for r in rows], dtype=object)},
    )
    about: list[tuple[str, AboutValue]] = [
        ("PRELIMINÄRT", "Förhandsbesked, inte ett beslut. Beloppet beror på alla regioners utfall."),
        ("Region", region),
        *assumptions,
        ("Antal simuleringar", result.n),
        ("Slumpfrö", str(result.seed)),
    ]
    return frame_to_xlsx(frame, about, sheet_name="Förhandsbesked", formats={"Värde": [r[2] for r in rows]})
