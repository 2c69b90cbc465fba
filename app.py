"""The dashboard's frame: page config and navigation. Pages live in pages/."""

import streamlit as st

st.set_page_config(page_title="Statsbidrag till regionerna", page_icon="📊", layout="wide")

navigation = st.navigation(
    {
        "AT-tjänster 2023": [
            st.Page("pages/at_allocation.py", title="Fördelning", icon=":material/stairs:", default=True),
        ],
    }
)
navigation.run()
