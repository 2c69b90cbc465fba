"""The round editor's diff and checks (allocation.round_diff) and their Swedish texts (present.round_review)."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from allocation import round_diff as rd
from allocation.toml_bounds import load_rules
from present import round_review as sv

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted([*(ROOT / "data" / "rounds").glob("*.toml"), *(ROOT / "tests" / "rounds").glob("*.toml")])
NAMES = {"01": "Stockholm", "03": "Uppsala", "09": "Gotland"}


def spaces(text: str) -> str:
    """Babel's non-breaking spaces (in ``1 234 kr``) as plain ones, to compare with the sentences below."""
    return text.replace("\u00a0", " ")


def at_2023() -> dict[str, Any]:
    return load_rules((ROOT / "data" / "rounds" / "at-2023.toml").read_text("utf-8"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_a_round_compared_with_itself_has_no_change_no_order_flag_and_no_stale_quote(path: Path) -> None:
    doc = load_rules(path.read_text("utf-8"))
    assert rd.diff(doc, doc) == []
    assert [f for f in rd.date_flags(doc, doc) if f.kind == "order"] == []
    assert rd.stale_quotes(doc, doc) == []
    assert rd.stale_quotes(doc) == []  # the shipped quotes state their own figures


def test_the_2027_copy_lists_each_change_in_words() -> None:
    before = at_2023()
    after = copy.deepcopy(before)
    after |= {"id": "at-2027", "year": 2027}
    after["milestones"][0]["due"] = date(2027, 11, 1)
    after["pot"]["options"][0]["amount"] = 300_000_000
    after["staircase"]["steps"][1]["amount"] = 3_500_000
    after["staircase"]["steps"].append({"min_expansion": 12, "amount": 14_000_000, "quote": "x"})
    lines = [spaces(sv.change_line(c, NAMES)) for c in rd.diff(before, after)]
    assert lines == [
        "Id: at-2023 → at-2027",
        "År: 2023 → 2027",
        "254 000 000 kr (Bidragets storlek, Villkor för användning): 254 000 000 kr → 300 000 000 kr",
        "Steget minst 3 tjänster utöver plan: 3 000 000 kr → 3 500 000 kr",
        "Steget minst 12 tjänster utöver plan: nytt, 14 000 000 kr",
        "Inrapportering av prestationer i e-tjänsten, senast: 2023-11-01 → 2027-11-01",
    ]


def test_dates_outside_the_year_and_a_reversed_order_are_flagged() -> None:
    before = at_2023()
    after = copy.deepcopy(before) | {"year": 2027}
    after["milestones"] = copy.deepcopy(before["milestones"])
    after["milestones"][0]["due"] = date(2027, 11, 1)  # the report deadline, edited; the rest left at 2023
    flags = rd.date_flags(after, before)
    outside = [(f.milestone, f.field, f.day) for f in flags if f.kind == "outside_year"]
    assert outside == [
        ("Socialstyrelsen kontrollerar prestationerna", "after", date(2023, 11, 1)),
        ("Beslut och utbetalning (förväntas)", "start", date(2023, 12, 1)),
        ("Beslut och utbetalning (förväntas)", "due", date(2023, 12, 31)),
    ]
    order = [f for f in flags if f.kind == "order"]
    assert {(f.field, f.other_milestone, f.other_field) for f in order} == {
        ("due", "Beslut och utbetalning (förväntas)", "start"),
        ("due", "Beslut och utbetalning (förväntas)", "due"),
    }
    assert sv.date_flag_text(order[0]).startswith("Inrapportering av prestationer i e-tjänsten, senast: 2027-11-01 ")
    # Every date moved to 2027: nothing to confirm.
    for m in after["milestones"]:
        for key in rd.DATE_FIELDS:
            if key in m:
                m[key] = m[key].replace(year=2027)
    assert rd.date_flags(after, before) == []


def test_quotes_whose_year_amount_or_date_no_longer_hold_are_flagged() -> None:
    before = at_2023()
    after = copy.deepcopy(before)
    after["milestones"][0]["due"] = date(2023, 11, 15)  # same year: only the date is stale
    after["pot"]["options"][1]["amount"] = 250_000_000  # its quote still says 252 000 000 kronor
    flags = {f.id: f for f in rd.stale_quotes(after, before)}
    assert set(flags) == {"pot/options/1/quote", "milestones/0/quote"}
    pot = flags["pot/options/1/quote"]
    assert pot.mentions == (rd.Mention("amount", 252_000_000, 250_000_000),)
    assert spaces(sv.quote_flag_title(pot)) == (
        "Citatet under ”Bakgrund” (252 000 000 kr (Bakgrund)) nämner 252 000 000 kr, men beloppet är nu 250 000 000 kr."
    )
    assert flags["milestones/0/quote"].mentions == (rd.Mention("date", date(2023, 11, 1), (date(2023, 11, 15),)),)
    # A new year: every quote naming another year is flagged, the agency's costs sentence included.
    after["year"] = 2027
    ids = {f.id for f in rd.stale_quotes(after, before)}
    assert {"pot/agency_costs/quote", "redistribution/key_quote", "staircase/steps/0/quote"} <= ids


def test_an_amount_that_is_gone_from_the_round_is_flagged_wherever_a_quote_states_it() -> None:
    before = {"year": 2023, "pot": {"amount": 100_000_000}, "source": {"quote": "Totalt 100 000 000 kronor."}}
    after = {"year": 2023, "pot": {"amount": 90_000_000}, "source": {"quote": "Totalt 100 000 000 kronor."}}
    (flag,) = rd.stale_quotes(after, before)
    assert flag.id == "source/quote" and flag.mentions == (rd.Mention("amount", 100_000_000, None),)
    assert "inte längre är något belopp i omgången" in sv.quote_flag_title(flag)


@pytest.mark.parametrize(
    ("text", "amounts", "dates"),
    [
        ("totalt 254 000 000 kronor", {254_000_000}, set()),
        ("dvs 2\u00a0000\u00a0000 kr, senast den 1 november 2023", {2_000_000}, {date(2023, 11, 1)}),
        ("AT 2024 (S2024/00586): 223 MSEK; block 1, 63,5 MSEK", {223_000_000, 63_500_000}, set()),
        ("Reports by 2024-11-01; 31 februari 2023 finns inte", set(), {date(2024, 11, 1)}),
    ],
)
def test_figures_stated_in_a_quote(text: str, amounts: set[int], dates: set[date]) -> None:
    assert rd.stated_amounts(text) == amounts
    assert rd.stated_dates(text) == dates
    assert "S2024" not in str(rd.stated_years(text))


def test_recipients_and_planned_changes_are_named() -> None:
    before = {"blocks": [{"title": "Block 1", "eligible": "all", "pot": {"amount": 1}}]}
    after = {"blocks": [{"title": "Block 1", "eligible": {"codes": ["01", "03"]}, "pot": {"amount": 1}}]}
    (change,) = rd.diff(before, after)
    assert sv.change_line(change, NAMES) == "Block 1: tas bort: Gotland"
    (planned,) = rd.planned_changes({"01": "10", "03": "1-5"}, {"01": "10", "03": "4"})
    assert sv.change_line(planned, NAMES) == "Uppsala: 1-5 → 4 planerade tjänster"


def test_population_and_planned_origin_say_where_the_data_come_from() -> None:
    assert rd.population(at_2023())[0] == date(2022, 11, 1)
    assert sv.population_origin(date(2022, 11, 1)).startswith("Befolkningen per 2022-11-01")
    assert sv.planned_origin(21, source="AT-tjänster 2023 version 1.2.0", on=date(2026, 12, 5)) == (
        "Kopierat från AT-tjänster 2023 version 1.2.0 (21 mottagare), "
        "så som den omgången har det sparat per 2026-12-05."
    )
    assert sv.planned_origin(0) == "Omgången har ingen tabell över planerade tjänster."
