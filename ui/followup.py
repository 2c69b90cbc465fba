"""Läkare i äldreomsorgen: the follow-up table and the forms that record events (audited)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from html import escape

import streamlit as st

from allocation.fixed import BASIS_SV, FollowupRow, Requisition
from allocation.milestones import StatusCell
from allocation.report_values import AT_PARTS
from present import formats as f
from store.model import WriteRefused
from store.session import Session
from ui.a11y import scroll_region
from ui.money_input import form_amount, money_in_form
from ui.results import _HTML_STYLE
from ui.text import plain


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
    return f'{_HTML_STYLE}<div class="resultat" {scroll_region("Uppföljning per region")}>{table}</div>'


def when_sv(value: date | datetime | None) -> str:
    """A day as ``2023-11-25`` (the Swedish short date), with the time ``2023-11-25 14:05`` only when there is
    one (a report recorded by day is stored at midnight: that is no time of day). "–" for nothing."""
    if value is None or value != value:  # None or NaT
        return "–"
    if isinstance(value, datetime):
        clock = value.time()
        if clock.hour or clock.minute or clock.second:
            return f"{value:%Y-%m-%d %H:%M}"
        return f"{value:%Y-%m-%d}"
    return f"{value:%Y-%m-%d}"


def basis_notice(amounts: dict[str, tuple[int, str, str]]) -> tuple[str, str]:
    """(kind, text): a warning while the amounts are the estimate, information once official."""
    bases = {basis for _, basis, _ in amounts.values()}
    source = next(iter(amounts.values()))[2] if amounts else ""
    if bases == {"official"}:
        return "info", f"Beloppen är den officiella tabellen. Källa: {plain(source)}"
    return "warning", f"{BASIS_SV['estimate']}: beloppen är inte officiella. {plain(source)}"


def _record(action: Callable[[], object], done: str) -> None:
    try:
        action()
    except WriteRefused as exc:
        st.error(plain(exc.message_sv))
        return
    st.success(done)


def record_forms(store: Session, round_id: str, regions: dict[str, str], as_of: date) -> None:
    """Forms for the events that change the follow-up: ombud, requisition, report received. Payouts are
    recorded as payment runs on the decision page (each requisition paid once, never above the maximum)."""
    codes = list(regions)
    label = regions.get
    kinds = {
        "ombud": "Ombud godkänt",
        "requisition": "Rekvisition mottagen",
        "usage": "Återrapport mottagen",
    }
    kind = st.segmented_control("Händelse", list(kinds), format_func=kinds.get, default="requisition", key="fu_kind")
    st.caption("Utbetalningar registreras som utbetalningskörningar på sidan Beslut, fliken Utbetalning.")
    with st.form(f"record_{kind}", border=True):
        code = st.selectbox("Region", codes, format_func=label, key=f"fu_region_{kind}")
        when = st.date_input("Datum", value=as_of, format="YYYY-MM-DD", key=f"fu_date_{kind}")
        money = kind == "requisition"
        amount_text = money_in_form("Belopp (kr)", 0, f"fu_amount_{kind}") if money else "0"
        reference = st.text_input("Referens (t.ex. ärendenummer)", key=f"fu_ref_{kind}") if kind != "ombud" else ""
        reason = st.text_input("Anledning (skrivs i granskningsloggen)", key=f"fu_reason_{kind}")
        submitted = st.form_submit_button("Registrera", type="primary")
    if not submitted:
        return
    if not store.principal.name:
        st.error("Ange ditt namn i sidofältet: det skrivs i granskningsloggen.")
        return
    amount = form_amount("Belopp (kr)", amount_text)
    if amount is None:
        return
    name = regions[code]
    if kind == "ombud":
        _record(lambda: store.followup.record_ombud(reason, code, when), f"Ombud för {name} registrerat.")
    elif kind == "requisition":
        item = Requisition(code, when, int(amount), reference)
        _record(
            lambda: store.followup.record_requisition(reason, round_id, item), f"Rekvisition från {name} registrerad."
        )
    else:
        _record(
            lambda: store.followup.record_usage_report(reason, round_id, code, when, reference),
            f"Återrapport från {name} registrerad.",
        )


def reports_followup(store: Session, round_id: str, cells: Sequence[StatusCell]) -> None:
    """Follow-up of a performance round: each region's report and the status of its reporting deadline."""
    reports = {r.code: r for r in store.reports.reports(round_id)}
    received = {code: r.received for code, r in reports.items() if r.received is not None}
    status = {c.code: c.result.text_sv for c in cells}
    regions = [r for r in store.rounds.regions(store.rounds.latest_population_date()) if r.code in status]
    head = ["Länskod", "Region", "Rapport mottagen", "Tillsatta", "Påbörjade", "Avräknade", "Status"]
    body = []
    for region in regions:
        item = reports.get(region.code)
        values = [
            region.code,
            region.name,
            when_sv(received[region.code]) if region.code in received else "–",
            *(f.count(item.value(k)) if item else "–" for k in AT_PARTS),
            status.get(region.code, "–"),
        ]
        tds = "".join(f'<td class="{"text" if i in (0, 1, 6) else ""}">{escape(v)}</td>' for i, v in enumerate(values))
        body.append(f"<tr>{tds}</tr>")
    header = "".join(f'<th class="{"text" if i in (0, 1, 6) else ""}">{h}</th>' for i, h in enumerate(head))
    st.html(
        f'{_HTML_STYLE}<div class="resultat" {scroll_region("Rapporter per region")}>'
        f'<table class="resultat"><thead><tr>{header}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )
    st.caption(
        f"{f.count(len(reports))} av {f.count(len(regions))} regioner har rapporterat. Belopp räknas på sidan "
        "Simulering; rapporterna läses in under Data."
    )
