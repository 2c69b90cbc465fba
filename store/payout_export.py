"""A payout list as XLSX and CSV, in the formats of ``store.export`` (Swedish headers, no formulas).

One row per line — Mottagare, Län, Organisationsnummer, Bankgiro, Belopp (kr), Beslut, Betalningsreferens —
and a sum row ("Summa") equal to what the list pays: the decision's totals (less what was paid before),
or the requisitions payable. A missing payment detail reads "saknas". The XLSX's "Om uttaget" sheet
states the decision, what it decided, what was paid before, the amounts to recover (never in the lines: they are
not payments), the reconciliation decided − already paid = to pay now − to recover, the lines not paid and why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from allocation.money import kr
from allocation.payouts import DECISION, PayoutList
from present.payouts import problems_sv, refused_sv
from store.export import AboutValue, created_row, export_file_name, frame_to_csv, frame_to_xlsx, store_facts

if TYPE_CHECKING:
    from store.service import Store
    from store.session import Session

COLUMNS = ("Mottagare", "Län", "Organisationsnummer", "Bankgiro", "Belopp (kr)", "Beslut", "Betalningsreferens")
SUM = "Summa"
MISSING = "saknas"


def payout_frame(listed: PayoutList) -> pd.DataFrame:
    """The lines and a sum row; amounts as integers."""
    rows: list[list[object]] = [
        [
            line.name,
            line.code,
            line.org_number or MISSING,
            line.bankgiro or MISSING,
            line.amount,
            line.decision,
            line.payment_reference,
        ]
        for line in listed.lines
    ]
    rows.append([SUM, "", "", "", listed.total, listed.reference, ""])
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["Belopp (kr)"] = frame["Belopp (kr)"].astype("int64")
    return frame


def _about(store: Store | Session, listed: PayoutList) -> list[tuple[str, AboutValue]]:
    doc = store.rounds.round_document(listed.round_id)
    rows: list[tuple[str, AboutValue]] = [("Bidragsomgång", doc.get("short_title") or doc["title"])]
    if listed.kind == DECISION:
        rows += [
            ("Beslut", f"{listed.reference} (nummer {listed.decision_id})"),
            ("Beslutat belopp", kr(listed.basis)),
            ("Redan utbetalt enligt omgången", kr(listed.already_paid)),
        ]
    else:
        up_to = listed.up_to.isoformat() if listed.up_to else "alla som kommit in"
        rows += [
            ("Beslut", listed.reference),
            ("Rekvisitioner inkomna till och med", up_to),
            ("Rekvisitioner ej utbetalda", kr(listed.basis)),
            ("Redan utbetalt enligt omgången", kr(listed.already_paid)),
        ]
    rows.append(("Att betala ut enligt listan", kr(listed.total)))
    if listed.kind == DECISION:
        rows += [
            (
                "Att återkräva (återkrav, betalas inte ut)",
                f"{r.name}: {kr(r.amount)} (fått {kr(r.paid)}, beslutat {kr(r.decided)})",
            )
            for r in listed.recoveries
        ]
        rows.append(
            (
                "Avstämning",
                f"beslutat {kr(listed.basis)} − redan utbetalt {kr(listed.already_paid)} = "
                f"att betala ut nu {kr(listed.total)} − att återkräva {kr(listed.to_recover)} "
                f"= {kr(listed.basis - listed.already_paid)}",
            )
        )
    rows += [("Betalas inte ut", f"{r.name}: {kr(r.amount)}. {refused_sv(r)}") for r in listed.refused]
    rows += [("Observera", text) for text in listed.notices_sv]
    rows += [("Kan inte registreras", text) for text in problems_sv(listed)]
    rows += store_facts(store, listed.round_id)
    rows.append(created_row())
    return rows


def payout_export(store: Store | Session, listed: PayoutList, fmt: str) -> bytes:
    """The payout list as ``"csv"`` or ``"xlsx"`` bytes."""
    frame = payout_frame(listed)
    if fmt == "csv":
        return frame_to_csv(frame)
    if fmt != "xlsx":
        raise ValueError(f"unknown format {fmt!r}")
    return frame_to_xlsx(frame, _about(store, listed), sheet_name="Utbetalning")


def payout_file_name(store: Store | Session, listed: PayoutList, fmt: str) -> str:
    """``AT-tjanster-2023_utbetalning_S2023-1_2023-12-01.xlsx``."""
    doc = store.rounds.round_document(listed.round_id)
    return export_file_name(doc.get("short_title") or doc["title"], "utbetalning", listed.reference, ext=fmt)
