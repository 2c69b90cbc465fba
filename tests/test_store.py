"""The DuckDB store: seeding, migrations, imports (all or nothing), persistence, audit, exports."""

from __future__ import annotations

import io
import json
from datetime import date
from fractions import Fraction
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from allocation.problems import InputError
from allocation.whatif import WhatIf
from ingest.data_folder import load_block_round
from present.problems import problem_sv
from store import db
from store.export import export_scenario, export_table
from store.model import Actor, WriteRefused
from store.reports import Reports
from store.seed import seed_from_data
from store.service import Store
from tests.report_helpers import positions
from tests.scenario_helpers import at_what_if, save_2023_row

RECEIVED = date(2023, 10, 30)  # the day the reports arrived: always explicit
ANNA = Actor("Anna Andersson")
REPORTS = (
    "region,filled,started,excluded,planned\n"
    "Gotland,19,18,0,\n"
    "Norrbottn,58,56,1,\n"
    "Västra Götalands län,262,258,2,\n"
    "14 ,1,1,0,\n"
).replace("14 ,1,1,0,\n", "Jämtland,30,28,0,1-5\n")


@pytest.fixture
def store(store_target: Path | str) -> Store:
    s = Store.open(store_target)
    yield s
    s.close()


def test_first_start_creates_and_seeds_then_a_second_start_changes_nothing(store_target: Path | str) -> None:
    first = Store.open(store_target)
    entries = first.audit.audit_count()
    assert entries == 21 + 21 + 2 + 21 + 21  # regions, population, two rounds, planned positions, estimates
    first.close()
    second = Store.open(store_target)
    assert second.audit.audit_count() == entries
    assert seed_from_data(second) == 0
    second.close()


def test_the_store_round_is_the_rules_file_round(store: Store) -> None:
    assert store.rounds.block_round("at-2023") == load_block_round("at-2023")
    assert store.rounds.planned_table("at-2023")["25"] == "51"
    assert store.rounds.round_ids() == ["at-2023", "elderly-2023"]
    assert store.rounds.requisition_round_ids() == ["elderly-2023"]


def test_default_path_is_in_var_and_set_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(db.PATH_ENV)
    assert db.db_path() == db.ROOT / "var" / "statsbidrag.duckdb"
    monkeypatch.setenv(db.PATH_ENV, "/tmp/elsewhere.duckdb")
    assert db.db_path() == Path("/tmp/elsewhere.duckdb")


@pytest.fixture
def duckdb_store(isolated_database: Path) -> Store:
    """A store on the embedded engine, for what only a DuckDB file has (memory limit, file backups)."""
    return Store.open(isolated_database)


def test_memory_limit_is_set(duckdb_store: Store) -> None:
    store = duckdb_store
    (limit,) = store.query("SELECT current_setting('memory_limit')")[0]
    assert limit.endswith(("MiB", "GiB")) and not limit.startswith("0")
    assert limit == "953.6 MiB"  # 1GB, the default of STATSBIDRAG_DB_MEMORY


def test_an_older_file_is_upgraded_never_wiped(store_target: Path | str) -> None:
    old = Store.open(store_target, migrate_to=1)  # as written by the first version
    assert db.schema_version(old.con) == 1
    # A value changed by staff (not from the planning file) must survive the upgrade and the re-seed.
    old.con.execute("UPDATE planned_positions SET planned = '14-18', source = 'staff' WHERE code = '09'")
    entries = old.audit.audit_count()
    old.close()
    new = Store.open(store_target)
    assert db.schema_version(new.con) == len(db.migrations()) == 10
    # Seeding added only what the new schema holds (the elderly-care estimate), nothing else.
    assert new.audit.audit_count() == entries + 21
    assert new.rounds.planned_table("at-2023")["09"] == "14-18"  # a staff value is kept, not overwritten by the file
    assert new.reports.reports("at-2023") == []
    new.close()


def test_a_file_from_a_newer_program_is_refused(isolated_database: Path) -> None:
    Store.open(isolated_database).close()
    con = duckdb.connect(str(isolated_database))
    con.execute("INSERT INTO schema_version VALUES (99, 'future', now())")
    con.close()
    with pytest.raises(db.StoreError, match="newer"):
        Store.open(isolated_database)


def test_data_survives_a_restart(store_target: Path | str) -> None:
    store = Store.open(store_target)
    reports = [positions("09", 19, 18), positions("14", 262, 258, 2, Fraction(5, 2))]
    what_if = at_what_if(store, "at-2023", pot=252_000_000, reports=reports)
    store.scenarios.save_what_if(ANNA, "test", "Bakgrundspotten", "at-2023", what_if, note="252 MSEK")
    save_2023_row(store, ANNA, "test", "Sparat 2023", "at-2023", pot=252_000_000, reports=reports, note="252 MSEK")
    store.reports.record_report(ANNA, "test", "at-2023", positions("25", 58, 56, 1, received=date(2023, 10, 30)))
    store.close()
    reopened = Store.open(store_target)
    scenario = reopened.scenarios.scenario("Bakgrundspotten")
    assert scenario is not None
    assert (scenario.what_if, scenario.note, scenario.author) == (what_if, "252 MSEK", ANNA.name)
    assert what_if.pots == {"performance": "bakgrund"} and what_if.values["planned"] == {"14": Fraction(5, 2)}
    old = reopened.scenarios.scenario("Sparat 2023")  # saved in the 2023 format: opens as the same what-if
    assert old is not None and (old.what_if, old.note, old.author) == (what_if, "252 MSEK", ANNA.name)
    assert reopened.reports.reports("at-2023") == [positions("25", 58, 56, 1, received=date(2023, 10, 30))]
    reopened.close()


def test_a_row_saved_in_the_2023_format_opens_as_the_what_if_it_stood_for(store: Store) -> None:
    """Pinned by a literal row as the store wrote it before the what-if format, and the what-if spelled out
    (not built by the reader's own conversion): a pot named by an option stays that option, a step amount applies
    to the rules' step of its threshold, the key is kept, and each region's counts and own planned figure are
    its values."""
    params = {
        "pot": 252_000_000,
        "pot_source": "bakgrund",
        "steps": [[2, 2_000_000], [3, 3_500_000], [5, 5_000_000], [7, 8_000_000], [10, 12_000_000]],
        "key": "expansion",
        "per_inhabitants": 100_000,
    }
    inputs = [
        {"code": "03", "filled": 12, "started": 10, "excluded": 1, "planned": "2.5"},
        {"code": "09", "filled": 0, "started": 3, "excluded": 0, "planned": None},
    ]
    version = store.rounds.block_round("at-2023").version
    store.scenarios.write_scenario(ANNA, "test", "Gammalt", "at-2023", version, params, inputs, "", False)
    scenario = store.scenarios.scenario("Gammalt")
    assert scenario is not None
    assert scenario.what_if == WhatIf(
        pots={"performance": "bakgrund"},
        steps={"performance": (2_000_000, 3_500_000, 5_000_000, 8_000_000, 12_000_000)},
        values={
            "filled": {"03": 12, "09": 0},
            "started": {"03": 10, "09": 3},
            "excluded": {"03": 1, "09": 0},
            "planned": {"03": Fraction(5, 2)},
        },
        events={},
        keys={"performance": "expansion"},
    )


def test_import_writes_every_row_with_an_audit_entry_each(store: Store) -> None:
    before = store.audit.audit_count()
    result = store.reports.import_reports(
        ANNA, "Inrapportering 2023", "at-2023", REPORTS.encode(), "rapporter.csv", RECEIVED
    )
    assert (result.rows, result.changed, result.unchanged) == (4, 4, 0)
    assert store.audit.audit_count() == before + 4
    reports = {r.code: r for r in store.reports.reports("at-2023")}
    assert reports["23"].planned == 3
    assert reports["25"] == positions("25", 58, 56, 1, received=RECEIVED)
    log = store.audit.audit(limit=4)
    assert set(log["actor"]) == {ANNA.name}
    assert set(log["reason"]) == {"Inrapportering 2023"}
    assert json.loads(log[log["entity_key"] == "at-2023/09"]["after"].iloc[0])["filled"] == 19


def test_reimporting_the_same_file_changes_nothing(store: Store) -> None:
    store.reports.import_reports(ANNA, "first", "at-2023", REPORTS.encode(), "rapporter.csv", RECEIVED)
    entries = store.audit.audit_count()
    again = store.reports.import_reports(ANNA, "again", "at-2023", REPORTS.encode(), "rapporter.csv", RECEIVED)
    assert (again.changed, again.unchanged) == (0, 4)
    assert store.audit.audit_count() == entries


def test_a_changed_row_is_written_with_before_and_after(store: Store) -> None:
    store.reports.import_reports(ANNA, "first", "at-2023", REPORTS.encode(), "v1.csv", RECEIVED)
    changed = REPORTS.replace("Gotland,19,18", "Gotland,21,18").encode()
    result = store.reports.import_reports(ANNA, "correction", "at-2023", changed, "v2.csv", RECEIVED, dry_run=True)
    assert (result.changed, result.unchanged) == (1, 3)
    store.reports.import_reports(ANNA, "correction", "at-2023", changed, "v2.csv", RECEIVED)
    entry = store.audit.audit(limit=1).iloc[0]
    assert (entry["action"], entry["entity_key"]) == ("update", "at-2023/09")
    assert json.loads(entry["before"])["filled"] == 19 and json.loads(entry["after"])["filled"] == 21


def test_a_bad_file_writes_nothing_and_lists_every_problem(store: Store) -> None:
    before = store.audit.audit_count()
    bad = "region;filled;started\nGotland;19;18\nAtlantis;1;2\nSkåne;-1;abc\n".encode()
    with pytest.raises(InputError) as info:
        store.reports.import_reports(ANNA, "test", "at-2023", bad, "bad.csv", RECEIVED)
    assert [(p.row, p.column) for p in info.value.problems] == [(3, "region"), (4, "filled"), (4, "started")]
    assert "rad 3, kolumn region: okänd region" in problem_sv(info.value.problems[0])
    assert store.audit.audit_count() == before
    assert store.reports.reports("at-2023") == []


def test_a_failure_half_way_through_an_import_leaves_the_database_as_it_was(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.reports.import_reports(
        ANNA, "first", "at-2023", b"region,filled,started\nKalmar,52,50\n", "first.csv", RECEIVED
    )
    reports, entries = store.reports.reports("at-2023"), store.audit.audit_count()
    original = Reports.write_report
    calls = {"n": 0}

    def failing(self: Reports, *args: object, **kwargs: object) -> bool:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full (injected)")
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Reports, "write_report", failing)
    with pytest.raises(OSError, match="injected"):
        store.reports.import_reports(ANNA, "second", "at-2023", REPORTS.encode(), "second.csv", RECEIVED)
    assert calls["n"] == 3  # two rows were written inside the transaction before the failure
    assert store.reports.reports("at-2023") == reports
    assert store.audit.audit_count() == entries


@pytest.mark.parametrize(("actor", "reason"), [(Actor(""), "why"), (Actor("  "), "why"), (ANNA, " ")])
def test_every_write_needs_an_actor_and_a_reason(store: Store, actor: Actor, reason: str) -> None:
    with pytest.raises(WriteRefused) as info:
        store.reports.record_report(actor, reason, "at-2023", positions("09", 1, 1, received=date(2023, 1, 1)))
    assert info.value.message_sv.startswith("Ange")


def test_scenario_names_are_unique_unless_overwritten(store: Store) -> None:
    plan = at_what_if(store, "at-2023")
    store.scenarios.save_what_if(ANNA, "test", "Bas", "at-2023", plan)
    with pytest.raises(WriteRefused, match="exists"):
        store.scenarios.save_what_if(ANNA, "test", "Bas", "at-2023", plan)
    gotland = at_what_if(store, "at-2023", reports=[positions("09", 20, 20)])
    updated = store.scenarios.save_what_if(ANNA, "test", "Bas", "at-2023", gotland, overwrite=True)
    assert updated.what_if == gotland and updated.what_if.values["filled"] == {"09": 20}
    assert [s.name for s in store.scenarios.scenarios()] == ["Bas"]
    assert store.scenarios.delete_scenario(ANNA, "cleanup", "Bas")
    assert store.scenarios.scenario("Bas") is None
    assert list(store.audit.audit(limit=3)["action"]) == ["delete", "update", "insert"]


def test_requisitions_import_is_validated_and_idempotent(store: Store) -> None:
    store.followup.record_ombud(ANNA, "ombud godkänt", "09", date(2023, 3, 1))
    data = "region;received;amount;reference\nGotland;2023-05-02;1 000 000;R-1\n09;2023-06-01;250000;R-2\n"
    result = store.followup.import_requisitions(ANNA, "e-tjänsten", "elderly-2023", data.encode(), "rekv.csv")
    assert (result.changed, result.unchanged) == (2, 0)
    again = store.followup.import_requisitions(ANNA, "e-tjänsten", "elderly-2023", data.encode(), "rekv.csv")
    assert (again.changed, again.unchanged) == (0, 2)
    frame = store.followup.requisitions_frame("elderly-2023")
    assert frame["amount"].tolist() == [1_000_000, 250_000]
    bad = b"region,received,amount\nGotland,31/10/2023,10\nGotland,2023-10-31,1.5\n"
    with pytest.raises(InputError) as info:
        store.followup.import_requisitions(ANNA, "x", "elderly-2023", bad, "bad.csv")
    assert [p.code for p in info.value.problems] == ["not_a_date", "not_whole"]
    with pytest.raises(WriteRefused):
        store.followup.import_requisitions(ANNA, "x", "nope-2023", data.encode(), "rekv.csv")


def test_payouts_ombud_and_usage_reports_are_audited(store: Store) -> None:
    before = store.audit.audit_count()
    store.followup.record_payout(ANNA, "utbetalning", "elderly-2023", "09", date(2023, 6, 1), 1_500_000)
    assert store.followup.record_ombud(ANNA, "ombud godkänt", "09", date(2023, 3, 1))
    assert not store.followup.record_ombud(ANNA, "samma igen", "09", date(2023, 3, 1))
    assert store.followup.record_usage_report(ANNA, "inkommen", "elderly-2023", "09", date(2024, 4, 2), "Dnr 1")
    assert store.audit.audit_count() == before + 3
    with pytest.raises(WriteRefused):
        store.followup.record_payout(ANNA, "fel", "elderly-2023", "09", date(2023, 6, 1), -1)


def test_xlsx_export_of_a_table_explains_itself(store: Store) -> None:
    store.reports.import_reports(ANNA, "test", "at-2023", REPORTS.encode(), "rapporter.csv", RECEIVED)
    workbook = load_workbook(io.BytesIO(export_table(store, "at_reports", "xlsx")))
    assert workbook.sheetnames == ["at_reports", "Om uttaget"]
    about = {row[0].value: row[1].value for row in workbook["Om uttaget"].iter_rows(min_row=2)}
    assert about["Rader"] == "4"
    assert "version 1.2.0" in about["Regelfil"]
    assert about["Befolkningsdatum"].startswith("2022-11-01")
    csv_text = export_table(store, "at_reports", "csv").decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("round_id;code;filled;started")


def test_xlsx_export_of_a_result_has_the_figures_and_the_method(store: Store) -> None:
    what_if = at_what_if(store, "at-2023", reports=[positions("09", 19, 18), positions("01", 290, 283)])
    store.scenarios.save_what_if(Actor("Anna"), "test", "Två", "at-2023", what_if)
    scenario = store.scenarios.scenario("Två")
    assert scenario is not None
    sheet = load_workbook(io.BytesIO(export_scenario(store, scenario, "xlsx")))
    data = sheet["Fördelning"]
    header = [c.value for c in data[1]]
    rows = {row[0]: row for row in data.iter_rows(min_row=2, values_only=True) if row[0]}
    totals = {code: row[header.index("totalt (kr)")] for code, row in rows.items()}
    # The leftover goes by expansion per 100 000 inhabitants: Gotland's is the larger; the rest reported nothing.
    assert totals["09"] > totals["01"] > 0 and all(v == 0 for c, v in totals.items() if c not in ("01", "09"))
    last = [c.value for c in data[data.max_row]]
    assert last[1] == "Summa" and last[header.index("totalt (kr)")] == sum(totals.values()) == 254_000_000
    labels = [row[0].value for row in sheet["Om uttaget"].iter_rows(min_row=2)]
    assert len(labels) == len(set(labels)), labels  # each fact once (the population date, the rules file)
    about = {row[0].value: row[1].value for row in sheet["Om uttaget"].iter_rows(min_row=2)}
    assert "254 000 000 kr" in about["Pott"].replace("\u00a0", " ")
    assert "största-rest" in about["Avrundning"]


def test_a_postgresql_store_is_backed_up_with_pg_dump_not_from_the_dashboard(pg_url: str, tmp_path: Path) -> None:
    store = Store.open(pg_url)
    with pytest.raises(WriteRefused) as refused:
        store.audit.backup(tmp_path / "copy.duckdb")
    assert "pg_dump" in refused.value.message_sv and not any(tmp_path.iterdir())


def test_backup_is_a_complete_copy(duckdb_store: Store, tmp_path: Path) -> None:
    store = duckdb_store
    store.reports.import_reports(ANNA, "test", "at-2023", REPORTS.encode(), "rapporter.csv", RECEIVED)
    target = store.audit.backup(tmp_path / "backup" / "copy.duckdb")
    copy = Store.open(target)
    assert copy.reports.reports("at-2023") == store.reports.reports("at-2023")
    assert copy.audit.audit_count() == store.audit.audit_count()
    copy.close()
    with pytest.raises(WriteRefused):
        store.audit.backup(target)


def test_elderly_amounts_start_as_a_labelled_estimate_summing_to_the_total(store: Store) -> None:
    amounts = store.rounds.fixed_amounts("elderly-2023")
    assert len(amounts) == 21
    assert sum(a for a, _, _ in amounts.values()) == 298_500_000
    assert {basis for _, basis, _ in amounts.values()} == {"estimate"}
    assert all(source.startswith("UPPSKATTNING") for _, _, source in amounts.values())


def _official(store: Store, shift: int = 0) -> bytes:
    amounts = store.rounds.fixed_amounts("elderly-2023")
    lines = ["region;amount"] + [f"{code};{a + (shift if code == '01' else 0)}" for code, (a, _, _) in amounts.items()]
    return "\n".join(lines).encode()


def test_an_official_table_that_sums_wrongly_is_refused_with_the_difference(store: Store) -> None:
    with pytest.raises(InputError) as info:
        store.followup.import_official_amounts(
            ANNA, "bilaga 1", "elderly-2023", _official(store, 1_000), "b1.csv", "IV:6"
        )
    (problem,) = info.value.problems
    assert problem.code == "wrong_sum"
    assert "1\u00a0000\u00a0kr för mycket" in problem_sv(problem)
    assert {basis for _, basis, _ in store.rounds.fixed_amounts("elderly-2023").values()} == {"estimate"}


def test_the_official_table_replaces_the_estimate_and_records_its_source(store: Store) -> None:
    result = store.followup.import_official_amounts(
        ANNA, "bilaga 1", "elderly-2023", _official(store), "bilaga1.xlsx", "Regeringsbeslut 2022-12-22 IV:6"
    )
    assert result.changed == 21
    amounts = store.rounds.fixed_amounts("elderly-2023")
    assert {basis for _, basis, _ in amounts.values()} == {"official"}
    assert amounts["09"][2] == "Regeringsbeslut 2022-12-22 IV:6 (fil: bilaga1.xlsx)"
    seed_from_data(store)  # a later start never puts the estimate back
    assert {basis for _, basis, _ in store.rounds.fixed_amounts("elderly-2023").values()} == {"official"}


def test_a_requisition_above_the_maximum_or_without_ombud_is_refused_with_the_reason(store: Store) -> None:
    from allocation.fixed import Requisition

    top = store.rounds.fixed_amounts("elderly-2023")["09"][0]
    with pytest.raises(WriteRefused) as info:
        store.followup.record_requisition(
            ANNA, "e-tjänsten", "elderly-2023", Requisition("09", date(2023, 5, 2), 1_000)
        )
    assert "inget godkänt ombud" in info.value.message_sv
    store.followup.record_ombud(ANNA, "ombud godkänt", "09", date(2023, 3, 1))
    assert store.followup.record_requisition(
        ANNA, "e-tjänsten", "elderly-2023", Requisition("09", date(2023, 5, 2), top - 10)
    )
    with pytest.raises(WriteRefused) as info:
        store.followup.record_requisition(ANNA, "e-tjänsten", "elderly-2023", Requisition("09", date(2023, 6, 2), 11))
    assert "överstiger regionens högsta belopp" in info.value.message_sv
    assert store.followup.record_requisition(
        ANNA, "e-tjänsten", "elderly-2023", Requisition("09", date(2023, 6, 2), 10)
    )


def test_review_findings_bad_codes_large_numbers_and_official_below_requisitioned(store: Store) -> None:
    from allocation.fixed import Requisition

    with pytest.raises(WriteRefused, match="unknown region"):
        store.reports.record_report(ANNA, "test", "at-2023", positions("99", 1, 1, received=date(2023, 1, 1)))
    with pytest.raises(InputError) as info:
        store.reports.import_reports(
            ANNA, "test", "at-2023", b"region,filled,started\n01,3000000000,1\n", "big.csv", RECEIVED
        )
    assert info.value.problems[0].code == "too_large"
    store.followup.record_ombud(ANNA, "ombud", "09", date(2023, 2, 1))
    store.followup.record_requisition(
        ANNA, "e-tjänsten", "elderly-2023", Requisition("09", date(2023, 5, 2), 1_700_000)
    )
    amounts = {code: a for code, (a, _, _) in store.rounds.fixed_amounts("elderly-2023").items()}
    amounts["09"], amounts["01"] = 1_000_000, amounts["01"] + amounts["09"] - 1_000_000
    table = "region;amount\n" + "\n".join(f"{c};{a}" for c, a in amounts.items())
    with pytest.raises(InputError) as info:
        store.followup.import_official_amounts(ANNA, "bilaga 1", "elderly-2023", table.encode(), "b1.csv", "IV:6")
    assert info.value.problems[0].code == "below_requisitioned"
    assert "Gotland" in problem_sv(info.value.problems[0])
