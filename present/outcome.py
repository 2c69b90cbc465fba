"""Whether a region has an outcome at all: one without (nothing filled or started) has not reported, and its
"next step" (its whole plan plus the first step) says nothing, so tables and reports say "ingen rapport"."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the view builds on present.block_table, which reads this module's text
    from present.at_view import RegionResult

NO_REPORT_SV = "ingen rapport"


def has_outcome(result: RegionResult) -> bool:
    return result.outcome > 0
