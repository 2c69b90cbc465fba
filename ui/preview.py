"""Region preview: its headline, figures and the preliminary XLSX.

One unit on the page: kronor, written in full (``12 345 678 kr``), in the headline, the charts and the
workbook. The charts are plain HTML columns (``ui/column_chart.py``: no Plotly, whose JavaScript made the
page's first render 2.7 times the hello-world page's); their titles are short enough for a phone (a second
line is a subtitle), and the labels of lines that fall close together are stacked, never drawn over each
other.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from allocation.preview import PreviewResult
from allocation.regions import Region, RegionIndex, UnknownRegion
from present import formats as f
from store.export import KRONOR_FORMAT, PERCENT_FORMAT, AboutValue, frame_to_xlsx
from ui.column_chart import (
    HIGHLIGHT_COLOR,
    Axis,
    Column,
    Mark,
    column_chart,
    nice_ticks,
    place_marks,
)
from ui.html_chart import HtmlChart
from ui.preview_words import about_kr, about_range, about_spread

# The assumptions about the other regions, first the default: the uncertain one, which never claims more
# than the region can expect. "plan" and "scenario" give one figure that holds only under that assumption.
UNCERTAIN, PLAN, SCENARIO, DECIDED = "uncertain", "plan", "scenario", "decided"
DECIDED_SV = "Som i beslutet: de andra regionernas utfall och rapportdagar enligt beslutets underlag"
ASSUMPTIONS_SV = {
    UNCERTAIN: "Osäkert: de andra regionernas utökning dras slumpmässigt",
    PLAN: "Alla andra regioner enligt plan (ingen annan kvalificerar sig)",
    SCENARIO: "Ett sparat scenario för de andra regionerna",
}


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
    """The what-if's figure and what it rests on, in words that never overstate the money."""

    label: str  # the metric's label: says under which assumption the figure holds
    value: str  # exact kronor where the figure is exact under its assumption, rounded where it is simulated
    spread: str  # "omkring …; i 8 fall av 10 mellan … och …" when the figure varies, else ""
    condition: str  # one sentence: when the figure holds


def headline(result: PreviewResult, assumption: str, scenario: str | None = None) -> Headline:
    """The headline for an assumption about the others. Only the uncertain one gives a "likely" amount.

    A figure that depends on the other regions is never called certain: "all others at plan" is the best
    case (nobody else shares the leftover), a scenario is one case among many. A simulated figure is rounded
    to what the simulation can know; a figure that is the same in every simulated round is exact kronor.
    """
    if result.maximum == 0:  # the region reaches no step in any simulation: the others change nothing
        return Headline(
            "Beräknat belopp",
            f.kr(0),
            "",
            "Med de här siffrorna når regionen inte första trappsteget: inget belopp, vad de andra än gör.",
        )
    varies = result.minimum != result.maximum
    words = about_spread(result.p10, result.p90)
    spread = f"{words}." if varies and words else ""
    value = about_kr(result.median) if varies else f.kr(result.median)
    about = ", omkring" if varies else ""
    if assumption == UNCERTAIN and not varies:  # the same in every simulated round: what the others do is moot
        return Headline(
            "Beräknat belopp",
            value,
            "",
            "Med de här siffrorna blir beloppet detsamma i varje simulerad omgång, vad de andra regionerna än gör.",
        )
    if assumption == UNCERTAIN:
        return Headline(
            "Troligt belopp" + about,
            value,
            spread,
            "Hälften av de simulerade utfallen ger mer, hälften mindre.",
        )
    if assumption == DECIDED:
        return Headline(
            "Belopp med beslutets underlag" + about,
            value,
            spread,
            "De andra regionerna räknas med de utfall och rapportdagar som beslutet byggde på (en region som inte "
            "rapporterade räknas utan utfall), med beslutets pottar: bara era egna siffror är ändrade.",
        )
    if assumption == SCENARIO:
        return Headline(
            "Belopp om scenariot inträffar" + about,
            value,
            spread,
            f"Beloppet gäller bara om de andra regionerna får exakt de utfall som scenariot ”{scenario}” anger, "
            "med scenariots regler.",
        )
    return Headline(
        "Om ingen annan region kvalificerar sig" + about,
        value,
        spread,
        "Beloppet gäller bara om ingen annan region når ett trappsteg, och det är det högsta ni kan få med "
        "era siffror: varje region som når trappan tar en del av potten. Välj Osäkert för ett troligt belopp.",
    )


def _step_name(amount: int) -> str:
    return "inget trappsteg" if amount == 0 else f.kr(amount)


def step_words(result: PreviewResult, titles: Mapping[str, str]) -> str:
    """Per staircase block: the chance of each step, only when more than one is possible; one step reached in
    every round is named, never given a probability. ``titles``: block id -> title, said when there are several."""
    sentences = []
    for block_id, chances in result.step_probability.items():
        steps = sorted(chances.items())
        where = f"{titles[block_id]}: " if len(result.step_probability) > 1 else ""
        if len(steps) == 1:
            amount = steps[0][0]
            if amount:
                sentences.append(f"{where}Med de här siffrorna når ni trappsteget {f.kr(amount)}.")
            continue
        chance = " · ".join(f"{_step_name(amount)}: {f.percent(p, 0)}" for amount, p in steps)
        sentences.append(f"{where}Chans per trappsteg: {chance}")
    return "\n\n".join(sentences)


def _share_ticks(peak: float) -> list[float]:
    """Round tick values from 0 to ``peak`` (a share), at most six: a share above the tallest bar, or above
    100 %, means nothing."""
    step = next((s for s in (0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5) if peak / s <= 5), 1.0)
    return [round(k * step, 4) for k in range(int(peak / step + 1e-9) + 1)]


def _share(value: float) -> str:
    """A share tick: ``5 %``, or ``2,5 %`` when whole percents would not tell the ticks apart."""
    return f.percent(value, 0 if round(value * 100, 6).is_integer() else 1)


HISTOGRAM_BINS = 40
HISTOGRAM_TOP = 99  # the bars span the lowest amount to the 99th percentile; the rare amounts above share the last


def histogram_chart(result: PreviewResult) -> HtmlChart:
    # Short lines (a phone's chart is about 340 px wide): the region is in the page's heading.
    title = f"Troligen {about_kr(result.median)}"
    subtitle = f"8 av 10 {about_range(result.p10, result.p90)}"
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
    columns = [
        Column(float(a), float(b), float(s), text)
        for a, b, s, text in zip(edges[:-1], edges[1:], shares, hover, strict=True)
    ]
    low, high = float(edges[0]), float(edges[-1])
    lines = [
        Mark(result.p10, "Lågt", "#666"),
        Mark(result.median, "Troligt", HIGHLIGHT_COLOR),
        Mark(result.p90, "Högt", "#666"),
    ]
    if result.maximum > top:  # the last bar holds every rarer, larger amount: its label says so
        lines.append(Mark(float(edges[-2]), f"≥ {about_kr(int(edges[-2]))}", "#333"))
    marks = place_marks(lines, low, high)
    # Kronor without a suffix on every tick (the axis title says kr): short enough for a phone.
    x = Axis(low, high, [(t, f.number(round(t))) for t in nice_ticks(low, high, 4)], "Belopp (kr)")
    peak = float(shares.max()) or 1.0
    y = Axis(0.0, peak * 1.05, [(t, _share(t)) for t in _share_ticks(peak)], "Andel av simuleringarna")
    return column_chart(title, subtitle, columns, x, y, marks, data)


def curve_chart(result: PreviewResult, thresholds: Sequence[int], own_expansion: float) -> HtmlChart:
    """The region's median amount for each whole number of positions beyond plan (a column each), its own
    expansion highlighted; each step of the staircase a line where it is reached ("≥ 5": between 4 and 5)."""
    title = f"Två tjänster till: ca +{about_kr(result.gain_two)}"
    subtitle = "Troligt belopp efter egen utökning"
    data = pd.DataFrame(result.curve, columns=["utökning", "median_kr"])
    top = max(x for x, _ in result.curve)
    own_column = math.floor(own_expansion + 1e-9)
    columns = [
        Column(x - 0.4, x + 0.4, float(y), f"Utökning {x}: {f.kr(int(y))}", highlight=x == own_column)
        for x, y in result.curve
    ]
    low, high = -0.5, top + 0.5
    marks = [Mark(t - 0.5, f"≥ {t}", "#777") for t in thresholds]
    own = min(max(own_expansion, low), high)
    placed = place_marks([*marks, Mark(own, "Er utökning", HIGHLIGHT_COLOR)], low, high, joiner=" · ")
    # Ticks where something happens (0, each step, the end).
    ticks = sorted({0, *thresholds, top})
    x = Axis(low, high, [(float(t), f.number(t)) for t in ticks], "Egen utökning (tjänster utöver plan)")
    peak = max((y for _, y in result.curve), default=0) or 1
    y_ticks = nice_ticks(0, peak, 5)
    if y_ticks[-1] < peak:  # the tallest column stands under a labelled line
        y_ticks.append(y_ticks[-1] + (y_ticks[1] - y_ticks[0] if len(y_ticks) > 1 else peak))
    y = Axis(0.0, y_ticks[-1], [(t, f.number(round(t))) for t in y_ticks], "Troligt belopp (kr)")
    return column_chart(title, subtitle, columns, x, y, placed, data)


def preview_rows(result: PreviewResult, titles: Mapping[str, str]) -> list[tuple[str, int | float, str]]:
    """The workbook's figures: (what, value, number format): kronor as kronor, probabilities as percent.
    ``titles``: block id -> title; per block rows when the round has several blocks or staircases."""
    several = len(result.step_probability) > 1
    chances = [
        (f"Sannolikhet{f' ({titles[b]})' if several else ''}: {'trappsteg ' if a else ''}{_step_name(a)}", p)
        for b, by_step in result.step_probability.items()
        for a, p in sorted(by_step.items())
    ]
    blocks = [(f"Troligt belopp (median): {titles[b]}", m) for b, m in result.block_medians.items()]
    return [
        ("Troligt belopp (median)", result.median, KRONOR_FORMAT),
        *((label, value, KRONOR_FORMAT) for label, value in (blocks if len(blocks) > 1 else [])),
        ("Lågt utfall (P10)", result.p10, KRONOR_FORMAT),
        ("Högt utfall (P90)", result.p90, KRONOR_FORMAT),
        ("Lägsta", result.minimum, KRONOR_FORMAT),
        ("Högsta", result.maximum, KRONOR_FORMAT),
        *((label, p, PERCENT_FORMAT) for label, p in chances),
        *([("Två tjänster till är värda (median)", result.gain_two, KRONOR_FORMAT)] if result.curve else []),
        *((f"Belopp (median) vid utökning {x}", y, KRONOR_FORMAT) for x, y in result.curve),
    ]


def preview_xlsx(
    result: PreviewResult, titles: Mapping[str, str], region: str, assumptions: Sequence[tuple[str, AboutValue]]
) -> bytes:
    rows = preview_rows(result, titles)
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
