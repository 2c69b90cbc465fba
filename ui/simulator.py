"""The what-if simulator's pieces: the outcomes table, quick fills, rule controls, comparisons.

Widgets that define a what-if are bound to the URL (``bind="query-params"``), so the address bar is a
shareable link to the same simulation: plain values, never pickles.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from allocation.at import Allocation, RegionInput
from allocation.planned import ParseError, parse_count, parse_planned
from allocation.problems import Problem
from allocation.rules import CUSTOM_POT, KEYS, AtParams, AtRound, Step
from present import formats as f
from store.model import fraction_text
from ui.tables import LABELS_SV
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
ROUND_STATE = "sim_round"  # the round the simulator's widgets were last set up for


def step_key(step: Step) -> str:
    return f"steg{step.min_expansion}"


# --- the outcomes table -------------------------------------------------------------------------


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
    return pd.DataFrame(rows, columns=list(EDITOR_COLUMNS))


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
    st.session_state.pop("sim_applied_scenario", None)


def editor_key() -> str:
    return f"sim_editor_{st.session_state.get(EDITOR_VERSION, 0)}"


@dataclass(frozen=True)
class EditedInputs:
    inputs: list[RegionInput]
    problems_sv: list[str]


def parse_edited(frame: pd.DataFrame, at_round: AtRound) -> EditedInputs:
    """Inputs from the edited table, or every wrong cell named by region and column (in Swedish)."""
    problems: list[str] = []
    inputs: list[RegionInput] = []
    for index, row in enumerate(frame.itertuples(index=False)):
        where = f"{row.region} (rad {index + 1})"
        row_problems: list[Problem] = []
        counts: dict[str, int] = {}
        for column in ("filled", "started", "excluded"):
            value = getattr(row, column)
            label = LABELS_SV[column]
            if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
                row_problems.append(Problem("empty_value", 0, label))
                continue
            try:
                counts[column] = parse_count(value)
            except ParseError as exc:
                row_problems.append(Problem(exc.code, 0, label, str(value), exc.detail))
        planned_text = "" if row.planned is None else str(row.planned).strip()
        planned = None
        if planned_text != at_round.planned[row.code]:
            try:
                planned = parse_planned(planned_text)
            except ParseError as exc:
                row_problems.append(Problem(exc.code, 0, LABELS_SV["planned"], planned_text, exc.detail))
        if row_problems:
            problems += [f"{where}, {p.message_sv}" for p in row_problems]
        else:
            inputs.append(RegionInput(row.code, counts["filled"], counts["started"], counts["excluded"], planned))
    return EditedInputs(inputs, problems)


EDITOR_WIDTHS = {"code": 80, "region": 170, "planned": 110, "filled": 120, "started": 120, "excluded": 150}


def editor_column_config() -> dict[str, object]:
    """Fixed column widths (pixels) keep the table readable and its cells at known places for tests."""
    count = {"min_value": 0, "step": 1, "format": "%d", "required": True}
    w = EDITOR_WIDTHS
    return {
        "code": st.column_config.TextColumn("Länskod", disabled=True, width=w["code"]),
        "region": st.column_config.TextColumn("Region", disabled=True, width=w["region"]),
        "planned": st.column_config.TextColumn(
            "Planerat",
            width=w["planned"],
            help="Från planeringsunderlaget; ett spann som 1-5 räknas som medelvärdet. Ändra för what-if.",
        ),
        "filled": st.column_config.NumberColumn(
            "Tillsatta", help="Tillsatta AT-tjänster under omgångens år", width=w["filled"], **count
        ),
        "started": st.column_config.NumberColumn(
            "Påbörjade", help="Påbörjade AT-tjänster under omgångens år", width=w["started"], **count
        ),
        "excluded": st.column_config.NumberColumn(
            "Avräknade",
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
    steps = []
    columns = st.columns(len(at_round.steps))
    for column, step in zip(columns, at_round.steps, strict=True):
        amount = column.number_input(
            f"Trappsteg ≥ {step.min_expansion} tjänster (kr)",
            min_value=0,
            step=500_000,
            key=step_key(step),
            bind="query-params",
            help=f"Anvisningen: {f.kr(step.amount)}",
        )
        steps.append(Step(step.min_expansion, int(amount)))
    key_column, reset_column = st.columns([3, 2], vertical_alignment="bottom")
    key = key_column.selectbox(
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
    return at_round.params(pot=pot, steps=tuple(steps), key=key)


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
