"""Command line for the store: ``python -m store {init,users,user,import-reports,import-requisitions,export,...}``.

Exit status (every error is one ``error: ...`` line per problem on stderr; never a traceback):

- 0: done.
- 2: bad input, nothing written: a file with problems (each named with row and column), an unknown round
  or a round of the wrong kind (e.g. AT reports into a fixed-amount round; the message lists the rounds
  that fit), an unknown scenario, a backup destination that exists already.
- 3: a file cannot be opened or written, nothing written: the database is held by another process (the
  running dashboard), damaged or truncated, not a DuckDB file, in a folder that is missing or cannot be
  written, or the disk is full (also while writing a backup or an export). The message names the file and
  the cause.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from allocation.inputs import read_file
from allocation.problems import InputError
from allocation.spreadsheet import read_table
from store.access import Role
from store.paths import DEFAULT_PATH, PATH_ENV
from store.tables import EXPORTABLE_TABLES

EXIT_BAD_INPUT = 2
EXIT_UNAVAILABLE = 3


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m store", description="The dashboard's DuckDB store.")
    parser.add_argument("--db", type=Path, help=f"database file (default: ${PATH_ENV} or {DEFAULT_PATH})")
    commands = parser.add_subparsers(dest="command", required=True)

    commands.add_parser("init", help="create the database if needed, upgrade it and seed it from data/")

    commands.add_parser("users", help="list the users who may log in, with their roles")
    user = commands.add_parser("user", help="add or change a user (role handläggare, chef or region)")
    user.add_argument("login", help="e-mail address (or OIDC subject)")
    user.add_argument("--name", required=True)
    user.add_argument("--role", required=True, choices=[r.value for r in Role])
    user.add_argument("--region", help="län code, for the role region (e.g. 03)")
    user.add_argument("--inactive", action="store_true", help="may no longer log in")
    user.add_argument("--actor", required=True, help="who makes the change (written to the audit log)")
    user.add_argument("--reason", required=True, help="why (written to the audit log)")

    for name, what in (("import-reports", "AT region reports"), ("import-requisitions", "requisitions")):
        sub = commands.add_parser(name, help=f"import {what} from CSV or XLSX (validated first; all or nothing)")
        sub.add_argument("file", type=Path)
        sub.add_argument("--round", required=True)
        sub.add_argument("--actor", required=True, help="who imports (written to the audit log)")
        sub.add_argument("--reason", required=True, help="why (written to the audit log)")
        sub.add_argument("--dry-run", action="store_true", help="validate and count changes; write nothing")
        if name == "import-reports":
            sub.add_argument("--received", type=_date, help="date the reports were received (default: today)")

    export = commands.add_parser("export", help="export a table or a scenario's result to CSV or XLSX")
    target = export.add_mutually_exclusive_group(required=True)
    target.add_argument("--table", choices=sorted(EXPORTABLE_TABLES))
    target.add_argument("--scenario", help="name of a saved scenario")
    export.add_argument("--format", choices=("csv", "xlsx"), default="xlsx")
    export.add_argument("--out", type=Path, required=True)

    commands.add_parser("scenarios", help="list saved scenarios")

    backup = commands.add_parser("backup", help="copy the whole database to a new file")
    backup.add_argument("destination", type=Path)
    return parser


def print_problems(args: argparse.Namespace, exc: InputError) -> int:
    for line in exc.lines_en():  # the first 50 problems, then how many more
        print(f"error: {getattr(args, 'file', '')}: {line}", file=sys.stderr)
    return EXIT_BAD_INPUT


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command.startswith("import-"):
        # The file first, within its limits, before the store loads (about 1.5 s and 180 MB of modules):
        # a giant or a zip bomb is refused in a fraction of a second. The import reads it again.
        try:
            read_table(read_file(args.file))
        except InputError as exc:
            return print_problems(args, exc)
    from store import commands

    return commands.run(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
