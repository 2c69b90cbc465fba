"""The store's commands, run by ``python -m cli`` (or its alias ``python -m store``) once the arguments (and an
import's file) are checked.

Kept apart from ``store.cli`` so that a file can be refused before DuckDB, pandas and openpyxl load.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import suppress

from allocation.problems import InputError
from allocation.whatif import pot_amount
from ingest.inputs import parse_planned_table, read_file
from present import formats as f
from store import db, decision_commands
from store.auth_config import startup_problem
from store.cli import EXIT_BAD_INPUT, EXIT_UNAVAILABLE, print_problems, print_rule_problems
from store.export import export_scenario, export_table
from store.model import Actor, RulesRefused, StoreBusy, StoreLocked, User, WriteRefused
from store.paths import database_target
from store.service import Store

# Commands that only read the store: they never create, migrate or seed it (an uninitialised store: run init).
READ_ONLY = frozenset({"users", "scenarios", "export", "payouts", "letters"})


def _error(message: str, status: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return status


def _import(store: Store, args: argparse.Namespace) -> int:
    data = read_file(args.file)
    actor = Actor(args.actor)
    if args.command == "import-reports":
        result = store.reports.import_reports(
            actor, args.reason, args.round, data, args.file.name, args.received, dry_run=args.dry_run
        )
    else:
        result = store.followup.import_requisitions(actor, args.reason, args.round, data, args.file.name, args.dry_run)
    verb = "would change" if args.dry_run else "changed"
    print(f"{args.file}: {result.rows} rows; {verb} {result.changed}; unchanged {result.unchanged}")
    return 0


def _add_round(store: Store, args: argparse.Namespace) -> int:
    """Save the rules file (and its planned table, read by ``store.cli`` within the limits)."""
    planned = None
    if args.planned_rows is not None:
        rows = [list(row) for row in args.planned_rows]
        header = [cell.strip().casefold() for cell in rows[0]] if rows else []
        if "code" in header and "region" not in header:  # the format of data/rounds/*-planned.csv
            rows[0] = ["region" if name == "code" else cell for name, cell in zip(header, rows[0], strict=True)]
        try:
            planned = parse_planned_table(rows, store.rounds.region_index())
        except InputError as exc:
            return print_problems(args, exc, args.planned_file)
    before = store.generation
    try:
        round_id, version = store.rounds.save_round(Actor(args.actor), args.reason, args.rules_text, planned)
    except RulesRefused as exc:
        return print_rule_problems(args, exc.problems)
    state = "saved" if store.generation != before else "unchanged (the store holds this text already)"
    print(f"{args.file}: round {round_id} version {version}: {state}")
    return 0


def _export(store: Store, args: argparse.Namespace) -> int:
    if args.table:
        content = export_table(store, args.table, args.format)
    else:
        scenario = store.scenarios.scenario(args.scenario)
        if scenario is None:
            names = ", ".join(s.name for s in store.scenarios.scenarios()) or "none saved"
            return _error(f"no scenario named {args.scenario!r} (saved: {names})", EXIT_BAD_INPUT)
        content = export_scenario(store, scenario, args.format)
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


def where(target: object) -> str:
    """The store for a message: a file's path, or a URL without its password."""
    return db.redacted(str(target)) if db.is_url(target) else str(target)


def _demo(store: Store, args: argparse.Namespace, place: str) -> int:
    """Load the example data (or remove it with ``--remove``): one audited transaction each."""
    from store import demo

    actor = Actor(args.actor, "handläggare (kommandorad)")
    again = f'python -m cli demo --remove --actor "{args.actor}" --reason "..."'
    if args.remove:
        removed = demo.remove(store, actor, args.reason)
        if not removed.rounds and not any(removed.counts.values()):
            print(f"{place}: holds no example data; nothing removed")
            return 0
        kept = {t: n for t, n in removed.kept.items() if n}
        note = f"; kept as real, recorded by staff since: {demo.describe(kept)}" if kept else ""
        print(
            f"{place}: example data removed ({', '.join(removed.rounds)}): {demo.describe(removed.counts)}"
            f"{note}; {removed.seconds:.2f} s"
        )
        return 0
    loaded = demo.load(store, actor, args.reason)
    if not loaded.written:
        held = demo.example_rounds(store)
        when = ", ".join(f"{r} (loaded {at:%Y-%m-%d %H:%M} by {who})" for r, (at, who) in held.items())
        print(f"{place}: holds example data already: {when}; nothing written. To make it again: {again}; demo")
        return 0
    print(
        f"{place}: example data loaded ({demo.MARK}: fictitious) for {', '.join(loaded.rounds) or 'no round'}: "
        f"{demo.describe(loaded.counts)}; seed {demo.SEED}; {loaded.seconds:.2f} s. Remove it with: {again}"
    )
    return 0


def _scenarios(store: Store) -> int:
    rows = store.scenarios.scenarios()
    if not rows:
        print("no saved scenarios")
    for s in rows:
        round_ = store.rounds.block_round(s.round_id)
        pot = sum(pot_amount(round_, b.id, s.what_if.pots.get(b.id, b.pot.default)) for b in round_.blocks)
        print(f"{s.name}\t{s.round_id}\t{s.author}\t{s.created:%Y-%m-%d %H:%M}\tpot {f.kr(pot)}\t{s.note}")
    return 0


def _copy(args: argparse.Namespace) -> int:
    """``copy --to URL``: the DuckDB file into an empty PostgreSQL database, and the verification table."""
    from store import transfer

    source = args.db or db.db_path()
    try:
        result = transfer.copy_store(source, args.to)
    except transfer.CopyRefused as exc:
        return _error(str(exc), EXIT_BAD_INPUT)
    except db.StoreError as exc:
        return _error(str(exc), EXIT_UNAVAILABLE)
    print(transfer.report(result))
    if not result.ok:
        bad = ", ".join(t.name for t in result.tables if not t.ok)
        return _error(f"{bad}: not the same in the target; rolled back, nothing was written", EXIT_UNAVAILABLE)
    return 0


def run(args: argparse.Namespace) -> int:
    """Open the store and run the command (its file, if any, has passed the limits already)."""
    if args.command == "copy":
        return _copy(args)
    try:
        target = args.db or database_target()
    except db.StoreError as exc:  # a secrets file that cannot be read: it may name the database
        return _error(str(exc), EXIT_UNAVAILABLE)
    path = where(target)
    try:
        store = Store.open(target, read_only=args.command in READ_ONLY)
    except db.StoreError as exc:
        if args.command == "demo" and isinstance(exc, StoreLocked):  # the dashboard has a button for it
            from store import demo

            return _error(demo.beside_dashboard_en(path, str(exc), args.remove), EXIT_UNAVAILABLE)
        return _error(str(exc), EXIT_UNAVAILABLE)
    try:
        if args.command == "init":
            version = db.schema_version(store.con)
            print(f"{path}: schema version {version}; {store.audit.audit_count()} audit entries")
            if problem := startup_problem(address=getattr(args, "address", None)):
                return _error(problem, EXIT_BAD_INPUT)
            return 0
        if args.command == "users":
            for u in store.users.users():
                state = "" if u.active else "\tinactive"
                print(f"{u.login}\t{u.name}\t{u.role}{' ' + u.region if u.region else ''}{state}")
            return 0
        if args.command == "user":
            changed = store.users.save_user(
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
        if args.command == "add-round":
            return _add_round(store, args)
        if args.command == "demo":
            return _demo(store, args, path)
        if args.command == "scenarios":
            return _scenarios(store)
        if args.command in decision_commands.COMMANDS:
            return decision_commands.run(store, args)
        if args.command == "backup":
            if store.shared:
                return _error(
                    f"{path} is a PostgreSQL database: back it up with pg_dump on the server, e.g. "
                    f"pg_dump -Fc -f {args.destination} DATABASE (see the README)",
                    EXIT_BAD_INPUT,
                )
            store.audit.backup(args.destination)
            print(f"backed up {path} to {args.destination}")
            return 0
        return EXIT_BAD_INPUT  # pragma: no cover - argparse requires a command
    except InputError as exc:
        return print_problems(args, exc)
    except StoreBusy as exc:  # another write held the lock past the timeout: nothing written, try again
        return _error(str(exc), EXIT_UNAVAILABLE)
    except WriteRefused as exc:
        return _error(str(exc), EXIT_BAD_INPUT)
    except db.StoreError as exc:  # the file could not be written (disk full, ...); nothing of it was saved
        return _error(str(exc), EXIT_UNAVAILABLE)
    except db.DB_ERRORS as exc:  # e.g. the server's connection broke while reading
        return _error(f"the database {path} failed: {db.cause(exc)}. Nothing was written.", EXIT_UNAVAILABLE)
    except KeyError as exc:  # something the command needs is missing from the store (e.g. in a round's rules)
        key = exc.args[0] if exc.args else ""
        detail = key if isinstance(key, str) and " " in key else f"no entry {key!r} in the store for this command"
        return _error(f"{detail} (database {path})", EXIT_BAD_INPUT)
    finally:
        store.close()
