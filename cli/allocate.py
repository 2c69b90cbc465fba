"""``allocate``: any round, of any format, per recipient and per block.

    python -m cli allocate (--round ID | --rules FILE) [--inputs FILE] [--planned FILE]
                           [--pot [BLOCK=]VALUE ...] [--key KEY] [--steps T:KR,...] [--format table|csv|json]

Every round runs through the block engine (``allocation.block_engine``); the 2023 formats are converted to
one block each (``cli.rounds``). ``--inputs`` is one row per recipient with the columns the round's blocks
need (``cli.values``). The form scripts were written against, ``--round ID --outcomes FILE`` on a 2023
performance round, prints what it always printed (``present.report``) and says on stderr, after its
output, how the new form is written.

Bad input exits with status 2 and one ``error:`` line per problem on stderr (file, row and column, or the
rules' field, named), nothing on stdout and no traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from allocation.block_convert import with_staircase
from allocation.block_engine import PotChoice, allocate_round
from allocation.planned import ParseError, parse_count
from allocation.problems import InputError
from allocation.rules import KEYS, Step
from cli import output
from cli.rounds import LoadedRound, Refused, load_rules_file, round_file
from cli.values import Columns, Inputs, columns_for, read_inputs
from ingest.inputs import read_file, read_reports_file
from present import report
from present.at_view import allocate_view
from present.problems import lines_en
from store.paths import data_dir

EXIT_BAD_INPUT = 2
FORMATS = ("json", "csv", "table")
OUTCOMES_NOTE = (
    "note: --outcomes prints the 2023 format of a performance round; `--inputs FILE` prints any round per "
    "recipient and per block (`python -m cli allocate --help`)\n"
)


def _kronor(text: str) -> int:
    try:
        return parse_count(text.replace("_", ""))
    except ParseError as exc:
        raise argparse.ArgumentTypeError(f"must be a whole, non-negative number of kronor ({exc})") from None


def _steps(text: str) -> tuple[Step, ...]:
    """``2:2000000,3:3000000,...`` — threshold:amount pairs."""
    steps = []
    for part in text.split(","):
        threshold, sep, amount = part.partition(":")
        if not sep:
            raise argparse.ArgumentTypeError(f"step {part!r} must be THRESHOLD:KRONOR, e.g. 2:2000000")
        try:
            steps.append(Step(parse_count(threshold), parse_count(amount.replace("_", ""))))
        except ParseError as exc:
            raise argparse.ArgumentTypeError(f"step {part!r}: {exc}") from None
    return tuple(steps)


def add_allocate_command(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    alloc = commands.add_parser(
        "allocate",
        help="allocate any round (data/rounds or a rules file) and print per recipient and per block",
        description="Allocate a round of any format through the block engine; print per recipient and per block.",
    )
    which = alloc.add_mutually_exclusive_group(required=True)
    which.add_argument("--round", help="the id of a rules file in data/rounds (its file name without .toml)")
    which.add_argument("--rules", type=Path, help="a rules file (TOML of any kind: blocks, performance, fixed)")
    given = alloc.add_mutually_exclusive_group()
    given.add_argument(
        "--inputs",
        type=Path,
        help="CSV (UTF-8, comma or semicolon) or XLSX, one row per recipient (region code or name) with the "
        "columns the round's blocks need, e.g. region, filled, started[, excluded, planned] "
        "(Swedish: Region, Tillsatta, Påbörjade, Avräknade); a recipient not in the file reported nothing",
    )
    given.add_argument(
        "--outcomes",
        type=Path,
        help="the 2023 form: a performance round's reports, printed in the 2023 format (columns region, filled, "
        "started[, excluded, planned]); for any other round the same as --inputs",
    )
    alloc.add_argument("--planned", type=Path, help="the planned table (default: the one the rules name)")
    alloc.add_argument(
        "--pot",
        action="append",
        default=[],
        metavar="[BLOCK=]VALUE",
        help="what-if pot: kronor or a pot option id of the rules (e.g. bakgrund); BLOCK=VALUE for one block of "
        "several; may be repeated (default: the rules' pots)",
    )
    alloc.add_argument("--key", choices=KEYS, help="what-if redistribution key (a 2023 performance round)")
    alloc.add_argument(
        "--steps",
        type=_steps,
        help="what-if staircase as THRESHOLD:KRONOR pairs, e.g. 2:2000000,3:3000000 (a 2023 performance round)",
    )
    alloc.add_argument("--format", choices=FORMATS, default="table")


def _fail(lines: Sequence[str]) -> int:
    for line in lines:
        print(f"error: {line}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _pots(values: Sequence[str], loaded: LoadedRound) -> dict[str, PotChoice]:
    """``--pot`` values per block: kronor (digits, spaces or ``_`` between them) or a pot option's id."""
    ids = [b.id for b in loaded.round_.blocks]
    pots: dict[str, PotChoice] = {}
    for text in values:
        block, sep, value = text.rpartition("=")
        if not sep:
            if len(ids) != 1:
                raise Refused(
                    [f"--pot {text!r}: the round has {len(ids)} blocks: write BLOCK=VALUE ({', '.join(ids)})"]
                )
            block = ids[0]
        if block not in ids:
            raise Refused([f"--pot {text!r}: no block {block!r}; the round's blocks: {', '.join(ids)}"])
        cleaned = value.replace("_", "").replace(" ", "").replace("\u00a0", "")
        if cleaned.lstrip("-").isdigit():
            try:
                pots[block] = parse_count(cleaned)
            except ParseError as exc:
                raise Refused([f"argument --pot: must be a whole, non-negative number of kronor ({exc})"]) from None
        else:
            pots[block] = value.strip()
    return pots


def _read_inputs(path: Path | None, loaded: LoadedRound, columns: Columns) -> Inputs:
    if path is None:
        if columns.required or columns.events:
            needed = ", ".join(["region", *columns.required, *columns.events])
            raise Refused([f"--inputs FILE is needed: this round's blocks use the columns {needed}"])
        return Inputs({}, {})
    try:
        return read_inputs(read_file(path), loaded.index, columns)
    except InputError as exc:
        raise Refused([f"{path}: {line}" for line in lines_en(exc)]) from None


def _round(args: argparse.Namespace) -> LoadedRound:
    """The round named (``data/rounds`` of the data folder the dashboard reads: ``$STATSBIDRAG_DATA``)."""
    folder = data_dir()
    path = round_file(args.round, folder) if args.round is not None else args.rules
    return load_rules_file(path, args.planned, folder)


def _legacy(args: argparse.Namespace, loaded: LoadedRound) -> int:
    """``--outcomes`` on a 2023 performance round: the 2023 format, exactly as before."""
    try:
        pot = _kronor(args.pot[-1]) if args.pot else None
        round_ = with_staircase(loaded.round_, steps=args.steps, key=args.key)
    except (argparse.ArgumentTypeError, ValueError) as exc:
        return _fail([f"argument --pot: {exc}" if isinstance(exc, argparse.ArgumentTypeError) else str(exc)])
    try:
        reports = read_reports_file(args.outcomes, loaded.index)
    except InputError as exc:
        return _fail([f"{args.outcomes}: {line}" for line in lines_en(exc)])
    pots = {} if pot is None else {block.id: pot for block in round_.blocks}
    allocation = allocate_view(round_, loaded.recipients, reports, pots)
    if args.format == "json":
        text = json.dumps(report.to_dict(allocation, round_.version), ensure_ascii=False, indent=2) + "\n"
    elif args.format == "csv":
        text = report.to_csv(allocation)
    else:
        text = report.to_table(allocation)
    sys.stdout.write(text)
    return 0


def _what_if(args: argparse.Namespace, loaded: LoadedRound) -> LoadedRound:
    """``--key`` and ``--steps`` change a 2023 performance round's one block; other rounds' rules set them."""
    if args.key is None and args.steps is None:
        return loaded
    if not loaded.performance_2023:
        raise Refused(["--key and --steps change a 2023 performance round; a round of blocks sets them in its rules"])
    try:
        return replace(loaded, round_=with_staircase(loaded.round_, steps=args.steps, key=args.key))
    except ValueError as exc:
        raise Refused([str(exc)]) from None


def run_allocate(args: argparse.Namespace) -> int:
    try:
        loaded = _round(args)
        if args.outcomes is not None and loaded.performance_2023:  # the 2023 output, as scripted against
            status = _legacy(args, loaded)
            sys.stderr.write(OUTCOMES_NOTE)
            return status
        loaded = _what_if(args, loaded)
        pots = _pots(args.pot, loaded)
        inputs = _read_inputs(args.inputs or args.outcomes, loaded, columns_for(loaded.round_))
        try:
            result = allocate_round(loaded.round_, loaded.recipients, inputs.values, inputs.events, pots)
        except ValueError as exc:  # a pot option the rules do not have, a value the engine refuses
            raise Refused([str(exc)]) from None
    except Refused as exc:
        return _fail(exc.lines)
    if args.format == "json":
        text = json.dumps(output.to_dict(loaded, result), ensure_ascii=False, indent=2) + "\n"
    elif args.format == "csv":
        text = output.to_csv(loaded, result)
    else:
        text = output.to_table(loaded, result)
    sys.stdout.write(text)
    return 0
