"""The same documents as editable DOCX (python-docx), for staff who adjust the wording before signing.

Written from the same blocks as the PDF (``documents.model.Document``): every text is a run's text,
so nothing in it is interpreted.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from documents.model import Document

ACCENT = RGBColor(0x23, 0x40, 0x5F)
WARNING = RGBColor(0x8A, 0x00, 0x00)
# Characters XML 1.0 cannot hold (a DOCX is XML): dropped rather than refused.
_BAD = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF])


def clean(text: str) -> str:
    return "".join(ch for ch in text.translate(_BAD) if not 0xD800 <= ord(ch) <= 0xDFFF)


def _shade(cell: Any, fill: str) -> None:
    props = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    props.append(shading)


def _table(out: Any, b: dict[str, Any]) -> None:
    ncols = len(b["header"])
    t = out.add_table(rows=1, cols=ncols)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.LEFT
    last = len(b["rows"]) - 1
    for rows, bold, fill in (([b["header"]], True, "DCE3EC"), (b["rows"], False, None)):
        for i, row in enumerate(rows):
            cells = t.rows[0].cells if bold else t.add_row().cells
            for x, value in enumerate(row):
                para = cells[x].paragraphs[0]
                run = para.add_run(clean(value))
                run.font.size = Pt(9)
                run.bold = bold or (b["total"] and i == last)
                if b["numeric"][x]:
                    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                if fill:
                    _shade(cells[x], fill)
    widths = b["widths"] if len(b["widths"]) == ncols else [1] * ncols
    total = sum(widths)
    for x, w in enumerate(widths):
        for cell in t.columns[x].cells:
            cell.width = Mm(163 * w / total)


def _block(out: Any, b: dict[str, Any]) -> None:
    kind = b["type"]
    if kind == "heading":
        out.add_heading(clean(b["text"]), level=2)
    elif kind == "paragraph":
        for part in b["text"].split("\n\n"):
            out.add_paragraph(clean(part))
    elif kind == "list":
        for item in b["items"]:
            out.add_paragraph(clean(item), style="List Bullet")
    elif kind == "lead":
        run = out.add_paragraph().add_run(clean(b["text"]))
        run.bold, run.font.size, run.font.color.rgb = True, Pt(13), ACCENT
    elif kind == "notice":
        run = out.add_paragraph().add_run(clean(b["text"]))
        run.bold = True
    elif kind == "quote":
        para = out.add_paragraph(style="Quote")
        label = para.add_run(clean(b["label"]) + "\n")
        label.bold = True
        para.add_run(clean(b["text"]))
    elif kind == "table":
        _table(out, b)
        out.add_paragraph()
    elif kind == "fields":
        _fields(out, b["rows"])


def _fields(out: Any, rows: Any) -> None:
    """Label and value per row; an empty value is a line to fill in by hand."""
    for label, value in rows:
        para = out.add_paragraph()
        para.add_run(f"{clean(label)}: ").font.size = Pt(9)
        para.add_run(clean(value) if value else "_" * 40)


def _draft_header(section: Any, text: str) -> None:
    """``UTKAST – …`` at the top of every page (the section's header repeats on each)."""
    para = section.header.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = para.add_run(clean(text))
    run.bold, run.font.size, run.font.color.rgb = True, Pt(9), WARNING


def render(doc: Document) -> bytes:
    """The DOCX of a document: A4, the letterhead, the blocks, the fields to sign."""
    out = new_docx()
    section = out.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(25), Mm(22)
    section.top_margin, section.bottom_margin = Mm(20), Mm(22)
    normal = out.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(11)
    out.core_properties.title = clean(doc.title)
    out.core_properties.author = clean(doc.grantor)
    out.core_properties.language = "sv-SE"

    head = out.add_paragraph()
    name = head.add_run(clean(doc.grantor))
    name.bold, name.font.size, name.font.color.rgb = True, Pt(17), ACCENT
    facts = out.add_paragraph()
    facts.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    facts.add_run(clean(doc.doc_label)).bold = True
    for label, value in doc.meta:
        facts.add_run(f"\n{clean(label)}: {clean(value)}")
    for line in doc.addressee:
        out.add_paragraph(clean(line))
    out.add_heading(clean(doc.title), level=1)
    if doc.banner:
        run = out.add_paragraph().add_run(clean(doc.banner))
        run.bold, run.font.color.rgb = True, WARNING
    for b in doc.blocks:
        _block(out, b)
    if doc.signing:
        out.add_paragraph()
        _fields(out, doc.signing)
    if doc.draft:
        _draft_header(section, doc.draft)
    footer = section.footer.paragraphs[0]
    prefix = f"{doc.watermark}: {doc.banner} · " if doc.watermark else ""
    footer.add_run(clean(prefix + doc.footer)).font.size = Pt(8)
    buffer = BytesIO()
    out.save(buffer)
    return buffer.getvalue()
