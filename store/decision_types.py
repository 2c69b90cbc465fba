"""The decision page's shared types: the check before deciding, a decision in a list, and the drift
between a decision and today's inputs (plain data; pages and the store's service import them here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from allocation import decision as d

__all__ = ["BLOCKING", "INFO", "WARNING", "CheckItem", "DecisionCheck", "DecisionSummary", "Drift"]

BLOCKING, WARNING, INFO = "hinder", "varning", "info"


@dataclass(frozen=True)
class CheckItem:
    level: str  # BLOCKING: cannot decide; WARNING: the decider confirms; INFO
    text: str  # Swedish


@dataclass(frozen=True)
class DecisionCheck:
    round_id: str
    items: tuple[CheckItem, ...]
    pots: dict[str, tuple[int, str]]  # block id -> (kronor, the option's id or "custom")
    paid: int
    unallocated: int
    totals: dict[str, int] = field(default_factory=dict)  # code -> kronor the decision would give

    @property
    def blocking(self) -> tuple[CheckItem, ...]:
        return tuple(i for i in self.items if i.level == BLOCKING)

    @property
    def warnings(self) -> tuple[CheckItem, ...]:
        return tuple(i for i in self.items if i.level == WARNING)


@dataclass(frozen=True)
class DecisionSummary:
    id: int
    round_id: str
    kind: str
    supersedes: int | None
    reference: str
    published_on: date
    decided_by: str
    decided_at: datetime
    migrated: bool
    content_hash: str


@dataclass(frozen=True)
class Drift:
    """What differs between a decision and a recomputation on today's inputs with the same pots."""

    inputs: list[d.InputChange]
    amounts: list[d.Change]

    @property
    def any(self) -> bool:
        return bool(self.inputs or self.amounts)
