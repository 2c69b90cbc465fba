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
from contextlib import suppress
from datetime import date
from pathlib import Path

from allocation import formats as f
from allocation.at import allocate
from allocation.inputs import read_file
from allocation.problems import InputError
from store import db
from store.access import Role
from store.auth_config import startup_problem
from store.export import export_allocation, export_table
from store.service import EXPORTABLE_TABLES, Actor, Store, User, WriteRefused

EXIT_BAD_INPUT = 2
EXIT_UNAVAILABLE = 3


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m store", description="The dashboard's DuckDB store.")
    parser.add_argument("--db", type=Path, help=f"database file (default: ${db.PATH_ENV} or {db.DEFAULT_PATH})")
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


def _error(message: str, status: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return status


def _import(store: Store, args: argparse.Namespace) -> int:
    data = read_file(args.file)
    actor = Actor(args.actor)
    if args.command == "import-reports":
        result = store.import_at_reports(
            actor, args.reason, args.round, data, args.file.name, args.received, dry_run=args.dry_run
        )
    else:
        result = store.import_requisitions(actor, args.reason, args.round, data, args.file.name, args.dry_run)
    verb = "would change" if args.dry_run else "changed"
    print(f"{args.file}: {result.rows} rows; {verb} {result.changed}; unchanged {result.unchanged}")
    return 0


def _export(store: Store, args: argparse.Namespace) -> int:
    if args.table:
        content = export_table(store, args.table, args.format)
    else:
        scenario = store.scenario(args.scenario)
        if scenario is None:
            names = ", ".join(s.name for s in store.scenarios()) or "none saved"
            return _error(f"no scenario named {args.scenario!r} (saved: {names})", EXIT_BAD_INPUT)
        at_round = store.at_round(scenario.round_id)
        allocation = allocate(at_round, scenario.inputs, scenario.params)
        extra = {
            "Scenario": scenario.name,
            "Sparat av": f"{scenario.author}, {scenario.created:%Y-%m-%d %H:%M}",
            "Regelversion vid sparande": scenario.rules_version,
        }
        content = export_allocation(at_round, allocation, args.format, extra)
    tmp = args.out.with_name(args.out.name + ".part")
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(content)
        tmp.replace(args.out)  # never a half-written file under the real name
    except OSError as exc:
        with suppress(OSError):
            tmp.unlink(missing_ok=True)
        return _error(f"cannot write {args.out}: {db.folder_cause(args.out.parent, exc)}", EXIT_UNAVAILABLE)
    print(f"wrote {args.out} ({len(content)} bytes)")
    return 0


def _scenarios(store: Store) -> int:
    rows = store.scenarios()
    if not rows:
        print("no saved scenarios")
    for s in rows:
        print(f"{s.name}\t{s.round_id}\t{s.author}\t{s.created:%Y-%m-%d %H:%M}\tpot {f.kr(s.params.pot)}\t{s.note}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    path = args.db or db.db_path()
    try:
        store = Store.open(path)
    except db.StoreError as exc:
        return _error(str(exc), EXIT_UNAVAILABLE)
    try:
        if args.command == "init":
            version = db.schema_version(store.con)
            print(f"{path}: schema version {version}; {store.audit_count()} audit entries")
            if problem := startup_problem():
                return _error(problem, EXIT_BAD_INPUT)
            return 0
        if args.command == "users":
            for u in store.users():
                state = "" if u.active else "\tinactive"
                print(f"{u.login}\t{u.name}\t{u.role}{' ' + u.region if u.region else ''}{state}")
            return 0
        if args.command == "user":
            changed = store.save_user(
                Actor(args.actor, "handläggare (kommandorad)"),
                args.reason,
                User(args.login, args.name, args.role, args.region, not args.inactive),
            )
            print(f"{args.login}: {'saved' if changed else 'unchanged'}")
            return 0
        if args.command.startswith("import-"):
            return _import(store, args)
        if args.command == "export":
            return _export(store, args)
        if args.command == "scenarios":
            return _scenarios(store)
        if args.command == "backup":
            store.backup(args.destination)
            print(f"backed up {path} to {args.destination}")
            return 0
        return EXIT_BAD_INPUT  # pragma: no cover - argparse requires a command
    except InputError as exc:
        for line in exc.lines_en():  # the first 50 problems, then how many more
            print(f"error: {getattr(args, 'file', '')}: {line}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except WriteRefused as exc:
        return _error(str(exc), EXIT_BAD_INPUT)
    except db.StoreError as exc:  # the file could not be written (disk full, ...); nothing of it was saved
        return _error(str(exc), EXIT_UNAVAILABLE)
    except KeyError as exc:  # something the command needs is missing from the store (e.g. in a round's rules)
        key = exc.args[0] if exc.args else ""
        detail = key if isinstance(key, str) and " " in key else f"no entry {key!r} in the store for this command"
        return _error(f"{detail} (database {path})", EXIT_BAD_INPUT)
    finally:
        store.close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
