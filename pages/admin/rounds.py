"""Bidragsomgångar: staff make a new round or a new version, from a copy or from a rules file; versions."""

import streamlit as st

from ingest.spreadsheet import MAX_BYTES
from store.access import Action
from ui.grid import figures_table
from ui.round_editor import edit_form
from ui.round_review import REVIEW_LABEL, file_draft, propose, review, saved_message
from ui.rounds import chosen_round, round_refs
from ui.state import session_or_stop
from ui.tables import display_frame
from ui.text import plain

store = session_or_stop()
store.require(Action.EDIT_ROUNDS)  # refused (and logged) for every other role, whatever the URL says
st.title("Bidragsomgångar")
st.caption(
    "En ny omgång (eller en ny version av en) utgår från en befintlig omgång eller från en regelfil i samma "
    "format som data/rounds/*.toml. Den kontrolleras som regelfilerna, sparas som en version och loggas. En "
    "omgång med publicerat beslut ändras inte: en ändring blir en ny version."
)
saved_message()
refs = {r.id: r for r in round_refs(store)}
chosen = chosen_round(store)

tabs = st.tabs(["Ny från en kopia", "Från en regelfil", "Versioner"], key="nr_flik", on_change="rerun")
if tabs[0].open:
    with tabs[0]:
        source = st.selectbox(
            "Utgå från",
            list(refs),
            index=list(refs).index(chosen.id),
            format_func=lambda rid: refs[rid].short_title,
            key="nr_source",
        )
        st.download_button(
            "Ladda ned källomgångens regelfil (TOML)",
            lambda: store.rounds.round_toml(source).encode("utf-8"),
            file_name=f"{source}.toml",
            mime="application/toml",
            on_click="ignore",
            key="nr_download_source",
        )
        if draft := edit_form(store, refs[source]):
            propose(store, draft)
        review(store, "copy", source)  # what changed, the checks, and the save button (the page reruns after a save)
if tabs[1].open:
    with tabs[1]:
        upload = st.file_uploader(
            f"Regelfil (TOML, högst {MAX_BYTES // (1024 * 1024)} MB)", type=["toml"], key="nr_upload"
        )
        reason = st.text_input("Anledning (skrivs i granskningsloggen)", key="nr_upload_reason")
        clicked = upload is not None and st.button(REVIEW_LABEL, type="primary", key="nr_upload_review")
        if clicked and (draft := file_draft(store, upload.getvalue(), reason)):
            propose(store, draft)
        review(store, "file")
if tabs[2].open:
    with tabs[2]:
        rid = st.selectbox(
            "Omgång",
            list(refs),
            index=list(refs).index(chosen.id),
            format_func=lambda r: refs[r].short_title,
            key="nr_versions",
        )
        figures_table(display_frame(store.rounds.round_versions(rid)))
        st.caption(f"Den senast sparade versionen av {plain(refs[rid].short_title)} är den som sidorna visar.")
