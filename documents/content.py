"""What each document says, in Swedish, from a frozen decision snapshot (pure: no file, no clock).

Every amount is the snapshot's own integer, formatted with ``present.formats.kr`` (``1 234 567 kr``,
non-breaking spaces, a real minus sign); nothing is recomputed but the sums the snapshot already
checks (``allocation.decision.check``).
"""

from __future__ import annotations

from datetime import date

from allocation.decision import AMENDMENT, BlockOutcome, Snapshot
from allocation.payouts import PayoutLine
from documents.model import (
    Document,
    RequisitionConfirmation,
    Signing,
    Table,
    bullets,
    heading,
    notice,
    paragraph,
    quote,
    table,
)
from present.decision_text import METHOD_SV, PART_SV, ordered_parts, plain_quote, source_heading
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


def decision_date(snapshot: Snapshot) -> str:
    """The decision's date as documents print it: the day it is published (not the moment it was recorded)."""
    return long_date(snapshot.published_on)


def draft_marking(signing: Signing) -> str:
    """``UTKAST – …`` on every page while the fields the agency fills are missing; "" when complete."""
    missing = signing.missing()
    if not missing:
        return ""
    names = missing[0] if len(missing) == 1 else f"{', '.join(missing[:-1])} och {missing[-1]}"
    return f"UTKAST – inte klart att underteckna: {names} saknas"


def signing_fields(signing: Signing) -> tuple[tuple[str, str], ...]:
    where = ", ".join(x for x in (signing.place, long_date(signing.date) if signing.date else "") if x)
    return (
        ("Ort och datum", where),
        ("Underskrift", ""),
        ("Namnförtydligande", signing.signatory),
        ("Titel", signing.title),
    )


def amendment_notice(snapshot: Snapshot) -> list[dict]:
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


def appeal_blocks(signing: Signing) -> list[dict]:
    if not signing.appeal.strip():
        return []
    return [heading("Hur man överklagar"), paragraph(signing.appeal)]


def doc_label(snapshot: Snapshot) -> str:
    return "Ändringsbeslut" if snapshot.kind == AMENDMENT else "Beslut"


def meta(snapshot: Snapshot) -> tuple[tuple[str, str], ...]:
    rows = [("Beslutsdatum", decision_date(snapshot)), ("Diarienummer", snapshot.reference)]
    if snapshot.round_dnr:
        rows.append(("Statsbidragets dnr", snapshot.round_dnr))
    return tuple(rows)


def paid_on_requisition(snapshot: Snapshot) -> bool:
    """Whether the decision's blocks are paid when a recipient requisitions, not by the decision's payout run
    (``store.payments``): what the round's blocks say (``allocation.decision.BlockOutcome.on_requisition``)."""
    return bool(snapshot.blocks) and all(b.on_requisition for b in snapshot.blocks)


def payment_reference(snapshot: Snapshot, code: str) -> str:
    """The reference a recipient's payment carries, as the payout list writes it."""
    return PayoutLine(code, "", 1, snapshot.reference).payment_reference


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


def parts_table(snapshot: Snapshot, block: BlockOutcome, with_code: bool = False) -> Table:
    """A block's parts per recipient, in the order they are paid, and the block's amount."""
    parts = ordered_parts(block.parts)
    code = (lambda c: (c,)) if with_code else (lambda c: ())
    rows = [
        (
            line.name,
            *code(line.code),
            *(kr(block.parts[p].get(line.code, 0)) for p in parts),
            kr(block.amounts.get(line.code, 0)),
        )
        for line in snapshot.recipients
    ]
    rows.append(("Summa", *code(""), *(kr(sum(block.parts[p].values())) for p in parts), kr(block.paid)))
    return Table(
        header=("Mottagare", *code("Kod"), *(part_sv(p) for p in parts), "Summa"),
        rows=tuple(rows),
        numeric=(False, *code(False), *(True for _ in parts), True),
        total=True,
        widths=(3, *code(1), *(2.2 for _ in parts), 2.4),
    )


def pots_table(snapshot: Snapshot) -> Table:
    """Per block: its funds, what flowed in from another block (when any did), what it paid and did not."""
    inflow = any(b.inflow for b in snapshot.blocks)
    rows = [
        (b.title, kr(b.pot), *((kr(b.inflow),) if inflow else ()), kr(b.paid), kr(b.unpaid)) for b in snapshot.blocks
    ]
    return Table(
        header=("Del", "Medel", *(("Tillfört från annan del",) if inflow else ()), "Fördelat", "Ej fördelat"),
        rows=tuple(rows),
        numeric=(False, True, *((True,) if inflow else ()), True, True),
        widths=(3.2, 2, *((2,) if inflow else ()), 2, 2),
    )


def _unpaid_sentences(snapshot: Snapshot) -> list[str]:
    """Where each block's undistributed funds go, in words."""
    titles = {b.block_id: b.title for b in snapshot.blocks}
    out = []
    for b in snapshot.blocks:
        if b.unpaid_to:
            target = titles.get(b.unpaid_to, "en annan del")
            out.append(f"Det som inte fördelas inom {b.title} förs över till {target}.")
        elif b.unpaid:
            out.append(f"{kr(b.unpaid)} inom {b.title} fördelades inte och betalas inte ut.")
    return out


def _payment_sentence(snapshot: Snapshot, grantor: str) -> str:
    if not snapshot.recipients:
        return "Beslutet har inga mottagare; ingen utbetalning görs."
    if paid_on_requisition(snapshot):
        return (
            "Beloppen är det högsta varje mottagare kan rekvirera. Medlen betalas ut när mottagaren har rekvirerat "
            f"dem, till det bankgiro som mottagaren har anmält till {grantor}; betalningen märks med "
            "rekvisitionens referens."
        )
    example = payment_reference(snapshot, snapshot.recipients[0].code)
    return (
        f"Beloppen betalas ut i den utbetalning som {grantor} gör enligt detta beslut, till det bankgiro som "
        f"respektive mottagare har anmält till {grantor}. Varje betalning märks med beslutets diarienummer och "
        f"mottagarens kod, till exempel {example}."
    )


def _method_blocks(snapshot: Snapshot) -> list[dict]:
    out: list[dict] = [heading("Så har beloppen räknats fram")]
    for b in snapshot.blocks:
        out.append(paragraph(f"{b.title}: {method_sv(b.method)}. Medel för delen: {kr(b.pot)}."))
        if b.notices:
            out.append(bullets(b.notices))
    if snapshot.pot_reason:
        out.append(paragraph(f"Skäl för valet av medel: {snapshot.pot_reason.rstrip('. ')}."))
    if snapshot.population_date:
        out.append(paragraph(f"Befolkningsuppgifter per {long_date(snapshot.population_date)}."))
    return out


def _amount_tables(snapshot: Snapshot) -> list[dict]:
    """One table when the round has one block (its parts and the sum), else the blocks and each one's parts."""
    if len(snapshot.blocks) == 1:
        only = snapshot.blocks[0]
        if only.parts:
            return [heading("Belopp per mottagare"), table(parts_table(snapshot, only, with_code=True))]
    out = [heading("Belopp per mottagare och del"), table(amounts_table(snapshot))]
    for b in snapshot.blocks:
        if b.parts:
            out += [heading(f"{b.title}: beloppets delar"), table(parts_table(snapshot, b))]
    return out


def _sources(snapshot: Snapshot) -> list[dict]:
    if not snapshot.sources:
        return []
    out = [heading("Källor till reglerna")]
    for s in snapshot.sources:
        label = source_heading(s.what)
        out.append(quote(f"{label}, ur avsnittet ”{s.section}”" if s.section else label, plain_quote(s.quote)))
    return out


def decision(snapshot: Snapshot, signing: Signing) -> Document:
    """The round's decision: the amounts of every recipient and block, the method, the sources."""
    grantor = signing.grantor or snapshot.grantor
    blocks: list[dict] = [*amendment_notice(snapshot)]
    if snapshot.migrated:
        blocks.append(
            notice(
                "Underlaget till detta beslut sparades när ett tidigare publicerat beslut "
                "fördes över till systemet (migrering)."
            )
        )
    blocks += [
        heading(doc_label(snapshot)),
        paragraph(
            f"{grantor or 'Myndigheten'} beslutar den {decision_date(snapshot)} att fördela "
            f"{kr(snapshot.paid)} enligt tabellen nedan."
        ),
        paragraph(
            f"Medel att fördela: {kr(snapshot.pot)}. Fördelat: {kr(snapshot.paid)}. "
            f"Inte fördelat: {kr(snapshot.unallocated)}."
        ),
        *_amount_tables(snapshot),
        heading("Medel och det som inte fördelades"),
        table(pots_table(snapshot)),
        *(paragraph(s) for s in _unpaid_sentences(snapshot)),
        *_method_blocks(snapshot),
        heading("Utbetalning"),
        paragraph(_payment_sentence(snapshot, grantor or "myndigheten")),
    ]
    if snapshot.warnings:
        blocks += [heading("Påpekanden som bekräftades vid beslutet"), bullets(snapshot.warnings)]
    blocks += _sources(snapshot)
    underlag = f"Regelverk version {snapshot.rules_version}"
    if snapshot.rules_sha256:
        underlag += f" (kontrollsumma för regeltexten {snapshot.rules_sha256[:12]})"
    underlag += f". Beslutet registrerades av {snapshot.decided_by}."
    if snapshot.content_hash:
        underlag += f" Underlagets kontrollsumma: {snapshot.content_hash[:16]}."
    blocks += [heading("Underlag"), paragraph(underlag)]
    blocks += appeal_blocks(signing)
    return Document(
        kind="decision",
        grantor=grantor,
        doc_label=doc_label(snapshot),
        meta=meta(snapshot),
        addressee=(),
        title=snapshot.round_title,
        banner=ILLUSTRATIVE if snapshot.illustrative else "",
        watermark=WATERMARK if snapshot.illustrative else "",
        blocks=tuple(blocks),
        signing=signing_fields(signing),
        footer=f"{doc_label(snapshot)} {snapshot.reference}",
        draft=draft_marking(signing),
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
        signing=signing_fields(signing) if signing.signatory or signing.title else (),
        footer=f"{who} · rekvisition {c.requisition_reference}",
    )
