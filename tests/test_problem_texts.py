"""Input problems are values (a code, row, column, value, detail); their words live in present/problems.py."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from allocation.block_fields import RuleProblem, RulesError
from allocation.block_rules import parse_block_round
from allocation.fixed import Requisition, requisition_problems
from allocation.payouts import ABOVE_MAXIMUM, NO_MAXIMUM, NOTHING_TO_PAY, PayoutList, Refused
from allocation.problems import InputError, Problem
from ingest.columns import COLUMNS
from present.payouts import problems_en, problems_sv, refused_en, refused_sv
from present.problems import COLUMN_SV, MESSAGES, lines_en, lines_sv, problem_en, problem_sv
from present.rule_problems import ENGLISH as RULE_EN
from present.rule_problems import SWEDISH as RULE_SV
from present.rule_problems import rule_problem_en, rule_problem_sv

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("allocation", "ingest", "store", "cli", "ui", "pages")
# Problem("code", ...) and ParseError("code", ...): every code a module raises
RAISED = re.compile(r"\b(?:Problem|ParseError|_refusal|_error)\(\s*\"([a-z_0-9]+)\"")


def _raised_codes() -> set[str]:
    codes = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            codes |= set(RAISED.findall(path.read_text(encoding="utf-8")))
    return codes


def test_every_problem_code_raised_has_an_english_and_a_swedish_text() -> None:
    raised = _raised_codes()
    assert {"unknown_region", "not_a_number", "empty_value"} <= raised  # the scan finds the codes
    assert raised <= set(MESSAGES), sorted(raised - set(MESSAGES))
    for code, (english, swedish) in MESSAGES.items():
        assert english.strip() and swedish.strip() and english != swedish, code


def test_a_problem_names_its_row_and_column_first() -> None:
    problem = Problem("unknown_region", 3, "Län", "Atlantis")
    assert problem_sv(problem) == 'rad 3, kolumn Län: okänd region "Atlantis"'
    assert problem_en(problem) == "row 3, column Län: unknown region 'Atlantis'"
    assert problem_sv(Problem("no_rows")) == "filen har rubriker men inga datarader"


def test_many_problems_are_listed_then_counted() -> None:
    error = InputError([Problem("empty_value", row) for row in range(2, 62)])
    assert len(lines_sv(error)) == 51 and lines_sv(error)[-1] == "… och 10 fel till"
    assert lines_en(error, limit=5)[-1] == "… and 55 more problems"
    assert "empty_value (row 2" in str(error)  # a log still tells which problem and where


REPORTED = re.compile(
    r"(?:\.report|_problem|_refuse)\(\s*[^,()]+,\s*\"([a-z_0-9]+)\""
    r"|code=\"([a-z_0-9]+)\"|code = \"([a-z_0-9]+)\" if|else \"([a-z_0-9]+)\""
)


def test_every_rule_problem_code_has_an_english_and_a_swedish_text() -> None:
    reported: set[str] = set()
    for path in (ROOT / "allocation").rglob("*.py"):
        for groups in REPORTED.findall(path.read_text(encoding="utf-8")):
            reported |= {g for g in groups if g}
    assert {"missing_field", "bad_operator", "same_as_unknown", "flow_cycle", "too_many", "forbidden_char"} <= reported
    assert reported <= set(RULE_EN) and set(RULE_EN) == set(RULE_SV), sorted(reported - set(RULE_EN))


def test_a_rule_problem_names_its_field_in_both_languages() -> None:
    params: dict[str, Any] = {"value": "'!='", "choices": (">=", "<")}
    problem = RuleProblem("blocks[0].eligible.op", code="bad_operator", params=params)
    assert rule_problem_en(problem) == "blocks[0].eligible.op: must be one of >= <, got '!='"
    assert rule_problem_sv(problem) == "blocks[0].eligible.op: måste vara en av >= <, fick ”!=”"
    at_line = RuleProblem("", code="text_not_closed", params={"line": 4})  # the text, before its fields
    assert (rule_problem_en(at_line), rule_problem_sv(at_line)) == (
        "line 4: a text is not closed",
        "rad 4: en text avslutas inte",
    )
    with pytest.raises(RulesError) as caught:
        parse_block_round({"kind": "blocks", "blocks": [], "surplus": 1})
    texts = [rule_problem_sv(p) for p in caught.value.problems]
    assert "surplus: okänt fält" in texts and "id: fältet saknas" in texts


def test_a_column_named_by_its_key_is_shown_by_its_swedish_name() -> None:
    assert all(COLUMNS[key][0] == label for key, label in COLUMN_SV.items())
    items = [Requisition("09", date(2023, 3, 1), 2_000_000, "ref", row=2)]
    problems = requisition_problems(items, {"09": 1_000_000}, {}, {}, {"09": "Gotland"})
    texts = [problem_sv(p) for p in problems]
    assert texts == [
        "rad 2, kolumn Mottagen: inget godkänt ombud den 2023-03-01 (Gotland: inget godkänt)",
        "rad 2, kolumn Belopp: 2\u00a0000\u00a0000\u00a0kr överstiger regionens högsta belopp (Gotland kan "
        "rekvirera högst 1\u00a0000\u00a0000\u00a0kr; redan rekvirerat 0\u00a0kr)",
    ]
    assert problem_en(problems[0]).startswith("row 2, column received: no approved ombud on 2023-03-01")


def test_a_payout_list_says_why_in_words_from_values() -> None:
    above = Refused("09", "Gotland", 3_000_000, ABOVE_MAXIMUM, 7, maximum=5_000_000, left=2_000_000)
    assert refused_sv(above) == (
        "3\u00a0000\u00a0000\u00a0kr överstiger vad som återstår av regionens högsta belopp "
        "(5\u00a0000\u00a0000\u00a0kr, kvar 2\u00a0000\u00a0000\u00a0kr)."
    )
    assert refused_en(Refused("09", "Gotland", 1, NO_MAXIMUM)) == "the region has no maximum amount in this round"
    empty = PayoutList("r", "decision", "S1", (), 0, 0, blocking_sv=("Butiken är stängd.",), blocking_en=("closed",))
    assert [i.code for i in empty.issues()] == [NOTHING_TO_PAY] and not empty.recordable
    assert problems_sv(empty) == ["Butiken är stängd.", "Det finns inget kvar att betala ut på den här listan."]
    assert problems_en(empty) == ["closed", "nothing is left to pay on this list"]
