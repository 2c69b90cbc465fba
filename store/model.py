"""The store's shared types: what pages, ui and the store's own modules pass to each other.

No database and no Streamlit in here (only ``allocation``'s plain dataclasses), so anything may import
it without a cycle: the actor and user of a write, the errors a page shows (``WriteRefused``,
``AccessDenied``, ``StoreError``), the results of imports, saved scenarios, the exportable tables, the
decision page's records (the check before deciding, a decision in a list, the drift since), payment runs and
recoveries, and (re-exported for convenience) the allocation types the store's methods take and return.
Every record type of the store is here: nothing imports one from a service module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from allocation import decision as d
from allocation.block_data import Recipient
from allocation.blocks import Round
from allocation.fixed import FixedRound, Requisition
from allocation.problems import InputError, Problem
from allocation.regions import Region, RegionIndex
from allocation.rules import Step
from allocation.whatif import WhatIf
from store.tables import EXPORTABLE_TABLES

__all__ = [
    "BLOCKING",
    "EXPORTABLE_TABLES",
    "INFO",
    "SYSTEM",
    "WARNING",
    "AccessDenied",
    "Actor",
    "CheckItem",
    "DecisionCheck",
    "DecisionSummary",
    "Drift",
    "FixedRound",
    "ImportResult",
    "InputError",
    "OutcomeUnknown",
    "PaymentRun",
    "Problem",
    "Recipient",
    "RecoveryRecord",
    "Region",
    "RegionIndex",
    "Requisition",
    "Round",
    "RoundProblem",
    "RulesRefused",
    "Scenario",
    "Step",
    "StoreBusy",
    "StoreError",
    "StoreLocked",
    "User",
    "WriteRefused",
    "fraction_text",
]


@dataclass(frozen=True, slots=True)
class Actor:
    """Who writes, as the audit log records it: a name and a role (``region 03`` for a region user)."""

    name: str
    role: str = "handläggare"


SYSTEM = Actor("system", "system")


@dataclass(frozen=True, slots=True)
class User:
    """A row of the user table: who may log in, with which role (and region)."""

    login: str  # e-mail address in lower case, or the OIDC subject
    name: str
    role: str
    region: str | None = None
    active: bool = True


class WriteRefused(ValueError):
    """A write that is not allowed or not complete; the message is in Swedish for the UI."""

    def __init__(self, message_sv: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_sv = message_sv


class RulesRefused(WriteRefused):
    """A rules file that cannot be saved: ``problems`` are (English, Swedish) messages, each naming its field."""

    def __init__(self, problems: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> None:
        self.problems = tuple(problems)
        shown = self.problems[:20]
        more = len(self.problems) - len(shown)
        sv = "; ".join(p[1] for p in shown) + (f"; och {more} till" if more else "")
        en = "; ".join(p[0] for p in shown) + (f"; and {more} more" if more else "")
        super().__init__(f"Fel i regelfilen: {sv}", en)


@dataclass(frozen=True, slots=True)
class RoundProblem:
    """A rules file in ``data/rounds`` that was skipped when the store was seeded, and why."""

    file: str  # e.g. data/rounds/at-2031.toml
    message: str  # English
    message_sv: str


class AccessDenied(WriteRefused):
    """An action the principal may not take; ``message_sv`` says why, for the UI."""


class StoreError(RuntimeError):
    """A problem with the database file, said in words a user can act on (``message_sv`` for the dashboard)."""

    def __init__(self, message: str, message_sv: str | None = None) -> None:
        super().__init__(message)
        self.message_sv = message_sv or f"Databasen kunde inte användas: {message}"


class StoreLocked(StoreError):
    """Another process (usually the running dashboard) holds the database file."""


class StoreBusy(WriteRefused):
    """A write that waited longer than the lock timeout for another write (PostgreSQL): nothing was written,
    try again (the command line exits 3, as for a database it cannot use)."""


class OutcomeUnknown(StoreError):
    """The connection broke during a COMMIT: the server may or may not have committed; check, or retry."""


@dataclass(frozen=True, slots=True)
class ImportResult:
    rows: int  # rows in the file
    changed: int  # rows written (new or different)
    unchanged: int  # rows equal to what the store already holds
    # A preview's changes: (code, ((field, before, after), ...)); no fields: a new row.
    changes: tuple[tuple[str, tuple[tuple[str, Any, Any], ...]], ...] = ()


@dataclass(frozen=True, slots=True)
class Scenario:
    id: int
    name: str
    author: str
    created: datetime
    round_id: str
    rules_version: str
    what_if: WhatIf  # the pots, step amounts, values and report dates (one saved in the 2023 format: converted)
    note: str = ""
    example: bool = False  # saved while the store held example data (fictitious figures)


def fraction_text(value: Fraction) -> str:
    """An exact decimal text for a count (midpoints of ranges always terminate: 2.5)."""
    if value.denominator == 1:
        return str(value.numerator)
    text = format(Decimal(value.numerator) / Decimal(value.denominator), "f")
    if Fraction(Decimal(text)) != value:
        raise ValueError(f"{value} has no exact decimal form")
    return text


# --- decisions: the check before deciding, a decision in a list, the drift since ------------------

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


# --- payments ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PaymentRun:
    id: int
    round_id: str
    decision_id: int | None
    up_to: date | None
    paid_on: date
    reference: str
    total: int
    lines: int
    recorded_at: datetime
    recorded_by: str


@dataclass(frozen=True, slots=True)
class RecoveryRecord:
    """A repayment received on an amount to recover (återkrav)."""

    id: int
    round_id: str
    code: str
    decision_id: int
    received_on: date
    amount: int
    reference: str
    recorded_at: datetime
    recorded_by: str
