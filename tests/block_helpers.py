"""Test helpers for the block engine: the regions of data/ as recipients, and the test rounds of tests/rounds/.

The engine itself reads no file: these helpers do, and pass recipients and values as arguments.
"""

from __future__ import annotations

import tomllib
from dataclasses import replace
from datetime import date
from pathlib import Path

from allocation.block_convert import recipients_from_regions
from allocation.block_data import Recipient
from allocation.block_fields import Citation
from allocation.block_rules import parse_block_round
from allocation.blocks import Block, Eligibility, Pot, PotOption, Round
from allocation.method_params import MethodParams
from allocation.planned import parse_planned
from ingest.data_folder import DATA_DIR, load_regions, read_planned_file

ROUNDS_DIR = Path(__file__).parent / "rounds"


def recipients() -> tuple[Recipient, ...]:
    """The regions of data/regions.csv with their population of data/population.csv (1 Nov 2022)."""
    return recipients_from_regions(load_regions())


def load_test_round(name: str) -> Round:
    """A round of tests/rounds/, with its planned file (named by the rules) read from data/rounds/."""
    with open(ROUNDS_DIR / f"{name}.toml", "rb") as fh:
        doc = tomllib.load(fh)
    round_ = parse_block_round(doc, [r.code for r in recipients()])
    if round_.planned_file:
        table = read_planned_file(DATA_DIR / "rounds" / round_.planned_file)
        round_ = replace(round_, planned={code: parse_planned(value) for code, value in table.items()})
    return round_


def one_block_round(method_name: str, params: MethodParams, eligible: Eligibility | None = None, pot: int = 0) -> Round:
    """A round of one block, built in code (the rules reader is tested on its own)."""
    cite = Citation("Test", "Test", illustrative=True)
    block = Block(
        "only", "Test block", Pot((PotOption("rules", pot, f"{pot} kr", cite),), "rules"), method_name, params,
        eligible or Eligibility(),
    )  # fmt: skip
    return Round("test", "Test round", 2030, "0", date(2029, 11, 1), (block,), illustrative=True)
