"""The data folder: regions, population, rules files and planned tables, read into the engine's types.

``data/`` by default; the dashboard and the store may point elsewhere (``store.paths.DATA_ENV``).
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from allocation.block_convert import read_round
from allocation.blocks import Round
from allocation.fixed import FixedRound, parse_fixed_round
from allocation.regions import Region
from allocation.toml_bounds import load_rules

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def load_regions(data_dir: Path = DATA_DIR, population_date: date = date(2022, 11, 1)) -> tuple[Region, ...]:
    """Regions with the population at ``population_date``, sorted by län code."""
    with open(data_dir / "regions.csv", encoding="utf-8", newline="") as fh:
        names = list(csv.DictReader(fh))
    populations: dict[str, int] = {}
    with open(data_dir / "population.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if date.fromisoformat(row["date"]) == population_date:
                populations[row["code"]] = int(row["population"])
    regions = []
    for row in names:
        if row["code"] not in populations:
            raise ValueError(f"no population on {population_date} for region {row['code']}")
        aliases = tuple(a.strip() for a in row.get("aliases", "").split("|") if a.strip())
        regions.append(
            Region(row["code"], row["name"], row["seed_name"], populations[row["code"]], population_date, aliases)
        )
    return tuple(sorted(regions, key=lambda r: r.code))


def round_path(round_id: str, data_dir: Path = DATA_DIR) -> Path:
    path = data_dir / "rounds" / f"{round_id}.toml"
    if not path.is_file():
        available = sorted(p.stem for p in (data_dir / "rounds").glob("*.toml"))
        raise FileNotFoundError(f"unknown round {round_id!r}; available: {', '.join(available)}")
    return path


def read_planned_file(path: Path) -> dict[str, str]:
    """Planned positions per län code, as written (``"28"``, ``"1-5"``)."""
    with open(path, encoding="utf-8", newline="") as fh:
        return {row["code"]: row["planned"].strip() for row in csv.DictReader(fh)}


def load_block_round(round_id: str, data_dir: Path = DATA_DIR) -> Round:
    """The round of ``data/`` as a round of blocks, read as the store reads it (any format; no fixed table)."""
    doc = load_rules(round_path(round_id, data_dir).read_text(encoding="utf-8"))
    planned_file = doc.get("planned_file")
    planned = read_planned_file(data_dir / "rounds" / planned_file) if planned_file else {}
    codes = [r.code for r in load_regions(data_dir)]
    return read_round(
        doc, regions_at=lambda when: load_regions(data_dir, when), planned=planned, amounts={}, codes=codes
    )


def load_fixed_round(round_id: str, data_dir: Path = DATA_DIR) -> FixedRound:
    return parse_fixed_round(load_rules((data_dir / "rounds" / f"{round_id}.toml").read_text(encoding="utf-8")))
