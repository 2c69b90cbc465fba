"""Worked cases (tests/cases/at-2023/*.toml), computed by hand from the seed's sentences, run on the block engine:
the 2023 round read as a round of blocks, a case's pot and key as a what-if of its one staircase block."""

from __future__ import annotations

import tomllib
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from block_helpers import recipients

from allocation.block_batch import allocate_round_batch
from allocation.block_engine import allocate_round
from allocation.blocks import Round, RoundResult
from allocation.planned import parse_planned
from allocation.whatif import WhatIf, apply, staircase_blocks
from ingest.data_folder import load_block_round
from present.block_table import stair_details
from present.notices import FLOW_CODES

CASES = sorted((Path(__file__).parent / "cases" / "at-2023").glob("*.toml"))
ROUND = load_block_round("at-2023")
(BLOCK,) = staircase_blocks(ROUND)


def _load(path: Path) -> dict[str, Any]:
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def _values(case: dict[str, Any]) -> dict[str, dict[str, Fraction | int]]:
    """A case's reports as the engine's values (a planned override replaces the planning document)."""
    values: dict[str, dict[str, Fraction | int]] = {"filled": {}, "started": {}, "excluded": {}}
    for code, given in case.get("inputs", {}).items():
        for key in ("filled", "started", "excluded"):
            values[key][code] = given.get(key, 0)
        if "planned" in given:
            values.setdefault("planned", {})[code] = parse_planned(given["planned"])
    return values


def _what_if(case: dict[str, Any]) -> WhatIf:
    params = case.get("params", {})
    return WhatIf(
        pots={BLOCK: params["pot"]} if "pot" in params else {},
        keys={BLOCK: params["key"]} if "key" in params else {},
    )


def _run(case: dict[str, Any]) -> tuple[Round, RoundResult, dict[str, dict[str, Fraction | int]]]:
    what_if, values = _what_if(case), _values(case)
    applied = apply(ROUND, what_if)
    return applied, allocate_round(applied, recipients(), values, {}, dict(what_if.pots)), values


def test_there_are_at_least_ten_cases() -> None:
    assert len(CASES) >= 10


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_worked_case(path: Path) -> None:
    case = _load(path)
    applied, result, values = _run(case)
    expected = case["expected"]
    assert result.unallocated == expected["unallocated"]
    block = result.block(BLOCK)
    # The rule's warnings; the notice of where the unpaid money goes (FLOW_CODES) is the block model's own.
    assert sorted(n.code for n in block.notices if n.code not in FLOW_CODES) == sorted(expected["warnings"])
    stair = stair_details(applied, result, recipients(), values)[0][BLOCK]
    regions = expected.get("regions", {})
    for r in recipients():
        want = regions.get(r.code, {"step_amount": 0, "redistribution": 0, "total": 0})
        got = {
            "step_amount": block.parts.get("step", {}).get(r.code, 0),
            "redistribution": block.parts.get("leftover", {}).get(r.code, 0),
            "total": result.totals[r.code],
        }
        assert got == {k: want[k] for k in got}, f"region {r.code} {r.name}"
        if "expansion" in want:
            assert stair[r.code].measure == Fraction(want["expansion"]), f"region {r.code} expansion"
    assert result.paid + result.unallocated == result.pot


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_worked_case_batch_within_one_krona(path: Path) -> None:
    case = _load(path)
    applied, exact, values = _run(case)
    people = recipients()
    rows = {key: np.array([float(given.get(r.code, 0)) for r in people]) for key, given in values.items()}
    if "planned" in rows:  # the planning document where a case does not override it
        rows["planned"] = np.array(
            [float(values["planned"].get(r.code, applied.planned.get(r.code, 0))) for r in people]
        )
    batch = allocate_round_batch(applied, people, rows, {}, dict(_what_if(case).pots))
    exact_totals = np.array([exact.totals[r.code] for r in people])
    assert np.abs(batch.totals[0] - exact_totals).max() <= 1
    assert batch.totals[0].sum() + batch.unallocated[0] == exact.pot
