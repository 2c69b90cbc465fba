"""Charts and tables of a round of blocks: the waterfall pot → blocks → paid, and each block by its method."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from fractions import Fraction

import pandas as pd
import plotly.graph_objects as go

from allocation.block_data import Recipient
from allocation.blocks import BlockResult, RoundResult
from present import formats as f
from present.block_table import block_titles, results_columns
from present.decision_text import METHOD_SV, PART_SV
from ui.charts import COLORS, TICKS, Chart, _layout, map_figure, per_capita_figure

# The methods' and parts' Swedish names and the blocks' titles, as the pages import them from here.
__all__ = ["METHOD_SV", "PART_SV", "block_titles"]


def results_frame(
    result: RoundResult,
    recipients: Sequence[Recipient],
    titles: Mapping[str, str],
    extra: Mapping[str, Sequence[object]] | None = None,
) -> pd.DataFrame:
    """``results_columns`` as a table, one row per recipient."""
    return pd.DataFrame(results_columns(result, recipients, titles, extra))


def waterfall_chart(result: RoundResult, titles: Mapping[str, str]) -> Chart:
    """Each block's own pot, then what it paid (by its parts, e.g. steps and leftover, where it has them);
    what no block paid is the last bar."""
    single = len(result.blocks) == 1
    labels, measures, values = [], [], []
    for block in result.blocks:
        labels.append("Pott" if single else f"{titles[block.block_id]}: pott")
        measures.append("relative")
        values.append(block.pot)
    paid_parts: list[tuple[str, int]] = []
    for block in result.blocks:
        parts = block.parts or {"amount": block.amounts}
        for part, amounts in parts.items():
            name = PART_SV.get(part, "utbetalt") if len(parts) > 1 else "utbetalt"
            label = name.capitalize() if single else f"{titles[block.block_id]}: {name.lower()}"
            paid = sum(amounts.values())
            labels.append(label)
            measures.append("relative")
            values.append(-paid)
            paid_parts.append((name.lower(), paid))
    labels.append("Ej fördelat")
    measures.append("total")
    values.append(0)
    fig = go.Figure(
        go.Waterfall(
            x=labels,
            measure=measures,
            y=[v / 1_000_000 for v in values],
            # In mnkr, as the axis says (a bar's label inside it where it fits, else outside).
            text=[f.number(Fraction(abs(v), 1_000_000), 1) for v in values[:-1]]
            + [f.number(Fraction(result.unallocated, 1_000_000), 1)],
            textposition="auto",
            cliponaxis=False,
            hovertext=[f"{html.escape(label)}: {f.kr(abs(v))}" for label, v in zip(labels, values, strict=True)],
            hoverinfo="text",
            increasing={"marker": {"color": COLORS["step"]}},
            decreasing={"marker": {"color": COLORS["redistribution"]}},
            totals={"marker": {"color": COLORS["muted"]}},
        )
    )
    if single and len(paid_parts) > 1:
        spent = " och ".join(f"{f.mnkr(paid)} i {name}" for name, paid in paid_parts)
        title = (
            "Hela potten betalas ut: "
            if result.unallocated == 0
            else f"{f.mnkr(result.unallocated)} av potten fördelas inte; "
        ) + spent
    else:
        paid = "hela potten betalas ut" if result.unallocated == 0 else f"{f.kr(result.unallocated)} fördelas inte"
        title = f"{f.kr(result.pot)} i {len(result.blocks)} block: {paid}"
    _layout(fig, title, height=440)
    fig.update_yaxes(tickformat=TICKS, ticksuffix=" mnkr", rangemode="tozero")
    fig.update_layout(uniformtext={"minsize": 11, "mode": "show"})  # the bars' labels readable on a phone too
    data = pd.DataFrame({"steg": labels, "kronor": values})
    return Chart(fig, data, title)


def block_chart(block: BlockResult, recipients: Sequence[Recipient], title: str) -> Chart:
    """The block's amount per recipient (stacked by its parts where the method has parts), largest first."""
    order = sorted(recipients, key=lambda r: (-block.amounts[r.code], r.code))
    names = [r.name for r in order]
    fig = go.Figure()
    data = pd.DataFrame({"länskod": [r.code for r in order], "region": names})
    parts = block.parts or {"amount": block.amounts}
    palette = [COLORS["step"], COLORS["redistribution"], COLORS["muted"]]
    for i, (part, amounts) in enumerate(parts.items()):
        ys = [amounts[r.code] for r in order]
        label = PART_SV.get(part, "Belopp")
        data[label] = ys
        fig.add_trace(
            go.Bar(
                x=names,
                y=ys,
                name=label,
                marker_color=palette[i % len(palette)],
                hovertext=[f"{html.escape(n)}: {f.kr(y)} ({label.lower()})" for n, y in zip(names, ys, strict=True)],
                hoverinfo="text",
            )
        )
    receiving = sum(1 for r in recipients if block.amounts[r.code] > 0)
    method = METHOD_SV.get(block.method, block.method)
    # Two short lines rather than one long one: a phone's width cuts a long Plotly title.
    chart_title = f"{title}<br><sup>{f.kr(block.paid)} till {receiving} av {len(recipients)} · {method}</sup>"
    _layout(fig, chart_title, height=440)
    fig.update_layout(margin={"t": 80})
    fig.update_layout(barmode="stack", showlegend=len(parts) > 1)
    fig.update_yaxes(tickformat=TICKS, title="kr")
    fig.update_xaxes(tickangle=-45)
    return Chart(fig, data, chart_title)


def _per_recipient(result: RoundResult, recipients: Sequence[Recipient], titles: Mapping[str, str]):  # type: ignore[no-untyped-def]
    frame = pd.DataFrame(
        {
            "code": [r.code for r in recipients],
            "region": [r.name for r in recipients],
            "total": [result.totals[r.code] for r in recipients],
            "population": [r.population for r in recipients],
        }
    )
    frame["kr_per_inhabitant"] = frame["total"] / frame["population"]
    hover = {}
    for r in recipients:
        lines = [f"<b>{html.escape(r.name)}</b>", f"Totalt {f.kr(result.totals[r.code])}"]
        lines += [f"{html.escape(titles[b.block_id])}: {f.kr(b.amounts[r.code])}" for b in result.blocks]
        lines.append(f"{f.number(result.totals[r.code] / r.population, 2)} kr per invånare")
        hover[r.code] = "<br>".join(lines)
    return frame, hover


def per_capita_chart(result: RoundResult, recipients: Sequence[Recipient], titles: Mapping[str, str]) -> Chart:
    """Kronor per inhabitant by recipient, all blocks together."""
    frame, hover = _per_recipient(result, recipients, titles)
    frame = frame.sort_values(["kr_per_inhabitant", "code"], ascending=[True, False])
    data = frame[["code", "region", "kr_per_inhabitant", "total", "population"]]
    return per_capita_figure(frame, [hover[c] for c in frame["code"]], data)


def map_chart(
    result: RoundResult,
    recipients: Sequence[Recipient],
    titles: Mapping[str, str],
    outlines: dict[str, tuple[list, list]],
    metric: str = "total",
) -> Chart:
    """The län coloured by the round's total or kronor per inhabitant; each block's amount on hover."""
    frame, hover = _per_recipient(result, recipients, titles)
    return map_figure(frame, hover, outlines, metric)
