"""Förhandsbesked för en region: what it can expect, and how sure that is given the other regions.

One path for every round, read as blocks: the first figure (decision, report or plan; a fixed table's amount),
then, apart, what more positions would give for a round with a staircase.
"""

from datetime import date

import streamlit as st

from allocation.preview import Setting
from store.access import Action
from store.model import AccessDenied
from ui.preview import region_in_address
from ui.preview_first import first_figure, show_first
from ui.preview_whatif import simulates, what_if
from ui.rounds import chosen_round
from ui.state import session_or_stop
from ui.text import plain

REGION_KEY = "pv_region"
URL_SEEN = "pv_region_url"  # the last ?pv_region= this page has read or written

store = session_or_stop()
ref = chosen_round(store)
as_of: date = st.session_state.get("as_of") or date.today()
regions = {r.code: r for r in store.rounds.regions(store.rounds.latest_population_date())}
own_region = store.principal.region  # set for a region user: the only region it may preview
st.title(f"Förhandsbesked för {plain(regions[own_region].name)}" if own_region else "Förhandsbesked för en region")

# ?pv_region= takes a län code (01) or a name (Gotland, "Region Gotland", the seed's "Norrbottn"); the page
# writes the code back, so the address bar always names the region shown. A value the page wrote itself is
# not read again while the select box holds its choice: that choice wins over the address it replaces.
from_url: str | None = None
asked = st.query_params.get(REGION_KEY)
if asked is not None and (asked != st.session_state.get(URL_SEEN) or REGION_KEY not in st.session_state):
    st.session_state[URL_SEEN] = asked
    from_url = region_in_address(asked, regions.values())
    if from_url is None:
        shown = asked if len(asked) <= 40 else asked[:40] + "…"
        st.warning(
            f"Adressen anger en region som inte finns: ”{plain(shown)}”. Ange länskod (t.ex. 09) eller namn "
            "(t.ex. Gotland)" + ("." if own_region else ", eller välj regionen i listan nedan."),
            icon=":material/location_off:",
        )
if own_region:
    # A region user may ask only for its own region, whatever the URL (?pv_region=) or the session says:
    # another region is refused (and logged) by the service layer, and the page shows the own region.
    requested = from_url or st.session_state.get(REGION_KEY) or own_region
    if requested != own_region:
        if requested in regions:  # anything else is not a region: not written to the log
            try:
                store.require_region(Action.PREVIEW, requested)
            except AccessDenied as exc:
                st.error(plain(exc.message_sv), icon=":material/block:")
        st.session_state[REGION_KEY] = own_region
elif from_url:
    st.session_state[REGION_KEY] = from_url

setting = Setting.of(store.rounds.block_round(ref.id), store.rounds.recipients(ref.id))
st.caption(
    f"Vad kan regionen räkna med från {plain(ref.short_title)}? Först det mest tillförlitliga belopp som finns just "
    "nu" + ("; sedan, för sig, vad fler tjänster kan ge." if simulates(setting) else ".")
)
code = st.selectbox(
    "Region",
    [own_region] if own_region else list(regions),
    disabled=bool(own_region),
    format_func=lambda c: regions[c].name,
    key=REGION_KEY,
)
st.query_params[REGION_KEY] = st.session_state[URL_SEEN] = code
try:
    store.require_region(Action.PREVIEW, code)  # a widget value is the client's: checked again here
    store.require_region(Action.READ_AMOUNTS, code, ref.id)
except AccessDenied as exc:
    st.error(plain(exc.message_sv), icon=":material/block:")
    st.stop()
figure, snapshot, figures = first_figure(store, setting, code, as_of)
show_first(store, setting, figure, snapshot, ref.short_title, code, as_of)
what_if(store, ref, setting, code, regions[code].name, figures, snapshot)
