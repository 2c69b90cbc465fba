"""``python -m cli decide|letters|payouts|pay|payment-details``: a round's decision, its documents and payments.

Run by ``store.commands.run`` with the store open; every refusal is an ``error: ...`` line and exit status 2
(bad input or a refused write, nothing written) or 3 (a file that cannot be written), as the other commands.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import suppress
from pathlib import Path

from allocation.block_engine import PotChoice
from allocation.decision import Snapshot
from allocation.money import MAX_AMOUNT, kr
from allocation.payouts import PayoutList
from ingest.inputs import read_file
from present.payouts import problems_en, refused_en
from store import db
from store.cli import EXIT_BAD_INPUT, EXIT_UNAVAILABLE
from store.model import Actor
from store.payout_export import payout_export
from store.service import Store

COMMANDS = ("decide", "letters", "payouts", "pay", "payment-details", "recover")


def _error(message: str, status: int = EXIT_BAD_INPUT) -> int:
    print(f"error: {message}", file=sys.stderr)
    return status


def _actor(args: argparse.Namespace) -> Actor:
    return Actor(args.actor, "handläggare (kommandorad)")


def write_file(path: Path, content: bytes) -> str | None:
    """Write whole or not at all (a temporary name, then renamed); the cause when it cannot be written."""
    tmp = path.with_name(path.name + ".part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(content)
        tmp.replace(path)
    except OSError as exc:
        with suppress(OSError):
            tmp.unlink(missing_ok=True)
        return f"cannot write {path}: {db.folder_cause(path.parent, exc)}"
    return None


def pot_choices(store: Store, round_id: str, values: list[str]) -> dict[str, PotChoice] | str:
    """``--pot`` values as block id -> option id or kronor; a message when they do not fit the round."""
    blocks = [b.id for b in store.rounds.block_round(round_id).blocks]
    pots: dict[str, PotChoice] = {}
    for value in values:
        block, sep, choice = value.partition("=")
        if not sep:
            if len(blocks) != 1:
                return f"the round has {len(blocks)} blocks ({', '.join(blocks)}): write --pot BLOCK=VALUE"
            block, choice = blocks[0], value
        if block not in blocks:
            return f"no block {block!r} in round {round_id!r} (blocks: {', '.join(blocks)})"
        amount = parse_amount(choice)
        if isinstance(amount, int):
            pots[block] = amount
        elif amount == NOT_A_NUMBER:
            pots[block] = choice.strip()  # an option id of the block's pot
        else:
            return f"--pot {value}: {amount}"
    return pots


NOT_A_NUMBER = "not a whole number of kronor"


def parse_amount(text: str) -> int | str:
    """Kronor as typed (``254 000 000``, ``254_000_000``), within ``MAX_AMOUNT``; else why not."""
    digits = text.replace(" ", "").replace("_", "").replace("\u00a0", "")
    if not (digits.isascii() and digits.isdigit()):
        return NOT_A_NUMBER
    if len(digits) > 15 or int(digits) > MAX_AMOUNT:
        return f"at most {kr(MAX_AMOUNT)} (the product's bound on every amount)"
    return int(digits)


def _decide(store: Store, args: argparse.Namespace) -> int:
    if args.round not in store.rounds.round_ids():
        return _error(f"unknown round {args.round!r} (rounds: {', '.join(store.rounds.round_ids())})")
    pots = pot_choices(store, args.round, args.pot)
    if isinstance(pots, str):
        return _error(pots)
    check = store.decisions.decision_check(args.round, pots or None)
    for item in check.items:
        print(f"{item.level}: {item.text}")
    if check.blocking:
        for item in check.blocking:
            _error(f"blocking: {item.text}")
        return EXIT_BAD_INPUT
    if check.warnings and not args.confirm:
        return _error(f"{len(check.warnings)} warning(s) above: read them and decide again with --confirm")
    snapshot = store.decisions.decide_round(
        _actor(args),
        args.reason,
        args.round,
        args.dnr,
        args.published,
        pots or None,
        args.pot_reason,
        supersedes=args.amends,
        confirmed=args.confirm,
    )
    paid_to = sum(1 for line in snapshot.recipients if line.total)
    print(
        f"decided: {snapshot.kind} {snapshot.number} ({snapshot.reference}), {kr(snapshot.paid)} to {paid_to} "
        f"recipients, {kr(snapshot.unallocated)} unallocated; content hash {snapshot.content_hash[:16]}"
    )
    return 0


def _snapshot(store: Store, args: argparse.Namespace) -> Snapshot | int:
    """The decision asked for, or an exit status after saying why not."""
    if args.round not in store.rounds.round_ids():
        return _error(f"unknown round {args.round!r} (rounds: {', '.join(store.rounds.round_ids())})")
    if args.decision is None:
        snapshot = store.decisions.current_decision(args.round)
        if snapshot is None:
            return _error(f"round {args.round!r} has no decision yet (python -m cli decide ...)")
        return snapshot
    try:
        snapshot = store.decisions.decision_snapshot(args.decision)
    except KeyError:
        snapshot = None
    if snapshot is None or snapshot.round_id != args.round:
        listed = ", ".join(str(s.id) for s in store.decisions.decision_list(args.round)) or "none"
        return _error(f"round {args.round!r} has no decision {args.decision} (its decisions: {listed})")
    return snapshot


def _letters(store: Store, args: argparse.Namespace) -> int:
    import documents
    from documents import archive

    snapshot = _snapshot(store, args)
    if isinstance(snapshot, int):
        return snapshot
    day = args.date.isoformat() if args.date else ""
    signing = documents.Signing(
        args.signatory, args.title, day, args.place, "", snapshot.grantor, contact=args.contact.strip()
    )
    files = [
        (archive.decision_name(snapshot, "pdf"), documents.decision_pdf(snapshot, signing)),
        (archive.decision_name(snapshot, "docx"), documents.decision_docx(snapshot, signing)),
    ]
    giros = {code: bg for code, (_, bg) in store.bank_details.payment_details().items()}
    for line in snapshot.recipients:
        bg = giros.get(line.code, "")
        pdf_bytes = documents.letter_pdf(snapshot, line.code, signing, bg)
        files.append((archive.letter_name(line.code, line.name, "pdf"), pdf_bytes))
        files.append(
            (archive.letter_name(line.code, line.name, "docx"), documents.letter_docx(snapshot, line.code, signing, bg))
        )
    files.append((archive.decision_name(snapshot, "zip"), archive.zip_files(files)))
    for name, content in files:
        if problem := write_file(args.out / name, content):
            return _error(problem, EXIT_UNAVAILABLE)
    print(
        f"wrote {len(files)} files to {args.out}: the decision {snapshot.reference} (PDF, DOCX), "
        f"{len(snapshot.recipients)} letters (PDF, DOCX) and {files[-1][0]}"
    )
    if missing := signing.missing():
        print(f"draft: every page is marked UTKAST until these are given: {', '.join(missing)}")
    return 0


def _notes(listed: PayoutList) -> None:
    for owed in listed.recoveries:
        print(
            f"to recover: {owed.name} {kr(owed.amount)} (paid {kr(owed.paid)}, decided {kr(owed.decided)}); "
            "not on the list: record the repayment with `recover`"
        )
    if listed.recoveries:
        print(
            f"reconciliation: decided {kr(listed.basis)} - already paid {kr(listed.already_paid)} = "
            f"to pay now {kr(listed.total)} - to recover {kr(listed.to_recover)}"
        )
    for refused in listed.refused:
        print(f"not paid: {refused.name} {kr(refused.amount)}: {refused_en(refused)}")
    for text in listed.notices_sv:
        print(f"note: {text}")


def _payouts(store: Store, args: argparse.Namespace) -> int:
    listed = store.payments.payout_list(args.round, args.decision, args.up_to)
    content = payout_export(store, listed, args.format)
    if problem := write_file(args.out, content):
        return _error(problem, EXIT_UNAVAILABLE)
    print(f"wrote {args.out}: {len(listed.lines)} lines, {kr(listed.total)} ({listed.reference})")
    print(f"list fingerprint: {listed.fingerprint} (pay exactly this list: pay … --expect {listed.fingerprint})")
    _notes(listed)
    for text in problems_en(listed):
        print(f"cannot be recorded yet: {text}")
    return 0


def _pay(store: Store, args: argparse.Namespace) -> int:
    run_id = store.payments.record_payment_run(
        _actor(args), args.reason, args.round, args.paid_on, args.reference, args.decision, args.up_to, args.expect
    )
    run = next(r for r in store.payments.payment_runs(args.round) if r.id == run_id)
    print(f"payment run {run.id} ({run.reference}, {run.paid_on}): {run.lines} lines, {kr(run.total)}")
    listed = store.payments.payout_list(args.round, args.decision, args.up_to or args.paid_on)
    _notes(listed)
    return 0


def _payment_details(store: Store, args: argparse.Namespace) -> int:
    result = store.bank_details.import_payment_details(
        _actor(args),
        args.reason,
        read_file(args.file),
        args.file.name,
        dry_run=args.dry_run,
        confirm_shared=args.confirm_shared,
    )
    verb = "would change" if args.dry_run else "changed"
    print(f"{args.file}: {result.rows} rows; {verb} {result.changed}; unchanged {result.unchanged}")
    return 0


def _recover(store: Store, args: argparse.Namespace) -> int:
    amount = parse_amount(args.amount)
    if isinstance(amount, str):
        return _error(f"--amount: {amount}")
    new_id = store.payments.record_recovery(
        _actor(args), args.reason, args.round, args.region, args.received_on, amount, args.reference
    )
    print(f"repayment {new_id} recorded: {args.region} {kr(amount)} ({args.reference.strip()}, {args.received_on})")
    _notes(store.payments.payout_list(args.round))
    return 0


def run(store: Store, args: argparse.Namespace) -> int:
    if args.command == "recover":
        return _recover(store, args)
    if args.command == "decide":
        return _decide(store, args)
    if args.command == "letters":
        return _letters(store, args)
    if args.command == "payouts":
        return _payouts(store, args)
    if args.command == "pay":
        return _pay(store, args)
    return _payment_details(store, args)
