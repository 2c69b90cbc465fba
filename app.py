"""The dashboard's frame: page config, login, navigation by role, the shared sidebar, the footer."""

import streamlit as st

from store.access import ROLE_SV, Action, Role
from store.db import DB_ERRORS, StoreError
from store.model import AccessDenied
from ui import browser_sv
from ui.addresses import requested_path, unknown_page
from ui.auth import OPEN_BANNER, describe, local_banner
from ui.example_data import example_data_banner, first_start_offer
from ui.rounds import round_picker
from ui.scenarios import scenario_selector
from ui.state import session_or_stop
from ui.text import plain

st.set_page_config(page_title="Statsbidrag till regionerna", page_icon="📊", layout="wide")
browser_sv.install()  # lang="sv" and Streamlit's own texts in Swedish (see the module)

session = session_or_stop()  # shows the login page and stops when nobody is logged in
principal = session.principal
is_region = principal.role is Role.REGION

# Pages live in sub-folders of pages/ (one per section). Streamlit runs top-level pages/*.py as legacy
# pages until st.navigation has run once in the process: a shared link that is the first request after a
# restart would run such a page without this frame, or show "Page not found". So every url_path below
# has a shim pages/<url_path>.py that only runs this file (tests/test_navigation.py, tests/browser).
# Each role sees only its pages; the service layer refuses the rest whatever the URL asks for.
# Streamlit serves its default page at "/" only (its url_path is ignored), so /oversikt would be "Page
# not found": the default is a hidden start page that opens the role's first page at its own address.
overview = st.Page("pages/overview/overview.py", title="Översikt", icon=":material/dashboard:", url_path="oversikt")
simulator = st.Page("pages/at/simulator.py", title="Simulering", icon=":material/stairs:", url_path="at")
preview = st.Page(
    "pages/region/preview.py",
    title="Förhandsbesked" if is_region else "Förhandsbesked för en region",
    icon=":material/location_on:",
    url_path="region",
)
elderly = st.Page("pages/elderly/followup.py", title="Uppföljning", icon=":material/elderly:", url_path="aldreomsorg")
decision = st.Page("pages/decision/decision.py", title="Beslut", icon=":material/gavel:", url_path="beslut")
deadlines = st.Page("pages/deadlines/status.py", title="Tidsfrister", icon=":material/event:", url_path="tidsfrister")
data = st.Page(
    "pages/data/import_export.py", title="Data, import och export", icon=":material/database:", url_path="data"
)
rounds = st.Page("pages/admin/rounds.py", title="Bidragsomgångar", icon=":material/edit_note:", url_path="omgangar")
users = st.Page("pages/admin/users.py", title="Användare och roller", icon=":material/group:", url_path="anvandare")

# The rounds are data: the pages below work on the round chosen in the sidebar (or on all of them).
if is_region:
    sections = {"Vald bidragsomgång": [preview, elderly, decision], "Alla omgångar": [deadlines]}
else:
    sections = {
        "Översikt": [overview],
        "Vald bidragsomgång": [simulator, preview, elderly, decision],
        "Alla omgångar": [deadlines, data],
    }
    admin = [
        page for page, action in ((rounds, Action.EDIT_ROUNDS), (users, Action.MANAGE_USERS)) if session.may(action)
    ]
    if admin:
        sections["Administration"] = admin
first_page = preview if is_region else overview
home = st.Page(lambda: None, title="Start", url_path="start", default=True, visibility="hidden")
sections[next(iter(sections))].insert(0, home)
# An address no page of this user answers gets a page of its own saying so in Swedish (ui/addresses.py).
known = ["start", *(page.url_path for pages in sections.values() for page in pages)]
if (lost := unknown_page(requested_path(), known, first_page)) is not None:
    sections[next(iter(sections))].append(lost)
navigation = st.navigation(sections)
if navigation is home:  # before any widget binds a query parameter, so the address keeps them all
    st.switch_page(first_page, query_params=st.query_params.to_dict())

regions = session.rounds.regions(session.rounds.latest_population_date())
with st.sidebar:
    if principal.login != "local":
        region_name = next((r.name for r in regions if r.code == principal.region), None)
        st.markdown(f"Inloggad som **{plain(describe(principal, region_name))}**")
        st.button("Logga ut", on_click=st.logout, icon=":material/logout:", key="logout")
    chosen = round_picker(session)
    if session.may(Action.READ_SCENARIOS) and chosen is not None:
        scenario_selector(session, chosen.id)
    st.date_input(
        "Per datum",
        key="as_of",
        bind="query-params",
        format="YYYY-MM-DD",
        help="Datum som tidsfrister och status visas för.",
    )
    if principal.login == "local":
        st.text_input(
            "Ditt namn",
            key="actor_name",
            help="Skrivs i granskningsloggen vid varje ändring (i lokalt läge finns ingen inloggning).",
            placeholder="För- och efternamn",
        )

if principal.login == "local":  # on the network only by explicit opt-in (ui.auth.principal_or_stop refuses otherwise)
    if (banner := local_banner()) == OPEN_BANNER:
        st.error(banner, icon=":material/public:")
    else:
        st.warning(banner, icon=":material/warning:")
elif principal.role is Role.MANAGER:
    st.info(
        f"Du är inloggad som {ROLE_SV[Role.MANAGER]}: du ser allt men kan inte ändra något.",
        icon=":material/visibility:",
    )

example_data_banner(session)  # "Exempeldata – fiktiva uppgifter" on every page while the store holds it
first_start_offer(session)  # staff, an empty store: load example data with one button, or say no

if session.may(Action.EDIT_ROUNDS):  # a rules file in data/rounds that could not be read is not silently missing
    for problem in session.rounds.round_problems():
        st.error(
            f"**Regelfilen {plain(problem.file)} lästes inte in** och omgången visas inte: {plain(problem.message_sv)}",
            icon=":material/error:",
        )

try:
    navigation.run()
except AccessDenied as exc:  # the service layer refused (and logged) what this page asked for
    st.error(plain(exc.message_sv), icon=":material/block:")
except StoreError as exc:  # the database file could not be read or written (disk full, damaged file)
    st.error(plain(exc.message_sv), icon=":material/error:")
except DB_ERRORS as exc:  # PostgreSQL: the server went away in the middle of a run
    st.error(f"**Databasservern svarar inte.** Försök igen om en stund. ({plain(exc)})", icon=":material/error:")

database = f" · databas {session.label}" if session.may(Action.BACKUP) else ""
rules = f" · regler för {chosen.short_title} version {chosen.version}" if chosen else ""
st.caption(f"Data: befolkning {session.rounds.latest_population_date():%Y-%m-%d} (SCB){plain(rules)}{database}")
