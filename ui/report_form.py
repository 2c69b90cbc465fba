"""A form that records or corrects one region's report for a round: the values its rules name and the date the
report was received (explicit, never today by default). Every save is audited with the reason given."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

import pandas as pd
import streamlit as st

from allocation.planned import ParseError, parse_number, parse_planned
from allocation.problems import Problem
from allocation.report_values import Report, ReportSpec
from ingest.columns import column_sv
from ingest.inputs import MAX_POSITIONS
from present import formats as f
from present.problems import problem_sv
from store.model import WriteRefused, fraction_text
from store.session import Session
from ui.audit_text import when
from ui.rounds import RoundRef, round_refs
from ui.text import label, plain

SAVED = "report_form_saved"  # the message of the last save, shown after the rerun that refreshes the table


def _number_text(value: Fraction | None) -> str:
    if value is None:
        return ""
    return f.number(int(value)) if value.denominator == 1 else fraction_text(value).replace(".", ",")


def _current_sv(spec: ReportSpec, report: Report) -> str:
    values = "; ".join(f"{column_sv(k)} {_number_text(report.values.get(k))}" for k in spec.values)
    received = f.long_date(report.received) if report.received else "–"
    return f"Nu i databasen: {values}{'; ' if values else ''}mottagen {received}."


def _value_input(spec: ReportSpec, key: str, current: Fraction | None, widget: str) -> str | int | None:
    caption = label(column_sv(key) + (" (valfri)" if key in spec.optional else ""))  # a rules key: plain text
    if spec.whole(key):
        value = None if current is None else int(current)
        return st.number_input(caption, min_value=0, max_value=MAX_POSITIONS, step=1, value=value, key=widget)
    return st.text_input(caption, value=_number_text(current), key=widget)


def _parsed(spec: ReportSpec, raw: dict[str, str | int | None]) -> tuple[dict[str, Fraction], list[str]]:
    values: dict[str, Fraction] = {}
    problems = []
    for key, given in raw.items():
        if given is None or given == "":
            if key in spec.optional:
                values[key] = Fraction(0)
            else:
                problems.append(f"{column_sv(key)}: fyll i ett värde (0 om det inte finns några).")
            continue
        try:
            values[key] = parse_number(given)
        except ParseError as exc:
            problems.append(f"{column_sv(key)}: " + problem_sv(Problem(exc.code, value=str(given), detail=exc.detail)))
    return values, problems


def _planned(text: str) -> tuple[Fraction | None, list[str]]:
    if not text.strip():
        return None, []
    try:
        return parse_planned(text), []
    except ParseError as exc:
        return None, ["Planerade: " + problem_sv(Problem(exc.code, value=text, detail=exc.detail))]


def report_rounds(store: Session) -> list[RoundRef]:
    """The rounds whose rules use something the regions report, in the picker's order."""
    taking = set(store.reports.report_round_ids())
    return [r for r in round_refs(store) if r.id in taking]


def reports_intro(store: Session, round_id: str) -> None:
    """What the round's regions report, and until which day a report counts."""
    spec = store.reports.report_spec(round_id)
    values = ", ".join(column_sv(k) for k in spec.values) or "bara datumet"
    counts = f" En rapport som tas emot senast {f.long_date(spec.last_day)} räknas." if spec.last_day else ""
    st.caption(f"Regionerna rapporterar: {values}, och dagen rapporten togs emot (Mottagen).{counts}")


def reports_frame_sv(store: Session, round_id: str) -> pd.DataFrame:
    """The round's reports, its values under their Swedish names (the other columns: ``ui.tables``)."""
    spec = store.reports.report_spec(round_id)
    frame = store.reports.reports_frame(round_id)
    frame["updated_at"] = [when(t) for t in frame["updated_at"]]  # "5 december 2026 kl. 19.55"
    return frame.rename(columns={k: column_sv(k) for k in spec.values} | {"received": "Mottagen"})


def report_form(store: Session, round_id: str) -> None:
    """Choose a region; its current report fills the form; saving writes it (a changed date is a change)."""
    spec = store.reports.report_spec(round_id)
    st.subheader("Registrera eller rätta en rapport")
    if message := st.session_state.pop(SAVED, None):
        st.success(message)
    recipients = {r.code: r.name for r in store.rounds.recipients(round_id)}
    code = st.selectbox(
        "Region", list(recipients), index=None, format_func=recipients.get, placeholder="Välj region", key="report_code"
    )
    if code is None:
        return
    current = next((r for r in store.reports.reports(round_id) if r.code == code), None)
    st.caption(_current_sv(spec, current) if current else "Regionen har ingen rapport i databasen ännu.")
    prefix = f"report_{round_id}_{code}"
    with st.form(key=f"{prefix}_form", border=True):
        columns = st.columns(max(1, len(spec.values)))
        raw = {}
        for column, key in zip(columns, spec.values, strict=False):
            with column:
                raw[key] = _value_input(spec, key, current.values.get(key) if current else None, f"{prefix}_{key}")
        planned_text = ""
        if spec.planned_override:
            shown = _number_text(current.planned) if current and current.planned is not None else ""
            planned_text = st.text_input(
                "Planerade (valfri; ersätter planeringsunderlaget för regionen)", value=shown, key=f"{prefix}_planned"
            )
        received = st.date_input(
            "Mottagen",
            value=current.received if current else None,
            max_value=store.today(),
            format="YYYY-MM-DD",
            key=f"{prefix}_received",
        )
        reason = st.text_input("Anledning (skrivs i granskningsloggen)", key=f"{prefix}_reason")
        submitted = st.form_submit_button("Spara rapporten", type="primary")
    if submitted:
        _save(store, round_id, spec, current, Saved(code, recipients[code], raw, planned_text, received, reason))


@dataclass(frozen=True, slots=True)
class Saved:
    """What the form held when it was submitted."""

    code: str
    name: str
    raw: dict[str, str | int | None]
    planned_text: str
    received: date | None
    reason: str


def _save(store: Session, round_id: str, spec: ReportSpec, current: Report | None, form: Saved) -> None:
    values, problems = _parsed(spec, form.raw)
    planned, trouble = _planned(form.planned_text)
    problems += trouble
    if form.received is None:
        problems.append("Mottagen: välj dagen rapporten togs emot.")
    if problems:
        st.error("Rapporten sparades inte:\n\n" + "\n".join(f"- {plain(p)}" for p in problems))
        return
    report = Report(form.code, values, form.received, planned)
    if report == current:
        st.info(f"Databasen har redan exakt denna rapport från {plain(form.name)}: ingenting ändrades.")
        return
    if not store.principal.name:
        st.error("Ange ditt namn i sidofältet: det skrivs i granskningsloggen.")
        return
    try:
        store.reports.record_report(form.reason, round_id, report)
    except WriteRefused as exc:
        st.error(plain(exc.message_sv))
        return
    when = f.long_date(form.received)  # type: ignore[arg-type]
    st.session_state[SAVED] = f"Rapporten från {plain(form.name)} är sparad (mottagen {when}) och loggad."
    st.rerun()
