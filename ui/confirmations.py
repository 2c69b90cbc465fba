"""The confirmation of a received requisition (elderly care) as a PDF, for staff to send to the region."""

from __future__ import annotations

import streamlit as st

from allocation.blocks import Round
from present import formats as f
from store.export import export_file_name
from store.session import Session

PDF = "application/pdf"


def confirmation_panel(store: Session, round_id: str, short_title: str, round_: Round, names: dict[str, str]) -> None:
    """Pick a requisition; download its confirmation (the maximum is marked an estimate when it is one)."""
    requisitions = sorted(store.followup.requisitions(round_id), key=lambda r: (r.received, r.code), reverse=True)
    st.subheader("Bekräftelse av rekvisition")
    if not requisitions:
        st.caption("Inga rekvisitioner registrerade ännu.")
        return
    amounts = store.rounds.fixed_amounts(round_id)
    labels = {
        i: f"{names.get(r.code, r.code)} · {r.received.isoformat()} · {f.kr(r.amount)}"
        + (f" · {r.reference}" if r.reference else "")
        for i, r in enumerate(requisitions)
    }
    chosen = st.selectbox("Rekvisition", list(labels), format_func=labels.get, key=f"confirm_req_{round_id}")
    item = requisitions[chosen]
    maximum, basis, source = amounts.get(item.code, (None, "", ""))
    before = sum(
        r.amount for r in requisitions if r.code == item.code and r is not item and r.received <= item.received
    )

    def make() -> bytes:
        from documents import RequisitionConfirmation, requisition_confirmation_pdf

        return requisition_confirmation_pdf(
            RequisitionConfirmation(
                round_title=round_.title,
                dnr=round_.dnr,
                region_name=names.get(item.code, item.code),
                region_code=item.code,
                received=item.received.isoformat(),
                amount=item.amount,
                maximum=maximum,
                requisition_reference=item.reference,
                deadline=round_.requisition_due.isoformat() if round_.requisition_due else "",
                maximum_source=source if basis == "official" else "uppskattning (befolkningsandel), inte officiell",
                illustrative=basis != "official",
                requisitioned_before=before,
            )
        )

    st.download_button(
        "Bekräftelse (PDF)",
        make,
        file_name=export_file_name(short_title, "rekvisition", names.get(item.code), ext="pdf"),
        mime=PDF,
        on_click="ignore",
        key=f"confirm_pdf_{round_id}",
    )
    if basis != "official":
        st.caption(
            "Regionens maxbelopp är en uppskattning tills den officiella tabellen är inläst; bekräftelsen säger det."
        )
