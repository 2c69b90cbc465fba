"""The region preview's what-if: its assumption about the other regions, chosen on the page — uncertain (drawn;
the default), all at plan, a saved scenario (its own rules), or after a decision what the decision used.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import streamlit as st

from allocation.preview import DEFAULT_UNCERTAIN, Setting, Uncertain, on_time, plan_report
from allocation.report_values import Report
from allocation.whatif import WhatIf, apply
from store.access import Action
from store.session import Session
from ui.preview import ASSUMPTIONS_SV, DECIDED, DECIDED_SV, SCENARIO, UNCERTAIN
from ui.preview_first import DECISION, OwnFigures
from ui.scenarios import scenario_labeller
from ui.text import plain


def _reports_of(what_if: WhatIf, code: str) -> tuple[Report, ...]:
    """A scenario's outcomes as reports of the other regions (its report dates as their received days)."""
    codes = sorted({c for by_code in what_if.values.values() for c in by_code} - {code})
    dated = {
        c: min(d[c] for d in what_if.events.values() if c in d)
        for c in codes
        if any(c in d for d in what_if.events.values())
    }
    reports = []
    for c in codes:
        values = {k: Fraction(v[c]) for k, v in what_if.values.items() if c in v and k != "planned"}
        planned = what_if.values.get("planned", {}).get(c)
        reports.append(Report(c, values, dated.get(c), None if planned is None else Fraction(planned)))
    return tuple(reports)


@dataclass(frozen=True)
class Assumption:
    key: str  # UNCERTAIN, PLAN or SCENARIO
    setting: Setting  # the rules applied: a scenario's own, else the round's
    others: tuple[Report, ...] | Uncertain
    described: str  # in words, for the workbook and the expert section
    rules: str  # whose staircase and key: the instruction's or the scenario's
    scenario_name: str | None = None
    scenario_shown: str | None = None  # its name as shown (marked when made on example data)


def assumption(store: Session, setting: Setting, code: str, figures: OwnFigures) -> Assumption | None:
    round_ = setting.round_
    # The uncertain assumption first, the default; after a decision the decision's own inputs come first.
    assumptions = ({DECIDED: DECIDED_SV} if figures.source == DECISION else {}) | ASSUMPTIONS_SV
    if not store.may(Action.READ_SCENARIOS):  # scenarios hold other regions' figures: staff and managers
        del assumptions[SCENARIO]
    key = st.radio(
        "Antagande om de andra regionerna",
        list(assumptions),
        format_func=lambda k: plain(assumptions[k]),
        key="pv_assumption",
    )
    rules = (
        f"trappsteg och nyckel enligt anvisningen ({round_.dnr})"
        if round_.dnr
        else "trappsteg och nyckel enligt reglerna"
    )
    if key == DECIDED:
        described = (
            "De andra regionerna med de utfall och rapportdagar som beslutet räknade med; en region som inte "
            "rapporterade räknas utan utfall."
        )
        return Assumption(key, setting, figures.known, described, rules + ", pottar enligt beslutet")
    if key == UNCERTAIN:
        uncertain, described = _uncertain_inputs(setting, figures)
        return Assumption(key, setting, uncertain, described, rules)
    if key != SCENARIO:
        by = on_time(round_)
        others = tuple(plan_report(setting, r.code, by) for r in setting.recipients if r.code != code)
        return Assumption(key, setting, others, assumptions[key], rules)
    names = store.scenarios.scenario_names(round_.id)
    if not names:
        st.info("Inga sparade scenarier ännu: spara ett på simuleringssidan.")
        return None
    active = st.session_state.get("scenario")  # the sidebar's active scenario, when it is one of these
    label = scenario_labeller(store, round_.id)  # made on example data: said so
    name = st.selectbox(
        "Scenario", names, index=names.index(active) if active in names else 0, key="pv_scenario", format_func=label
    )
    scenario = store.scenarios.scenario(name)
    shown = label(name)
    described = f"De andra regionerna enligt scenariot ”{shown}”"
    if scenario is None:
        return Assumption(key, setting, (), described, rules, name, shown)
    what_if = scenario.what_if
    # The scenario's own rules (pots, steps, key), not the instruction's.
    scenario_setting = Setting(apply(round_, what_if), setting.recipients, dict(what_if.pots))
    rules = f"trappsteg och nyckel enligt scenariot ”{shown}”"
    return Assumption(key, scenario_setting, _reports_of(what_if, code), described, rules, name, shown)


def _uncertain_inputs(setting: Setting, figures: OwnFigures) -> tuple[Uncertain, str]:
    u1, u2 = st.columns(2)
    low, high = u1.slider(
        "Utökning när en region växer (tjänster)",
        0,
        15,
        (DEFAULT_UNCERTAIN.low, DEFAULT_UNCERTAIN.high),
        key="pv_range",
    )
    share = u2.slider(
        "Andel regioner som växer", 0, 100, round(DEFAULT_UNCERTAIN.share * 100), step=5, key="pv_share", format="%d %%"
    )
    late = figures.past  # the last day has passed: the others not yet reported are late
    on_time_words = (
        ""
        if not on_time(setting.round_)
        else "; sista dagen har passerat, så de som inte har rapporterat räknas utan rapport i tid"
        if late
        else " och rapporterar i tid"
    )
    described = (
        f"Varje annan region växer med sannolikhet {share} % och då med {low}–{high} tjänster utöver plan "
        f"(jämnt fördelat), oberoende av varandra{on_time_words}."
    )
    if figures.known:
        described += f" De {len(figures.known)} andra regioner som har rapporterat räknas med sina rapporter."
    first = min((t for _, p in setting.staircases() for t in (s.min_expansion for s in p.steps)), default=0)
    st.caption(
        f"Standardvalet: hälften av de andra regionerna växer, var och en med {DEFAULT_UNCERTAIN.low}–"
        f"{DEFAULT_UNCERTAIN.high} tjänster utöver plan — från under första trappsteget ({first} tjänster) till "
        "mitten av trappan. Det visar hur mycket beloppet beror på de andra; det är ingen prognos. Ändra det efter "
        "vad ni vet." + (" Regioner som har rapporterat räknas med sina rapporter." if figures.known else "")
    )
    return Uncertain(low, high, share / 100, on_time=not late), described
