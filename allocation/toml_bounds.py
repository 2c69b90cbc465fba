"""A rules file (TOML) read within bounds: the text is measured before it is parsed, the document after.

Python's ``tomllib`` is quadratic in a dotted key's length (20 000 parts, 46 kB: 13 s and 2.4 GB), slow
in a long table header (100 000 parts: 9–26 s), recursive in nested arrays and inline tables
(``RecursionError``) and refuses integers of more than 4 300 digits with a ``ValueError``. So the text is
first read by a cheap linear scanner (``text_problems``: bytes, lines, line length, the longest dotted key
or header in parts and characters, the nesting of arrays and inline tables, the longest number or bare
word, the number of tables), then parsed, then its counts are bounded (``document_problems``: blocks,
milestones, pot options, steps, recipients, entries of any array or table, and the characters of every
text, ``allocation.rules_text``). Every rules TOML of the product goes through ``load_rules``: the store's
saving and seeding, the round editor, the data folder's loader. A refusal is a ``RulesError`` naming the
line or the field and the bound, in English and Swedish; never a traceback.

The bounds are far above any real round (a real rules file is 4–7 kB; the largest imaginable, 290
kommuner in 20 blocks with a table each, is about 150 kB) and far below what makes parsing slow: a file
at every bound is parsed in well under a second (README, "Files that are refused").
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from typing import Any

from allocation.block_fields import RuleProblem, RulesError, RuleValue, join
from allocation.rules_text import text_problems as character_problems

MAX_BYTES = 256 * 1024  # the whole file, UTF-8
MAX_LINES = 10_000
MAX_LINE_CHARS = 10_000
MAX_KEY_PARTS = 10  # a dotted key or a table header: the formats use at most 4 ("blocks.pot.options")
MAX_KEY_CHARS = 200
MAX_DEPTH = 10  # arrays and inline tables inside each other (a header's own brackets count too)
MAX_BARE_CHARS = 100  # a number, a date or a bare word (a 5 000-digit integer is refused here)
MAX_TABLES = 2_000  # table headers and inline tables

MAX_BLOCKS = 20  # the rounds on record have 1–3; each is a tab and a chart on the simulator
MAX_MILESTONES = 100  # the rounds on record have 4–5
MAX_POT_OPTIONS = 10  # the seeds give two figures for one pot
MAX_STEPS = 50  # AT 2023 has 5
MAX_KEYS = 20  # keys (data a block is computed from) per block
MAX_ENTRIES = 1_000  # any array or table: recipients (290 kommuner fit three times), codes, rows
YEARS = (2000, 2100)  # a round's year
DATE_SPAN = 5  # a milestone lies within this many years of the round's year


def _problem(field: str, code: str, **params: RuleValue) -> RuleProblem:
    """A problem of ``field`` (empty: the whole file) as a code and its parameters (``present.rule_problems``)."""
    return RuleProblem(field, code=code, params=params)


def _refuse(n: int, code: str, **params: RuleValue) -> RulesError:
    """The text refused at its line ``n``."""
    return RulesError([RuleProblem("", code=code, params={"line": n, **params})])


# One token at a time, each alternative linear: strings as TOML reads them (an escape in a basic string,
# none in a literal one; a multi-line string ends at the first closing triple quote and takes up to two
# more quotes), comments, bare words (keys, numbers, dates, booleans), dots, brackets, anything else.
_TOKEN = re.compile(
    r"""(?P<nl>\n)|(?P<ws>[ \t\r]+)|(?P<comment>\#[^\n]*)"""
    r'''|(?P<mlbasic>"""(?:[^"\\]|\\.|"(?!""))*"""(?:"{1,2}(?!"))?)'''
    r"""|(?P<mlliteral>'''(?:[^']|'(?!''))*'''(?:'{1,2}(?!'))?)"""
    r"""|(?P<basic>"(?:[^"\\\n]|\\[^\n])*")|(?P<literal>'[^'\n]*')"""
    r"""|(?P<bare>[A-Za-z0-9_+\-:]+)|(?P<dot>\.)|(?P<open>[\[{])|(?P<close>[\]}])|(?P<other>.)""",
    re.DOTALL,
)
_KEY_PART = {"bare", "basic", "literal"}


def check_text(text: str) -> None:
    """Raise ``RulesError`` if the text exceeds a bound; linear in its length, nothing parsed."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise RulesError([_problem("", "file_too_big", size=size, limit=MAX_BYTES)])
    lines = text.count("\n") + 1
    if lines > MAX_LINES:
        raise RulesError([_problem("", "too_many_lines", count=lines, limit=MAX_LINES)])
    for n, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_LINE_CHARS:
            raise _refuse(n, "line_too_long", length=len(line), limit=MAX_LINE_CHARS)
    _scan(text)


def _scan(text: str) -> None:
    line, depth, tables = 1, 0, 0
    parts, chars, after_dot = 0, 0, False
    for match in _TOKEN.finditer(text):
        kind, token = match.lastgroup, match.group()
        if kind in _KEY_PART:
            if kind == "bare" and len(token) > MAX_BARE_CHARS:
                raise _refuse(line, "bare_too_long", length=len(token), limit=MAX_BARE_CHARS)
            parts, chars = (parts + 1, chars + len(token)) if after_dot else (1, len(token))
            after_dot = False
            if parts > MAX_KEY_PARTS or (parts > 1 and chars > MAX_KEY_CHARS):
                raise _refuse(line, "key_too_long", parts=MAX_KEY_PARTS, limit=MAX_KEY_CHARS)
            continue
        if kind == "dot":
            after_dot = parts > 0
            continue
        if kind == "ws":
            continue
        parts, after_dot = 0, False
        if kind == "open":
            depth += 1
            tables += 1 if token == "{" or depth == 1 else 0
            if depth > MAX_DEPTH:
                raise _refuse(line, "nested_too_deep", limit=MAX_DEPTH)
            if tables > MAX_TABLES:
                raise _refuse(line, "too_many_tables", limit=MAX_TABLES)
        elif kind == "close":
            depth = max(depth - 1, 0)
        elif kind == "other" and token in "\"'":
            raise _refuse(line, "text_not_closed")
        line += token.count("\n")


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _count(items: Any, limit: int, field: str, what: str, problems: list[RuleProblem]) -> None:
    """``what``: blocks, milestones, keys, pot_options, steps or entries."""
    if isinstance(items, list | dict) and len(items) > limit:
        problems.append(_problem(field, "too_many", count=len(items), limit=limit, what=what))


def _tables(doc: dict[str, Any], name: str) -> list[tuple[str, dict[str, Any]]]:
    items = doc.get(name)
    if not isinstance(items, list) or len(items) > MAX_ENTRIES:
        return []
    return [(f"{name}[{i}]", item) for i, item in enumerate(items) if isinstance(item, dict)]


def _count_problems(doc: dict[str, Any], problems: list[RuleProblem]) -> None:
    _count(doc.get("blocks"), MAX_BLOCKS, "blocks", "blocks", problems)
    _count(doc.get("milestones"), MAX_MILESTONES, "milestones", "milestones", problems)
    pots: list[tuple[str, Any]] = [("pot", doc.get("pot"))]
    stairs: list[tuple[str, Any]] = [("staircase", doc.get("staircase"))]
    for path, block in _tables(doc, "blocks")[:MAX_BLOCKS]:
        pots.append((f"{path}.pot", block.get("pot")))
        stairs.append((f"{path}.params", block.get("params")))
        _count(block.get("keys"), MAX_KEYS, f"{path}.keys", "keys", problems)
    for path, pot in pots:
        if isinstance(pot, dict):
            _count(pot.get("options"), MAX_POT_OPTIONS, f"{path}.options", "pot_options", problems)
    for path, table in stairs:
        if isinstance(table, dict):
            _count(table.get("steps"), MAX_STEPS, f"{path}.steps", "steps", problems)


def _entries(value: Any, path: str, problems: list[RuleProblem], depth: int = 0) -> None:
    """Any array or table of more than ``MAX_ENTRIES`` (recipients, codes, rows); depth is bounded by the scan."""
    if isinstance(value, dict):
        _count(value, MAX_ENTRIES, path, "entries", problems)
        for key, item in list(value.items())[:MAX_ENTRIES]:
            _entries(item, join(path, key), problems, depth + 1)
    elif isinstance(value, list):
        _count(value, MAX_ENTRIES, path, "entries", problems)
        for i, item in enumerate(value[:MAX_ENTRIES]):
            _entries(item, join(path, i), problems, depth + 1)


def _dates(value: Any, path: str, found: list[tuple[str, date]]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _dates(item, join(path, key), found)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _dates(item, join(path, i), found)
    elif isinstance(value, date):
        found.append((path, value))


def _year_problems(doc: dict[str, Any], problems: list[RuleProblem]) -> None:
    """A round's year in 2000–2100; every date in 2000–2100, and a milestone's within ``DATE_SPAN`` years of
    the round's year (a population date may be older: the store may hold no newer population)."""
    year = doc.get("year")
    low, high = YEARS
    if _whole(year) and not low <= year <= high:
        problems.append(_problem("year", "year_out_of_range", low=low, high=high, value=year))
        year = None
    found: list[tuple[str, date]] = []
    _dates(doc, "", found)
    for path, when in found:
        near = _whole(year) and path.startswith("milestones[")
        first, last = (year - DATE_SPAN, year + DATE_SPAN) if near else YEARS
        if not first <= when.year <= last:
            if near:
                problems.append(_problem(path, "date_far_from_year", value=when, span=DATE_SPAN, year=year))
            else:
                problems.append(_problem(path, "date_out_of_range", value=when, low=YEARS[0], high=YEARS[1]))


def document_problems(doc: dict[str, Any]) -> list[RuleProblem]:
    """The parsed document's counts, characters, year and dates; every problem, each naming its field."""
    problems: list[RuleProblem] = []
    _count_problems(doc, problems)
    _entries(doc, "", problems)
    if problems:  # counts first: the other checks walk the document
        return problems
    problems += character_problems(doc)
    _year_problems(doc, problems)
    return problems


def parse(text: str) -> dict[str, Any]:
    """``tomllib.loads`` of a text that passed ``check_text``; any failure a ``RulesError`` naming the cause."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError([_problem("", "not_toml", detail=str(exc))]) from None
    except (RecursionError, ValueError, OverflowError, MemoryError) as exc:  # bounded above; a last guard
        cause = type(exc).__name__
        raise RulesError([_problem("", "unreadable_rules", cause=cause)]) from None


def load_rules(text: str) -> dict[str, Any]:
    """The rules document of ``text``, within every bound; raises ``RulesError`` listing what is wrong."""
    check_text(text)
    doc = parse(text)
    problems = document_problems(doc)
    if problems:
        raise RulesError(problems)
    return doc
