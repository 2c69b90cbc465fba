"""Floor of Användare och roller (``pages/admin/users.py``) in local mode.

Mirrors: title, an info notice, a text; a subheader and a bordered form (two text inputs in two columns, two
select boxes and a checkbox in three columns, a text input, the submit button); a subheader and two texts.
"""

import streamlit as st
from static import text

st.title(text(20))
st.info(text(145), icon=":material/info:")
st.markdown(text(54))
st.subheader(text(34))
with st.form("user_form", border=True):
    c1, c2 = st.columns(2)
    c1.text_input("Inloggning (e-post)", key="user_login")
    c2.text_input("Namn", key="user_name")
    c3, c4, c5 = st.columns(3)
    c3.selectbox("Roll", ["handläggare", "chef", "region"], key="user_role")
    c4.selectbox("Region", ["–", "01 Stockholm"], key="user_region")
    c5.checkbox("Aktiv", value=True, key="user_active")
    st.text_input("Varför (skrivs i granskningsloggen)", key="user_reason")
    st.form_submit_button("Spara användaren")
st.subheader(text(18))
st.markdown(text(299))
st.markdown(text(30))
