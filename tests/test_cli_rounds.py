"""``python -m cli allocate`` on any round, of any format, as users run it (a subprocess): per recipient and block.

The figures checked are the rules' own (each block's pot read from its TOML here, independently of the
engine) and sums that must close; nothing is compared with a figure the engine printed before.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import tomllib
from collections import defaultdict
from pathlib import Path

import pytest
from cli_helpers import ROOT, run_module

ROUNDS = ROOT / "tests" / "rounds"
AT_2022 = ROUNDS / "at-2022-illustrative.toml"
AT_2024 = ROUNDS / "at-2024-illustrative.toml"
EXAMPLE_2022 = ROOT / "examples" / "at-2022-illustrative-inputs.csv"
EXAMPLE_2023 = ROOT / "examples" / "at-2023-outcomes.csv"


def allocate(*args: str | Path, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    if env is None:
        result = run_module("cli", "allocate", *map(str, args), timeout=60)
    else:
        import subprocess
        import sys

        result = subprocess.run(
            [sys.executable, "-m", "cli", "allocate", *map(str, args)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=60,
            env=env,
        )
    return result.returncode, result.stdout, result.stderr


def allocate_json(*args: str | Path) -> dict:
    status, out, err = allocate(*args, "--format", "json")
    assert status == 0 and err == "", err
    return json.loads(out)


def rule_pots(path: Path) -> dict[str, int]:
    """Each block's default pot, as its rules file writes it."""
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    pots = {}
    for block in doc["blocks"]:
        pot = block["pot"]
        amount = pot.get("amount")
        if amount is None:
            amount = next(o["amount"] for o in pot["options"] if o["id"] == pot["default"])
        pots[block["id"]] = amount
    return pots


def assert_sums_close(result: dict) -> None:
    """Per block: Σ recipients = paid, paid + unpaid = pot + inflow; per recipient: Σ blocks = total."""
    blocks = {b["id"]: b for b in result["blocks"]}
    for block_id, block in blocks.items():
        assert sum(r["blocks"][block_id] for r in result["recipients"]) == block["paid"], block_id
        assert block["paid"] + block["unpaid"] == block["pot"] + block["inflow"], block_id
        assert all(r["blocks"][block_id] >= 0 for r in result["recipients"])
    for recipient in result["recipients"]:
        assert sum(recipient["blocks"].values()) == recipient["total"], recipient["code"]
    assert result["paid"] + result["unallocated"] == result["pot"] == sum(b["pot"] for b in blocks.values())


# --- done when: the 2022-shaped round from the command line --------------------------------------


def test_the_2022_shaped_round_pays_each_blocks_pot_per_recipient_and_block() -> None:
    pots = rule_pots(AT_2022)
    result = allocate_json("--rules", AT_2022, "--inputs", EXAMPLE_2022)
    assert_sums_close(result)
    assert [b["id"] for b in result["blocks"]] == list(pots)
    assert len(result["recipients"]) == 21
    for block in result["blocks"]:
        assert block["pot"] == pots[block["id"]]
        # the example's figures reach every block's rule: each block pays its whole pot, nothing flows on
        assert sum(r["blocks"][block["id"]] for r in result["recipients"]) == pots[block["id"]], block["id"]
    assert result["unallocated"] == 0 and result["paid"] == sum(pots.values())
    norrbotten = next(r for r in result["recipients"] if r["code"] == "25")
    assert norrbotten["region"] == "Norrbotten"  # the example writes the seed's "Norrbottn"


def test_the_2022_shaped_round_as_csv_sums_to_each_blocks_pot() -> None:
    pots = rule_pots(AT_2022)
    status, out, err = allocate("--rules", AT_2022, "--inputs", EXAMPLE_2022, "--format", "csv")
    assert status == 0 and err == "", err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert set(rows[0]) == {"code", "region", "block", "amount"}
    by_block: dict[str, int] = defaultdict(int)
    for row in rows:
        by_block[row["block"]] += int(row["amount"])
    assert dict(by_block) == pots
    assert len(rows) == 21 * len(pots)


def test_the_table_is_swedish_and_names_every_block() -> None:
    status, out, err = allocate("--rules", AT_2022, "--inputs", EXAMPLE_2022)
    assert status == 0 and err == "", err
    assert "124\u00a0000\u00a0000\u00a0kr" in out and "Summa" in out and "Illustrativ omgång" in out
    for block_id in rule_pots(AT_2022):
        assert f"{block_id}: " in out


def test_a_pot_per_block_is_a_what_if() -> None:
    result = allocate_json("--rules", AT_2022, "--inputs", EXAMPLE_2022, "--pot", "level=100_000_000")
    level = next(b for b in result["blocks"] if b["id"] == "level")
    assert (level["pot"], level["pot_source"], level["paid"]) == (100_000_000, "custom", 100_000_000)
    assert_sums_close(result)


# --- every shipped round, and the 2023 formats through the block engine -------------------------


def test_the_2023_performance_round_through_the_blocks_gives_the_2023_totals() -> None:
    new = allocate_json("--round", "at-2023", "--inputs", EXAMPLE_2023)
    status, out, _ = allocate("--round", "at-2023", "--outcomes", EXAMPLE_2023, "--format", "json")
    old = json.loads(out)
    assert status == 0
    assert_sums_close(new)
    assert {r["code"]: r["total"] for r in new["recipients"]} == {r["code"]: r["total"] for r in old["regions"]}
    assert new["pot"] == old["pot"] and new["unallocated"] == old["unallocated"]


def test_the_2023_round_takes_a_pot_option_by_its_id() -> None:
    background = allocate_json("--round", "at-2023", "--inputs", EXAMPLE_2023, "--pot", "bakgrund")
    doc = tomllib.loads((ROOT / "data" / "rounds" / "at-2023.toml").read_text(encoding="utf-8"))
    amount = next(o["amount"] for o in doc["pot"]["options"] if o["id"] == "bakgrund")
    assert (background["pot"], background["blocks"][0]["pot_source"]) == (amount, "bakgrund")
    assert_sums_close(background)


def test_the_fixed_round_needs_no_inputs_and_says_its_amounts_are_an_estimate() -> None:
    result = allocate_json("--round", "elderly-2023")
    doc = tomllib.loads((ROOT / "data" / "rounds" / "elderly-2023.toml").read_text(encoding="utf-8"))
    assert_sums_close(result)
    assert result["paid"] == doc["pot"]["amount"] and result["estimate"] is True
    assert "estimate" in [n["code"] for n in result["blocks"][0]["notices"]]


def test_the_2024_shaped_round_reads_swedish_columns_and_report_dates(tmp_path: Path) -> None:
    inputs = tmp_path / "rapporter.csv"
    inputs.write_text(
        "Region;Tillsatta;Påbörjade;Avräknade;Datum\n"
        "Stockholm;290;284;0;2024-10-15\nGotland;30;18;1;\nNorrbottn;60;56;0;2024-12-01\nUppsala;70;70;0;2024-11-01\n",
        encoding="utf-8",
    )
    result = allocate_json("--rules", AT_2024, "--inputs", inputs)
    assert_sums_close(result)
    reporting = result["blocks"][0]
    paid = {
        code
        for code in reporting["eligible"]
        if next(r for r in result["recipients"] if r["code"] == code)["blocks"][reporting["id"]]
    }
    assert paid == {"01", "03"}  # reported by the date; Gotland did not report, Norrbotten too late
    assert reporting["unpaid"] > 0 and reporting["unpaid_to"] == result["blocks"][1]["id"]
    assert result["blocks"][1]["inflow"] == reporting["unpaid"]


def test_a_round_of_blocks_dropped_into_the_data_folder_runs_by_its_id(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("seeds"))
    shutil.copy(AT_2022, data / "rounds" / "dropped-round.toml")
    text = (data / "rounds" / "dropped-round.toml").read_text(encoding="utf-8")
    (data / "rounds" / "dropped-round.toml").write_text(
        text.replace('id = "at-2022-illustrative"', 'id = "dropped-round"')
    )
    import os

    env = {**os.environ, "STATSBIDRAG_DATA": str(data)}
    status, out, err = allocate("--round", "dropped-round", "--inputs", EXAMPLE_2022, "--format", "json", env=env)
    assert status == 0 and err == "", err
    assert_sums_close(json.loads(out))


# --- refusals: exit 2, a line per problem naming file, row and column or field; never a traceback --

BAD_INPUTS = [
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01", ["UTF-8"]),
    ("unknown-region", b"region,positions,expansion\nNarnia,1,1\n", ["row 2", "column region", "Narnia"]),
    ("negative", b"region,positions,expansion\nGotland,-3,1\n", ["row 2", "column positions", "-3", "negative"]),
    ("formula", b"region,positions,expansion\nGotland,=1+2,1\n", ["row 2", "column positions", "=1+2"]),
    ("formula-region", b'region,positions,expansion\n=HYPERLINK("x"),1,1\n', ["row 2", "column region"]),
    ("missing-column", b"region,positions\nGotland,1\n", ["row 1", "expansion", "missing"]),
    ("empty-value", b"region,positions,expansion\nGotland,,1\n", ["row 2", "column positions", "empty"]),
    ("unknown-column", b"region,positions,expansion,bonus\nGotland,1,1,1\n", ["row 1", "bonus"]),
]


@pytest.mark.parametrize(("content", "parts"), [c[1:] for c in BAD_INPUTS], ids=[c[0] for c in BAD_INPUTS])
def test_bad_inputs_are_refused_naming_row_and_column(tmp_path: Path, content: bytes, parts: list[str]) -> None:
    path = tmp_path / "inputs.csv"
    path.write_bytes(content)
    status, out, err = allocate("--rules", AT_2022, "--inputs", path, "--format", "json")
    assert (status, out) == (2, "") and "Traceback" not in err
    [line] = err.splitlines()
    assert line.startswith(f"error: {path}: ")
    for part in parts:
        assert part in line, (part, line)


def test_swedish_column_names_are_named_as_written(tmp_path: Path) -> None:
    path = tmp_path / "rapporter.csv"
    path.write_text("Region,Tillsatta,Påbörjade\nGotland,-1,2\n", encoding="utf-8")
    status, out, err = allocate("--round", "at-2023", "--inputs", path)
    assert (status, out) == (2, "") and "row 2, column Tillsatta" in err and "Traceback" not in err


@pytest.mark.parametrize("kind", ["missing", "folder", "huge"])
def test_a_file_that_cannot_be_read_is_refused(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "inputs.csv"
    if kind == "folder":
        path.mkdir()
    elif kind == "huge":
        with open(path, "wb") as fh:  # sparse: 3 GB claimed, nothing written
            fh.truncate(3 * 1024**3)
    for args in (("--rules", AT_2022, "--inputs", path), ("--rules", path, "--inputs", EXAMPLE_2022)):
        status, out, err = allocate(*args)
        assert (status, out) == (2, "") and "Traceback" not in err, err
        assert err.startswith(f"error: {path}: ") and len(err.splitlines()) == 1, err


BAD_RULES = [
    ("binary", b"\x00\x01\x02\xff", ["UTF-8"]),
    ("not-toml", b'kind = "blocks"\nid = \n', ["line"]),
    ("no-kind", b'id = "x"\ntitle = "x"\nversion = "1"\n', ["kind"]),
    ("unknown-method", None, ["blocks[0]", "method", "nope"]),
    ("negative-pot", None, ["blocks[0]", "amount"]),
]


@pytest.mark.parametrize(("content", "parts"), [c[1:] for c in BAD_RULES], ids=[c[0] for c in BAD_RULES])
def test_bad_rules_are_refused_naming_the_field(tmp_path: Path, content: bytes | None, parts: list[str]) -> None:
    path = tmp_path / "rules.toml"
    text = AT_2022.read_text(encoding="utf-8")
    if content is None and "method" in parts:
        content = text.replace('method = "proportional"', 'method = "nope"', 1).encode()
    elif content is None:
        content = text.replace("amount = 124_000_000", "amount = -124_000_000", 1).encode()
    path.write_bytes(content)
    status, out, err = allocate("--rules", path, "--inputs", EXAMPLE_2022)
    assert (status, out) == (2, "") and "Traceback" not in err, err
    assert all(line.startswith(f"error: {path}: ") for line in err.splitlines()), err
    for part in parts:
        assert part in err, (part, err)


@pytest.mark.parametrize(
    ("args", "mention"),
    [
        (["--rules", AT_2022, "--inputs", EXAMPLE_2022, "--pot", "1000"], "BLOCK=VALUE"),
        (["--rules", AT_2022, "--inputs", EXAMPLE_2022, "--pot", "nope=1000"], "no block 'nope'"),
        (["--rules", AT_2022, "--inputs", EXAMPLE_2022, "--pot", "level=-5"], "--pot"),
        (["--rules", AT_2022, "--inputs", EXAMPLE_2022, "--pot", "level=huge"], "unknown pot option"),
        (["--rules", AT_2022, "--inputs", EXAMPLE_2022, "--steps", "2:1000"], "--steps"),
        (["--rules", AT_2022], "--inputs FILE is needed"),
        (["--round", "at-1999", "--inputs", EXAMPLE_2022], "at-1999"),
    ],
    ids=[
        "pot-without-block",
        "pot-unknown-block",
        "negative-pot",
        "unknown-option",
        "steps-on-blocks",
        "no-inputs",
        "unknown-round",
    ],
)
def test_bad_arguments_are_refused(args: list[str | Path], mention: str) -> None:
    status, out, err = allocate(*args)
    assert (status, out) == (2, "") and "Traceback" not in err, err
    assert mention in err, err
