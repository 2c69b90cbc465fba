"""One format per thing shown: a region without a report has no "next step", a difference carries its sign in
tables as in chart titles, the decision's moments share one date format, its tables' headers are capitalised."""

from __future__ import annotations

from datetime import datetime

from present import formats as f
from present.block_table import stair_columns
from present.outcome import NO_REPORT_SV
from present.report import to_table
from tests.block_helpers import at_result, at_view, recipients
from tests.report_helpers import positions
from ui.decision_view import moment_sv
from ui.tables import signed_kr


def test_a_region_without_a_report_shows_no_next_step() -> None:
    people = recipients()
    reporter = people[0].code
    allocation = at_view([positions(reporter, 300, 0)])
    applied, _, stairs, derived = at_result([positions(reporter, 300, 0)])
    shown = stair_columns(applied, stairs, derived, recipients())
    assert shown["nästa steg"].count(NO_REPORT_SV) == len(people) - 1
    assert shown["nästa steg (kr)"][1:] == [None] * (len(people) - 1)  # no figure where no report
    assert shown["nästa steg"][0] == "–"  # the reporter stands on the top step
    assert NO_REPORT_SV in to_table(allocation)


def test_a_difference_carries_its_sign() -> None:
    assert signed_kr(1_234) == "+" + f.kr(1_234)
    assert signed_kr(-1_234) == f.kr(-1_234) and signed_kr(-1_234).startswith("\u2212")  # a real minus
    assert signed_kr(0) == f.kr(0)


def test_the_moment_a_decision_was_registered_reads_like_its_date() -> None:
    assert moment_sv("2026-12-05T19:30:12") == "5 december 2026 kl. 19:30"
    assert moment_sv(datetime(2023, 12, 1, 9, 5)) == "1 december 2023 kl. 09:05"
