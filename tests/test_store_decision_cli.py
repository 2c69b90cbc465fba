"""``python -m store decide|letters|payouts|pay|payment-details``, run as users run them.

The organisation and bankgiro numbers are made up in the test (Luhn-completed digits), never real ones.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import zipfile
from contextlib import redirect_stderr, redirect_stdout
from datetime import date
from pathlib import Path

import docx
from openpyxl import load_workbook
from pypdf import PdfReader

from allocation.money import kr
from ingest.payment_details import luhn_ok
from store.cli import main
from store.model import Actor
from store.service import Store

ROOT = Path(__file__).resolve().parents[1]
AT = "at-2023"
WHO = ["--actor", "Anna", "--reason", "test"]


def run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command in this process (the store loads once); ``run_process`` runs it as users do."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            status = main(["--db", str(db), *args])
        except SystemExit as exc:  # argparse
            status = int(exc.code or 0)
    return subprocess.CompletedProcess(args, status, out.getvalue(), err.getvalue())


def run_process(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "store", "--db", str(db), *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def complete(body: str) -> str:
    return next(body + d for d in "0123456789" if luhn_ok(body + d))


def norm(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


def reported(db: Path) -> list[tuple[str, str]]:
    """Every recipient's report but the last one's (a warning the decider confirms)."""
    store = Store.open(db)
    recipients = [(r.code, r.name) for r in store.rounds.recipients(AT)]
    rows = ["region;filled;started"] + [
        f"{code};{20 + 3 * n};{20 + 3 * n}" for n, (code, _) in enumerate(recipients[:-1])
    ]
    store.reports.import_reports(Actor("Anna"), "rapporter", AT, "\n".join(rows).encode(), "r.csv", date(2023, 10, 30))
    store.close()
    return recipients


def test_decide_letters_payouts_and_pay_once(isolated_database: Path, tmp_path: Path) -> None:
    db = isolated_database
    recipients = reported(db)
    decide = ["decide", "--round", AT, "--dnr", "S2023/00123", "--published", "2023-12-01", *WHO]

    unconfirmed = run_process(db, *decide, "--pot", "bidragets_storlek")
    assert unconfirmed.returncode == 2, unconfirmed.stderr
    assert "varning: Rapport saknas från 1 av" in unconfirmed.stdout and "--confirm" in unconfirmed.stderr
    assert "Traceback" not in unconfirmed.stderr
    wrong_pot = run(db, *decide, "--pot", "nope=1", "--confirm")
    assert wrong_pot.returncode == 2 and "no block 'nope'" in wrong_pot.stderr
    blocked = run(db, "decide", "--round", "elderly-2023", "--dnr", "X", "--published", "2023-12-01", *WHO)
    assert blocked.returncode == 2 and "blocking:" in blocked.stderr and "uppskattningar" in blocked.stderr

    done = run(db, *decide, "--pot", "bidragets_storlek", "--confirm", "--pot-reason", "Bidragets storlek")
    assert done.returncode == 0, done.stderr
    assert "decided: beslut 1 (S2023/00123)" in done.stdout
    again = run(db, *decide, "--confirm")
    assert again.returncode == 2 and "already decided" in again.stderr

    store = Store.open(db)
    snapshot = store.decisions.current_decision(AT)
    store.close()
    assert snapshot is not None and snapshot.pot == 254_000_000

    out = tmp_path / "brev"
    letters = run(db, "letters", "--round", AT, "--out", str(out), "--signatory", "Sara S", "--title", "Enhetschef")
    assert letters.returncode == 0, letters.stderr
    pdfs = sorted(out.glob("*.pdf"))
    docxs = sorted(out.glob("*.docx"))
    assert len(pdfs) == len(docxs) == len(recipients) + 1
    (archive,) = out.glob("*.zip")
    assert len(zipfile.ZipFile(archive).namelist()) == 2 * (len(recipients) + 1)
    assert "draft: every page is marked UTKAST" in letters.stdout  # no place and date given
    signed = tmp_path / "signerat"
    signing = ["--signatory", "Sara S", "--title", "Enhetschef", "--place", "Stockholm", "--date", "2023-12-01"]
    done = run(db, "letters", "--round", AT, "--out", str(signed), *signing, "--contact", "Sara S, 010-000 00 00")
    assert done.returncode == 0 and "UTKAST" not in done.stdout, done.stderr
    signed_text = "\n".join(p.extract_text() for p in PdfReader(next(signed.glob("beslut-*.pdf"))).pages)
    assert "UTKAST" not in signed_text
    decision_text = norm("\n".join(p.extract_text() for p in PdfReader(next(out.glob("beslut-*.pdf"))).pages))
    assert norm(kr(snapshot.paid)) in decision_text and "Sara S" in decision_text
    for line in snapshot.recipients:
        letter = next(out.glob(f"{line.code}-*.pdf"))
        assert norm(kr(line.total)) in norm("\n".join(p.extract_text() for p in PdfReader(letter).pages))
    word = docx.Document(str(next(out.glob(f"{snapshot.recipients[0].code}-*.docx"))))
    assert norm(kr(snapshot.recipients[0].total)) in norm("\n".join(p.text for p in word.paragraphs))

    listed_csv = tmp_path / "utbetalning.csv"
    first = run(db, "payouts", "--round", AT, "--format", "csv", "--out", str(listed_csv))
    assert first.returncode == 0, first.stderr
    assert "cannot be recorded yet: payment details" in first.stdout
    rows = list(csv.reader(io.StringIO(listed_csv.read_bytes().decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Mottagare",
        "Län",
        "Organisationsnummer",
        "Bankgiro",
        "Belopp (kr)",
        "Beslut",
        "Betalningsreferens",
    ]
    assert rows[-1][0] == "Summa" and int(rows[-1][4]) == snapshot.paid == sum(int(r[4]) for r in rows[1:-1])
    assert {r[2] for r in rows[1:-1]} == {"saknas"}

    refused = run(db, "pay", "--round", AT, "--paid-on", "2023-12-15", "--reference", "UB-1", *WHO)
    assert refused.returncode == 2 and "payment details" in refused.stderr

    details = tmp_path / "betalningsuppgifter.csv"
    numbers = {code: (complete(f"232{n:06d}"), complete(f"77{n:05d}")) for n, (code, _) in enumerate(recipients)}
    details.write_text(
        "Län;Organisationsnummer;Bankgiro\n" + "\n".join(f"{c};{o};{b}" for c, (o, b) in numbers.items()),
        encoding="utf-8",
    )
    bad = tmp_path / "fel.csv"
    bad.write_text(f"Län;Organisationsnummer;Bankgiro\n09;{numbers['09'][0][:-1]}x;123\n", encoding="utf-8")
    wrong = run(db, "payment-details", str(bad), *WHO)
    assert wrong.returncode == 2 and "row 2, column Organisationsnummer" in wrong.stderr
    assert "row 2, column Bankgiro" in wrong.stderr and "Traceback" not in wrong.stderr
    imported = run(db, "payment-details", str(details), *WHO)
    assert imported.returncode == 0 and f"{len(recipients)} rows; changed {len(recipients)}" in imported.stdout

    listed_xlsx = tmp_path / "utbetalning.xlsx"
    assert run(db, "payouts", "--round", AT, "--format", "xlsx", "--out", str(listed_xlsx)).returncode == 0
    sheet = load_workbook(listed_xlsx)["Utbetalning"]
    values = list(sheet.iter_rows(values_only=True))
    assert values[-1][0] == "Summa" and values[-1][4] == snapshot.paid
    assert all(cell.data_type == "s" for row in sheet.iter_rows(min_row=2) for cell in row[:4] if cell.value)
    assert {v[1]: v[2] for v in values[1:-1]} == {
        c: f"{o[:6]}-{o[6:]}" for c, (o, _) in numbers.items() if c in {v[1] for v in values[1:-1]}
    }

    paid = run(db, "pay", "--round", AT, "--paid-on", "2023-12-15", "--reference", "UB-1", *WHO)
    assert paid.returncode == 0, paid.stderr
    assert f"{norm(kr(snapshot.paid))}" in norm(paid.stdout)
    twice = run_process(db, "pay", "--round", AT, "--paid-on", "2023-12-16", "--reference", "UB-2", *WHO)
    assert twice.returncode == 2 and "nothing is left to pay" in twice.stderr
    empty = run(db, "payouts", "--round", AT, "--format", "csv", "--out", str(listed_csv))
    assert empty.returncode == 0 and "0 lines" in empty.stdout

    unknown = run(db, "payouts", "--round", AT, "--decision", "99", "--format", "csv", "--out", str(listed_csv))
    assert unknown.returncode == 2 and "no decision 99" in unknown.stderr
    nothing = run(db, "letters", "--round", "nope", "--out", str(out))
    assert nothing.returncode == 2 and "unknown round" in nothing.stderr
