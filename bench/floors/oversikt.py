"""Floor of Översikt (``pages/overview/overview.py``) for staff on the example data, as of the sidebar's date.

Mirrors: title, caption, an info notice; two round cards side by side (``st.columns(2, gap="large")``, each a
bordered container): AT 2023's with a subheader, two texts, two rows of two metrics, a text and a button; the
elderly-care round's with a subheader, a text, three rows of two metrics (five metrics) and a button. Then
"Behöver uppmärksamhet": subheader, info, checkbox, a styled HTML table (6 columns × 21 rows) and an HTML bar
figure (9 rows of 4 spans), a text; "Tidsfrister": subheader, six metrics in six columns, a page link.
"""

import streamlit as st
from static import bars_html, table_html, text

st.title("Översikt")
st.caption(text(59))
st.info(text(233), icon=":material/task_alt:")

cards = (
    (16, [67, 66], [2, 2], 121, "Till simuleringen", ":material/stairs:"),
    (27, [72], [2, 2, 1], 0, "Till uppföljningen", ":material/elderly:"),
)
for column, (heading, texts, metric_rows, after, label, icon) in zip(st.columns(2, gap="large"), cards, strict=True):
    with column, st.container(border=True):
        st.subheader(text(heading))
        for length in texts:
            st.markdown(text(length))
        for count in metric_rows:
            for cell in st.columns(2)[:count]:
                cell.metric(text(14), "12,5 mnkr", help=text(60))
        if after:
            st.markdown(text(after))
        st.button(label, icon=icon, key=f"open_{label}")

st.subheader(text(21))
st.info(text(113), icon=":material/info:")
st.checkbox(text(30), key="attention_all")
st.html(table_html(6, css=300, cell=12))
st.html(bars_html(9, 4, css=1460))
st.markdown(text(172))

st.subheader("Tidsfrister")
for column in st.columns(6):
    column.metric(text(10), 3)
st.page_link("tidsfrister.py", label="Alla tidsfrister", icon=":material/event:")
