"""The grant rounds the store holds, and the round picker: chosen in the sidebar, carried in the URL.

Every page works on the chosen round (or on all of them); which rounds exist, their titles, years and
what their blocks imply (paid on requisition, reports needed) are data (the rules the store loaded, read as
rounds of blocks), never code.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from store.session import Session

PENDING_ROUND = "pending_round"  # a round just saved: chosen in the sidebar on the next run
ROUND_KEY = "omgang"  # session state key and URL parameter (?omgang=<the round's short title>)


@dataclass(frozen=True, slots=True)
class RoundRef:
    """What the menus need to know about a round: the rest is in its rules."""

    id: str
    title: str  # the rules file's full title
    short_title: str  # for menus and headings
    year: int | None
    dnr: str
    version: str
    illustrative: bool = False  # a test round whose figures are made up (rules file ``illustrative = true``)
    paid_on_requisition: bool = False  # its blocks are paid as the recipients requisition, not by decision
    has_reports: bool = False  # some block needs values the recipients report
    blocks: int = 1  # how many blocks the round has

    @property
    def summary_sv(self) -> str:
        """What the round's blocks imply, in a few Swedish words (for a card or a menu)."""
        parts = ["ett block" if self.blocks == 1 else f"{self.blocks} block"]
        if self.paid_on_requisition:
            parts.append("betalas ut efter rekvisition")
        else:
            parts.append("betalas ut enligt beslut")
        if self.has_reports:
            parts.append("regionerna rapporterar")
        return ", ".join(parts)


def round_refs(store: Session) -> list[RoundRef]:
    """Every round: the real ones first, newest year first, then by short title; illustrative rounds after them
    (so none is ever a session's default round, the first of the list)."""
    refs = []
    for round_id in store.rounds.round_ids():
        doc = store.rounds.round_document(round_id)
        year = doc.get("year")
        round_ = store.rounds.block_round(round_id)
        refs.append(
            RoundRef(
                id=round_id,
                title=str(doc["title"]),
                short_title=str(doc.get("short_title") or doc["title"]),
                year=int(year) if year else None,
                dnr=str(doc.get("dnr", "")),
                version=str(doc["version"]),
                illustrative=doc.get("illustrative") is True,
                paid_on_requisition=round_.paid_on_requisition,
                has_reports=round_.has_reports,
                blocks=len(round_.blocks),
            )
        )
    return sorted(refs, key=lambda r: (r.illustrative, -(r.year or 0), r.short_title, r.id))


def picker_labels(refs: list[RoundRef]) -> dict[str, str]:
    """The picker's label per round: its short title, which is also what the URL carries (Streamlit binds a
    select box to the URL by its labels), so two rounds with the same short title are told apart by id."""
    titles = [r.short_title for r in refs]
    return {r.id: r.short_title if titles.count(r.short_title) == 1 else f"{r.short_title} ({r.id})" for r in refs}


def round_picker(store: Session) -> RoundRef | None:
    """The sidebar's select box of rounds (bound to ``?omgang=<short title>``); returns the chosen round."""
    refs = {r.id: r for r in round_refs(store)}
    if not refs:
        return None
    labels = picker_labels(list(refs.values()))
    if PENDING_ROUND in st.session_state:
        st.session_state[ROUND_KEY] = st.session_state.pop(PENDING_ROUND)
    if st.session_state.get(ROUND_KEY) not in refs:  # first visit, or a round that no longer exists
        st.session_state.pop(ROUND_KEY, None)
    chosen = st.selectbox(
        "Bidragsomgång",
        list(refs),
        format_func=labels.get,
        key=ROUND_KEY,
        bind="query-params",
        help="Sidorna Simulering, Förhandsbesked, Uppföljning och Data visar den valda omgången. Adressen "
        "kan delas med kolleger.",
    )
    return refs.get(chosen)


def chosen_round(store: Session) -> RoundRef:
    """The round chosen in the sidebar; the first round when none is (e.g. a page run on its own)."""
    refs = round_refs(store)
    if not refs:
        st.error("Databasen innehåller ingen bidragsomgång: lägg en regelfil i data/rounds och starta om.")
        st.stop()
    wanted = st.session_state.get(ROUND_KEY)
    return next((r for r in refs if r.id == wanted), refs[0])


def requisition_rounds(store: Session) -> list[RoundRef]:
    """The rounds paid on requisition: those that take requisitions and an official table of amounts."""
    return [r for r in round_refs(store) if r.paid_on_requisition]
