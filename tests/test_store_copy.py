"""``python -m store copy --to postgresql://…``: a DuckDB store's whole content into an empty PostgreSQL database.

Real servers on both sides (a DuckDB file, a fresh database in the throwaway cluster); what is compared is what
the service layer returns from each. The organisation and bankgiro numbers are made up (Luhn-completed digits).
"""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest

from ingest.payment_details import luhn_ok
from store import db, demo, transfer
from store.cli import main
from store.model import Actor, Requisition, User
from store.service import Store
from tests.report_helpers import positions
from tests.scenario_helpers import at_what_if, save_2023_row

NEWEST = len(db.migrations())  # the schema version a new store has

ANNA = Actor("Anna")
AT = "at-2023"
ELDERLY = "elderly-2023"


def cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main(list(args))
    return status, out.getvalue(), err.getvalue()


def complete(body: str) -> str:
    return next(body + d for d in "0123456789" if luhn_ok(body + d))


def real_store(path: Path) -> Store:
    """Users, a scenario, AT reports, a decision, payment details, payment runs of both kinds, the elderly
    round's official table, ombud, a requisition and a usage report: every table but example_data."""
    s = Store.open(path)
    s.users.save_user(ANNA, "ny handläggare", User("anna@myndighet.se", "Anna Å", "handläggare"))
    s.users.save_user(ANNA, "ny regionanvändare", User("ulla@region.se", "Ulla Ö", "region", "03"))
    gotland = [positions("09", 19, 18)]
    save_2023_row(s, ANNA, "test", "Bakgrund 252", AT, pot=252_000_000, reports=gotland, note="50 % – «citat»")
    what_if = at_what_if(s, AT, pot=252_000_000, reports=gotland)
    s.scenarios.save_what_if(ANNA, "test", "Bakgrund 252 (block)", AT, what_if, note="50 % – «citat»")
    recipients = s.rounds.recipients(AT)
    rows = ["region;filled;started"] + [f"{r.code};{20 + 3 * n};{20 + 3 * n}" for n, r in enumerate(recipients)]
    s.reports.import_reports(ANNA, "rapporter", AT, "\n".join(rows).encode(), "r.csv", date(2023, 10, 30))
    s.decisions.decide_round(ANNA, "beslut", AT, "S2023/00001", date(2023, 12, 1), confirmed=True)
    for i, r in enumerate(recipients):
        s.bank_details.save_payment_details(
            ANNA, "från regionen", r.code, complete(f"23{i % 8 + 2}{i:06d}"), complete(f"9{i:06d}")
        )
    s.payments.record_payment_run(ANNA, "utbetalning", AT, date(2023, 12, 15), "UB-1")
    s.reports.import_reports(
        ANNA, "rättelse", AT, f"region;filled;started\n{recipients[-1].code};0;0".encode(), "r2.csv", date(2023, 10, 30)
    )
    s.decisions.decide_round(ANNA, "ändring", AT, "S2023/00002", date(2023, 12, 20), supersedes=1, confirmed=True)
    owed = s.payments.payout_list(AT).recoveries[0]
    s.payments.record_recovery(ANNA, "återbetalt", AT, owed.code, date(2024, 1, 10), owed.amount, "ÅK-1")
    estimate = {code: amount for code, (amount, _, _) in s.rounds.fixed_amounts(ELDERLY).items()}
    table = "region;amount\n" + "\n".join(f"{c};{a}" for c, a in estimate.items())
    s.followup.import_official_amounts(ANNA, "tabell", ELDERLY, table.encode(), "bilaga.csv", "test: påhittad tabell")
    for code in ("09", "08"):
        s.followup.record_ombud(ANNA, "ombud", code, date(2023, 2, 1))
    s.followup.record_requisition(ANNA, "rekv", ELDERLY, Requisition("09", date(2023, 3, 1), 1_000_000, "R-1"))
    s.followup.record_requisition(ANNA, "rekv", ELDERLY, Requisition("08", date(2023, 5, 1), 2_000_000, "R-2"))
    s.followup.record_usage_report(ANNA, "redovisning", ELDERLY, "09", date(2023, 11, 1), "D-1")
    s.payments.record_payment_run(ANNA, "utbetalning", ELDERLY, date(2023, 4, 1), "UB-2")
    return s


def seen(s: Store) -> dict[str, Any]:
    """What the service layer returns, for comparing two stores."""
    decisions = s.decisions.decision_list()
    return {
        "reports": s.reports.reports(AT),
        "requisitions": s.followup.requisitions(ELDERLY),
        "payouts": (s.followup.payouts(AT), s.followup.payouts(ELDERLY)),
        "decisions": [(d.id, d.kind, d.reference, d.content_hash) for d in decisions],
        "snapshot_hashes": [s.decisions.decision_snapshot(d.id).content_hash for d in decisions],
        "audit_count": s.audit.audit_count(),
        "audit_newest": s.audit.audit(limit=20).to_dict("records"),
        "payment_runs": (s.payments.payment_runs(AT), s.payments.payment_runs(ELDERLY)),
        "recoveries": s.payments.recoveries(AT),
        "payment_details": s.bank_details.payment_details(),
        "users": s.users.users(),
        "scenarios": [(x.name, x.author, x.created, x.what_if, x.note) for x in s.scenarios.scenarios()],
        "fixed_amounts": s.rounds.fixed_amounts(ELDERLY),
        "ombud": s.followup.ombud_dates(),
        "usage": s.followup.usage_report_dates(ELDERLY),
        "example_rounds": demo.example_rounds(s),
        "rounds": s.query("SELECT id, version, saved_seq, rules_toml FROM rounds ORDER BY id, version"),
    }


def store_tables(url: str) -> list[str]:
    with psycopg.connect(url) as con:
        rows = con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        ).fetchall()
    return sorted(r[0] for r in rows)


def test_a_store_is_copied_whole_verified_and_its_sequences_go_on(
    isolated_database: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = real_store(isolated_database)
    counts = {t: source.query(f"SELECT count(*) FROM {t}")[0][0] for t in transfer.source_tables(source.con)}
    expected = seen(source)
    source.close()
    assert [t for t, n in counts.items() if not n] == ["example_data"]  # (the demo test fills that one)

    status, out, err = cli("--db", str(isolated_database), "copy", "--to", pg_url)
    assert status == 0, err
    with capsys.disabled():
        print("\n" + out)
    lines = out.splitlines()
    assert lines[0].split() == ["table", "rows", "checksum"]
    table = {line.split()[0]: line.split()[1:] for line in lines[1:-1]}
    assert set(table) == set(counts) and all(cells[1] == "ok" for cells in table.values())
    assert {t: int(cells[0]) for t, cells in table.items()} == counts
    assert "verified, committed" in lines[-1] and "audit_seq" in lines[-1]

    target = Store.open(pg_url)
    try:
        assert target.shared
        assert seen(target) == expected
        # The sequences are past the copied ids: new rows get fresh ones.
        top_audit = target.query("SELECT max(id) FROM audit_log")[0][0]
        top_requisition = target.query("SELECT max(id) FROM requisitions")[0][0]
        target.followup.record_requisition(ANNA, "rekv", ELDERLY, Requisition("08", date(2023, 6, 1), 1_000, "R-3"))
        new = target.query("SELECT id FROM requisitions WHERE reference = 'R-3'")[0][0]
        assert new > top_requisition
        assert target.query("SELECT min(id) FROM audit_log WHERE id > ?", [top_audit])[0][0] == top_audit + 1
    finally:
        target.close()

    # A second copy into the (now non-empty) target is refused, naming why; nothing changes.
    status, out, err = cli("--db", str(isolated_database), "copy", "--to", pg_url)
    assert status == 2 and out == ""
    assert "not empty" in err and f"schema_version ({NEWEST} rows)" in err and "Traceback" not in err
    with pytest.raises(transfer.CopyRefused):
        transfer.copy_store(isolated_database, pg_url)
    again = Store.open(pg_url)
    assert again.query("SELECT count(*) FROM requisitions")[0][0] == counts["requisitions"] + 1
    again.close()


def test_a_mismatch_rolls_everything_back_then_example_data_copies(
    isolated_database: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = Store.open(isolated_database)
    demo.load(source, ANNA, "exempel")
    expected = seen(source)
    examples = demo.example_counts(source)
    source.close()
    assert expected["example_rounds"] and all(examples.values())

    read_back = transfer.fetch_target

    def altered(cur: Any, table: str, columns: list[str]) -> list[tuple[Any, ...]]:
        rows = read_back(cur, table, columns)
        if table == "requisitions":  # one kronor more in one row, as if the copy had changed it
            at = columns.index("amount")
            rows[0] = (*rows[0][:at], rows[0][at] + 1, *rows[0][at + 1 :])
        return rows

    monkeypatch.setattr(transfer, "fetch_target", altered)
    status, out, err = cli("--db", str(isolated_database), "copy", "--to", pg_url)
    assert status == 3, err
    (bad,) = [line for line in out.splitlines() if "MISMATCH" in line]
    assert bad.startswith("requisitions ")
    assert "NOT verified, rolled back" in out and "requisitions: not the same" in err
    assert store_tables(pg_url) == []  # as it was: empty (the migrations were rolled back too)

    monkeypatch.setattr(transfer, "fetch_target", read_back)
    result = transfer.copy_store(isolated_database, pg_url)
    assert result.ok and result.version == NEWEST and "example_data" in {t.name for t in result.tables}
    target = Store.open(pg_url)
    try:
        assert seen(target) == expected
        assert demo.example_counts(target) == examples
    finally:
        target.close()


def test_refusals_name_the_reason(isolated_database: Path, tmp_path: Path, pg_url: str) -> None:
    missing = tmp_path / "none.duckdb"
    status, _, err = cli("--db", str(missing), "copy", "--to", pg_url)
    assert status == 3 and "no DuckDB file" in err
    status, _, err = cli("--db", str(isolated_database), "copy", "--to", str(tmp_path / "x.duckdb"))
    assert status == 2 and "postgresql:// URL" in err
    status, _, err = cli("--db", pg_url, "copy", "--to", pg_url)
    assert status == 2 and "DuckDB file" in err
    Store.open(isolated_database).close()
    unreachable = "postgresql://statsbidrag:hemligt@/nope?host=/nonexistent-socket-dir"
    status, _, err = cli("--db", str(isolated_database), "copy", "--to", unreachable)
    assert status == 3 and "hemligt" not in err and "statsbidrag:***@" in err and "Traceback" not in err
    assert store_tables(pg_url) == []


def test_the_checksum_is_the_rows_not_their_order() -> None:
    rows = [(2, "03", None, True, date(2023, 1, 2)), (1, "3", '{"a": 1}', False, date(2023, 1, 1))]
    assert transfer.checksum(rows, [0]) == transfer.checksum(list(reversed(rows)), [0])
    assert transfer.checksum(rows, [1]) == transfer.checksum(list(reversed(rows)), [1])
    assert transfer.checksum(rows, [0])[1] != transfer.checksum([rows[0], (*rows[1][:3], True, rows[1][4])], [0])[1]
    assert [transfer.cell(v) for v in rows[0]] == ["2", "03", None, "true", "2023-01-02"]


def test_a_file_at_an_older_schema_is_copied_at_its_version_and_upgraded_on_opening(
    isolated_database: Path, pg_url: str
) -> None:
    Store.open(isolated_database, migrate_to=7).close()
    result = transfer.copy_store(isolated_database, pg_url)
    assert result.ok and result.version == 7 and "store_generation" not in {t.name for t in result.tables}
    target = Store.open(pg_url)
    try:
        assert target.query("SELECT max(version) FROM schema_version")[0][0] == NEWEST
        assert target.query("SELECT generation FROM store_generation")[0][0] >= 0
    finally:
        target.close()
