"""What the simulator shows for every block whose method is a staircase (by its method, never by the round):
each recipient's place on the stairs and its next step, the chart with every recipient, and the explanation of
one recipient's amount (the results table's step, leftover and next-step columns: ``present.block_table``).

The figures are the kernel's own (``allocation.methods.staircase.details``): the block's available pot,
its eligible recipients and the values the engine derived.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from fractions import Fraction

import pandas as pd
import plotly.graph_objects as go

from allocation.block_data import Recipient
from allocation.blocks import Round, RoundResult
from allocation.method_params import StaircaseParams
from allocation.methods.record import POT_BELOW_STEPS
from allocation.methods.staircase import StepDetail
from present import formats as f
from present.block_table import measure_sv
from present.eligibility import key_sv
from present.explain import next_step_sv, positions
from ui.charts import COLORS, TICKS, Chart, _layout


def amount_of(measure: str, value: Fraction | int) -> str:
    """``3 tjänster`` for the expansion, ``befolkning 12 345`` for another measure."""
    return positions(value) if measure == "expansion" else f"{key_sv(measure)} {f.count(value)}"


def scaled(result: RoundResult, block_id: str) -> bool:
    return any(n.code == POT_BELOW_STEPS for n in result.block(block_id).notices)


def staircase_chart(
    round_: Round, block_id: str, stair: Mapping[str, StepDetail], recipients: Sequence[Recipient], reported: set[str]
) -> Chart:
    """The step function with every recipient placed on it at its measure, and what its next step adds."""
    params = round_.block(block_id).params
    assert isinstance(params, StaircaseParams)
    steps = params.steps
    people = [r for r in recipients if r.code in stair]
    top = max([steps[-1].min_expansion + 3, *(int(stair[r.code].measure) + 2 for r in people)])
    xs, ys = [0.0], [0]
    for step in steps:
        xs += [float(step.min_expansion), float(step.min_expansion)]
        ys += [ys[-1], step.amount]
    xs.append(float(top))
    ys.append(ys[-1])
    on = [r for r in people if stair[r.code].level > 0]
    if not on:
        title = f"Ingen region når första trappsteget ({amount_of(params.measure, steps[0].min_expansion)})"
    else:
        best = max(on, key=lambda r: (stair[r.code].measure, stair[r.code].nominal, r.code))
        d = stair[best.code]
        title = (
            f"{len(on)} av {len(people)} regioner når trappan; {best.name} står högst "
            f"({amount_of(params.measure, d.measure)}, {f.kr(d.nominal)})"
        )
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=xs, y=ys, mode="lines", line={"color": COLORS["step"], "width": 3}, name="Trappsteg", hoverinfo="skip"
        )
    )
    groups: dict[float, list[Recipient]] = {}
    for r in people:
        groups.setdefault(min(float(stair[r.code].measure), float(top)), []).append(r)
    px, py, labels, hovers, colors, sizes = [], [], [], [], [], []
    for x, members in sorted(groups.items()):
        members.sort(key=lambda r: r.name)
        first = stair[members[0].code]
        px.append(x)
        py.append(first.nominal)
        labels.append("<br>".join(html.escape(r.name) for r in members) if first.level else "")
        hovers.append("<br>".join(_hover(r, stair[r.code], params.measure, r.code in reported) for r in members))
        colors.append(COLORS["redistribution"] if first.level else COLORS["muted"])
        sizes.append(10 + 3 * min(len(members), 6))
    fig.add_trace(
        go.Scatter(
            x=px,
            y=py,
            mode="markers+text",
            text=labels,
            textposition="top center",
            textfont={"size": 11},
            marker={"size": sizes, "color": colors, "line": {"width": 1, "color": "white"}},
            name="Regioner",
            hovertext=hovers,
            hoverinfo="text",
        )
    )
    fig.update_xaxes(title=measure_sv(params.measure).capitalize(), range=[-0.3, top], tickformat=TICKS)
    fig.update_yaxes(title="Belopp", tickformat=TICKS, ticksuffix=" kr", rangemode="tozero")
    data = pd.DataFrame(
        {
            "länskod": [r.code for r in people],
            "region": [r.name for r in people],
            measure_sv(params.measure): [float(stair[r.code].measure) for r in people],
            "trappsteg (kr)": [stair[r.code].nominal for r in people],
            "utbetalt trappsteg (kr)": [stair[r.code].step_paid for r in people],
            "nästa steg": [next_step_sv(stair[r.code], r.code in reported, params.measure) for r in people],
            "nästa steg (kr)": [stair[r.code].next_gain if r.code in reported else None for r in people],
        }
    )
    return Chart(_layout(fig, title), data, title)


def _hover(r: Recipient, d: StepDetail, measure: str, reported: bool) -> str:
    line = f"<b>{html.escape(r.name)}</b>: {measure_sv(measure)} {f.count(d.measure)}, trappsteg {f.kr(d.nominal)}"
    if not reported:
        return line + ", ingen rapport"
    if d.next_gain is None:
        return line + ", högsta steget"
    return line + f", {amount_of(measure, d.to_next or 0)} till nästa steg (+{f.kr(d.next_gain)})"
