"""Decision documents a registrar would sign, read the way a person reads them: the text of the PDF as
poppler's pdftotext extracts it and the text of the DOCX as python-docx reads it, for a real decision of
AT 2023 taken in the store.

Every heading is Swedish (never a rules file's key), quotes are plain text, a letter says when, where and
with which reference the money is paid and whom to ask, the decision's date is its publication date, and a
document the agency has not completed says UTKAST on every page."""

from __future__ import annotations

import io
import math
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import docx
import pytest

import documents
from allocation.decision import Snapshot
from allocation.planned import parse_planned
from store.model import Actor
from store.service import Store
from tests.report_helpers import positions

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) is not installed")

STAFF = Actor("Sara Handläggare", "handläggare")
ROUND = "at-2023"
COMPLETE = documents.Signing(
    signatory="Åsa Öberg",
    title="Enhetschef",
    date="2023-12-01",
    place="Stockholm",
    grantor="Socialstyrelsen",
    contact="Kim Karlsson, 075-247 30 00",
)
DRAFT = documents.Signing(grantor="Socialstyrelsen")
# What a rules file or the code calls things, which a reader must never see.
INTERNAL = re.compile(
    r"\b(round|outcome|planned|excluded|staircase|redistribution(_key)?|agency_costs|pot\.\w+|step\.\d+"
    r"|milestone\.\w+|key\.\w+|leftover|eligible|params|unpaid|custom|what-if)\b"
)


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    """AT 2023 decided in the store (today), published 1 December 2023: Gotland expands by one position."""
    store = Store.open(tmp_path_factory.mktemp("db") / "test.duckdb")
    for code, more in (("01", 5), ("03", 2), ("09", 1), ("25", 3)):
        planned = math.ceil(parse_planned(store.rounds.planned_table(ROUND)[code]))
        store.reports.record_report(
            STAFF, "test", ROUND, positions(code, planned + more, 0, received=date(2023, 10, 20))
        )
    return store.decisions.decide_round(STAFF, "beslut", ROUND, "S2023/01234", date(2023, 12, 1), confirmed=True)


def pdftotext(data: bytes, tmp_path: Path, page: int | None = None) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    pages = ["-f", str(page), "-l", str(page)] if page else []
    command = ["pdftotext", "-layout", *pages, str(path), "-"]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return re.sub(r"[\s\u00a0\u202f]+", " ", out)


def page_count(data: bytes, tmp_path: Path) -> int:
    path = tmp_path / "count.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]


def docx_text(data: bytes) -> str:
    d = docx.Document(io.BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    parts += [c.text for t in d.tables for row in t.rows for c in row.cells]
    parts += [p.text for s in d.sections for p in (*s.header.paragraphs, *s.footer.paragraphs)]
    return re.sub(r"[\s\u00a0\u202f]+", " ", "\n".join(parts))


def test_the_decision_names_its_rules_in_swedish_and_quotes_them_as_plain_text(
    snapshot: Snapshot, tmp_path: Path
) -> None:
    for text in (
        pdftotext(documents.decision_pdf(snapshot, COMPLETE), tmp_path),
        docx_text(documents.decision_docx(snapshot, COMPLETE)),
    ):
        sources = text[text.index("Källor till reglerna") :]
        assert not INTERNAL.search(text), INTERNAL.search(text)
        for heading in ("Prestationstrappan", "Trappsteg 1", "Trappsteg 5", "Medel att fördela", "Utfall"):
            assert heading in sources, heading
        assert "*" not in text and "senast den 1 november 2023" in text  # **senast …** in the rules file
        assert "fördelas inte" not in text.replace("fördelades inte", "")  # no "Det som inte fördelas: fördelas inte"


def test_the_decision_is_dated_the_day_it_is_published_not_the_day_it_was_recorded(
    snapshot: Snapshot, tmp_path: Path
) -> None:
    assert snapshot.decided_at[:4] != "2023"  # recorded today, for a round of 2023
    for text in (
        pdftotext(documents.decision_pdf(snapshot, COMPLETE), tmp_path),
        pdftotext(documents.letter_pdf(snapshot, "25", COMPLETE), tmp_path),
        docx_text(documents.letter_docx(snapshot, "25", COMPLETE)),
    ):
        assert re.search(r"Beslutsdatum:? 1 december 2023", text), text[:300]
        assert snapshot.decided_at[:4] not in text.replace("S2023/01234", "")


def test_a_letter_explains_the_key_in_words_and_counts_one_position_as_one(snapshot: Snapshot, tmp_path: Path) -> None:
    gotland = pdftotext(documents.letter_pdf(snapshot, "09", COMPLETE), tmp_path)
    assert "utökning 1 tjänst." in gotland and "1 tjänster" not in gotland
    norrbotten = pdftotext(documents.letter_pdf(snapshot, "25", COMPLETE), tmp_path)
    assert "regionens värde" not in norrbotten
    assert "regionens utökning per 100 000 invånare är 1,20 (3 tjänster × 100 000 / 249 285 invånare)" in norrbotten
    assert not INTERNAL.search(norrbotten)


def test_a_letter_lists_the_parts_in_the_order_they_are_paid(snapshot: Snapshot, tmp_path: Path) -> None:
    for text in (
        pdftotext(documents.letter_pdf(snapshot, "25", COMPLETE), tmp_path),
        docx_text(documents.letter_docx(snapshot, "25", COMPLETE)),
    ):
        table = text[text.index("Belopp per del") :]
        assert table.index("Trappsteg") < table.index("Omfördelning")
    decision = pdftotext(documents.decision_pdf(snapshot, COMPLETE), tmp_path)
    assert decision.index("Trappsteg") < decision.index("Omfördelning")


def test_a_letter_says_when_where_and_with_which_reference_the_money_is_paid(
    snapshot: Snapshot, tmp_path: Path
) -> None:
    registered = pdftotext(documents.letter_pdf(snapshot, "25", COMPLETE, bankgiro="5050-1055"), tmp_path)
    assert "betalas ut i den utbetalning som Socialstyrelsen gör enligt detta beslut" in registered
    assert "till regionens bankgiro 5050-1055" in registered
    assert "referensen S2023/01234 25" in registered
    assert "Kontaktperson Kim Karlsson, 075-247 30 00" in registered
    unknown = docx_text(documents.letter_docx(snapshot, "25", COMPLETE))
    assert "till det bankgiro som regionen har anmält till Socialstyrelsen" in unknown
    assert "referensen S2023/01234 25" in unknown and "Kontaktperson: Kim Karlsson" in unknown
    nothing = pdftotext(documents.letter_pdf(snapshot, "09", COMPLETE), tmp_path)
    assert "ingen utbetalning görs" in nothing and "referensen" not in nothing


def test_a_fixed_amount_round_is_paid_on_requisition_not_by_the_decision(snapshot: Snapshot, tmp_path: Path) -> None:
    from dataclasses import replace

    block = replace(snapshot.blocks[0], method="fixed_table", parts={}, paid_on="requisition")
    fixed = replace(snapshot, blocks=(block,))
    letter = pdftotext(documents.letter_pdf(fixed, "25", COMPLETE, bankgiro="5050-1055"), tmp_path)
    assert "högsta belopp som regionen kan rekvirera" in letter and "när regionen har rekvirerat dem" in letter
    assert "regionens bankgiro 5050-1055" in letter and "S2023/01234 25" not in letter
    assert "rekvirerat" in pdftotext(documents.decision_pdf(fixed, COMPLETE), tmp_path)


def test_a_snapshot_sealed_before_blocks_recorded_how_they_are_paid_reads_as_before(snapshot: Snapshot) -> None:
    """Its JSON (and so its content hash) has no ``paid_on``; the fixed-amount format's one block, as the reader
    converted it, is paid on requisition, any other block by decision."""
    from dataclasses import replace

    from allocation import decision as d

    old = replace(snapshot.blocks[0], block_id="fixed", method="fixed_table", parts={}, paid_on=None)
    sealed = d.sealed(replace(snapshot, blocks=(old,), content_hash=""))
    assert "paid_on" not in d.to_dict(sealed)["blocks"][0]
    again = d.from_json(d.canonical_json(sealed))
    assert again.blocks[0].on_requisition and again.content_hash == sealed.content_hash
    assert not replace(old, block_id="performance").on_requisition
    assert d.to_dict(snapshot)["blocks"][0]["paid_on"] == "decision" and not snapshot.blocks[0].on_requisition


def test_a_document_the_agency_has_not_completed_is_a_draft_on_every_page(snapshot: Snapshot, tmp_path: Path) -> None:
    draft = documents.decision_pdf(snapshot, DRAFT)
    pages = page_count(draft, tmp_path)
    assert pages > 1
    for page in range(1, pages + 1):
        assert "UTKAST" in pdftotext(draft, tmp_path, page), page
    no_date = documents.Signing("Åsa Öberg", "Enhetschef", "", "Stockholm", grantor="Socialstyrelsen")
    letter = pdftotext(documents.letter_pdf(snapshot, "25", no_date), tmp_path)
    assert "UTKAST" in letter and "datum saknas" in letter and "undertecknare" not in letter
    word = docx.Document(io.BytesIO(documents.letter_docx(snapshot, "25", DRAFT)))
    assert all("UTKAST" in s.header.paragraphs[0].text for s in word.sections)
    assert "UTKAST" in docx_text(documents.decision_docx(snapshot, DRAFT))
    for complete in (
        pdftotext(documents.decision_pdf(snapshot, COMPLETE), tmp_path),
        pdftotext(documents.letter_pdf(snapshot, "25", COMPLETE), tmp_path),
        docx_text(documents.letter_docx(snapshot, "25", COMPLETE)),
    ):
        assert "UTKAST" not in complete and "Stockholm, 1 december 2023" in complete


def test_the_letter_label_does_not_touch_the_row_below_it(snapshot: Snapshot, tmp_path: Path) -> None:
    path = tmp_path / "brev.pdf"
    path.write_bytes(documents.letter_pdf(snapshot, "25", COMPLETE))
    boxes = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    words = {
        m["word"]: (float(m["top"]), float(m["bottom"]))
        for m in re.finditer(r'yMin="(?P<top>[\d.]+)" xMax="[\d.]+" yMax="(?P<bottom>[\d.]+)">(?P<word>\w+)<', boxes)
    }
    assert words["Beslutsdatum"][0] > words["Besked"][1]


def test_a_decision_stored_with_the_rules_files_keys_still_prints_swedish_headings(
    snapshot: Snapshot, tmp_path: Path
) -> None:
    """Decisions taken before the names were Swedish keep their stored names; the documents translate them."""
    from dataclasses import replace

    from allocation.decision import Source

    old = replace(
        snapshot,
        sources=(
            Source("staircase", "Villkor", "Medel fördelas enligt en **prestationstrappa**."),
            Source("pot.bidragets_storlek", "Bidragets storlek", "Totalt *254 000 000 kronor*."),
            Source("Prestation: step.0", "Villkor", "Två tjänster ger __2 000 000 kronor__."),
            Source("redistribution_key", "Villkor", "Per 100 000 invånare."),
        ),
    )
    text = pdftotext(documents.decision_pdf(old, COMPLETE), tmp_path)
    sources = text[text.index("Källor till reglerna") :]
    for heading in ("Prestationstrappan", "Medel att fördela", "Prestation: Trappsteg 1", "Grund för omfördelningen"):
        assert heading in sources, heading
    assert "enligt en prestationstrappa." in sources and "Totalt 254 000 000 kronor." in sources
    assert "ger 2 000 000 kronor." in sources
    assert not INTERNAL.search(text) and "*" not in text and "__" not in text
