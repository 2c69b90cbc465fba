"""A region's view of its round's decision once published: its amount, how it was computed, its letter,
and what has been paid and remains. Before publication the region is told when to expect it."""

from __future__ import annotations

import streamlit as st

from allocation import decision as d
from present import formats as f
from store.session import Session
from ui.decision_view import decision_table, documents_panel, long_day
from ui.rounds import RoundRef
from ui.text import bullets, plain


def region_decision(store: Session, ref: RoundRef, code: str) -> None:
    if not store.decisions.is_published(ref.id):
        st.info(
            "Beslutet för omgången är inte publicerat ännu. När det är publicerat visas här regionens belopp, "
            "hur det är beräknat, beslutsbrevet och utbetalningarna.",
            icon=":material/schedule:",
        )
        return
    snapshot = store.decisions.current_decision(ref.id)
    if snapshot is None:
        st.info("Omgången har inget beslut att visa ännu.", icon=":material/info:")
        return
    if code not in snapshot.totals:
        st.info("Regionen är inte mottagare i omgångens beslut.", icon=":material/info:")
        return
    line = snapshot.recipient(code)
    if snapshot.illustrative:
        st.warning("Illustrativ omgång: beloppen är exempel, inte officiella.", icon=":material/science:")
    paid = sum(amount for c, _, amount in store.followup.payouts(ref.id) if c == code)
    m = st.columns(3)
    m[0].metric(f"Beslutat belopp för {plain(line.name)}", f.kr(line.total))
    m[1].metric("Utbetalt", f.kr(paid))
    m[2].metric("Kvar att betala ut", f.kr(max(line.total - paid, 0)))
    kind = "Ändringsbeslut" if snapshot.kind == d.AMENDMENT else "Beslut"
    # the decision it changes is named only if it was published itself (the region sees nothing of it before)
    published = {s.id for s in store.decisions.decision_list(ref.id)}
    amends = snapshot.supersedes_reference if snapshot.supersedes in published else ""
    st.caption(
        f"{kind} {plain(snapshot.reference)}, publicerat {long_day(snapshot.published_on)}."
        + (f" Ändrar beslut {plain(amends)}." if amends else "")
    )
    st.subheader("Så beräknades beloppet")
    st.markdown(bullets(list(line.explanation)))
    st.subheader("Beslutsbrev")
    documents_panel(snapshot, ref.short_title, codes=[code])
    with st.expander("Alla regioners belopp (beslutet är publicerat)"):
        decision_table(snapshot, ref.short_title, key="region_decision")
