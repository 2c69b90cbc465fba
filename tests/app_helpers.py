"""What the AppTest and browser tests of the whole app share: the test users, the command line's actor, the
``[auth]`` secrets of a provider that is never called, and an app logged in as a user.

In AppTest ``at.user`` stands in for the login (the real OIDC round trip is tests/browser/test_login.py, whose
provider knows the same ``USERS``).
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from store.model import Actor, User

CLI = Actor("test", "handläggare (kommandorad)")
USERS = {
    "staff": User("sara@myndighet.se", "Sara Handläggare", "handläggare"),
    "manager": User("mats@myndighet.se", "Mats Chef", "chef"),
    "region": User("ulla@regionuppsala.se", "Ulla Uppsala", "region", "03"),
}
UPPSALA = USERS["region"]
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test-only-cookie-secret",
    "client_id": "statsbidrag",
    "client_secret": "test-only",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


def app(timeout: float = 60) -> AppTest:
    """The whole app (``app.py``, the frame with its navigation), not yet run."""
    return AppTest.from_file("../app.py", default_timeout=timeout)


def logged_in(at: AppTest, user: User | None, email: str | None = None) -> AppTest:
    """``at`` with login configured and ``user`` logged in (by ``email`` instead when given: an address the
    store may not know); ``user`` and ``email`` None: nobody logged in."""
    at.secrets["auth"] = AUTH
    if user is None and email is None:
        at.user = {"is_logged_in": False}
        return at
    address = email or (user.login if user else "")
    name = user.name if user else address
    at.user = {"is_logged_in": True, "email": address, "email_verified": True, "name": name, "sub": f"id-{address}"}
    return at
