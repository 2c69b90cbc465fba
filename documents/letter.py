"""One recipient's letter (besked om statsbidrag), in Swedish, from a frozen decision snapshot (pure).

What the region gets in total and per part (in the order the parts are paid), how it was computed, when
and where the money is paid and with which reference, whom to ask, and the fields the agency signs.
"""

from __future__ import annotations

from allocation.decision import AMENDMENT, Snapshot
from documents.content import (
    ILLUSTRATIVE,
    WATERMARK,
    amendment_notice,
    appeal_blocks,
    decision_date,
    doc_label,
    draft_marking,
    meta,
    method_sv,
    paid_on_requisition,
    part_sv,
    payment_reference,
    recipient_label,
    signing_fields,
)
from documents.model import Document, Signing, Table, bullets, fields, heading, lead, paragraph, table
from present.decision_text import ordered_parts
from present.formats import kr


def _amounts(snapshot: Snapshot, code: str) -> Table:
    """The recipient's amount per part: one block lists its parts; several list each block and its parts."""
    line = snapshot.recipient(code)
    rows: list[tuple[str, str]] = []
    single = len(snapshot.blocks) == 1
    for b in snapshot.blocks:
        if not (single and b.parts):
            rows.append((b.title, kr(b.amounts.get(code, 0))))
        prefix = "" if single else "varav "
        rows += [
            (prefix + (part_sv(p) if single else part_sv(p).lower()), kr(b.parts[p].get(code, 0)))
            for p in ordered_parts(b.parts)
        ]
    rows.append(("Summa", kr(line.total)))
    return Table(("Del", "Belopp"), tuple(rows), (False, True), total=True, widths=(3, 1.4))


def _payment(snapshot: Snapshot, code: str, grantor: str, bankgiro: str) -> list[dict]:
    """When, where and with which reference the money is paid."""
    line = snapshot.recipient(code)
    out: list[dict] = [heading("Utbetalning")]
    account = f"regionens bankgiro {bankgiro}" if bankgiro else f"det bankgiro som regionen har anmält till {grantor}"
    if line.total and paid_on_requisition(snapshot):
        out.append(
            paragraph(
                f"{kr(line.total)} är det högsta belopp som regionen kan rekvirera. Medlen betalas ut när regionen "
                f"har rekvirerat dem, till {account}; betalningen märks med rekvisitionens referens."
            )
        )
    elif line.total:
        what = f"{kr(line.total)} betalas ut"
        if snapshot.kind == AMENDMENT:
            what = (
                f"Regionen får totalt {kr(line.total)} enligt detta beslut. Det som redan har betalats ut i "
                "omgången räknas av, och resten betalas ut"
            )
        out.append(
            paragraph(
                f"{what} i den utbetalning som {grantor} gör enligt detta beslut, till {account}. "
                f"Betalningen märks med referensen {payment_reference(snapshot, code)}."
            )
        )
    else:
        out.append(paragraph("Regionen får inget belopp enligt detta beslut, och ingen utbetalning görs."))
    if snapshot.kind == AMENDMENT and not paid_on_requisition(snapshot):
        out.append(paragraph("Har regionen redan fått mer än detta beslut ger, återkrävs skillnaden."))
    return out


def letter(snapshot: Snapshot, code: str, signing: Signing, bankgiro: str = "") -> Document:
    """One recipient's letter (KeyError for a code not in the snapshot). ``bankgiro``: the recipient's
    bankgiro as the agency registered it, or "" (the letter then names the bankgiro the region registered)."""
    line = snapshot.recipient(code)
    who = recipient_label(line.name)
    grantor = signing.grantor or snapshot.grantor
    blocks: list[dict] = [
        *amendment_notice(snapshot),
        paragraph(
            f"{grantor or 'Myndigheten'} har den {decision_date(snapshot)} fattat beslut om fördelningen av "
            f"statsbidraget (diarienummer {snapshot.reference})."
        ),
        lead(f"{who} får {kr(line.total)}."),
        heading("Belopp per del"),
        table(_amounts(snapshot, code)),
        heading("Så har beloppet räknats fram"),
        bullets(line.explanation) if line.explanation else paragraph("Beslutet har ingen sparad förklaring."),
        *_payment(snapshot, code, grantor or "myndigheten", bankgiro),
        heading("Fördelningsgrunder"),
        bullets([f"{b.title}: {method_sv(b.method)}." for b in snapshot.blocks]),
        paragraph(
            "Hela beslutet, med beloppen för alla mottagare och källorna till reglerna, "
            f"har diarienummer {snapshot.reference}."
        ),
        heading("Frågor om beslutet"),
        fields((("Kontaktperson", signing.contact),)),
        *appeal_blocks(signing),
    ]
    return Document(
        kind="letter",
        grantor=grantor,
        doc_label=f"Besked om statsbidrag ({doc_label(snapshot).lower()})",
        meta=(*meta(snapshot), ("Mottagare", f"{who} ({code})")),
        addressee=(who,),
        title=snapshot.round_title,
        banner=ILLUSTRATIVE if snapshot.illustrative else "",
        watermark=WATERMARK if snapshot.illustrative else "",
        blocks=tuple(blocks),
        signing=signing_fields(signing),
        footer=f"{who} · {doc_label(snapshot)} {snapshot.reference}",
        draft=draft_marking(signing),
    )
