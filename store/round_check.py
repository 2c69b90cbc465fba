"""Checking a rules file of any kind before the store takes it: every problem named by its field.

Pure (no database): the store passes its region codes, its regions at a date and the planned table.

- ``read_head``: the TOML, ``kind``, ``id``, ``version``, ``title`` and where the planned table comes from
  — what the store needs to place the text;
- ``check_rules``: the whole file, by the reader of its kind: ``allocation.block_rules`` for ``blocks``;
  for ``performance`` and ``fixed`` a field-by-field check (``PERFORMANCE``, ``FIXED``) and then
  ``allocation.rules.parse_round`` / ``allocation.fixed.parse_fixed_round``;
- ``check_planned``: a planned table: every value a number or a range, every region known, none missing.

Problems are (English, Swedish) pairs, each beginning with its field (``staircase.steps[1].amount: ...``),
raised together as one ``RulesRefused``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from allocation.block_fields import RulesError
from allocation.block_rules import parse_block_round
from allocation.fixed import parse_fixed_round
from allocation.money import MAX_AMOUNT, kr, within_bound
from allocation.planned import ParseError, parse_planned
from allocation.problems import Problem
from allocation.regions import Region
from allocation.rules import KEYS, parse_round
from allocation.rules_text import visible
from allocation.toml_bounds import load_rules
from present.problems import problem_en, problem_sv
from present.rule_problems import rule_problem_en, rule_problem_sv
from store.model import RulesRefused

KINDS = ("performance", "fixed", "blocks")
ROUND_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")
FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,119}")  # a plain name of a file beside the rules file

Problems = list[tuple[str, str]]
RegionsAt = Callable[[date], Sequence[Region]]

# The fields today's two formats need, by type; "name?" is optional; [spec] a non-empty array of tables.
TEXT, WHOLE, DAY, FLAG = "text", "whole", "day", "flag"
_TYPES = {
    TEXT: ("non-empty text", "en text som inte är tom"),
    WHOLE: ("a whole number", "ett heltal"),
    DAY: ("a date (YYYY-MM-DD)", "ett datum (ÅÅÅÅ-MM-DD)"),
    FLAG: ("true or false", "true eller false"),
}
MILESTONE = {
    "id": TEXT, "label": TEXT, "quote": TEXT, "section?": TEXT,
    "start?": DAY, "due?": DAY, "after?": DAY, "expected?": FLAG, "region_action?": FLAG, "event?": TEXT,
}  # fmt: skip
CITED = {"section?": TEXT, "quote": TEXT}
PERFORMANCE: dict[str, Any] = {
    "id": TEXT, "title": TEXT, "version": TEXT, "dnr": TEXT, "seed_file": TEXT, "planned_file": TEXT,
    "short_title?": TEXT, "year?": WHOLE, "grantor?": TEXT,
    "source": CITED, "outcome": CITED, "planned": CITED, "excluded": CITED,
    "pot": {
        "default": TEXT,
        "options": [{"id": TEXT, "amount": WHOLE, "label": TEXT, **CITED}],
        "agency_costs": {"amount": WHOLE, **CITED},
    },
    "staircase": {"section": TEXT, "quote": TEXT, "steps": [{"min_expansion": WHOLE, "amount": WHOLE, **CITED}]},
    "redistribution": {
        "key": TEXT, "per_inhabitants": WHOLE, "population_date": DAY, "population_source": TEXT,
        "section": TEXT, "quote": TEXT, "key_quote": TEXT,
    },
    "milestones?": [MILESTONE],
}  # fmt: skip
FIXED: dict[str, Any] = {
    "id": TEXT, "title": TEXT, "version": TEXT, "dnr": TEXT, "short_title?": TEXT, "year?": WHOLE,
    "pot": {"amount": WHOLE, "gross": {"amount": WHOLE}, "agency_costs": {"max_amount": WHOLE}},
    "amounts": {"official_table": TEXT, "estimate_population_date": DAY},
    "milestones": [MILESTONE],
}  # fmt: skip
FIXED_MILESTONES = ("requisition", "usage_report")  # their due dates are the round's deadlines


@dataclass(frozen=True, slots=True)
class RulesHead:
    """What the store needs to place a rules text; the rest is checked by ``check_rules``."""

    text: str
    doc: dict[str, Any]
    kind: str
    id: str
    version: str
    title: str
    dnr: str
    planned_file: str | None  # the planned table's file, named by the rules (beside the rules file)
    planned_table: dict[str, str] | None  # a blocks round's inline ``[planned] table``, as text

    @property
    def planned_field(self) -> str:
        """The field that names the planned table's file, as the rules' format spells it."""
        return "planned_file" if self.kind == "performance" else "planned.file"


# Each format (``kind``) in English and Swedish, for the reader's messages.
FORMAT_WORDS = {
    "performance": ("performance round", "prestationsbaserad omgång"),
    "fixed": ("fixed-amount round", "omgång med fasta belopp"),
    "blocks": ("round of blocks", "omgång i block"),
}


def format_problem(head: RulesHead, stored: Collection[str]) -> tuple[str, str] | None:
    """(English, Swedish) when the store holds the round in another format (``stored``: the formats of its
    saved versions): a round keeps its format, so that every decision's frozen rules text reads the same way."""
    other = sorted(set(stored) - {head.kind})
    if not other:
        return None
    sv = FORMAT_WORDS[other[0]][1]
    return (
        f"kind: round {head.id!r} is a {other[0]} round, not {head.kind}; save it under a new id",
        f"kind: omgången {head.id} är en {sv}, inte en {FORMAT_WORDS[head.kind][1]}; spara den under ett nytt id.",
    )


def estimate_basis(head: RulesHead) -> tuple[int, date, str] | None:
    """For a format whose rules carry no table of amounts (``fixed``): the total to share, the population date
    of the estimate and where the official table is published; None for a format that has its own table."""
    if head.kind != "fixed":
        return None
    fixed = parse_fixed_round(head.doc)
    return fixed.total, fixed.population_date, fixed.official_table


def _add(problems: Problems, field: str, en: str, sv: str) -> None:
    problems.append((f"{field}: {en}" if field else en, f"{field}: {sv}" if field else sv))


def _as_text(raw: Any) -> str:
    """A planned value as the store keeps it ("28", "2.5", "1-5")."""
    if isinstance(raw, bool):
        return str(raw).lower()
    return raw.strip() if isinstance(raw, str) else str(raw)


def _file_name(value: Any, field: str, problems: Problems) -> str | None:
    if isinstance(value, str) and FILE_NAME.fullmatch(value):
        return value
    _add(
        problems,
        field,
        f"must be the plain name of a file beside the rules file (no folders), got {value!r}",
        f"måste vara namnet på en fil bredvid regelfilen (utan mappar), fick {value!r}",
    )
    return None


def read_head(text: str) -> RulesHead:
    """The TOML (read within ``allocation.toml_bounds``) and the fields every kind has; raises ``RulesRefused``
    naming each bad field."""
    try:
        doc = load_rules(text)
    except RulesError as exc:
        raise RulesRefused([(rule_problem_en(p), rule_problem_sv(p)) for p in exc.problems]) from None
    problems: Problems = []
    kind = doc.get("kind")
    if kind not in KINDS:
        got = "missing" if kind is None else f"got {kind!r}"
        got_sv = "saknas" if kind is None else f"fick {kind!r}"
        _add(
            problems,
            "kind",
            f"must be one of {', '.join(KINDS)} ({got})",
            f"måste vara ett av {', '.join(KINDS)} ({got_sv})",
        )
    texts: dict[str, str] = {}
    for name in ("id", "version", "title"):
        value = doc.get(name)
        if value is None:
            _add(problems, name, "missing field", "fältet saknas")
        elif not isinstance(value, str) or not value.strip():
            _add(problems, name, "must be non-empty text", "måste vara en text som inte är tom")
        else:
            texts[name] = value
    if "id" in texts and not ROUND_ID.fullmatch(texts["id"]):
        _add(
            problems,
            "id",
            "may hold only letters a-z, digits, '.', '_' and '-' (at most 80, first a letter or digit), "
            f"got {texts['id']!r}",
            f"får bara innehålla a–z, siffror, punkt, understreck och bindestreck (högst 80 tecken, först en "
            f"bokstav eller siffra), fick {texts['id']!r}",
        )
    if "version" in texts and len(texts["version"]) > 40:
        _add(problems, "version", "at most 40 characters", "högst 40 tecken")
    planned_file, planned_table = None, None
    if kind == "performance" and "planned_file" in doc:
        planned_file = _file_name(doc["planned_file"], "planned_file", problems)
    planned = doc.get("planned")
    if kind == "blocks" and isinstance(planned, dict):
        if "file" in planned:
            planned_file = _file_name(planned["file"], "planned.file", problems)
        if isinstance(planned.get("table"), dict):
            planned_table = {str(code): _as_text(raw) for code, raw in planned["table"].items()}
    if problems:
        raise RulesRefused(problems)
    dnr = doc.get("dnr", "")
    return RulesHead(
        text, doc, str(kind), texts["id"], texts["version"], texts["title"], dnr if isinstance(dnr, str) else "",
        planned_file, planned_table,
    )  # fmt: skip


def _fits(value: Any, want: str) -> bool:
    if want == TEXT:
        return isinstance(value, str) and bool(value.strip())
    if want == WHOLE:
        return isinstance(value, int) and not isinstance(value, bool)
    if want == DAY:
        return isinstance(value, date) and not isinstance(value, datetime)
    return isinstance(value, bool)


def spec_problems(raw: Any, spec: Mapping[str, Any], path: str, problems: Problems) -> None:
    """Every required field present, every field of its type (fields the spec does not name are left alone)."""
    if not isinstance(raw, dict):
        _add(problems, path, "must be a table", "måste vara en tabell")
        return
    for key, want in spec.items():
        name = key.removesuffix("?")
        field = f"{path}.{name}" if path else name
        if name not in raw:
            if not key.endswith("?"):
                _add(problems, field, "missing field", "fältet saknas")
            continue
        value = raw[name]
        if isinstance(want, dict):
            spec_problems(value, want, field, problems)
        elif isinstance(want, list):
            if not isinstance(value, list) or not value:
                _add(problems, field, "must be a non-empty list of tables", "måste vara en lista med minst en tabell")
                continue
            for i, item in enumerate(value):
                spec_problems(item, want[0], f"{field}[{i}]", problems)
        elif not _fits(value, want):
            en, sv = _TYPES[want]
            _add(problems, field, f"must be {en}, got {value!r}", f"måste vara {sv}, fick {value!r}")


def _amount(value: int, field: str, problems: Problems) -> None:
    """An amount in kronor: 0 … ``MAX_AMOUNT``."""
    if value < 0:
        _add(problems, field, f"must not be negative, got {value}", f"får inte vara negativt, fick {value}")
    elif not within_bound(value):
        _add(
            problems,
            field,
            f"{value} is more than {kr(MAX_AMOUNT)}, the largest amount accepted",
            f"{value} är mer än {kr(MAX_AMOUNT)}, det största belopp som tas emot",
        )


def _unique(ids: list[Any], field: str, what: tuple[str, str], problems: Problems) -> None:
    seen: set[str] = set()  # linear: 21 000 milestones took seconds with list.index
    for i, item in enumerate(ids):
        if item in seen:
            en, sv = f"{what[0]} {item!r} appears twice", f"{what[1]} {item!r} förekommer två gånger"
            _add(problems, f"{field}[{i}].id", en, sv)
        elif isinstance(item, str):
            seen.add(item)


def _milestone_problems(doc: dict[str, Any], problems: Problems) -> None:
    """Unique ids (the store keys milestones by them) and dates in order: start and after not past due."""
    milestones = [m for m in doc.get("milestones", []) if isinstance(m, dict)]
    _unique([m.get("id") for m in milestones], "milestones", ("milestone", "milstolpen"), problems)
    for i, m in enumerate(milestones):
        due = m.get("due")
        for name in ("start", "after"):
            early = m.get(name)
            if isinstance(early, date) and isinstance(due, date) and early > due:
                _add(
                    problems,
                    f"milestones[{i}].{name}",
                    f"{early} comes after the due date {due}",
                    f"{early} kommer efter slutdatumet {due}",
                )


def _performance_problems(doc: dict[str, Any], problems: Problems) -> None:
    pot, staircase, redistribution = doc["pot"], doc["staircase"], doc["redistribution"]
    ids = [o["id"] for o in pot["options"]]
    _unique(ids, "pot.options", ("pot option", "pottalternativet"), problems)
    for i, option in enumerate(pot["options"]):
        _amount(option["amount"], f"pot.options[{i}].amount", problems)
    if pot["default"] not in ids:
        _add(
            problems,
            "pot.default",
            f"no pot option {pot['default']!r} (options: {', '.join(ids)})",
            f"inget pottalternativ {pot['default']!r} (finns: {', '.join(ids)})",
        )
    _amount(pot["agency_costs"]["amount"], "pot.agency_costs.amount", problems)
    previous, paid = 0, 0
    for i, step in enumerate(staircase["steps"]):
        field = f"staircase.steps[{i}]"
        if step["min_expansion"] <= previous:
            _add(
                problems,
                f"{field}.min_expansion",
                f"steps must be positive and strictly increasing ({step['min_expansion']} after {previous})",
                f"trappstegen måste vara positiva och strikt stigande ({step['min_expansion']} efter {previous})",
            )
        previous = step["min_expansion"]
        _amount(step["amount"], f"{field}.amount", problems)
        if 0 <= step["amount"] < paid:
            _add(
                problems,
                f"{field}.amount",
                f"a higher step may not pay less ({step['amount']} after {paid})",
                f"ett högre trappsteg får inte ge mindre ({step['amount']} efter {paid})",
            )
        paid = max(paid, step["amount"])
    if redistribution["key"] not in KEYS:
        _add(
            problems, "redistribution.key", f"must be one of {', '.join(KEYS)}", f"måste vara ett av {', '.join(KEYS)}"
        )
    if redistribution["per_inhabitants"] <= 0:
        _add(problems, "redistribution.per_inhabitants", "must be positive", "måste vara större än noll")


def _fixed_problems(doc: dict[str, Any], problems: Problems) -> None:
    pot = doc["pot"]
    _amount(pot["amount"], "pot.amount", problems)
    _amount(pot["gross"]["amount"], "pot.gross.amount", problems)
    _amount(pot["agency_costs"]["max_amount"], "pot.agency_costs.max_amount", problems)
    dues = {m["id"]: m.get("due") for m in doc["milestones"]}
    for wanted in FIXED_MILESTONES:
        if not isinstance(dues.get(wanted), date):
            _add(
                problems,
                "milestones",
                f"needs a milestone {wanted!r} with a due date",
                f"behöver en milstolpe {wanted!r} med slutdatum",
            )


def _population(regions_at: RegionsAt, when: date, field: str, problems: Problems) -> Sequence[Region]:
    regions = regions_at(when)
    if not regions:
        _add(problems, field, f"the store has no population for {when}", f"databasen har ingen befolkning per {when}")
    return regions


def check_planned(planned: Mapping[str, Any], codes: Collection[str], field: str = "planned") -> Problems:
    """Problems of a planned table: values that are no number or range, unknown regions, regions missing."""
    problems: Problems = []
    for code, raw in planned.items():
        if code not in codes:
            _add(problems, f"{field}.{code}", f"unknown region code {code!r}", f"okänd regionkod {code!r}")
            continue
        try:
            parse_planned(_as_text(raw))
        except ParseError as exc:
            problem = Problem(exc.code, value=_as_text(raw), detail=exc.detail)
            _add(problems, f"{field}.{code}", problem_en(problem), problem_sv(problem))
    missing = sorted(set(codes) - set(planned))
    if missing:
        _add(problems, field, f"no value for {', '.join(missing)}", f"värde saknas för {', '.join(missing)}")
    return problems


def _missing_planned(head: RulesHead, problems: Problems) -> None:
    _add(
        problems,
        head.planned_field,
        f"the planned table {head.planned_file!r} is not in the store: give it with the rules file",
        f"planeringsunderlaget {head.planned_file!r} finns inte i databasen: lämna det tillsammans med regelfilen",
    )


_UNFORESEEN = (KeyError, ValueError, TypeError, AttributeError, OverflowError, RecursionError)


def _unreadable(exc: Exception) -> tuple[str, str]:
    cause = visible(str(exc)[:300]) or type(exc).__name__
    return f"the rules cannot be read: {cause}", f"reglerna kan inte läsas: {cause}"


def check_rules(
    head: RulesHead, codes: Collection[str], regions_at: RegionsAt, planned: Mapping[str, str] | None
) -> None:
    """The whole rules file, with the planned table the store will keep for it; raises ``RulesRefused``."""
    problems: Problems = []
    doc = head.doc
    if head.kind == "blocks":
        try:
            round_ = parse_block_round(doc, codes)
        except RulesError as exc:
            raise RulesRefused([(rule_problem_en(p), rule_problem_sv(p)) for p in exc.problems]) from None
        except _UNFORESEEN as exc:  # what the reader did not foresee: still a refusal naming the cause
            raise RulesRefused([_unreadable(exc)]) from None
        _population(regions_at, round_.population_date, "population_date", problems)
        if planned is not None and head.planned_file is None and head.planned_table is None:
            _add(
                problems,
                "planned",
                "the rules name no planned table ([planned] with file or table): a planned table is not used",
                "reglerna anger inget planeringsunderlag ([planned] med file eller table): tabellen används inte",
            )
        elif planned is not None:
            problems += check_planned(planned, codes)
        elif head.planned_file is not None:
            _missing_planned(head, problems)
    else:
        spec_problems(doc, PERFORMANCE if head.kind == "performance" else FIXED, "", problems)
        if not problems:
            (_performance_problems if head.kind == "performance" else _fixed_problems)(doc, problems)
    _milestone_problems(doc, problems)
    if problems or head.kind == "blocks":
        if problems:
            raise RulesRefused(problems)
        return
    try:
        if head.kind == "performance":
            when = doc["redistribution"]["population_date"]
            regions = _population(regions_at, when, "redistribution.population_date", problems)
            if planned is None:
                _missing_planned(head, problems)
            else:
                problems += check_planned(planned, codes)
            if not problems:
                parse_round(doc, tuple(regions), dict(planned or {}))
        else:
            parse_fixed_round(doc)
            _population(
                regions_at, doc["amounts"]["estimate_population_date"], "amounts.estimate_population_date", problems
            )
    except _UNFORESEEN as exc:  # what the field checks above did not foresee
        problems.append(_unreadable(exc))
    if problems:
        raise RulesRefused(problems)
