"""Logging in through a real OIDC provider in the browser tests: the provider (oidc-provider-mock on loopback,
knowing the test users of tests/app_helpers.py), the app's ``[auth]`` for it, and a login through its form.

The fixtures ``oidc_server`` and ``context`` are in tests/browser/conftest.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

from tests.app_helpers import USERS
from tests.browser.conftest import expect, wait_idle


@contextmanager
def oidc_provider() -> Iterator[str]:
    """A provider on a free loopback port that knows every test user; yields its URL."""
    import httpx
    import oidc_provider_mock

    with oidc_provider_mock.run_server_in_thread() as server:
        url = f"http://127.0.0.1:{server.server_port}"
        for user in USERS.values():
            response = httpx.put(
                f"{url}/users/{quote(user.login)}",
                json={"email": user.login, "email_verified": True, "name": user.name},
            )
            assert response.status_code == 204
        yield url


def oidc_auth(provider: str) -> dict[str, str]:
    """The app's ``[auth]`` section for ``provider`` (``running_app`` adds the redirect address)."""
    return {
        "cookie_secret": "e2e-only-cookie-secret",
        "client_id": "statsbidrag",
        "client_secret": "e2e-only",
        "server_metadata_url": f"{provider}/.well-known/openid-configuration",
    }


def log_in(context, app_url: str, who: str):  # type: ignore[no-untyped-def]
    """Log in as ``USERS[who]`` through the provider's form; returns the page, back on the dashboard."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.console_errors = errors
    page.goto(app_url)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_placeholder("sub").fill(USERS[who].login)  # the provider's own login form
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{app_url}/**")
    expect(page.get_by_test_id("stSidebar")).to_contain_text(f"Inloggad som {USERS[who].name}")
    wait_idle(page)
    return page
