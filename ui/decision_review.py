"""Deciding in two steps: the form ("Granska beslutet"), then a summary of what will be decided — the pot
of every block, who gets what, the total, the warnings confirmed, the reference and the publication day —
and the irreversible write only on "Fatta beslutet". Nothing is written before that second click.

The publication day has no default: it is the decision's date in every document, so staff choose it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from present import formats as f
from store.model import DecisionCheck, WriteRefused
from store.session import Session
from ui.rounds import RoundRef
from ui.text import bullets, plain

DONE = "decision_done"  # the message shown on the run after a decision was stored
REVIEW = "decide_review"  # the decision being reviewed (a Review), between the two clicks
# The form's widgets and the Review fields they fill.
FORM_KEYS = {
    "decide_pot_reason": "pot_reason",
    "decide_reference": "reference",
    "decide_published_on": "published_on",
    "decide_confirm": "confirmed",
    "decide_reason": "reason",
}


@dataclass(frozen=True)
class Review:
    """What the decider entered and what the check said when they asked to review it."""

    round_id: str
    supersedes: int | None
    pots: dict[str, tuple[int, str]]  # the check's: block id -> (kronor, option id)
    choices: dict[str, str]  # the pot options chosen, as passed to the store
    totals: dict[str, int]
    paid: int
    unallocated: int
    warnings: tuple[str, ...]
    pot_reason: str
    reference: str
    published_on: date
    reason: str
    confirmed: bool


def _problems(reference: str, published_on: date | None, reason: str, confirmed: bool, warned: bool) -> list[str]:
    problems = []
    if not reference.strip():
        problems.append("Ange beslutets diarienummer.")
    if published_on is None:
        problems.append("Välj publiceringsdag: den blir beslutets datum i beslutet och breven.")
    if warned and not confirmed:
        problems.append("Bekräfta att du har läst varningarna.")
    if not reason.strip():
        problems.append("Ange en anledning (den skrivs i granskningsloggen).")
    return problems


def review_form(ref: RoundRef, check: DecisionCheck, choices: dict[str, str], supersedes: int | None) -> None:
    """Step one: the decision's particulars; "Granska" checks them and shows the summary (nothing is written)."""
    verb = "Granska ändringsbeslutet" if supersedes is not None else "Granska beslutet"
    with st.form(f"decide_form_{ref.id}", border=True):
        pot_reason = st.text_input(
            "Skäl för potten",
            key="decide_pot_reason",
            placeholder="t.ex. enligt regleringsbrevet",
            help="Sparas i beslutet tillsammans med den valda potten.",
        )
        c = st.columns(2)
        reference = c[0].text_input("Beslutets diarienummer", key="decide_reference")
        published_on = c[1].date_input(
            "Publiceringsdag (beslutets datum)",
            value=None,
            format="YYYY-MM-DD",
            key="decide_published_on",
            help="Dagen beslutet publiceras; den står som beslutsdatum i beslutet och breven. Ingen dag är förvald.",
        )
        confirmed = True
        if check.warnings:
            confirmed = st.checkbox("Jag har läst varningarna ovan och beslutar ändå", key="decide_confirm")
        reason = st.text_input("Anledning (skrivs i granskningsloggen)", key="decide_reason")
        submitted = st.form_submit_button(verb, type="primary")
    if not submitted:
        return
    problems = _problems(reference, published_on, reason, confirmed, bool(check.warnings))
    if problems:
        st.error(" ".join(problems), icon=":material/error:")
        return
    assert isinstance(published_on, date)
    st.session_state[REVIEW] = Review(
        round_id=ref.id,
        supersedes=supersedes,
        pots=dict(check.pots),
        choices=dict(choices),
        totals=dict(check.totals),
        paid=check.paid,
        unallocated=check.unallocated,
        warnings=tuple(i.text for i in check.warnings),
        pot_reason=pot_reason,
        reference=reference.strip(),
        published_on=published_on,
        reason=reason,
        confirmed=bool(confirmed),
    )
    st.rerun()


def restore_form(review: Review) -> None:
    """Back to the form with what was entered (its widgets were not shown while the summary was)."""
    for key, name in FORM_KEYS.items():
        st.session_state[key] = getattr(review, name)


def _back() -> None:
    if (review := st.session_state.pop(REVIEW, None)) is not None:
        restore_form(review)


def summary_frames(store: Session, review: Review) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The pot of every block (with the rules' section it comes from) and every recipient that gets money."""
    round_ = store.rounds.block_round(review.round_id)
    pots = []
    for block in round_.blocks:
        amount, option = review.pots.get(block.id, (0, ""))
        source = next((o.source.section for o in block.pot.options if o.id == option), "")
        pots.append({"Del": block.title, "Pott": f.kr(amount), "Källa": source or "egen pott (inte ur reglerna)"})
    names = {r.code: r.name for r in store.rounds.recipients(review.round_id)}
    receiving = [
        {"Mottagare": names.get(code, code), "Belopp": f.kr(amount)}
        for code, amount in sorted(review.totals.items(), key=lambda x: (-x[1], x[0]))
        if amount
    ]
    return pd.DataFrame(pots), pd.DataFrame(receiving, columns=["Mottagare", "Belopp"])


def confirm_panel(store: Session, ref: RoundRef, review: Review) -> None:
    """Step two: what will be decided, and the one button that writes it."""
    amend = review.supersedes is not None
    noun = "ändringsbeslutet" if amend else "beslutet"
    with st.container(border=True):
        st.markdown(f"**Granska {noun} innan det fattas**")
        pots, receiving = summary_frames(store, review)
        m = st.columns(3)
        m[0].metric("Fördelas", f.kr(review.paid))
        m[1].metric("Mottagare med belopp", f"{len(receiving)} av {len(review.totals)}")
        m[2].metric("Ej fördelat", f.kr(review.unallocated))
        st.caption("Pott per del")
        st.dataframe(pots, hide_index=True)
        st.caption("Belopp per mottagare (de som får något)")
        st.dataframe(receiving, hide_index=True)
        st.markdown(
            bullets(
                [
                    f"Diarienummer: {review.reference}",
                    f"Publiceringsdag och beslutsdatum: {f.long_date(review.published_on)}",
                    f"Skäl för potten: {review.pot_reason or 'inget angivet'}",
                    f"Anledning: {review.reason}",
                ]
            )
        )
        if review.warnings:
            st.markdown("**Varningar som du har bekräftat**")
            st.markdown(bullets(list(review.warnings)))
        else:
            st.caption("Inga varningar att bekräfta.")
        st.warning(
            f"När {noun} är fattat låses omgången och beloppen kan inte ändras; en rättelse görs med ett "
            "ändringsbeslut.",
            icon=":material/lock:",
        )
        c = st.columns(2)
        decide = c[0].button(f"Fatta {noun}", type="primary", key="decide_confirmed")
        c[1].button("Ändra uppgifterna", key="decide_back", on_click=_back)
    if not decide:
        return
    try:
        snapshot = store.decisions.decide_round(
            review.reason,
            review.round_id,
            review.reference,
            review.published_on,
            pots=review.choices or None,
            pot_reason=review.pot_reason,
            supersedes=review.supersedes,
            confirmed=review.confirmed,
        )
    except WriteRefused as exc:
        st.error(plain(exc.message_sv), icon=":material/error:")
        return
    st.session_state.pop(REVIEW, None)
    kind = "Ändringsbeslutet" if amend else "Beslutet"
    st.session_state[DONE] = f"{kind} {snapshot.reference} är fattat och låst: {f.kr(snapshot.paid)}."
    st.rerun()
