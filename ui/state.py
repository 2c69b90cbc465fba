"""Session-wide state for every page: the store (one per process) and who is working.

Pages use ``session_or_stop()``: the store as the logged-in principal may see and change it.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from store.db import StoreError, db_path
from store.paths import data_dir
from store.service import Store
from store.session import Session
from ui.auth import principal_or_stop
from ui.text import plain

READ_ONLY_SV = "Du har läsbehörighet: registrering, import och att spara scenarier görs av handläggare."


@st.cache_resource(show_spinner="Öppnar databasen …")
def get_store(path: str) -> Store:
    """One read-write connection per server process and file; each store call takes its own cursor."""
    return Store.open(Path(path), data_dir=data_dir())


def store_or_stop() -> Store:
    """The store, or a clear Swedish message and a stopped page when the file cannot be opened."""
    try:
        return get_store(str(db_path()))
    except StoreError as exc:  # which file and why, in Swedish (locked, damaged, not a database, folder, disk)
        st.error(
            f"**Databasen kunde inte öppnas.** {plain(exc.message_sv)}\n\nTeknisk detalj: {plain(exc)}",
            icon=":material/error:",
        )
        st.stop()
        raise  # unreachable: st.stop() raises


def session_or_stop() -> Session:
    """The store seen through the principal of this run (the login page stops the run when needed)."""
    store = store_or_stop()
    return Session(store, principal_or_stop(store))
