"""Saving a scenario from a page: a small form, audited through the store."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from allocation.whatif import WhatIf
from store import demo
from store.model import Scenario, WriteRefused
from store.session import Session
from ui.state import session_or_stop
from ui.text import plain

NO_SCENARIO = "(inget)"
PENDING = "pending_scenario"
EXAMPLE_SUFFIX = " (gjort på exempeldata)"
EXAMPLE_COMPARED_SV = (
    "{names} sparades medan databasen innehöll exempeldata: utfallen är fiktiva, och en jämförelse med riktiga "
    "rapporter säger ingenting om verkligheten."
)


def scenario_labeller(store: Session, round_id: str) -> Callable[[str], str]:
    """A scenario's name as shown: marked when it was saved on example data (fictitious outcomes), everywhere
    it is listed or named, also after the example data is removed."""
    examples = store.scenarios.example_scenario_names(round_id)

    def label(name: str) -> str:
        return f"{name}{EXAMPLE_SUFFIX}" if name in examples else name

    return label


def example_comparison_warning(store: Session, round_id: str, names: Sequence[str]) -> str | None:
    """A warning when a scenario made on example data is compared while the store holds real records (no
    example data any more): its figures are fictitious. None otherwise."""
    examples = [n for n in names if n in store.scenarios.example_scenario_names(round_id)]
    if not examples or demo.example_rounds(store.store):
        return None
    return EXAMPLE_COMPARED_SV.format(names=" och ".join(f"”{plain(n)}”" for n in examples))


def scenario_selector(store: Session, round_id: str) -> None:
    """The sidebar's active scenario of the chosen round, bound to the URL: ``?scenario=Name`` reopens it."""
    if PENDING in st.session_state:  # a scenario just saved becomes the active one
        st.session_state["scenario"] = st.session_state.pop(PENDING)
    names = [NO_SCENARIO, *store.scenarios.scenario_names(round_id)]
    if st.session_state.get("scenario") not in names:  # a scenario of another round, or one since deleted
        st.session_state.pop("scenario", None)
    label = scenario_labeller(store, round_id)
    st.selectbox(
        "Aktivt scenario",
        names,
        format_func=lambda name: name if name == NO_SCENARIO else label(name),
        key="scenario",
        bind="query-params",
        help="Öppnar ett sparat scenario i simuleringen. Adressen kan delas med kolleger.",
    )


COMPARISON_KEYS = ("compare_base", "compare_other")
SAVE_ERROR = "scenario_save_error"  # why the last click on "Spara scenario" saved nothing (shown once)


def save_what_if_form(round_id: str, current: Callable[[], WhatIf | str], blocked_sv: str | None = None) -> None:
    """The form stays on the page. Saving is the button's callback: the scenario is written before the page
    runs again, so that one run shows it (active in the sidebar, in the address) and keeps the confirmation.

    ``current`` gives the what-if as the widgets hold it when the button is pressed (the callback runs before
    the page is drawn again), or why it cannot be saved. ``blocked_sv`` (why it cannot be saved now) disables
    the button.
    """

    def write(store: Session, name: str, note: str, overwrite: bool) -> Scenario | str:
        what_if = current()
        if isinstance(what_if, str):
            return what_if
        return store.scenarios.save_what_if("Sparat från fördelningssidan", name, round_id, what_if, note, overwrite)

    _form(write, blocked_sv)


Write = Callable[[Session, str, str, bool], "Scenario | str"]


def _form(write: Write, blocked_sv: str | None) -> None:
    with st.form("save_scenario", clear_on_submit=False, border=True):
        st.text_input("Namn på scenariot", key="scenario_name")
        st.text_area("Anteckning (valfri)", key="scenario_note", height=68)
        st.checkbox("Skriv över ett scenario med samma namn", key="scenario_overwrite")
        if blocked_sv:
            st.caption(plain(blocked_sv))
        st.form_submit_button(
            "Spara scenario",
            type="primary",
            disabled=blocked_sv is not None,
            on_click=_save,
            args=(write,),
        )
    if error := st.session_state.pop(SAVE_ERROR, None):
        st.error(error)


def _save(write: Write) -> None:
    state = st.session_state
    store = session_or_stop()  # as the principal is now (a local user's name may have just been typed)
    if not store.principal.name:
        state[SAVE_ERROR] = "Ange ditt namn i sidofältet innan du sparar: det skrivs i granskningsloggen."
        return
    try:
        scenario = write(
            store,
            str(state.get("scenario_name", "")),
            str(state.get("scenario_note", "")),
            bool(state.get("scenario_overwrite", False)),
        )
    except WriteRefused as exc:
        state[SAVE_ERROR] = plain(exc.message_sv)
        return
    if isinstance(scenario, str):  # why it cannot be saved
        state[SAVE_ERROR] = plain(scenario)
        return
    state[PENDING] = scenario.name  # the sidebar makes it the active scenario as the page runs
    state["sim_applied_scenario"] = scenario.name  # its values are already on screen
    state["blk_applied_scenario"] = scenario.name
    for key in COMPARISON_KEYS:  # the comparison opens anew: the baseline against the scenario just saved
        state.pop(key, None)
    st.toast(f"Scenariot ”{plain(scenario.name)}” sparades ({scenario.created:%Y-%m-%d %H:%M}).")
