"""Förhandsbesked för en region: what it can expect, and how sure that is given the other regions."""

from datetime import date

import streamlit as st

from allocation.fixed import BASIS_SV, ESTIMATE
from allocation.milestones import needs_attention
from present import formats as f
from store.access import Action
from store.model import AccessDenied
from ui.block_preview import block_preview
from ui.deadlines import cells_as_of
from ui.preview import region_in_address
from ui.preview_first import at_first_figure, show_first
from ui.preview_whatif import what_if
from ui.rounds import chosen_round
from ui.state import session_or_stop
from ui.text import plain

REGION_KEY = "pv_region"
URL_SEEN = "pv_region_url"  # the last ?pv_region= this page has read or written

store = session_or_stop()
ref = chosen_round(store)
as_of: date = st.session_state.get("as_of") or date.today()
regions = {r.code: r for r in store.regions(store.latest_population_date())}
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


def show_fixed(round_id: str, code: str) -> None:
    """A round of fixed amounts: the region's maximum, what it has requisitioned, and its deadlines."""
    store.require_region(Action.READ_AMOUNTS, code, round_id)
    amount, basis, _ = store.fixed_amounts(round_id)[code]
    cells = [c for c in cells_as_of(store, as_of, [round_id]) if c.code == code]
    e1, e2 = st.columns(2)
    e1.metric(f"Högsta belopp ({BASIS_SV[basis].lower()})", f.kr(amount))
    requisitioned = sum(r.amount for r in store.requisitions(round_id) if r.code == code and r.received <= as_of)
    e2.metric("Rekvirerat", f.kr(requisitioned))
    if basis == ESTIMATE:
        st.markdown(
            "Sidan visar en **uppskattning** av regionens högsta belopp efter befolkningsandel: den officiella "
            "tabellen med varje regions belopp är inte inläst ännu."
        )
    else:
        st.markdown("Sidan visar regionens högsta belopp enligt den **officiella tabellen**.")
    st.markdown("\n".join(f"- **{plain(c.milestone)}**: {plain(c.result.text_sv)}" for c in cells))
    if needs_attention(cells):
        st.warning("Minst en tidsfrist är försenad eller nära (högst 14 dagar kvar).")


if ref.kind == "performance":
    at_round = store.at_round(ref.id)
    st.caption(
        f"Vad kan regionen räkna med från {plain(ref.short_title)}? Först det mest tillförlitliga belopp som "
        "finns just nu; sedan, för sig, vad fler tjänster kan ge."
    )
elif ref.kind == "blocks":
    st.caption(f"{plain(ref.short_title)}: vad regionen kan räkna med, i allt och per block.")
else:
    st.caption(f"{plain(ref.short_title)}: fasta belopp per region, som regionen rekvirerar.")
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
except AccessDenied as exc:
    st.error(plain(exc.message_sv), icon=":material/block:")
    st.stop()
if ref.kind == "blocks":
    block_preview(store, ref, code)
elif ref.kind != "performance":
    show_fixed(ref.id, code)
else:
    figure, snapshot, figures = at_first_figure(store, at_round, code)
    show_first(figure, snapshot, ref.short_title, code)
    what_if(store, ref, at_round, code, regions[code].name, figures, decided=snapshot is not None)
