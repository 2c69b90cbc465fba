"""What the simulator shows for every block whose method is a staircase (by its method, never by the round):
each recipient's place on the stairs and its next step, the chart with every recipient, the results table's
step, leftover and next-step columns, and the explanation of one recipient's amount.

The figures are the kernel's own (``allocation.methods.staircase.details``): the block's available pot,
its eligible recipients and the values the engine derived.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from fractions import Fraction

import pandas as pd
import plotly.graph_objects as go

from allocation.block_data import Recipient, derive_values, sorted_recipients
from allocation.blocks import Round, RoundResult
from allocation.method_params import StaircaseParams
from allocation.methods import MethodInput
from allocation.methods.record import POT_BELOW_STEPS
from allocation.methods.staircase import StepDetail, details
from allocation.whatif import staircase_blocks
from present import formats as f
from present.eligibility import key_sv
from present.explain import KEY_LABELS_SV, has_report, next_step_sv, positions
from ui.charts import COLORS, TICKS, Chart, _layout

Stairs = dict[str, dict[str, StepDetail]]  # block id -> code -> the recipient on that block's staircase


def stair_details(
    round_: Round, result: RoundResult, recipients: Sequence[Recipient], values: Mapping[str, Mapping[str, object]]
) -> tuple[Stairs, dict[str, dict[str, Fraction]]]:
    """Each staircase block's recipients on its stairs, and the values the engine derived (``round_``: the
    round the result was computed with, what-if steps applied)."""
    people = sorted_recipients(recipients)
    derived = derive_values(people, values, round_.planned)
    stairs: Stairs = {}
    for block_id in staircase_blocks(round_):
        outcome = result.block(block_id)
        eligible = set(outcome.eligible)
        chosen = tuple(r for r in people if r.code in eligible)
        params = round_.block(block_id).params
        assert isinstance(params, StaircaseParams)
        stairs[block_id] = details(params, MethodInput(outcome.available, chosen, derived))
    return stairs, derived


def measure_sv(measure: str) -> str:
    return "utökning (tjänster utöver plan)" if measure == "expansion" else key_sv(measure)


def amount_of(measure: str, value: Fraction | int) -> str:
    """``3 tjänster`` for the expansion, ``befolkning 12 345`` for another measure."""
    return positions(value) if measure == "expansion" else f"{key_sv(measure)} {f.count(value)}"


def _prefix(round_: Round, block_id: str) -> str:
    return "" if len(round_.blocks) == 1 else f"{round_.block(block_id).title}: "


def stair_columns(
    round_: Round,
    stairs: Stairs,
    derived: Mapping[str, Mapping[str, Fraction]],
    recipients: Sequence[Recipient],
) -> dict[str, list[object]]:
    """The results table's columns of each staircase block: measure, key, step, leftover, next step."""
    columns: dict[str, list[object]] = {}
    for block_id, stair in stairs.items():
        params = round_.block(block_id).params
        assert isinstance(params, StaircaseParams)
        p = _prefix(round_, block_id)
        rows = [stair.get(r.code) for r in recipients]
        columns[f"{p}{measure_sv(params.measure)}"] = [d.measure if d else None for d in rows]
        if params.key not in (params.measure, "equal") and params.key in derived:
            columns[f"{p}{KEY_LABELS_SV.get(params.key, key_sv(params.key))}"] = [
                derived[params.key].get(r.code) for r in recipients
            ]
        columns[f"{p}trappsteg (kr)"] = [d.step_paid if d else 0 for d in rows]
        columns[f"{p}omfördelning (kr)"] = [d.leftover_paid if d else 0 for d in rows]
        reported = [has_report(derived, r.code) for r in recipients]
        columns[f"{p}nästa steg"] = [
            next_step_sv(d, ok, params.measure) if d else "–" for d, ok in zip(rows, reported, strict=True)
        ]
        columns[f"{p}nästa steg (kr)"] = [
            d.next_gain if d and ok and d.next_gain is not None else None for d, ok in zip(rows, reported, strict=True)
        ]
    return columns


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
