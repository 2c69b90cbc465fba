"""The parameters of each allocation method, as frozen dataclasses, and how each is read from rules.

One reader per method; ``allocation.methods`` registers each beside its function. A reader reads
every field of the block's ``params`` table it knows; the caller reports the rest as unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from allocation.block_data import EQUAL
from allocation.block_fields import Citation, Fields
from allocation.rules import KEYS, Step

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
SHARE, UNPAID = "share", "unpaid"  # what a staircase does with what the steps leave
OFFICIAL, ESTIMATE = "official", "estimate"  # what a fixed table is
AMONG_REPORTED, AMONG_ELIGIBLE = "reported", "eligible"  # whom a reported share is computed over


@dataclass(frozen=True, slots=True)
class StaircaseParams:
    """Highest step reached on ``measure``; what the steps leave is shared by ``key`` or left unpaid."""

    steps: tuple[Step, ...]
    key: str = "expansion_per_100k"  # one of allocation.rules.KEYS (the AT engine's keys)
    per_inhabitants: int = 100_000
    measure: str = "expansion"
    leftover: str = SHARE
    step_sources: tuple[Citation, ...] = ()

    def referenced_codes(self) -> tuple[str, ...]:
        return ()


@dataclass(frozen=True, slots=True)
class ProportionalParams:
    key: str

    def referenced_codes(self) -> tuple[str, ...]:
        return ()


@dataclass(frozen=True, slots=True)
class EqualParams:
    def referenced_codes(self) -> tuple[str, ...]:
        return ()


@dataclass(frozen=True, slots=True)
class FixedTableParams:
    """An amount per recipient: the official table, or an estimate that says it is one.

    With ``cap_key`` (e.g. ``requisitioned``) a recipient is paid at most its value of that key.
    """

    table: dict[str, int] = field(default_factory=dict)
    basis: str = OFFICIAL
    cap_key: str | None = None

    def referenced_codes(self) -> tuple[str, ...]:
        return tuple(sorted(self.table))


@dataclass(frozen=True, slots=True)
class ReportedShareParams:
    """Shares by ``key`` (``equal``: alike) for the recipients whose ``event`` is dated on or before ``by``.

    ``among = "reported"``: the pot is shared among those who reported. ``among = "eligible"``: each
    eligible recipient's share is computed over all of them and a recipient that did not report
    leaves its share unpaid.
    """

    by: date
    event: str = "report"
    key: str = EQUAL
    among: str = AMONG_REPORTED

    def referenced_codes(self) -> tuple[str, ...]:
        return ()


MethodParams = StaircaseParams | ProportionalParams | EqualParams | FixedTableParams | ReportedShareParams


def _key(f: Fields, name: str, required: bool, default: str | None = None) -> str | None:
    value = f.text(name, required, default)
    if value is not None and not KEY_PATTERN.match(value):
        f.report(name, "bad_key_name", value=repr(value))
        return None
    return value


def _choice(f: Fields, name: str, choices: tuple[str, ...], default: str) -> str | None:
    value = f.text(name, required=False, default=default)
    if value not in choices:
        f.report(name, "not_among", value=repr(value), choices=tuple(choices))
        return None
    return value


def read_staircase(f: Fields, section: str | None) -> StaircaseParams | None:
    steps: list[Step] = []
    sources: list[Citation] = []
    previous, paid = 0, 0
    ok = True
    for step in f.tables("steps", required=True):
        threshold = step.integer("min_expansion", minimum=1)
        amount = step.amount("amount")
        citation = step.citation(section)
        step.done()
        if threshold is None or amount is None or citation is None:
            ok = False
            continue
        if threshold <= previous:
            ok = False
            step.report("min_expansion", "steps_not_increasing", value=threshold, previous=previous)
        if amount < paid:
            ok = False
            step.report("amount", "step_pays_less", value=amount, previous=paid)
        previous, paid = threshold, max(paid, amount)
        steps.append(Step(threshold, amount))
        sources.append(citation)
    if not steps and f.has("steps") and ok:
        ok = False
        f.report("steps", "no_steps")
    key = _choice(f, "key", KEYS, "expansion_per_100k")
    per_inhabitants = f.integer("per_inhabitants", required=False, minimum=1)
    measure = _key(f, "measure", required=False, default="expansion")
    leftover = _choice(f, "leftover", (SHARE, UNPAID), SHARE)
    if not ok or None in (key, measure, leftover) or (f.has("per_inhabitants") and per_inhabitants is None):
        return None
    assert key is not None and measure is not None and leftover is not None
    return StaircaseParams(tuple(steps), key, per_inhabitants or 100_000, measure, leftover, tuple(sources))


def read_proportional(f: Fields, section: str | None) -> ProportionalParams | None:
    key = _key(f, "key", required=True)
    return None if key is None else ProportionalParams(key)


def read_equal(f: Fields, section: str | None) -> EqualParams | None:
    return EqualParams()


def read_fixed_table(f: Fields, section: str | None) -> FixedTableParams | None:
    basis = _choice(f, "basis", (OFFICIAL, ESTIMATE), OFFICIAL)
    cap_key = _key(f, "cap_key", required=False)
    table: dict[str, int] = {}
    ok = basis is not None and (cap_key is not None or not f.has("cap_key"))
    rows = f.table("table")
    if rows is not None:
        for code in rows.raw:
            amount = rows.amount(code)
            if amount is None:
                ok = False
            else:
                table[code] = amount
    if not ok or rows is None:
        return None
    assert basis is not None
    return FixedTableParams(table, basis, cap_key)


def read_reported_share(f: Fields, section: str | None) -> ReportedShareParams | None:
    by = f.day("by")
    event = _key(f, "event", required=False, default="report")
    key = _key(f, "key", required=False, default=EQUAL)
    among = _choice(f, "among", (AMONG_REPORTED, AMONG_ELIGIBLE), AMONG_REPORTED)
    if by is None or event is None or key is None or among is None:
        return None
    return ReportedShareParams(by, event, key, among)
