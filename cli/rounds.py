"""Any rules file, of any format, as a round of blocks for the command line.

Read by the rules reader (``allocation.block_convert.read_round``: ``kind = "blocks"`` by
``allocation.block_rules``, the two 2023 formats converted to one block each), so that every round runs
through the block engine; nothing here branches on the format. Every file is checked first, field by
field, by the same check the store runs before it saves a round (``store.round_check``: pure, no
database), so a bad rules file is a refusal naming its fields, never a traceback.

Regions and their population come from the data folder (``data/``); a planned table a rules file names
(``planned_file``, ``[planned] file``) is read from beside the rules file, within the import limits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from allocation import method_params as mp
from allocation.block_convert import is_performance_2023, read_round, recipients_from_regions
from allocation.block_data import Recipient
from allocation.blocks import Round
from allocation.fixed import estimate_amounts
from allocation.problems import InputError, Problem
from allocation.regions import Region, RegionIndex
from ingest.data_folder import DATA_DIR, load_regions, round_path
from ingest.inputs import parse_planned_table, read_file
from ingest.spreadsheet import read_table
from present.problems import lines_en
from store.model import RulesRefused
from store.round_check import RulesHead, check_rules, estimate_basis, read_head


class Refused(Exception):
    """Input the command cannot use: one line per problem, each naming its file and its field or cell."""

    def __init__(self, lines: Sequence[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = list(lines)


@dataclass(frozen=True)
class LoadedRound:
    """A rules file read as a round of blocks, with the recipients it is allocated among."""

    round_: Round
    version: str
    recipients: tuple[Recipient, ...]
    index: RegionIndex  # finds a recipient by code or name (the seed's spellings too)
    performance_2023: bool  # a file in the 2023 performance format: --outcomes prints that format, --key/--steps
    estimate: bool  # a fixed round's amounts are an estimate by population, not the official table
    path: Path


def round_file(round_id: str, data_dir: Path = DATA_DIR) -> Path:
    """The rules file of a round in ``data/rounds``; an unknown id is refused, listing the known ones."""
    try:
        return round_path(round_id, data_dir)
    except FileNotFoundError as exc:
        raise Refused([str(exc)]) from None


def _regions_at(data_dir: Path) -> Callable[[date], tuple[Region, ...]]:
    def regions_at(when: date) -> tuple[Region, ...]:
        try:
            return load_regions(data_dir, when)
        except ValueError:  # no population at that date: check_rules names the field
            return ()

    return regions_at


def _file_problems(path: Path, exc: InputError) -> Refused:
    return Refused([f"{path}: {line}" for line in lines_en(exc)])


def _read_text(path: Path) -> str:
    try:
        data = read_file(path)
    except InputError as exc:
        raise _file_problems(path, exc) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise _file_problems(path, InputError([Problem("not_utf8")])) from None


def _planned_table(path: Path, index: RegionIndex) -> dict[str, str]:
    """A planned table beside the rules file: columns ``region`` (or ``code``, as in data/rounds) and ``planned``."""
    try:
        rows = [list(row) for row in read_table(read_file(path))]
        header = [cell.strip().casefold() for cell in rows[0]] if rows else []
        if "code" in header and "region" not in header:
            rows[0] = ["region" if name == "code" else cell for name, cell in zip(header, rows[0], strict=True)]
        return parse_planned_table(rows, index)
    except InputError as exc:
        raise _file_problems(path, exc) from None


def _head(path: Path, text: str) -> RulesHead:
    try:
        return read_head(text)
    except RulesRefused as exc:
        raise Refused([f"{path}: {en}" for en, _ in exc.problems]) from None


def _planned_for(
    path: Path, head: RulesHead, index: RegionIndex, given: Path | None, data_dir: Path
) -> dict[str, str] | None:
    """The planned table: given (``--planned``), else the rules' inline table, else the file they name —
    beside the rules file, or in ``data/rounds`` (as the store borrows the table it loaded from there)."""
    if given is not None:
        return _planned_table(given, index)
    if head.planned_table is not None:
        return head.planned_table
    if head.planned_file is None:
        return None
    for folder in (path.parent, data_dir / "rounds"):
        if (folder / head.planned_file).is_file():
            return _planned_table(folder / head.planned_file, index)
    raise Refused(
        [
            f"{path}: {head.planned_field}: the planned table {head.planned_file!r} is neither beside the rules file "
            f"nor in {data_dir / 'rounds'}: give it with --planned FILE"
        ]
    )


def load_rules_file(path: Path, planned_file: Path | None = None, data_dir: Path = DATA_DIR) -> LoadedRound:
    """The rules file at ``path`` (any kind) as a round of blocks; raises ``Refused`` naming every problem."""
    text = _read_text(path)
    head = _head(path, text)
    regions_at = _regions_at(data_dir)
    every_region = load_regions(data_dir)
    codes = [r.code for r in every_region]
    planned = _planned_for(path, head, RegionIndex(every_region), planned_file, data_dir)
    try:
        check_rules(head, codes, regions_at, planned)
    except RulesRefused as exc:
        raise Refused([f"{path}: {en}" for en, _ in exc.problems]) from None
    amounts: dict[str, tuple[int, str, str]] = {}
    if (basis := estimate_basis(head)) is not None:  # rules without a table of amounts: the labelled estimate
        total, when, official = basis
        source = f"UPPSKATTNING efter befolkning {when}, inte officiell: {official}"
        amounts = {c: (a, mp.ESTIMATE, source) for c, a in estimate_amounts(regions_at(when), total).items()}
    round_ = read_round(head.doc, regions_at=regions_at, planned=planned or {}, amounts=amounts, codes=codes)
    estimate = bool(amounts)
    regions = load_regions(data_dir, round_.population_date)
    return LoadedRound(
        round_,
        head.version,
        recipients_from_regions(regions),
        RegionIndex(regions),
        is_performance_2023(head.doc),
        estimate,
        path,
    )
