"""Characters a rules file's texts may not hold, and text made visible for a terminal or a log.

A NUL byte is saved by DuckDB and refused by PostgreSQL; a newline in a version breaks a line of the
audit log; a right-to-left override (U+202E) or a zero-width space (U+200B) makes ``1.2.0`` and
``1.2.0\u200b`` look alike while they are two versions; an escape (U+001B) in a title would drive the
terminal that prints it. So no text of a rules file (values and keys) may hold a control character
(C0 but tab, newline and carriage return; DEL; C1), a bidirectional control (U+061C, U+200E–U+200F,
U+202A–U+202E, U+2066–U+2069) or an invisible character (U+200B–U+200D, U+2060–U+2064, U+FEFF); and
only quotes (keys ending in ``quote``: the seed's sentences, which may run over lines) may hold a tab or a
line break. Pure: the reader's check (``text_problems``) and ``visible`` for output.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from allocation.block_fields import RuleProblem, join

CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
INVISIBLE = "\u200b-\u200d\u2060-\u2064\ufeff"
BREAKS = "\t\n\r\u2028\u2029"
FORBIDDEN = re.compile(f"[{CONTROL}{BIDI}{INVISIBLE}]")
FORBIDDEN_IN_LINE = re.compile(f"[{CONTROL}{BIDI}{INVISIBLE}{BREAKS}]")
MAX_TEXT = 20_000  # characters of one text (a quote); a label or title is far shorter
MAX_LINE_TEXT = 500  # characters of a one-line text: an id, a title, a label, a version


def _what(char: str) -> str:
    """The kind of a forbidden character: ``break``, ``direction``, ``invisible`` or ``control``."""
    if char in BREAKS:
        return "break"
    if re.match(f"[{BIDI}]", char):
        return "direction"
    if re.match(f"[{INVISIBLE}]", char):
        return "invisible"
    return "control"


def describe(char: str) -> str:
    """``U+200B ZERO WIDTH SPACE``: a character named by its code point (and its Unicode name)."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def visible(text: object) -> str:
    """``text`` with every forbidden character, tab and line break written as ``\\uXXXX``: safe to print."""
    return FORBIDDEN_IN_LINE.sub(lambda m: f"\\u{ord(m.group()):04x}", str(text))


def one_line(field: str) -> bool:
    """Whether the field is a one-line text (everything but a quote)."""
    return not field.rsplit(".", 1)[-1].rsplit("]", 1)[-1].endswith("quote")


def char_problem(value: str, field: str, in_line: bool = True) -> RuleProblem | None:
    """The first forbidden character of ``value`` as a problem naming ``field``, or None."""
    found = (FORBIDDEN_IN_LINE if in_line else FORBIDDEN).search(value)
    if found is None:
        return None
    params = {"kind": _what(found.group()), "char": describe(found.group()), "at": found.start() + 1}
    return RuleProblem(field, code="forbidden_char", params=params)


def _length_problem(value: str, field: str, limit: int) -> RuleProblem | None:
    if len(value) <= limit:
        return None
    return RuleProblem(field, code="text_too_long", params={"length": len(value), "limit": limit})


def text_problems(doc: Any, path: str = "") -> list[RuleProblem]:
    """Every text of the document (keys too) checked; each problem names its field (safe to print)."""
    problems: list[RuleProblem] = []
    if isinstance(doc, dict):
        for key, value in doc.items():
            field = join(path, visible(key))
            problem = char_problem(key, field) or _length_problem(key, field, MAX_LINE_TEXT)
            if problem is not None:
                problems.append(problem)
            problems += text_problems(value, field)
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            problems += text_problems(value, join(path, i))
    elif isinstance(doc, str):
        in_line = one_line(path)
        problem = char_problem(doc, path, in_line) or _length_problem(doc, path, MAX_LINE_TEXT if in_line else MAX_TEXT)
        if problem is not None:
            problems.append(problem)
    return problems
