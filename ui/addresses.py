"""An address that names no page of this user: the frame answers it itself, in Swedish, at that address.

Streamlit's own answer to an unknown page is a dialog ("Page not found") sent beside a run of the default page;
the frame's default page switches at once to the role's first page, and whether the dialog survives that
switch depends on how the browser receives the two runs (a test once waited 30 s for it in vain). Instead the
frame adds, for this run only, a hidden page at the address asked for: Streamlit then finds a page, sends no
dialog, and the page says in Swedish that the address leads nowhere, with a link to the start page.

One case stays Streamlit's: the first run of a process. Until ``st.navigation`` has run once in the process,
Streamlit serves the files of ``pages/`` (the deep-link shims, see app.py) and, for an address none of them
answers, sends its dialog before it runs the frame. The page below still shows; the dialog beside it says the
same in Swedish (ui/browser_sv.py).

A nested address (``/a/b``) never reaches the app: Streamlit's index page loads its scripts relative to the
address, so the browser shows nothing there (a limit of Streamlit, not of this module).
"""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ui.text import code, label

TITLE = "Sidan finns inte"


def requested_path() -> str:
    """The page address the browser asked for in this run (``""`` for the main address or a page switch).

    Streamlit keeps it on the run's page manager (the address the frontend sent); it has no public API for it.
    """
    ctx = get_script_run_ctx()
    if ctx is None:
        return ""
    return ctx.pages_manager.intended_page_name or ""


def unknown(requested: str, known: Iterable[str]) -> bool:
    """Whether ``requested`` is an address that none of ``known`` (url paths) answers and a page can take."""
    path = requested.strip().strip("/")
    return bool(path) and "/" not in path and path not in set(known)


def unknown_page(requested: str, known: Iterable[str], start: st.Page) -> st.Page | None:
    """A hidden page at ``requested`` that says so in Swedish, if no page of ``known`` answers it."""
    if not unknown(requested, known):
        return None
    path = requested.strip().strip("/")
    address = code(f"/{path}")

    def not_found() -> None:
        st.title(TITLE)
        st.markdown(
            f"Adressen {address} leder inte till någon sida här. Kanske är länken felskriven, "
            "eller så är sidan inte öppen för din roll."
        )
        st.page_link(start, label=label(f"Till startsidan: {start.title}"), icon=":material/home:")

    return st.Page(not_found, title=TITLE, icon=":material/help:", url_path=path, visibility="hidden")
