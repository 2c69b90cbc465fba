"""Test helpers for the block engine: the regions of data/ as recipients, and the test rounds of tests/rounds/.

The engine itself reads no file: these helpers do, and pass recipients and values as arguments.
"""

from __future__ import annotations

import re
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
from allocation.rules import AtRound, parse_round
from allocation.toml_bounds import load_rules
from ingest.data_folder import DATA_DIR, load_regions, read_planned_file, round_path

ROUNDS_DIR = Path(__file__).parent / "rounds"


def load_round(round_id: str, data_dir: Path = DATA_DIR) -> AtRound:
    """A round of ``data/`` in the 2023 performance format as that format's own reader parses it (the rules
    reader's tests; everything else reads a round as blocks: ``ingest.data_folder.load_block_round``)."""
    doc = load_rules(round_path(round_id, data_dir).read_text(encoding="utf-8"))
    regions = load_regions(data_dir, doc["redistribution"]["population_date"])
    planned = read_planned_file(data_dir / "rounds" / doc["planned_file"])
    return parse_round(doc, regions, planned)


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


# --- the simulator page (pages/at/simulator.py, ui.blocks) as AppTest sees it -------------------------------

SIMULATOR = "pages/at/simulator.py"
GREYED = ".st-key-blk_results { opacity"  # the style that greys the last valid results


def base_key(round_id: str) -> str:
    """Where the simulator keeps the table its editor starts from (ui.block_editor)."""
    return f"blk_base_{round_id}"


def kronor(text: str) -> int | None:
    """``1 234 kr`` (with a real minus for a loss) as an int; ``–`` as None."""
    if text.strip() == "–":
        return None
    sign = -1 if text.strip().startswith(("−", "-")) else 1
    return sign * int(re.sub(r"\D", "", text))


def results_table(at):  # type: ignore[no-untyped-def]
    """The simulator's results table with every kronor column as numbers, indexed by nothing."""
    frame = next(d.value for d in at.dataframe if "totalt (kr)" in d.value.columns).copy()
    for column in frame.columns:
        if column.endswith("(kr)"):
            frame[column] = [kronor(v) for v in frame[column]]
    return frame


def at_table(inputs, round_id: str = "at-2023"):  # type: ignore[no-untyped-def]
    """The simulator's table as if these AT outcomes had been typed in (a round of the data folder)."""
    from allocation.report_values import engine_values
    from ingest.data_folder import load_block_round
    from ui import block_editor as ed

    setup = ed.make_setup(load_block_round(round_id), recipients())
    return ed.base_frame(setup, engine_values(inputs), {})


def at_result(inputs, what_if=None, round_id: str = "at-2023"):  # type: ignore[no-untyped-def]
    """A round of the data folder simulated as the page does: (the round with the what-if applied, the result,
    each staircase block's details, the derived values)."""
    from allocation.report_values import engine_values

    return simulate(engine_values(inputs), what_if, round_id)


def simulate(values, what_if=None, round_id: str = "at-2023"):  # type: ignore[no-untyped-def]
    """``at_result`` of the values per key and recipient (as the simulator's table gives them)."""
    from allocation.block_engine import allocate_round
    from allocation.whatif import WhatIf, apply
    from ingest.data_folder import load_block_round
    from present.block_table import stair_details

    what_if = what_if or WhatIf()
    applied = apply(load_block_round(round_id), what_if)
    result = allocate_round(applied, recipients(), values, {}, dict(what_if.pots))
    stairs, derived = stair_details(applied, result, recipients(), values)
    return applied, result, stairs, derived


def at_view(reports=(), *, pot=None, steps=None, key=None, round_=None, people=None):  # type: ignore[no-untyped-def]
    """The 2023 output form (``present.at_view``) of AT 2023 (or ``round_``, a round of one staircase block) with
    these reports; ``pot``, ``steps`` and ``key`` as the command line's what-if changes them."""
    from allocation.block_convert import with_staircase
    from ingest.data_folder import load_block_round
    from present.at_view import allocate_view

    round_ = with_staircase(round_ or load_block_round("at-2023"), steps, key)
    pots = {} if pot is None else {b.id: pot for b in round_.blocks}
    return allocate_view(round_, people or recipients(), reports, pots)
