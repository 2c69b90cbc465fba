"""Seeding the store from ``data/``: idempotent (a second run writes nothing) and audited."""

from __future__ import annotations

import csv
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from allocation.fixed import ESTIMATE, estimate_amounts, parse_fixed_round
from allocation.formats import kr
from allocation.regions import DATA_DIR, Region
from allocation.rules import read_planned_file
from store.core import StoreCore, Tx
from store.model import SYSTEM

SEED_REASON = "Inläsning av grunddata från data/"


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
        tx.execute("INSERT OR REPLACE INTO regions VALUES (?, ?, ?, ?)", [row["code"], *values])
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
        tx.execute("INSERT OR REPLACE INTO population VALUES (?, ?, ?, ?)", [*key, *values])
        tx.audit(
            "insert" if before is None else "update",
            "population",
            f"{key[0]}/{key[1]}",
            None if before is None else {"population": before[0], "source": before[1]},
            {"population": values[0], "source": values[1]},
        )


def _seed_round(store: StoreCore, tx: Tx, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    doc: dict[str, Any] = tomllib.loads(text)
    rid, version = doc["id"], doc["version"]
    rows = tx.execute("SELECT rules_toml FROM rounds WHERE id = ? AND version = ?", [rid, version]).fetchall()
    if rows and rows[0][0] == text:
        pass
    else:
        before = {"version": version, "rules_toml": rows[0][0]} if rows else None
        tx.execute(
            "INSERT OR REPLACE INTO rounds VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [rid, version, doc["kind"], doc["title"], doc["dnr"], text, f"data/rounds/{path.name}", tx.at],
        )
        tx.execute("DELETE FROM milestones WHERE round_id = ? AND round_version = ?", [rid, version])
        for m in doc.get("milestones", []):
            tx.execute(
                "INSERT INTO milestones VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    rid,
                    version,
                    m["id"],
                    m["label"],
                    m.get("start"),
                    m.get("due"),
                    m.get("after"),
                    bool(m.get("expected", False)),
                    m["section"],
                    m["quote"],
                ],
            )
        tx.audit(
            "insert" if before is None else "update",
            "rounds",
            f"{rid}@{version}",
            before,
            {"version": version, "rules_toml": text},
        )
    if "planned_file" in doc:
        planned_path = path.parent / doc["planned_file"]
        source = f"data/rounds/{planned_path.name}"
        current = {
            code: (planned, src)
            for code, planned, src in tx.execute(
                "SELECT code, planned, source FROM planned_positions WHERE round_id = ?", [rid]
            ).fetchall()
        }
        for code, planned in read_planned_file(planned_path).items():
            before_row = current.get(code)
            # A value entered by staff is theirs; only values that came from the file follow the file.
            if before_row == (planned, source) or (before_row is not None and before_row[1] != source):
                continue
            tx.execute("INSERT OR REPLACE INTO planned_positions VALUES (?, ?, ?, ?)", [rid, code, planned, source])
            tx.audit(
                "insert" if before_row is None else "update",
                "planned_positions",
                f"{rid}/{code}",
                None if before_row is None else {"planned": before_row[0]},
                {"planned": planned, "source": source},
            )


def _seed_estimates(store: StoreCore, tx: Tx, path: Path) -> None:
    """A fixed round without amounts gets the labelled estimate; an imported official table is never touched."""
    doc: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    if doc.get("kind") != "fixed":
        return
    rid = doc["id"]
    has_table = tx.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'fixed_amounts'"
    ).fetchone()[0]
    if not has_table:  # a file opened at an older schema version (tests of migrations)
        return
    if tx.execute("SELECT count(*) FROM fixed_amounts WHERE round_id = ?", [rid]).fetchone()[0]:
        return
    fixed = parse_fixed_round(doc)
    rows = tx.execute(
        "SELECT r.code, r.name, r.seed_name, p.population FROM regions r JOIN population p "
        "ON p.code = r.code AND p.date = ? ORDER BY r.code",
        [fixed.population_date],
    ).fetchall()
    regions = [Region(code, name, seed, int(pop), fixed.population_date) for code, name, seed, pop in rows]
    source = (
        f"UPPSKATTNING, inte officiell: {kr(fixed.total)} fördelat efter befolkning {fixed.population_date} "
        f"(största rest). Officiell tabell: {fixed.official_table}."
    )
    for code, amount in estimate_amounts(regions, fixed.total).items():
        tx.execute("INSERT INTO fixed_amounts VALUES (?, ?, ?, ?, ?)", [rid, code, amount, ESTIMATE, source])
        tx.audit("insert", "fixed_amounts", f"{rid}/{code}", None, {"amount": amount, "basis": ESTIMATE})


def seed_from_data(store: StoreCore, data_dir: Path | None = None) -> int:
    """Bring the store up to date with ``data/``; returns the number of audit entries written (0 if none)."""
    data_dir = data_dir or DATA_DIR
    with store.transaction(SYSTEM, SEED_REASON) as tx:
        _seed_regions(store, tx, data_dir)
        _seed_population(store, tx, data_dir)
        for path in sorted((data_dir / "rounds").glob("*.toml")):
            _seed_round(store, tx, path)
            _seed_estimates(store, tx, path)
        return tx.entries
