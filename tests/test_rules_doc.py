"""Editing a copy of a rules file: the form's changes land, everything else (comments, quotes) stays."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from allocation.block_rules import parse_block_round_text
from allocation.problems import InputError
from allocation.regions import RegionIndex
from allocation.rules import parse_round
from ingest.data_folder import load_regions, read_planned_file
from ingest.inputs import parse_planned_table
from present.problems import lines_sv
from ui import rules_doc

ROOT = Path(__file__).resolve().parent.parent
AT = (ROOT / "data" / "rounds" / "at-2023.toml").read_text(encoding="utf-8")
BLOCKS = (ROOT / "tests" / "rounds" / "at-2024-illustrative.toml").read_text(encoding="utf-8")


def test_an_untouched_copy_is_the_same_text() -> None:
    assert rules_doc.dump(rules_doc.load(AT)) == AT
    assert rules_doc.dump(rules_doc.load(BLOCKS)) == BLOCKS


def test_header_pot_and_steps_change_and_quotes_follow() -> None:
    doc = rules_doc.load(AT)
    rules_doc.set_header(doc, {"id": "at-2026", "year": 2026, "short_title": "AT 2026", "version": "1.0.0"})
    pot = rules_doc.pots(doc)[0]
    rules_doc.set_amount(doc, pot.path, 200_000_000)
    stair = rules_doc.staircases(doc)[0]
    rules_doc.set_steps(doc, stair.path, [(2, 2_000_000), (4, 6_000_000)])
    text = rules_doc.dump(doc)
    assert "# --- The staircase" in text  # comments kept
    parsed = tomllib.loads(text)
    assert (parsed["id"], parsed["year"], parsed["short_title"]) == ("at-2026", 2026, "AT 2026")
    assert parsed["pot"]["options"][0]["amount"] == 200_000_000
    assert parsed["pot"]["options"][0]["quote"] == rules_doc.CHANGED_QUOTE
    steps = parsed["staircase"]["steps"]
    assert [(s["min_expansion"], s["amount"]) for s in steps] == [(2, 2_000_000), (4, 6_000_000)]
    assert steps[0]["quote"].startswith("Den region som uppnår") and steps[1]["quote"] == rules_doc.CHANGED_QUOTE
    regions = load_regions()
    planned = read_planned_file(ROOT / "data" / "rounds" / "at-2023-planned.csv")
    new = parse_round(parsed, regions, planned)
    assert new.default_params().pot == 200_000_000


def test_a_block_round_copy_parses_with_its_changes() -> None:
    doc = rules_doc.load(BLOCKS)
    first, second = rules_doc.pots(doc)
    rules_doc.set_amount(doc, second.path, 100_000_000)
    rows = rules_doc.milestones(doc)
    rows[0]["due"] = date(2026, 11, 2)
    rules_doc.set_milestones(doc, rows)
    round_ = parse_block_round_text(rules_doc.dump(doc))
    assert [b.pot.amount for b in round_.blocks] == [first.amount, 100_000_000]
    assert round_.milestones[0].due == date(2026, 11, 2)


def test_a_planned_table_names_every_bad_row() -> None:
    index = RegionIndex(load_regions())
    rows = [["region", "planned"], *([r.name, "10"] for r in index.regions)]
    assert set(parse_planned_table(rows, index)) == {r.code for r in index.regions}
    bad = [["region", "planned"], ["Narnia", "3"], ["Gotland", "-2"], ["Skåne", "=1+1"]]
    with pytest.raises(InputError) as caught:
        parse_planned_table(bad, index)
    lines = " ".join(lines_sv(caught.value))
    assert "Narnia" in lines and "rad 3" in lines and "rad 4" in lines


@pytest.mark.parametrize(("table", "key"), [("outcome", "rule"), ("planned", "range_rule")])
def test_a_rule_the_engine_does_not_apply_is_refused_not_ignored(table: str, key: str) -> None:
    doc = tomllib.loads(AT)
    doc[table][key] = "something else"
    planned = read_planned_file(ROOT / "data" / "rounds" / "at-2023-planned.csv")
    with pytest.raises(ValueError, match=f"{table}.{key}"):
        parse_round(doc, load_regions(), planned)


def test_a_blocks_recipients_are_listed_and_changed_and_a_rule_stays_in_the_file() -> None:
    doc = rules_doc.load((ROOT / "tests" / "rounds" / "at-2022-illustrative.toml").read_text("utf-8"))
    level, further, metro = rules_doc.recipients(doc)
    assert level.rule == "AT-tjänster per 100 000 invånare minst riksgenomsnittet"
    assert further.rule == f"samma som i {level.label}"
    assert metro.codes == ("01", "03", "12", "14") and not metro.rule
    every = [r.code for r in load_regions()]
    rules_doc.set_recipients(doc, metro, ["12", "01", "14"], every)  # Uppsala leaves block 3
    rules_doc.set_recipients(doc, level, ["01"], every)  # a rule is never overwritten by a list
    parsed = tomllib.loads(rules_doc.dump(doc))
    assert parsed["blocks"][2]["eligible"]["codes"] == ["01", "12", "14"]
    assert parsed["blocks"][2]["eligible"]["quote"] == rules_doc.CHANGED_QUOTE
    assert parsed["blocks"][0]["eligible"]["key"] == "positions_per_100k"
    round_ = parse_block_round_text(rules_doc.dump(doc))
    assert round_.blocks[2].eligible.codes == ("01", "12", "14")


def test_all_recipients_stay_all_and_a_list_replaces_all() -> None:
    doc = rules_doc.load(BLOCKS)
    every = [r.code for r in load_regions()]
    first, _second = rules_doc.recipients(doc)
    assert first.codes is None and not first.rule  # no eligible table: every recipient
    rules_doc.set_recipients(doc, first, list(reversed(every)), every)
    assert rules_doc.dump(doc) == BLOCKS  # unchanged: the file keeps its text
    rules_doc.set_recipients(doc, first, ["25", "03"], every)
    assert parse_block_round_text(rules_doc.dump(doc)).blocks[0].eligible.codes == ("03", "25")


def test_the_form_refuses_a_block_without_recipients() -> None:
    from ui.round_editor import Edits, apply

    doc = rules_doc.load(BLOCKS)
    refs = {"pots": rules_doc.pots(doc), "staircases": rules_doc.staircases(doc)}
    refs["recipients"] = rules_doc.recipients(doc)
    header = {"id": "at-2026", "version": "1.0.0", "year": 2026, "title": "T", "short_title": "T", "dnr": "D"}
    pots = pd.DataFrame({"Pott": [p.label for p in refs["pots"]], "Belopp (kr)": [p.amount for p in refs["pots"]]})
    stairs = [pd.DataFrame(s.steps) for s in refs["staircases"]]
    milestones = pd.DataFrame(rules_doc.milestones(doc))
    every = [r.code for r in load_regions()]
    edits = Edits(header, pots, stairs, milestones, [[], every], every)
    problems = apply(doc, edits, refs)
    assert any("Mottagare: välj minst en mottagare" in p for p in problems), problems
