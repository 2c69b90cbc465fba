"""The documents of a decision (documents/): every amount of the snapshot is in the PDF and the DOCX,
formatted the Swedish way; user text prints as itself; illustrative rounds say so on page 1."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from allocation.decision import AMENDMENT, DECISION, BlockOutcome, RecipientLine, Snapshot, Source, sealed
from documents import (
    RequisitionConfirmation,
    Signing,
    decision_docx,
    decision_pdf,
    letter_docx,
    letter_pdf,
    letters_zip,
    requisition_confirmation_pdf,
)
from documents.archive import slug
from present.formats import kr

HOSTILE = '=SUM(A1) #set page(width: 1pt) <b>x</b> *fet* $x$ #import "@preview/x:0.1.0": *'
SIGNING = Signing(
    signatory="Åsa Öberg", title="Enhetschef", date="2023-12-06", place="Stockholm", grantor="Socialstyrelsen"
)
A4 = (595.28, 841.89)


def make_snapshot(
    lines: list[tuple[str, str, int, int, int]], *, base_unpaid: int = 2_000_000, **changes: object
) -> Snapshot:
    """(code, name, step, leftover, base) per recipient -> a sealed snapshot whose sums close."""
    step = {c: s for c, _, s, _, _ in lines}
    leftover = {c: x for c, _, _, x, _ in lines}
    staircase = {c: step[c] + leftover[c] for c in step}
    base = {c: b for c, _, _, _, b in lines}
    blocks = (
        BlockOutcome(
            "trappa",
            "Prestationstrappa",
            "staircase_leftover",
            sum(staircase.values()) + 1_000_000,
            "seed",
            0,
            sum(staircase.values()),
            1_000_000,
            None,
            staircase,
            {"step": step, "leftover": leftover},
            ("Ett exempel med minus: −1 500 kr.",),
        ),
        BlockOutcome(
            "bas",
            "Grundbelopp",
            "proportional",
            sum(base.values()) + base_unpaid,
            "seed",
            0,
            sum(base.values()),
            base_unpaid,
            None,
            base,
            {},
        ),
    )
    recipients = tuple(
        RecipientLine(c, n, 100_000, staircase[c] + base[c], (f"{n} nådde trappsteget.", f"Grundbelopp {kr(base[c])}."))
        for c, n, *_ in lines
    )
    paid = sum(r.total for r in recipients)
    unallocated = 1_000_000 + base_unpaid
    snapshot = Snapshot(
        round_id="at-2023",
        round_title="Statsbidrag för AT-tjänster 2023",
        short_title="AT-tjänster 2023",
        round_dnr="S2023/00678",
        year=2023,
        rules_version="1.2.0",
        rules_sha256="ab" * 32,
        number=4,
        kind=DECISION,
        supersedes=None,
        reference="S2023/01234",
        decided_by="Åsa Öberg",
        decided_at="2023-12-05T14:03:00+01:00",
        published_on="2023-12-05",
        population_date="2022-11-01",
        pot_reason="Bidragets storlek enligt anvisningarna",
        inputs={},
        events={},
        recipients=recipients,
        blocks=blocks,
        pot=paid + unallocated,
        paid=paid,
        unallocated=unallocated,
        sources=(
            Source("Potten", "Bidragets storlek", "Medlen omfattar totalt 254 000 000 kronor."),
            Source("Trappan", "Villkor", "Minst två tillsatta AT-tjänster ger 2 000 000 kronor."),
        ),
        warnings=("Östergötland saknar utfall.",),
    )
    return sealed(replace(snapshot, **changes))  # type: ignore[arg-type]


LINES = [
    ("01", "Stockholm", 5_000_000, 1_234_567, 10_000_001),
    ("12", "Skåne", 2_000_000, 765_433, 6_543_210),
    ("25", "Norrbotten", 0, 0, 1_111_111),
    ("99", HOSTILE, 0, 0, 345_678),
]
SNAPSHOT = make_snapshot(LINES)


def norm(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


def pdf_text(data: bytes) -> str:
    return norm("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def first_page(data: bytes) -> str:
    return norm(PdfReader(io.BytesIO(data)).pages[0].extract_text())


def docx_text(data: bytes) -> str:
    d = docx.Document(io.BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    parts += [c.text for t in d.tables for row in t.rows for c in row.cells]
    parts += [p.text for p in d.sections[0].footer.paragraphs]
    return norm("\n".join(parts))


def every_amount(s: Snapshot) -> set[int]:
    amounts = {s.pot, s.paid, s.unallocated, *(r.total for r in s.recipients)}
    for b in s.blocks:
        amounts |= {b.pot, b.paid, b.unpaid, *b.amounts.values()}
        amounts |= {a for per in b.parts.values() for a in per.values()}
        amounts |= {sum(per.values()) for per in b.parts.values()}
    return amounts


def test_the_decision_holds_every_amount_and_sum_formatted() -> None:
    text = pdf_text(decision_pdf(SNAPSHOT, SIGNING))
    for amount in every_amount(SNAPSHOT):
        assert norm(kr(amount)) in text, amount
    assert "27 000 000 kr" in text  # the sum of all recipients
    for phrase in ("S2023/01234", "S2023/00678", "5 december 2023", "6 december 2023", "Åsa Öberg", "Enhetschef"):
        assert phrase in text
    for source in SNAPSHOT.sources:
        assert norm(source.quote) in text and source.section in text
    assert "−1 500 kr" in text  # a real minus sign
    assert "trappa och omfördelning" in text and "Socialstyrelsen" in text


def test_user_text_prints_as_itself_and_never_changes_the_page() -> None:
    data = decision_pdf(SNAPSHOT, SIGNING)
    text = pdf_text(data)
    for piece in ("=SUM(A1)", "#set page(width: 1pt)", "<b>x</b>", "*fet*", "$x$", '#import "@preview/x:0.1.0": *'):
        assert piece in text, piece
    for page in PdfReader(io.BytesIO(data)).pages:
        assert (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)) == A4


def test_no_appeal_clause_unless_staff_entered_one() -> None:
    assert "överklaga" not in pdf_text(decision_pdf(SNAPSHOT, SIGNING)).lower()
    appeal = replace(SIGNING, appeal="Text som handläggaren skrev: *inte fet* #x")
    text = pdf_text(decision_pdf(SNAPSHOT, appeal))
    assert "Hur man överklagar" in text and "*inte fet* #x" in text


def test_an_amendment_says_which_decision_it_changes_and_a_migration_says_so() -> None:
    amended = make_snapshot(LINES, kind=AMENDMENT, supersedes=3)
    text = first_page(decision_pdf(amended, SIGNING))
    assert "Ändringsbeslut" in text and "beslut nummer 3" in text
    assert "beslut nummer 3" in pdf_text(letter_pdf(amended, "01", SIGNING))
    assert "migrering" in pdf_text(decision_pdf(make_snapshot(LINES, migrated=True), SIGNING))
    assert "migrering" not in pdf_text(decision_pdf(SNAPSHOT, SIGNING))


def test_an_illustrative_round_says_so_on_page_one_of_every_document() -> None:
    example = make_snapshot(LINES, illustrative=True)
    pages = [
        first_page(decision_pdf(example, SIGNING)),
        first_page(letter_pdf(example, "12", SIGNING)),
        docx_text(decision_docx(example, SIGNING)),
        docx_text(letter_docx(example, "12", SIGNING)),
    ]
    for text in pages:
        assert "Illustrativ omgång" in text and "exempel" in text
    assert "Illustrativ" not in pdf_text(decision_pdf(SNAPSHOT, SIGNING))


@pytest.mark.parametrize("code", [c for c, *_ in LINES])
def test_a_letter_holds_its_amounts_and_explanation(code: str) -> None:
    line = SNAPSHOT.recipient(code)
    for text in (pdf_text(letter_pdf(SNAPSHOT, code, SIGNING)), docx_text(letter_docx(SNAPSHOT, code, SIGNING))):
        assert norm(kr(line.total)) in text
        for b in SNAPSHOT.blocks:
            assert norm(kr(b.amounts[code])) in text
            for per in b.parts.values():
                assert norm(kr(per[code])) in text
        for sentence in line.explanation:
            assert norm(sentence) in text
        assert "S2023/01234" in text and norm(line.name) in text


def test_the_decision_docx_holds_the_same_amounts() -> None:
    text = docx_text(decision_docx(SNAPSHOT, SIGNING))
    for amount in every_amount(SNAPSHOT):
        assert norm(kr(amount)) in text, amount
    assert HOSTILE in text and "Åsa Öberg" in text and "S2023/01234" in text


def test_the_zip_holds_the_decision_and_two_files_per_recipient() -> None:
    archive = zipfile.ZipFile(io.BytesIO(letters_zip(SNAPSHOT, SIGNING)))
    names = archive.namelist()
    assert len(names) == 2 + 2 * len(LINES) == len(set(names))
    assert all(re.fullmatch(r"[a-z0-9-]+\.(pdf|docx)", n) for n in names), names
    assert "beslut-at-tjanster-2023-s2023-01234.pdf" in names and "12-skane.docx" in names
    assert norm(kr(SNAPSHOT.paid)) in pdf_text(archive.read("beslut-at-tjanster-2023-s2023-01234.pdf"))


def test_slugs_are_safe_file_names() -> None:
    assert slug("Västra Götaland") == "vastra-gotaland"
    assert slug("../../etc/passwd") == "etc-passwd"
    assert slug("###") == "x"


def test_the_requisition_confirmation() -> None:
    c = RequisitionConfirmation(
        round_title="Läkare i äldreomsorgen 2023",
        dnr="S2021/04600",
        region_name="Jönköping",
        region_code="06",
        received="2023-10-02",
        amount=9_876_543,
        maximum=12_345_678,
        requisition_reference="REK-2023-0042 <b>",
        deadline="2023-10-31",
        maximum_source="uppskattning",
    )
    text = pdf_text(requisition_confirmation_pdf(c, SIGNING))
    for phrase in (
        "9 876 543 kr",
        "12 345 678 kr",
        "2 469 135 kr",
        "2 oktober 2023",
        "31 oktober 2023",
        "REK-2023-0042 <b>",
        "Region Jönköping",
        "S2021/04600",
        "uppskattning",
    ):
        assert phrase in text, phrase
    assert "Illustrativ" not in text
    over = pdf_text(requisition_confirmation_pdf(replace(c, amount=13_000_000, illustrative=True)))
    assert "654 322 kr högre" in over and "Illustrativ omgång" in over


NAMES = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from("#$*<>[]\\\"'`=@_"),
    min_size=1,
    max_size=30,
)
AMOUNT = st.integers(min_value=0, max_value=10**10)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(NAMES, AMOUNT, AMOUNT, AMOUNT), min_size=1, max_size=4), st.integers(0, 10**9))
def test_random_names_and_amounts_never_break_rendering(rows: list[tuple[str, int, int, int]], unpaid: int) -> None:
    lines = [(f"{i:02d}", name, a, b, c) for i, (name, a, b, c) in enumerate(rows, start=1)]
    snapshot = make_snapshot(lines, base_unpaid=unpaid)
    text = pdf_text(decision_pdf(snapshot, SIGNING))
    assert norm(kr(snapshot.paid)) in text and norm(kr(snapshot.pot)) in text
    for line in snapshot.recipients:
        assert norm(kr(line.total)) in text
    letter = pdf_text(letter_pdf(snapshot, "01", SIGNING))
    assert norm(kr(snapshot.recipients[0].total)) in letter
    assert norm(kr(snapshot.recipients[0].total)) in docx_text(letter_docx(snapshot, "01", SIGNING))


@pytest.mark.skipif(not Path("/usr/bin/pdftoppm").exists(), reason="make browser installs poppler-utils")
def test_first_pages_render_as_images(tmp_path: Path) -> None:
    """PNGs of the first pages, to look at (DOCUMENT_PNG_DIR keeps them)."""
    out = Path(os.environ.get("DOCUMENT_PNG_DIR") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    example = make_snapshot(LINES, illustrative=True)
    for name, data in (
        ("beslut", decision_pdf(SNAPSHOT, SIGNING)),
        ("brev", letter_pdf(SNAPSHOT, "12", SIGNING)),
        ("beslut-exempel", decision_pdf(example, SIGNING)),
    ):
        (tmp_path / f"{name}.pdf").write_bytes(data)
        subprocess.run(
            [
                shutil.which("pdftoppm") or "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "1",
                str(tmp_path / f"{name}.pdf"),
                str(out / name),
            ],
            check=True,
        )
        png = next(out.glob(f"{name}-*1.png"))
        assert png.stat().st_size > 5_000
