"""What the agency fills in itself, and the neutral shape every document is written in.

A document is a list of blocks (heading, paragraph, list, table, quote, notice); the PDF templates
and the DOCX writer both read the same blocks, so the two formats never say different things.
User text is only ever data in these blocks, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Signing:
    """The fields the agency fills in itself; empty fields print as lines to fill by hand.

    ``grantor`` is the round's grantor (``Round.grantor``, e.g. "Socialstyrelsen"), printed as the
    letterhead: the snapshot does not carry it. ``appeal`` is printed only when staff entered it:
    the documents add no legal text of their own. ``contact`` is whom a recipient asks about the
    decision and its payment (a letter prints a line to fill when it is empty).

    A decision or a letter is a draft (UTKAST on every page) until signatory, title, place and date
    are filled (``missing``).
    """

    signatory: str = ""
    title: str = ""
    date: str = ""  # ISO date; empty: a line to fill in
    place: str = ""
    appeal: str = ""
    grantor: str = ""
    contact: str = ""

    def missing(self) -> tuple[str, ...]:
        """What the agency has still to fill before the document can be signed, in Swedish."""
        fields = (("undertecknare", self.signatory), ("titel", self.title), ("ort", self.place), ("datum", self.date))
        return tuple(name for name, value in fields if not value.strip())


@dataclass(frozen=True)
class RequisitionConfirmation:
    """A received requisition (elderly care), as the confirmation to the region states it."""

    round_title: str
    dnr: str
    region_name: str
    region_code: str
    received: str  # ISO date
    amount: int  # kronor requisitioned
    maximum: int | None  # the region's maximum, kronor (None: not known)
    requisition_reference: str
    deadline: str  # ISO date: the last day to requisition
    maximum_source: str = ""  # where the maximum comes from (e.g. "bilaga 1" or "uppskattning")
    illustrative: bool = False
    requisitioned_before: int = 0  # the region's earlier requisitions in the round, kronor


@dataclass(frozen=True)
class Table:
    """Rows of text; ``numeric`` columns align right; the last row is a sum row when ``total``."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]
    total: bool = False
    widths: tuple[float, ...] = ()  # relative column widths; empty: automatic


@dataclass(frozen=True)
class Document:
    """One document: letterhead, the facts on the right of it, a title, and its blocks."""

    kind: str  # "decision", "letter" or "confirmation" (the template's name)
    grantor: str
    doc_label: str  # "Beslut", "Ändringsbeslut", "Besked", "Bekräftelse"
    meta: tuple[tuple[str, str], ...]  # label -> value beside the letterhead
    addressee: tuple[str, ...]
    title: str
    banner: str  # the illustrative warning on page 1, or ""
    watermark: str  # on every page when illustrative, or ""
    blocks: tuple[dict[str, Any], ...]
    signing: tuple[tuple[str, str], ...]  # label -> value ("" prints a line)
    footer: str
    extra: dict[str, Any] = field(default_factory=dict)
    draft: str = ""  # "UTKAST – …" at the top of every page while the agency's fields are missing, or ""


def heading(text: str) -> dict[str, Any]:
    return {"type": "heading", "text": text}


def paragraph(text: str) -> dict[str, Any]:
    return {"type": "paragraph", "text": text}


def bullets(items: list[str] | tuple[str, ...]) -> dict[str, Any]:
    return {"type": "list", "items": list(items)}


def lead(text: str) -> dict[str, Any]:
    """The one sentence that matters most (a letter's amount), set apart."""
    return {"type": "lead", "text": text}


def notice(text: str) -> dict[str, Any]:
    return {"type": "notice", "text": text}


def quote(label: str, text: str) -> dict[str, Any]:
    return {"type": "quote", "label": label, "text": text}


def fields(rows: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """Label and value per row, as the fields to sign are printed ("" prints a line to fill in)."""
    return {"type": "fields", "rows": [list(r) for r in rows]}


def table(t: Table) -> dict[str, Any]:
    return {
        "type": "table",
        "header": list(t.header),
        "rows": [list(r) for r in t.rows],
        "numeric": list(t.numeric),
        "total": t.total,
        "widths": list(t.widths),
    }


def to_data(doc: Document) -> dict[str, Any]:
    """The JSON the templates read."""
    return {
        "kind": doc.kind,
        "grantor": doc.grantor,
        "doc_label": doc.doc_label,
        "meta": [list(m) for m in doc.meta],
        "addressee": list(doc.addressee),
        "title": doc.title,
        "banner": doc.banner,
        "watermark": doc.watermark,
        "blocks": list(doc.blocks),
        "signing": [list(s) for s in doc.signing],
        "footer": doc.footer,
        "draft": doc.draft,
    }
