"""Administration (staff): who may log in with which role, and the published decisions."""

import pandas as pd
import streamlit as st

from store.access import ROLE_SV, Action, Role
from store.model import User, WriteRefused
from ui.auth import auth_configured, settings
from ui.decision_register import decision_rows
from ui.grid import figures_table
from ui.rounds import round_refs
from ui.state import session_or_stop
from ui.tables import display_frame
from ui.text import code, plain

SAVED = "user_saved"  # the confirmation of the last save, shown on the run after the save (st.rerun)

store = session_or_stop()
store.require(Action.READ_USERS)  # refused (and logged) for every other role, whatever the URL says
names = {r.code: r.name for r in store.rounds.regions(store.rounds.latest_population_date())}
st.title("Användare och roller")

if auth_configured():
    claim = settings().get("role_claim")
    st.info(
        "Inloggning med OIDC är på. En användare får sin roll härifrån (sökt på e-postadress, annars på "
        "subject)"
        + (f"; finns hen inte här gäller anspråket ”{claim}” i inloggningstoken." if claim else ".")
        + " Den som saknas här och saknar anspråk kommer inte in.",
        icon=":material/lock:",
    )
else:
    st.warning(
        "Ingen inloggning är konfigurerad: tjänsten körs i lokalt läge och tabellen nedan används "
        "först när [auth] finns i .streamlit/secrets.toml.",
        icon=":material/warning:",
    )

users = store.users.users()
frame = pd.DataFrame(
    [
        {
            "login": u.login,
            "name": u.name,
            "role": ROLE_SV[Role(u.role)],
            "region": f"{names.get(u.region, '')} ({u.region})" if u.region else "",
            "active": "ja" if u.active else "nej",
        }
        for u in users
    ],
    columns=["login", "name", "role", "region", "active"],
)
st.caption(f"{len(users)} användare. Varje ändring skrivs i granskningsloggen.")
if users:  # an empty table would say "empty" in English (drawn on a canvas, out of reach of ui/browser_sv)
    figures_table(display_frame(frame))

st.subheader("Lägg till eller ändra en användare")
if message := st.session_state.pop(SAVED, None):
    st.success(message)
existing = {u.login: u for u in users}
with st.form("user_form", border=True):
    c1, c2 = st.columns(2)
    login = c1.text_input("Inloggning (e-postadress)", key="user_login", placeholder="fornamn.efternamn@region.se")
    name = c2.text_input("Namn", key="user_name")
    c3, c4, c5 = st.columns([2, 3, 1])
    role = c3.selectbox("Roll", list(Role), format_func=lambda r: ROLE_SV[r], key="user_role")
    region = c4.selectbox(
        "Region (endast för rollen region)", list(names), format_func=names.get, key="user_region", index=None
    )
    active = c5.checkbox("Aktiv", value=True, key="user_active")
    reason = st.text_input("Anledning (skrivs i granskningsloggen)", key="user_reason")
    submitted = st.form_submit_button("Spara användare", type="primary")
if submitted:
    user = User(login, name, role.value, region if role is Role.REGION else None, active)
    verb = "ändrad" if login.strip().lower() in existing else "tillagd"
    try:
        changed = store.users.save_user(reason, user)
    except WriteRefused as exc:
        st.error(plain(exc.message_sv))
    else:
        if changed:  # the rerun shows the new table; the message waits for it
            st.session_state[SAVED] = f"Användaren {code(login.strip().lower())} är {verb}."  # copies as typed
            st.rerun()
        st.info("Inget ändrades: användaren har redan de uppgifterna.")

st.subheader("Publicerade beslut")
st.write(
    "När beslutet för en omgång är publicerat får alla regioner se varandras rapporterade utfall, belopp och "
    "rekvisitioner för den omgången. Innan dess ser en region bara sina egna. Beslut fattas och publiceras på "
    "sidan **Beslut**: där låses beräkningen, och breven och utbetalningslistan skapas ur beslutet."
)
register = decision_rows(store, {r.id: r.short_title for r in round_refs(store)})
if register.empty:
    st.caption("Ingen omgång är beslutad ännu.")
else:
    figures_table(display_frame(register))
