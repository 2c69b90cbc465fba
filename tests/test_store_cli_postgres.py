"""``python -m store`` on a PostgreSQL store: ``--db postgresql://…`` or the configured URL, the same messages
and exit statuses as on a DuckDB file, and never a password in what is printed."""

from __future__ import annotations

import io
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from store import db
from store.cli import main
from store.model import Actor
from store.paths import PATH_ENV, URL_ENV
from store.service import Store
from tests.report_helpers import positions
from tests.scenario_helpers import at_what_if

ROOT = Path(__file__).resolve().parents[1]
WHO = ["--actor", "Anna", "--reason", "inrapportering"]


def cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main(list(args))
    return status, out.getvalue(), err.getvalue()


def with_password(url: str, password: str = "hemligt") -> str:
    """The test cluster trusts local users: a password in the URL is accepted, and must never be printed."""
    return url.replace("postgresql://statsbidrag@", f"postgresql://statsbidrag:{password}@", 1)


def test_init_as_users_run_it_names_the_database_without_its_password(pg_url: str) -> None:
    url = with_password(pg_url)
    result = subprocess.run(
        [sys.executable, "-m", "store", "--db", url, "init"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    newest = db.migrations()[-1][0]
    assert f"schema version {newest}" in result.stdout and "statsbidrag:***@" in result.stdout
    assert "hemligt" not in result.stdout + result.stderr


def test_import_export_users_scenarios_and_demo_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    reports = tmp_path / "rapporter.csv"
    reports.write_text("region;filled;started\nGotland;19;18\nKalmar;52;50\n", encoding="utf-8-sig")
    common = ["import-reports", str(reports), "--round", "at-2023", "--received", "2023-10-30", *WHO]

    status, out, err = cli("--db", pg_url, *common, "--dry-run")
    assert status == 0 and "would change 2" in out, err
    status, out, err = cli("--db", pg_url, *common, "--received", "2023-10-30")
    assert status == 0 and "2 rows; changed 2; unchanged 0" in out, err
    status, out, _ = cli("--db", pg_url, *common)
    assert "changed 0; unchanged 2" in out

    bad = tmp_path / "fel.csv"
    bad.write_text("region,filled,started\nAtlantis,1,1\n", encoding="utf-8")
    status, out, err = cli(
        "--db", pg_url, "import-reports", str(bad), "--round", "at-2023", "--received", "2023-10-30", *WHO
    )
    assert status == 2 and out == "" and "unknown region 'Atlantis'" in err
    status, _, err = cli("--db", pg_url, "import-reports", str(reports), "--round", "x-1", *WHO)
    assert status == 2 and "unknown round" in err

    out_file = tmp_path / "rapporter.csv.out"
    status, out, err = cli("--db", pg_url, "export", "--table", "at_reports", "--format", "csv", "--out", str(out_file))
    assert status == 0 and out_file.stat().st_size > 0, err

    status, out, err = cli(
        "--db", pg_url, "user", "anna@myndighet.se", "--name", "Anna A", "--role", "handläggare", *WHO
    )
    assert status == 0 and "saved" in out, err
    status, out, _ = cli("--db", pg_url, "users")
    assert "anna@myndighet.se\tAnna A\thandläggare" in out

    status, out, _ = cli("--db", pg_url, "scenarios")
    assert status == 0 and out.strip() == "no saved scenarios"
    store = Store.open(pg_url)
    what_if = at_what_if(store, "at-2023", pot=252_000_000, reports=[positions("09", 19, 18)])
    store.scenarios.save_what_if(Actor("Anna"), "test", "Bakgrund 252", "at-2023", what_if)
    assert {r.code for r in store.reports.reports("at-2023")} == {"08", "09"}
    store.close()
    status, out, _ = cli("--db", pg_url, "scenarios")
    assert status == 0 and "Bakgrund 252\tat-2023\tAnna" in out

    status, out, err = cli("--db", pg_url, "demo", *WHO)  # real reports are held: refused, nothing written
    assert status == 2 and "real records" in err


def test_the_configured_url_is_the_default_and_backup_points_to_pg_dump(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(URL_ENV, with_password(pg_url))
    monkeypatch.setenv(PATH_ENV, str(tmp_path / "not-used.duckdb"))
    status, out, err = cli("init")
    assert status == 0, err
    assert out.startswith("postgresql://statsbidrag:***@/") and "hemligt" not in out
    assert not (tmp_path / "not-used.duckdb").exists()
    status, out, err = cli("backup", str(tmp_path / "kopia.duckdb"))
    assert status == 2 and "pg_dump -Fc" in err and "hemligt" not in err
    assert not (tmp_path / "kopia.duckdb").exists()
    # --db still wins over the configuration.
    status, out, err = cli("--db", str(tmp_path / "fil.duckdb"), "init")
    assert status == 0 and out.startswith(str(tmp_path / "fil.duckdb")), err


def test_an_unreachable_server_exits_3_at_once_without_the_password(tmp_path: Path) -> None:
    url = f"postgresql://statsbidrag:hemligt@/statsbidrag?host={tmp_path}/no-server"
    status, out, err = cli("--db", url, "users")
    assert status == 3 and out == ""
    assert "Cannot connect to the PostgreSQL database postgresql://statsbidrag:***@" in err
    assert "hemligt" not in err and "Traceback" not in err
