"""The store's commands for the command line: ``python -m cli {init,users,user,import-reports,add-round,...}``
(``demo`` loads the example data, ``demo --remove`` deletes it).

Exit status (every error is one ``error: ...`` line per problem on stderr; never a traceback):

- 0: done.
- 2: bad input, nothing written: a file with problems (each named with row and column; a rules file's by
  its field, e.g. ``staircase.steps[1].amount``), a published round's version changed in place, an unknown round
  or a round of the wrong kind (e.g. reports into a round whose rules use none; the message lists the rounds
  that fit), an unknown scenario, a backup destination that exists already, example data refused because
  the store holds real records.
- 3: a file cannot be opened or written, nothing written: the database is held by another process (the
  running dashboard), damaged or truncated, not a DuckDB file, in a folder that is missing or cannot be
  written, or the disk is full (also while writing a backup or an export); a PostgreSQL server that cannot
  be reached or refuses the statement; a copy whose tables do not verify (rolled back). The message names
  the file or the database (a URL never with its password) and the cause.

The store is ``--db`` (a DuckDB file or a ``postgresql://`` URL), else the configured one
(``store.paths.database_target``: ``$STATSBIDRAG_DATABASE_URL``, ``[connections.statsbidrag]`` in
``.streamlit/secrets.toml``, else the DuckDB file). ``copy --to URL`` moves a DuckDB file (``--db``, else
``$STATSBIDRAG_DB``) into an empty PostgreSQL database (``store.transfer``); a non-empty target is refused (2).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from allocation.problems import InputError, Problem
from ingest.inputs import read_file
from ingest.spreadsheet import read_table
from present.problems import lines_en
from store.access import Role
from store.paths import DEFAULT_PATH, PATH_ENV, URL_ENV, is_url
from store.tables import EXPORTABLE_TABLES

EXIT_BAD_INPUT = 2
EXIT_UNAVAILABLE = 3


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def db_target(text: str) -> str | Path:
    """A ``postgresql://`` URL as given, anything else a DuckDB file's path."""
    return text if is_url(text) else Path(text)


DB_HELP = (
    f"a DuckDB file or a postgresql:// URL (default: ${URL_ENV}, [connections.statsbidrag] in "
    f".streamlit/secrets.toml, else ${PATH_ENV} or {DEFAULT_PATH})"
)


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``python -m store`` (the store's commands alone; ``python -m cli`` has them all)."""
    parser = argparse.ArgumentParser(
        prog="python -m store", description="The dashboard's store: a DuckDB file or a PostgreSQL database."
    )
    parser.add_argument("--db", type=db_target, help=DB_HELP)
    commands = parser.add_subparsers(dest="command", required=True)
    add_store_commands(commands)
    return parser


def add_store_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Every command of the store, each with ``--db`` (also accepted before the command)."""
    before = set(commands.choices)
    init = commands.add_parser("init", help="create the database if needed, upgrade it and seed it from data/")
    init.add_argument(
        "--address",
        help="the address the dashboard will listen on (make run passes it): without login, an address other "
        "than loopback is refused unless STATSBIDRAG_ALLOW_OPEN=1",
    )

    commands.add_parser("users", help="list the users who may log in, with their roles")
    user = commands.add_parser("user", help="add or change a user (role handläggare, chef or region)")
    user.add_argument("login", help="e-mail address (or OIDC subject)")
    user.add_argument("--name", required=True)
    user.add_argument("--role", required=True, choices=[r.value for r in Role])
    user.add_argument("--region", help="län code, for the role region (e.g. 03)")
    user.add_argument("--inactive", action="store_true", help="may no longer log in")
    user.add_argument("--actor", required=True, help="who makes the change (written to the audit log)")
    user.add_argument("--reason", required=True, help="why (written to the audit log)")

    for name, what in (
        ("import-reports", "the regions' reports (rapporter) for a round"),
        ("import-requisitions", "requisitions"),
    ):
        sub = commands.add_parser(name, help=f"import {what} from CSV or XLSX (validated first; all or nothing)")
        sub.add_argument("file", type=Path)
        sub.add_argument("--round", required=True)
        sub.add_argument("--actor", required=True, help="who imports (written to the audit log)")
        sub.add_argument("--reason", required=True, help="why (written to the audit log)")
        sub.add_argument("--dry-run", action="store_true", help="validate and count changes; write nothing")
        if name == "import-reports":
            sub.add_argument(
                "--received",
                type=_date,
                help="date the reports were received, for rows without a date of their own (a column received or "
                "Mottagen); required when the file has no such column",
            )

    export = commands.add_parser("export", help="export a table or a scenario's result to CSV or XLSX")
    target = export.add_mutually_exclusive_group(required=True)
    target.add_argument("--table", choices=sorted(EXPORTABLE_TABLES))
    target.add_argument("--scenario", help="name of a saved scenario")
    export.add_argument("--format", choices=("csv", "xlsx"), default="xlsx")
    export.add_argument("--out", type=Path, required=True)

    add_round = commands.add_parser(
        "add-round", help="save a rules file (TOML of any kind) as a new round or a new version of one (checked first)"
    )
    add_round.add_argument("file", type=Path)
    add_round.add_argument(
        "--planned",
        type=Path,
        help="planned positions, CSV or XLSX with columns region (or code) and planned "
        "(default: the planned file the rules name, if it is beside FILE)",
    )
    add_round.add_argument("--actor", required=True, help="who saves (written to the audit log)")
    add_round.add_argument("--reason", required=True, help="why (written to the audit log)")

    demo = commands.add_parser(
        "demo",
        help="load example data (fictitious, labelled 'Exempeldata – fiktiva uppgifter' on every page) for every "
        "round; refused while the store holds real records; --remove deletes it and nothing else",
    )
    demo.add_argument("--remove", action="store_true", help="delete the example data (and nothing else)")
    demo.add_argument("--actor", required=True, help="who loads or removes it (written to the audit log)")
    demo.add_argument("--reason", required=True, help="why (written to the audit log)")

    commands.add_parser("scenarios", help="list saved scenarios")
    add_decision_commands(commands)

    backup = commands.add_parser("backup", help="copy the whole database to a new file (DuckDB; PostgreSQL: pg_dump)")
    backup.add_argument("destination", type=Path)

    copy = commands.add_parser(
        "copy",
        help="copy a DuckDB file (--db, default $STATSBIDRAG_DB) into an empty PostgreSQL database, verified per "
        "table (row count and checksum); all or nothing",
    )
    copy.add_argument("--to", required=True, type=db_target, help="the target: postgresql://user@host/database")
    for name, sub in commands.choices.items():  # `copy --to URL --db FILE` as well as `--db FILE copy --to URL`
        if name not in before:
            sub.add_argument("--db", type=db_target, default=argparse.SUPPRESS, help=DB_HELP)


def add_decision_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """decide, letters, payouts, pay, payment-details (run by ``store.decision_commands``)."""
    decide = commands.add_parser(
        "decide", help="decide a round (or amend its decision): prints the check; refused if blocked or unconfirmed"
    )
    decide.add_argument("--round", required=True)
    decide.add_argument("--dnr", required=True, help="the decision's diarienummer")
    decide.add_argument("--published", type=_date, required=True, help="the decision's date, YYYY-MM-DD")
    decide.add_argument(
        "--pot",
        nargs="+",
        default=[],
        metavar="OPTION_OR_KRONOR",
        help="the pot: an option id of the rules (e.g. bakgrund) or kronor; BLOCK=VALUE for a round of several blocks",
    )
    decide.add_argument("--pot-reason", default="", help="why this pot (written into the decision)")
    decide.add_argument("--amends", type=int, help="the number of the decision this one amends (ändringsbeslut)")
    decide.add_argument("--confirm", action="store_true", help="confirm the check's warnings")
    decide.add_argument("--actor", required=True, help="who decides (written to the audit log and the decision)")
    decide.add_argument("--reason", required=True, help="why (written to the audit log)")

    letters = commands.add_parser("letters", help="write a decision's PDF and DOCX, one letter per region, and a ZIP")
    letters.add_argument("--round", required=True)
    letters.add_argument("--out", type=Path, required=True, help="folder to write into")
    letters.add_argument("--decision", type=int, help="the decision's number (default: the round's current one)")
    letters.add_argument("--signatory", default="", help="who signs (empty: a line to fill in)")
    letters.add_argument("--title", default="", help="the signatory's title")
    letters.add_argument("--place", default="", help="where it is signed")
    letters.add_argument("--date", type=_date, help="the date of signing, YYYY-MM-DD (empty: a line to fill in)")
    letters.add_argument("--contact", default="", help="whom a recipient asks about the decision and its payment")

    payouts = commands.add_parser("payouts", help="write the payout list (what is left to pay) as XLSX or CSV")
    payouts.add_argument("--round", required=True)
    payouts.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    payouts.add_argument("--out", type=Path, required=True)
    payouts.add_argument("--decision", type=int, help="the decision's number (default: the round's current one)")
    payouts.add_argument("--up-to", type=_date, help="requisitions received up to this day (fixed-amount rounds)")

    pay = commands.add_parser("pay", help="record the payout list as paid: one payment run, every line once")
    pay.add_argument("--round", required=True)
    pay.add_argument("--paid-on", type=_date, required=True, help="the payment day, YYYY-MM-DD")
    pay.add_argument("--reference", required=True, help="the payment's reference (e.g. the bank file's)")
    pay.add_argument("--decision", type=int, help="the decision's number (default: the round's current one)")
    pay.add_argument("--up-to", type=_date, help="requisitions received up to this day (default: the payment day)")
    pay.add_argument(
        "--expect", help="the list's fingerprint as `payouts` printed it: refused if the list has changed since"
    )
    pay.add_argument("--actor", required=True, help="who records (written to the audit log)")
    pay.add_argument("--reason", required=True, help="why (written to the audit log)")

    details = commands.add_parser(
        "payment-details", help="import organisation numbers and bankgiro numbers (CSV or XLSX; checked first)"
    )
    details.add_argument("file", type=Path, help="columns region (or län code), organisationsnummer, bankgiro")
    details.add_argument("--actor", required=True, help="who imports (written to the audit log)")
    details.add_argument("--reason", required=True, help="why (written to the audit log)")
    details.add_argument("--dry-run", action="store_true", help="validate and count changes; write nothing")
    details.add_argument(
        "--confirm-shared",
        action="store_true",
        help="confirm that recipients sharing an organisation number or bankgiro really share it",
    )

    recover = commands.add_parser(
        "recover", help="record a repayment received on an amount to recover (återkrav) after an amendment"
    )
    recover.add_argument("--round", required=True)
    recover.add_argument("--region", required=True, help="the recipient's län code")
    recover.add_argument("--amount", required=True, help="kronor repaid (whole kronor)")
    recover.add_argument("--received-on", type=_date, required=True, help="the day the repayment came in")
    recover.add_argument("--reference", required=True, help="the repayment's reference (recorded once)")
    recover.add_argument("--actor", required=True, help="who records (written to the audit log)")
    recover.add_argument("--reason", required=True, help="why (written to the audit log)")


def store_command_names() -> frozenset[str]:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers()
    add_store_commands(commands)
    return frozenset(commands.choices)


def alias_note(argv: Sequence[str]) -> str:
    """The line ``python -m store`` prints on stderr after its command: where the command now lives."""
    names = store_command_names()
    command = next((a for a in argv if a in names), "<command>")
    return (
        f"note: `python -m store {command}` is an alias; the command line is now `python -m cli {command}` "
        "(`python -m cli --help` lists every command)\n"
    )


def print_problems(args: argparse.Namespace, exc: InputError, file: Path | None = None) -> int:
    for line in lines_en(exc):  # the first 50 problems, then how many more
        print(f"error: {file or getattr(args, 'file', '')}: {line}", file=sys.stderr)
    return EXIT_BAD_INPUT


def main(argv: Sequence[str] | None = None) -> int:
    return run(build_parser().parse_args(argv))


def run(args: argparse.Namespace) -> int:
    """Run a store command whose arguments are parsed (by this parser or by ``python -m cli``'s)."""
    if args.command == "add-round":
        try:
            return _read_round_files(args) or _run(args)
        except InputError as exc:
            return print_problems(args, exc, getattr(args, "problem_file", args.file))
    if args.command.startswith("import-") or args.command == "payment-details":
        # The file first, within its limits, before the store loads (about 1.5 s and 180 MB of modules):
        # a giant or a zip bomb is refused in a fraction of a second. The import reads it again.
        try:
            read_table(read_file(args.file))
        except InputError as exc:
            return print_problems(args, exc)
    return _run(args)


def _run(args: argparse.Namespace) -> int:
    if args.command == "copy":
        if not is_url(args.to):
            print(f"error: --to must be a postgresql:// URL, not {args.to}", file=sys.stderr)
            return EXIT_BAD_INPUT
        if is_url(args.db):
            print("error: copy reads a DuckDB file: give --db a file's path (or leave it out)", file=sys.stderr)
            return EXIT_BAD_INPUT
    from store import commands

    return commands.run(args)


def _read_round_files(args: argparse.Namespace) -> int:
    """The rules file and its planned table, within the import limits, before the store loads.

    Sets ``args.rules_text`` and ``args.planned_rows`` (None: no planned file); returns an exit status
    when the rules cannot be read at all (0: go on).
    """
    from store.model import RulesRefused
    from store.round_check import read_head

    args.problem_file = args.file
    try:
        args.rules_text = read_file(args.file).decode("utf-8")
    except UnicodeDecodeError:
        raise InputError([Problem("not_utf8")]) from None
    try:
        head = read_head(args.rules_text)
    except RulesRefused as exc:
        return print_rule_problems(args, exc.problems)
    planned = args.planned
    if planned is None and head.planned_file is not None and (args.file.parent / head.planned_file).is_file():
        planned = args.file.parent / head.planned_file
    args.planned_rows = None
    if planned is not None:
        args.problem_file = planned
        args.planned_rows = read_table(read_file(planned))
        args.problem_file = args.file
    args.planned_file = planned
    return 0


def print_rule_problems(args: argparse.Namespace, problems: Sequence[tuple[str, str]]) -> int:
    """One line per problem of a rules file, each naming its field."""
    for en, _ in problems:
        print(f"error: {args.file}: {en}", file=sys.stderr)
    return EXIT_BAD_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
