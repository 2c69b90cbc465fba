"""The command line as users run it: ``python -m cli allocate ...`` in a subprocess.

The form of the command and of its output is relied on (issue 2, "Command line"), so these tests
check it from the outside: exit status, stdout, stderr.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent

CODES = [
    "01",
    "03",
    "04",
    "05",
    "06",
    "07",
    "08",
    "09",
    "10",
    "12",
    "13",
    "14",
    "17",
    "18",
    "19",
    "20",
    "21",
    "22",
    "23",
    "24",
    "25",
]
REGION_KEYS = {
    "code",
    "region",
    "population",
    "planned",
    "outcome",
    "excluded",
    "expansion",
    "expansion_per_100k",
    "step_amount",
    "redistribution",
    "total",
    "next_step_positions",
    "next_step_kronor",
}
TOP_KEYS = {"round", "pot", "pot_source", "unallocated", "warnings", "regions"}

HEADER = ["region", "filled", "started", "excluded", "planned"]
# Gotland's plan (16 in the seed) is overridden with 3; the variants below write the same thing
# in other ways (another spelling of the region, a range 1-5 whose midpoint is 3).
BASE_ROWS = [
    ["Stockholm", "280", "284", "0", ""],
    ["Gotland", "19", "18", "0", "3"],
    ["Norrbottn", "58", "56", "1", ""],
    ["Västra Götalands län", "262", "258", "2", ""],
    ["Jämtland", "28", "30", "0", ""],
    ["Kalmar", "52", "50", "0", ""],
]


NOTE = "note: --outcomes prints the 2023 format of a performance round; `--inputs FILE` prints any round"


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """The command's result, its stderr without the note the ``--outcomes`` form ends with (checked apart)."""
    result = subprocess.run(
        [sys.executable, "-m", "cli", "allocate", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    lines = result.stderr.splitlines(keepends=True)
    if lines and lines[-1].startswith(NOTE):
        result.stderr = "".join(lines[:-1])
    return result


def allocate_json(outcomes: Path, *extra: str) -> dict:
    result = run_cli("--round", "at-2023", "--outcomes", outcomes, *extra, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout)


def csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ",", bom: bool = False) -> Path:
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + csv_text(rows, delimiter).encode("utf-8"))
    return path


def write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(rows[0])
    for row in rows[1:]:
        # numbers as numbers, as a spreadsheet would store them
        sheet.append([row[0], *(int(cell) if cell.isdigit() else (cell or None) for cell in row[1:])])
    workbook.save(path)
    return path


def with_gotland(region: str, planned: str) -> list[list[str]]:
    rows = [list(row) for row in BASE_ROWS]
    rows[1][0] = region
    rows[1][4] = planned
    return [HEADER, *rows]


@pytest.fixture(scope="module")
def base_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_csv(tmp_path_factory.mktemp("base") / "outcomes.csv", [HEADER, *BASE_ROWS])


@pytest.fixture(scope="module")
def base(base_csv: Path) -> dict:
    return allocate_json(base_csv)


def test_the_2023_form_says_on_stderr_how_the_new_form_is_written(base_csv: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cli", "allocate", "--round", "at-2023", "--outcomes", str(base_csv)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert result.returncode == 0 and result.stdout.startswith("Omgång at-2023: pott")
    [line] = result.stderr.splitlines()
    assert line.startswith(NOTE) and "--inputs FILE" in line


# --- --format json ------------------------------------------------------------------------------


def test_json_has_the_specified_shape(base: dict) -> None:
    assert base.keys() >= TOP_KEYS
    assert base["round"] == "at-2023"
    assert isinstance(base["warnings"], list)
    assert [r["code"] for r in base["regions"]] == CODES
    for region in base["regions"]:
        assert region.keys() >= REGION_KEYS, region["code"]
        assert isinstance(region["code"], str) and len(region["code"]) == 2
        for key in ("population", "outcome", "excluded", "step_amount", "redistribution", "total"):
            assert isinstance(region[key], int), (region["code"], key)


def test_json_default_pot_is_paid_exactly(base: dict) -> None:
    assert base["pot"] == 254_000_000
    assert base["pot_source"] == "bidragets_storlek"
    assert base["warnings"] == []
    assert sum(r["total"] for r in base["regions"]) + base["unallocated"] == base["pot"]
    assert base["unallocated"] == 0
    for region in base["regions"]:
        assert region["total"] == region["step_amount"] + region["redistribution"]
        assert min(region["total"], region["step_amount"], region["redistribution"]) >= 0


def test_json_reads_the_rows(base: dict) -> None:
    by_code = {r["code"]: r for r in base["regions"]}
    gotland = by_code["09"]
    assert (gotland["region"], gotland["planned"], gotland["outcome"]) == ("Gotland", 3, 19)
    assert gotland["expansion"] == 16 and gotland["step_amount"] == 12_000_000
    assert gotland["next_step_positions"] is None and gotland["next_step_kronor"] is None
    # the seed's spelling "Norrbottn" is accepted; the output uses the correct name
    norrbotten = by_code["25"]
    assert norrbotten["region"] == "Norrbotten"
    assert (norrbotten["outcome"], norrbotten["excluded"], norrbotten["expansion"]) == (58, 1, 6)
    assert "Norrbottn" not in json.dumps(base, ensure_ascii=False)
    # a region missing from the file reported nothing
    blekinge = by_code["10"]
    assert (blekinge["outcome"], blekinge["expansion"], blekinge["total"]) == (0, 0, 0)


def test_pot_of_the_background_section(base_csv: Path) -> None:
    result = allocate_json(base_csv, "--pot", "252000000")
    assert (result["pot"], result["pot_source"]) == (252_000_000, "bakgrund")
    assert sum(r["total"] for r in result["regions"]) + result["unallocated"] == 252_000_000


def test_custom_pot_below_the_steps(base_csv: Path) -> None:
    result = allocate_json(base_csv, "--pot", "100000")
    assert (result["pot"], result["pot_source"]) == (100_000, "custom")
    assert "pot_below_steps" in [w["code"] for w in result["warnings"]]
    assert sum(r["total"] for r in result["regions"]) + result["unallocated"] == 100_000
    assert all(r["redistribution"] == 0 for r in result["regions"])


# --- --format csv and table --------------------------------------------------------------------


def test_csv_format(base_csv: Path, base: dict) -> None:
    result = run_cli("--round", "at-2023", "--outcomes", base_csv, "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 21
    assert [r["code"] for r in rows] == CODES
    assert set(rows[0]) >= REGION_KEYS
    assert sum(int(r["total"]) for r in rows) == base["pot"]
    assert [int(r["total"]) for r in rows] == [r["total"] for r in base["regions"]]
    assert rows[-1]["region"] == "Norrbotten"


def test_table_format_is_swedish(base_csv: Path) -> None:
    result = run_cli("--round", "at-2023", "--outcomes", base_csv, "--format", "table")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "254\u00a0000\u00a0000\u00a0kr" in text
    assert "12\u00a0000\u00a0000\u00a0kr" in text
    assert "Norrbotten" in text and "Norrbottn " not in text
    assert "Bidragets storlek" in text
    # Swedish decimal comma: Gotland's expansion per 100 000 inhabitants, 16 × 100 000 / 61 167 = 26.158…
    gotland = next(line for line in text.splitlines() if line.startswith("09 "))
    assert "26,16" in gotland


# --- input variants give the same result ------------------------------------------------------


def _write_variant(path: Path, variant: str) -> Path:
    rows = [HEADER, *BASE_ROWS]
    if variant == "semicolon":
        return write_csv(path.with_suffix(".csv"), rows, delimiter=";")
    if variant == "bom":
        return write_csv(path.with_suffix(".csv"), rows, bom=True)
    if variant == "xlsx":
        return write_xlsx(path.with_suffix(".xlsx"), rows)
    region, planned = variant.split("|")
    return write_csv(path.with_suffix(".csv"), with_gotland(region, planned))


VARIANTS = [
    "semicolon",
    "bom",
    "xlsx",
    # region spellings, each with a planned range whose midpoint is 3 (hyphen or en dash)
    "Region Gotland|1-5",
    "gotland|1–5",
    "Gotlands län|1-5",
    "09|1–5",
    "9|3",
]


@pytest.mark.parametrize("variant", VARIANTS)
def test_input_variants_give_the_same_result(tmp_path: Path, base: dict, variant: str) -> None:
    result = allocate_json(_write_variant(tmp_path / "outcomes", variant))
    assert result == base


# --- bad input ----------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def _bad(header: str, *rows: str) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


# (name, file content or None for a missing file, expected lines: substrings each line must contain)
BAD_FILES = [
    ("png", PNG, [["UTF-8"]]),
    ("missing-file", None, [["cannot read"]]),
    ("latin-1", "region,filled,started\nSkåne,205,199\n".encode("latin-1"), [["UTF-8"]]),
    ("missing-column", _bad("region,filled", "Gotland,19"), [["row 1", "column 'started'", "missing"]]),
    (
        "unknown-region",
        _bad("region,filled,started", "Gotland,19,18", "Narnia,1,1"),
        [["row 3", "column region", "Narnia"]],
    ),
    (
        "duplicate-region",
        _bad("region,filled,started", "Gotland,19,18", "09,20,20"),
        [["row 3", "column region", "row 2"]],
    ),
    ("negative", _bad("region,filled,started", "Gotland,-1,18"), [["row 2", "column filled", "-1", "negative"]]),
    ("not-a-number", _bad("region,filled,started", "Gotland,19,många"), [["row 2", "column started", "många"]]),
    ("not-whole", _bad("region;filled;started", "Gotland;19;18,5"), [["row 2", "column started", "18,5"]]),
    (
        "reversed-range",
        _bad("region,filled,started,planned", "Gotland,19,18,5-1"),
        [["row 2", "column planned", "5-1"]],
    ),
    (
        "several",
        _bad(
            "region,filled,started,excluded,planned",
            "Narnia,1,1,0,",
            "",
            "Skåne,-3,199,x,",
            "Gotland,19,18,0,5–1",
            "region skåne,1,1,0,",
        ),
        [
            ["row 2", "column region", "Narnia"],
            ["row 4", "column filled", "-3"],
            ["row 4", "column excluded", "'x'"],
            ["row 5", "column planned", "5–1"],
            ["row 6", "column region", "row 4"],
        ],
    ),
]


@pytest.mark.parametrize(("content", "expected"), [c[1:] for c in BAD_FILES], ids=[c[0] for c in BAD_FILES])
def test_bad_input_file(tmp_path: Path, content: bytes | None, expected: list[list[str]]) -> None:
    path = tmp_path / "outcomes.csv"
    if content is not None:
        path.write_bytes(content)
    result = run_cli("--round", "at-2023", "--outcomes", path, "--format", "json")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == len(expected), result.stderr
    for line, parts in zip(lines, expected, strict=True):
        assert str(path) in line
        for part in parts:
            assert part in line, (part, line)


@pytest.mark.parametrize(
    ("args", "mention"),
    [
        (["--round", "at-2023", "--pot=-5"], "--pot"),
        (["--round", "at-1999"], "at-1999"),
    ],
    ids=["negative-pot", "unknown-round"],
)
def test_bad_arguments(base_csv: Path, args: list[str], mention: str) -> None:
    result = run_cli(*args, "--outcomes", base_csv, "--format", "json")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert mention in result.stderr.strip().splitlines()[-1]


def test_a_very_long_cell_is_bad_input_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "outcomes.csv"
    path.write_text("region,filled,started\nGotland,19," + "9" * 200_000 + "\n", encoding="utf-8")
    result = run_cli("--round", "at-2023", "--outcomes", path, "--format", "json")
    # a cell beyond the csv module's field limit (131 072 characters) once crashed with a traceback
    assert "Traceback" not in result.stderr
    assert result.returncode == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert str(path) in line and "cannot read" in line
