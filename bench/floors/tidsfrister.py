"""Floor of Tidsfrister (``pages/deadlines/status.py``) on the example data, every round.

Mirrors: title, caption, an info notice, a text; an HTML timeline (a figure of 13 divs, 47 spans, 10 small);
three multiselects in three columns; six metrics in six columns; an HTML status matrix (a styled table of 6
columns × 21 rows); two download buttons, a select box and a download button in four columns.
"""

import streamlit as st
from static import bars_html, table_html, text

st.title("Tidsfrister")
st.caption(text(78))
st.info(text(337), icon=":material/info:")
st.markdown(text(114))
st.html(bars_html(12, 4, css=2300).replace("<span>", "<span><small>x</small>", 10))
for column, label in zip(st.columns(3), ("Omgång", "Region", "Status"), strict=True):
    column.multiselect(label, [text(12), text(14), text(16)], key=f"tf_{label}", placeholder="Alla")
for column in st.columns(6):
    column.metric(text(10), 4)
st.html(table_html(6, css=2500, cell=11))
c1, c2, c3, c4 = st.columns(4, vertical_alignment="bottom")
c1.download_button("Ladda ned (XLSX)", lambda: b"x", file_name="f.xlsx", on_click="ignore", key="tf_x")
c2.download_button("Ladda ned (CSV)", lambda: "x", file_name="f.csv", on_click="ignore", key="tf_c")
c3.selectbox("Kalender för", ["Alla omgångar", text(20)], key="tf_ics_round")
c4.download_button("Kalender (ICS)", lambda: "x", file_name="f.ics", on_click="ignore", key="tf_ics")
