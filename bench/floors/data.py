"""Floor of Data, import och export (``pages/data/import_export.py``) for staff, AT 2023 chosen.

Mirrors: title; five lazy tabs bound to ``?flik=``, the open one (import of reports) holding a subheader, a select
box, two texts, a file uploader, a data frame of the reports (17 rows × 9 columns), a subheader and a select box.
"""

import pandas as pd
import streamlit as st
from static import CODES, NAMES, PLANNED, text

st.title(text(23))
names = ["Importera rapporter", "Rekvisitioner", "Tabeller och export", "Säkerhetskopia", "Granskningslogg"]
tabs = st.tabs(names, key="flik", on_change="rerun", bind="query-params")
if tabs[0].open:
    with tabs[0]:
        st.subheader(text(21))
        st.selectbox("Bidragsomgång", [text(7), text(20)], key="import_round")
        st.markdown(text(98))
        st.markdown(text(355))
        st.file_uploader(text(60), type=["csv", "xlsx"], key="import_file")
        rows = range(17)
        st.dataframe(
            pd.DataFrame(
                {
                    "Länskod": [CODES[i] for i in rows],
                    "Region": [NAMES[i] for i in rows],
                    "Tillsatta": [PLANNED[i] + 1 for i in rows],
                    "Påbörjade": [PLANNED[i] - 1 for i in rows],
                    "Avräknade (tidigare omgång)": [0 for _ in rows],
                    "Planerat (ändrat)": ["" for _ in rows],
                    "Mottaget": ["2023-10-30" for _ in rows],
                    "Källa": [text(31) for _ in rows],
                    "Uppdaterad": ["2026-12-05 19:57:39" for _ in rows],
                }
            ),
            hide_index=True,
        )
        st.subheader(text(33))
        st.selectbox(text(20), [text(14), text(18)], key="correct_region")
