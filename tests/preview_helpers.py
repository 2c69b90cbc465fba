"""Test helpers for the region preview: the rounds as the preview simulates them, and reports in short."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from allocation.preview import Setting
from allocation.report_values import Report
from ingest.data_folder import load_block_round
from tests.block_helpers import load_test_round, recipients

AT_2023 = Setting.of(load_block_round("at-2023"), recipients())  # one staircase_leftover block
AT_2024 = Setting.of(load_test_round("at-2024-illustrative"), recipients())  # a reporting block and a staircase
CODES = [r.code for r in AT_2023.recipients]


def report(code: str, filled: int, started: int = 0, excluded: int = 0, received: date | None = None) -> Report:
    """A region's positions filled, started and excluded, received on ``received``."""
    values = {"filled": Fraction(filled), "started": Fraction(started), "excluded": Fraction(excluded)}
    return Report(code, values, received)
