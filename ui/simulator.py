"""The what-if simulator's rules and results: following the chosen round, the rule controls, comparisons of
two allocations, and the result's figures. The outcomes table is in ``ui.simulator_editor``.

Widgets that define a what-if are bound to the URL (``bind="query-params"``), so the address bar is a
shareable link to the same simulation: plain values, never pickles.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from allocation.at import Allocation
from allocation.money import MAX_AMOUNT
from allocation.rules import CUSTOM_POT, KEYS, AtParams, AtRound, Step
from present import formats as f
from ui.simulator_editor import EDITOR_BASE, LAST_VALID
from ui.text import plain

KEY_LABELS = {
    "expansion_per_100k": "Utökning per 100 000 invånare (anvisningen)",
    "expansion": "Utökning i antal tjänster (what-if)",
    "equal": "Lika delar (what-if)",
}
ROUND_STATE = "sim_round"  # the round the simulator's widgets were last set up for


def step_key(step: Step) -> str:
    return f"steg{step.min_expansion}"


# --- the chosen round ---------------------------------------------------------------------------


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
        choice = st.radio(
            "Pott",
            list(pot_labels),
            format_func=lambda option: plain(pot_labels[option]),
            key="pot",
            bind="query-params",
        )
        custom = st.number_input(
            "Eget belopp (kr)",
            min_value=0,
            max_value=MAX_AMOUNT,
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
            max_value=MAX_AMOUNT,
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
