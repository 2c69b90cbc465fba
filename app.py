"""The dashboard's frame: page config, navigation, the sidebar shared by every page, the footer."""

import streamlit as st

from ui.scenarios import scenario_selector
from ui.state import store_or_stop

st.set_page_config(page_title="Statsbidrag till regionerna", page_icon="📊", layout="wide")

# Pages live in sub-folders of pages/ (one per section). Streamlit runs top-level pages/*.py as legacy
# pages until st.navigation has run once in the process: a shared link that is the first request after a
# restart would run such a page without this frame, or show "Page not found". So every url_path below
# has a shim pages/<url_path>.py that only runs this file (tests/test_navigation.py, tests/browser).
navigation = st.navigation(
    {
        "Översikt": [
            st.Page(
                "pages/overview/overview.py",
                title="Översikt",
                icon=":material/dashboard:",
                url_path="oversikt",
                default=True,
            ),
        ],
        "AT-tjänster 2023": [
            st.Page("pages/at/simulator.py", title="Simulering", icon=":material/stairs:", url_path="at"),
            st.Page(
                "pages/region/preview.py",
                title="Förhandsbesked för en region",
                icon=":material/location_on:",
                url_path="region",
            ),
        ],
        "Läkare i äldreomsorgen 2023": [
            st.Page(
                "pages/elderly/followup.py", title="Uppföljning", icon=":material/elderly:", url_path="aldreomsorg"
            ),
        ],
        "Uppföljning": [
            st.Page("pages/deadlines/status.py", title="Tidsfrister", icon=":material/event:", url_path="tidsfrister"),
            st.Page(
                "pages/data/import_export.py",
                title="Data, import och export",
                icon=":material/database:",
                url_path="data",
            ),
        ],
    }
)

store = store_or_stop()
with st.sidebar:
    scenario_selector(store)
    st.date_input(
        "Per datum",
        key="as_of",
        bind="query-params",
        format="YYYY-MM-DD",
        help="Datum som tidsfrister och status visas för.",
    )
    st.text_input(
        "Ditt namn",
        key="actor_name",
        help="Skrivs i granskningsloggen vid varje ändring. (Inloggning tillkommer.)",
        placeholder="För- och efternamn",
    )

navigation.run()

at_round = store.at_round("at-2023")
st.caption(
    f"Data: befolkning {at_round.population_date:%Y-%m-%d} (SCB) · regelfil {at_round.id} version "
    f"{at_round.version} · databas {store.path.name}"
)
