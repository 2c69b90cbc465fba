"""Today's single-pot rounds as one-block rounds: the block engine gives, to the krona, what
the 2023 view (present.at_view.allocate_view) gives for at-2023 and what the fixed table gives for elderly-2023."""

from __future__ import annotations

from fractions import Fraction

import pytest
from block_helpers import recipients
from hypothesis import given, settings
from hypothesis import strategies as st

from allocation import method_params as mp
from allocation.block_convert import from_at_round, from_fixed_round, recipients_from_regions
from allocation.block_engine import allocate_round
from allocation.fixed import estimate_amounts
from allocation.report_values import Report, engine_values
from ingest.data_folder import load_fixed_round
from tests.block_helpers import at_view, load_round
from tests.report_helpers import positions

CODES = [r.code for r in recipients()]
AT_2023 = load_round("at-2023")


@st.composite
def at_inputs(draw: st.DrawFn) -> list[Report]:
    codes = draw(st.lists(st.sampled_from(CODES), unique=True))
    items = []
    for code in codes:
        planned = draw(st.none() | st.sampled_from([Fraction(3), Fraction(7, 2), Fraction(5, 2), Fraction(40)]))
        base = int(planned if planned is not None else AT_2023.planned_value(code))
        filled = max(0, base + draw(st.integers(-4, 16)))
        started = max(0, base + draw(st.integers(-4, 16)))
        items.append(positions(code, filled, started, draw(st.integers(0, 3)), planned))
    return items


@settings(max_examples=200, deadline=None)
@given(
    inputs=at_inputs(),
    pot=st.one_of(st.sampled_from([254_000_000, 252_000_000]), st.integers(0, 400_000_000)),
    key=st.sampled_from(["expansion_per_100k", "expansion", "equal"]),
)
def test_at_2023_converted_and_read_as_blocks_agree_to_the_krona(inputs: list[Report], pot: int, key: str) -> None:
    params = AT_2023.params(pot=pot, key=key)
    expected = at_view(inputs, pot=pot, key=key)
    round_ = from_at_round(AT_2023, params)
    result = allocate_round(round_, recipients_from_regions(AT_2023.regions), engine_values(inputs))
    block = result.blocks[0]
    for r in expected.regions:
        assert block.amounts[r.code] == r.total, r.code
        assert block.parts["step"][r.code] == r.step_amount, r.code
        assert block.parts["leftover"][r.code] == r.redistribution, r.code
    assert (result.paid, result.unallocated) == (expected.paid, expected.unallocated)
    assert {w.code for w in expected.warnings} <= {n.code for n in block.notices}
    assert block.pot_source == params.pot_source


def test_at_2023_as_one_block_keeps_its_sources_and_year() -> None:
    round_ = from_at_round(AT_2023)
    block = round_.blocks[0]
    assert round_.year == 2023 and block.pot.default == "bidragets_storlek"
    assert [o.amount for o in block.pot.options] == [254_000_000, 252_000_000]
    assert isinstance(block.params, mp.StaircaseParams) and block.params.steps == AT_2023.steps
    assert block.params.step_sources[0].quote.startswith("Den region som uppnår en utökning")
    assert round_.planned["01"] == AT_2023.planned_value("01")


def test_elderly_2023_as_one_block_is_its_table() -> None:
    fixed = load_fixed_round("elderly-2023")
    regions = AT_2023.regions  # the same regions and population (1 Nov 2022)
    people = recipients_from_regions(regions)
    estimate = estimate_amounts(regions, fixed.total)
    result = allocate_round(from_fixed_round(fixed, estimate, mp.ESTIMATE), people)
    assert result.blocks[0].amounts == estimate
    assert result.paid == fixed.total == 298_500_000 and result.unallocated == 0
    assert [n.code for n in result.blocks[0].notices] == ["estimate"]
    official = dict(estimate)  # any table summing to the total stands in for bilaga 1
    official["01"], official["03"] = official["01"] - 1_000, official["03"] + 1_000
    result = allocate_round(from_fixed_round(fixed, official, mp.OFFICIAL), people)
    assert result.blocks[0].amounts == official and result.blocks[0].notices == ()
    with pytest.raises(ValueError, match="basis"):
        from_fixed_round(fixed, official, "guess")


def test_the_fixed_format_reads_as_one_block_paid_on_requisition() -> None:
    from datetime import date

    from allocation.block_convert import read_round
    from allocation.toml_bounds import load_rules
    from ingest.data_folder import DATA_DIR

    doc = load_rules((DATA_DIR / "rounds" / "elderly-2023.toml").read_text(encoding="utf-8"))
    amounts = {code: (1, mp.ESTIMATE, "uppskattning") for code in CODES}
    round_ = read_round(doc, regions_at=lambda _: (), planned={}, amounts=amounts, codes=CODES)
    (block,) = round_.blocks
    assert block.paid_on == "requisition" and round_.paid_on_requisition and not round_.has_reports
    assert block.params.basis == mp.ESTIMATE and round_.requisition_maximum() == {c: 1 for c in CODES}
    assert (round_.requisition_due, round_.usage_report_due) == (date(2023, 10, 31), date(2024, 4, 30))
    assert (round_.agency_costs.gross, round_.agency_costs.at_most) == (300_000_000, 1_500_000)
    assert block.table_source.section.startswith("Bilaga 1")
    assert {m.id for m in round_.milestones} >= {"requisition", "usage_report", "payout"}

    fixed = load_fixed_round("elderly-2023")
    direct = from_fixed_round(fixed, {c: 1 for c in CODES}, mp.OFFICIAL)
    assert direct.paid_on_requisition and direct.requisition_due == fixed.requisition_due


def test_the_performance_format_reads_as_one_block_paid_on_decision() -> None:
    converted = from_at_round(AT_2023)
    assert not converted.paid_on_requisition and converted.has_reports and converted.agency_costs is None
