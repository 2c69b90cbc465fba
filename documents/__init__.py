"""A frozen decision snapshot as documents: the decision, one letter per recipient, the confirmation of a
requisition; PDF (Typst) and editable DOCX (python-docx), and all of a round's as one ZIP.

Pure apart from the rendering libraries: imports ``allocation`` and ``present``, never the store, the
UI, Streamlit or DuckDB (tests/test_layers.py). Text is Swedish; amounts are the snapshot's integers.
"""

from __future__ import annotations

from allocation.decision import Snapshot
from documents import archive, content, pdf, word
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


def letter_pdf(snapshot: Snapshot, code: str, signing: Signing) -> bytes:
    """One recipient's letter as PDF (KeyError for a code not in the snapshot)."""
    return pdf.render(content.letter(snapshot, code, signing), snapshot.decided_at)


def letter_docx(snapshot: Snapshot, code: str, signing: Signing) -> bytes:
    """One recipient's letter as editable DOCX."""
    return word.render(content.letter(snapshot, code, signing))


def requisition_confirmation_pdf(confirmation: RequisitionConfirmation, signing: Signing | None = None) -> bytes:
    """The confirmation that a requisition was received (elderly care)."""
    doc = content.confirmation(confirmation, signing or Signing())
    return pdf.render(doc, confirmation.received)


def letters_zip(snapshot: Snapshot, signing: Signing) -> bytes:
    """The decision (PDF and DOCX) and one PDF and one DOCX per recipient, in one ZIP."""
    files = [
        (archive.decision_name(snapshot, "pdf"), decision_pdf(snapshot, signing)),
        (archive.decision_name(snapshot, "docx"), decision_docx(snapshot, signing)),
    ]
    for line in snapshot.recipients:
        files.append((archive.letter_name(line.code, line.name, "pdf"), letter_pdf(snapshot, line.code, signing)))
        files.append((archive.letter_name(line.code, line.name, "docx"), letter_docx(snapshot, line.code, signing)))
    return archive.zip_files(files)
