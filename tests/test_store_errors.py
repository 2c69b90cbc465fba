"""The store's failures said plainly (issue 12, item 6): a full disk, a damaged or foreign file, a folder that
cannot be written, quotes in file names, reports into a round of the wrong kind.

Each: a message naming the file (or round) and the cause, the documented exit status, nothing written
(table counts and the audit log unchanged, no file left behind), no traceback.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from allocation.fixed import Requisition
from store import cli, db
from store.model import Actor, WriteRefused
from store.service import Store
from tests.markdown_text import shown
from tests.report_helpers import positions

ROOT = Path(__file__).resolve().parents[1]
RECEIVED = date(2023, 10, 30)  # the day the reports arrived: always explicit
ANNA = Actor("Anna")
REPORTS = "region;filled;started\nGotland;19;18\nKalmar;52;50\n"
NO_SPACE = "No space left on device"


def of_format(store: Store, kind: str) -> list[str]:
    """The store's rounds whose rules are in the format ``kind`` (the AT report API takes the 2023 format)."""
    return [r for r in store.rounds.round_ids() if store.rounds.round_document(r).get("kind") == kind]


def run(database: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "store", "--db", str(database), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def counts(con: Any) -> dict[str, int]:
    """Rows per table (the audit log included), read through a connection or a store."""
    execute = con.query if isinstance(con, Store) else (lambda sql: con.execute(sql).fetchall())
    tables = [r[0] for r in execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'")]
    return {t: execute(f'SELECT count(*) FROM "{t}"')[0][0] for t in sorted(tables)}


def file_counts(path: Path) -> dict[str, int]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return counts(con)
    finally:
        con.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refused(result: subprocess.CompletedProcess[str], status: int, *needles: str) -> None:
    """The exit status, one plain ``error:`` message with every needle, nothing on stdout, no traceback."""
    assert result.returncode == status, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")
    for needle in needles:
        assert needle in result.stderr, (needle, result.stderr)


# --- a full disk, faithfully faked ---------------------------------------------------------------------------
#
# On a full disk (checked by hand on a 6 MB tmpfs) DuckDB's COMMIT raises TransactionException "Failed to commit:
# Could not write file ".../x.duckdb.wal": No space left on device" and has ended the transaction itself, so the
# ROLLBACK that follows raises "cannot rollback - no transaction is active". The fake does exactly that: it rolls
# the real transaction back and raises DuckDB's error; the store's own ROLLBACK then really finds no transaction.


class FullDisk:
    """A connection or cursor whose COMMIT (and DETACH, which writes out an attached file) fails as on a full disk."""

    def __init__(self, target: Any, path: Path) -> None:
        self._target = target
        self._path = path
        self.failures = 0

    def cursor(self) -> FullDisk:
        return FullDisk(self._target.cursor(), self._path)

    def execute(self, sql: str, params: Any = ()) -> Any:
        statement = sql.strip().upper()
        if statement == "COMMIT":
            self._target.execute("ROLLBACK")  # DuckDB ends the failed transaction itself
            raise duckdb.TransactionException(
                f'TransactionContext Error: Failed to commit: Could not write file "{self._path}.wal": {NO_SPACE}'
            )
        if statement.startswith("DETACH"):
            self._target.execute(sql, params)  # detached, but the checkpoint of the copy failed
            raise duckdb.IOException(f"IO Error: Detached database, but CHECKPOINT during DETACH failed: {NO_SPACE}")
        return self._target.execute(sql, params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._target, name)


@pytest.fixture
def store(isolated_database: Path) -> Iterator[Store]:
    s = Store.open(isolated_database)
    yield s
    s.close()


def test_the_fake_full_disk_leaves_a_rollback_that_would_hide_the_cause(store: Store) -> None:
    """The fake is faithful: after its failed COMMIT a plain ROLLBACK fails, as it does on a real full disk."""
    cursor = FullDisk(store.con.cursor(), store.path)
    cursor.execute("BEGIN TRANSACTION")
    with pytest.raises(duckdb.TransactionException, match=NO_SPACE):
        cursor.execute("COMMIT")
    with pytest.raises(duckdb.TransactionException, match="no transaction is active"):
        cursor.execute("ROLLBACK")


def test_a_full_disk_at_commit_names_the_file_and_the_cause_and_writes_nothing(store: Store) -> None:
    before = counts(store)
    real = store.con
    store.con = FullDisk(real, store.path)  # type: ignore[assignment]
    with pytest.raises(db.StoreError) as info:
        store.reports.import_reports(
            ANNA, "inrapportering", of_format(store, "performance")[0], REPORTS.encode(), "r.csv", RECEIVED
        )
    message = str(info.value)
    assert NO_SPACE in message and str(store.path) in message and "no transaction" not in message
    assert "disken är full" in info.value.message_sv and str(store.path) in info.value.message_sv
    store.con = real
    assert counts(store) == before
    assert store.reports.reports(of_format(store, "performance")[0]) == []
    # The connection is not left inside a transaction: the same write succeeds once there is space.
    store.reports.import_reports(
        ANNA, "inrapportering", of_format(store, "performance")[0], REPORTS.encode(), "r.csv", RECEIVED
    )
    assert counts(store)["at_reports"] == before["at_reports"] + 2


def test_an_error_inside_a_write_is_not_hidden_by_a_failing_rollback(store: Store) -> None:
    before = counts(store)

    class Boom(Exception):
        pass

    with pytest.raises(Boom), store.transaction(ANNA, "test") as tx:
        tx.execute("INSERT INTO ombud (code, approved_on, recorded_at) VALUES ('09', DATE '2023-03-01', now())")
        tx.cursor.execute("ROLLBACK")  # the transaction is gone, as after a fatal error: ROLLBACK would fail
        raise Boom
    assert counts(store) == before


def test_a_full_disk_on_the_command_line_exits_3_with_the_cause(
    isolated_database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    Store.open(isolated_database).close()
    before = file_counts(isolated_database)
    original = Store.open.__func__  # type: ignore[attr-defined]

    def open_on_full_disk(cls: type[Store], *args: Any, **kwargs: Any) -> Store:
        opened = original(cls, *args, **kwargs)
        opened.con = FullDisk(opened.con, opened.path)  # type: ignore[assignment]
        return opened

    monkeypatch.setattr(Store, "open", classmethod(open_on_full_disk))
    reports = tmp_path / "r.csv"
    reports.write_text(REPORTS, encoding="utf-8")
    args = ["--db", str(isolated_database), "import-reports", str(reports), "--actor", "A", "--reason", "r"]
    args += ["--received", "2023-10-30"]
    status = cli.main([*args, "--round", file_rounds(isolated_database, "performance")[0]])
    out = capsys.readouterr()
    assert status == cli.EXIT_UNAVAILABLE == 3
    assert out.out == "" and "Traceback" not in out.err
    assert out.err.startswith("error: ") and NO_SPACE in out.err and str(isolated_database) in out.err
    monkeypatch.undo()
    assert file_counts(isolated_database) == before


def test_a_full_disk_during_a_migration_raises_the_cause_and_leaves_no_new_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ny" / "statsbidrag.duckdb"
    real_connect = db.connect
    monkeypatch.setattr(db, "connect", lambda p, read_only=False: FullDisk(real_connect(p, read_only), p))
    with pytest.raises(db.StoreError) as info:
        Store.open(path)
    assert NO_SPACE in str(info.value) and str(path) in str(info.value)
    assert "no transaction" not in str(info.value)
    assert not path.exists() and not path.with_name(path.name + ".wal").exists()  # an empty file would be refused


def test_migrate_rolls_back_and_raises_the_original_error(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "m.duckdb"))
    with pytest.raises(duckdb.TransactionException, match=NO_SPACE):
        db.migrate(FullDisk(con, tmp_path / "m.duckdb"))  # type: ignore[arg-type]
    assert db.schema_version(con) == 0
    assert counts(con) == {}  # nothing was left behind, not even the schema_version table
    con.close()


def file_rounds(path: Path, kind: str) -> list[str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return [
            r[0] for r in con.execute("SELECT DISTINCT id FROM rounds WHERE kind = ? ORDER BY id", [kind]).fetchall()
        ]
    finally:
        con.close()


# --- files that cannot be opened: exit 3 -----------------------------------------------------------------------


@pytest.mark.parametrize("size", [5_000, 1_000_000])
def test_a_truncated_database_is_refused_and_left_as_it_was(isolated_database: Path, tmp_path: Path, size: int) -> None:
    """5 kB fails when opening; 1 MB opens and fails at the first read (it gave an IOException traceback)."""
    Store.open(isolated_database).close()
    broken = tmp_path / "avkortad.duckdb"
    broken.write_bytes(isolated_database.read_bytes()[:size])
    before = digest(broken)
    result = run(broken, "init")
    refused(result, 3, str(broken), "damaged or truncated", "Could not read")
    assert digest(broken) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("avkortad")) == ["avkortad.duckdb"]


def test_a_file_that_is_no_database_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    foreign = tmp_path / "anteckningar.duckdb"
    foreign.write_text("inte en databas\n", encoding="utf-8")
    result = run(foreign, "init")
    refused(result, 3, str(foreign), "is not a DuckDB database")
    assert foreign.read_text(encoding="utf-8") == "inte en databas\n"


def test_a_database_in_a_folder_that_cannot_be_made_is_refused(tmp_path: Path) -> None:
    """As root a chmod'ed folder is writable: a regular file in the path gives a real OSError."""
    blocker = tmp_path / "fil"
    blocker.write_text("x", encoding="utf-8")
    nested = blocker / "under" / "statsbidrag.duckdb"
    refused(run(nested, "init"), 3, str(nested), "Not a directory")
    direct = blocker / "statsbidrag.duckdb"
    refused(run(direct, "init"), 3, str(direct), f"{blocker} is a file, not a folder")
    assert blocker.read_text(encoding="utf-8") == "x"


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_a_database_in_a_folder_where_no_file_can_be_created_is_refused() -> None:
    path = Path("/proc/statsbidrag-test.duckdb")
    refused(run(path, "init"), 3, str(path), "No such file or directory")


def test_the_dashboard_says_in_swedish_which_file_and_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "fil"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv(db.PATH_ENV, str(blocker / "statsbidrag.duckdb"))

    def page() -> None:
        from ui.state import session_or_stop

        session_or_stop()

    at = AppTest.from_function(page, default_timeout=60).run()
    assert not at.exception
    (error,) = at.error
    text = shown(error.value)  # file names are shown as plain text, escaped for markdown
    assert "Databasen kunde inte öppnas" in text
    assert str(blocker / "statsbidrag.duckdb") in text and "det är en fil, inte en mapp" in text


# --- backups ------------------------------------------------------------------------------------------------------


def test_quotes_in_the_database_and_backup_names_work(tmp_path: Path) -> None:
    source = tmp_path / "kopia \"A\" 'B'.duckdb"
    destination = tmp_path / "säkerhet" / "backup \"x\" 'y'.duckdb"
    assert run(source, "init").returncode == 0
    result = run(source, "backup", str(destination))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert file_counts(destination) == file_counts(source)
    assert sorted(p.name for p in destination.parent.iterdir()) == [destination.name]


def test_a_database_named_like_the_backup_alias_is_backed_up(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "backup_target_0.duckdb")
    try:
        copy = store.audit.backup(tmp_path / "kopia.duckdb")
        assert file_counts(copy) == counts(store)
    finally:
        store.close()


def test_a_backup_into_a_folder_that_cannot_be_made_exits_3_and_leaves_nothing(
    isolated_database: Path, tmp_path: Path
) -> None:
    Store.open(isolated_database).close()
    before = file_counts(isolated_database)
    blocker = tmp_path / "fil"
    blocker.write_text("x", encoding="utf-8")
    destination = blocker / "kopia.duckdb"
    refused(run(isolated_database, "backup", str(destination)), 3, str(destination), "is a file, not a folder")
    assert blocker.read_text(encoding="utf-8") == "x"
    assert file_counts(isolated_database) == before


def test_a_backup_on_a_full_disk_leaves_no_half_written_file(store: Store, tmp_path: Path) -> None:
    before = counts(store)
    folder = tmp_path / "kopior"
    destination = folder / "kopia.duckdb"
    real = store.con
    store.con = FullDisk(real, store.path)  # type: ignore[assignment]
    with pytest.raises(db.StoreError) as info:
        store.audit.backup(destination)
    store.con = real
    assert NO_SPACE in str(info.value) and str(destination) in str(info.value)
    assert "disken är full" in info.value.message_sv
    assert list(folder.iterdir()) == []  # neither the destination nor the temporary copy or its WAL
    assert counts(store) == before
    store.audit.backup(destination)  # with space again: the attachment was released, the same name works
    assert file_counts(destination) == before


# --- rounds of the wrong kind: exit 2 ----------------------------------------------------------------------------


def test_reports_into_a_fixed_amount_round_or_an_unknown_round_exit_2(isolated_database: Path, tmp_path: Path) -> None:
    Store.open(isolated_database).close()
    before = file_counts(isolated_database)
    performance, fixed = file_rounds(isolated_database, "performance"), file_rounds(isolated_database, "fixed")
    assert performance and fixed
    reports = tmp_path / "r.csv"
    reports.write_text(REPORTS, encoding="utf-8")
    common = ["--actor", "A", "--reason", "r"]
    wrong = run(isolated_database, "import-reports", str(reports), "--round", fixed[0], *common)
    refused(wrong, 2, f"round '{fixed[0]}' takes no reports", "rounds that take reports", *performance)
    dry = run(isolated_database, "import-reports", str(reports), "--round", fixed[0], "--dry-run", *common)
    refused(dry, 2, "takes no reports")
    unknown = run(isolated_database, "import-reports", str(reports), "--round", "finns-inte", *common)
    refused(unknown, 2, "unknown round 'finns-inte'", *performance)
    requisitions = tmp_path / "q.csv"
    requisitions.write_text("region;received;amount;reference\nGotland;2023-05-02;1000;R-1\n", encoding="utf-8")
    wrong_q = run(isolated_database, "import-requisitions", str(requisitions), "--round", performance[0], *common)
    refused(
        wrong_q, 2, f"round '{performance[0]}' is a round paid by decision", "round paid on requisition such as", *fixed
    )
    assert file_counts(isolated_database) == before


def test_recording_into_a_round_of_the_wrong_kind_is_refused_in_swedish(store: Store) -> None:
    before = counts(store)
    fixed, performance = store.rounds.requisition_round_ids()[0], of_format(store, "performance")[0]
    with pytest.raises(WriteRefused) as info:
        store.reports.record_report(ANNA, "test", fixed, positions("09", 1, 1, received=date(2023, 10, 1)))
    shown = info.value.message_sv  # the rounds by their titles, never their ids
    assert "tar inte emot rapporter" in shown and "”AT-tjänster 2023”" in shown and fixed not in shown
    with pytest.raises(WriteRefused) as info:
        store.followup.record_requisition(ANNA, "test", performance, Requisition("09", date(2023, 5, 2), 1_000, "R"))
    assert "betalas ut enligt beslut" in info.value.message_sv and fixed in info.value.message_sv
    with pytest.raises(WriteRefused, match=f"round '{performance}' is a round paid by decision; official amounts"):
        store.followup.import_official_amounts(ANNA, "test", performance, b"region,amount\n09,1\n", "b.csv", "Dnr 1")
    with pytest.raises(WriteRefused, match="unknown round"):
        store.followup.import_requisitions(
            ANNA, "test", "finns-inte", b"region,received,amount\n09,2023-05-02,1\n", "q.csv"
        )
    assert counts(store) == before


def test_a_database_failure_during_a_page_shows_its_swedish_cause(
    isolated_database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails in the database (e.g. a full disk) is said in Swedish on the page, no traceback."""
    from streamlit.testing.v1 import AppTest

    from store.db import StoreError
    from store.session import AuditView

    def full_disk(*args: object, **kwargs: object) -> None:
        raise StoreError("disk full", "Databasen kunde inte skrivas: disken är full. Inget av ändringen sparades.")

    monkeypatch.setattr(AuditView, "audit", full_disk)
    at = AppTest.from_file("../app.py", default_timeout=60).run()
    at.switch_page("pages/data/import_export.py").run()
    at.session_state["flik"] = "Granskningslogg"
    at.run()
    assert not at.exception
    assert any("disken är full" in e.value for e in at.error)
