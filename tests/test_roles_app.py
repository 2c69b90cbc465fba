"""AppTest of login and roles: what each role is shown, and crafted URL parameters and session state.

The real OIDC round trip (provider, redirect, cookie) is tested in Chromium in
tests/browser/test_login.py; here ``at.user`` stands in for the logged-in user.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from allocation.fixed import Requisition
from present.formats import kr
from store.model import User
from store.service import Store
from tests.app_helpers import CLI, USERS, app, logged_in
from tests.markdown_text import shown
from tests.report_helpers import positions
from ui import auth
from ui.auth import login_keys, principal_from_claims


@pytest.fixture
def store(store: Store) -> Store:
    for user in USERS.values():
        store.users.save_user(CLI, "test", user)
    store.reports.record_report(CLI, "test", "at-2023", positions("01", 321, 0, received=date(2023, 10, 1)))
    store.reports.record_report(CLI, "test", "at-2023", positions("03", 60, 0, received=date(2023, 10, 1)))
    store.followup.record_ombud(CLI, "test", "01", date(2023, 6, 1))
    store.followup.record_requisition(
        CLI, "test", "elderly-2023", Requisition("01", date(2023, 9, 1), 1_234_567, "R-01")
    )
    return store


def login(who: str | None, email: str | None = None) -> AppTest:
    """The app with login configured, logged in as ``USERS[who]`` (or ``email``), or as nobody."""
    return logged_in(app(), USERS[who] if who else None, email)


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "markdown", "caption", "error", "warning", "info") for e in at.get(kind)]
    parts += [h.proto.body for h in at.get("html")]
    return "\n".join(shown(p) for p in parts)


def page_urls(at: AppTest) -> set[str]:
    """The url paths of the pages st.navigation registered for this user (AppTest keeps them)."""
    return {str(info["url_pathname"]) for info in at._registered_pages.values()}


def refusals(store: Store) -> list[tuple[str, str]]:
    return [tuple(r) for r in store.query("SELECT role, entity_key FROM audit_log WHERE action = 'refused'")]


def test_local_mode_without_auth_is_staff_with_a_banner(store: Store) -> None:
    at = app().run()
    assert not at.exception
    assert any("Lokalt läge utan inloggning" in w.value for w in at.warning)
    assert at.text_input(key="actor_name")  # the name for the audit log (no login to take it from)


def test_require_auth_refuses_to_run_without_auth(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STATSBIDRAG_REQUIRE_AUTH", "1")
    at = app().run()
    assert not at.exception
    assert "Inloggning krävs" in at.error[0].value
    # nothing else is shown: only the (invisible) script that makes Streamlit's own texts Swedish
    assert not at.metric and all("statsbidrag-sv" in h.proto.body for h in at.get("html"))


def test_with_auth_nobody_gets_in_without_logging_in(store: Store) -> None:
    at = login(None).run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Logga in"]
    assert "Stockholm" not in texts(at) and not at.metric


def test_a_login_without_a_role_is_refused_and_logged(store: Store) -> None:
    at = login("", email="okand@example.se").run()
    assert not at.exception
    assert "Ingen behörighet" in texts(at) and "okand@example.se" in shown(at.error[0].value)
    assert [b.label for b in at.button] == ["Logga ut"]
    assert refusals(store) == [("ingen roll", "okand@example.se")]


def test_a_deactivated_user_is_refused(store: Store) -> None:
    store.users.save_user(CLI, "slutat", User("mats@myndighet.se", "Mats Chef", "chef", active=False))
    at = login("manager").run()
    assert "Ingen behörighet" in texts(at)


def test_a_region_user_sees_only_its_pages_and_its_region(store: Store) -> None:
    at = login("region").run()
    assert not at.exception
    assert page_urls(at) == {"", "region", "aldreomsorg", "beslut", "tidsfrister"}  # "": the hidden start page
    assert at.title[0].value == "Förhandsbesked för Uppsala"
    region = at.selectbox(key="pv_region")
    assert region.options == ["Uppsala"] and region.disabled
    assert "Ulla Uppsala (region Uppsala)" in texts(at)
    assert not any(b.label == "Logga in" for b in at.button)

    at.session_state["omgang"] = "elderly-2023"  # the sidebar's round picker
    at.switch_page("pages/elderly/followup.py").run()
    assert not at.exception
    shown = texts(at)
    assert "Uppsala" in shown and "Stockholm" not in shown and kr(1_234_567) not in shown
    assert not any("Registrera" in t.label for t in at.tabs)

    at.switch_page("pages/deadlines/status.py").run()
    assert not at.exception
    assert "Stockholm" not in texts(at)


def test_a_crafted_url_for_another_region_is_refused(store: Store) -> None:
    at = login("region")
    at.query_params["pv_region"] = "01"
    at.run()
    assert not at.exception
    assert "inte region 01" in at.error[0].value
    assert at.selectbox(key="pv_region").value == "03"
    assert "Stockholm" not in at.title[0].value
    assert refusals(store) == [("region 03", "01")]


def test_crafted_session_state_for_another_region_is_refused(store: Store) -> None:
    at = login("region")
    at.session_state["pv_region"] = "01"  # as if the session had been steered to Stockholm
    at.run()
    assert not at.exception
    assert "inte region 01" in at.error[0].value
    assert at.selectbox(key="pv_region").value == "03"
    assert ("region 03", "01") in refusals(store)


def test_a_region_user_cannot_open_staff_pages_by_address(store: Store) -> None:
    """Pages a role may not use are not registered at all: their scripts never run for it.

    (In the browser, tests/browser/test_login.py opens their addresses as a region user.)
    """
    at = login("region").run()
    for page in ("pages/at/simulator.py", "pages/data/import_export.py", "pages/admin/users.py"):
        with pytest.raises(ValueError, match="registered"):
            at.switch_page(page)


def test_a_manager_reads_everything_and_cannot_save(store: Store) -> None:
    at = login("manager").run()
    assert not at.exception
    assert page_urls(at) == {"", "oversikt", "at", "region", "aldreomsorg", "beslut", "tidsfrister", "data"}
    at.switch_page("pages/at/simulator.py").run()
    assert not at.exception
    assert not any(b.label == "Spara scenario" for b in at.get("form_submit_button"))
    assert any("läsbehörighet" in i.value for i in at.info)
    at.switch_page("pages/data/import_export.py").run()
    assert [t.label for t in at.tabs] == ["Tabeller och export", "Granskningslogg"]
    at.session_state["omgang"] = "elderly-2023"  # the sidebar's round picker
    at.switch_page("pages/elderly/followup.py").run()
    assert kr(1_234_567) in texts(at) and not at.tabs


def test_staff_manage_users_on_the_admin_page(store: Store) -> None:
    at = login("staff").run()
    assert "anvandare" in page_urls(at)
    at.switch_page("pages/admin/users.py").run()
    assert not at.exception
    at.text_input(key="user_login").input("Per@RegionSkane.se")
    at.text_input(key="user_name").input("Per Skåne")
    at.selectbox(key="user_role").select("region")
    at.selectbox(key="user_region").set_value("12")
    at.text_input(key="user_reason").input("ny kontakt")
    at.get("form_submit_button")[0].click().run()
    assert not at.exception
    assert store.users.user("per@regionskane.se") == User("per@regionskane.se", "Per Skåne", "region", "12")
    # The page runs again to show the new table; the confirmation is still there (not lost with the rerun).
    # The address as a code span: no autolink, and no invisible character comes along when it is copied.
    assert [s.value for s in at.success] == ["Användaren `per@regionskane.se` är tillagd."]
    (entry,) = store.query("SELECT actor, role FROM audit_log WHERE entity = 'users' AND entity_key LIKE 'per@%'")
    assert entry == ("Sara Handläggare", "handläggare")


def test_an_unverified_email_address_is_not_trusted(store: Store) -> None:
    """Some providers let users set any address: it is matched only when the provider verified it."""
    at = login("staff")
    at.user = at.user | {"email_verified": False}
    at.run()
    assert "Ingen behörighet" in texts(at)
    assert login_keys({"email": "a@x.se", "sub": "s1"}, {}) == ["s1"]
    assert login_keys({"email": "a@x.se", "sub": "s1"}, {"trust_unverified_email": True}) == ["a@x.se", "s1"]
    assert login_keys({"email": "a@x.se", "email_verified": True, "sub": "s1"}, {}) == ["a@x.se", "s1"]


def test_an_unreadable_secrets_file_shows_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A broken secrets file must not fall back to the local staff mode (fail closed)."""
    broken = tmp_path / "secrets.toml"
    broken.write_text("[auth\nclient_id = ", encoding="utf-8")
    monkeypatch.setattr(auth.st.secrets, "load_if_toml_exists", lambda: False)
    monkeypatch.setattr(auth.config, "get_option", lambda name: [str(broken)])
    with pytest.raises(auth.SecretsUnreadable):
        auth.auth_configured()
    broken.unlink()
    assert auth.auth_configured() is False  # no file at all: the local mode


def test_roles_from_token_claims_when_configured() -> None:
    config = {"role_claim": "statsbidrag_roll", "region_claim": "lan"}
    codes = {"01", "03"}
    claims = {"email": "x@region.se", "name": "X", "statsbidrag_roll": "region", "lan": "03"}
    principal = principal_from_claims(claims, None, config, codes)
    assert principal is not None and principal.region == "03"
    assert principal_from_claims(claims | {"lan": "99"}, None, config, codes) is None  # unknown län
    assert principal_from_claims(claims | {"statsbidrag_roll": "admin"}, None, config, codes) is None
    assert principal_from_claims(claims, None, {}, codes) is None  # claims not configured: table only
    table = User("x@region.se", "X", "chef")
    assert principal_from_claims(claims, table, config, codes).role == "chef"  # the table wins
    assert principal_from_claims(claims, User("x@region.se", "X", "chef", active=False), config, codes) is None


def test_a_url_value_that_is_no_region_is_ignored_and_not_logged(store: Store) -> None:
    at = login("region")
    at.query_params["pv_region"] = "01' <script>x</script>" + "A" * 5000
    at.run()
    assert not at.exception and not at.error
    assert at.selectbox(key="pv_region").value == "03"
    assert refusals(store) == []


def test_only_staff_get_the_rounds_page(store: Store) -> None:
    assert "omgangar" in page_urls(login("staff").run())
    for who in ("manager", "region"):
        at = login(who).run()
        assert "omgangar" not in page_urls(at)
        with pytest.raises(ValueError, match="registered"):
            at.switch_page("pages/admin/rounds.py")
