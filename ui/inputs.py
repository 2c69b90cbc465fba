"""Reading an outcomes file for the dashboard (as generic reports), with problems listed in Swedish."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from allocation.problems import InputError
from allocation.regions import RegionIndex
from allocation.report_values import Report
from ingest.inputs import read_reports
from present.problems import problem_sv

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def example_outcomes(round_id: str) -> Path | None:
    """The round's file of fictitious outcomes (``examples/<round id>-outcomes.csv``), if it has one."""
    path = EXAMPLES / f"{round_id}-outcomes.csv"
    return path if path.is_file() else None


@dataclass(frozen=True)
class LoadedInputs:
    reports: list[Report]
    problems_sv: list[str]


def load_outcomes(data: bytes, index: RegionIndex) -> LoadedInputs:
    """Validated reports, or every problem in Swedish (nothing partly read)."""
    try:
        return LoadedInputs(read_reports(data, index), [])
    except InputError as exc:
        return LoadedInputs([], [problem_sv(p) for p in exc.problems])
