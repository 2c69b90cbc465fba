"""The dashboard's frame: page config, navigation, the sidebar shared by every page, the footer."""

import streamlit as st

from ui.scenarios import scenario_selector
from ui.state import store_or_stop

st.set_page_config(page_title="Statsbidrag till regionerna", page_icon="📊", layout="wide")

# Pages live in sub-folders of pages/ (one per section), never as pages/*.py: Streamlit treats top-level
# pages/*.py as legacy multipage scripts until st.navigation first runs, so a deep link as the first
# request after a restart would run the page without this frame (tested in tests/browser).
navigation = st.navigation(
    {
        "AT-tjänster 2023": [
            st.Page("pages/at/simulator.py", title="Simulering", icon=":material/stairs:", url_path="at", default=True),
        ],
        "Data": [
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
