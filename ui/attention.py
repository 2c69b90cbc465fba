"""The overview's "Behöver uppmärksamhet": one row per region, ranked, with the reason in plain Swedish,
a compact status per round, the money not requisitioned, and two charts.

The ranking is ``allocation.attention.rank_regions`` (pure); this module words it (dates and kronor in
Swedish), builds the table and the figures (pure: data in, figure out), and shows them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from babel.dates import format_date

from allocation.attention import LEVEL_SV, Level, Reason, RegionAttention, Unrequisitioned, rank_regions
from allocation.deadlines import AMBER, BLUE, GREEN, GREY, RED, URGENT_WITHIN_DAYS, Status, days_sv
from allocation.fixed import followup
from allocation.milestones import RoundMilestones, StatusCell
from present import formats as f
from present.formats import LOCALE
from store.session import Session
from ui.charts import FONT, Chart
from ui.rounds import RoundRef
from ui.text import plain

# What a region has not done yet, by the rules files' event kinds; another kind is named by its milestone.
NOUNS_SV = {"requisition": "Rekvisition", "usage_report": "Återrapport", "at_report": "Inrapportering"}
REQUISITION_EVENT = "requisition"
LEVEL_COLORS = {Level.OVERDUE: RED, Level.DUE_SOON: AMBER, Level.LAPSED: RED, Level.NONE: GREY}
STATUS_COLORS = {
    Status.OVERDUE: RED,
    Status.OPEN: BLUE,
    Status.MISSED: RED,
    Status.DONE_ON_TIME: GREEN,
    Status.DONE_LATE: AMBER,
    Status.NOT_YET_OPEN: GREY,
    Status.NOT_APPLICABLE: GREY,
}
CHART_CONFIG = {"displaylogo": False, "locale": "sv"}
ROW_HEIGHT = 66
CHART_KEY = "ov_diagram"


def long_date(day: date) -> str:
    """``31 oktober 2023``."""
    return format_date(day, "d MMMM y", locale=LOCALE)


def events_of(milestones: Sequence[RoundMilestones]) -> dict[tuple[str, str], str]:
    """(round id, milestone id) → the event kind that marks the milestone done (rules files' ``event``)."""
    return {(m.round_id, w.id): kind for m in milestones for w, kind in m.windows if kind}


def reason_sv(reason: Reason, event: str | None = None) -> str:
    """One reason in plain Swedish: "Rekvisition saknas, sista dag 31 oktober 2023 passerad"."""
    noun = NOUNS_SV.get(event or "", reason.milestone)
    last = f"sista dag {long_date(reason.due)}" if reason.due else "sista dag"
    if reason.level is Level.OVERDUE:
        return f"{noun} saknas, {last} passerad"
    if reason.level is Level.DUE_SOON:
        days = reason.days or 0
        return f"{noun} ej inkommen, förfaller {'i dag' if days == 0 else f'om {days_sv(days)}'}"
    return f"Ej rekvirerat {f.kr(reason.amount)} kan inte längre betalas ut"


def why_sv(entry: RegionAttention, events: dict[tuple[str, str], str]) -> str:
    """The most urgent reason (the others show in the columns per round and of money); "–" when there is none."""
    if not entry.reasons:
        return "–"
    first = entry.reasons[0]
    return reason_sv(first, events.get((first.round_id, first.milestone_id)))


def money_owed(
    store: Session, refs: Sequence[RoundRef], milestones: dict[str, RoundMilestones], as_of: date
) -> list[Unrequisitioned]:
    """Per region and round of fixed amounts: what it has not requisitioned as of the date."""
    owed = []
    regions = store.regions(store.latest_population_date())
    for ref in refs:
        if ref.kind != "fixed" or ref.id not in milestones:
            continue
        rounds = milestones[ref.id]
        requisition = next((w.id for w, kind in rounds.windows if kind == REQUISITION_EVENT), None)
        if requisition is None:
            continue
        fixed = store.fixed_round(ref.id)
        amounts = store.fixed_amounts(ref.id)
        rows = followup(
            regions,
            {c: a for c, (a, _, _) in amounts.items()},
            store.requisitions(ref.id),
            store.payouts(ref.id),
            as_of,
            fixed.requisition_due,
        )
        final = rounds.closed(as_of)
        owed += [
            Unrequisitioned(ref.id, requisition, r.code, max(r.not_requisitioned, 0), r.payable, final) for r in rows
        ]
    return owed


def estimated_rounds(store: Session, refs: Sequence[RoundRef]) -> list[str]:
    """Short titles of the rounds of fixed amounts whose amounts per region are still the estimate."""
    out = []
    for ref in refs:
        if ref.kind == "fixed":
            amounts = store.fixed_amounts(ref.id)
            if amounts and {basis for _, basis, _ in amounts.values()} != {"official"}:
                out.append(ref.short_title)
    return out


def attention_frame(
    ranked: Sequence[RegionAttention], events: dict[tuple[str, str], str], rounds: Sequence[tuple[str, str]]
) -> pd.DataFrame:
    """One row per region in rank order; ``rounds`` = (round id, column label) for the per-round columns."""
    rows = []
    for entry in ranked:
        states = {s.round_id: s.text_sv for s in entry.rounds}
        rows.append(
            {
                "region": entry.region,
                "varför": why_sv(entry, events),
                "läge": LEVEL_SV[entry.level],
                **{f"omgång {i}": states.get(round_id, "–") for i, (round_id, _) in enumerate(rounds)},
                "ej rekvirerat": entry.not_requisitioned,
                "förlorat": entry.lapsed,
            }
        )
    return pd.DataFrame(rows)


_TINTS = {
    Status.OVERDUE: "background-color: #FDECEA; color: #8B1A1A",
    Status.MISSED: "background-color: #FDECEA; color: #8B1A1A",
    Status.DONE_ON_TIME: "background-color: #E8F5E9; color: #1B5E20",
    Status.DONE_LATE: "background-color: #E8F5E9; color: #1B5E20",
}
_SOON_TINT = "background-color: #FFF4D6; color: #5C4300"


def frame_styles(
    ranked: Sequence[RegionAttention], rounds: Sequence[tuple[str, str]], columns: Sequence[str]
) -> pd.DataFrame:
    """CSS per cell of ``attention_frame``: the level in traffic-light colours (its words stay in the cell),
    each round's status tinted (red overdue or never done, amber near its last day, green done)."""
    rows = []
    for entry in ranked:
        level = entry.level
        row = dict.fromkeys(columns, "")
        if level is not Level.NONE:
            text = "#222" if level is Level.DUE_SOON else "white"
            row["läge"] = f"background-color: {LEVEL_COLORS[level]}; color: {text}"
            row["varför"] = _SOON_TINT if level is Level.DUE_SOON else _TINTS[Status.OVERDUE]
        soon = {r.round_id for r in entry.reasons if r.level is Level.DUE_SOON}
        for i, (round_id, _) in enumerate(rounds):
            state = next((s for s in entry.rounds if s.round_id == round_id), None)
            if state is None:
                continue
            if state.status is Status.OPEN and round_id in soon:
                row[f"omgång {i}"] = _SOON_TINT
            else:
                row[f"omgång {i}"] = _TINTS.get(state.status, "")
        rows.append(row)
    return pd.DataFrame(rows, columns=list(columns))


def header_width(title: str, least: int = 110) -> int:
    """A column wide enough for its header (headers do not wrap): about 6.5 px a character at 14 px, and padding."""
    return max(least, round(6.5 * len(title)) + 24)


def _figure_layout(title: str, height: int, top: int, xaxis: dict, **more: object) -> dict:
    """The project's chart look (``ui.charts._layout``) as one layout dict: plotly's ``update_*`` calls cost
    several milliseconds each, and the overview builds its chart on every rerun."""
    axis = {"gridcolor": "#eeeeee", "zerolinecolor": "#cccccc"}
    return {
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 17}},
        "separators": ", ",
        "font": {"family": FONT, "size": 13},
        "height": height,
        "margin": {"l": 10, "r": 10, "t": top, "b": 10},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "hoverlabel": {"font": {"family": FONT}},
        "xaxis": axis | xaxis,
        "yaxis": axis | {"autorange": "reversed", "automargin": True},
        **more,
    }


def _nice_step(span: int) -> int:
    for step in (1, 2, 5, 7, 10, 14, 30, 60, 90, 180, 365):
        if span / step <= 6:
            return step
    return 365 * (span // (365 * 6) + 1)


def days_chart(ranked: Sequence[RegionAttention], within_days: int = URGENT_WITHIN_DAYS) -> Chart | None:
    """Regions with a last day passed or near: days to it (negative = overdue), most urgent on top."""
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
    title = parts[0] + (f"<br><sup>{parts[1]}</sup>" if len(parts) > 1 else "")
    data = pd.DataFrame(
        {
            "länskod": [r.code for r in shown],
            "region": [r.region for r in shown],
            "dagar till sista dag": days,
        }
    )
    labels = [f"{days_sv(-d)} sen" if d < 0 else ("sista dagen" if d == 0 else f"{days_sv(d)} kvar") for d in days]
    low, high = min(0, *days), max(0, *days)
    step = _nice_step(max(high - low, 1))
    ticks = list(range(-((-low + step - 1) // step) * step, high + 1, step))
    bar = go.Bar(
        y=[escape(r.region) for r in shown],
        x=days,
        orientation="h",
        marker={"color": [RED if d < 0 else AMBER for d in days]},
        text=labels,
        textposition="auto",
        insidetextanchor="middle",
        hovertext=[f"<b>{escape(r.region)}</b><br>{escape(label)}" for r, label in zip(shown, labels, strict=True)],
        hoverinfo="text",
    )
    xaxis = {
        "tickvals": ticks,
        "ticktext": [f.number(t) for t in ticks],  # Babel's real minus sign
        "title": {"text": "dagar till sista dag (under 0: försenad)"},
        "range": [low - step / 2, high + step / 2],
    }
    height = max(240, 30 * len(shown) + 130)
    fig = go.Figure(bar, _figure_layout(title, height, 80 if len(parts) > 1 else 60, xaxis))
    return Chart(fig, data, title)


def money_chart(ranked: Sequence[RegionAttention]) -> Chart | None:
    """Money not requisitioned per region: what can no longer be paid, and what still can, most first."""
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
        sub = regions + (f"; {f.mnkr(payable)} kan fortfarande rekvireras" if payable else "")
    else:
        title, sub = f"{f.mnkr(payable)} är inte rekvirerat än", f"{regions}; kan fortfarande rekvireras"
    title = f"{title}<br><sup>{sub}</sup>"
    names = [escape(r.region) for r in shown]
    data = pd.DataFrame(
        {
            "länskod": [r.code for r in shown],
            "region": [r.region for r in shown],
            "kan inte betalas ut (kr)": [r.lapsed for r in shown],
            "kan rekvireras (kr)": [r.not_requisitioned for r in shown],
        }
    )
    traces = []
    for column, name, color in (
        ("kan inte betalas ut (kr)", "Kan inte betalas ut", RED),
        ("kan rekvireras (kr)", "Kan rekvireras", BLUE),
    ):
        values = list(data[column])
        if not any(values):
            continue
        traces.append(
            go.Bar(
                y=names,
                x=[v / 1_000_000 for v in values],
                orientation="h",
                name=name,
                marker={"color": color},
                hovertext=[f"<b>{n}</b><br>{name}: {f.kr(int(v))}" for n, v in zip(names, values, strict=True)],
                hoverinfo="text",
            )
        )
    legend = {"orientation": "h", "yanchor": "top", "y": -0.12, "xanchor": "left", "x": 0}
    layout = _figure_layout(
        title,
        max(260, 26 * len(shown) + 150),
        80,
        {"tickformat": ",.0f", "title": {"text": "mnkr"}},
        barmode="stack",
        legend=legend,
    )
    fig = go.Figure(traces, layout)
    return Chart(fig, data, title)


def headline_sv(ranked: Sequence[RegionAttention], within_days: int = URGENT_WITHIN_DAYS) -> str:
    """ "3 av 21 regioner behöver uppmärksamhet: 2 försenade, 1 med sista dag inom 14 dagar." (plain text)"""
    counts = {level: sum(r.level is level for r in ranked) for level in Level}
    need = len(ranked) - counts[Level.NONE]
    parts = []
    if counts[Level.OVERDUE]:
        parts.append(f"{counts[Level.OVERDUE]} försenade")
    if counts[Level.DUE_SOON]:
        parts.append(f"{counts[Level.DUE_SOON]} med sista dag inom {days_sv(within_days)}")
    if counts[Level.LAPSED]:
        parts.append(f"{counts[Level.LAPSED]} med medel som inte längre kan betalas ut")
    noun = "region behöver" if len(ranked) == 1 else "regioner behöver"
    return f"{need} av {len(ranked)} {noun} uppmärksamhet" + (f": {', '.join(parts)}." if parts else ".")


def attention_section(
    store: Session,
    refs: Sequence[RoundRef],
    milestones: dict[str, RoundMilestones],
    cells: Sequence[StatusCell],
    as_of: date,
) -> None:
    """The ranked regions, a chart, and the table (only those needing attention unless asked for all)."""
    st.subheader("Behöver uppmärksamhet")
    order = [r.id for r in refs]
    visible = {c.code for c in cells}
    owed = [m for m in money_owed(store, refs, milestones, as_of) if m.code in visible]
    ranked = rank_regions(cells, owed, order)
    if not ranked:
        st.info("Inga regioner att visa.")
        return
    needing = [r for r in ranked if r.needs_attention]
    if needing:
        st.markdown(
            f"**{headline_sv(ranked)}** Försenade först, sedan närmast sista dag, sedan mest pengar som inte är "
            "rekvirerade."
        )
    else:
        st.success(
            f"Inga tidsfrister är försenade eller nära (inom {days_sv(URGENT_WITHIN_DAYS)}), och inga medel har gått "
            "förlorade i en pågående omgång."
        )
    events = events_of(list(milestones.values()))
    estimated = estimated_rounds(store, refs)
    show_all = st.toggle("Visa alla regioner", key="ov_alla_regioner", value=not needing)
    rows = ranked if show_all else needing
    if rows:
        _table(rows, refs, events, any(r.kind == "fixed" for r in refs))
    # One chart at a time, chosen (a figure costs about 20 ms to build: only the chosen one is built).
    builders = {"Dagar till sista dag": days_chart, "Ej rekvirerat": money_chart}
    present = [
        label
        for label, has in (
            ("Dagar till sista dag", any(r.level in (Level.OVERDUE, Level.DUE_SOON) for r in ranked)),
            ("Ej rekvirerat", any(r.lapsed or r.not_requisitioned for r in ranked)),
        )
        if has
    ]
    if present:
        if st.session_state.get(CHART_KEY) not in present:
            st.session_state[CHART_KEY] = present[0]
        chosen = st.segmented_control("Diagram", present, key=CHART_KEY) if len(present) > 1 else present[0]
        chart = builders[chosen or present[0]](ranked)
        if chart is not None:
            st.plotly_chart(chart.figure, key="ov_chart", config=CHART_CONFIG)
    if estimated and any(r.lapsed or r.not_requisitioned for r in ranked):
        st.caption(
            f"Belopp per region i {plain(', '.join(estimated))} är uppskattade efter befolkningsandel tills den "
            "officiella tabellen är importerad. Summorna för hela omgången påverkas inte."
        )


def _table(
    rows: Sequence[RegionAttention],
    refs: Sequence[RoundRef],
    events: dict[tuple[str, str], str],
    money: bool,
) -> None:
    titles = {r.id: r.short_title for r in refs}
    rounds_here = [(r.id, titles[r.id]) for r in refs if any(s.round_id == r.id for e in rows for s in e.rounds)]
    frame = attention_frame(rows, events, rounds_here)
    config = {
        "region": st.column_config.TextColumn("Region", pinned=True, width=125),
        "varför": st.column_config.TextColumn("Varför", width=228),  # region and reason fit a phone (390 px)
        "läge": st.column_config.TextColumn("Läge", help="Det mest brådskande för regionen just nu.", width=120),
        **{
            f"omgång {i}": st.column_config.TextColumn(
                title, help=f"Regionens status i {plain(title)}.", width=header_width(title)
            )
            for i, (_, title) in enumerate(rounds_here)
        },
        "ej rekvirerat": st.column_config.NumberColumn(
            "Ej rekvirerat", help="Kan fortfarande rekvireras.", width=header_width("Ej rekvirerat", 120)
        ),
        "förlorat": st.column_config.NumberColumn(
            "Kan inte betalas ut",
            help="Inte rekvirerat före sista dag: kan inte längre betalas ut.",
            width=header_width("Kan inte betalas ut", 120),
        ),
    }
    # A money column only where there is money in it: before the deadline nothing is lost, after it nothing
    # can still be requisitioned.
    columns = [c for c in frame.columns if c not in ("ej rekvirerat", "förlorat") or (money and frame[c].any())]
    styles = frame_styles(rows, rounds_here, columns).set_axis(frame.index)
    styled = frame[columns].style.apply(lambda _: styles, axis=None)
    styled = styled.format({c: lambda v: f.kr(int(v)) for c in ("ej rekvirerat", "förlorat") if c in columns})
    st.dataframe(
        styled,
        hide_index=True,
        width="stretch",
        row_height=ROW_HEIGHT,  # above 4rem Streamlit wraps a cell's text: the reason is read whole, also on a phone
        height=ROW_HEIGHT * len(frame) + 38,  # every row: no scrolling inside the table
        column_config=config,
        key="ov_uppmarksamhet",
    )
