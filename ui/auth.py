"""Who is using the dashboard: OIDC login through ``st.login``, or the local single-user mode.

- ``[auth]`` in ``.streamlit/secrets.toml``: users log in with OIDC; their role (and region) comes from
  the store's user table, looked up by e-mail address or subject, or else (when configured) from
  claims of the ID token (``[statsbidrag] role_claim`` and ``region_claim``).
- No ``[auth]``: one local user working as staff, with a banner saying so. With
  ``STATSBIDRAG_REQUIRE_AUTH=1`` (or ``[statsbidrag] require_auth = true``) the app refuses to run.
  Staff rights without login are for this machine only: when the server listens on another address than
  loopback, or a request came through a proxy, nobody gets them unless ``STATSBIDRAG_ALLOW_OPEN=1`` (and
  then every page says that the dashboard is open on the network).

The principal is worked out anew on every run from the login cookie (``st.user``) and the store,
never from session state or the URL, which a user can change.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit import config

from store.access import Principal, Role
from store.auth_config import ALLOW_OPEN_ENV, Exposure, exposure, proxied
from store.auth_config import auth_required as config_auth_required
from store.model import User
from store.service import Store
from ui.text import plain

LOCAL_BANNER = (
    "**Lokalt läge utan inloggning.** Alla som når den här adressen arbetar som handläggare och kan ändra data. "
    "För flera användare med roller: konfigurera inloggning (`[auth]` i `.streamlit/secrets.toml`, se README)."
)

OPEN_BANNER = (
    "**Öppet läge utan inloggning, nåbart från nätverket.** Alla som når den här adressen arbetar som "
    "handläggare och kan ändra data: importera, fatta beslut och registrera utbetalningar. Läget är valt "
    f"uttryckligen ({ALLOW_OPEN_ENV}=1). Konfigurera inloggning (`[auth]` i `.streamlit/secrets.toml`, se README) "
    "eller låt tjänsten lyssna på 127.0.0.1."
)
REFUSED_OPEN = (
    "**Tjänsten är nåbar från nätverket men har ingen inloggning.** Utan inloggning arbetar alla som "
    "handläggare, så ingen får arbeta här. Starta den på den här datorn (`make run`, adress 127.0.0.1), "
    "konfigurera inloggning (`[auth]` i `.streamlit/secrets.toml`, se README) eller välj öppet läge uttryckligen "
    f"(`make run ADDRESS=0.0.0.0 ALLOW_OPEN=1`, eller {ALLOW_OPEN_ENV}=1)."
)


class SecretsUnreadable(Exception):
    """A secrets file exists but cannot be read: never fall back to the local staff mode then."""


def _secrets_section(name: str) -> Mapping[str, Any]:
    if not st.secrets.load_if_toml_exists():
        paths = [Path(p) for p in config.get_option("secrets.files")]
        broken = [str(p) for p in paths if p.exists()]
        if broken:  # present but not parsed (Streamlit reloads it on change): fail closed
            raise SecretsUnreadable(", ".join(broken))
        return {}
    section = st.secrets.get(name)
    return section if isinstance(section, Mapping) else {}


def auth_configured() -> bool:
    return bool(_secrets_section("auth"))


def settings() -> Mapping[str, Any]:
    """The app's own settings in ``[statsbidrag]`` of the secrets file."""
    return _secrets_section("statsbidrag")


def auth_required() -> bool:
    """Production setting: refuse to run without login."""
    return config_auth_required(os.environ, settings())


def principal_from_claims(
    claims: Mapping[str, Any], user: User | None, settings: Mapping[str, Any], region_codes: set[str]
) -> Principal | None:
    """The principal for a logged-in user: the user table first, then (if configured) token claims.

    None when the user has no role: not in the table (or deactivated there) and no usable claim.
    """
    email = str(claims.get("email") or "").strip().lower()
    display = str(claims.get("name") or email or claims.get("sub") or "okänd användare")
    if user is not None:
        if not user.active:
            return None
        return Principal(user.name or display, Role(user.role), user.region, login="oidc")
    role_claim = settings.get("role_claim")
    if not role_claim or role_claim not in claims:
        return None
    try:
        role = Role(str(claims[role_claim]).strip().lower())
    except ValueError:
        return None
    region = None
    if role is Role.REGION:
        region = str(claims.get(str(settings.get("region_claim", "")), "")).strip()
        if region not in region_codes:
            return None
    return Principal(display, role, region, login="oidc")


def login_keys(claims: Mapping[str, Any], settings: Mapping[str, Any]) -> list[str]:
    """What to look the user up by: the e-mail address only when the provider says it is verified
    (``email_verified``; or ``trust_unverified_email = true`` for a provider that never sends it),
    since some providers let users set any address; then the subject."""
    keys = []
    email = str(claims.get("email") or "").strip()
    if email and (claims.get("email_verified") is True or settings.get("trust_unverified_email") is True):
        keys.append(email)
    if sub := str(claims.get("sub") or "").strip():
        keys.append(sub)
    return keys


def _lookup(store: Store, claims: Mapping[str, Any]) -> User | None:
    for key in login_keys(claims, settings()):
        if (user := store.users.user(key)) is not None:
            return user
    return None


EXPOSURE_KEY = "_local_exposure"


def local_exposure() -> Exposure:
    """Who can reach this server without login: its listening address, and this session's request headers.

    Kept for the session: the address and environment are the process's, and the headers are those of the
    session's one connection (reading them costs about 1 ms, on every run and page)."""
    known = st.session_state.get(EXPOSURE_KEY)
    if isinstance(known, Exposure):
        return known
    address = st.get_option("server.address")
    found = exposure(address, os.environ, proxied(st.context.headers))
    st.session_state[EXPOSURE_KEY] = found
    return found


def local_banner() -> str:
    return OPEN_BANNER if local_exposure() is Exposure.OPEN else LOCAL_BANNER


def principal_or_stop(store: Store) -> Principal:
    """The principal of this run; shows the login page (and stops) when nobody is logged in."""
    try:
        configured = auth_configured()
    except SecretsUnreadable as exc:
        st.error(
            f"Inställningsfilen för inloggning ({exc}) kan inte läsas. Av säkerhetsskäl visas ingenting förrän "
            "den är rättad."
        )
        st.stop()
    if not configured:
        if auth_required():
            st.error(
                "Inloggning krävs (STATSBIDRAG_REQUIRE_AUTH eller require_auth), men ingen inloggning är "
                "konfigurerad: lägg till avsnittet [auth] i .streamlit/secrets.toml (se README). "
                "Tjänsten startar inte utan inloggning."
            )
            st.stop()
        if local_exposure() is Exposure.REFUSED:
            st.error(REFUSED_OPEN, icon=":material/block:")
            st.stop()
        name = str(st.session_state.get("actor_name", "")).strip()
        return Principal(name, Role.STAFF, login="local")
    if not st.user.is_logged_in:
        st.title("Statsbidrag till regionerna")
        st.write("Logga in med ditt konto för att se fördelning, förhandsbesked och uppföljning.")
        st.button("Logga in", type="primary", on_click=st.login, icon=":material/login:")
        st.stop()
    claims = dict(st.user)
    codes = {r.code for r in store.rounds.regions(store.rounds.latest_population_date())}
    principal = principal_from_claims(claims, _lookup(store, claims), settings(), codes)
    if principal is None:
        who = str(claims.get("email") or claims.get("sub") or "")
        if not st.session_state.get("_refusal_logged"):
            from store.model import Actor

            store.audit.record_refusal(
                Actor(who or "okänd", "ingen roll"), "login", who or "-", "Inloggning utan behörighet"
            )
            st.session_state["_refusal_logged"] = True
        st.title("Ingen behörighet")
        st.error(
            f"Du är inloggad som {plain(who)}, men kontot har ingen roll i tjänsten. "
            "Be en handläggare att lägga till dig under Administration → Användare."
        )
        st.button("Logga ut", on_click=st.logout, icon=":material/logout:")
        st.stop()
    return principal


def describe(principal: Principal, region_name: str | None = None) -> str:
    roles = {Role.STAFF: "handläggare", Role.MANAGER: "chef, läsbehörighet"}
    role = roles.get(principal.role) or f"region {region_name or principal.region}"
    return f"{principal.name} ({role})"
