"""Floor of Bidragsomgångar (``pages/admin/rounds.py``), AT 2023 as the source of a new round.

Mirrors: title, a text; three lazy tabs, the open one ("Ny från en kopia") holding a select box, a download button
and a bordered form: three inputs in three columns, a text input, two in two columns; three bold labels: pots and
steps each above a data editor (2 rows × 2 columns, fixed; 5 rows × 2, dynamic), milestones above a caption and
three bordered containers of a text input and three more in three columns; a file uploader, a text input and the
submit button.
"""

import pandas as pd
import streamlit as st
from static import text

MILESTONES = (
    (text(40), ("", "2023-11-01", "")),
    (text(38), ("", "", "2023-11-01")),
    (text(34), ("2023-12-01", "2023-12-31", "")),
)

st.title(text(15))
st.markdown(text(278))
tabs = st.tabs(["Ny från en kopia", "Från en regelfil", "Versioner"], key="nr_flik", on_change="rerun")
if tabs[0].open:
    with tabs[0]:
        st.selectbox("Utgå från", [text(7), text(27)], key="nr_source")
        st.download_button("Ladda ned regelfilen", "x", file_name="f.toml", key="nr_download")
        with st.form("nr_form", border=True):
            c1, c2, c3 = st.columns([1.2, 1, 0.6])
            c1.text_input("Id (i adresser och filnamn)", value="at-2023-kopia", key="nr_id")
            c2.text_input("Version", value="1.0.0", key="nr_version")
            c3.number_input("År", min_value=2000, max_value=2100, value=2023, key="nr_year")
            st.text_input("Titel", value=text(60), key="nr_title")
            c4, c5 = st.columns(2)
            c4.text_input("Kort titel (menyer)", value="AT 2023", key="nr_short")
            c5.text_input("Diarienummer", value="S2023/00678", key="nr_dnr")
            number = st.column_config.NumberColumn(min_value=0, step=1, format="localized")
            st.markdown("**Pottar**")
            st.data_editor(
                pd.DataFrame({"Pott": [text(55), text(25)], "Belopp (kr)": [254_000_000, 252_000_000]}),
                column_config={"Pott": st.column_config.TextColumn(disabled=True), "Belopp (kr)": number},
                hide_index=True,
                num_rows="fixed",
                key="nr_pots",
            )
            st.markdown(f"**{text(14)}**")
            steps = pd.DataFrame(
                {"Minst antal tjänster utöver plan": [2, 3, 5, 7, 10], "Belopp (kr)": [2, 3, 5, 8, 12]}
            )
            st.data_editor(
                steps,
                column_config={c: number for c in steps.columns},
                hide_index=True,
                num_rows="dynamic",
                key="nr_steps",
            )
            st.markdown("**Milstolpar**")
            st.caption(text(59))
            for i, (label, dates) in enumerate(MILESTONES):
                with st.container(border=True):
                    st.text_input("Milstolpe", value=label, key=f"nr_ms{i}_label")
                    for j, (column, value) in enumerate(zip(st.columns(3), dates, strict=True)):
                        column.text_input(("Från", "Senast", "Efter")[j], value=value, key=f"nr_ms{i}_{j}")
            st.file_uploader(text(100), type=["csv", "xlsx"], key="nr_planned")
            st.text_input("Varför (skrivs i granskningsloggen)", key="nr_reason")
            st.form_submit_button("Spara som ny omgång")
