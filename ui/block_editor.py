"""The outcomes table of a round of blocks: one row per recipient, the values its blocks need and, for a block
that pays on reporting, the day each recipient reported. A wrong cell is named by region and column, the
"Mot plan" column follows every edit, the last valid table is kept (its results are shown greyed while a cell
is wrong) and "Ångra" takes the table back to it.

State (session state, per round): ``blk_base_<round>`` the table the editor starts from, ``blk_source_<round>``
what it was filled from, ``blk_v_<round>`` the editor's version (a new version drops pending cell edits),
``blk_last_<round>`` the last valid table and its values.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

import pandas as pd
import streamlit as st

from allocation.block_data import EQUAL, Recipient
from allocation.blocks import Round
from allocation.method_params import ProportionalParams, ReportedShareParams
from allocation.planned import ParseError
from allocation.report_values import AT_PARTS, PLANNED, Report, engine_values
from ingest.inputs import parse_date
from present.eligibility import key_sv
from present.problems import problem_sv
from store.model import fraction_text
from ui.editor_rows import (
    CHECK,
    CHECK_COLOURS,
    CHECK_LABEL,
    EDITOR_COLUMNS,
    EDITOR_ORDER,
    EDITOR_WIDTHS,
    RowCheck,
    editor_column_config,
    parsed_row,
)
from ui.text import label, plain

AT_VALUES = ("filled", "started", "excluded", "planned")  # the editor's own columns
DERIVED = ("population", "outcome", "expansion")  # the engine computes these from the others
KEY_SV = {"positions": "AT-tjänster (antal)", "expansion": "Utökning (tjänster)"}
KEY_HELP = "Ett värde per region som omgångens regler använder (t.ex. antal AT-tjänster); anges här för simuleringen."
REPORTED_SV = "Rapporterad"

Values = dict[str, dict[str, Any]]
Events = dict[str, dict[str, date]]


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


def report_events(round_: Round) -> tuple[str, ...]:
    """The report events some block pays on (a date per region is then part of the inputs)."""
    return tuple(sorted({b.params.event for b in round_.blocks if isinstance(b.params, ReportedShareParams)}))


def key_label(key: str) -> str:
    return KEY_SV.get(key) or key_sv(key).capitalize()


@dataclass(frozen=True)
class Plan:
    """The round's planned table as the editor shows it (the AT editor's checks read it by these names)."""

    planned: Mapping[str, str]  # code -> planned positions as written
    values: Mapping[str, Fraction]  # code -> planned positions

    def planned_value(self, code: str) -> Fraction:
        return self.values.get(code, Fraction(0))


@dataclass(frozen=True)
class Setup:
    round_: Round
    recipients: tuple[Recipient, ...]
    plan: Plan

    @property
    def keys(self) -> tuple[str, ...]:
        return extra_keys(self.round_)

    @property
    def events(self) -> tuple[str, ...]:
        return report_events(self.round_)

    @property
    def columns(self) -> tuple[str, ...]:
        return (*EDITOR_COLUMNS, *self.keys, *self.events)

    @property
    def report_by(self) -> date | None:
        """The last day a report counts for a block that pays on reporting (the first such block's)."""
        return next((b.params.by for b in self.round_.blocks if isinstance(b.params, ReportedShareParams)), None)


def make_setup(round_: Round, recipients: Sequence[Recipient]) -> Setup:
    values = {r.code: Fraction(round_.planned.get(r.code, 0)) for r in recipients}
    return Setup(round_, tuple(recipients), Plan({c: fraction_text(v) for c, v in values.items()}, values))


# --- the table the editor starts from --------------------------------------------------------------


def base_frame(s: Setup, values: Mapping[str, Mapping[str, Any]], reported: Mapping[str, date]) -> pd.DataFrame:
    """The editor's starting table from the round's values per key and recipient (as the engine reads them, as
    the store's reports and a saved what-if give them; a missing value is 0, a missing ``planned`` the plan as
    written) and the day each recipient reported."""
    rows = []
    for r in s.recipients:
        planned = values.get(PLANNED, {}).get(r.code)
        row: dict[str, object] = {
            "code": r.code,
            "region": r.name,
            "planned": s.plan.planned[r.code] if planned is None else fraction_text(Fraction(planned)),
        }
        row |= {k: int(values.get(k, {}).get(r.code, 0)) for k in AT_PARTS}
        for key in s.keys:
            value = values.get(key, {}).get(r.code, 0)
            row[key] = float(value) if Fraction(value).denominator != 1 else int(value)
        for event in s.events:
            day = reported.get(r.code)
            row[event] = day.isoformat() if day else ""
        rows.append(row)
    return _typed(pd.DataFrame(rows, columns=list(s.columns)))


def plan_values(s: Setup, more: int = 0) -> Values:
    """Everyone fills exactly its plan (rounded up for a midpoint), plus ``more`` positions."""
    filled = {r.code: math.ceil(s.plan.planned_value(r.code)) + more for r in s.recipients}
    return {"filled": filled, "started": dict.fromkeys(filled, 0), "excluded": dict.fromkeys(filled, 0)}


def what_if_frame(
    s: Setup, values: Mapping[str, Mapping[str, Any]], events: Mapping[str, Mapping[str, date]]
) -> pd.DataFrame:
    """The table of a saved what-if (its values and report dates)."""
    return base_frame(s, values, next(iter(events.values()), {}) if events else {})


# --- state ------------------------------------------------------------------------------------------


def _k(what: str, s: Setup) -> str:
    return f"blk_{what}_{s.round_.id}"


def set_base(s: Setup, frame: pd.DataFrame, source: str) -> None:
    """Replace what the table starts from (a quick fill, a scenario, Ångra) and drop pending cell edits."""
    st.session_state[_k("base", s)] = frame
    st.session_state[_k("source", s)] = source
    st.session_state[_k("v", s)] = st.session_state.get(_k("v", s), 0) + 1


def has_base(s: Setup) -> bool:
    return _k("base", s) in st.session_state


def source(s: Setup) -> str:
    return str(st.session_state.get(_k("source", s), ""))


def editor_key(s: Setup) -> str:
    return f"blk_editor_{s.round_.id}_{st.session_state.get(_k('v', s), 0)}"


def forget(s: Setup) -> None:
    for what in ("base", "source", "v", "last"):
        st.session_state.pop(_k(what, s), None)


# --- reading the table ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Parsed:
    values: Values
    events: Events
    problems_sv: list[str]
    checks: tuple[RowCheck, ...] = ()  # each row against its plan (the editor's check column), in order


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def parse(s: Setup, frame: pd.DataFrame) -> Parsed:
    """The engine's values and report dates from the table, or every wrong cell named by region and column."""
    problems: list[str] = []
    reports: list[Report] = []
    events: Events = {e: {} for e in s.events}
    extra: Values = {}
    checks = []
    columns = frame.to_dict("list")  # by column, then zipped: about half the cost of pandas' records
    names = list(columns)
    for index, cells in enumerate(zip(*columns.values(), strict=True), start=1):
        row = dict(zip(names, cells, strict=True))
        where = f"{row['region']} (rad {index})"
        item, row_problems, check = parsed_row(row, s.plan)  # type: ignore[arg-type]
        checks.append(check)
        problems += [f"{where}, {problem_sv(p)}" for p in row_problems]
        if item is not None:
            reports.append(item)
        for key in s.keys:
            value = row.get(key)
            try:
                if _missing(value):
                    raise ParseError("empty_value", "empty")
                number = Fraction(str(value))
                if number < 0:
                    raise ParseError("negative_number", "negative")
            except (ParseError, ValueError, ZeroDivisionError):
                problems.append(f"{where}, {key_label(key)}: ett tal ≥ 0 behövs")
            else:
                extra.setdefault(key, {})[row["code"]] = number
        for event in s.events:
            text = "" if _missing(row.get(event)) else str(row.get(event)).strip()
            if text:
                try:
                    events[event][row["code"]] = parse_date(text)
                except ParseError:
                    problems.append(f"{where}, {REPORTED_SV}: ”{plain(text)}” är inget datum (ÅÅÅÅ-MM-DD)")
    values: Values = engine_values(reports)  # type: ignore[assignment]
    values.update(extra)
    return Parsed(values, events, problems, tuple(checks))


COUNT_COLUMNS = ("filled", "started", "excluded")


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Counts as whole numbers that may be empty (``Int64``) on every run: Streamlit keys a fixed-size editor's
    identity on its columns' types, so a count column that turned into decimals would start it afresh."""
    for column in COUNT_COLUMNS:
        # A value that is not a whole number is kept as typed (the column stays text); parse_row names it.
        with contextlib.suppress(TypeError, ValueError):
            frame[column] = pd.array([None if _missing(v) else v for v in frame[column]], dtype="Int64")
    return frame


def with_edits(s: Setup, frame: pd.DataFrame, state: Mapping[str, Any] | None) -> pd.DataFrame:
    """``frame`` with the editor's pending cell edits (there before the editor is drawn); the column types stay
    unless a count cell holds something other than a whole number."""
    data = frame if list(frame.columns) == list(s.columns) else frame[list(s.columns)]
    edits = [
        (int(position), column, value)
        for position, changes in ((state or {}).get("edited_rows") or {}).items()
        for column, value in changes.items()
        if column in s.columns and 0 <= int(position) < len(frame)
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


def _current_frame(s: Setup) -> pd.DataFrame:
    return with_edits(s, st.session_state[_k("base", s)], st.session_state.get(editor_key(s)))


def current(s: Setup) -> tuple[pd.DataFrame, Parsed]:
    """The table as it is now (with pending edits) and what it says."""
    frame = _current_frame(s)
    return frame, parse(s, frame)


def _column_config(s: Setup, checks: Sequence[Any]) -> dict[str, object]:
    kinds = {c.text: c.kind for c in checks}
    config: dict[str, object] = editor_column_config()
    config |= {
        k: st.column_config.NumberColumn(label(key_label(k)), min_value=0, help=KEY_HELP, required=True) for k in s.keys
    }
    config |= {
        e: st.column_config.TextColumn(REPORTED_SV, help="Dagen regionen rapporterade (ÅÅÅÅ-MM-DD); tomt: inte")
        for e in s.events
    }
    config[CHECK] = st.column_config.MultiselectColumn(
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
    return config


def editor_view(s: Setup, frame: pd.DataFrame, parsed: Parsed | None = None) -> tuple[pd.DataFrame, dict[str, object]]:
    """What the editor draws: the table as edited so far, and a read-only check column of coloured labels.

    Streamlit lets no one colour a data editor's editable cells (a canvas), so each row gets a label in its
    own column, coloured by a multiselect column's options: green above plan, amber below, red naming the
    row's wrong cells.
    """
    checks = (parsed or parse(s, frame)).checks
    return frame.assign(**{CHECK: [[c.text] for c in checks]}), _column_config(s, checks)


def column_order(s: Setup) -> list[str]:
    """The region and what a user edits first (a phone shows only the first few columns), the län code last."""
    edited = [c for c in EDITOR_ORDER if c not in (CHECK, "code")]
    return [*edited, *s.keys, *s.events, CHECK, "code"]


def editor(s: Setup) -> tuple[pd.DataFrame, Parsed]:
    """The data editor, drawn from the table with its pending edits and the "Mot plan" column."""
    frame = _current_frame(s)  # with the pending edits: what the editor returns, parsed once a run
    parsed = parse(s, frame)
    view, config = editor_view(s, frame, parsed)
    edited = st.data_editor(
        view,
        key=editor_key(s),
        column_config=config,
        column_order=column_order(s),
        hide_index=True,
        num_rows="fixed",
        width="content",
        height=(len(s.recipients) + 1) * 35 + 3,
    )
    table = edited.copy(deep=False)  # the table without the check column (cheaper than selecting the others)
    table.pop(CHECK)
    st.session_state[_k("base", s)] = table  # the next run draws the edited table (see ui.editor_rows)
    return table, parsed


@dataclass(frozen=True)
class LastValid:
    frame: pd.DataFrame
    values: Values
    events: Events
    source: str


def remember_valid(s: Setup, frame: pd.DataFrame, parsed: Parsed) -> None:
    st.session_state[_k("last", s)] = LastValid(frame, parsed.values, parsed.events, source(s))


def last_valid(s: Setup) -> LastValid | None:
    return st.session_state.get(_k("last", s))


def undo(s: Setup) -> None:
    """Back to the last table without a wrong cell (a button's callback: before the rerun draws the table)."""
    last = last_valid(s)
    if last is not None:
        set_base(s, last.frame, last.source)
