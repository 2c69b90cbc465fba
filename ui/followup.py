"""Läkare i äldreomsorgen: the follow-up table and the forms that record events (audited)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from html import escape

import streamlit as st

from allocation import formats as f
from allocation.fixed import BASIS_SV, FollowupRow
from allocation.inputs import Requisition
from allocation.milestones import StatusCell
from store.model import WriteRefused
from store.session import Session
from ui.results import _HTML_STYLE
from ui.text import plain

ROUND = "elderly-2023"


def followup_html(rows: Sequence[FollowupRow], cells: Sequence[StatusCell], ombud: dict[str, date]) -> str:
    status = {(c.milestone_id, c.code): c for c in cells}
    head = [
        "Länskod",
        "Region",
        "Högsta belopp",
        "Rekvirerat",
        "Utbetalt",
        "Ej rekvirerat",
        "Ombud godkänt",
        "Rekvisition",
        "Återrapportering",
    ]
    body = []
    for r in rows:
        requisition = status.get(("requisition", r.code))
        report = status.get(("usage_report", r.code))
        left = f.kr(r.not_requisitioned) + ("" if r.payable or r.not_requisitioned == 0 else " (ej betalbart)")
        cells_html = [
            r.code,
            r.name,
            f.kr(r.maximum),
            f.kr(r.requisitioned),
            f.kr(r.paid),
            left,
            ombud[r.code].isoformat() if r.code in ombud else "–",
            requisition.result.text_sv if requisition else "–",
            report.result.text_sv if report else "–",
        ]
        tds = "".join(
            f'<td class="{"text" if i in (0, 1, 6, 7, 8) else ""}">{escape(v)}</td>' for i, v in enumerate(cells_html)
        )
        body.append(f"<tr>{tds}</tr>")
    totals = [
        "",
        "Summa",
        f.kr(sum(r.maximum for r in rows)),
        f.kr(sum(r.requisitioned for r in rows)),
        f.kr(sum(r.paid for r in rows)),
        f.kr(sum(r.not_requisitioned for r in rows)),
        "",
        "",
        "",
    ]
    tds = "".join(f'<td class="{"text" if i in (0, 1) else ""}">{escape(v)}</td>' for i, v in enumerate(totals))
    body.append(f'<tr class="summa">{tds}</tr>')
    header = "".join(f'<th class="{"text" if i in (0, 1, 6, 7, 8) else ""}">{h}</th>' for i, h in enumerate(head))
    table = f'<table class="resultat"><thead><tr>{header}</tr></thead><tbody>{"".join(body)}</tbody></table>'
    return f'{_HTML_STYLE}<div class="resultat">{table}</div>'


def basis_notice(amounts: dict[str, tuple[int, str, str]]) -> tuple[str, str]:
    """(kind, text): a warning while the amounts are the estimate, information once official."""
    bases = {basis for _, basis, _ in amounts.values()}
    source = next(iter(amounts.values()))[2] if amounts else ""
    if bases == {"official"}:
        return "info", f"Beloppen är den officiella tabellen. Källa: {plain(source)}"
    return "warning", f"{BASIS_SV['estimate']}: beloppen är INTE officiella. {plain(source)}"


def _record(action: Callable[[], object], done: str) -> None:
    try:
        action()
    except WriteRefused as exc:
        st.error(plain(exc.message_sv))
        return
    st.success(done)


def record_forms(store: Session, regions: dict[str, str], as_of: date) -> None:
    """Forms for the events that change the follow-up: ombud, requisition, payout, report received."""
    codes = list(regions)
    label = regions.get
    kinds = {
        "ombud": "Ombud godkänt",
        "requisition": "Rekvisition mottagen",
        "payout": "Utbetalning gjord",
        "usage": "Återrapport mottagen",
    }
    kind = st.segmented_control("Händelse", list(kinds), format_func=kinds.get, default="requisition", key="fu_kind")
    with st.form(f"record_{kind}", border=True):
        code = st.selectbox("Region", codes, format_func=label, key=f"fu_region_{kind}")
        when = st.date_input("Datum", value=as_of, format="YYYY-MM-DD", key=f"fu_date_{kind}")
        amount = (
            st.number_input("Belopp (kr)", min_value=0, step=100_000, key=f"fu_amount_{kind}")
            if kind in ("requisition", "payout")
            else 0
        )
        reference = st.text_input("Referens (t.ex. ärendenummer)", key=f"fu_ref_{kind}") if kind != "ombud" else ""
        reason = st.text_input("Anledning (skrivs i granskningsloggen)", key=f"fu_reason_{kind}")
        submitted = st.form_submit_button("Registrera", type="primary")
    if not submitted:
        return
    if not store.principal.name:
        st.error("Ange ditt namn i sidofältet: det skrivs i granskningsloggen.")
        return
    name = regions[code]
    if kind == "ombud":
        _record(lambda: store.record_ombud(reason, code, when), f"Ombud för {name} registrerat.")
    elif kind == "requisition":
        item = Requisition(code, when, int(amount), reference)
        _record(lambda: store.record_requisition(reason, ROUND, item), f"Rekvisition från {name} registrerad.")
    elif kind == "payout":
        _record(
            lambda: store.record_payout(reason, ROUND, code, when, int(amount), reference),
            f"Utbetalning till {name} registrerad.",
        )
    else:
        _record(
            lambda: store.record_usage_report(reason, ROUND, code, when, reference),
            f"Återrapport från {name} registrerad.",
        )
