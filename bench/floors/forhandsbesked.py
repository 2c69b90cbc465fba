"""Floor of Förhandsbesked för en region (``pages/region/preview.py``) for staff, AT 2023 chosen.

Mirrors: title, caption, the region select box (21 regions); a container with a text, one metric in one
column and a text; a subheader; two columns: on the left two texts, three number inputs in three columns and
a text, on the right a radio, two sliders in two columns and a text; a container with a metric, a text, an
HTML column chart (a figure of 9 bar rows, 61 spans) and a download button; a collapsed expander with a
slider, a slider and a number input in two columns and a container of two texts.
"""

import streamlit as st
from static import CODES, NAMES, bars_html, text

st.title(text(28))
st.caption(text(147))
st.selectbox("Region", [f"{c} {n}" for c, n in zip(CODES, NAMES, strict=True)], key="pv_region")
with st.container():
    st.markdown(text(167))
    (column,) = st.columns(1)
    column.metric(text(20), "5,0 mnkr", help=text(40))
    st.markdown(text(114))
st.subheader(text(26))
left, right = st.columns(2)
with left:
    st.markdown(text(110))
    st.markdown(text(51))
    for column, label in zip(st.columns(3), ("Planerat", "Tillsatta", "Påbörjade"), strict=True):
        column.number_input(label, min_value=0, value=40, key=f"pv_{label}")
    st.markdown(text(36))
with right:
    st.radio(text(20), ["Säkert", "Osäkert"], key="pv_assumption", horizontal=True)
    for column, label in zip(st.columns(2), ("Övriga regioner", "Spridning"), strict=True):
        column.slider(label, 0, 10, 3, key=f"pv_{label}")
    st.markdown(text(316))
with st.container():
    st.metric(text(20), "5,0 mnkr")
    st.markdown(text(93))
    st.html(bars_html(9, 7, css=2190))
    st.download_button("Ladda ned (CSV)", lambda: "x", file_name="f.csv", on_click="ignore", key="pv_download")
with st.expander(text(30), expanded=False):
    st.slider(text(20), 0, 100, 50, key="pv_share")
    c1, c2 = st.columns(2)
    c1.slider(text(20), 0, 10, 2, key="pv_sd")
    c2.number_input("Slumpfrö", value=2024, key="pv_seed")
    with st.container():
        st.markdown(f"**{text(30)}** {text(100)}")
        st.markdown(text(240))
