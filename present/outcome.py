"""Whether a region has an outcome at all: one without (nothing filled or started) has not reported, and its
"next step" (its whole plan plus the first step) says nothing, so tables and reports say "ingen rapport"."""

from __future__ import annotations

from allocation.at import RegionResult

NO_REPORT_SV = "ingen rapport"


def has_outcome(result: RegionResult) -> bool:
    return result.outcome > 0
