"""Benchmark (not a test): the documents of a decided round, 21 recipients (issue 15: deciding a round and
producing all 21 letters as PDF ≤ 5 s; this times the documents part).

The snapshot is built by hand from data/regions.csv with made-up amounts (two blocks, one with parts),
so the figure does not depend on the store. Rows: all 21 letters as PDF, the decision as PDF, all 21
letters as DOCX, and the whole ZIP (decision and letters, PDF and DOCX). Median of a few runs.

.venv/bin/python bench/bench_documents.py
"""

from __future__ import annotations

import csv
import itertools
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from allocation.decision import DECISION, BlockOutcome, RecipientLine, Snapshot, sealed  # noqa: E402
from documents import Signing, decision_pdf, letter_docx, letter_pdf, letters_zip  # noqa: E402

TARGET_LETTERS = 5.0
SIGNING = Signing(signatory="Namn Namnsson", title="Enhetschef", place="Stockholm", grantor="Socialstyrelsen")


def snapshot_21(number: int = 1) -> Snapshot:
    with (ROOT / "data" / "regions.csv").open(encoding="utf-8") as f:
        regions = [(row["code"], row["name"]) for row in csv.DictReader(f)]
    step = {c: (i % 5) * 2_000_000 for i, (c, _) in enumerate(regions)}
    leftover = {c: (i * 123_457) % 3_000_000 for i, (c, _) in enumerate(regions)}
    stairs = {c: step[c] + leftover[c] for c in step}
    base = {c: 1_000_000 + i * 98_765 for i, (c, _) in enumerate(regions)}
    blocks = (
        BlockOutcome(
            "trappa",
            "Prestationstrappa",
            "staircase_leftover",
            sum(stairs.values()),
            "seed",
            0,
            sum(stairs.values()),
            0,
            None,
            stairs,
            {"step": step, "leftover": leftover},
        ),
        BlockOutcome(
            "bas", "Grundbelopp", "proportional", sum(base.values()), "seed", 0, sum(base.values()), 0, None, base, {}
        ),
    )
    recipients = tuple(
        RecipientLine(
            c, n, 250_000, stairs[c] + base[c], (f"{n} nådde ett trappsteg.", "Resten fördelades efter befolkning.")
        )
        for c, n in regions
    )
    paid = sum(r.total for r in recipients)
    return sealed(
        Snapshot(
            round_id="bench",
            round_title="Statsbidrag för AT-tjänster (benchmark)",
            short_title="AT benchmark",
            round_dnr="S2023/00678",
            year=2023,
            rules_version="1",
            rules_sha256="0" * 64,
            number=number,
            kind=DECISION,
            supersedes=None,
            reference=f"S2023/{9000 + number}",
            decided_by="bench",
            decided_at="2023-12-05T10:00:00+01:00",
            published_on="2023-12-05",
            population_date="2022-11-01",
            pot_reason="",
            inputs={},
            events={},
            recipients=recipients,
            blocks=blocks,
            pot=paid,
            paid=paid,
            unallocated=0,
        )
    )


_FRESH = itertools.count(100)


def _median(run: Callable[[Snapshot], object], repeats: int = 3) -> float:
    """Median seconds over fresh snapshots (another reference each time): Typst memoizes a compilation
    of the same input, which a new decision never is."""
    times = []
    for _ in range(repeats):
        snapshot = snapshot_21(number=next(_FRESH))
        start = time.perf_counter()
        run(snapshot)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _letters_pdf(snapshot: Snapshot) -> object:
    return [letter_pdf(snapshot, r.code, SIGNING) for r in snapshot.recipients]


def _letters_docx(snapshot: Snapshot) -> object:
    return [letter_docx(snapshot, r.code, SIGNING) for r in snapshot.recipients]


def _decide_and_letters() -> float:
    """Deciding AT 2023 in a store of its own (reports for every region) and its 21 letters as PDF, median."""
    import math
    import tempfile
    from datetime import date
    from fractions import Fraction

    from allocation.planned import parse_planned
    from allocation.report_values import Report
    from store.model import Actor
    from store.service import Store

    actor = Actor("bench", "handläggare")
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "bench.duckdb")
        # a round whose recipients report positions against a planning document (AT 2023 in data/rounds)
        round_id = next(
            r
            for r in store.rounds.round_ids()
            if store.rounds.planned_table(r) and store.rounds.block_round(r).has_reports
        )
        for i, (code, planned) in enumerate(sorted(store.rounds.planned_table(round_id).items())):
            filled = math.ceil(parse_planned(planned)) + i % 4
            report = Report(code, {"filled": Fraction(filled), "started": Fraction(0)}, date(2023, 10, 20))
            store.reports.record_report(actor, "bench", round_id, report)
        times = []
        for n in range(3):
            start = time.perf_counter()
            current = store.decisions.current_decision(round_id)
            snapshot = store.decisions.decide_round(
                actor,
                "bench",
                round_id,
                f"BENCH/{n}",
                date(2023, 12, 1),
                supersedes=current.number if current else None,
                confirmed=True,
            )
            _letters_pdf(snapshot)
            times.append(time.perf_counter() - start)
        store.close()
    return statistics.median(times)


def measure() -> list[tuple[str, float, float]]:
    """(name, seconds, target seconds) per figure."""
    warm = snapshot_21()
    letter_pdf(warm, warm.recipients[0].code, SIGNING)  # the first call loads the fonts
    return [
        ("decide AT 2023 in the store + its 21 letters as PDF", _decide_and_letters(), TARGET_LETTERS),
        ("documents: 21 letters as PDF", _median(_letters_pdf), TARGET_LETTERS),
        ("documents: decision as PDF (21 recipients)", _median(lambda s: decision_pdf(s, SIGNING)), 1.0),
        ("documents: 21 letters as DOCX", _median(_letters_docx), TARGET_LETTERS),
        (
            "documents: ZIP of the decision and 21 letters, PDF and DOCX",
            _median(lambda s: letters_zip(s, SIGNING)),
            TARGET_LETTERS,
        ),
    ]


if __name__ == "__main__":
    for name, seconds, target in measure():
        print(f"{name:<62} {seconds:7.3f} s   target {target:.1f} s   {'ok' if seconds <= target else 'SLOW'}")
