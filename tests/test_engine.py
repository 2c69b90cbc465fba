"""The engine turned inside out: one kernel per method, exact and batch sharing each formula.

- batch within 1 kr of exact per recipient, for every method and for the three round shapes (AT 2023 from
  data/rounds/ as one block, and the 2024- and 2022-shaped test rounds), several scenarios at once, with
  the ineligible paid exactly 0 and every block's unpaid money exactly the exact path's;
- the next step's worth (O(n · steps)) equals its definition: a full apportionment with the step moved;
- the formulas give exact numbers on exact input and arrays on arrays;
- nothing in the engine builds an AT round or calls the AT wrapper.
"""

from __future__ import annotations

import ast
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from block_helpers import load_test_round, one_block_round, recipients
from hypothesis import given, settings
from hypothesis import strategies as st

from allocation import formulas
from allocation import method_params as mp
from allocation.block_batch import allocate_round_batch
from allocation.block_data import Recipient
from allocation.block_engine import allocate_round
from allocation.blocks import Round
from allocation.methods import METHODS
from allocation.methods.shares import apportion
from allocation.methods.staircase import Staircase, next_step_gains
from allocation.rules import KEYS, Step
from ingest.data_folder import load_block_round

ROOT = Path(__file__).resolve().parent.parent
PEOPLE = recipients()
CODES = [r.code for r in PEOPLE]
AT_2023 = load_block_round("at-2023")
SHAPES: dict[str, Round] = {
    "at-2023 as one block": AT_2023,
    "at-2024-illustrative": load_test_round("at-2024-illustrative"),
    "at-2022-illustrative": load_test_round("at-2022-illustrative"),
}
SCENARIOS = 4


@st.composite
def shape_values(draw: st.DrawFn) -> list[dict[str, dict[str, int]]]:
    """SCENARIOS sets of values for the 21 regions: reports around plan, positions and a given expansion."""
    rows = []
    for _ in range(SCENARIOS):
        row: dict[str, dict[str, int]] = {k: {} for k in ("filled", "started", "excluded", "positions", "expansion")}
        for code in CODES:
            planned = int(AT_2023.planned[code])
            row["filled"][code] = max(0, planned + draw(st.integers(-3, 14)))
            row["started"][code] = max(0, planned + draw(st.integers(-3, 14)))
            row["excluded"][code] = draw(st.integers(0, 2))
            row["positions"][code] = draw(st.integers(0, 300))
            row["expansion"][code] = draw(st.integers(0, 25))
        rows.append(row)
    return rows


def _arrays(rows: list[dict[str, dict[str, Any]]], codes: list[str]) -> dict[str, np.ndarray]:
    return {key: np.array([[float(row[key].get(c, 0)) for c in codes] for row in rows]) for key in rows[0]}


def _assert_batch_is_exact(round_: Round, people: tuple[Recipient, ...], rows: list, events: dict, pots: dict) -> None:
    codes = sorted(r.code for r in people)
    batch = allocate_round_batch(round_, people, _arrays(rows, codes), events, pots)
    for s, row in enumerate(rows):
        exact = allocate_round(round_, people, row, events, pots)
        for block in exact.blocks:
            got = batch.blocks[block.block_id]
            want = np.array([block.amounts[c] for c in codes])
            assert np.abs(got.amounts[s] - want).max(initial=0) <= 1, (block.block_id, s)
            assert (got.amounts[s][~got.eligible[s]] == 0).all(), (block.block_id, s)
            assert int(got.amounts[s].sum() + got.unpaid[s]) == int(got.available[s]) == block.available
        assert int(batch.unallocated[s]) == exact.unallocated
        assert int(batch.totals[s].sum()) == exact.paid


@pytest.mark.parametrize("shape", sorted(SHAPES))
@settings(max_examples=40, deadline=None)
@given(rows=shape_values(), other=st.data())
def test_batch_is_exact_within_a_krona_for_every_round_shape(shape: str, rows: list, other: st.DataObject) -> None:
    round_ = SHAPES[shape]
    by = date(2024, 11, 1)
    reported = other.draw(st.lists(st.sampled_from(CODES), unique=True))
    events = {"at_report": {c: by + timedelta(days=other.draw(st.integers(-20, 3))) for c in reported}}
    pots = {b.id: other.draw(st.one_of(st.just(b.pot.amount), st.integers(0, 300_000_000))) for b in round_.blocks}
    _assert_batch_is_exact(round_, PEOPLE, rows, events, pots)


@st.composite
def method_params(draw: st.DrawFn, name: str, codes: list[str]) -> Any:
    if name == "staircase_leftover":
        thresholds = sorted(draw(st.lists(st.integers(1, 15), unique=True, min_size=1, max_size=5)))
        amounts = sorted(draw(st.lists(st.integers(0, 15_000_000), min_size=len(thresholds), max_size=len(thresholds))))
        steps = tuple(map(Step, thresholds, amounts))
        return mp.StaircaseParams(
            steps, draw(st.sampled_from(KEYS)), 100_000, "expansion", draw(st.sampled_from([mp.SHARE, mp.UNPAID]))
        )
    if name == "proportional":
        return mp.ProportionalParams(draw(st.sampled_from(["expansion", "positions_per_100k", "population", "equal"])))
    if name == "equal":
        return mp.EqualParams()
    if name == "fixed_table":
        table = draw(st.dictionaries(st.sampled_from(codes), st.integers(0, 30_000_000))) if codes else {}
        return mp.FixedTableParams(table, mp.OFFICIAL, draw(st.sampled_from([None, "requisitioned"])))
    among = draw(st.sampled_from([mp.AMONG_REPORTED, mp.AMONG_ELIGIBLE]))
    return mp.ReportedShareParams(date(2030, 3, 1), "report", "equal", among)


@pytest.mark.parametrize("name", sorted(METHODS))
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_batch_is_exact_within_a_krona_for_every_method(name: str, data: st.DataObject) -> None:
    """Every method alone, among 0–60 recipients with drawn codes and populations (nothing assumes 21)."""
    numbers = data.draw(st.lists(st.integers(0, 9_999), unique=True, max_size=60))
    people = tuple(Recipient(f"{n:04d}", f"K{n}", data.draw(st.integers(2_500, 1_000_000))) for n in numbers)
    codes = sorted(r.code for r in people)
    params = data.draw(method_params(name, codes))
    round_ = one_block_round(name, params, pot=data.draw(st.integers(0, 400_000_000)))
    rows = []
    for _ in range(SCENARIOS):
        row: dict[str, dict[str, int]] = {k: {} for k in ("planned", "filled", "started", "positions", "requisitioned")}
        for c in codes:
            row["planned"][c] = data.draw(st.integers(0, 40))
            row["filled"][c] = row["planned"][c] + data.draw(st.integers(0, 14))
            row["started"][c] = data.draw(st.integers(0, 50))
            row["positions"][c] = data.draw(st.integers(0, 300))
            row["requisitioned"][c] = data.draw(st.integers(0, 40_000_000))
        rows.append(row)
    reported = data.draw(st.lists(st.sampled_from(codes), unique=True)) if codes else []
    events = {"report": {c: date(2030, 2, 20) + timedelta(days=data.draw(st.integers(0, 15))) for c in reported}}
    _assert_batch_is_exact(round_, people, rows, events, {})


@settings(max_examples=300, deadline=None)
@given(
    levels=st.lists(st.integers(0, 4), max_size=40),
    amounts=st.lists(st.integers(0, 9), min_size=4, max_size=4),
    pot=st.integers(0, 120),
)
def test_the_next_step_is_worth_what_a_full_apportionment_with_it_pays(
    levels: list[int], amounts: list[int], pot: int
) -> None:
    """Small amounts and pots tie often: the grouped computation equals moving the step and apportioning."""
    steps = tuple(Step(i + 1, a) for i, a in enumerate(amounts))
    by_level = (0, *amounts)
    codes = [f"{i:03d}" for i in range(len(levels))]
    nominal = tuple(by_level[level] for level in levels)
    paid = tuple(apportion(pot, nominal, codes)) if pot < sum(nominal) else nominal
    stair = Staircase(tuple(levels), nominal, (Fraction(0),) * len(levels), paid, (0,) * len(levels), 0, None)
    for i, gain in enumerate(next_step_gains(stair, pot, steps, codes)):
        if levels[i] == len(steps):
            assert gain is None
            continue
        moved = [*nominal[:i], by_level[levels[i] + 1], *nominal[i + 1 :]]
        after = apportion(pot, moved, codes)[i] if pot < sum(moved) else moved[i]
        assert gain == after - paid[i], (i, levels, pot)


def test_the_formulas_are_one_definition_for_exact_numbers_and_arrays() -> None:
    made = formulas.outcome(Fraction(3), Fraction(5))
    grown = formulas.expansion(made, Fraction(5, 2), 1)
    assert (made, grown) == (5, Fraction(3, 2)) and isinstance(grown, Fraction)
    assert formulas.expansion(2, Fraction(5, 2), 0) == 0
    assert formulas.step_level(Fraction(5, 2), [2, 3, 5]) == 1 and formulas.step_level(1, [2]) == 0
    assert formulas.per_inhabitants(Fraction(3), 61_167) == Fraction(300_000, 61_167)
    filled = np.array([[3.0, 1.0], [6.0, 0.0]])
    started = np.array([[5.0, 0.0], [2.0, 9.0]])
    out = formulas.outcome(filled, started)
    assert out.tolist() == [[5.0, 1.0], [6.0, 9.0]]
    assert formulas.expansion(out, np.array([2.5, 4.0]), 1.0).tolist() == [[1.5, 0.0], [2.5, 4.0]]
    assert formulas.step_level(np.array([[0.0, 2.5, 3.0, 99.0]]), [2, 3, 5]).tolist() == [[0, 1, 2, 3]]


def test_the_engine_builds_no_at_round_and_calls_no_at_wrapper() -> None:
    """The kernels and engines import neither allocation.at, allocation.rules.AtRound nor block_convert."""
    engine = [ROOT / "allocation" / f"{name}.py" for name in ("block_engine", "block_batch", "formulas")]
    engine += sorted((ROOT / "allocation" / "methods").glob("*.py"))
    for path in engine:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = {a.name for a in node.names}
                assert node.module not in ("allocation.at", "allocation.batch", "allocation.block_convert"), path
                assert not (node.module == "allocation.rules" and "AtRound" in names), path
                assert not (node.module == "allocation" and names & {"at", "batch", "block_convert"}), path
