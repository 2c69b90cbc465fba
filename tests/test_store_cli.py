"""``python -m store``: import, export, scenarios, backup — as users run it."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from cli_helpers import run_store
from openpyxl import load_workbook

from store.model import Actor
from store.service import Store
from tests.report_helpers import positions
from tests.scenario_helpers import at_what_if, save_2023_row

ROOT = Path(__file__).resolve().parents[1]


def run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_store(db, *args)


def test_import_then_reimport_then_export_and_backup(isolated_database: Path, tmp_path: Path) -> None:
    reports = tmp_path / "rapporter.csv"
    reports.write_text("region;filled;started\nGotland;19;18\nKalmar;52;50\n", encoding="utf-8-sig")
    common = ["--round", "at-2023", "--actor", "Anna", "--reason", "inrapportering", "--received", "2023-10-30"]

    dry = run(isolated_database, "import-reports", str(reports), *common, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "would change 2" in dry.stdout

    first = run(isolated_database, "import-reports", str(reports), *common)
    assert first.returncode == 0, first.stderr
    assert "2 rows; changed 2; unchanged 0" in first.stdout
    again = run(isolated_database, "import-reports", str(reports), *common)
    assert "changed 0; unchanged 2" in again.stdout

    out = tmp_path / "export" / "rapporter.xlsx"
    exported = run(isolated_database, "export", "--table", "at_reports", "--format", "xlsx", "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    sheet = load_workbook(io.BytesIO(out.read_bytes()))["at_reports"]
    assert sorted(row[1] for row in sheet.iter_rows(min_row=2, values_only=True)) == ["08", "09"]

    backup = tmp_path / "backup.duckdb"
    assert run(isolated_database, "backup", str(backup)).returncode == 0
    copy = Store.open(backup)
    assert {r.code for r in copy.reports.reports("at-2023")} == {"08", "09"}
    copy.close()


def test_a_bad_file_exits_2_with_every_problem_and_writes_nothing(isolated_database: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("region,filled,started\nAtlantis,1,1\nGotland,-1,x\n", encoding="utf-8")
    result = run(
        isolated_database,
        "import-reports",
        str(bad),
        "--round",
        "at-2023",
        "--actor",
        "A",
        "--reason",
        "r",
        "--received",
        "2023-10-30",
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 3
    assert "row 2, column region: unknown region 'Atlantis'" in lines[0]
    assert "row 3, column filled" in lines[1] and "row 3, column started" in lines[2]
    store = Store.open(isolated_database)
    assert store.reports.reports("at-2023") == []
    store.close()


def test_missing_actor_reason_or_unknown_round_are_refused(isolated_database: Path, tmp_path: Path) -> None:
    reports = tmp_path / "r.csv"
    reports.write_text("region,filled,started\nGotland,19,18\n", encoding="utf-8")
    blank = run(
        isolated_database, "import-reports", str(reports), "--round", "at-2023", "--actor", " ", "--reason", "r"
    )
    assert blank.returncode == 2 and "actor" in blank.stderr and "Traceback" not in blank.stderr
    unknown = run(isolated_database, "import-reports", str(reports), "--round", "x-1", "--actor", "A", "--reason", "r")
    assert unknown.returncode == 2 and "unknown round" in unknown.stderr


def test_scenarios_are_listed_and_exported(isolated_database: Path, tmp_path: Path) -> None:
    store = Store.open(isolated_database)
    gotland = [positions("09", 19, 18)]
    save_2023_row(store, Actor("Anna"), "test", "Bakgrund 252", "at-2023", pot=252_000_000, reports=gotland)
    store.scenarios.save_what_if(Actor("Anna"), "test", "Plan", "at-2023", at_what_if(store, "at-2023"))
    store.close()
    listed = run(isolated_database, "scenarios")
    assert listed.returncode == 0
    assert "Bakgrund 252" in listed.stdout and "252\u00a0000\u00a0000\u00a0kr" in listed.stdout
    assert "Plan\tat-2023\tAnna" in listed.stdout and "254\u00a0000\u00a0000\u00a0kr" in listed.stdout
    out = tmp_path / "scenario.xlsx"
    result = run(isolated_database, "export", "--scenario", "Bakgrund 252", "--format", "xlsx", "--out", str(out))
    assert result.returncode == 0, result.stderr
    workbook = load_workbook(io.BytesIO(out.read_bytes()))
    about = {row[0].value: row[1].value for row in workbook["Om uttaget"].iter_rows(min_row=2)}
    assert about["Scenario"] == "Bakgrund 252"
    assert "Bakgrund" in about["Pott"]
    missing = run(isolated_database, "export", "--scenario", "nope", "--out", str(tmp_path / "x.xlsx"))
    assert missing.returncode == 2 and "no scenario named 'nope'" in missing.stderr


def test_a_what_if_scenario_exports_the_simulators_table(isolated_database: Path, tmp_path: Path) -> None:
    """A what-if of a round of blocks exports its result as the simulator does: the same columns, a Summa row
    that sums to the pot it paid, and its pot on the method sheet."""
    from allocation.whatif import WhatIf

    store = Store.open(isolated_database)
    values = {"filled": {"01": 400, "09": 19}, "started": {"01": 0, "09": 18}}
    store.scenarios.save_what_if(
        Actor("Anna"), "test", "Block", "at-2023", WhatIf({"performance": 200_000_000}, values=values)
    )
    store.close()
    out = tmp_path / "x.xlsx"
    result = run(isolated_database, "export", "--scenario", "Block", "--out", str(out))
    assert result.returncode == 0, result.stderr
    workbook = load_workbook(io.BytesIO(out.read_bytes()))
    about = {row[0].value: row[1].value for row in workbook["Om uttaget"].iter_rows(min_row=2)}
    assert about["Scenario"] == "Block" and about["Pott"].startswith("200\u00a0000\u00a0000\u00a0kr")
    sheet = workbook["Fördelning"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["länskod", "region", "befolkning"] and header[-2:] == ["totalt (kr)", "kr per invånare"]
    last = [c.value for c in sheet[sheet.max_row]]
    assert last[1] == "Summa" and last[header.index("totalt (kr)")] == 200_000_000
    csv = tmp_path / "x.csv"
    assert run(isolated_database, "export", "--scenario", "Block", "--format", "csv", "--out", str(csv)).returncode == 0
    assert csv.read_text(encoding="utf-8-sig").splitlines()[0].startswith("länskod;region;befolkning;")


def test_users_are_added_listed_and_validated_on_the_command_line(isolated_database: Path) -> None:
    common = ["--actor", "Drift", "--reason", "första handläggaren"]
    added = run(isolated_database, "user", "Anna@Myndighet.se", "--name", "Anna A", "--role", "handläggare", *common)
    assert added.returncode == 0, added.stderr
    region = run(isolated_database, "user", "u@r.se", "--name", "U", "--role", "region", "--region", "03", *common)
    assert region.returncode == 0, region.stderr
    listed = run(isolated_database, "users")
    assert listed.stdout.splitlines() == ["anna@myndighet.se\tAnna A\thandläggare", "u@r.se\tU\tregion 03"]
    bad = run(isolated_database, "user", "x@r.se", "--name", "X", "--role", "region", "--region", "99", *common)
    assert bad.returncode == 2 and "unknown region code '99'" in bad.stderr and "Traceback" not in bad.stderr
    store = Store.open(isolated_database)
    assert [u.login for u in store.users.users()] == ["anna@myndighet.se", "u@r.se"]
    assert store.query("SELECT count(*) FROM audit_log WHERE entity = 'users'")[0][0] == 2
    store.close()


def test_init_refuses_to_start_when_login_is_required_but_not_configured(
    isolated_database: Path, tmp_path: Path
) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "STATSBIDRAG_REQUIRE_AUTH": "1"}
    command = [sys.executable, "-m", "store", "--db", str(isolated_database), "init"]
    refused = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2
    assert "login is required" in refused.stderr and "Traceback" not in refused.stderr
    secrets = tmp_path / ".streamlit" / "secrets.toml"  # ~/.streamlit/secrets.toml, where Streamlit looks too
    secrets.parent.mkdir()
    secrets.write_text('[auth]\nclient_id = "x"\n', encoding="utf-8")
    accepted = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert accepted.returncode == 0, accepted.stderr
