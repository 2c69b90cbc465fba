"""The one command line of the product: ``python -m cli <command>``, allocation and store commands alike.

``allocate`` runs any round through the block engine and reads no store (``cli.allocate``); every other
command works on the store, a DuckDB file or a PostgreSQL database (``store.cli``: ``--db`` before or
after the command). ``python -m store <command>`` stays as an alias of the store's commands.

Exit status: 0 done; 2 bad input, nothing written (one ``error:`` line per problem, naming file, row and
column or field); 3 the store cannot be opened or written (see ``store.cli``). Never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from cli.allocate import EXIT_BAD_INPUT, add_allocate_command, run_allocate
from store.cli import DB_HELP, add_store_commands, db_target

DESCRIPTION = (
    "State grants to the regions: allocate any round (allocate) and keep the store (every other command). "
    "`python -m cli COMMAND --help` describes a command."
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m cli", description=DESCRIPTION)
    parser.add_argument("--db", type=db_target, help=f"the store's commands: {DB_HELP}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_allocate_command(commands)
    add_store_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "allocate":
        if args.db is not None:
            print("error: --db: allocate reads no store (give --round ID or --rules FILE)", file=sys.stderr)
            return EXIT_BAD_INPUT
        return run_allocate(args)
    from store.cli import run

    return run(args)
