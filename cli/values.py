"""The inputs of a round of blocks from CSV or XLSX: one row per recipient, a column per value its blocks need.

The smallest reader over ``ingest`` (the file within its limits, rows, regions by code or name, the seed's
"Norrbottn" too): which columns a round needs is read from its blocks (the keys its eligibility rules and
methods name, less what the engine derives); the AT columns may be named in Swedish (Region, Tillsatta,
Påbörjade, Avräknade, Planerat). A block that pays on a report date (``reported_share``) needs a column of
dates named after its event (or ``datum``/``date``/``reported``/``inkom`` when the round has one event); an
empty date: the recipient has not reported. A recipient missing from the file reported nothing (0).

Every problem is named by row and column as the file writes it, all raised together (``InputError``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from fractions import Fraction

from allocation.block_data import EQUAL, PER_100K
from allocation.blocks import Round
from allocation.method_params import FixedTableParams, ProportionalParams, ReportedShareParams, StaircaseParams
from allocation.planned import ParseError, parse_count, parse_number, parse_planned
from allocation.problems import InputError, Problem
from allocation.regions import RegionIndex
from ingest.inputs import MAX_POSITIONS, _region_rows, parse_date  # the rows of a region table, checked
from ingest.spreadsheet import read_table

COUNTS = ("filled", "started", "excluded")  # the AT report: whole positions
DERIVED = ("population", "outcome", "expansion")
ALIASES = {  # a header (casefolded) → the key it means
    "kod": "region",
    "code": "region",
    "län": "region",
    "tillsatta": "filled",
    "påbörjade": "started",
    "avräknade": "excluded",
    "planerat": "planned",
    "planerade": "planned",
    "utökning": "expansion",
}
DATE_ALIASES = ("date", "datum", "reported", "inkom", "rapporterad")
MAX_VALUE = 10**12  # any other key (e.g. positions): far above a real figure, bounds the arithmetic


@dataclass(frozen=True)
class Columns:
    required: tuple[str, ...]
    optional: tuple[str, ...]
    events: tuple[str, ...]  # date columns: the events some block pays on


@dataclass(frozen=True)
class Inputs:
    values: dict[str, dict[str, Fraction]]  # key → recipient code → value
    events: dict[str, dict[str, date]]  # event → recipient code → date


def _used_keys(round_: Round) -> set[str]:
    keys: set[str] = set()
    for block in round_.blocks:
        if block.eligible.rule is not None:
            keys.add(block.eligible.rule.key)
        params = block.params
        if isinstance(params, StaircaseParams):
            keys |= {params.key, params.measure}
        elif isinstance(params, ProportionalParams | ReportedShareParams):
            keys.add(params.key)
        elif isinstance(params, FixedTableParams) and params.cap_key:
            keys.add(params.cap_key)
    return {k.removesuffix(PER_100K) for k in keys} - {EQUAL, "population"}


def columns_for(round_: Round) -> Columns:
    """The columns a round's inputs file has: required, optional (the AT parts), and date columns."""
    keys = _used_keys(round_)
    planned = bool(round_.planned)
    reported = {"outcome"} | ({"expansion"} if planned else set())
    required = set(keys - set(DERIVED) - set(COUNTS)) | {k for k in keys if k in COUNTS}
    optional: set[str] = set()
    if keys & reported:
        required |= {"filled", "started"}
        optional |= {"excluded", "planned"} if planned else {"excluded"}
    if "expansion" in keys and not planned:
        required.add("expansion")  # no planned table: the expansion is given, not derived
    events = tuple(sorted({b.params.event for b in round_.blocks if isinstance(b.params, ReportedShareParams)}))
    return Columns(tuple(sorted(required)), tuple(sorted(optional - required)), events)


def _rename_header(rows: list[list[str]], columns: Columns) -> tuple[list[list[str]], dict[str, str]]:
    """Swedish and other accepted names → keys; returns the rows and key → the header as the file wrote it."""
    wanted = {"region", *columns.required, *columns.optional, *columns.events}
    written: dict[str, str] = {}
    header = []
    for cell in rows[0] if rows else []:
        name = cell.strip().casefold()
        key = ALIASES.get(name, name)
        if len(columns.events) == 1 and key in DATE_ALIASES:
            key = columns.events[0]
        if key in wanted and key not in written:
            written[key] = cell.strip()
            header.append(key)
        else:
            header.append(cell)
    return ([header, *rows[1:]] if rows else rows), written


def _value(key: str, text: str) -> Fraction:
    if key in COUNTS:
        value = parse_count(text)
        if value > MAX_POSITIONS:
            raise ParseError("too_large", f"larger than {MAX_POSITIONS}", str(MAX_POSITIONS))
        return Fraction(value)
    if key == "planned":
        return parse_planned(text)
    value = parse_number(text)
    if value > MAX_VALUE:
        raise ParseError("too_large", f"larger than {MAX_VALUE}", str(MAX_VALUE))
    return value


def parse_inputs(rows: list[list[str]], index: RegionIndex, columns: Columns) -> Inputs:
    rows, written = _rename_header(rows, columns)
    table = _region_rows(rows, index, ("region", *columns.required), (*columns.optional, *columns.events))
    problems = list(table.problems)
    values: dict[str, dict[str, Fraction]] = {k: {} for k in (*columns.required, *columns.optional)}
    events: dict[str, dict[str, date]] = {e: {} for e in columns.events}
    for row_number, cells, code in table.rows:
        for key in values:
            text = cells.get(key, "")
            if not text:
                if key in columns.required:
                    problems.append(Problem("empty_value", row_number, key))
                continue
            try:
                value = _value(key, text)
            except ParseError as exc:
                problems.append(Problem(exc.code, row_number, key, text, exc.detail))
                continue
            if code is not None:
                values[key][code] = value
        for event in columns.events:
            text = cells.get(event, "")
            try:
                if text and code is not None:
                    events[event][code] = parse_date(text)
            except ParseError as exc:
                problems.append(Problem(exc.code, row_number, event, text, exc.detail))
    if problems:
        named = [replace(p, column=written.get(p.column, p.column)) for p in problems]
        raise InputError(sorted(named, key=lambda p: p.row))
    return Inputs({k: v for k, v in values.items() if v or k in columns.required}, events)


def read_inputs(data: bytes, index: RegionIndex, columns: Columns) -> Inputs:
    return parse_inputs([list(row) for row in read_table(data)], index, columns)
