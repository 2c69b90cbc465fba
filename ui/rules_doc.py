"""Editing a copy of a rules file (TOML) for a new round, keeping its comments and source quotes (tomlkit).

Pure: no Streamlit. The editor reads the header, the pots, the staircases and the milestones of a rules
document in any of the round formats (performance, fixed, blocks), and writes the changes back. A figure
that staff change gets a quote saying so: it is no longer the seed's sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import tomlkit
from tomlkit.items import AoT, Table
from tomlkit.toml_document import TOMLDocument

from allocation.toml_bounds import load_rules
from present.eligibility import rule_sv
from present.formats import kr

Path_ = tuple[str | int, ...]
HEADER = ("id", "title", "short_title", "dnr", "year", "version")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
CHANGED_QUOTE = "Ändrat av handläggare i tjänsten (inte anvisningens mening)."


@dataclass(frozen=True)
class PotRef:
    path: Path_  # to the ``amount`` value
    label: str
    amount: int


@dataclass(frozen=True)
class StaircaseRef:
    path: Path_  # to the ``steps`` array of tables
    label: str
    steps: tuple[tuple[int, int], ...]  # (min_expansion, amount)


@dataclass(frozen=True)
class RecipientsRef:
    """A block's eligible recipients: ``codes`` for a list, ``None`` for all; ``rule`` for one staff cannot list."""

    block: int
    label: str
    codes: tuple[str, ...] | None
    rule: str = ""  # a rule on data or "same as block X": edited in the file, shown as text


MILESTONE_FIELDS = ("start", "due", "after")


def load(text: str) -> TOMLDocument:
    """The text as tomlkit's document, once it has passed the rules reader's bounds (``RulesError`` if not)."""
    load_rules(text)
    return tomlkit.parse(text)


def dump(doc: TOMLDocument) -> str:
    return tomlkit.dumps(doc)


def _get(doc: Any, path: Path_) -> Any:
    for key in path:
        doc = doc[key]
    return doc


def header(doc: TOMLDocument) -> dict[str, Any]:
    return {key: doc.get(key) for key in HEADER} | {"kind": doc.get("kind")}


def set_header(doc: TOMLDocument, values: dict[str, Any]) -> None:
    for key in HEADER:
        if key in values and values[key] is not None:
            if key in doc:
                doc[key] = values[key]
            else:  # e.g. short_title or year missing in an older rules file
                doc.add(key, values[key])


def pots(doc: TOMLDocument) -> list[PotRef]:
    """Every pot figure the round has: a performance round's options, a fixed total, each block's pot."""
    found: list[PotRef] = []

    def from_pot(pot: Any, path: Path_, prefix: str) -> None:
        if "options" in pot:
            for i, option in enumerate(pot["options"]):
                label = str(option.get("label") or option.get("id"))
                found.append(PotRef((*path, "options", i, "amount"), f"{prefix}{label}", int(option["amount"])))
        elif "amount" in pot:
            found.append(PotRef((*path, "amount"), prefix.rstrip(": ") or "Pott", int(pot["amount"])))

    if "blocks" in doc:
        for i, block in enumerate(doc["blocks"]):
            from_pot(block["pot"], ("blocks", i, "pot"), f"{block['title']}: ")
    elif "pot" in doc:
        from_pot(doc["pot"], ("pot",), "")
    return found


def staircases(doc: TOMLDocument) -> list[StaircaseRef]:
    found = []
    if "staircase" in doc and "steps" in doc["staircase"]:
        found.append(StaircaseRef(("staircase", "steps"), "Trappan", _steps(doc["staircase"]["steps"])))
    for i, block in enumerate(doc.get("blocks", [])):
        params = block.get("params", {})
        if "steps" in params:
            found.append(StaircaseRef(("blocks", i, "params", "steps"), str(block["title"]), _steps(params["steps"])))
    return found


def _steps(steps: Any) -> tuple[tuple[int, int], ...]:
    return tuple((int(s["min_expansion"]), int(s["amount"])) for s in steps)


def set_amount(doc: TOMLDocument, path: Path_, amount: int) -> None:
    """Set a pot figure; its quote then says staff changed it (the seed's sentence no longer holds)."""
    parent = _get(doc, path[:-1])
    if int(parent[path[-1]]) == amount:
        return
    parent[path[-1]] = amount
    if "quote" in parent:
        parent["quote"] = CHANGED_QUOTE
    if "label" in parent:
        parent["label"] = f"{kr(amount)} (ändrat av handläggare)"


def set_steps(doc: TOMLDocument, path: Path_, steps: list[tuple[int, int]]) -> None:
    """Replace a staircase's steps; an unchanged step keeps its quote, a changed or new one says so."""
    old: AoT = _get(doc, path)
    kept = {(int(s["min_expansion"]), int(s["amount"])): s for s in old}
    fresh = tomlkit.aot()
    for threshold, amount in steps:
        previous = kept.get((threshold, amount))
        table: Table = tomlkit.table()
        table.add("min_expansion", threshold)
        table.add("amount", amount)
        for key, value in previous.items() if previous is not None else ():
            if key not in ("min_expansion", "amount"):
                table.add(key, value)
        if previous is None:
            table.add("quote", CHANGED_QUOTE)
        fresh.append(table)
    _get(doc, path[:-1])[path[-1]] = fresh


def recipients(doc: TOMLDocument) -> list[RecipientsRef]:
    """Each block's eligible recipients (a round without blocks pays every recipient: nothing to edit)."""
    found = []
    for i, block in enumerate(doc.get("blocks", [])):
        eligible = block.get("eligible", "all")
        label = str(block["title"])
        if eligible == "all":
            found.append(RecipientsRef(i, label, None))
        elif "codes" in eligible:
            found.append(RecipientsRef(i, label, tuple(str(c) for c in eligible["codes"])))
        elif "same_as" in eligible:
            titles = {str(b["id"]): str(b["title"]) for b in doc["blocks"]}
            same = titles.get(str(eligible["same_as"]), str(eligible["same_as"]))
            found.append(RecipientsRef(i, label, None, f"samma som i {same}"))
        else:
            found.append(RecipientsRef(i, label, None, rule_sv(eligible["key"], eligible["op"], eligible["than"])))
    return found


def set_recipients(doc: TOMLDocument, ref: RecipientsRef, codes: list[str], every: list[str]) -> None:
    """A block's recipients: all of ``every`` keeps (or becomes) ``"all"``; otherwise a list of codes.

    A changed list's quote says staff changed it; an unchanged one keeps the file's text untouched.
    """
    if ref.rule:
        return
    chosen = sorted(codes)
    before = sorted(ref.codes) if ref.codes is not None else sorted(every)
    if chosen == before:
        return
    block = doc["blocks"][ref.block]
    eligible = block.get("eligible")
    if isinstance(eligible, Table):
        eligible["codes"] = chosen
        if "quote" in eligible:
            eligible["quote"] = CHANGED_QUOTE
        return
    table = tomlkit.table()
    table.add("codes", chosen)
    table.add("section", "Ändrat i tjänsten")
    table.add("quote", CHANGED_QUOTE)
    block["eligible"] = table


def milestones(doc: TOMLDocument) -> list[dict[str, Any]]:
    return [
        {"id": str(m["id"]), "label": str(m["label"])} | {k: m.get(k) for k in MILESTONE_FIELDS}
        for m in doc.get("milestones", [])
    ]


def set_milestones(doc: TOMLDocument, rows: list[dict[str, Any]]) -> None:
    """Update each milestone's label and dates (matched by id); an emptied date is removed."""
    by_id = {row["id"]: row for row in rows}
    for milestone in doc.get("milestones", []):
        row = by_id.get(str(milestone["id"]))
        if row is None:
            continue
        if row.get("label"):
            milestone["label"] = row["label"]
        for key in MILESTONE_FIELDS:
            value = row.get(key)
            if isinstance(value, date):
                milestone[key] = value
            elif key in milestone:
                del milestone[key]


def set_quote(doc: TOMLDocument, path: Path_, key: str, text: str) -> None:
    """Replace the quote ``key`` (quote, key_quote) of the table at ``path``: staff rewrote or removed it."""
    _get(doc, path)[key] = text
