"""Floor of the app's frame (``app.py``): what every real page is drawn inside, with no project code.

Mirrors, in the same order: ``st.set_page_config`` (same title, icon, wide layout); a hidden ``st.html`` of the
same size (9.4 kB: two style blocks, a span and a script, as ``ui.browser_sv.install``; the script here only
sets the page's language, the real one also translates Streamlit's texts); ``st.navigation`` with the same
sections, titles, icons and addresses as staff see them (a hidden start page and nine pages); the sidebar's
select boxes "Bidragsomgång" (four rounds, bound to ``?omgang=``) and "Aktivt scenario" (bound to
``?scenario=``), the date input "Per datum" (bound to ``?as_of=``) and the text input "Ditt namn"; the local
mode's warning, the example data's notice and its popover (a text and a button); the page; the footer caption.

The simulator's floor depends on the round in the address, as the real page's layout does: AT 2023
(``simulering.py``), the 2024-shaped round (``simulering_2024.py``) or the 2022-shaped one
(``simulering_2022.py``). Run alone: ``streamlit run bench/floors/app.py``.
"""

from datetime import date

import streamlit as st
from static import text

st.set_page_config(page_title="Statsbidrag till regionerna", page_icon="📊", layout="wide")
_HIDE = '<style>div[data-testid="stElementContainer"]:has(#floor-sv) { display: none; }</style>'
_FOCUS = "<style>a:focus-visible, button:focus-visible { outline: 2px solid #1f4e79 !important; } /* %s */</style>"
_SCRIPT = '<span id="floor-sv"></span><script>document.documentElement.lang = "sv";</script>'
st.html(_HIDE + _FOCUS % ("x" * 8_900) + _SCRIPT, unsafe_allow_javascript=True)

ROUNDS = ["AT 2023", "Läkare i äldreomsorgen 2023", "AT 2024 (illustrativ)", "AT 2022 (illustrativ)"]
SIMULATORS = {"AT 2024 (illustrativ)": "simulering_2024.py", "AT 2022 (illustrativ)": "simulering_2022.py"}
simulator_file = SIMULATORS.get(st.query_params.get("omgang", ""), "simulering.py")

overview = st.Page("oversikt.py", title="Översikt", icon=":material/dashboard:", url_path="oversikt")
simulator = st.Page(simulator_file, title="Simulering", icon=":material/stairs:", url_path="at")
preview = st.Page(
    "forhandsbesked.py", title="Förhandsbesked för en region", icon=":material/location_on:", url_path="region"
)
elderly = st.Page("uppfoljning.py", title="Uppföljning", icon=":material/elderly:", url_path="aldreomsorg")
decision = st.Page("beslut.py", title="Beslut", icon=":material/gavel:", url_path="beslut")
deadlines = st.Page("tidsfrister.py", title="Tidsfrister", icon=":material/event:", url_path="tidsfrister")
data = st.Page("data.py", title="Data, import och export", icon=":material/database:", url_path="data")
rounds = st.Page("omgangar.py", title="Bidragsomgångar", icon=":material/edit_note:", url_path="omgangar")
users = st.Page("anvandare.py", title="Användare och roller", icon=":material/group:", url_path="anvandare")
home = st.Page(lambda: None, title="Start", url_path="start", default=True, visibility="hidden")
navigation = st.navigation(
    {
        "Översikt": [home, overview],
        "Vald bidragsomgång": [simulator, preview, elderly, decision],
        "Alla omgångar": [deadlines, data],
        "Administration": [rounds, users],
    }
)
if navigation is home:
    st.switch_page(overview, query_params=st.query_params.to_dict())

with st.sidebar:
    st.selectbox("Bidragsomgång", ROUNDS, key="omgang", bind="query-params", help=text(150))
    st.selectbox("Aktivt scenario", ["(inget)"], key="scenario", bind="query-params", help=text(80))
    st.date_input("Per datum", value=date(2026, 12, 5), key="as_of", bind="query-params", format="YYYY-MM-DD")
    st.text_input("Ditt namn", key="actor_name", help=text(90), placeholder="För- och efternamn")

st.warning(text(211), icon=":material/warning:")
st.info(text(225), icon=":material/science:")
with st.popover("Ta bort exempeldata", icon=":material/delete:"):
    st.markdown(text(150))
    st.button("Ta bort exempeldata nu", key="example_data_remove", type="primary")

navigation.run()
st.caption(text(97))
