"""The store's read cache: a write drops only the cached reads computed from the tables it wrote, and every
write is seen by the next read."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from block_helpers import ROUNDS_DIR

from allocation.whatif import WhatIf
from store.core import Tx
from store.model import Actor
from store.service import Store
from tests.report_helpers import positions

ANNA = Actor("Anna Andersson")
AT_2024 = (ROUNDS_DIR / "at-2024-illustrative.toml").read_text(encoding="utf-8")


@pytest.fixture
def store(isolated_database: Path) -> Store:
    s = Store.open(isolated_database)
    yield s
    s.close()


def test_saving_a_scenario_keeps_the_parsed_rounds_and_shows_the_new_name(store: Store) -> None:
    round_ = store.rounds.block_round("at-2023")
    regions = store.rounds.regions(store.rounds.latest_population_date())
    ids = store.rounds.round_ids()
    assert store.scenarios.scenario_names("at-2023") == []
    generation = store.generation
    store.scenarios.save_what_if(ANNA, "test", "Prov", "at-2023", WhatIf())
    assert store.generation > generation
    assert store.scenarios.scenario_names("at-2023") == ["Prov"]  # the write is seen
    assert store.rounds.block_round("at-2023") is round_  # a scenario changes no round: still the parsed one
    assert store.rounds.regions(store.rounds.latest_population_date()) is regions
    assert store.rounds.round_ids() == ids
    store.scenarios.delete_scenario(ANNA, "test", "Prov")
    assert store.scenarios.scenario_names("at-2023") == []


def test_every_write_is_seen_by_the_next_read(store: Store) -> None:
    assert store.reports.reports("at-2023") == []
    store.reports.record_report(ANNA, "test", "at-2023", positions("09", 21, 20, received=date(2023, 10, 20)))
    assert [r.code for r in store.reports.reports("at-2023")] == ["09"]
    # A new round, then a new version of it: its id, its rules and its parsed round follow each save.
    ids = store.rounds.round_ids()
    text = re.sub(r'(?m)^id = "[^"]*"', 'id = "at-2031-cache"', AT_2024, count=1)
    store.rounds.save_round(ANNA, "ny", text)
    assert store.rounds.round_ids() == sorted([*ids, "at-2031-cache"])
    first = store.rounds.block_round("at-2031-cache")
    changed = re.sub(r'(?m)^version = "[^"]*"', 'version = "9.9.9"', text, count=1)
    store.rounds.save_round(ANNA, "ny version", changed.replace("amount = 63_000_000", "amount = 64_000_000", 1))
    assert store.rounds.round_document("at-2031-cache")["version"] == "9.9.9"
    assert store.rounds.block_round("at-2031-cache") != first
    assert store.rounds.block_round("at-2031-cache").blocks[0].pot.amount == 64_000_000


def test_a_statement_it_cannot_read_or_the_raw_cursor_drops_every_cached_read(store: Store) -> None:
    round_ = store.rounds.block_round("at-2023")
    with store.transaction(ANNA, "test") as tx:
        tx.cursor.execute("UPDATE planned_positions SET planned = '7' WHERE code = '09' AND round_id = 'at-2023'")
        tx.audit("update", "planned_positions", "09")
    again = store.rounds.block_round("at-2023")
    assert again is not round_ and again.planned["09"] == 7


@pytest.mark.parametrize(
    ("sql", "written"),
    [
        ("SELECT name FROM scenarios", set()),
        ("  select * from rounds", set()),
        ("INSERT INTO scenarios (name) VALUES (?)", {"scenarios"}),
        ("INSERT OR REPLACE INTO planned_positions VALUES (?)", {"planned_positions"}),
        ('UPDATE "Rounds" SET x = 1', {"rounds"}),
        ("DELETE FROM main.at_reports WHERE code = ?", {"at_reports"}),
        ("CREATE TABLE t (a INT)", None),
        ("WITH x AS (SELECT 1) INSERT INTO rounds SELECT * FROM x", None),
        ("COPY rounds FROM 'file.csv'", None),
    ],
)
def test_the_tables_a_statement_writes(sql: str, written: set[str] | None) -> None:
    tx = Tx(None, ANNA, "test", datetime(2030, 1, 1))  # type: ignore[arg-type]
    tx._note(sql)
    assert tx.written == written
