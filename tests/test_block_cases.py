"""Worked cases of block rounds (tests/cases/blocks/*.toml), computed by hand from the rules alone.

A case names a round of tests/rounds/ (``round = "..."``) or carries its own (``[round]``), and may bring
its own recipients (``[[recipients]]``); otherwise the recipients are the regions of data/.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from block_helpers import load_test_round, recipients

from allocation.block_batch import allocate_round_batch
from allocation.block_data import Recipient
from allocation.block_engine import allocate_round
from allocation.block_rules import parse_block_round
from allocation.blocks import Round

CASES = sorted((Path(__file__).parent / "cases" / "blocks").glob("*.toml"))


def _load(path: Path) -> dict[str, Any]:
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def _setup(case: dict[str, Any]) -> tuple[Round, tuple[Recipient, ...]]:
    people = (
        tuple(Recipient(r["code"], r["name"], r["population"]) for r in case["recipients"])
        if "recipients" in case
        else recipients()
    )
    if isinstance(case.get("round"), dict):
        return parse_block_round(case["round"], [r.code for r in people]), people
    return load_test_round(case["round"]), people


def test_there_is_a_two_block_and_a_three_block_case() -> None:
    sizes = {len(_setup(_load(path))[0].blocks) for path in CASES}
    assert {2, 3} <= sizes


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_worked_case(path: Path) -> None:
    case = _load(path)
    round_, people = _setup(case)
    result = allocate_round(round_, people, case.get("values", {}), case.get("events", {}), case.get("pots"))
    expected = case["expected"]
    assert result.unallocated == expected["unallocated"]
    assert result.paid == expected["paid"]
    assert result.paid + result.unallocated == result.pot
    for block_id, want in expected["blocks"].items():
        got = result.block(block_id)
        assert (got.available, got.paid, got.unpaid) == (want["available"], want["paid"], want["unpaid"]), block_id
        assert [n.code for n in got.notices] == want["notices"], block_id
        if "eligible" in want:
            assert list(got.eligible) == want["eligible"], block_id
        amounts = want.get("amounts", {})
        for code in result.codes:
            assert got.amounts[code] == amounts.get(code, want.get("default_amount", 0)), f"{block_id} {code}"
    for code, total in expected.get("totals", {}).items():
        assert result.totals[code] == total, code


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_worked_case_batch_within_one_krona(path: Path) -> None:
    case = _load(path)
    round_, people = _setup(case)
    exact = allocate_round(round_, people, case.get("values", {}), case.get("events", {}))
    codes = exact.codes
    given = case.get("values", {})
    values = {key: np.array([[float(by_code.get(code, 0)) for code in codes]]) for key, by_code in given.items()}
    batch = allocate_round_batch(round_, people, values, case.get("events", {}))
    for block in exact.blocks:
        row = batch.blocks[block.block_id].amounts[0]
        assert np.abs(row - np.array([block.amounts[c] for c in codes])).max() <= 1, block.block_id
        assert int(batch.blocks[block.block_id].unpaid[0]) == block.unpaid, block.block_id
    assert int(batch.totals[0].sum() + batch.unallocated[0]) == exact.pot
    assert int(batch.unallocated[0]) == exact.unallocated
