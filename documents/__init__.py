"""A frozen decision snapshot as documents: the decision, one letter per recipient, the confirmation of a
requisition; PDF (Typst) and editable DOCX (python-docx), and all of a round's as one ZIP.

Pure apart from the rendering libraries: imports ``allocation`` and ``present``, never the store, the
UI, Streamlit or DuckDB (tests/test_layers.py). Text is Swedish; amounts are the snapshot's integers.
"""

from __future__ import annotations

from collections.abc import Mapping

from allocation.decision import Snapshot
from documents import archive, content, letter, pdf, word
from documents.model import RequisitionConfirmation, Signing

__all__ = [
    "RequisitionConfirmation",
    "Signing",
    "decision_docx",
    "decision_pdf",
    "letter_docx",
    "letter_pdf",
    "letters_zip",
    "requisition_confirmation_pdf",
]


def decision_pdf(snapshot: Snapshot, signing: Signing) -> bytes:
    """The round's decision as PDF: method, amounts per recipient and block, sums, sources, signing fields."""
    return pdf.render(content.decision(snapshot, signing), snapshot.decided_at)


def decision_docx(snapshot: Snapshot, signing: Signing) -> bytes:
    """The decision as editable DOCX, with the same content as the PDF."""
    return word.render(content.decision(snapshot, signing))


def letter_pdf(snapshot: Snapshot, code: str, signing: Signing, bankgiro: str = "") -> bytes:
    """One recipient's letter as PDF (KeyError for a code not in the snapshot); ``bankgiro`` as registered."""
    return pdf.render(letter.letter(snapshot, code, signing, bankgiro), snapshot.decided_at)


def letter_docx(snapshot: Snapshot, code: str, signing: Signing, bankgiro: str = "") -> bytes:
    """One recipient's letter as editable DOCX."""
    return word.render(letter.letter(snapshot, code, signing, bankgiro))


def requisition_confirmation_pdf(confirmation: RequisitionConfirmation, signing: Signing | None = None) -> bytes:
    """The confirmation that a requisition was received (elderly care)."""
    doc = content.confirmation(confirmation, signing or Signing())
    return pdf.render(doc, confirmation.received)


def letters_zip(snapshot: Snapshot, signing: Signing, bankgiros: Mapping[str, str] | None = None) -> bytes:
    """The decision (PDF and DOCX) and one PDF and one DOCX per recipient, in one ZIP (``bankgiros``: per
    code, as registered)."""
    giro = bankgiros or {}
    files = [
        (archive.decision_name(snapshot, "pdf"), decision_pdf(snapshot, signing)),
        (archive.decision_name(snapshot, "docx"), decision_docx(snapshot, signing)),
    ]
    for line in snapshot.recipients:
        bankgiro = giro.get(line.code, "")
        for ext, make in (("pdf", letter_pdf), ("docx", letter_docx)):
            files.append((archive.letter_name(line.code, line.name, ext), make(snapshot, line.code, signing, bankgiro)))
    return archive.zip_files(files)
