"""Command line: ``python -m cli allocate --round at-2023 --outcomes FILE [--pot KRONOR] [--format ...]``.

Bad input exits with status 2 and one message per problem on stderr (row and column named),
nothing on stdout and no traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from allocation.at import allocate
from allocation.block_fields import RulesError
from allocation.planned import ParseError, parse_count
from allocation.problems import InputError
from allocation.regions import RegionIndex
from allocation.rules import KEYS, Step
from ingest.data_folder import load_round
from ingest.inputs import read_reports_file
from present.report import to_csv, to_dict, to_table

EXIT_BAD_INPUT = 2


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m cli", description="State-grant allocation engine.")
    commands = parser.add_subparsers(dest="command", required=True)
    alloc = commands.add_parser("allocate", help="allocate a round from the regions' reported outcomes")
    alloc.add_argument(
        "--round", required=True, help="the id of a rules file in data/rounds (its file name without .toml)"
    )
    alloc.add_argument(
        "--outcomes",
        required=True,
        type=Path,
        help="CSV (UTF-8, comma or semicolon) or XLSX with columns region, filled, started[, excluded, planned]",
    )
    alloc.add_argument("--pot", type=_kronor, help="what-if pot in kronor (default: the rules file's default)")
    alloc.add_argument("--key", choices=KEYS, help="what-if redistribution key (default: the rules file's)")
    alloc.add_argument(
        "--steps", type=_steps, help="what-if staircase as THRESHOLD:KRONOR pairs, e.g. 2:2000000,3:3000000"
    )
    alloc.add_argument("--format", choices=("json", "csv", "table"), default="table")
    return parser


def _fail(messages: Sequence[str]) -> int:
    for message in messages:
        print(f"error: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def run_allocate(args: argparse.Namespace) -> int:
    try:
        at_round = load_round(args.round)
    except FileNotFoundError as exc:
        return _fail([str(exc)])
    except RulesError as exc:  # a rules file in data/rounds outside the bounds of allocation.toml_bounds
        return _fail([p.message for p in exc.problems])
    try:
        params = at_round.params(pot=args.pot, key=args.key, steps=args.steps)
    except ValueError as exc:
        return _fail([str(exc)])
    try:
        inputs = read_reports_file(args.outcomes, RegionIndex(at_round.regions))
    except InputError as exc:
        return _fail([f"{args.outcomes}: {line}" for line in exc.lines_en()])
    allocation = allocate(at_round, inputs, params)
    if args.format == "json":
        output = json.dumps(to_dict(allocation, at_round.version), ensure_ascii=False, indent=2) + "\n"
    elif args.format == "csv":
        output = to_csv(allocation)
    else:
        output = to_table(allocation, at_round)
    sys.stdout.write(output)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "allocate":
        return run_allocate(args)
    return EXIT_BAD_INPUT  # pragma: no cover - argparse requires a command


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
