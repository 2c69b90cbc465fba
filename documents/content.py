"""What each document says, in Swedish, from a frozen decision snapshot (pure: no file, no clock).

Every amount is the snapshot's own integer, formatted with ``present.formats.kr`` (``1 234 567 kr``,
non-breaking spaces, a real minus sign); nothing is recomputed but the sums the snapshot already
checks (``allocation.decision.check``).
"""

from __future__ import annotations

from datetime import date

from allocation.decision import AMENDMENT, BlockOutcome, Snapshot
from documents.model import (
    Document,
    RequisitionConfirmation,
    Signing,
    Table,
    bullets,
    heading,
    lead,
    notice,
    paragraph,
    quote,
    table,
)
from present.decision_text import METHOD_SV, PART_SV
from present.formats import kr

# The same words as the simulator's (ui/block_charts.py); documents/ may not import ui/.
MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
ILLUSTRATIVE = (
    "Illustrativ omgång: alla belopp i dokumentet är exempel. "
    "Dokumentet är inte ett verkligt beslut och ligger inte till grund för någon utbetalning."
)
ILLUSTRATIVE_CONFIRMATION = (
    "Illustrativ omgång: beloppen är exempel. Dokumentet är inte en verklig bekräftelse av en rekvisition."
)
WATERMARK = "EXEMPEL"


def long_date(text: str) -> str:
    """``1 december 2023`` from an ISO date or date-time; an unreadable text is printed as it is."""
    try:
        day = date.fromisoformat(text.strip()[:10])
    except ValueError:
        return text
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def method_sv(method: str) -> str:
    return METHOD_SV.get(method, method)


def part_sv(part: str) -> str:
    return PART_SV.get(part, part)


def recipient_label(name: str) -> str:
    """``Region Skåne``; a name that already says Region is left as it is."""
    return name if name.lower().startswith("region") else f"Region {name}"


def _decided(snapshot: Snapshot) -> str:
    """The decision's date: when it was taken — for a snapshot taken at migration (later), its publication."""
    return long_date(snapshot.published_on if snapshot.migrated else snapshot.decided_at)


def _signing_fields(signing: Signing) -> tuple[tuple[str, str], ...]:
    where = ", ".join(x for x in (signing.place, long_date(signing.date) if signing.date else "") if x)
    return (
        ("Ort och datum", where),
        ("Underskrift", ""),
        ("Namnförtydligande", signing.signatory),
        ("Titel", signing.title),
    )


def _amendment(snapshot: Snapshot) -> list[dict]:
    if snapshot.kind != AMENDMENT:
        return []
    which = (
        f"beslut {snapshot.supersedes_reference}"
        if snapshot.supersedes_reference
        else f"beslut nummer {snapshot.supersedes}"
        if snapshot.supersedes is not None
        else "ett tidigare beslut"
    )
    return [
        notice(
            f"Ändringsbeslut: detta beslut ändrar {which} i samma omgång. "
            "Beloppen i detta beslut ersätter beloppen i det beslut som ändras."
        )
    ]


def _appeal(signing: Signing) -> list[dict]:
    if not signing.appeal.strip():
        return []
    return [heading("Hur man överklagar"), paragraph(signing.appeal)]


def _doc_label(snapshot: Snapshot) -> str:
    return "Ändringsbeslut" if snapshot.kind == AMENDMENT else "Beslut"


def _meta(snapshot: Snapshot) -> tuple[tuple[str, str], ...]:
    meta = [("Beslutsdatum", _decided(snapshot)), ("Diarienummer", snapshot.reference)]
    if snapshot.round_dnr:
        meta.append(("Statsbidragets dnr", snapshot.round_dnr))
    return tuple(meta)


def amounts_table(snapshot: Snapshot) -> Table:
    """Region, code, one column per block, the total; the last row sums every column."""
    blocks = snapshot.blocks
    rows = [
        (line.name, line.code, *(kr(b.amounts.get(line.code, 0)) for b in blocks), kr(line.total))
        for line in snapshot.recipients
    ]
    rows.append(("Summa", "", *(kr(b.paid) for b in blocks), kr(snapshot.paid)))
    return Table(
        header=("Mottagare", "Kod", *(b.title for b in blocks), "Summa"),
        rows=tuple(rows),
        numeric=(False, False, *(True for _ in blocks), True),
        total=True,
        widths=(3, 1, *(2.2 for _ in blocks), 2.4),
    )


def parts_table(snapshot: Snapshot, block: BlockOutcome) -> Table:
    parts = list(block.parts)
    rows = [
        (line.name, *(kr(block.parts[p].get(line.code, 0)) for p in parts), kr(block.amounts.get(line.code, 0)))
        for line in snapshot.recipients
    ]
    rows.append(("Summa", *(kr(sum(block.parts[p].values())) for p in parts), kr(block.paid)))
    return Table(
        header=("Mottagare", *(part_sv(p) for p in parts), "Summa"),
        rows=tuple(rows),
        numeric=(False, *(True for _ in parts), True),
        total=True,
        widths=(3, *(2.2 for _ in parts), 2.4),
    )


def pots_table(snapshot: Snapshot) -> Table:
    titles = {b.block_id: b.title for b in snapshot.blocks}
    rows = [
        (
            b.title,
            kr(b.pot),
            kr(b.inflow),
            kr(b.paid),
            kr(b.unpaid),
            titles.get(b.unpaid_to, b.unpaid_to) if b.unpaid_to else "fördelas inte",
        )
        for b in snapshot.blocks
    ]
    return Table(
        header=("Del", "Medel", "Tillfört", "Fördelat", "Ej fördelat", "Det som inte fördelas"),
        rows=tuple(rows),
        numeric=(False, True, True, True, True, False),
        widths=(2.6, 2, 1.7, 2, 1.9, 2),
    )


def _method_blocks(snapshot: Snapshot) -> list[dict]:
    out: list[dict] = [heading("Så har beloppen räknats fram")]
    for b in snapshot.blocks:
        out.append(paragraph(f"{b.title}: {method_sv(b.method)}. Medel för delen: {kr(b.pot)}."))
        if b.notices:
            out.append(bullets(b.notices))
    if snapshot.pot_reason:
        out.append(paragraph(f"Val av medel: {snapshot.pot_reason}"))
    if snapshot.population_date:
        out.append(paragraph(f"Befolkningsuppgifter per {long_date(snapshot.population_date)}."))
    return out


def decision(snapshot: Snapshot, signing: Signing) -> Document:
    """The round's decision: the amounts of every recipient and block, the method, the sources."""
    grantor = signing.grantor or snapshot.grantor
    blocks: list[dict] = [*_amendment(snapshot)]
    if snapshot.migrated:
        blocks.append(
            notice(
                "Underlaget till detta beslut sparades när ett tidigare publicerat beslut "
                "fördes över till systemet (migrering)."
            )
        )
    blocks += [
        heading(_doc_label(snapshot)),
        paragraph(f"{grantor or 'Myndigheten'} fördelar {kr(snapshot.paid)} enligt tabellen nedan."),
        paragraph(
            f"Medel att fördela: {kr(snapshot.pot)}. Fördelat: {kr(snapshot.paid)}. "
            f"Inte fördelat: {kr(snapshot.unallocated)}."
        ),
        heading("Belopp per mottagare och del"),
        table(amounts_table(snapshot)),
    ]
    for b in snapshot.blocks:
        if b.parts:
            blocks += [heading(f"{b.title}: beloppets delar"), table(parts_table(snapshot, b))]
    blocks += [heading("Medel och det som inte fördelades"), table(pots_table(snapshot))]
    blocks += _method_blocks(snapshot)
    if snapshot.warnings:
        blocks += [heading("Påpekanden som bekräftades vid beslutet"), bullets(snapshot.warnings)]
    if snapshot.sources:
        blocks.append(heading("Källor till reglerna"))
        blocks += [quote(f"{s.what} ({s.section})" if s.section else s.what, s.quote) for s in snapshot.sources]
    underlag = f"Regelverk version {snapshot.rules_version}"
    if snapshot.rules_sha256:
        underlag += f" (SHA-256 {snapshot.rules_sha256[:12]})"
    underlag += f". Beslutet registrerades av {snapshot.decided_by} den {_decided(snapshot)}."
    if snapshot.content_hash:
        underlag += f" Underlagets kontrollsumma: {snapshot.content_hash[:16]}."
    blocks += [heading("Underlag"), paragraph(underlag)]
    blocks += _appeal(signing)
    return Document(
        kind="decision",
        grantor=grantor,
        doc_label=_doc_label(snapshot),
        meta=_meta(snapshot),
        addressee=(),
        title=snapshot.round_title,
        banner=ILLUSTRATIVE if snapshot.illustrative else "",
        watermark=WATERMARK if snapshot.illustrative else "",
        blocks=tuple(blocks),
        signing=_signing_fields(signing),
        footer=f"{_doc_label(snapshot)} {snapshot.reference}",
    )


def letter(snapshot: Snapshot, code: str, signing: Signing) -> Document:
    """One recipient's letter: its amount in total and per block, and how it was computed."""
    line = snapshot.recipient(code)
    who = recipient_label(line.name)
    rows: list[tuple[str, str]] = []
    for b in snapshot.blocks:
        rows.append((b.title, kr(b.amounts.get(code, 0))))
        rows += [(f"varav {part_sv(p).lower()}", kr(per.get(code, 0))) for p, per in b.parts.items()]
    rows.append(("Summa", kr(line.total)))
    amounts = Table(("Del", "Belopp"), tuple(rows), (False, True), total=True, widths=(3, 1.4))
    blocks: list[dict] = [
        *_amendment(snapshot),
        paragraph(
            f"{signing.grantor or snapshot.grantor or 'Myndigheten'} har fattat beslut {snapshot.reference} "
            f"den {_decided(snapshot)} "
            "om fördelningen av statsbidraget."
        ),
        lead(f"{who} får {kr(line.total)}."),
        heading("Belopp per del"),
        table(amounts),
        heading("Så har beloppet räknats fram"),
        bullets(line.explanation) if line.explanation else paragraph("Beslutet har ingen sparad förklaring."),
        heading("Fördelningsgrunder"),
        bullets([f"{b.title}: {method_sv(b.method)}." for b in snapshot.blocks]),
        paragraph(
            f"Hela beslutet, med beloppen för alla mottagare och källorna till reglerna, "
            f"har diarienummer {snapshot.reference}."
        ),
        *_appeal(signing),
    ]
    return Document(
        kind="letter",
        grantor=signing.grantor or snapshot.grantor,
        doc_label=f"Besked om statsbidrag ({_doc_label(snapshot).lower()})",
        meta=(*_meta(snapshot), ("Mottagare", f"{who} ({code})")),
        addressee=(who,),
        title=snapshot.round_title,
        banner=ILLUSTRATIVE if snapshot.illustrative else "",
        watermark=WATERMARK if snapshot.illustrative else "",
        blocks=tuple(blocks),
        signing=_signing_fields(signing),
        footer=f"{who} · {_doc_label(snapshot)} {snapshot.reference}",
    )


def confirmation(c: RequisitionConfirmation, signing: Signing) -> Document:
    """The confirmation that a requisition was received (elderly care)."""
    who = recipient_label(c.region_name)
    rows = [("Rekvirerat belopp", kr(c.amount))]
    if c.maximum is not None:
        label = "Regionens högsta belopp" + (f" ({c.maximum_source})" if c.maximum_source else "")
        rows.append((label, kr(c.maximum)))
        left = c.maximum - c.requisitioned_before - c.amount
        if c.requisitioned_before:
            rows.append(("Tidigare rekvirerat", kr(c.requisitioned_before)))
        rows.append(("Kvar upp till högsta belopp", kr(max(left, 0))))
    blocks: list[dict] = [
        paragraph(
            f"{signing.grantor or 'Myndigheten'} har den {long_date(c.received)} tagit emot rekvisition "
            f"{c.requisition_reference} från {who} ({c.region_code}) för {c.round_title}."
        ),
        table(Table(("", "Belopp"), tuple(rows), (False, True), widths=(3, 1.4))),
    ]
    if c.maximum is None:
        blocks.append(paragraph("Regionens högsta belopp är inte känt i underlaget."))
    elif c.requisitioned_before + c.amount > c.maximum:
        blocks.append(
            notice(
                "Det rekvirerade beloppet, med tidigare rekvisitioner, är "
                f"{kr(c.requisitioned_before + c.amount - c.maximum)} högre än regionens högsta belopp."
            )
        )
    blocks.append(paragraph(f"Sista dag att rekvirera: {long_date(c.deadline)}."))
    return Document(
        kind="confirmation",
        grantor=signing.grantor,
        doc_label="Bekräftelse av mottagen rekvisition",
        meta=(("Mottagen", long_date(c.received)), ("Rekvisition", c.requisition_reference), ("Dnr", c.dnr)),
        addressee=(who,),
        title=c.round_title,
        banner=ILLUSTRATIVE_CONFIRMATION if c.illustrative else "",
        watermark=WATERMARK if c.illustrative else "",
        blocks=tuple(blocks),
        signing=_signing_fields(signing) if signing.signatory or signing.title else (),
        footer=f"{who} · rekvisition {c.requisition_reference}",
    )
