"""Floor of Beslut (``pages/decision/decision.py``) for staff, AT 2023 chosen and not yet decided.

Mirrors: title; five lazy tabs of which the last ("Fatta beslut", the default when nothing is decided) is open,
holding a select box, a text, two alerts, two texts and an alert.
"""

import streamlit as st
from static import text

st.title(text(25))
names = ["Beslut", "Dokument", "Utbetalning", "Betalningsuppgifter", "Fatta beslut"]
tabs = st.tabs(names, key="beslut_flik", on_change="rerun", default=names[-1])
if tabs[-1].open:
    with tabs[-1]:
        st.selectbox("Pott", [text(40), text(30)], key="decide_pot")
        st.markdown(f"**{text(18)}**")
        st.warning(text(111), icon=":material/warning:")
        st.error(text(76), icon=":material/error:")
        st.markdown(text(147))
        st.markdown(text(57))
        st.info(text(53), icon=":material/info:")
