"""Every page of the navigation has its deep-link shim, and no page sits directly in pages/."""

import ast
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from store.service import Store
from tests.app_helpers import CLI, UPPSALA, app, logged_in

ROOT = Path(__file__).resolve().parents[1]


def _pages() -> list[tuple[str, str]]:
    """(script path, url_path) of every st.Page(...) of a script in app.py (the hidden start page is a function)."""
    found = []
    for node in ast.walk(ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", "") == "Page"
            and isinstance(node.args[0], ast.Constant)
        ):
            path = node.args[0].value  # type: ignore[attr-defined]
            url = next(k.value.value for k in node.keywords if k.arg == "url_path")  # type: ignore[attr-defined]
            found.append((path, url))
    return found


def test_every_page_has_a_url_path_and_a_shim_that_runs_the_frame() -> None:
    pages = _pages()
    assert len(pages) >= 2
    for path, url in pages:
        assert (ROOT / path).is_file(), path
        assert Path(path).parent != Path("pages"), f"{path}: pages go in a section folder"
        shim = ROOT / "pages" / f"{url}.py"
        assert shim.is_file(), f"missing deep-link shim {shim}"
        assert 'runpy.run_path(str(Path(__file__).resolve().parent.parent / "app.py")' in shim.read_text()


def test_no_other_top_level_page_files() -> None:
    shims = {f"{url}.py" for _, url in _pages()}
    assert {p.name for p in (ROOT / "pages").glob("*.py")} == shims


def test_an_address_is_unknown_when_no_page_answers_it_and_a_page_can_take_it() -> None:
    from ui.addresses import unknown

    known = ["start", "oversikt", "at"]
    assert unknown("finns-inte", known) and unknown("/finns inte/", known) and unknown("åäö", known)
    assert not unknown("", known) and not unknown("at", known) and not unknown("/at/", known)
    assert not unknown("a/b", known)  # a nested address never reaches the app (the module's docstring)


def test_the_requested_address_is_read_where_streamlit_keeps_it() -> None:
    """``ui.addresses.requested_path`` reads Streamlit's private record of the address a run was asked for
    (checked on Streamlit 1.67; the AppTests below replace the function, so this pins the attribute itself)."""
    from unittest import mock

    from streamlit.runtime.pages_manager import PagesManager

    from ui.addresses import requested_path

    manager = PagesManager("app.py")
    manager.set_script_intent("", "finns-inte")
    with mock.patch("ui.addresses.get_script_run_ctx", return_value=mock.Mock(pages_manager=manager)):
        assert requested_path() == "finns-inte"
    with mock.patch("ui.addresses.get_script_run_ctx", return_value=None):
        assert requested_path() == ""


def _asked_for(path: str, monkeypatch: pytest.MonkeyPatch, at: AppTest | None = None) -> AppTest:
    """The app as a browser that asked for ``/path`` sees it. AppTest sends no address, so the frame is told
    the address, and Streamlit is asked for the page at that address as a browser's request asks for it."""
    monkeypatch.setattr("ui.addresses.requested_path", lambda: path)
    at = (app() if at is None else at).run()
    pages = {info.get("url_pathname"): page_hash for page_hash, info in at._registered_pages.items()}
    if path in pages:  # switch_page takes a file; a callable page is asked for by its hash
        at._page_hash = pages[path]
        at.run()
    return at


def test_an_unknown_address_gets_a_swedish_page_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    at = _asked_for("finns-inte", monkeypatch)
    assert not at.exception
    assert [t.value for t in at.title] == ["Sidan finns inte"]
    said = next(m.value for m in at.markdown if "leder inte till någon sida här" in m.value)
    assert "`/finns-inte`" in said
    link = at.get("page_link")[0].proto
    assert link.label == "Till startsidan: Översikt" and link.page == "oversikt"
    assert any(c.value.startswith("Data: befolkning") for c in at.caption)  # in the frame, to its last line


def test_the_start_addresses_open_the_first_page(monkeypatch: pytest.MonkeyPatch) -> None:
    for path in ("", "start"):
        at = _asked_for(path, monkeypatch)
        assert not at.exception
        assert "Sidan finns inte" not in [t.value for t in at.title]
        assert "Översikt" in [t.value for t in at.title]


def test_a_page_of_another_role_is_an_unknown_address_for_a_region_user(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.users.save_user(CLI, "test", UPPSALA)
    at = _asked_for("at", monkeypatch, logged_in(app(), UPPSALA))  # the simulator: staff only
    assert not at.exception
    assert [t.value for t in at.title] == ["Sidan finns inte"]
    assert "inte öppen för din roll" in next(m.value for m in at.markdown if "`/at`" in m.value)
    assert at.get("page_link")[0].proto.label == "Till startsidan: Förhandsbesked"
