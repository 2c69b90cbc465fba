"""Payouts of a round: the recipients' payment details, the payout list (a decision's rests, or the
requisitions received and not yet paid), recording a payment run (staff), and the runs so far."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from allocation.payouts import PayoutList
from present import formats as f
from present.payouts import problems_sv, refused_sv
from store.access import Action
from store.model import WriteRefused
from store.payout_export import payout_export, payout_file_name, payout_frame
from store.session import Session
from ui.attention_text import long_date
from ui.downloads import XLSX
from ui.grid import figures_table
from ui.imports import import_panel
from ui.rounds import RoundRef
from ui.text import bullets, plain

PAID = "payment_done"


def _list(store: Session, ref: RoundRef) -> PayoutList:
    if ref.paid_on_requisition:  # what came in up to a day
        up_to = st.date_input(
            "Rekvisitioner inkomna till och med",
            value=date.today(),
            format="YYYY-MM-DD",
            key=f"pay_up_to_{ref.id}",
            help="Listan tar med rekvisitioner som kommit in till och med dagen och inte är utbetalda.",
        )
        return store.payments.payout_list(ref.id, up_to=up_to)
    return store.payments.payout_list(ref.id)


def payout_panel(store: Session, ref: RoundRef) -> None:
    if message := st.session_state.pop(PAID, None):
        st.success(plain(message), icon=":material/payments:")
        st.toast(plain(message), icon=":material/payments:")
    try:
        listed = _list(store, ref)
    except WriteRefused as exc:
        st.info(plain(exc.message_sv), icon=":material/info:")
        return
    st.subheader("Utbetalningslista")
    basis = "beslutet" if listed.kind != "requisitions" else "rekvisitionerna"
    if not listed.lines:  # one sentence: no empty table, no empty file to download, no run to record
        st.info(_nothing_to_pay_sv(listed, basis), icon=":material/check:")
    else:
        _payout_list(store, listed, basis)
    if listed.recoveries:
        recovery_panel(store, ref, listed)
    for refused in listed.refused:
        st.warning(f"{plain(refused.name)}: {f.kr(refused.amount)} betalas inte ut. {plain(refused_sv(refused))}")
    for notice in listed.notices_sv:
        st.caption(plain(notice))
    if listed.lines and store.may(Action.WRITE_FOLLOWUP):
        _record_form(store, ref, listed)
    _runs(store, ref)


def _nothing_to_pay_sv(listed: PayoutList, basis: str) -> str:
    if listed.up_to is not None:  # requisitions received up to a day
        return f"Det finns inga obetalda rekvisitioner inkomna till och med {long_date(listed.up_to)}."
    return (
        f"Det finns inget kvar att betala ut enligt {basis} {plain(listed.reference)}: "
        f"{f.kr(listed.already_paid)} är redan utbetalt."
    )


def _payout_list(store: Session, listed: PayoutList, basis: str) -> None:
    """The lines to pay now, their sum, and the list as a file for the bank."""
    recover = f"; att återkräva {f.kr(listed.to_recover)}" if listed.recoveries else ""
    st.caption(
        f"Underlag: {plain(listed.reference)}. Enligt {basis} {f.kr(listed.basis)}; redan utbetalt "
        f"{f.kr(listed.already_paid)}; att betala ut nu {f.kr(listed.total)}{recover}."
    )
    frame = payout_frame(listed)
    figures_table(frame)  # "Belopp (kr)" as the text shown, also to a screen reader
    c = st.columns([1, 1, 3])
    for column, fmt, mime in ((c[0], "xlsx", XLSX), (c[1], "csv", "text/csv")):
        column.download_button(
            f"Ladda ned ({fmt.upper()})",
            lambda fmt=fmt: payout_export(store, listed, fmt),
            file_name=payout_file_name(store, listed, fmt),
            mime=mime,
            on_click="ignore",
            key=f"pay_{fmt}",
        )


def _record_form(store: Session, ref: RoundRef, listed: PayoutList) -> None:
    problems = problems_sv(listed)
    if problems:
        st.info(bullets(problems), icon=":material/info:")
        return
    # The list the user saw when pressing the button is the one drawn on the previous run: its fingerprint is
    # kept across the rerun the button causes, and a list that has changed in between is refused.
    shown_key = f"pay_shown_{ref.id}"
    shown = st.session_state.get(shown_key, listed.fingerprint)
    st.session_state[shown_key] = listed.fingerprint
    with st.form(f"pay_form_{ref.id}", border=True):
        st.markdown(f"**Registrera utbetalningen** ({len(listed.lines)} rader, {f.kr(listed.total)})")
        c = st.columns(2)
        paid_on = c[0].date_input("Utbetalningsdag", value=date.today(), format="YYYY-MM-DD", key="pay_paid_on")
        reference = c[1].text_input("Betalningsreferens", key="pay_reference", help="T.ex. betalfilens id.")
        reason = st.text_input("Anledning (skrivs i granskningsloggen)", key="pay_reason")
        submitted = st.form_submit_button("Registrera som utbetald", type="primary")
    if not submitted:
        return
    try:
        store.payments.record_payment_run(  # exactly the list shown (and downloaded), or nothing
            reason,
            ref.id,
            paid_on,
            reference,
            decision_id=listed.decision_id,
            up_to=listed.up_to,
            expected=shown,
        )
    except WriteRefused as exc:
        st.error(plain(exc.message_sv), icon=":material/error:")
        return
    st.session_state[PAID] = f"Utbetalningen {reference.strip()} är registrerad: {f.kr(listed.total)}."
    st.rerun()


def recovery_panel(store: Session, ref: RoundRef, listed: PayoutList) -> None:
    """Amounts to recover (återkrav) after an amendment, apart from the payments, and recording a repayment."""
    st.subheader("Att återkräva")
    st.caption(
        "Ändringsbeslutet ger dessa mottagare mindre än de redan har fått. Skillnaden återkrävs; den dras aldrig "
        "av från någon annans utbetalning. Så länge den inte är återbetald kan listan ovan inte registreras, "
        "eftersom omgången då skulle betala ut mer än beslutet."
    )
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Mottagare": r.name,
                    "Beslutat (kr)": f.kr(r.decided),
                    "Utbetalt (kr)": f.kr(r.paid),
                    "Att återkräva (kr)": f.kr(r.amount),
                }
                for r in listed.recoveries
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    if not store.may(Action.WRITE_FOLLOWUP):
        return
    names = {r.code: r.name for r in listed.recoveries}
    with st.form(f"recovery_form_{ref.id}", border=True):
        st.markdown("**Registrera en återbetalning**")
        c = st.columns(3)
        code = c[0].selectbox("Mottagare", list(names), format_func=names.get, key="recovery_code")
        amount = c[1].number_input("Belopp (kr)", min_value=1, step=1, key="recovery_amount")
        received = c[2].date_input("Inbetald", value=date.today(), format="YYYY-MM-DD", key="recovery_on")
        reference = st.text_input("Referens", key="recovery_reference", help="T.ex. inbetalningens verifikation.")
        reason = st.text_input("Anledning (skrivs i granskningsloggen)", key="recovery_reason")
        submitted = st.form_submit_button("Registrera återbetalningen")
    if submitted:
        try:
            store.payments.record_recovery(reason, ref.id, code, received, int(amount), reference)
        except WriteRefused as exc:
            st.error(plain(exc.message_sv), icon=":material/error:")
            return
        st.session_state[PAID] = f"Återbetalningen från {names[code]} är registrerad: {f.kr(int(amount))}."
        st.rerun()


def _runs(store: Session, ref: RoundRef) -> None:
    runs = store.payments.payment_runs(ref.id)
    if not runs:
        st.caption("Inga utbetalningar registrerade ännu.")
        return
    st.subheader("Registrerade utbetalningar")
    figures_table(
        pd.DataFrame(
            [
                {
                    "Utbetald": long_date(r.paid_on),
                    "Referens": r.reference,
                    "Belopp": r.total,
                    "Rader": r.lines,
                    "Registrerad av": r.recorded_by,
                }
                for r in runs
            ]
        )
    )


def details_panel(store: Session) -> None:
    """Organisation number and bankgiro per recipient: shown, entered one at a time, or read from a file."""
    if message := st.session_state.pop(PAID, None):
        st.success(plain(message), icon=":material/check:")
    details = store.bank_details.payment_details()
    regions = store.rounds.regions(store.rounds.latest_population_date())
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Region": r.name,
                    "Länskod": r.code,
                    "Organisationsnummer": details.get(r.code, ("saknas", ""))[0],
                    "Bankgiro": details.get(r.code, ("", "saknas"))[1],
                }
                for r in regions
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    if not store.may(Action.WRITE_FOLLOWUP):
        return
    names = {r.code: r.name for r in regions}
    with st.form("details_form", border=True):
        st.markdown("**Ange eller ändra en regions uppgifter**")
        c = st.columns(3)
        code = c[0].selectbox("Region", list(names), format_func=names.get, key="details_code")
        org = c[1].text_input("Organisationsnummer", key="details_org", placeholder="NNNNNN-NNNN")
        giro = c[2].text_input("Bankgiro", key="details_bg", placeholder="NNNN-NNNN")
        reason = st.text_input("Anledning (skrivs i granskningsloggen)", key="details_reason")
        shared = st.checkbox(
            "Mottagarna delar numret (bekräftat)",
            key="details_shared",
            help="Kryssa bara i om det är kontrollerat att flera mottagare ska ha samma organisationsnummer "
            "eller bankgiro.",
        )
        saved = st.form_submit_button("Spara uppgifterna")
    if saved:
        try:
            changed = store.bank_details.save_payment_details(reason, code, org, giro, confirm_shared=shared)
        except WriteRefused as exc:
            st.error(plain(exc.message_sv), icon=":material/error:")
        else:
            st.session_state[PAID] = f"Uppgifterna för {names[code]} är {'sparade' if changed else 'oförändrade'}."
            st.rerun()
    with st.expander("Läs in betalningsuppgifter från en fil"):
        import_panel(store, "payment_details", "")
