"""What changed between two versions of a round's rules, and what staff must look at before saving (pure).

Works on rules documents as the rules reader parses them (``allocation.toml_bounds.load_rules``), in any of
the three formats (performance, fixed, blocks). ``diff`` lists the changes (header, pots, staircase steps,
milestone dates, a block's recipients) and ``planned_changes`` those of a planned table. The checks:
``date_flags`` finds dates outside the round's year and pairs of dates whose order the edit reversed;
``stale_quotes`` finds source quotes whose figures (a year, an amount in kronor, a date) no longer match the
round after the change. Everything is data: the texts for people are made in ``present.round_review``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import permutations
from typing import Any

Path = tuple[str | int, ...]
HEADER = ("id", "title", "short_title", "dnr", "year", "version")
DATE_FIELDS = ("start", "due", "after")
QUOTE_KEYS = ("quote", "key_quote")
MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
          "november", "december")  # fmt: skip

_KRONOR = re.compile(r"(?<![\d,])(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)\s*(?:kr\b|kronor)", re.IGNORECASE)
_MILLIONS = re.compile(r"(?<![\d,])(\d+(?:,\d+)?)\s*(?:MSEK|mnkr|miljoner kronor)", re.IGNORECASE)
_YEAR = re.compile(r"(?<![\w/])((?:19|20)\d\d)(?![\w/])")
_ISO_DATE = re.compile(r"(?<![\w/])(\d{4})-(\d{2})-(\d{2})(?![\w/])")
_SV_DATE = re.compile(r"(?<!\d)(\d{1,2})\s+(" + "|".join(MONTHS) + r")\s+(\d{4})(?!\d)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Change:
    """One changed value. ``topic``: header, pot, steps, dates, recipients or planned. ``role`` names the kind
    of item (a closed set: see ``present.round_review``), ``name`` the item as the rules file names it."""

    topic: str
    role: str
    name: str
    field: str
    before: Any
    after: Any


@dataclass(frozen=True, slots=True)
class DateFlag:
    """A milestone date to confirm: ``outside_year`` (not in the round's year) or ``order`` (the edit put it
    after ``other``, which it came before in the source round)."""

    kind: str
    milestone: str  # the milestone's label
    field: str  # start, due or after
    day: date
    year: int | None = None
    other_milestone: str = ""
    other_field: str = ""
    other_day: date | None = None

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.milestone}:{self.field}:{self.other_milestone}:{self.other_field}"


@dataclass(frozen=True, slots=True)
class Mention:
    """A figure a quote states that no longer holds: a year, an amount (kronor) or a date; ``now`` what the
    round says instead (None: the figure is gone from the round)."""

    kind: str  # year, amount or date
    stated: int | date
    now: int | date | tuple[date, ...] | None


@dataclass(frozen=True, slots=True)
class QuoteFlag:
    path: Path  # to the table that holds the quote
    key: str  # quote or key_quote
    name: str  # the table's own name (label, title, section) for people
    section: str
    quote: str
    mentions: tuple[Mention, ...]
    step: int | None = None  # a staircase step's quote: the step's threshold (positions beyond plan)

    @property
    def id(self) -> str:
        return "/".join(str(p) for p in (*self.path, self.key))


# --- figures of a round --------------------------------------------------------------------------------


def pot_figures(doc: Mapping[str, Any]) -> dict[Path, tuple[str, str, int]]:
    """Every pot figure: path → (role, name, amount). Roles: option, pot, agency_costs, gross, block."""
    found: dict[Path, tuple[str, str, int]] = {}

    def from_pot(pot: Mapping[str, Any], path: Path, name: str, role: str) -> None:
        for i, option in enumerate(pot.get("options", [])):
            label = str(option.get("label") or option.get("id"))
            found[(*path, "options", i, "amount")] = ("option", f"{name}: {label}" if name else label, option["amount"])
        if isinstance(pot.get("amount"), int):
            found[(*path, "amount")] = (role, name, pot["amount"])
        for key, field in (("agency_costs", "amount"), ("agency_costs", "max_amount"), ("gross", "amount")):
            value = pot.get(key, {}).get(field) if isinstance(pot.get(key), Mapping) else None
            if isinstance(value, int):
                found[(*path, key, field)] = (key, name, value)

    if isinstance(doc.get("pot"), Mapping):
        from_pot(doc["pot"], ("pot",), "", "pot")
    for i, block in enumerate(doc.get("blocks", [])):
        if isinstance(block.get("pot"), Mapping):
            from_pot(block["pot"], ("blocks", i, "pot"), str(block.get("title", "")), "block")
    return found


def staircase_figures(doc: Mapping[str, Any]) -> dict[Path, tuple[str, dict[int, int]]]:
    """Each staircase: path → (name, {min_expansion: amount}); name is "" for a performance round's one."""
    found: dict[Path, tuple[str, dict[int, int]]] = {}
    if isinstance(doc.get("staircase"), Mapping):
        found[("staircase",)] = ("", {s["min_expansion"]: s["amount"] for s in doc["staircase"].get("steps", [])})
    for i, block in enumerate(doc.get("blocks", [])):
        steps = block.get("params", {}).get("steps") if isinstance(block.get("params"), Mapping) else None
        if steps:
            found[("blocks", i, "params")] = (
                str(block.get("title", "")),
                {s["min_expansion"]: s["amount"] for s in steps},
            )
    return found


def _amounts(doc: Mapping[str, Any]) -> set[int]:
    steps = {a for _, table in staircase_figures(doc).values() for a in table.values()}
    return {amount for _, _, amount in pot_figures(doc).values()} | steps


def _milestones(doc: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {str(m["id"]): m for m in doc.get("milestones", []) if isinstance(m, Mapping) and "id" in m}


def _recipients(doc: Mapping[str, Any]) -> dict[int, tuple[str, tuple[str, ...] | None]]:
    """Each block's listed recipients (None: all); blocks with a rule are left out (edited in the file)."""
    found: dict[int, tuple[str, tuple[str, ...] | None]] = {}
    for i, block in enumerate(doc.get("blocks", [])):
        eligible = block.get("eligible", "all")
        if eligible == "all":
            found[i] = (str(block.get("title", "")), None)
        elif isinstance(eligible, Mapping) and "codes" in eligible:
            found[i] = (str(block.get("title", "")), tuple(sorted(str(c) for c in eligible["codes"])))
    return found


def population(doc: Mapping[str, Any]) -> tuple[date | None, str]:
    """The date of the population the round uses, and its source as the rules file states it."""
    for table in (doc.get("redistribution"), doc, doc.get("amounts")):
        if isinstance(table, Mapping):
            for key in ("population_date", "estimate_population_date"):
                if isinstance(table.get(key), date):
                    return table[key], str(table.get("population_source", ""))
    return None, ""


# --- the diff ------------------------------------------------------------------------------------------


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Change]:
    """Every change from ``before`` to ``after`` that the round editor can make, in the page's order."""
    changes = [Change("header", key, "", key, before.get(key), after.get(key)) for key in HEADER]
    changes = [c for c in changes if c.before != c.after]
    old_pots, new_pots = pot_figures(before), pot_figures(after)
    for path in [*old_pots, *(p for p in new_pots if p not in old_pots)]:
        old, new = old_pots.get(path), new_pots.get(path)
        if old is None or new is None or old[2] != new[2]:
            role, name, _ = old or new  # type: ignore[misc]
            changes.append(Change("pot", role, name, "amount", old and old[2], new and new[2]))
    old_stairs, new_stairs = staircase_figures(before), staircase_figures(after)
    for path in [*old_stairs, *(p for p in new_stairs if p not in old_stairs)]:
        name, old_steps = old_stairs.get(path, ("", {}))
        new_name, new_steps = new_stairs.get(path, (name, {}))
        for threshold in sorted(set(old_steps) | set(new_steps)):
            if old_steps.get(threshold) != new_steps.get(threshold):
                changes.append(
                    Change("steps", "staircase", name or new_name, str(threshold), old_steps.get(threshold),
                           new_steps.get(threshold))
                )  # fmt: skip
    changes += _date_changes(_milestones(before), _milestones(after))
    old_who, new_who = _recipients(before), _recipients(after)
    for i in sorted(set(old_who) & set(new_who)):
        if old_who[i][1] != new_who[i][1]:
            changes.append(Change("recipients", "block", new_who[i][0], "codes", old_who[i][1], new_who[i][1]))
    return changes


def _date_changes(old: Mapping[str, Mapping[str, Any]], new: Mapping[str, Mapping[str, Any]]) -> list[Change]:
    changes = []
    for mid in [*old, *(m for m in new if m not in old)]:
        was, now = old.get(mid, {}), new.get(mid, {})
        name = str(was.get("label") or now.get("label") or mid)
        if was and now and was.get("label") != now.get("label"):
            changes.append(Change("dates", "milestone", name, "label", was.get("label"), now.get("label")))
        for field in DATE_FIELDS:
            if was.get(field) != now.get(field):
                changes.append(Change("dates", "milestone", name, field, was.get(field), now.get(field)))
    return changes


def planned_changes(before: Mapping[str, str] | None, after: Mapping[str, str] | None) -> list[Change]:
    """Per recipient code, a planned value that differs (as written: "28", "1-5"); None where there is none."""
    old, new = dict(before or {}), dict(after or {})
    return [
        Change("planned", "recipient", code, "planned", old.get(code), new.get(code))
        for code in sorted(set(old) | set(new))
        if old.get(code) != new.get(code)
    ]


# --- the checks ----------------------------------------------------------------------------------------


def _dates(doc: Mapping[str, Any]) -> list[tuple[str, str, str, date]]:
    """(milestone id, label, field, date) for every date of every milestone, in the file's order."""
    return [
        (mid, str(m.get("label", mid)), field, m[field])
        for mid, m in _milestones(doc).items()
        for field in DATE_FIELDS
        if isinstance(m.get(field), date)
    ]


def date_flags(after: Mapping[str, Any], before: Mapping[str, Any] | None = None) -> list[DateFlag]:
    """Dates outside the round's year; with ``before``, pairs of dates whose order the edit reversed."""
    year = after.get("year") if isinstance(after.get("year"), int) else None
    dates = _dates(after)
    flags = [
        DateFlag("outside_year", label, field, day, year) for _, label, field, day in dates if year and day.year != year
    ]
    if before is not None:
        was = {(mid, field): day for mid, _, field, day in _dates(before)}
        for (m1, l1, f1, d1), (m2, l2, f2, d2) in permutations(dates, 2):
            b1, b2 = was.get((m1, f1)), was.get((m2, f2))
            if b1 is not None and b2 is not None and b1 < b2 and d1 > d2:
                flags.append(DateFlag("order", l1, f1, d1, year, l2, f2, d2))
    return flags


def _quotes(node: Any, path: Path = (), section: str = "") -> Iterator[tuple[Path, str, Mapping[str, Any], str]]:
    """Every (path, key, table, section) of a quote; a table without a section has its parent's."""
    if isinstance(node, Mapping):
        section = str(node.get("section") or section)
        for key in QUOTE_KEYS:
            if isinstance(node.get(key), str):
                yield path, key, node, section
        for key, value in node.items():
            yield from _quotes(value, (*path, key), section)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _quotes(value, (*path, i), section)


def stated_amounts(text: str) -> set[int]:
    """Amounts in kronor a text states: ``254 000 000 kronor``, ``2 000 000 kr``, ``223 MSEK``."""
    found = {int(re.sub(r"\D", "", m.group(1))) for m in _KRONOR.finditer(text)}
    for m in _MILLIONS.finditer(text):
        whole, _, part = m.group(1).partition(",")
        found.add(int(whole) * 1_000_000 + int((part + "000000")[:6]))
    return found


def stated_dates(text: str) -> set[date]:
    """Dates a text states: ``1 november 2023`` or ``2023-11-01`` (an impossible date is left out)."""
    found = set()
    for y, m, d in _ISO_DATE.findall(text):
        found |= _date(int(y), int(m), int(d))
    for d, month, y in _SV_DATE.findall(text):
        found |= _date(int(y), MONTHS.index(month.lower()) + 1, int(d))
    return found


def stated_years(text: str) -> set[int]:
    return {int(y) for y in _YEAR.findall(text)} | {d.year for d in stated_dates(text)}


def _date(year: int, month: int, day: int) -> set[date]:
    try:
        return {date(year, month, day)}
    except ValueError:
        return set()


def stale_quotes(after: Mapping[str, Any], before: Mapping[str, Any] | None = None) -> list[QuoteFlag]:
    """Quotes whose figures no longer hold: a year when the round's year changed, an amount that is no longer
    the figure beside it (or was a figure of ``before`` and is none of ``after``), a milestone's date."""
    new_year = after.get("year") if isinstance(after.get("year"), int) else None
    old_year = before.get("year") if before is not None else None
    gone = _amounts(before) - _amounts(after) if before is not None else set()
    flags = []
    for path, key, table, section in _quotes(after):
        text = table[key]
        mentions: list[Mention] = []
        if new_year and old_year and new_year != old_year:
            mentions += [Mention("year", y, new_year) for y in sorted(stated_years(text)) if y != new_year]
        amounts = stated_amounts(text)
        own = next((table[k] for k in ("amount", "max_amount") if isinstance(table.get(k), int)), None)
        for amount in sorted(amounts):
            if own is not None and amount != own:
                mentions.append(Mention("amount", amount, own))
            elif own is None and amount in gone:
                mentions.append(Mention("amount", amount, None))
        if len(path) >= 2 and path[-2] == "milestones":  # a milestone: its quote's dates are its own
            days = tuple(table[f] for f in DATE_FIELDS if isinstance(table.get(f), date))
            mentions += [Mention("date", d, days) for d in sorted(stated_dates(text)) if d not in days]
        if mentions:
            name = str(table.get("label") or table.get("title") or "")
            step = table.get("min_expansion") if isinstance(table.get("min_expansion"), int) else None
            flags.append(QuoteFlag(path, key, name, section, text, tuple(mentions), step))
    return flags
