"""Import panels: validate the whole file first, show every problem in Swedish, write only on confirm."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

import streamlit as st

from allocation.problems import InputError
from allocation.report_values import ReportSpec
from ingest.columns import column_sv
from ingest.reports import RECEIVED
from ingest.reports import columns as report_columns
from ingest.spreadsheet import MAX_BYTES, MAX_ROWS
from present import formats as f
from present.problems import lines_sv
from store.model import ImportResult, WriteRefused
from store.session import Session
from ui.text import bullets, plain

UPLOAD_MB = MAX_BYTES // (1024 * 1024)  # the browser refuses a larger file before sending it
# Said beside every uploader: a file over the size limit is refused by the browser with only an icon.
LIMITS_SV = (
    f"Högst {UPLOAD_MB} MB och {f.number(MAX_ROWS)} rader per fil; en större fil tas inte emot (markeras med rött)."
)

KINDS = {
    "reports": ("rapporter", ""),  # the columns are the round's (``report_columns_sv``)
    "requisitions": ("rekvisitioner", "region, received (ÅÅÅÅ-MM-DD), amount (hela kronor), reference (valfri)"),
    "payment_details": ("betalningsuppgifter", "region, organisationsnummer, bankgiro"),
}


def _run(
    store: Session, kind: str, round_id: str, data: bytes, name: str, received: date | None, dry: bool, reason: str
) -> ImportResult:
    # A dry run writes nothing, so it needs no name; a real import is refused without one.
    if kind == "reports":
        return store.reports.import_reports(reason, round_id, data, name, received, dry_run=dry)
    if kind == "payment_details":
        return store.bank_details.import_payment_details(reason, data, name, dry_run=dry)
    return store.followup.import_requisitions(reason, round_id, data, name, dry_run=dry)


def import_panel(store: Session, kind: str, round_id: str) -> None:
    label, columns = KINDS[kind]
    if kind == "reports":
        columns = report_columns_sv(store.reports.report_spec(round_id))
    st.caption(
        f"Kolumner: {columns}. CSV (UTF-8, komma eller semikolon) eller XLSX. Regionen anges med namn eller länskod. "
        + LIMITS_SV
    )
    uploaded = st.file_uploader(
        f"Fil med {label}", type=["csv", "xlsx"], key=f"upload_{kind}_{round_id}", max_upload_size=UPLOAD_MB
    )
    if uploaded is None:
        return
    data = uploaded.getvalue()
    digest = hashlib.sha256(data).hexdigest()[:12]
    if kind == "reports":
        _reports_step(store, round_id, uploaded.name, data, digest)
        return
    preview = _preview(store, kind, round_id, data, uploaded.name, None)
    if preview is None or preview.changed == 0:
        return
    reason = st.text_input("Anledning (skrivs i granskningsloggen)", key=f"reason_{kind}_{digest}")
    if st.button(f"Läs in {rows_sv(preview.changed)}", type="primary", key=f"confirm_{kind}_{digest}"):
        _write(store, kind, round_id, data, uploaded.name, None, reason)


def _reports_step(store: Session, round_id: str, name: str, data: bytes, digest: str) -> None:
    """The received day, the reason and the button as one form: what is typed applies on the button, never
    on the focus leaving a field (a date field outside a form applies its day only then; Enter does not).

    The button writes only the file as previewed with the day it carries; with another day (or none
    before) it previews the file with that day first, and the next press writes it.
    """
    kind = "reports"
    day_key, shown_key = f"received_{kind}_{round_id}", f"import_shown_{kind}_{digest}"
    received: date | None = st.session_state.get(day_key)
    preview = _preview(store, kind, round_id, data, name, received)
    ready = preview is not None and preview.changed > 0
    # What the button's preview was made with on the last run, and on this one: the day (or none needed).
    shown = st.session_state.get(shown_key)
    now = (received.isoformat() if received else "") if ready else None
    st.session_state[shown_key] = now
    with st.form(f"import_form_{kind}_{round_id}_{digest}", border=False, enter_to_submit=False):
        received = st.date_input(  # explicit: never today by default
            "Mottagen (för rader utan eget datum i filen)",
            value=None,
            max_value=store.today(),
            format="YYYY-MM-DD",
            key=day_key,
        )
        reason = st.text_input("Anledning (skrivs i granskningsloggen)", key=f"reason_{kind}_{digest}")
        label = f"Läs in {rows_sv(preview.changed)}" if preview is not None and ready else "Granska filen"
        submitted = st.form_submit_button(label, type="primary")
    # Written only when the preview on screen when the button was pressed is the file with the day it carries;
    # a day chosen or changed has just been previewed above (this run) and waits for the next press.
    if submitted and now is not None and shown == now:
        _write(store, kind, round_id, data, name, received, reason)


def _preview(
    store: Session, kind: str, round_id: str, data: bytes, name: str, received: date | None
) -> ImportResult | None:
    """The dry run's result on screen (counts and changes), or None with why the file cannot be read."""
    try:
        preview = _run(store, kind, round_id, data, name, received, True, "förhandsgranskning")
    except WriteRefused as exc:  # e.g. example data loaded: nothing real may be written
        st.error(plain(exc.message_sv))
        return None
    except InputError as exc:
        if all(p.code == "missing_date" and not p.row for p in exc.problems):
            st.info(
                "Välj dagen rapporterna togs emot och tryck Granska filen, eller lägg till kolumnen Mottagen "
                "(ÅÅÅÅ-MM-DD) i filen."
            )
            return None
        st.error(
            f"Filen ”{plain(name)}” kan inte läsas in: {len(exc.problems)} fel. Ingenting har skrivits. "
            "Rätta och ladda upp igen:\n\n" + bullets(lines_sv(exc))
        )
        return None
    st.info(
        f"”{plain(name)}”: {rows_sv(preview.rows)}, varav {preview.changed} "
        f"{'ny eller ändrad' if preview.changed == 1 else 'nya eller ändrade'} och {preview.unchanged} "
        f"{'oförändrad' if preview.unchanged == 1 else 'oförändrade'}."
    )
    if preview.changes:
        st.markdown(bullets(changes_sv(store, preview.changes)))
    if preview.changed == 0:
        st.success("Databasen har redan exakt dessa uppgifter: en ny inläsning ändrar ingenting.")
    return preview


def _write(
    store: Session, kind: str, round_id: str, data: bytes, name: str, received: date | None, reason: str
) -> None:
    if not store.principal.name:
        st.error("Ange ditt namn i sidofältet innan du läser in: det skrivs i granskningsloggen.")
        return
    try:
        result = _run(store, kind, round_id, data, name, received, False, reason)
    except WriteRefused as exc:
        st.error(plain(exc.message_sv))
        return
    except InputError as exc:  # the file cannot change between preview and write, but be safe
        st.error(bullets(lines_sv(exc)))
        return
    st.success(f"Inläst: {rows_sv(result.changed)} ändrade, {result.unchanged} oförändrade.")


def rows_sv(count: int) -> str:
    """``1 rad``, ``2 rader``."""
    return f"{f.number(count)} {'rad' if count == 1 else 'rader'}"


def report_columns_sv(spec: ReportSpec) -> str:
    """The round's report columns by their Swedish names (the English ones are accepted too)."""
    required, optional = report_columns(spec)
    names = ["Region (eller Länskod)", *(column_sv(k) for k in required)]
    names += [f"{column_sv(k)} (valfri)" for k in optional if k != RECEIVED]
    names.append("Mottagen (ÅÅÅÅ-MM-DD; valfri om du väljer datumet nedan)")
    return ", ".join(names) + ". Engelska kolumnnamn går också"


def _value_sv(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return f.number(value)
    return str(value).replace(".", ",")


def changes_sv(
    store: Session, changes: tuple[tuple[str, tuple[tuple[str, Any, Any], ...]], ...], shown: int = 10
) -> list[str]:
    """``Gotland: ny rapport`` / ``Uppsala: Mottagen 2024-11-05 → 2024-10-31``, the first ``shown`` of them."""
    names = {r.code: r.name for r in store.rounds.regions(store.rounds.latest_population_date())}
    lines = []
    for code, fields in changes[:shown]:
        parts = [f"{column_sv(name)} {_value_sv(old)} → {_value_sv(new)}" for name, old, new in fields]
        lines.append(f"{names.get(code, code)}: {'; '.join(parts) if parts else 'ny rapport'}")
    if len(changes) > shown:
        lines.append(f"… och {len(changes) - shown} till")
    return lines


def official_table_panel(store: Session, round_id: str, official_table: str, total: int) -> None:
    """Import the official amounts per region (columns region, amount), replacing the estimate."""
    st.write(
        f"Den officiella tabellen finns i {official_table}. Läs in den som CSV eller XLSX med kolumnerna "
        f"**region** och **amount** (hela kronor). Summan måste vara {f.kr(total)}. " + LIMITS_SV
    )
    uploaded = st.file_uploader(
        "Officiell tabell", type=["csv", "xlsx"], key=f"official_{round_id}", max_upload_size=UPLOAD_MB
    )
    source = st.text_input("Källa (t.ex. beslutets datum och nummer)", key=f"official_source_{round_id}")
    if uploaded is None:
        return
    try:
        preview = store.followup.import_official_amounts(
            "förhandsgranskning",
            round_id,
            uploaded.getvalue(),
            uploaded.name,
            source or "-",
            dry_run=True,
        )
    except InputError as exc:
        st.error(
            f"Tabellen ”{plain(uploaded.name)}” kan inte läsas in; ingenting har ändrats:\n\n" + bullets(lines_sv(exc))
        )
        return
    st.info(f"{preview.rows} regioner; {preview.changed} belopp ändras.")
    reason = st.text_input("Anledning (skrivs i granskningsloggen)", key=f"official_reason_{round_id}")
    if st.button("Ersätt uppskattningen med den officiella tabellen", type="primary", key=f"official_go_{round_id}"):
        if not store.principal.name:
            st.error("Ange ditt namn i sidofältet: det skrivs i granskningsloggen.")
            return
        try:
            result = store.followup.import_official_amounts(
                reason,
                round_id,
                uploaded.getvalue(),
                uploaded.name,
                source,  # type: ignore[arg-type]
            )
        except WriteRefused as exc:
            st.error(plain(exc.message_sv))
            return
        st.success(f"Officiell tabell inläst: {result.changed} belopp ändrade.")
