"""The what-if simulator's outcomes table: its rows, quick fills, the edited table parsed into inputs, the
check column (each row against its plan, wrong cells named), and keeping, remembering and undoing edits.

The table's state lives in session state under the ``sim_editor_*`` and ``sim_last_valid`` keys; a new
editor version (``set_editor_base``) gives the data editor a new key and so drops its pending cell edits.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import pandas as pd
import streamlit as st

from allocation.at import RegionInput
from allocation.planned import ParseError, parse_count, parse_planned
from allocation.problems import Problem
from allocation.rules import AtRound
from present import formats as f
from present.problems import problem_sv
from store.model import fraction_text

EDITOR_COLUMNS = ("code", "region", "planned", "filled", "started", "excluded")
EDITOR_VERSION = "sim_editor_version"
EDITOR_BASE = "sim_editor_base"
EDITOR_SOURCE = "sim_editor_source"
LAST_VALID = "sim_last_valid"  # the last table without a wrong cell, its inputs and its source
CHECK = "check"  # the editor's read-only column: each row against its plan, or its wrong cells
CHECK_LABEL = "Mot plan"
# The editor's column headers: a wrong cell is named by its region and by the header the user sees.
EDITOR_LABELS = {"planned": "Planerat", "filled": "Tillsatta", "started": "Påbörjade", "excluded": "Avräknade"}


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
            problems += [f"{row['region']} (rad {index + 1}), {problem_sv(p)}" for p in row_problems]
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


# The columns in the order they are shown: the region and what a user edits first (a phone shows only the
# first two or three columns), then the check, and the län code last.
EDITOR_WIDTHS = {
    "region": 150,
    "filled": 100,
    "started": 100,
    "planned": 100,
    "excluded": 150,
    CHECK: 190,
    "code": 80,
}
EDITOR_ORDER = list(EDITOR_WIDTHS)


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
            alignment="right",  # a number (or a range such as 1-5): right-aligned like the other counts
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


def inputs_from_state(at_round: AtRound) -> EditedInputs:
    """The outcomes as the table holds them now, with its pending edits (or its wrong cells)."""
    return parse_edited(with_edits(st.session_state[EDITOR_BASE], st.session_state.get(editor_key())), at_round)
