"""The official table of a fixed-amount round (columns region, amount), read from CSV or XLSX."""

from __future__ import annotations

from collections.abc import Sequence

from allocation.money import kr
from allocation.planned import ParseError, parse_count
from allocation.problems import InputError, Problem
from allocation.regions import RegionIndex
from ingest.inputs import region_rows
from ingest.spreadsheet import read_table


def parse_official_amounts(rows: Sequence[Sequence[str]], index: RegionIndex, total: int) -> dict[str, int]:
    """The official table (columns region, amount): every region once, whole kronor, summing to ``total``."""
    table = region_rows(rows, index, ("region", "amount"), ())
    problems = list(table.problems)
    amounts: dict[str, int] = {}
    for row_number, cells, code in table.rows:
        if not cells["amount"]:
            problems.append(Problem("empty_value", row_number, table.column("amount")))
            continue
        try:
            amount = parse_count(cells["amount"])
        except ParseError as exc:
            problems.append(Problem(exc.code, row_number, table.column("amount"), cells["amount"], exc.detail))
            continue
        if amount > total:
            problems.append(Problem("too_large", row_number, table.column("amount"), cells["amount"], kr(total)))
            continue
        if code is not None:
            amounts[code] = amount
    if not problems:
        missing = [r.name for r in index.regions if r.code not in amounts]
        if missing:
            problems.append(Problem("missing_regions", 0, table.column("region"), ", ".join(missing)))
        elif sum(amounts.values()) != total:
            difference = sum(amounts.values()) - total
            en, sv = ("too much", "för mycket") if difference > 0 else ("too little", "för lite")
            problems.append(
                Problem(
                    "wrong_sum",
                    0,
                    table.column("amount"),
                    kr(sum(amounts.values())),
                    f"{kr(abs(difference))} {en}; the total is {kr(total)}",
                    f"{kr(abs(difference))} {sv}; totalen är {kr(total)}",
                )
            )
    if problems:
        raise InputError(problems)
    return amounts


def read_official_amounts(data: bytes, index: RegionIndex, total: int) -> dict[str, int]:
    return parse_official_amounts(read_table(data), index, total)
