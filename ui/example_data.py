"""Example data on the dashboard (``store.demo``): the banner on every page while the store holds it, with
one-step removal for staff, and the first-start offer to load it when the store is empty.

Both are called by the frame (``app.py``) before the page runs, so no page shows example data without the
banner "Exempeldata – fiktiva uppgifter" above it. Loading and removing are staff's writes: the session checks
them (a refusal is logged like any other) and ``store.demo`` writes them in one audited transaction each.
"""

from __future__ import annotations

import streamlit as st

from store import demo
from store.access import Action
from store.model import WriteRefused
from store.session import Session
from ui.rounds import round_refs
from ui.text import plain

BANNER = "Exempeldata – fiktiva uppgifter"
WRITES = (Action.WRITE_REPORTS, Action.WRITE_FOLLOWUP)
STAFF_INSTRUCTION = "Ta bort dem innan riktiga uppgifter registreras."
READER_NOTE = "Siffrorna på sidorna säger inget om verkliga regioner."


def _may_write(session: Session) -> bool:
    return all(session.may(action) for action in WRITES)


def _require_write(session: Session) -> None:
    for action in WRITES:
        session.require(action)


def example_data_banner(session: Session) -> None:
    """A calm notice on every page while the store holds example data; staff can remove it from here."""
    held = demo.example_rounds(session.store)
    if not held:
        return
    titles = [ref.short_title for ref in round_refs(session) if ref.id in held] or list(held)
    staff = _may_write(session)
    # Only staff can act on the instruction to remove it; managers and regions are told what it means for them.
    then = STAFF_INSTRUCTION if staff else READER_NOTE
    st.info(
        f"**{BANNER}** ({plain(', '.join(titles))}): rapporterna, rekvisitionerna, ombuden, utbetalningarna och "
        f"återrapporterna är påhittade. {then}",
        icon=":material/science:",
    )
    if not staff:
        return
    with st.popover("Ta bort exempeldata", icon=":material/delete:"):
        st.markdown(
            "Tar bort alla exempeldata, och inget annat, i ett steg som skrivs i granskningsloggen. "
            "Riktiga uppgifter som registrerats sedan behålls."
        )
        if st.button("Ta bort exempeldata nu", key="example_data_remove", type="primary"):
            try:
                _require_write(session)
                demo.remove(session.store, session.actor, "Exempeldata togs bort i tjänsten")
            except WriteRefused as exc:
                st.error(plain(exc.message_sv), icon=":material/error:")
            else:
                st.rerun()


def first_start_offer(session: Session) -> None:
    """For staff, while the store has no report, requisition, ombud, payout or usage report at all (and nobody
    has said no): load example data with one button, or start with the empty store."""
    if not _may_write(session) or not demo.is_empty(session.store) or demo.declined(session.store):
        return
    with st.container(border=True):
        st.markdown(
            "**Databasen är tom.** Inga rapporter från regionerna, rekvisitioner, ombud, utbetalningar eller "
            "återrapporter är registrerade ännu, så uppföljningens siffror är 0 och tidsfristerna saknar händelser. "
            "Vill du se vad "
            f"varje vy är till för med exempeldata? De är fiktiva, märks ”{BANNER}” på varje sida och tas bort "
            "i ett steg."
        )
        load, decline = st.columns(2)
        if load.button("Läs in exempeldata", key="example_data_load", type="primary", icon=":material/science:"):
            try:
                _require_write(session)
                demo.load(session.store, session.actor, "Exempeldata valdes vid första start")
            except WriteRefused as exc:
                st.error(plain(exc.message_sv), icon=":material/error:")
            else:
                st.rerun()
        if decline.button("Nej tack, börja med en tom databas", key="example_data_decline"):
            try:
                demo.decline(session.store, session.actor)
            except WriteRefused as exc:
                st.error(plain(exc.message_sv), icon=":material/error:")
            else:
                st.rerun()
