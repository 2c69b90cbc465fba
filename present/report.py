"""An allocation as plain data (JSON, CSV) and as a table for people (Swedish formats)."""

from __future__ import annotations

import csv
import io
from fractions import Fraction
from typing import Any

from present import formats as f
from present.at_view import Allocation, RegionResult
from present.cells import csv_cell
from present.explain import explain
from present.notices import text_en, text_sv
from present.outcome import NO_REPORT_SV, has_outcome

REGION_FIELDS = (
    "code",
    "region",
    "population",
    "planned",
    "outcome",
    "excluded",
    "expansion",
    "expansion_per_100k",
    "step_amount",
    "redistribution",
    "total",
    "next_step_positions",
    "next_step_kronor",
)


def _number(value: Fraction) -> int | float:
    """An exact count as JSON: an integer when whole, else a float (e.g. a midpoint 2.5)."""
    return int(value) if value.denominator == 1 else float(value)


def region_record(result: RegionResult) -> dict[str, Any]:
    return {
        "code": result.code,
        "region": result.name,
        "population": result.population,
        "planned": _number(result.planned),
        "outcome": result.outcome,
        "excluded": result.excluded,
        "expansion": _number(result.expansion),
        "expansion_per_100k": round(float(result.expansion_per_100k), 6),
        "step_amount": result.step_amount,
        "redistribution": result.redistribution,
        "total": result.total,
        "next_step_positions": result.next_step_positions,
        "next_step_kronor": result.next_step_kronor,
    }


def to_dict(allocation: Allocation, round_version: str | None = None) -> dict[str, Any]:
    """The result as one JSON-ready object; ``regions`` lists all 21 in län-code order."""
    params = allocation.params
    return {
        "round": allocation.round_id,
        "rules_version": round_version,
        "pot": allocation.pot,
        "pot_source": allocation.pot_source,
        "paid": allocation.paid,
        "unallocated": allocation.unallocated,
        "steps_total": allocation.steps_total,
        "leftover": allocation.leftover,
        "key": params.key,
        "steps": [{"min_expansion": s.min_expansion, "amount": s.amount} for s in params.steps],
        "warnings": [{"code": w.code, "message": text_en(w)} for w in allocation.warnings],
        "regions": [
            region_record(r)
            | {
                "filled": r.filled,
                "started": r.started,
                "share_of_leftover": round(float(r.share_of_leftover), 9),
                "explanation": explain(r, allocation),
            }
            for r in allocation.regions
        ],
    }


def to_csv(allocation: Allocation) -> str:
    """One row per region; a text that a spreadsheet could run gets a leading quote (``present/cells.py``)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=REGION_FIELDS, lineterminator="\n")
    writer.writeheader()
    for r in allocation.regions:
        record = region_record(r)
        writer.writerow({k: "" if record[k] is None else csv_cell(record[k]) for k in REGION_FIELDS})
    return buffer.getvalue()


_TABLE_COLUMNS = (
    ("Kod", "<"),
    ("Region", "<"),
    ("Befolkning", ">"),
    ("Planerat", ">"),
    ("Utfall", ">"),
    ("Avräknat", ">"),
    ("Utökning", ">"),
    ("Per 100 000", ">"),
    ("Trappsteg", ">"),
    ("Omfördelning", ">"),
    ("Totalt", ">"),
    ("Till nästa steg", ">"),
)


def to_table(allocation: Allocation) -> str:
    """A plain-text table in Swedish number formats, with the pot, its source and any warnings."""
    rows = []
    for r in allocation.regions:
        to_next = (
            NO_REPORT_SV
            if not has_outcome(r)
            else "högsta nått"
            if r.next_step_positions is None
            else f"+{r.next_step_positions} tj. → +{f.kr(r.next_step_kronor or 0)}"
        )
        rows.append(
            (
                r.code,
                r.name,
                f.number(r.population),
                f.count(r.planned),
                str(r.outcome),
                str(r.excluded),
                f.count(r.expansion),
                f.number(r.expansion_per_100k, 2),
                f.kr(r.step_amount),
                f.kr(r.redistribution),
                f.kr(r.total),
                to_next,
            )
        )
    totals = (
        "",
        "Summa",
        "",
        "",
        "",
        "",
        "",
        "",
        f.kr(sum(r.step_amount for r in allocation.regions)),
        f.kr(sum(r.redistribution for r in allocation.regions)),
        f.kr(allocation.paid),
        "",
    )
    widths = [max(len(col[0]), *(len(row[i]) for row in [*rows, totals])) for i, col in enumerate(_TABLE_COLUMNS)]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(
            cell.ljust(w) if align == "<" else cell.rjust(w)
            for cell, w, (_, align) in zip(cells, widths, _TABLE_COLUMNS, strict=True)
        ).rstrip()

    source = allocation.pot_source_sv
    out = [
        f"Omgång {allocation.round_id}: pott {f.kr(allocation.pot)} ({source}), "
        f"fördelningsnyckel {allocation.params.key}",
        "",
        line(tuple(c[0] for c in _TABLE_COLUMNS)),
        line(tuple("-" * w for w in widths)),
        *(line(row) for row in rows),
        line(tuple("-" * w for w in widths)),
        line(totals),
        "",
        f"Utbetalt {f.kr(allocation.paid)}; ej fördelat {f.kr(allocation.unallocated)}.",
    ]
    out += [f"Varning: {text_sv(w)}" for w in allocation.warnings]
    return "\n".join(out) + "\n"
