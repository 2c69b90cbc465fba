"""The simulator of a round of blocks: pots per block, outcomes per region, results per block and in total.

Every block is computed by the method its rules name (one registry); the page knows no round and no
method by heart: the pots, the blocks and their charts all come from the round's rules.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from types import SimpleNamespace

import pandas as pd
import streamlit as st

from allocation.at import RegionInput
from allocation.block_convert import at_values, recipients_from_regions
from allocation.block_data import EQUAL, Recipient
from allocation.block_engine import allocate_round
from allocation.blocks import BlockResult, Round, RoundResult
from allocation.method_params import ProportionalParams, ReportedShareParams
from ingest.inputs import parse_date
from present import formats as f
from present.eligibility import key_sv
from store.export import store_facts
from store.model import fraction_text
from store.session import Session
from ui.block_charts import METHOD_SV, block_chart, block_titles, results_frame, waterfall_chart
from ui.downloads import download_pair
from ui.money_input import money_input
from ui.rounds import RoundRef
from ui.simulator_editor import EDITOR_COLUMNS, editor_column_config, parse_edited
from ui.text import bullets, plain

EDITOR = "blk_editor"
FLOW_NOTICES = ("flows_to", "unallocated")
KEY_SV = {
    "positions": "AT-tjänster (antal)",
    "expansion": "Utökning (tjänster)",
}  # known data keys; any other key shows by its name
KEY_HELP = "Ett värde per region som omgångens regler använder (t.ex. antal AT-tjänster); anges här för simuleringen."


AT_VALUES = ("filled", "started", "excluded", "planned")  # the editor's own columns
DERIVED = ("population", "outcome", "expansion")  # the engine computes these from the others


def extra_keys(round_: Round) -> tuple[str, ...]:
    """Data keys the round's rules use that are neither the AT columns nor derived (e.g. ``positions``)."""
    keys = set()
    for block in round_.blocks:
        if block.eligible.rule is not None:
            keys.add(block.eligible.rule.key)
        key = getattr(block.params, "key", EQUAL)
        if isinstance(block.params, ProportionalParams | ReportedShareParams) and key != EQUAL:
            keys.add(key)
    bases = {k.removesuffix("_per_100k") for k in keys}
    derived = set(DERIVED) if round_.planned else set(DERIVED) - {"expansion"}  # no plan: expansion is given
    return tuple(sorted(bases - set(AT_VALUES) - derived))


def missing_keys(round_: Round, values: dict[str, dict[str, object]]) -> list[str]:
    return [k for k in extra_keys(round_) if not values.get(k)]


def report_events(round_: Round) -> tuple[str, ...]:
    """The report events some block pays on (a date per region is then part of the inputs)."""
    return tuple(sorted({b.params.event for b in round_.blocks if isinstance(b.params, ReportedShareParams)}))


@dataclass(frozen=True)
class BlockSetup:
    round_: Round
    recipients: tuple[Recipient, ...]
    planned_text: dict[str, str]  # code -> planned positions as shown in the editor

    @property
    def report_by(self) -> date | None:
        """The last day a report counts for a block that pays on reporting (the first such block's)."""
        return next((b.params.by for b in self.round_.blocks if isinstance(b.params, ReportedShareParams)), None)

    @property
    def events(self) -> tuple[str, ...]:
        return report_events(self.round_)


def setup(store: Session, ref: RoundRef) -> BlockSetup:
    round_ = store.block_round(ref.id)
    recipients = recipients_from_regions(store.regions(round_.population_date))
    planned = {r.code: fraction_text(round_.planned.get(r.code, 0)) for r in recipients}  # type: ignore[arg-type]
    return BlockSetup(round_, recipients, planned)


def base_frame(s: BlockSetup, inputs: list[RegionInput], reported: dict[str, date], more: int | None) -> pd.DataFrame:
    """The editor's starting table: reports (or everyone at plan + ``more``), with report dates if needed."""
    by_code = {i.code: i for i in inputs}
    rows = []
    for r in s.recipients:
        planned = s.round_.planned.get(r.code, 0)
        item = by_code.get(r.code)
        if more is not None:
            item = RegionInput(r.code, math.ceil(planned) + more, 0)
        item = item or RegionInput(r.code)
        row: dict[str, object] = {
            "code": r.code,
            "region": r.name,
            "planned": s.planned_text[r.code] if item.planned is None else fraction_text(item.planned),
            "filled": item.filled,
            "started": item.started,
            "excluded": item.excluded,
        }
        for key in extra_keys(s.round_):
            row[key] = 0
        for event in s.events:
            day = reported.get(r.code)
            row[event] = day.isoformat() if day else ""
        rows.append(row)
    return pd.DataFrame(rows)


def _pots(s: BlockSetup) -> dict[str, int]:
    """One what-if pot per block, defaulting to the rules' figure (shown with its source)."""
    pots = {}
    columns = st.columns(len(s.round_.blocks))
    for column, block in zip(columns, s.round_.blocks, strict=True):
        with column:
            option = block.pot.option(block.pot.default) if block.pot.options else None
            pots[block.id] = money_input(
                f"{plain(block.title)} (kr)", block.pot.amount, f"blk_pot_{s.round_.id}_{block.id}"
            )
            method = METHOD_SV.get(block.method, block.method)
            source = f" Källa: {plain(option.source.section)}." if option else ""
            illustrative = " *Illustrativt.*" if block.illustrative else ""
            st.caption(f"Enligt reglerna {f.kr(block.pot.amount)}; {method}.{source}{illustrative}")
    return pots


Values = dict[str, dict[str, object]]
Events = dict[str, dict[str, date]]


def _inputs(s: BlockSetup, store: Session, round_id: str) -> tuple[Values, Events] | None:
    """The editor of outcomes (and report dates); its values for the engine, or None with the errors shown."""
    reports = store.at_reports(round_id)
    dates = store.report_dates(round_id)
    key = f"{EDITOR}_{round_id}"
    fills = st.columns([1.4, 1, 1, 3], vertical_alignment="bottom")
    use_reports = fills[0].button(f"Inlästa rapporter ({len(reports)})", key="blk_reports")
    if key not in st.session_state or use_reports:
        st.session_state[key] = base_frame(s, reports, dates, None)
        st.session_state[f"{key}_v"] = st.session_state.get(f"{key}_v", 0) + 1
    more = fills[2].number_input("Tjänster utöver plan", min_value=0, max_value=50, value=3, key="blk_more")
    if fills[1].button("Alla plan + tjänster", key="blk_plan_k"):
        on_time = s.report_by  # everyone reports on the last day that counts
        reported = {r.code: on_time for r in s.recipients} if on_time else {}
        st.session_state[key] = base_frame(s, [], reported, int(more))
        st.session_state[f"{key}_v"] = st.session_state.get(f"{key}_v", 0) + 1
    config = (
        editor_column_config()
        | {
            k: st.column_config.NumberColumn(
                KEY_SV.get(k) or key_sv(k).capitalize(), min_value=0, help=KEY_HELP, required=True
            )
            for k in extra_keys(s.round_)
        }
        | {
            e: st.column_config.TextColumn("Rapporterad", help="Dagen regionen rapporterade (ÅÅÅÅ-MM-DD); tomt: inte")
            for e in s.events
        }
    )
    edited = st.data_editor(
        st.session_state[key],
        key=f"{key}_{st.session_state.get(f'{key}_v', 0)}",
        column_config=config,
        hide_index=True,
        num_rows="fixed",
        width="content",
        height=(len(s.recipients) + 1) * 35 + 3,
    )
    parsed = parse_edited(edited[list(EDITOR_COLUMNS)], SimpleNamespace(planned=s.planned_text))  # type: ignore[arg-type]
    problems = list(parsed.problems_sv)
    events: Events = {e: {} for e in s.events}
    values: Values = at_values(parsed.inputs)  # type: ignore[assignment]
    for index, row in enumerate(edited.to_dict("records"), start=1):
        where = f"{row['region']} (rad {index})"
        for key in extra_keys(s.round_):
            number = row.get(key)
            if number is None or pd.isna(number) or number < 0:
                problems.append(f"{where}, {KEY_SV.get(key) or key_sv(key)}: ett tal ≥ 0 behövs")
            else:
                values.setdefault(key, {})[row["code"]] = Fraction(str(number))
        for event in s.events:
            text = str(row.get(event) or "").strip()
            if text:
                try:
                    events[event][row["code"]] = parse_date(text)
                except ValueError:
                    problems.append(f"{where}, Rapporterad: ”{plain(text)}” är inget datum (ÅÅÅÅ-MM-DD)")
    if problems:
        st.error("Rätta de markerade cellerna; inget räknas förrän alla värden är giltiga:\n\n" + bullets(problems))
        return None
    return values, events


def block_simulator(store: Session, ref: RoundRef) -> None:
    s = setup(store, ref)
    round_ = s.round_
    st.caption(f"{plain(round_.title)} · {plain(round_.dnr)} · regelfil version {plain(round_.version)}")
    if round_.illustrative:
        st.warning(
            "Illustrativ omgång: uppgifter som inte är kända (markerade i regelfilen) är antaganden, inte "
            "officiella siffror. Beloppen är exempel.",
            icon=":material/science:",
        )
    with st.container(border=True):
        st.subheader("Block och pottar")
        pots = _pots(s)
    st.subheader("Utfall per region")
    inputs = _inputs(s, store, round_.id)
    if inputs is None:
        st.stop()
    values, events = inputs
    result = allocate_round(round_, s.recipients, values, events, pots)
    titles = block_titles(round_)
    show_result(store, ref, s, result, titles)


def show_result(store: Session, ref: RoundRef, s: BlockSetup, result: RoundResult, titles: dict[str, str]) -> None:
    m = st.columns(3)
    m[0].metric("Pott", f.mnkr(result.pot))
    m[1].metric("Utbetalt", f.mnkr(result.paid))
    m[2].metric("Ej fördelat", f.mnkr(result.unallocated))
    for start in range(0, len(result.blocks), 3):  # at most three blocks a row: the titles stay whole
        row = result.blocks[start : start + 3]
        for column, block in zip(st.columns(3), row, strict=False):
            inflow = f" (varav {f.mnkr(block.inflow)} från andra block)" if block.inflow else ""
            column.metric(
                plain(titles[block.block_id]), f.mnkr(block.paid), help=f"Utbetalt av {f.kr(block.available)}{inflow}"
            )
    for block_id, notice in result.notices:
        if notice.code in FLOW_NOTICES:  # each block's tab says where its unpaid money goes
            continue
        st.info(f"**{plain(titles[block_id])}:** {plain(notice.message_sv)}")
    frame = results_frame(result, s.recipients, titles)
    # Lazy tabs, bound to the URL like the AT simulator's: only the open tab builds its table or chart.
    tabs = st.tabs(
        ["Resultat", "Pottens fördelning", *(plain(titles[b.block_id]) for b in result.blocks)],  # titles: markdown
        key="blk_vy",
        on_change="rerun",
        bind="query-params",
    )
    if tabs[0].open:
        with tabs[0]:
            _results_tab(store, ref, s, result, titles, frame)
    if tabs[1].open:
        with tabs[1]:
            chart = waterfall_chart(result, titles)
            st.plotly_chart(chart.figure, key="blk_waterfall", config={"displaylogo": False, "locale": "sv"})
    for tab, block in zip(tabs[2:], result.blocks, strict=True):
        if tab.open:
            with tab:
                _block_tab(s, block, titles)


def _results_tab(
    store: Session, ref: RoundRef, s: BlockSetup, result: RoundResult, titles: dict[str, str], frame: pd.DataFrame
) -> None:
    money = [c for c in frame.columns if c.endswith("(kr)")]
    styled = frame.style.format(
        {c: (lambda v: f.kr(int(v))) for c in money} | {"kr per invånare": lambda v: f.number(v, 2)}
    )
    st.dataframe(styled, hide_index=True, width="stretch")
    st.caption(
        f"Summa utbetalt {f.kr(result.paid)} av {f.kr(result.pot)}; ej fördelat {f.kr(result.unallocated)}. "
        "Hela kronor; största-rest-metoden (lika rester: lägre länskod först)."
    )
    about = [
        ("Bidragsomgång", s.round_.title),
        ("Diarienummer", s.round_.dnr),
        ("Regelversion", s.round_.version),
        *((f"Pott: {titles[b.block_id]}", f.kr(b.pot)) for b in result.blocks),
        ("Illustrativ", "ja: antaganden, inte officiella siffror" if s.round_.illustrative else "nej"),
        *store_facts(store),
    ]
    download_pair(frame, about, sheet="Fördelning", name=(ref.short_title, "fördelning"), key="blk")


def _block_tab(s: BlockSetup, block: BlockResult, titles: dict[str, str]) -> None:
    chart = block_chart(block, s.recipients, titles[block.block_id])
    st.plotly_chart(chart.figure, key=f"blk_chart_{block.block_id}", config={"displaylogo": False})
    flow = (
        f" Det som blocket inte betalar går till {plain(titles[block.unpaid_to])}."
        if block.unpaid_to
        else " Det som blocket inte betalar förblir ofördelat."
    )
    st.caption(
        f"Pott {f.kr(block.pot)}"
        + (f" + {f.kr(block.inflow)} från andra block" if block.inflow else "")
        + f"; utbetalt {f.kr(block.paid)} till {len(block.eligible)} behöriga.{flow}"
    )
