"""Hostile rules files through the store, its command line and the page's save: refused, naming why (issue 23)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from store.model import Actor, RulesRefused
from store.service import Store
from tests import hostile_rules as h
from tests.markdown_text import shown

ROOT = Path(__file__).resolve().parents[1]
ANNA = Actor("Anna Andersson")
AT_2023 = h.AT_2023.read_text(encoding="utf-8").replace('id = "at-2023"', 'id = "at-2031-test"', 1)
ELDERLY = (ROOT / "data" / "rounds" / "elderly-2023.toml").read_text(encoding="utf-8")


@pytest.fixture
def store(store_target: Path | str) -> Iterator[Store]:
    s = Store.open(store_target)
    s.clock = lambda: datetime(2031, 3, 1, 9, 0)
    yield s
    s.close()


def problems(store: Store, text: str) -> list[str]:
    with pytest.raises(RulesRefused) as info:
        store.rounds.save_round(ANNA, "prov", text)
    return [en for en, _ in info.value.problems]


@pytest.mark.parametrize("name", list(h.ATTACKS))
def test_the_store_refuses_every_attack_and_saves_nothing(isolated_database: Path, name: str) -> None:
    # How fast (target ≤ 2 s) is the benchmark's to print (bench/bench_hostile.py), not a test's clock.
    store = Store.open(isolated_database)
    text = h.ATTACKS[name]()
    assert problems(store, text)
    assert "at-2031-test" not in store.rounds.round_ids()
    store.close()


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("version = ", 'version = "1.2.0\\u0000"\nxversion = ', "version"),
        ("version = ", 'version = "1.2.0\\n"\nxversion = ', "version"),
        ("version = ", 'version = "1.2.0\u200b"\nxversion = ', "version"),
        ("title = ", 'title = "AT \u202e2023"\nxtitle = ', "title"),
        ('label = "254', 'label = "\\u001b[2J254', "pot.options[0].label"),
    ],
)
def test_control_invisible_and_direction_characters_are_refused_on_both_engines(
    store: Store, old: str, new: str, field: str
) -> None:
    messages = problems(store, AT_2023.replace(old, new, 1))
    assert any(m.startswith(f"{field}: holds ") for m in messages), messages
    assert "at-2031-test" not in store.rounds.round_ids()


@pytest.mark.parametrize(
    ("text", "field"),
    [
        (AT_2023.replace("amount = 254_000_000", f"amount = {10**30}", 1), "pot.options[0].amount"),
        (AT_2023.replace("amount = 2_000_000\nsection", "amount = 1_000_000_000_001\nsection", 1), "pot.agency_costs"),
        (AT_2023.replace("amount = 12_000_000", f"amount = {10**13}", 1), "staircase.steps[4].amount"),
        (ELDERLY.replace("amount = 298_500_000", f"amount = {10**30}", 1), "pot.amount"),
    ],
)
def test_an_amount_above_the_bound_is_refused_naming_the_field(store: Store, text: str, field: str) -> None:
    messages = problems(store, text)
    assert any(m.startswith(field) and "largest amount accepted" in m for m in messages), messages


def test_a_staircase_paying_less_on_a_higher_step_is_refused(store: Store) -> None:
    messages = problems(store, AT_2023.replace("amount = 12_000_000", "amount = 7_000_000", 1))
    assert messages == ["staircase.steps[4].amount: a higher step may not pay less (7000000 after 8000000)"]


def test_a_far_milestone_and_an_absurd_year_are_refused(store: Store) -> None:
    messages = problems(store, AT_2023.replace("due = 2023-11-01", "due = 2063-11-01", 1))
    assert messages == ["milestones[0].due: 2063-11-01 is more than 5 years from the round's year 2023"]
    assert problems(store, AT_2023.replace("year = 2023", "year = -1", 1))[0].startswith("year: must be a year from")


def add_round(db: Path, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "store", "--db", str(db), "add-round", str(path), "--actor", "A", "--reason", "r"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("name", ["arrays nested 100 000 deep", "integer of 5 000 digits", "dotted key, 20 000 parts"])
def test_the_command_line_refuses_without_a_traceback(isolated_database: Path, tmp_path: Path, name: str) -> None:
    path = tmp_path / "regler.toml"
    path.write_text(h.ATTACKS[name](), encoding="utf-8")
    result = add_round(isolated_database, path)
    assert result.returncode == 2 and result.stdout == ""
    assert "Traceback" not in result.stderr and result.stderr.startswith(f"error: {path}: line ")


def test_the_command_line_never_prints_a_terminal_escape(isolated_database: Path, tmp_path: Path) -> None:
    path = tmp_path / "regler.toml"
    path.write_text(AT_2023.replace('title = "', 'title = "\\u001b]0;pwned\\u0007\\u001b[2J', 1), encoding="utf-8")
    result = add_round(isolated_database, path)
    assert result.returncode == 2 and "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "title: holds a control character (U+001B" in result.stderr


def _save_script() -> None:
    import streamlit as st

    from ui.round_review import save
    from ui.state import session_or_stop

    save(session_or_stop(), st.session_state["rules_text"], None, "prov")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (h.deep_nesting(), "rad 1: "),
        (h.long_integer(), "rad 9: ett tal eller ord med 5 000 tecken; högst 100"),
        ("a = " + "[" * 11 + "]" * 11, "rad 1: listor eller tabeller i varandra i mer än 10 nivåer"),
        (AT_2023.replace("254_000_000", str(10**30), 1), "pot.options[0].amount: "),
    ],
)
def test_the_page_shows_the_refusal_in_swedish_not_an_unexpected_error(text: str, expected: str) -> None:
    at = AppTest.from_function(_save_script, default_timeout=60)
    at.session_state["actor_name"] = "Anna Andersson"
    at.session_state["rules_text"] = text
    at.run()
    assert not at.exception, at.exception
    message = shown(at.error[0].value).replace("\u00a0", " ")
    assert message.startswith("Omgången sparades inte. Fel i regelfilen: ") and expected in message, message


def test_a_cell_with_terminal_escapes_reaches_the_terminal_escaped(tmp_path: Path) -> None:
    path = tmp_path / "utfall.csv"
    path.write_text("region,filled,started\n\x1b]0;pwned\x07\x1b[2JGotland\u202e,1,1\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "cli", "allocate", "--round", "at-2023", "--outcomes", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2 and "unknown region" in result.stderr
    assert not {"\x1b", "\x07", "\u202e"} & set(result.stderr), result.stderr
    assert "\\u001b]0;pwned\\u0007\\u001b[2JGotland\\u202e" in result.stderr
