"""What one region reported for the 2023 AT format (positions filled, started, excluded, a planned override):
the record the report files, the simulator's table and saved 2023 scenarios still read and write. The
engine reads them as values (``allocation.block_convert.at_values``); the 2023 output format is
``present.at_view``.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

__all__ = ["RegionInput"]


@dataclass(frozen=True, slots=True)
class RegionInput:
    """What one region reported. ``planned`` overrides the planning document when given."""

    code: str
    filled: int = 0
    started: int = 0
    excluded: int = 0
    planned: Fraction | None = None

    def __post_init__(self) -> None:
        for name in ("filled", "started", "excluded"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"region {self.code}: {name} must be a non-negative whole number, got {value!r}")
        if self.planned is not None and self.planned < 0:
            raise ValueError(f"region {self.code}: planned must not be negative, got {self.planned}")
