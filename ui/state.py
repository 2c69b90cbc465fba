"""Session-wide state for every page: the store (one per process) and who is working."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from store.db import StoreError, db_path
from store.service import Actor, Store


@st.cache_resource(show_spinner="Öppnar databasen …")
def get_store(path: str) -> Store:
    """One read-write connection per server process and file; each store call takes its own cursor."""
    return Store.open(Path(path))


def store_or_stop() -> Store:
    """The store, or a clear Swedish message and a stopped page when the file cannot be opened."""
    try:
        return get_store(str(db_path()))
    except StoreError as exc:
        st.error(
            "Databasen kunde inte öppnas. Om ett annat program (t.ex. kommandoraden eller en annan instans av "
            f"instrumentpanelen) har filen öppen, stäng det och ladda om sidan.\n\nTeknisk detalj: {exc}"
        )
        st.stop()
        raise  # unreachable: st.stop() raises


def current_actor() -> Actor | None:
    """The name given in the sidebar (local single-user mode until login arrives), or None."""
    name = str(st.session_state.get("actor_name", "")).strip()
    return Actor(name) if name else None
