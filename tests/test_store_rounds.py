"""Rounds of blocks in the store: seeded from data/rounds, read as blocks, skipped when broken, migrated.

Each test copies data/ to a temporary folder and adds the illustrative test rounds of tests/rounds (test
data, never shipped in data/), then opens a store on it.
"""

from __future__ import annotations

import logging
import re
import shutil
from dataclasses import replace
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from block_helpers import ROUNDS_DIR, load_test_round, recipients

from allocation import method_params as mp
from allocation.block_convert import from_at_round
from allocation.block_engine import allocate_round
from store import db
from store.model import Actor, Round
from store.service import Store
from tests.block_helpers import load_round

DATA = Path(__file__).resolve().parent.parent / "data"
TEST_ROUNDS = ("at-2022-illustrative", "at-2024-illustrative")
ANNA = Actor("Anna Andersson")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    for name in TEST_ROUNDS:
        shutil.copy(ROUNDS_DIR / f"{name}.toml", target / "rounds")
    return target


@pytest.fixture
def store(store_target: Path | str, data_dir: Path) -> Store:
    s = Store.open(store_target, data_dir=data_dir)
    yield s
    s.close()


def with_id(text: str, new_id: str) -> str:
    """The rules text with another round id (the first top-level ``id = ...`` line)."""
    return re.sub(r'(?m)^id = "[^"]*"', f'id = "{new_id}"', text, count=1)


def sample_values(round_: Round) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, date]]]:
    """Reported outcomes above plan, positions for the 2022 rule, and some report dates."""
    codes = [r.code for r in recipients()]
    base = {c: int(round_.planned.get(c, Fraction(40))) for c in codes}
    values = {
        "filled": {c: base[c] + (i * 3) % 13 for i, c in enumerate(codes)},
        "started": {c: base[c] + (i * 5) % 11 for i, c in enumerate(codes)},
        "positions": {c: 20 + (i * 37) % 300 for i, c in enumerate(codes)},
    }
    if not round_.planned:  # the 2022 round has no planned table in data/: the baseline is given as data
        values["planned"] = dict(base)
    events = {"at_report": {c: date(2024, 10, 1 + i) for i, c in enumerate(codes) if i % 3}}
    return values, events


def test_blocks_rounds_are_seeded_with_their_planned_table_milestones_and_audit(
    store_target: Path | str, data_dir: Path
) -> None:
    store = Store.open(store_target, data_dir=data_dir)
    assert store.rounds.round_ids() == ["at-2022-illustrative", "at-2023", "at-2024-illustrative", "elderly-2023"]
    assert [r for r in store.rounds.round_ids() if store.rounds.round_document(r)["kind"] == "blocks"] == list(
        TEST_ROUNDS
    )
    assert store.rounds.round_problems() == ()
    planned = store.query(
        "SELECT code, planned, source FROM planned_positions WHERE round_id = 'at-2024-illustrative' ORDER BY code"
    )
    assert len(planned) == 21 and {row[2] for row in planned} == {"data/rounds/at-2023-planned.csv"}
    assert store.rounds.planned_table("at-2024-illustrative") == store.rounds.planned_table("at-2023")
    assert store.query("SELECT id, due FROM milestones WHERE round_id = 'at-2024-illustrative'") == [
        ("report", date(2024, 11, 1))
    ]
    audited = store.query(
        "SELECT action, entity, actor FROM audit_log WHERE entity_key LIKE 'at-2024-illustrative%' ORDER BY id"
    )
    assert audited == [("insert", "rounds", "system")] + [("insert", "planned_positions", "system")] * 21
    assert store.audit.audit_count() == 21 + 21 + 4 + 21 * 2 + 21  # regions, population, rounds, planned, estimates
    store.close()
    again = Store.open(store_target, data_dir=data_dir)  # a second start writes nothing
    assert again.audit.audit_count() == 21 + 21 + 4 + 21 * 2 + 21
    again.close()


def test_an_inline_planned_table_goes_into_planned_positions(store_target: Path | str, data_dir: Path) -> None:
    text = (ROUNDS_DIR / "at-2024-illustrative.toml").read_text(encoding="utf-8")
    rows = (DATA / "rounds" / "at-2023-planned.csv").read_text(encoding="utf-8").splitlines()[1:]
    table = ", ".join(f'"{code}" = "{value}"' for code, value in (row.split(",") for row in rows))
    text = with_id(text, "at-2030-inline").replace('file = "at-2023-planned.csv"', f"table = {{ {table} }}")
    (data_dir / "rounds" / "at-2030-inline.toml").write_text(text, encoding="utf-8")
    store = Store.open(store_target, data_dir=data_dir)
    assert store.rounds.round_problems() == ()
    sources = {row[0] for row in store.query("SELECT source FROM planned_positions WHERE round_id = 'at-2030-inline'")}
    assert sources == {"data/rounds/at-2030-inline.toml"}
    assert (
        store.rounds.block_round("at-2030-inline").planned == store.rounds.block_round("at-2024-illustrative").planned
    )
    store.close()


@pytest.mark.parametrize("name", TEST_ROUNDS)
def test_the_store_reads_a_blocks_round_as_the_block_reader_does(store: Store, name: str) -> None:
    round_ = store.rounds.block_round(name)
    assert round_ == load_test_round(name)
    assert store.rounds.recipients(name) == recipients()
    values, events = sample_values(round_)
    expected = allocate_round(load_test_round(name), recipients(), values, events)
    assert allocate_round(round_, store.rounds.recipients(name), values, events) == expected
    assert expected.paid > 0


def test_todays_rounds_are_read_as_one_block(store: Store) -> None:
    assert store.rounds.block_round("at-2023") == from_at_round(load_round("at-2023"))
    fixed = store.rounds.block_round("elderly-2023")
    (block,) = fixed.blocks
    assert block.method == "fixed_table" and isinstance(block.params, mp.FixedTableParams)
    assert block.params.basis == mp.ESTIMATE  # an estimate is never presented as the official table
    assert block.params.table == {code: a for code, (a, _, _) in store.rounds.fixed_amounts("elderly-2023").items()}
    assert sum(block.params.table.values()) == block.pot.amount == 298_500_000
    assert [r.code for r in store.rounds.recipients("elderly-2023")] == [r.code for r in recipients()]


def test_block_round_is_cached_until_a_write_of_its_tables(store: Store) -> None:
    first = store.rounds.block_round("at-2024-illustrative")
    assert store.rounds.block_round("at-2024-illustrative") is first
    store.con.execute("UPDATE planned_positions SET planned = '7' WHERE code = '09'")  # behind the store's back
    assert store.rounds.block_round("at-2024-illustrative") is first
    store.decisions.record_decision(ANNA, "test", "at-2023", date(2030, 1, 1), "Dnr")  # a write of another table
    assert store.rounds.block_round("at-2024-illustrative").planned["09"] == 16  # the planned table is still cached
    with store.transaction(ANNA, "test") as tx:  # a write of a table it is computed from
        tx.execute("UPDATE planned_positions SET planned = '7' WHERE code = '09'")
        tx.audit("update", "planned_positions", "09")
    assert store.rounds.block_round("at-2024-illustrative").planned["09"] == 7


BROKEN = {
    "not-toml.toml": ("kind = blocks", "not valid TOML", "inte giltig TOML"),
    "no-kind.toml": ('id = "x"\nversion = "1"\ntitle = "X"\n', "kind: must be one of", "kind: måste vara ett av"),
    "negative-pot.toml": (None, "blocks[0].pot.amount: must not be negative", "blocks[0].pot.amount: får inte vara"),
    "no-planned-file.toml": (None, "planned.file: cannot read", "planned.file: saknas.csv kan inte läsas"),
    "twice.toml": (None, "is also in data/rounds/at-2024-illustrative.toml", "finns redan i"),
}


def broken_text(name: str) -> str:
    text, _, _ = BROKEN[name]
    if text is not None:
        return text
    source = (ROUNDS_DIR / "at-2024-illustrative.toml").read_text(encoding="utf-8")
    if name == "negative-pot.toml":
        return with_id(source, "broken-pot").replace("amount = 63_000_000", "amount = -63")
    if name == "no-planned-file.toml":
        return with_id(source, "broken-planned").replace('file = "at-2023-planned.csv"', 'file = "saknas.csv"')
    return source  # the same id and version as another file


def test_a_broken_rules_file_is_skipped_logged_and_listed(
    store_target: Path | str, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    for name in BROKEN:
        (data_dir / "rounds" / name).write_text(broken_text(name), encoding="utf-8")
    (data_dir / "rounds" / "latin1.toml").write_bytes('title = "Läkare"'.encode("latin-1"))
    with caplog.at_level(logging.WARNING, logger="store.seed"):
        store = Store.open(store_target, data_dir=data_dir)  # opens all the same
    problems = {p.file: p for p in store.rounds.round_problems()}
    assert set(problems) == {f"data/rounds/{name}" for name in [*BROKEN, "latin1.toml"]}
    for name, (_, english, swedish) in BROKEN.items():
        problem = problems[f"data/rounds/{name}"]
        assert english in problem.message and problem.message.startswith(f"data/rounds/{name} was not loaded")
        assert swedish in problem.message_sv and problem.message_sv.startswith(f"Regelfilen data/rounds/{name}")
    assert "utf-8" in problems["data/rounds/latin1.toml"].message
    assert sorted(r.getMessage() for r in caplog.records) == sorted(p.message for p in store.rounds.round_problems())
    assert store.rounds.round_ids() == ["at-2022-illustrative", "at-2023", "at-2024-illustrative", "elderly-2023"]
    assert store.rounds.block_round("at-2024-illustrative") == load_test_round("at-2024-illustrative")
    store.close()


def test_a_published_rounds_file_changed_in_place_is_skipped(store_target: Path | str, data_dir: Path) -> None:
    store = Store.open(store_target, data_dir=data_dir)
    store.decisions.record_decision(ANNA, "beslut", "at-2024-illustrative", date(2024, 12, 1), "S2024/00586")
    old = store.rounds.round_toml("at-2024-illustrative")
    store.close()
    path = data_dir / "rounds" / "at-2024-illustrative.toml"
    path.write_text(old.replace("amount = 63_000_000", "amount = 64_000_000"), encoding="utf-8")
    store = Store.open(store_target, data_dir=data_dir)
    (problem,) = store.rounds.round_problems()
    assert "frozen" in problem.message and "låst" in problem.message_sv and "ny version" in problem.message_sv
    assert store.rounds.round_toml("at-2024-illustrative") == old
    path.write_text(old.replace('version = "0.1.0"', 'version = "0.2.0"'), encoding="utf-8")
    store.close()
    store = Store.open(store_target, data_dir=data_dir)  # a new version of the file is taken in
    assert store.rounds.round_problems() == ()
    assert list(store.rounds.round_versions("at-2024-illustrative")["version"]) == ["0.2.0", "0.1.0"]
    store.close()


def test_a_database_at_schema_4_is_migrated_and_keeps_every_row(store_target: Path | str, data_dir: Path) -> None:
    old = Store.open(store_target, data_dir=data_dir, migrate_to=4)
    assert db.schema_version(old.con) == 4
    tables = ("regions", "population", "rounds", "milestones", "planned_positions", "fixed_amounts", "audit_log")
    counts = {t: old.query(f"SELECT count(*) FROM {t}")[0][0] for t in tables}
    rounds = old.query("SELECT id, version, kind, title, dnr, rules_toml, source_file, loaded_at FROM rounds")
    old.close()
    new = Store.open(store_target, data_dir=data_dir)
    assert db.schema_version(new.con) == len(db.migrations())
    assert {t: new.query(f"SELECT count(*) FROM {t}")[0][0] for t in tables} == counts
    kept = new.query("SELECT id, version, kind, title, dnr, rules_toml, source_file, loaded_at FROM rounds")
    assert sorted(kept) == sorted(rounds)
    assert {row[0] for row in new.query("SELECT saved_by FROM rounds")} == {"system"}
    assert sorted(row[0] for row in new.query("SELECT saved_seq FROM rounds")) == [1, 2, 3, 4]
    assert new.rounds.block_round("at-2024-illustrative") == load_test_round("at-2024-illustrative")
    new.close()


@pytest.mark.parametrize("source", ["at-2023", "elderly-2023", *TEST_ROUNDS])
def test_round_trip_download_then_save_under_a_new_id(store: Store, source: str) -> None:
    new_id = f"{source}-kopia"
    text = with_id(store.rounds.round_toml(source), new_id)
    assert store.rounds.save_round(ANNA, "kopia", text) == (new_id, store.rounds.block_round(source).version)
    assert store.rounds.round_toml(new_id) == text  # the file as uploaded, to the byte
    assert store.rounds.block_round(new_id) == replace(store.rounds.block_round(source), id=new_id)
    assert store.rounds.recipients(new_id) == store.rounds.recipients(source)
