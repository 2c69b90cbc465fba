"""A round's result per recipient and per block: JSON and CSV for programs, a Swedish table for people.

- JSON: the round, its pots and sums, each block (pot, inflow, paid, unpaid and where it goes, notices),
  each recipient (amount per block, parts, total). Per block, paid + unpaid = pot + inflow.
- CSV: one row per recipient and block (``code,region,block,amount``); a text a spreadsheet could run
  gets a leading quote (``present.cells``).
- table: one row per recipient, a column per block, the sums, then each block's pot and where its
  unpaid money goes, in Swedish formats (``1 234 567 kr``).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from allocation.blocks import BlockResult, RoundResult
from cli.rounds import LoadedRound
from present import formats as f
from present.cells import csv_cell
from present.decision_text import METHOD_SV
from present.notices import FLOW_CODES, Names, names_of, notice_record, text_sv

CSV_FIELDS = ("code", "region", "block", "amount")


def _names(loaded: LoadedRound) -> dict[str, str]:
    return {r.code: r.name for r in loaded.recipients}


def _notice_names(loaded: LoadedRound) -> Names:
    return names_of(loaded.round_.blocks, loaded.recipients)


def _block_record(block: BlockResult, names: Names) -> dict[str, Any]:
    return {
        "id": block.block_id,
        "title": block.title,
        "method": block.method,
        "pot": block.pot,
        "pot_source": block.pot_source,
        "inflow": block.inflow,
        "paid": block.paid,
        "unpaid": block.unpaid,
        "unpaid_to": block.unpaid_to,
        "eligible": list(block.eligible),
        "notices": [notice_record(n, names) for n in block.notices],
    }


def to_dict(loaded: LoadedRound, result: RoundResult) -> dict[str, Any]:
    round_ = loaded.round_
    names = _names(loaded)
    population = {r.code: r.population for r in loaded.recipients}
    return {
        "round": round_.id,
        "title": round_.title,
        "rules_version": loaded.version,
        "illustrative": round_.illustrative,
        "estimate": loaded.estimate,
        "pot": result.pot,
        "paid": result.paid,
        "unallocated": result.unallocated,
        "blocks": [_block_record(b, _notice_names(loaded)) for b in result.blocks],
        "recipients": [
            {
                "code": code,
                "region": names[code],
                "population": population[code],
                "blocks": {b.block_id: b.amounts[code] for b in result.blocks},
                "parts": {b.block_id: {name: part[code] for name, part in b.parts.items()} for b in result.blocks},
                "total": result.totals[code],
            }
            for code in result.codes
        ],
    }


def to_csv(loaded: LoadedRound, result: RoundResult) -> str:
    names = _names(loaded)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for code in result.codes:
        for block in result.blocks:
            writer.writerow([csv_cell(code), csv_cell(names[code]), csv_cell(block.block_id), block.amounts[code]])
    return buffer.getvalue()


def _align(rows: list[list[str]], left: int) -> list[str]:
    """Columns padded to their widest cell: the first ``left`` to the left, the rest (figures) to the right."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            cell.ljust(w) if i < left else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]


def _block_lines(result: RoundResult, titles: dict[str, str], names: Names) -> list[str]:
    lines = []
    for b in result.blocks:
        inflow = f" + {f.kr(b.inflow)} från andra block" if b.inflow else ""
        if not b.unpaid:
            rest = "allt betalas ut"
        elif b.unpaid_to is None:
            rest = f"{f.kr(b.unpaid)} förblir ofördelade"
        else:
            rest = f"{f.kr(b.unpaid)} går till blocket ”{titles.get(b.unpaid_to, b.unpaid_to)}”"
        lines.append(
            f"{b.block_id}: {titles[b.block_id]} ({METHOD_SV.get(b.method, b.method)}): pott {f.kr(b.pot)}{inflow}; "
            f"utbetalt {f.kr(b.paid)}; {rest}"
        )
        lines += [f"  {text_sv(n, names)}" for n in b.notices if n.code not in FLOW_CODES]
    return lines


def to_table(loaded: LoadedRound, result: RoundResult) -> str:
    round_ = loaded.round_
    names = _names(loaded)
    titles = {b.id: b.title for b in round_.blocks}
    ids = [b.block_id for b in result.blocks]
    rows = [["Kod", "Region", *ids, "Totalt"]]
    rows += [[c, names[c], *(f.kr(b.amounts[c]) for b in result.blocks), f.kr(result.totals[c])] for c in result.codes]
    rows.append(["", "Summa", *(f.kr(b.paid) for b in result.blocks), f.kr(result.paid)])
    lines = _align(rows, 2)
    rule = "-" * max(len(line) for line in lines)
    head = [f"Omgång {round_.id}: {round_.title}, regelversion {loaded.version}"]
    if round_.illustrative:
        head.append("Illustrativ omgång: regler och belopp är påhittade för test, inga officiella uppgifter.")
    blocks = _block_lines(result, titles, _notice_names(loaded))
    out = [*head, "", *blocks, "", lines[0], rule, *lines[1:-1], rule, lines[-1], ""]
    out.append(f"Pott {f.kr(result.pot)}; utbetalt {f.kr(result.paid)}; ej fördelat {f.kr(result.unallocated)}.")
    return "\n".join(out) + "\n"
