"""A round's decision as an immutable snapshot: what was decided, on which inputs, by whom, and its hash.

Pure: the store builds a snapshot from the round's rules, its inputs and the engine's result, and keeps
it as canonical JSON; every later view, letter and payout list reads the snapshot, never a
recomputation. The content hash covers everything but the hash itself, so a changed byte shows.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date
from fractions import Fraction
from typing import Any

from allocation.block_data import Notice
from allocation.blocks import PAID_ON_REQUISITION, RoundResult

SCHEMA = 1
DECISION = "beslut"
AMENDMENT = "ändringsbeslut"


@dataclass(frozen=True)
class Source:
    """Where a rule comes from: what it governs, the section, and the sentence verbatim."""

    what: str
    section: str
    quote: str


@dataclass(frozen=True)
class BlockOutcome:
    block_id: str
    title: str
    method: str
    pot: int  # the block's own pot, kronor
    pot_source: str  # the pot option's id, or "custom"
    inflow: int
    paid: int
    unpaid: int
    unpaid_to: str | None
    amounts: dict[str, int]  # code -> kronor, every recipient
    parts: dict[str, dict[str, int]]  # part name -> code -> kronor (e.g. step, leftover)
    notices: tuple[str, ...] = ()  # Swedish
    # How the block is paid (``allocation.blocks.PAID_ON``); None in a snapshot sealed before blocks recorded
    # it (its canonical JSON has no such field, so its hash still holds).
    paid_on: str | None = None

    @property
    def on_requisition(self) -> bool:
        """Paid as the recipients requisition. A snapshot sealed before blocks recorded it: its one
        ``fixed_table`` block ``fixed`` is the fixed-amount format as the reader converted it (paid so)."""
        if self.paid_on is not None:
            return self.paid_on == PAID_ON_REQUISITION
        return (self.block_id, self.method) == ("fixed", "fixed_table")


@dataclass(frozen=True)
class RecipientLine:
    code: str
    name: str
    population: int
    total: int  # kronor, all blocks
    explanation: tuple[str, ...] = ()  # plain Swedish, one sentence a step


@dataclass(frozen=True)
class Snapshot:
    """Everything a decision says, and everything it was computed from."""

    round_id: str
    round_title: str
    short_title: str
    round_dnr: str
    year: int
    rules_version: str
    rules_sha256: str  # of the rules text the decision used
    number: int  # the decision's id in the store
    kind: str  # DECISION or AMENDMENT
    supersedes: int | None  # the decision this one changes
    reference: str  # the decision's diarienummer
    decided_by: str
    decided_at: str  # ISO, Swedish local time
    published_on: str  # ISO date
    population_date: str
    pot_reason: str  # why this pot (the option chosen, or a what-if)
    inputs: dict[str, dict[str, str]]  # key -> code -> value as exact text ("12", "3/2")
    events: dict[str, dict[str, str]]  # event -> code -> ISO date
    recipients: tuple[RecipientLine, ...]
    blocks: tuple[BlockOutcome, ...]
    pot: int
    paid: int
    unallocated: int
    sources: tuple[Source, ...] = ()
    warnings: tuple[str, ...] = ()  # what the decider confirmed (Swedish)
    illustrative: bool = False
    migrated: bool = False  # taken when an earlier published decision was migrated
    grantor: str = ""  # the agency that decides (the round's rules)
    supersedes_reference: str = ""  # the diarienummer of the decision this one changes
    schema: int = SCHEMA
    content_hash: str = ""

    @property
    def totals(self) -> dict[str, int]:
        return {r.code: r.total for r in self.recipients}

    def recipient(self, code: str) -> RecipientLine:
        for line in self.recipients:
            if line.code == code:
                return line
        raise KeyError(code)

    def block(self, block_id: str) -> BlockOutcome:
        for block in self.blocks:
            if block.block_id == block_id:
                return block
        raise KeyError(block_id)


def _text(value: Any) -> str:
    if isinstance(value, Fraction):
        return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def exact_inputs(values: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, str]]:
    """key -> code -> value as exact text, in a fixed order."""
    return {key: {code: _text(v) for code, v in sorted(per.items())} for key, per in sorted(values.items())}


def outcomes(result: RoundResult, say_sv: Callable[[Notice], str]) -> tuple[BlockOutcome, ...]:
    """The blocks' outcomes, their notices worded in Swedish by ``say_sv`` (``present.notices``)."""
    return tuple(
        BlockOutcome(
            block_id=b.block_id,
            title=b.title,
            method=b.method,
            pot=b.pot,
            pot_source=b.pot_source,
            inflow=b.inflow,
            paid=b.paid,
            unpaid=b.unpaid,
            unpaid_to=b.unpaid_to,
            amounts=dict(sorted(b.amounts.items())),
            parts={part: dict(sorted(per.items())) for part, per in sorted(b.parts.items())},
            notices=tuple(say_sv(n) for n in b.notices),
            paid_on=b.paid_on,
        )
        for b in result.blocks
    )


def _plain(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def to_dict(snapshot: Snapshot, with_hash: bool = True) -> dict[str, Any]:
    data = _plain(asdict(snapshot))
    for block in data["blocks"]:
        if block.get("paid_on") is None:  # not recorded (an earlier snapshot): its JSON as it was sealed
            block.pop("paid_on", None)
    if not with_hash:
        data.pop("content_hash")
    return data


def canonical_json(snapshot: Snapshot, with_hash: bool = True) -> str:
    return json.dumps(to_dict(snapshot, with_hash), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_hash(snapshot: Snapshot) -> str:
    """SHA-256 of the canonical JSON of everything but the hash."""
    return hashlib.sha256(canonical_json(snapshot, with_hash=False).encode()).hexdigest()


def sealed(snapshot: Snapshot) -> Snapshot:
    """The snapshot with its content hash set; the sums are checked first."""
    check(snapshot)
    return replace(snapshot, content_hash=content_hash(snapshot))


def check(snapshot: Snapshot) -> None:
    """The sums close to the krona: per block, per recipient and in total; no amount is negative."""
    problems = []
    for block in snapshot.blocks:
        if sum(block.amounts.values()) != block.paid:
            problems.append(f"block {block.block_id}: amounts sum to {sum(block.amounts.values())}, paid {block.paid}")
        if any(a < 0 for a in block.amounts.values()):
            problems.append(f"block {block.block_id}: a negative amount")
    for line in snapshot.recipients:
        own = sum(b.amounts.get(line.code, 0) for b in snapshot.blocks)
        if own != line.total:
            problems.append(f"recipient {line.code}: blocks give {own}, total says {line.total}")
    if sum(r.total for r in snapshot.recipients) != snapshot.paid:
        problems.append("the recipients' totals do not sum to what was paid")
    if snapshot.paid + snapshot.unallocated != snapshot.pot:
        problems.append("paid + unallocated differs from the pot")
    if problems:
        raise ValueError("; ".join(problems))


def from_json(text: str) -> Snapshot:
    """A stored snapshot; its hash is checked (a changed byte raises ValueError)."""
    data = json.loads(text)
    if data.get("schema") != SCHEMA:
        raise ValueError(f"unknown snapshot schema {data.get('schema')!r}")
    data["recipients"] = tuple(
        RecipientLine(**{**r, "explanation": tuple(r["explanation"])}) for r in data["recipients"]
    )
    data["blocks"] = tuple(BlockOutcome(**{**b, "notices": tuple(b["notices"])}) for b in data["blocks"])
    data["sources"] = tuple(Source(**s) for s in data["sources"])
    data["warnings"] = tuple(data["warnings"])
    known = {f.name for f in fields(Snapshot)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValueError(f"unknown snapshot fields: {', '.join(unknown)}")
    snapshot = Snapshot(**data)
    if snapshot.content_hash != content_hash(snapshot):
        raise ValueError(f"decision {snapshot.number}: the content hash does not match its content")
    return snapshot


@dataclass(frozen=True)
class Change:
    """One recipient's amount in two decisions (or a decision and today's inputs)."""

    code: str
    name: str
    before: int
    after: int
    per_block: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def delta(self) -> int:
        return self.after - self.before


def changes(before: Snapshot, after: Snapshot) -> list[Change]:
    """Per recipient whose amount differs: before, after, and the blocks that changed."""
    result = []
    names = {r.code: r.name for r in (*before.recipients, *after.recipients)}
    old, new = before.totals, after.totals
    for code in sorted(set(old) | set(new)):
        per_block = {}
        for block in {b.block_id for b in (*before.blocks, *after.blocks)}:
            a = _amount(before, block, code)
            b = _amount(after, block, code)
            if a != b:
                per_block[block] = (a, b)
        if old.get(code, 0) != new.get(code, 0) or per_block:
            blocks = dict(sorted(per_block.items()))
            result.append(Change(code, names[code], old.get(code, 0), new.get(code, 0), blocks))
    return result


def _amount(snapshot: Snapshot, block_id: str, code: str) -> int:
    try:
        return snapshot.block(block_id).amounts.get(code, 0)
    except KeyError:
        return 0


@dataclass(frozen=True)
class InputChange:
    key: str  # a data key or an event
    code: str
    before: str  # "" when absent
    after: str


def input_changes(
    snapshot: Snapshot, inputs: Mapping[str, Mapping[str, str]], events: Mapping[str, Mapping[str, str]]
) -> list[InputChange]:
    """What differs between the snapshot's inputs and today's (both as exact text)."""
    result = []
    for stored, now in ((snapshot.inputs, inputs), (snapshot.events, events)):
        for key in sorted(set(stored) | set(now)):
            a, b = stored.get(key, {}), now.get(key, {})
            for code in sorted(set(a) | set(b)):
                if a.get(code, "") != b.get(code, ""):
                    result.append(InputChange(key, code, a.get(code, ""), b.get(code, "")))
    return result
