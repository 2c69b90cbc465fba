"""Worked cases (tests/cases/at-2023/*.toml), computed by hand from the seed's sentences."""

from __future__ import annotations

import tomllib
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from allocation.at import RegionInput, allocate
from allocation.batch import allocate_batch
from allocation.planned import parse_planned
from ingest.data_folder import load_round

CASES = sorted((Path(__file__).parent / "cases" / "at-2023").glob("*.toml"))
ROUND = load_round("at-2023")


def _load(path: Path) -> dict:
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def _inputs(case: dict) -> list[RegionInput]:
    return [
        RegionInput(
            code,
            filled=values.get("filled", 0),
            started=values.get("started", 0),
            excluded=values.get("excluded", 0),
            planned=parse_planned(values["planned"]) if "planned" in values else None,
        )
        for code, values in case.get("inputs", {}).items()
    ]


def _params(case: dict):
    params = case.get("params", {})
    return ROUND.params(pot=params.get("pot"), key=params.get("key"))


def test_there_are_at_least_ten_cases() -> None:
    assert len(CASES) >= 10


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_worked_case(path: Path) -> None:
    case = _load(path)
    result = allocate(ROUND, _inputs(case), _params(case))
    expected = case["expected"]
    assert result.unallocated == expected["unallocated"]
    assert sorted(w.code for w in result.warnings) == sorted(expected["warnings"])
    regions = expected.get("regions", {})
    for r in result.regions:
        want = regions.get(r.code, {"step_amount": 0, "redistribution": 0, "total": 0})
        got = {"step_amount": r.step_amount, "redistribution": r.redistribution, "total": r.total}
        assert got == {k: want[k] for k in got}, f"region {r.code} {r.name}"
        if "expansion" in want:
            assert r.expansion == Fraction(want["expansion"]), f"region {r.code} expansion"
    assert result.paid + result.unallocated == result.pot


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_worked_case_batch_within_one_krona(path: Path) -> None:
    case = _load(path)
    exact = allocate(ROUND, _inputs(case), _params(case))
    outcome = np.array([[r.outcome for r in exact.regions]], dtype=float)
    planned = np.array([float(r.planned) for r in exact.regions])
    excluded = np.array([r.excluded for r in exact.regions], dtype=float)
    batch = allocate_batch(ROUND, outcome, planned=planned, excluded=excluded, params=exact.params)
    exact_totals = np.array([r.total for r in exact.regions])
    assert np.abs(batch.total[0] - exact_totals).max() <= 1
    assert batch.total[0].sum() + batch.unallocated[0] == exact.pot
