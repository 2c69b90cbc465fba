"""Floor of Uppföljning (``pages/elderly/followup.py``) with AT 2023 chosen (a round whose regions report).

Mirrors: title, caption, and the reports' follow-up as one styled HTML table (7 columns × 21 rows).
"""

import streamlit as st
from static import table_html, text

st.title(text(30))
st.caption(text(86))
st.html(table_html(7, css=300, cell=11))
