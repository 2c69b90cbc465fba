"""``python -m store add-round``: a rules file (and its planned table) saved as a round, as users run it."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

from block_helpers import ROUNDS_DIR
from cli_helpers import run_store

from store.model import Actor
from store.service import Store

ROOT = Path(__file__).resolve().parents[1]
NEW = "at-2031-test"


def run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_store(db, *args)


def rules_file(folder: Path, text: str | None = None) -> Path:
    """A copy of the illustrative AT 2024 round under a new id, with the planned file it names beside it."""
    source = (ROOT / "data" / "rounds" / "at-2023-planned.csv").read_text(encoding="utf-8")
    (folder / "at-2023-planned.csv").write_text(source.replace("09,16", "09,14-18"), encoding="utf-8")
    path = folder / f"{NEW}.toml"
    text = text or (ROUNDS_DIR / "at-2024-illustrative.toml").read_text(encoding="utf-8")
    path.write_text(re.sub(r'(?m)^id = "[^"]*"', f'id = "{NEW}"', text, count=1), encoding="utf-8")
    return path


def add(db: Path, path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run(db, "add-round", str(path), "--actor", "Anna", "--reason", "ny omgång", *extra)


def test_a_rules_file_is_saved_with_the_planned_file_beside_it(isolated_database: Path, tmp_path: Path) -> None:
    path = rules_file(tmp_path)
    first = add(isolated_database, path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == f"{path}: round {NEW} version 0.1.0: saved"
    again = add(isolated_database, path)
    assert again.returncode == 0 and "unchanged" in again.stdout
    store = Store.open(isolated_database)
    assert store.rounds.round_toml(NEW) == path.read_text(encoding="utf-8")
    assert store.rounds.planned_table(NEW)["09"] == "14-18"  # from the file beside the rules, not the store's own
    assert store.rounds.round_versions(NEW)["saved_by"].tolist() == ["Anna"]
    store.close()


def test_a_planned_table_given_with_region_names_is_used(isolated_database: Path, tmp_path: Path) -> None:
    path = rules_file(tmp_path)
    rows = (ROOT / "data" / "rounds" / "at-2023-planned.csv").read_text(encoding="utf-8").splitlines()
    planned = tmp_path / "plan.csv"
    planned.write_text("region;planned\n" + "\n".join(r.replace(",", ";") for r in rows[1:]).replace("03;", "Uppsala;"))
    result = add(isolated_database, path, "--planned", str(planned))
    assert result.returncode == 0, result.stderr
    store = Store.open(isolated_database)
    assert store.rounds.planned_table(NEW)["09"] == "16"  # the given table, not the file beside the rules
    assert store.rounds.planned_table(NEW) == store.rounds.planned_table("at-2023")
    store.close()


def test_a_bad_rules_file_exits_2_naming_each_field_and_writes_nothing(isolated_database: Path, tmp_path: Path) -> None:
    text = (ROUNDS_DIR / "at-2024-illustrative.toml").read_text(encoding="utf-8")
    path = rules_file(
        tmp_path, text.replace("amount = 63_000_000", "amount = -63").replace("year = 2024", 'year = "x"')
    )
    result = add(isolated_database, path)
    assert result.returncode == 2 and result.stdout == "" and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"error: {path}: year: must be a whole number, got 'x'",
        f"error: {path}: blocks[0].pot.amount: must not be negative, got -63",
    ]
    not_toml = tmp_path / "trasig.toml"
    not_toml.write_text("kind = blocks\n", encoding="utf-8")
    result = add(isolated_database, not_toml)
    assert result.returncode == 2 and "not valid TOML" in result.stderr
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes('title = "Läkare"\n'.encode("latin-1"))
    result = add(isolated_database, latin1)
    assert result.returncode == 2 and "not UTF-8" in result.stderr and "Traceback" not in result.stderr
    store = Store.open(isolated_database)
    assert store.rounds.round_ids() == ["at-2023", "elderly-2023"]
    store.close()


def test_a_bad_planned_table_exits_2_naming_its_rows(isolated_database: Path, tmp_path: Path) -> None:
    path = rules_file(tmp_path)
    planned = tmp_path / "plan.csv"
    planned.write_text("code,planned\n01,272\nAtlantis,3\n03,5-1\n", encoding="utf-8")
    result = add(isolated_database, path, "--planned", str(planned))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert all(line.startswith(f"error: {planned}: ") for line in lines)
    assert any("row 3" in line and "Atlantis" in line for line in lines)
    assert any("row 4" in line and "reversed range" in line for line in lines)
    missing = add(isolated_database, path, "--planned", str(tmp_path / "saknas.csv"))
    assert missing.returncode == 2 and "saknas.csv" in missing.stderr


def test_a_published_round_changed_in_place_exits_2_and_a_new_version_is_saved(
    isolated_database: Path, tmp_path: Path
) -> None:
    path = rules_file(tmp_path)
    assert add(isolated_database, path).returncode == 0
    store = Store.open(isolated_database)
    store.decisions.record_decision(Actor("Anna"), "beslut", NEW, date(2024, 12, 1), "S2024/00586")
    store.close()
    changed = path.read_text(encoding="utf-8").replace("amount = 63_000_000", "amount = 64_000_000")
    path.write_text(changed, encoding="utf-8")
    refused = add(isolated_database, path)
    assert refused.returncode == 2 and "frozen" in refused.stderr and "version" in refused.stderr
    path.write_text(changed.replace('version = "0.1.0"', 'version = "0.2.0"'), encoding="utf-8")
    saved = add(isolated_database, path)
    assert saved.returncode == 0 and "version 0.2.0: saved" in saved.stdout
    locked = run(isolated_database, "add-round", str(path), "--actor", "A")  # argparse: the reason is required
    assert locked.returncode == 2 and "--reason" in locked.stderr


def test_the_data_folders_own_planned_file_format_is_accepted(isolated_database: Path, tmp_path: Path) -> None:
    shutil.copy(ROOT / "data" / "rounds" / "at-2023-planned.csv", tmp_path / "plan.csv")
    result = add(isolated_database, rules_file(tmp_path), "--planned", str(tmp_path / "plan.csv"))
    assert result.returncode == 0, result.stderr
