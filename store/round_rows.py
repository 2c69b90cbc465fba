"""Writing a round's rows: its rules text (``rounds``), milestones, planned table and estimated amounts, audited.

Shared by the seed (``store.seed``: files in ``data/rounds``) and by staff saving a round
(``store.rounds.round_versions``). Inside the caller's transaction; the caller has checked the rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from allocation.fixed import ESTIMATE, estimate_amounts
from allocation.regions import Region
from present.formats import kr
from store.core import Tx
from store.round_check import RulesHead, estimate_basis
from store.sql import upsert


def has_column(tx: Tx, table: str, column: str) -> bool:
    """Whether the schema has the column yet (a file opened at an older schema version has not)."""
    row = tx.execute(
        "SELECT count(*) FROM information_schema.columns WHERE table_name = ? AND column_name = ?", [table, column]
    ).fetchone()
    return bool(row and row[0])


def regions_at(tx: Tx, when: date) -> tuple[Region, ...]:
    """The regions with their population on ``when``, as this transaction sees them."""
    rows = tx.execute(
        "SELECT r.code, r.name, r.seed_name, p.population, r.aliases FROM regions r "
        "JOIN population p ON p.code = r.code AND p.date = ? ORDER BY r.code",
        [when],
    ).fetchall()
    return tuple(
        Region(code, name, seed, int(pop), when, tuple(a for a in aliases.split("|") if a))
        for code, name, seed, pop, aliases in rows
    )


def region_codes(tx: Tx) -> list[str]:
    return [row[0] for row in tx.execute("SELECT code FROM regions ORDER BY code").fetchall()]


def write_round(tx: Tx, head: RulesHead, source_file: str, saved_by: str) -> bool:
    """The version's row and milestones, replacing a different text of the same version; audited.

    Returns whether anything was written (an identical text is not written again). A written version
    becomes the round's newest (``saved_seq``), whatever the clock says.
    """
    rows = tx.execute("SELECT rules_toml FROM rounds WHERE id = ? AND version = ?", [head.id, head.version]).fetchall()
    if rows and rows[0][0] == head.text:
        return False
    columns = ["id", "version", "kind", "title", "dnr", "rules_toml", "source_file", "loaded_at"]
    values: list[object] = [head.id, head.version, head.kind, head.title, head.dnr, head.text, source_file, tx.at]
    if has_column(tx, "rounds", "saved_by"):
        (seq,) = tx.execute("SELECT coalesce(max(saved_seq), 0) + 1 FROM rounds").fetchone()
        columns += ["saved_by", "saved_seq"]
        values += [saved_by, seq]
    tx.execute(upsert("rounds", columns, ("id", "version")), values)  # fixed names
    tx.execute("DELETE FROM milestones WHERE round_id = ? AND round_version = ?", [head.id, head.version])
    rows_ = [
        [head.id, head.version, m["id"], m["label"], m.get("start"), m.get("due"), m.get("after"),
         bool(m.get("expected", False)), m.get("section", ""), m["quote"]]
        for m in head.doc.get("milestones", [])
    ]  # fmt: skip
    if rows_:  # one statement (at most allocation.toml_bounds.MAX_MILESTONES rows), not one per milestone
        values_sql = ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"] * len(rows_))
        tx.execute(f"INSERT INTO milestones VALUES {values_sql}", [v for row in rows_ for v in row])  # placeholders
    before = {"version": head.version, "rules_toml": rows[0][0]} if rows else None
    after = {"version": head.version, "rules_toml": head.text}
    tx.audit("insert" if before is None else "update", "rounds", f"{head.id}@{head.version}", before, after)
    return True


def has_decision(tx: Tx, round_id: str) -> bool:
    """Whether a decision exists for the round, published or not: from that moment the round is frozen (a change
    is a new version). A file at an older schema has no decisions."""
    tables = {
        name
        for (name,) in tx.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_name IN ('decisions', 'decision_snapshots')"
        ).fetchall()
    }
    return any(
        tx.execute(f"SELECT count(*) FROM {table} WHERE round_id = ?", [round_id]).fetchone()[0]
        for table in sorted(tables)
    )


def planned_rows(tx: Tx, round_id: str) -> dict[str, tuple[str, str]]:
    """Code -> (planned as entered, source)."""
    rows = tx.execute("SELECT code, planned, source FROM planned_positions WHERE round_id = ?", [round_id])
    return {code: (planned, source) for code, planned, source in rows.fetchall()}


def write_planned(tx: Tx, round_id: str, planned: Mapping[str, str], source: str, *, from_file: bool) -> int:
    """The round's planned positions; returns the number of rows written (each audited).

    ``from_file`` (the seed): a value entered by staff is theirs; only values that came from the file
    follow the file. Otherwise (staff saving) every value that differs is written with ``source``.
    """
    current = planned_rows(tx, round_id)
    written = 0
    for code, value in planned.items():
        before = current.get(code)
        if from_file and (before == (value, source) or (before is not None and before[1] != source)):
            continue
        if not from_file and before is not None and before[0] == value:
            continue
        tx.execute(
            upsert("planned_positions", ("round_id", "code", "planned", "source"), ("round_id", "code")),
            [round_id, code, value, source],
        )
        tx.audit(
            "insert" if before is None else "update",
            "planned_positions",
            f"{round_id}/{code}",
            None if before is None else {"planned": before[0]},
            {"planned": value, "source": source},
        )
        written += 1
    return written


def write_estimates(tx: Tx, head: RulesHead) -> None:
    """A round whose rules carry no table of amounts gets the labelled estimate; an imported official table
    is never touched."""
    basis = estimate_basis(head)
    if basis is None:
        return
    rid = head.id
    has_table = tx.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'fixed_amounts'"
    ).fetchone()[0]
    if not has_table:  # a file opened at an older schema version (tests of migrations)
        return
    if tx.execute("SELECT count(*) FROM fixed_amounts WHERE round_id = ?", [rid]).fetchone()[0]:
        return
    total, population_date, official_table = basis
    regions = regions_at(tx, population_date)
    source = (
        f"UPPSKATTNING, inte officiell: {kr(total)} fördelat efter befolkning {population_date} "
        f"(största rest). Officiell tabell: {official_table}."
    )
    for code, amount in estimate_amounts(regions, total).items():
        tx.execute("INSERT INTO fixed_amounts VALUES (?, ?, ?, ?, ?)", [rid, code, amount, ESTIMATE, source])
        tx.audit("insert", "fixed_amounts", f"{rid}/{code}", None, {"amount": amount, "basis": ESTIMATE})
