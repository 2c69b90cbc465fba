"""Vertical column charts as plain HTML and CSS (pure: columns, axes and marks in, chart out).

Drawn without Plotly for the reason the overview's bars are (``ui/attention_chart.py``): a Plotly chart
makes a new visitor's browser load and parse about 4.5 MB of JavaScript before the page is complete. A
column's height is proportional to its value; the axes carry a few tick labels the caller formats (Swedish
formats from ``present.formats``); dashed vertical marks have their labels in a band above the columns,
stacked in rows so that no two labels overlap. Every text is escaped; each column's ``title`` is its hover
text, on a slot as tall as the plot (a short column is as easy to point at as a tall one).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

import pandas as pd

from ui.html_chart import HtmlChart

MARK_ROWS = 3  # label rows the marks normally take: a label closer than a fifth of the axis takes the next
LABEL_ROW_REM = 1.25  # height of a row of mark labels
# A label's width is estimated at its narrowest: a phone's plot (390 px screen, less the page's padding and
# the y axis) at the labels' phone size. Wider screens only give the labels more room.
PHONE_PLOT_PX = 250
LABEL_CHAR_PX = 6.6  # an average character of a 11 px label, generously
LABEL_GAP_PX = 6
COLUMN_COLOR = "#1f4e79"
HIGHLIGHT_COLOR = "#c62828"

STYLE = f"""<style>
figure.colchart {{ margin: 0.25rem 0 1rem 0; font-variant-numeric: tabular-nums; }}
figure.colchart figcaption {{ margin-bottom: 0.4rem; }}
figure.colchart .title {{ font-size: 1.06rem; font-weight: 600; }}
figure.colchart .sub {{ font-size: 0.9rem; color: #555; }}
figure.colchart .body {{ display: grid; grid-template-columns: auto auto minmax(0, 1fr);
  grid-template-rows: calc(var(--rows) * {LABEL_ROW_REM}rem) 14rem 1.4rem auto; column-gap: 0.35rem; }}
figure.colchart .ytitle {{ grid-area: 2 / 1; writing-mode: vertical-rl; transform: rotate(180deg);
  text-align: center; font-size: 0.78rem; color: #555; white-space: nowrap; }}
figure.colchart .yticks {{ grid-area: 2 / 2; position: relative; font-size: 0.75rem; color: #666;
  text-align: right; }}
figure.colchart .yticks .sizer {{ display: block; visibility: hidden; height: 0; overflow: hidden;
  white-space: nowrap; }}
figure.colchart .yticks span.t {{ position: absolute; right: 0; transform: translateY(50%);
  white-space: nowrap; line-height: 1; }}
figure.colchart .plot {{ grid-area: 2 / 3; position: relative; border-bottom: 1px solid #888; }}
figure.colchart .grid {{ position: absolute; left: 0; right: 0; border-top: 1px solid #eee; }}
figure.colchart .slot {{ position: absolute; top: 0; bottom: 0; }}
figure.colchart .bar {{ position: absolute; left: 0; right: 0; bottom: 0; background: {COLUMN_COLOR};
  border-right: 1px solid #fff; box-sizing: border-box; }}
figure.colchart .bar.hi {{ background: {HIGHLIGHT_COLOR}; }}
figure.colchart .slot:hover .bar {{ opacity: 0.8; }}
figure.colchart .marks {{ grid-area: 1 / 3 / 3 / 4; position: relative; pointer-events: none; }}
figure.colchart .line {{ position: absolute; bottom: 0; border-left: 1.5px dashed; }}
figure.colchart .label {{ position: absolute; white-space: nowrap; font-size: 0.75rem; line-height: 1.2;
  padding: 0 0.15rem; background: rgba(255, 255, 255, 0.9); }}
figure.colchart .xticks {{ grid-area: 3 / 3; position: relative; font-size: 0.75rem; color: #666; }}
figure.colchart .xticks span {{ position: absolute; top: 0.2rem; white-space: nowrap; }}
figure.colchart .xtitle {{ grid-area: 4 / 3; text-align: center; font-size: 0.78rem; color: #555; }}
@media (max-width: 640px) {{
  figure.colchart .body {{ grid-template-rows: calc(var(--rows) * {LABEL_ROW_REM}rem) 11rem 1.4rem auto;
    column-gap: 0.2rem; }}
  figure.colchart .label {{ font-size: 0.69rem; }}
  figure.colchart .yticks, figure.colchart .xticks {{ font-size: 0.69rem; }}
}}
</style>"""


@dataclass(frozen=True)
class Column:
    start: float  # left edge, in x units
    end: float  # right edge
    value: float  # height, in y units
    hover: str  # the column's text on hover (plain text)
    highlight: bool = False


@dataclass(frozen=True)
class Mark:
    x: float
    label: str  # plain text
    color: str


@dataclass(frozen=True)
class PlacedMark:
    x: float
    label: str  # marks at the same place share one label, joined
    color: str
    row: int  # 0: the top row of the label band


@dataclass(frozen=True)
class Axis:
    low: float
    high: float
    ticks: Sequence[tuple[float, str]]  # (value, its label, formatted)
    title: str


def label_extent(x: float, label: str, low: float, high: float) -> tuple[float, float]:
    """Where a mark's label stands at its narrowest (a phone), in x units: it is shifted left by as much of
    its own width as its line is of the axis, so the first label starts at its line, the last one ends at
    it, and no label leaves the plot."""
    span = high - low or 1.0
    share = min(max((x - low) / span, 0.0), 1.0)
    width = len(label) * LABEL_CHAR_PX / PHONE_PLOT_PX * span
    return x - share * width, x + (1 - share) * width


def place_marks(
    marks: Sequence[Mark], low: float, high: float, joiner: str = " = ", rows: int = MARK_ROWS
) -> list[PlacedMark]:
    """Marks in label rows, left to right. Marks at the same place share one label ("P10 = Median"); a label
    closer than a fifth of the axis to the last one in a row, or touching it, takes the next row. When all
    ``rows`` are taken, one more row: no two labels ever overlap."""
    span = high - low or 1.0
    merged: list[Mark] = []
    for mark in sorted(marks, key=lambda m: m.x):
        if merged and abs(mark.x - merged[-1].x) <= span * 1e-9:
            merged[-1] = Mark(merged[-1].x, f"{merged[-1].label}{joiner}{mark.label}", mark.color)
        else:
            merged.append(mark)
    gap = LABEL_GAP_PX / PHONE_PLOT_PX * span
    last: list[tuple[float, float]] = []  # per row: the last label's line and right end
    placed = []
    for mark in merged:
        start, end = label_extent(mark.x, mark.label, low, high)
        row = next(
            (r for r, (x, right) in enumerate(last) if mark.x - x > span / 5 and start - right > gap),
            len(last),
        )
        if row == len(last):
            last.append((mark.x, end))
        last[row] = (mark.x, end)
        placed.append(PlacedMark(mark.x, mark.label, mark.color, row))
    return placed


def nice_ticks(low: float, high: float, most: int = 5) -> list[float]:
    """Round values (1, 2, 2.5 or 5 times a power of ten) from ``low`` to ``high``: as many as fit in
    ``most``, at the smallest such step."""
    if high <= low:
        return [low]
    power = 10 ** math.floor(math.log10((high - low) / max(most, 1)))
    for step in (m * power for m in (1, 2, 2.5, 5, 10, 20, 25, 50, 100)):
        first, last = math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9)
        if last - first + 1 <= most:
            return [float(round(k * step, 10)) for k in range(first, last + 1)]
    return [low, high]


def _at(value: float, low: float, high: float) -> float:
    """The value's place on an axis, in percent (inside it)."""
    return min(max(100 * (value - low) / ((high - low) or 1.0), 0.0), 100.0)


def _tick_shift(value: float, label: str, x: Axis) -> float:
    """How much of its own width (percent) an x tick's label moves left: half (centred under its tick),
    less at the left end and more at the right, so no label leaves the plot even on a phone."""
    at = _at(value, x.low, x.high) / 100
    width = len(label) * LABEL_CHAR_PX / PHONE_PLOT_PX
    return 100 * min(max(0.5, 1 - (1 - at) / width), at / width, 1.0)


def column_chart(
    title: str,
    subtitle: str,
    columns: Sequence[Column],
    x: Axis,
    y: Axis,
    marks: Sequence[PlacedMark],
    data: pd.DataFrame,
) -> HtmlChart:
    """The chart: columns from ``y.low`` up, ticks on both axes, the marks' lines and labels."""
    grid = "".join(
        f'<span class="grid" style="bottom:{_at(v, y.low, y.high):.2f}%"></span>' for v, _ in y.ticks if v > y.low
    )
    slots = []
    for c in columns:
        left, right = _at(c.start, x.low, x.high), _at(c.end, x.low, x.high)
        height = _at(c.value, y.low, y.high)
        hi = " hi" if c.highlight else ""
        slots.append(
            f'<span class="slot" style="left:{left:.2f}%;width:{right - left:.2f}%" title="{escape(c.hover)}">'
            f'<span class="bar{hi}" style="height:{height:.2f}%"></span></span>'
        )
    rows = max((m.row for m in marks), default=-1) + 1
    band = rows * LABEL_ROW_REM
    lines = []
    for m in marks:
        at = _at(m.x, x.low, x.high)
        top = m.row * LABEL_ROW_REM
        colour = escape(m.color)
        lines.append(
            f'<span class="line" style="left:{at:.2f}%;top:{top:.2f}rem;border-color:{colour}"></span>'
            f'<span class="label" style="left:{at:.2f}%;top:{top:.2f}rem;transform:translateX(-{at:.2f}%);'
            f'color:{colour}">{escape(m.label)}</span>'
        )
    longest = max((label for _, label in y.ticks), key=len, default="")
    y_ticks = "".join(
        f'<span class="t" style="bottom:{_at(v, y.low, y.high):.2f}%">{escape(label)}</span>' for v, label in y.ticks
    )
    x_ticks = "".join(
        f'<span style="left:{_at(v, x.low, x.high):.2f}%;transform:translateX(-{_tick_shift(v, label, x):.1f}%)">'
        f"{escape(label)}</span>"
        for v, label in x.ticks
    )
    sub = f'<div class="sub">{escape(subtitle)}</div>' if subtitle else ""
    label = f"{title}. {subtitle}" if subtitle else title
    html = (
        f'{STYLE}<figure class="colchart" aria-label="{escape(label)}">'
        f'<figcaption><div class="title">{escape(title)}</div>{sub}</figcaption>'
        f'<div class="body" style="--rows:{rows}">'
        f'<div class="ytitle">{escape(y.title)}</div>'
        f'<div class="yticks" aria-hidden="true"><span class="sizer">{escape(longest)}</span>{y_ticks}</div>'
        f'<div class="plot">{grid}{"".join(slots)}</div>'
        f'<div class="marks" style="min-height:{band:.2f}rem">{"".join(lines)}</div>'
        f'<div class="xticks" aria-hidden="true">{x_ticks}</div>'
        f'<div class="xtitle">{escape(x.title)}</div>'
        "</div></figure>"
    )
    return HtmlChart(title, subtitle, html, data)
