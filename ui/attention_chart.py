"""The overview's two attention charts as plain HTML and CSS bars (pure: data in, chart out).

Drawn without Plotly on purpose: the overview is the landing page, and a Plotly chart makes every new
visitor's browser load and parse Plotly's JavaScript (about 4.5 MB) before the page is complete. Horizontal
bars with a label and a value per row say the same (most urgent on top) at a fraction of the cost, and read
the same on a phone. The figures' words are Swedish; region names are escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import pandas as pd

from allocation.attention import Level, RegionAttention
from allocation.deadlines import AMBER, BLUE, RED, URGENT_WITHIN_DAYS, days_sv
from present import formats as f
from ui.attention_text import settled
from ui.html_chart import HtmlChart

STYLE = """<style>
figure.ovbars { margin: 0.25rem 0 1rem 0; font-variant-numeric: tabular-nums; max-width: 60rem; }
figure.ovbars figcaption { margin-bottom: 0.6rem; }
figure.ovbars .title { font-size: 1.06rem; font-weight: 600; }
figure.ovbars .sub { font-size: 0.9rem; color: #555; }
figure.ovbars .row { display: grid; grid-template-columns: minmax(5.5rem, 9.5rem) minmax(4rem, 1fr) 8.5rem;
                     align-items: center; column-gap: 0.5rem; min-height: 1.6rem; font-size: 0.9rem; }
figure.ovbars .name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
figure.ovbars .track { position: relative; height: 1.1rem; }
figure.ovbars .bar { position: absolute; top: 0; bottom: 0; border-radius: 2px; min-width: 2px; }
figure.ovbars .stack { position: absolute; top: 0; bottom: 0; left: 0; display: flex; min-width: 2px; }
figure.ovbars .stack span { height: 100%; }
figure.ovbars .zero { position: absolute; top: -0.2rem; bottom: -0.2rem; border-left: 1px solid #888; }
figure.ovbars .value { white-space: nowrap; color: #333; }
figure.ovbars .axis { font-size: 0.78rem; color: #666; min-height: 1.2rem; }
figure.ovbars .axis .track { height: 1rem; }
figure.ovbars .tick { position: absolute; transform: translateX(-50%); white-space: nowrap; }
figure.ovbars .note { font-size: 0.8rem; color: #666; margin-top: 0.3rem; }
figure.ovbars .key { display: inline-block; width: 0.8rem; height: 0.8rem; margin: 0 0.3rem -0.1rem 0.8rem;
                     border-radius: 2px; }
figure.ovbars .key:first-child { margin-left: 0; }
</style>"""


def _pct(value: float) -> str:
    return f"{value:.2f}%"


def _figure(title: str, subtitle: str, rows: Sequence[str], footer: str, label: str) -> str:
    sub = f'<div class="sub">{escape(subtitle)}</div>' if subtitle else ""
    return (
        f'{STYLE}<figure class="ovbars" aria-label="{escape(label)}">'
        f'<figcaption><div class="title">{escape(title)}</div>{sub}</figcaption>' + "".join(rows) + footer + "</figure>"
    )


def _row(name: str, track: str, value: str, hover: str) -> str:
    return (
        f'<div class="row" title="{escape(hover)}"><span class="name">{escape(name)}</span>'
        f'<span class="track">{track}</span><span class="value">{escape(value)}</span></div>'
    )


def _nice_step(span: int) -> int:
    for step in (1, 2, 5, 7, 10, 14, 30, 60, 90, 180, 365):
        if span / step <= 6:
            return step
    return 365 * (span // (365 * 6) + 1)


def days_label(days: int) -> str:
    """``15 dagar sent``, ``sista dagen``, ``3 dagar kvar``."""
    if days < 0:
        return f"{days_sv(-days)} sent"
    return "sista dagen" if days == 0 else f"{days_sv(days)} kvar"


def days_chart(ranked: Sequence[RegionAttention], within_days: int = URGENT_WITHIN_DAYS) -> HtmlChart | None:
    """Regions with a last day passed or near: days to it (below 0: overdue, red to the left of the zero
    line; near: amber to the right), most urgent on top."""
    shown = [r for r in ranked if r.level in (Level.OVERDUE, Level.DUE_SOON) and r.nearest is not None]
    if not shown:
        return None
    days = [r.nearest for r in shown if r.nearest is not None]
    overdue = sum(d < 0 for d in days)
    soon = len(days) - overdue
    parts = []
    if overdue:
        regions = "region försenad" if overdue == 1 else "regioner försenade"
        parts.append(f"{overdue} {regions}, som mest {days_sv(-min(days))}")
    if soon:
        regions = "region" if soon == 1 else "regioner"
        parts.append(f"{soon} {regions} med sista dag inom {days_sv(within_days)}")
    title, subtitle = parts[0], (parts[1] if len(parts) > 1 else "")
    labels = [days_label(d) for d in days]
    data = pd.DataFrame(
        {
            "länskod": [r.code for r in shown],
            "region": [r.region for r in shown],
            "dagar till sista dag": days,
        }
    )
    step = _nice_step(max(max(0, *days) - min(0, *days), 1))
    low = -((-min(0, *days) + step - 1) // step) * step  # whole steps: the ticks are at the ends
    high = ((max(0, *days) + step - 1) // step) * step
    span = high - low or 1

    def at(value: int) -> float:
        return 100 * (value - low) / span

    zero = f'<span class="zero" style="left:{_pct(at(0))}"></span>'
    rows = []
    for region, d, label in zip(shown, days, labels, strict=True):
        start, end = sorted((at(0), at(d)))
        colour = RED if d < 0 else AMBER
        bar = f'<span class="bar" style="left:{_pct(start)};width:{_pct(end - start)};background:{colour}"></span>'
        rows.append(_row(region.region, zero + bar, label, f"{region.region}: {label}"))
    ticks = "".join(
        f'<span class="tick" style="left:{_pct(at(t))}">{escape(f.number(t))}</span>'  # Babel's real minus
        for t in range(low, high + 1, step)
    )
    footer = (
        f'<div class="row axis"><span></span><span class="track">{ticks}</span><span></span></div>'
        '<div class="note">Dagar till sista dag; under 0: försenad.</div>'
    )
    return HtmlChart(title, subtitle, _figure(title, subtitle, rows, footer, title), data)


LAPSED_SV = "Kan inte betalas ut"
PAYABLE_SV = "Kan rekvireras"


def money_chart(ranked: Sequence[RegionAttention]) -> HtmlChart | None:
    """Money not requisitioned per region, most first: what can no longer be paid (red) and what still can
    (blue), stacked, with the total in mnkr beside each bar (exact kronor on hover)."""
    shown = sorted(
        (r for r in ranked if r.lapsed or r.not_requisitioned),
        key=lambda r: (-(r.lapsed + r.not_requisitioned), r.code),
    )
    if not shown:
        return None
    lapsed = sum(r.lapsed for r in shown)
    payable = sum(r.not_requisitioned for r in shown)
    regions = f"{len(shown)} {'region' if len(shown) == 1 else 'regioner'}"
    if lapsed:
        title = f"{f.mnkr(lapsed)} kan inte längre betalas ut"
        subtitle = regions + (f"; {f.mnkr(payable)} kan fortfarande rekvireras" if payable else "")
        if all(settled(r) for r in shown if r.lapsed):  # only closed rounds: a final fact, nothing to act on
            subtitle += "; omgången är avslutad, inget att åtgärda"
    else:
        title, subtitle = f"{f.mnkr(payable)} är inte rekvirerat än", f"{regions}; kan fortfarande rekvireras"
    data = pd.DataFrame(
        {
            "länskod": [r.code for r in shown],
            "region": [r.region for r in shown],
            "kan inte betalas ut (kr)": [r.lapsed for r in shown],
            "kan rekvireras (kr)": [r.not_requisitioned for r in shown],
        }
    )
    largest = max(r.lapsed + r.not_requisitioned for r in shown)
    rows = []
    for r in shown:
        total = r.lapsed + r.not_requisitioned
        parts = [(r.lapsed, RED, LAPSED_SV), (r.not_requisitioned, BLUE, PAYABLE_SV)]
        spans = "".join(
            f'<span style="width:{_pct(100 * amount / total)};background:{colour}"></span>'
            for amount, colour, _ in parts
            if amount
        )
        stack = f'<span class="stack" style="width:{_pct(100 * total / largest)}">{spans}</span>'
        hover = "; ".join(f"{name}: {f.kr(amount)}" for amount, _, name in parts if amount)
        rows.append(_row(r.region, stack, f.mnkr(total), f"{r.region}: {hover}"))
    keys = "".join(
        f'<span class="key" style="background:{colour}"></span>{name}'
        for amount, colour, name in ((lapsed, RED, LAPSED_SV), (payable, BLUE, PAYABLE_SV))
        if amount
    )
    footer = f'<div class="note">{keys}</div>'
    return HtmlChart(title, subtitle, _figure(title, subtitle, rows, footer, title), data)
