"""The what-if simulator's pieces: the outcomes table, quick fills, rule controls, comparisons.

Widgets that define a what-if are bound to the URL (``bind="query-params"``), so the address bar is a
shareable link to the same simulation: plain values, never pickles.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import pandas as pd
import streamlit as st

from allocation.at import Allocation, RegionInput
from allocation.planned import ParseError, parse_count, parse_planned
from allocation.problems import Problem
from allocation.rules import CUSTOM_POT, KEYS, AtParams, AtRound, Step
from present import formats as f
from store.model import fraction_text
from ui.text import plain

EDITOR_COLUMNS = ("code", "region", "planned", "filled", "started", "excluded")
KEY_LABELS = {
    "expansion_per_100k": "Utökning per 100 000 invånare (anvisningen)",
    "expansion": "Utökning i antal tjänster (what-if)",
    "equal": "Lika delar (what-if)",
}
EDITOR_VERSION = "sim_editor_version"
EDITOR_BASE = "sim_editor_base"
EDITOR_SOURCE = "sim_editor_source"
LAST_VALID = "sim_last_valid"  # the last table without a wrong cell, its inputs and its source
ROUND_STATE = "sim_round"  # the round the simulator's widgets were last set up for
CHECK = "check"  # the editor's read-only column: each row against its plan, or its wrong cells
CHECK_LABEL = "Mot plan"
# The editor's column headers: a wrong cell is named by its region and by the header the user sees.
EDITOR_LABELS = {"planned": "Planerat", "filled": "Tillsatta", "started": "Påbörjade", "excluded": "Avräknade"}


def step_key(step: Step) -> str:
    return f"steg{step.min_expansion}"


# --- the outcomes table -------------------------------------------------------------------------


COUNT_COLUMNS = ("filled", "started", "excluded")


def table_frame(rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """The editor's table from rows, with the same column types on every run: text, and counts as whole
    numbers that may be empty (``Int64``). Streamlit keys a fixed-size editor's identity on its columns'
    types, so a count column that turned from whole numbers into decimals would start it afresh.
    """
    data: dict[str, Any] = {}
    for column in EDITOR_COLUMNS:
        values = [row[column] for row in rows]
        data[column] = pd.array(values, dtype=object)
        if column in COUNT_COLUMNS:
            # A value that is not a whole number is kept as typed (the column stays text); parse_row names it.
            with contextlib.suppress(TypeError, ValueError):
                data[column] = pd.array([None if _missing(v) else v for v in values], dtype="Int64")
    return pd.DataFrame(data, columns=list(EDITOR_COLUMNS))


def base_frame(at_round: AtRound, inputs: Sequence[RegionInput]) -> pd.DataFrame:
    """One row per region: planned as written (or the what-if override), filled, started, excluded."""
    by_code = {i.code: i for i in inputs}
    rows = []
    for region in at_round.regions:
        item = by_code.get(region.code, RegionInput(region.code))
        planned = at_round.planned[region.code] if item.planned is None else fraction_text(item.planned)
        rows.append(
            {
                "code": region.code,
                "region": region.name,
                "planned": planned,
                "filled": item.filled,
                "started": item.started,
                "excluded": item.excluded,
            }
        )
    return table_frame(rows)


def at_plan_inputs(at_round: AtRound, more: int = 0) -> list[RegionInput]:
    """Everyone fills exactly its plan (rounded up for a midpoint), plus ``more`` positions."""
    return [RegionInput(r.code, math.ceil(at_round.planned_value(r.code)) + more, 0) for r in at_round.regions]


def set_editor_base(frame: pd.DataFrame, source: str) -> None:
    """Replace what the table starts from (a quick fill, a scenario) and drop pending cell edits."""
    st.session_state[EDITOR_BASE] = frame
    st.session_state[EDITOR_SOURCE] = source
    st.session_state[EDITOR_VERSION] = st.session_state.get(EDITOR_VERSION, 0) + 1


def follow_round(at_round: AtRound) -> None:
    """A page that switches to another round starts from that round's rules and plan, not the last one's."""
    if st.session_state.get(ROUND_STATE) == at_round.id:
        return
    if ROUND_STATE in st.session_state:  # a switch (not the first visit, whose URL may carry the rules)
        reset_params(at_round)
    st.session_state[ROUND_STATE] = at_round.id
    st.session_state.pop(EDITOR_BASE, None)
    st.session_state.pop(LAST_VALID, None)
    st.session_state.pop("sim_applied_scenario", None)


def editor_key() -> str:
    return f"sim_editor_{st.session_state.get(EDITOR_VERSION, 0)}"


@dataclass(frozen=True)
class EditedInputs:
    inputs: list[RegionInput]
    problems_sv: list[str]


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def parse_row(row: Mapping[str, Any], at_round: AtRound) -> tuple[RegionInput | None, list[Problem]]:
    """One row of the table: its input, or its wrong cells (each a problem naming the column in Swedish)."""
    problems: list[Problem] = []
    counts: dict[str, int] = {}
    for column in ("filled", "started", "excluded"):
        value = row[column]
        label = EDITOR_LABELS[column]
        if _missing(value):
            problems.append(Problem("empty_value", 0, label))
            continue
        try:
            counts[column] = parse_count(value)
        except ParseError as exc:
            problems.append(Problem(exc.code, 0, label, str(value), exc.detail))
    planned_text = "" if _missing(row["planned"]) else str(row["planned"]).strip()
    planned = None
    if planned_text != at_round.planned[row["code"]]:
        try:
            planned = parse_planned(planned_text)
        except ParseError as exc:
            problems.append(Problem(exc.code, 0, EDITOR_LABELS["planned"], planned_text, exc.detail))
    if problems:
        return None, problems
    return RegionInput(row["code"], counts["filled"], counts["started"], counts["excluded"], planned), []


def parse_edited(frame: pd.DataFrame, at_round: AtRound) -> EditedInputs:
    """Inputs from the edited table, or every wrong cell named by region and column (in Swedish)."""
    problems: list[str] = []
    inputs: list[RegionInput] = []
    for index, row in enumerate(frame[list(EDITOR_COLUMNS)].to_dict("records")):
        item, row_problems = parse_row(row, at_round)
        if item is None:
            problems += [f"{row['region']} (rad {index + 1}), {p.message_sv}" for p in row_problems]
        else:
            inputs.append(item)
    return EditedInputs(inputs, problems)


# --- what the editor shows: pending edits, each row against its plan, wrong cells marked -----------


def with_edits(frame: pd.DataFrame, state: Mapping[str, Any] | None) -> pd.DataFrame:
    """The table as the editor shows it: ``frame`` with the editor's pending cell edits.

    ``state`` is the data editor's own value in session state (``{"edited_rows": {row: {column: value}}}``),
    there before the editor is drawn, so the check column can follow every edit in the same run. The column
    types stay (``table_frame``) unless a count cell holds something other than a whole number.
    """
    data = frame[list(EDITOR_COLUMNS)]
    edits = [
        (int(position), column, value)
        for position, changes in ((state or {}).get("edited_rows") or {}).items()
        for column, value in changes.items()
        if column in EDITOR_COLUMNS and 0 <= int(position) < len(frame)
    ]
    if not edits:
        return data
    data = data.copy()
    for index, column, value in edits:
        position = data.columns.get_loc(column)
        try:
            data.iat[index, position] = None if _missing(value) else value
        except (TypeError, ValueError):  # not of the column's type (2,5 in a count): kept as typed
            data[column] = data[column].astype(object)
            data.iat[index, position] = value
    return data


@dataclass(frozen=True)
class RowCheck:
    text: str
    kind: str  # "error", "above", "below", "changed" (the plan, only), "none" (no outcome) or "" (as planned)


def check_row(row: Mapping[str, Any], at_round: AtRound) -> RowCheck:
    """``+5 över plan``, ``3 under plan``, ``enligt plan``, ``inget utfall`` (with ``, plan ändrad`` when the
    plan differs from the planning document), or the row's wrong columns."""
    item, problems = parse_row(row, at_round)
    if item is None:
        columns = list(dict.fromkeys(p.column for p in problems))
        return RowCheck("Fel: " + ", ".join(columns), "error")
    planned = item.planned if item.planned is not None else at_round.planned_value(item.code)
    outcome = max(item.filled, item.started)
    difference = Fraction(outcome) - planned
    if outcome == 0 and planned > 0:
        check = RowCheck("inget utfall", "none")  # nothing reported (yet): not a shortfall to point at
    elif difference > 0:
        check = RowCheck(f"+{f.count(difference)} över plan", "above")
    elif difference < 0:
        check = RowCheck(f"{f.count(-difference)} under plan", "below")
    else:
        check = RowCheck("enligt plan", "")
    if item.planned is not None:
        return RowCheck(check.text + ", plan ändrad", check.kind if check.kind in ("above", "below") else "changed")
    return check


CHECK_COLOURS = {
    "error": "#c62828",
    "above": "#2e7d32",
    "below": "#a15c00",
    "changed": "#1f4e79",
    "none": "#8a8a8a",
    "": "#6b6b6b",
}


@dataclass(frozen=True)
class EditorView:
    data: pd.DataFrame  # the table as edited so far, and the check column (one label per row)
    column_config: dict[str, object]


def editor_view(frame: pd.DataFrame, state: Mapping[str, Any] | None, at_round: AtRound) -> EditorView:
    """What the editor draws: the table as edited so far, and a read-only check column of coloured labels.

    Streamlit lets no one colour a data editor's editable cells (a canvas; a pandas Styler reaches only the
    read-only columns, and costs ~15 ms a run to send). So each row gets a label in its own column, coloured
    by a multiselect column's options: green above plan, amber below, red naming the row's wrong cells.
    """
    data = with_edits(frame, state)  # the edits in the data: the grid shows them even if it drops its own
    checks = [check_row(row, at_round) for row in data.to_dict("records")]
    data = data.assign(**{CHECK: [[c.text] for c in checks]})
    kinds = {c.text: c.kind for c in checks}
    check = st.column_config.MultiselectColumn(
        CHECK_LABEL,
        disabled=True,
        width=EDITOR_WIDTHS[CHECK],
        help=(
            "Utfallet (högsta av tillsatta och påbörjade) mot planerat: grönt över plan, brandgult under plan, "
            "grått utan utfall, blått när bara planen är ändrad, rött när en cell i raden är fel (kolumnen "
            "nämns). Följer varje ändring."
        ),
        options=list(kinds),
        color=[CHECK_COLOURS[kind] for kind in kinds.values()],
    )
    return EditorView(data, editor_column_config() | {CHECK: check})


def keep_edits(edited: pd.DataFrame) -> None:
    """Make the edited table the one the editor is drawn from on the next run.

    The editor's data changes with every edit (the check column and its colours follow the cells), and the
    browser's grid, given a new column configuration under the same widget, starts its list of edits afresh
    (seen in Chromium with Streamlit 1.67): an edit it no longer holds must then already be in the data. Re-applying
    one it still holds changes nothing (an edit is a cell's new value), so both behaviours give one table.
    """
    st.session_state[EDITOR_BASE] = edited[list(EDITOR_COLUMNS)]  # the editor keeps the data's types


def undo_to_last_valid() -> None:
    """Back to the last table without a wrong cell (a button's callback: before the rerun draws the table)."""
    last = st.session_state.get(LAST_VALID)
    if last is not None:
        set_editor_base(last.frame, last.source)


@dataclass(frozen=True)
class LastValid:
    round_id: str
    frame: pd.DataFrame
    inputs: tuple[RegionInput, ...]
    source: str


def remember_valid(at_round: AtRound, frame: pd.DataFrame, inputs: Sequence[RegionInput]) -> None:
    st.session_state[LAST_VALID] = LastValid(
        at_round.id, frame[list(EDITOR_COLUMNS)], tuple(inputs), st.session_state[EDITOR_SOURCE]
    )


def last_valid(at_round: AtRound) -> LastValid | None:
    last = st.session_state.get(LAST_VALID)
    return last if last is not None and last.round_id == at_round.id else None


EDITOR_WIDTHS = {
    "code": 80,
    "region": 170,
    "planned": 110,
    "filled": 120,
    "started": 120,
    "excluded": 150,
    CHECK: 190,
}


def editor_column_config() -> dict[str, object]:
    """Fixed column widths (pixels) keep the table readable and its cells at known places for tests."""
    count = {"min_value": 0, "step": 1, "format": "%d", "required": True}
    w = EDITOR_WIDTHS
    return {
        "code": st.column_config.TextColumn("Länskod", disabled=True, width=w["code"]),
        "region": st.column_config.TextColumn("Region", disabled=True, width=w["region"]),
        "planned": st.column_config.TextColumn(
            EDITOR_LABELS["planned"],
            width=w["planned"],
            help="Från planeringsunderlaget; ett spann som 1-5 räknas som medelvärdet. Ändra för what-if.",
        ),
        "filled": st.column_config.NumberColumn(
            EDITOR_LABELS["filled"], help="Tillsatta AT-tjänster under omgångens år", width=w["filled"], **count
        ),
        "started": st.column_config.NumberColumn(
            EDITOR_LABELS["started"], help="Påbörjade AT-tjänster under omgångens år", width=w["started"], **count
        ),
        "excluded": st.column_config.NumberColumn(
            EDITOR_LABELS["excluded"],
            width=w["excluded"],
            help="Tjänster som låg till grund för utbetalning i en tidigare omgång och inte får räknas igen",
            **count,
        ),
    }


# --- rule parameters ----------------------------------------------------------------------------


def default_param_state(at_round: AtRound) -> dict[str, object]:
    state: dict[str, object] = {
        "pot": at_round.default_pot,
        "pot_kr": at_round.default_params().pot,
        "nyckel": at_round.key,
    }
    state |= {step_key(s): s.amount for s in at_round.steps}
    return state


def param_state_for(at_round: AtRound, params: AtParams) -> dict[str, object]:
    """Widget values that reproduce ``params`` (used to open a saved scenario)."""
    state = default_param_state(at_round)
    state["pot"] = params.pot_source if params.pot_source != CUSTOM_POT else CUSTOM_POT
    state["pot_kr"] = params.pot
    state["nyckel"] = params.key
    amounts = {s.min_expansion: s.amount for s in params.steps}
    state |= {step_key(s): amounts.get(s.min_expansion, s.amount) for s in at_round.steps}
    return state


def reset_params(at_round: AtRound) -> None:
    for key, value in default_param_state(at_round).items():
        st.session_state[key] = value


def pot_notice(at_round: AtRound) -> str | None:
    """When the instructions give more than one figure for the pot: each with its section and sentence."""
    options = at_round.pot_options
    if len(options) < 2:
        return None
    lines = [f"**{len(options)} belopp i anvisningen.**", ""]
    lines += [f"- {f.kr(o.amount)} under ”{plain(o.source.section)}”: ”{plain(o.source.quote)}”" for o in options]
    amounts = sorted({o.amount for o in options})
    if len(amounts) == 2 and at_round.agency_costs and amounts[1] - amounts[0] == at_round.agency_costs:
        lines += [
            "",
            f"Skillnaden, {f.kr(at_round.agency_costs)}, motsvarar medlen för Socialstyrelsens egna kostnader.",
        ]
    lines += ["", "Resultatet och varje export anger vilken pott som används."]
    return "\n".join(lines)


def params_controls(at_round: AtRound) -> AtParams:
    """Pot, staircase amounts and key; every control bound to the URL; resettable to the seed's values."""
    for key, value in default_param_state(at_round).items():
        st.session_state.setdefault(key, value)
    pot_labels = {o.id: o.label for o in at_round.pot_options} | {CUSTOM_POT: "Eget belopp (what-if)"}
    left, right = st.columns([2, 3], gap="large")
    with left:
        choice = st.radio("Pott", list(pot_labels), format_func=pot_labels.get, key="pot", bind="query-params")
        custom = st.number_input(
            "Eget belopp (kr)",
            min_value=0,
            step=1_000_000,
            key="pot_kr",
            bind="query-params",
            disabled=choice != CUSTOM_POT,
        )
        pot = int(custom) if choice == CUSTOM_POT else at_round.pot_option(choice).amount
        st.caption(f"Potten som används: **{f.kr(pot)}**")
    with right:
        if notice := pot_notice(at_round):
            st.info(notice, icon=":material/info:")
    columns = st.columns(len(at_round.steps))
    for column, step in zip(columns, at_round.steps, strict=True):
        column.number_input(
            f"Trappsteg ≥ {step.min_expansion} tjänster (kr)",
            min_value=0,
            step=500_000,
            key=step_key(step),
            bind="query-params",
            help=f"Anvisningen: {f.kr(step.amount)}",
        )
    key_column, reset_column = st.columns([3, 2], vertical_alignment="bottom")
    key_column.selectbox(
        "Fördelningsnyckel för kvarstående medel",
        list(KEYS),
        format_func=KEY_LABELS.get,
        key="nyckel",
        bind="query-params",
    )
    changed = any(st.session_state[k] != v for k, v in default_param_state(at_round).items() if k != "pot_kr")
    reset_column.button(
        "Återställ till anvisningens värden",
        on_click=reset_params,
        args=(at_round,),
        disabled=not changed,
        key="reset_params",
    )
    return params_from_state(at_round)


def params_from_state(at_round: AtRound) -> AtParams:
    """The rules as the controls hold them now (their session state): the same in a button's callback,
    which runs before the controls are drawn, as after them."""
    state = st.session_state
    choice = state["pot"]
    pot = int(state["pot_kr"]) if choice == CUSTOM_POT else at_round.pot_option(choice).amount
    steps = tuple(Step(s.min_expansion, int(state[step_key(s)])) for s in at_round.steps)
    return at_round.params(pot=pot, steps=steps, key=state["nyckel"])


def inputs_from_state(at_round: AtRound) -> EditedInputs:
    """The outcomes as the table holds them now, with its pending edits (or its wrong cells)."""
    return parse_edited(with_edits(st.session_state[EDITOR_BASE], st.session_state.get(editor_key())), at_round)


# --- comparing two allocations ------------------------------------------------------------------


def difference_frame(baseline: Allocation, scenario: Allocation) -> pd.DataFrame:
    base = baseline.by_code()
    rows = [
        {
            "code": r.code,
            "region": r.name,
            "baseline": base[r.code].total,
            "scenario": r.total,
            "difference": r.total - base[r.code].total,
        }
        for r in scenario.regions
    ]
    return pd.DataFrame(rows)


CURRENT = "Aktuell simulering"


def baseline_label(from_reports: bool) -> str:
    """The comparison's fixed point: the instructions' rules with the imported reports (or everyone at plan)."""
    return "Utgångsläge (anvisningens regler, " + ("inlästa rapporter)" if from_reports else "alla enligt plan)")


def comparison_defaults(
    baseline: str, saved: Sequence[str], active: str | None, is_current: Callable[[str], bool]
) -> tuple[str, str]:
    """The pair the comparison opens with: never a scenario against its own identical copy.

    The scenario in view is the active one (just saved or opened), else the newest saved. If the current
    simulation gives the same amounts (``is_current``), compare it with the baseline; after changes, compare
    the scenario with the current simulation (what the changes did). With nothing saved: the baseline.
    """
    scenario = active if active in saved else (saved[0] if saved else None)
    if scenario is None:
        return baseline, CURRENT
    return (baseline, scenario) if is_current(scenario) else (scenario, CURRENT)


def allocation_metrics(allocation: Allocation) -> None:
    """The result in five figures, one unit (mnkr, the exact kronor on hover), never cut off.

    A horizontal container wraps its metrics onto a new line when they do not fit (a phone), and each
    metric is as wide as its own text instead of a fifth of the page.
    """
    steps = sum(r.step_amount for r in allocation.regions)
    redistributed = sum(r.redistribution for r in allocation.regions)
    figures = [
        ("Pott", allocation.pot),
        ("Trappsteg", steps),
        ("Omfördelat", redistributed),
        ("Ej fördelat", allocation.unallocated),
    ]
    with st.container(horizontal=True, gap="medium", key="sim_metrics"):
        for label, value in figures:
            st.metric(label, f.mnkr(value), help=f"Exakt: {f.kr(value)}", width="content")
        qualified = sum(r.qualifies for r in allocation.regions)
        st.metric("Kvalificerade regioner", f"{qualified} av {len(allocation.regions)}", width="content")
