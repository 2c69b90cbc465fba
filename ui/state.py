"""Session-wide state for every page: the store (one per process) and who is working.

Pages use ``session_or_stop()``: the store as the logged-in principal may see and change it.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from store.db import DB_ERRORS, StoreError
from store.model import StoreBusy
from store.paths import data_dir, is_url
from store.paths import database_target as paths_database_target
from store.service import Store
from store.session import Session
from ui.auth import principal_or_stop
from ui.text import plain

READ_ONLY_SV = "Du har läsbehörighet: registrering, import och att spara scenarier görs av handläggare."


@st.cache_resource(show_spinner="Öppnar databasen …")
def get_store(path: str) -> Store:
    """One store per server process: a read-write DuckDB file (each store call takes its own cursor), or a
    pool of connections to a PostgreSQL database shared with other processes."""
    return Store.open(path if is_url(path) else Path(path), data_dir=data_dir())


TARGET_KEY = "_database_target"


def database_target() -> str:
    """Where the store is, decided as the command line decides it (``store.paths.database_target``):
    ``$STATSBIDRAG_DATABASE_URL``, else ``url`` in ``[connections.statsbidrag]`` of the secrets files
    Streamlit reads, else the DuckDB file. Read once a session (reading the secrets files on every run
    and page cost about 1 ms each); a new session reads a changed configuration."""
    known = st.session_state.get(TARGET_KEY)
    if isinstance(known, str):
        return known
    target = str(paths_database_target())
    st.session_state[TARGET_KEY] = target
    return target


def store_or_stop() -> Store:
    """The store, or a clear Swedish message and a stopped page when the file cannot be opened."""
    try:
        store = get_store(database_target())
        store.sync()  # PostgreSQL: another process's writes are seen on this run (a no-op on DuckDB)
        return store
    except StoreError as exc:  # which file and why, in Swedish (locked, damaged, not a database, folder, disk)
        st.error(
            f"**Databasen kunde inte öppnas.** {plain(exc.message_sv)}\n\nTeknisk detalj: {plain(exc)}",
            icon=":material/error:",
        )
        st.stop()
        raise  # unreachable: st.stop() raises
    except StoreBusy as exc:  # seeding waited for another instance's write longer than the lock timeout
        st.error(f"**Databasen kunde inte öppnas.** {plain(exc.message_sv)}", icon=":material/error:")
        st.stop()
        raise
    except DB_ERRORS as exc:  # the database server went away after the start
        st.error(
            f"**Databasservern svarar inte.** Försök igen om en stund. Teknisk detalj: {plain(exc)}",
            icon=":material/error:",
        )
        st.stop()
        raise


def session_or_stop() -> Session:
    """The store seen through the principal of this run (the login page stops the run when needed)."""
    store = store_or_stop()
    return Session(store, principal_or_stop(store))
