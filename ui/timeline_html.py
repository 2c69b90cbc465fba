"""The deadlines page's timeline of the grant year as plain HTML and CSS (pure: milestones in, chart out).

Drawn without Plotly for the reason the overview's charts are (``ui/attention_chart.py``): a Plotly chart
makes a new visitor's browser load and parse about 4.5 MB of JavaScript before the page is complete, and
with it the deadlines page took 2.7 × the hello-world page to render (``bench/bench_browser.py``). One row
per round and milestone: its name, the round and the dates below it in grey, and a bar from its first to
its last day on a shared month axis; the chosen date is a red line through every row. On a phone the name
stands above its bar. Every text is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from html import escape

import pandas as pd

from allocation.milestones import RoundMilestones
from ui.html_chart import HtmlChart

# One colour per round, in the order the rounds come (a sixth round starts the list again).
ROUND_COLORS = ("#1f4e79", "#c77700", "#2e7d32", "#6a1b9a", "#00838f")
AS_OF_COLOR = "#c62828"
MARGIN_DAYS = 15  # room before the first window and after the last
# A label's width is estimated at its narrowest: a phone's axis (390 px screen, less the page's padding).
PHONE_TRACK_PX = 350
LABEL_CHAR_PX = 7  # an average character of a 12 px label, bold, generously

STYLE = f"""<style>
figure.tlgantt {{ margin: 0.25rem 0 1rem 0; font-variant-numeric: tabular-nums; }}
figure.tlgantt .legend {{ font-size: 0.85rem; margin-bottom: 0.5rem; }}
figure.tlgantt .key {{ display: inline-block; width: 0.8rem; height: 0.8rem; margin: 0 0.3rem -0.1rem 0.9rem;
                       border-radius: 2px; }}
figure.tlgantt .key:first-child {{ margin-left: 0; }}
figure.tlgantt .row {{ display: grid; grid-template-columns: minmax(9rem, 18rem) minmax(8rem, 1fr);
                       column-gap: 0.75rem; align-items: center; padding: 0.2rem 0;
                       border-bottom: 1px solid #eee; }}
figure.tlgantt .name {{ font-size: 0.88rem; line-height: 1.25; }}
figure.tlgantt .name small {{ display: block; color: #666; font-size: 0.78rem; }}
figure.tlgantt .track {{ position: relative; height: 1.1rem; }}
figure.tlgantt .bar {{ position: absolute; top: 0; bottom: 0; border-radius: 2px; min-width: 3px; }}
figure.tlgantt .bar.mark {{ width: 0.8rem; top: 0.15rem; bottom: auto; height: 0.8rem;
                            transform: translateX(-50%) rotate(45deg); border-radius: 1px; }}
figure.tlgantt .asof {{ position: absolute; top: -0.3rem; bottom: -0.3rem;
                        border-left: 2px dashed {AS_OF_COLOR}; }}
figure.tlgantt .axis {{ font-size: 0.75rem; color: #666; border-bottom: none; }}
figure.tlgantt .axis .track {{ height: 1.2rem; }}
figure.tlgantt .tick {{ position: absolute; transform: translateX(-50%); white-space: nowrap; }}
figure.tlgantt .asof-label {{ position: absolute; white-space: nowrap;
                              color: {AS_OF_COLOR}; font-weight: 600; }}
@media (max-width: 640px) {{
  figure.tlgantt .row {{ grid-template-columns: 1fr; row-gap: 0.2rem; }}
  figure.tlgantt .axis .name {{ display: none; }}
}}
</style>"""


def timeline_rows(round_list: Sequence[RoundMilestones]) -> pd.DataFrame:
    """Each milestone with a date, from its first to its last day, earliest first: only the dates the rules give.

    A deadline without an opening day has no "från" (drawn as a mark on its last day, never as an invented
    window); an opening without a last day has no "till" (a mark on its first day)."""
    rows = []
    for round_ in round_list:
        for window, _ in round_.windows:
            start = window.start or (window.after + timedelta(days=1) if window.after else None)
            end = window.due
            if start is None and end is None:
                continue
            rows.append(
                {
                    "omgång": round_.title,
                    "milstolpe": window.label,
                    "från": start,
                    "till": end,
                    "regionens": window.region_action,
                    "_day": start or end,
                }
            )
    columns = ["omgång", "milstolpe", "från", "till", "regionens", "_day"]
    frame = pd.DataFrame(rows, columns=columns).sort_values("_day", kind="stable").reset_index(drop=True)
    return frame.drop(columns="_day").astype({"från": object, "till": object})


def _dates_text(start: date | None, end: date | None) -> str:
    if start is None:
        return f"sista dag {end.isoformat()}" if end else ""
    if end is None:
        return f"från {start.isoformat()}"
    return f"{start.isoformat()} – {end.isoformat()}"


def _months(first: date, last: date) -> list[date]:
    months = []
    month = date(first.year, first.month, 1)
    while month <= last:
        if month >= first:
            months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def _pct(day: date, first: date, span: int) -> str:
    return f"{(day - first).days / span * 100:.2f}%"


def _label_at(day: date, first: date, span: int, label: str) -> str:
    """The date's label on the axis: centred on its line, but moved right at the left end and left at the right
    end by as much as keeps it inside the axis on a phone (centred, it stood half off the screen there)."""
    at = (day - first).days / span
    width = max(len(label), 1) * LABEL_CHAR_PX / PHONE_TRACK_PX
    shift = 100 * min(max(0.5, 1 - (1 - at) / width), at / width, 1.0)
    return f"left:{at * 100:.2f}%;transform:translateX(-{shift:.1f}%)"


def timeline_html(round_list: Sequence[RoundMilestones], as_of: date) -> HtmlChart:
    """The grant year's windows as bars on a month axis, the chosen date as a line."""
    data = timeline_rows(round_list)
    if data.empty:
        return HtmlChart("Inga daterade tidsfönster i omgångarna.", "", "", data)
    starts = [d if isinstance(d, date) else None for d in data["från"]]
    ends = [d if isinstance(d, date) else None for d in data["till"]]
    known = [d for d in starts + ends if d is not None]
    is_open = [(a is None or a <= as_of) and (b is None or as_of <= b) for a, b in zip(starts, ends, strict=True)]
    open_now = data[is_open]
    title = f"{as_of.isoformat()}: {len(open_now)} tidsfönster öppna" + (
        f" ({', '.join(open_now['milstolpe'])})" if len(open_now) else ""
    )
    first = min(known) - timedelta(days=MARGIN_DAYS)
    last = max(known) + timedelta(days=MARGIN_DAYS)
    span = (last - first).days + 1
    inside = first <= as_of <= last
    if not inside:
        title += " (datumet ligger utanför bidragsåret)"
    colors = {t: ROUND_COLORS[i % len(ROUND_COLORS)] for i, t in enumerate(dict.fromkeys(data["omgång"]))}
    line = f'<span class="asof" style="left:{_pct(as_of, first, span)}"></span>' if inside else ""

    months = _months(first, last)
    every = 1 if len(months) <= 7 else 2 if len(months) <= 13 else 3
    ticks = "".join(f'<span class="tick" style="left:{_pct(m, first, span)}">{m:%Y-%m}</span>' for m in months[::every])
    as_of_text = f"Per {as_of.isoformat()}"
    as_of_label = (
        f'<span class="asof-label" style="{_label_at(as_of, first, span, as_of_text)}">{as_of_text}</span>'
        if inside
        else ""
    )
    rows = [
        f'<div class="row axis" aria-hidden="true"><span class="name"></span><span class="track">{ticks}</span></div>',
        f'<div class="row axis" aria-hidden="true"><span class="name"></span>'
        f'<span class="track">{as_of_label}</span></div>',
    ]
    for item, start, end in zip(data.itertuples(index=False), starts, ends, strict=True):
        dates = _dates_text(start, end)
        if start is not None and end is not None:
            width = ((end - start).days + 1) / span * 100
            bar = (
                f'<span class="bar" style="left:{_pct(start, first, span)};width:{width:.2f}%;'
                f'background:{colors[item.omgång]}"></span>'
            )
        else:  # one date only: a mark on it, no window the rules do not give
            day = start or end
            assert day is not None  # a row has at least one date (timeline_rows)
            bar = (
                f'<span class="bar mark" style="left:{_pct(day, first, span)};background:{colors[item.omgång]}"></span>'
            )
        rows.append(
            f'<div class="row" title="{escape(f"{item.milstolpe}: {dates}")}">'
            f'<span class="name">{escape(item.milstolpe)}<small>{escape(item.omgång)} · {dates}</small></span>'
            f'<span class="track">{bar}{line}</span></div>'
        )
    legend = "".join(
        f'<span class="key" style="background:{color}"></span>{escape(name)}' for name, color in colors.items()
    )
    html = (
        f'{STYLE}<figure class="tlgantt" aria-label="{escape(title)}">'
        f'<div class="legend">{legend}</div>{"".join(rows)}</figure>'
    )
    return HtmlChart(title, "", html, data)
