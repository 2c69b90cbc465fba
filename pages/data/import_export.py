"""Data: imports (validated, all or nothing), every table with export, the audit log, backups."""

from datetime import datetime

import pandas as pd
import streamlit as st

from store.access import Action
from store.export import export_file_name, export_table
from store.model import EXPORTABLE_TABLES, WriteRefused
from ui.audit_text import TABLES_SV, audit_in_words
from ui.grid import figures_table
from ui.imports import import_panel
from ui.report_form import report_form, report_rounds, reports_frame_sv, reports_intro
from ui.rounds import RoundRef, chosen_round, requisition_rounds, round_refs
from ui.state import READ_ONLY_SV, session_or_stop
from ui.tables import display_frame
from ui.text import plain

store = session_or_stop()
st.title("Data, import och export")


def pick_round(refs: list[RoundRef], key: str) -> RoundRef | None:
    """One of ``refs``: the sidebar's round when it is one of them, else the first."""
    if not refs:
        st.info("Det finns ingen sådan bidragsomgång i databasen.")
        return None
    ids = [r.id for r in refs]
    chosen = chosen_round(store).id
    titles = {r.id: r.short_title for r in refs}
    round_id = st.selectbox(
        "Bidragsomgång", ids, index=ids.index(chosen) if chosen in ids else 0, format_func=titles.get, key=key
    )
    return next(r for r in refs if r.id == round_id)


def show_report_import() -> None:
    st.subheader("Regionernas rapporter")
    if ref := pick_round(report_rounds(store), "report_round"):
        reports_intro(store, ref.id)
        import_panel(store, "reports", ref.id)
        show_frame(reports_frame_sv(store, ref.id), "Inga rapporter inlästa för omgången ännu.")
        report_form(store, ref.id)


def show_requisition_import() -> None:
    st.subheader("Rekvisitioner")
    if ref := pick_round(requisition_rounds(store), "requisition_round"):
        import_panel(store, "requisitions", ref.id)
        show_frame(store.followup.requisitions_frame(ref.id), "Inga rekvisitioner registrerade för omgången ännu.")


def show_frame(frame: pd.DataFrame, empty: str) -> None:
    """A table, or a sentence when it has no rows (an empty table would say "empty", in English)."""
    if len(frame):
        figures_table(display_frame(frame))
    else:
        st.caption(empty)


def show_tables() -> None:
    table = st.selectbox("Tabell", store.audit.readable_tables(), format_func=EXPORTABLE_TABLES.get, key="table")
    frame = store.audit.table(table)
    st.caption(f"{len(frame)} rader")
    show_frame(frame, "Tabellen har inga rader ännu.")
    c1, c2, _ = st.columns([1, 1, 3])
    # The files are made when a button is pressed, not on every rerun; their names say what and when.
    c1.download_button(
        "Ladda ned (XLSX)",
        lambda: export_table(store, table, "xlsx"),
        file_name=export_file_name(EXPORTABLE_TABLES[table], ext="xlsx"),
        on_click="ignore",
        key="table_xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    c2.download_button(
        "Ladda ned (CSV)",
        lambda: export_table(store, table, "csv"),
        file_name=export_file_name(EXPORTABLE_TABLES[table], ext="csv"),
        mime="text/csv",
        on_click="ignore",
        key="table_csv",
    )


def show_audit() -> None:
    entity = st.selectbox(
        "Tabell",
        ["(alla)", *store.audit.readable_tables()],
        format_func=lambda t: "Alla tabeller" if t == "(alla)" else TABLES_SV.get(t, t),
        key="audit_entity",
    )
    log = store.audit.audit(limit=500, entity=None if entity == "(alla)" else entity)
    st.caption(
        f"Senaste {len(log)} posterna av {store.audit.audit_count()}. Varje ändring har aktör, tid och anledning."
    )
    rounds = {r.id: r.short_title for r in round_refs(store)}
    regions = {r.code: r.name for r in store.rounds.regions(store.rounds.latest_population_date())}
    st.dataframe(audit_in_words(log, rounds, regions), hide_index=True, width="stretch")


def show_backup() -> None:
    if store.shared:
        st.info(
            f"Databasen är {plain(store.label)} på en PostgreSQL-server, som flera instanser delar. Den "
            "säkerhetskopieras på servern med pg_dump (se README), inte härifrån.",
            icon=":material/info:",
        )
        return
    st.write(
        "En säkerhetskopia är en fullständig kopia av databasen i en ny fil, tagen inifrån tjänsten "
        "(kommandoraden kan inte öppna filen medan tjänsten kör)."
    )
    if st.button("Skapa säkerhetskopia", key="backup"):
        target = store.path.parent / "backups" / f"statsbidrag-{datetime.now():%Y%m%d-%H%M%S}.duckdb"
        try:
            store.audit.backup(target)
        except WriteRefused as exc:  # a second click within the same second
            st.error(plain(exc.message_sv))
            return
        st.success(f"Säkerhetskopia skapad: {plain(target)}")
        st.download_button("Ladda ned kopian", target.read_bytes(), file_name=target.name, key="backup_download")


# Lazy tabs: only the open tab runs; the open tab is part of the URL (?flik=...). A manager gets the
# read-only tabs (the service layer refuses the others whatever the URL asks for).
available = [
    ("Importera rapporter", show_report_import, Action.IMPORT),
    ("Importera rekvisitioner", show_requisition_import, Action.IMPORT),
    ("Tabeller och export", show_tables, Action.READ_TABLES),
    ("Granskningslogg", show_audit, Action.READ_AUDIT),
    ("Säkerhetskopia", show_backup, Action.BACKUP),
]
available = [item for item in available if store.may(item[2])]
if not store.may(Action.IMPORT):
    st.info(READ_ONLY_SV, icon=":material/visibility:")
tabs = st.tabs([label for label, _, _ in available], key="flik", on_change="rerun", bind="query-params")
views = [view for _, view, _ in available]
for tab, view in zip(tabs, views, strict=True):
    if tab.open:
        with tab:
            view()
