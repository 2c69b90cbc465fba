"""Seeding the store from ``data/``: idempotent (a second run writes nothing) and audited.

Every rules file of ``data/rounds`` (``kind`` performance, fixed or blocks) is checked as staff's saves are
(``store.round_check``); one that cannot be used is skipped, logged, and listed by ``Store.round_problems``
so that the store still opens. A version saved by staff is theirs: the file does not overwrite it. A
published round's version is frozen: a changed file under the same version is skipped, not written.
"""

from __future__ import annotations

import csv
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from ingest.data_folder import DATA_DIR, read_planned_file
from store.core import StoreCore, Tx
from store.db import rollback_quietly
from store.model import SYSTEM, RoundProblem, RulesRefused
from store.round_check import RulesHead, check_rules, format_problem, read_head
from store.round_rows import (
    has_decision,
    planned_rows,
    region_codes,
    regions_at,
    write_estimates,
    write_planned,
    write_round,
)
from store.sql import upsert

SEED_REASON = "Inläsning av grunddata från data/"
logger = logging.getLogger(__name__)


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _seed_regions(store: StoreCore, tx: Tx, data_dir: Path) -> None:
    current = {row[0]: row[1:] for row in tx.execute("SELECT code, name, seed_name, aliases FROM regions").fetchall()}
    for row in _read_csv(data_dir / "regions.csv"):
        values = (row["name"], row["seed_name"], row.get("aliases", ""))
        before = current.get(row["code"])
        if before == values:
            continue
        tx.execute(upsert("regions", ("code", "name", "seed_name", "aliases"), ("code",)), [row["code"], *values])
        keys = ("name", "seed_name", "aliases")
        tx.audit(
            "insert" if before is None else "update",
            "regions",
            row["code"],
            None if before is None else dict(zip(keys, before, strict=True)),
            dict(zip(keys, values, strict=True)),
        )


def _seed_population(store: StoreCore, tx: Tx, data_dir: Path) -> None:
    current = {
        (code, when): (pop, source)
        for code, when, pop, source in tx.execute("SELECT code, date, population, source FROM population").fetchall()
    }
    for row in _read_csv(data_dir / "population.csv"):
        key = (row["code"], date.fromisoformat(row["date"]))
        values = (int(row["population"]), row["source"])
        before = current.get(key)
        if before == values:
            continue
        tx.execute(upsert("population", ("code", "date", "population", "source"), ("code", "date")), [*key, *values])
        tx.audit(
            "insert" if before is None else "update",
            "population",
            f"{key[0]}/{key[1]}",
            None if before is None else {"population": before[0], "source": before[1]},
            {"population": values[0], "source": values[1]},
        )


def _refuse(en: str, sv: str) -> RulesRefused:
    return RulesRefused([(en, sv)])


def _read_planned(path: Path, field: str) -> dict[str, str]:
    try:
        return read_planned_file(path)
    except (OSError, UnicodeDecodeError, KeyError, csv.Error) as exc:
        what = f"no column {exc}" if isinstance(exc, KeyError) else str(exc)
        raise RulesRefused(
            [(f"{field}: cannot read {path.name}: {what}", f"{field}: {path.name} kan inte läsas: {what}")]
        ) from None


def _seed_round(store: StoreCore, tx: Tx, path: Path, seen: dict[tuple[str, str], str]) -> RulesHead:
    """One rules file into the store: checked first (``RulesRefused`` if it cannot be used), then written."""
    name = f"data/rounds/{path.name}"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _refuse(f"cannot be read: {exc}", f"kan inte läsas: {exc}") from None
    head = read_head(text)
    key = (head.id, head.version)
    if key in seen:
        raise _refuse(
            f"id {head.id!r} version {head.version!r} is also in {seen[key]}",
            f"id {head.id!r} version {head.version!r} finns redan i {seen[key]}",
        )
    seen[key] = name
    planned: dict[str, str] | None = None
    planned_source = name
    if head.planned_file is not None:
        planned = _read_planned(path.parent / head.planned_file, head.planned_field)
        planned_source = f"data/rounds/{head.planned_file}"
    elif head.planned_table is not None:
        planned = head.planned_table
    check_rules(head, region_codes(tx), lambda when: regions_at(tx, when), planned)
    stored = [k for (k,) in tx.execute("SELECT DISTINCT kind FROM rounds WHERE id = ?", [head.id]).fetchall()]
    problem = format_problem(head, stored)
    if problem is not None:
        raise _refuse(*problem)
    rows = tx.execute(
        "SELECT rules_toml, source_file FROM rounds WHERE id = ? AND version = ?", [head.id, head.version]
    ).fetchall()
    saved_by_staff = bool(rows) and rows[0][1] != name  # their version, not the file's: left as they saved it
    decided = has_decision(tx, head.id)  # frozen from the decision, not from its publication
    if rows and not saved_by_staff and rows[0][0] != head.text and decided:
        raise _refuse(
            f"version: round {head.id!r} is decided, so version {head.version} is frozen: "
            "give the changed rules a new version",
            f"version: omgången {head.id!r} är beslutad, så version {head.version} är låst: "
            "ge de ändrade reglerna en ny version",
        )
    if not saved_by_staff:
        write_round(tx, head, name, SYSTEM.name)
    current = planned_rows(tx, head.id)  # what the seed would change: values that came from the file
    follows = [c for c, v in (planned or {}).items() if c in current and current[c][1] == planned_source]
    if decided and any(current[c][0] != (planned or {})[c] for c in follows):
        raise _refuse(
            f"planned: round {head.id!r} is decided, so its planned table is frozen: give the rules a new version",
            f"planned: omgången {head.id!r} är beslutad, så dess planeringsunderlag är låst: ge reglerna en ny version",
        )
    if planned is not None:
        write_planned(tx, head.id, planned, planned_source, from_file=True)
    return head


def seed_from_data(store: StoreCore, data_dir: Path | None = None) -> int:
    """Bring the store up to date with ``data/``; returns the number of audit entries written (0 if none).

    Looked at first in a transaction that only reads (no write lock, nothing written): a store that is up to
    date is opened without a write, so opening it never waits for another writer nor fails on a full disk."""
    data_dir = data_dir or DATA_DIR
    try:
        with _looking(store) as tx:
            problems = _seed(store, tx, data_dir)
        store.round_problems_found = tuple(problems)
        return 0
    except _WouldWrite:
        pass
    with store.transaction(SYSTEM, SEED_REASON) as tx:
        problems = _seed(store, tx, data_dir)
        entries = tx.entries
    store.round_problems_found = tuple(problems)
    return entries


def _seed(store: StoreCore, tx: Tx, data_dir: Path) -> list[RoundProblem]:
    problems: list[RoundProblem] = []
    seen: dict[tuple[str, str], str] = {}
    _seed_regions(store, tx, data_dir)
    _seed_population(store, tx, data_dir)
    for path in sorted((data_dir / "rounds").glob("*.toml")):
        try:
            head = _seed_round(store, tx, path, seen)
        except RulesRefused as exc:
            problems.append(_skipped(path, exc))
            continue
        write_estimates(tx, head)
    return problems


class _WouldWrite(Exception):
    """The seed has something to write: it is run again in a write transaction."""


class _LookingTx(Tx):
    """A transaction that only reads: the first statement that is not a SELECT raises ``_WouldWrite``."""

    @property
    def cursor(self) -> Any:
        raise _WouldWrite

    def execute(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> Any:
        if not re.match(r"\s*SELECT\b", sql, re.IGNORECASE):
            raise _WouldWrite
        return self._cursor.execute(sql, params)


@contextmanager
def _looking(store: StoreCore) -> Iterator[Tx]:
    """Reads in one transaction, always rolled back, without the write lock."""
    cursor = store.con.cursor()
    try:
        cursor.execute("BEGIN TRANSACTION")
        yield _LookingTx(cursor, SYSTEM, SEED_REASON, store.clock())
    finally:
        rollback_quietly(cursor)
        cursor.close()


def _skipped(path: Path, exc: RulesRefused) -> RoundProblem:
    """A rules file the seed left out: logged in English, kept for the dashboard in Swedish."""
    name = f"data/rounds/{path.name}"
    problem = RoundProblem(
        name,
        f"{name} was not loaded into the store: " + "; ".join(en for en, _ in exc.problems),
        f"Regelfilen {name} lästes inte in: " + "; ".join(sv for _, sv in exc.problems),
    )
    logger.warning("%s", problem.message)
    return problem
