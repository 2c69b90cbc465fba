"""Hostile rules files (TOML), built on demand: the attacks of issue 23, at the sizes it measured.

Used by the tests (at these sizes: each must be refused fast) and by ``bench/bench_hostile.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AT_2023 = ROOT / "data" / "rounds" / "at-2023.toml"
AT_2024 = ROOT / "tests" / "rounds" / "at-2024-illustrative.toml"


def dotted_key(parts: int = 20_000) -> str:
    """One key of ``parts`` dotted parts (46 kB at 20 000: 13 s and 2.4 GB in tomllib)."""
    return ".".join(["a"] * parts) + " = 1\n"


def long_header(parts: int = 100_000) -> str:
    """A table header of ``parts`` dotted parts (9–26 s in tomllib at 100 000)."""
    return "[" + ".".join(["a"] * parts) + "]\n"


def many_milestones(n: int = 21_000) -> str:
    """AT 2023's rules with ``n`` more milestones (each valid alone), under the old 1 MB limit."""
    extra = "".join(f'[[milestones]]\nid="m{i}"\nlabel="x"\nquote="q"\n' for i in range(n))
    return AT_2023.read_text(encoding="utf-8") + "\n" + extra


def many_blocks(n: int = 9_000) -> str:
    """The illustrative AT 2024 round with ``n`` more blocks of the ``equal`` method."""
    block = '[[blocks]]\nid="b{i}"\ntitle="t"\nmethod="equal"\n[blocks.pot]\namount=1\nsection="s"\nquote="q"\n'
    return AT_2024.read_text(encoding="utf-8") + "\n" + "".join(block.format(i=i) for i in range(n))


def deep_nesting(depth: int = 100_000) -> str:
    """An array nested ``depth`` deep (RecursionError in tomllib)."""
    return "a = " + "[" * depth + "]" * depth + "\n"


def deep_inline_tables(depth: int = 5_000) -> str:
    return "a = " + "{b = " * depth + "1" + "}" * depth + "\n"


def long_integer(digits: int = 5_000) -> str:
    """AT 2023's rules with a year of ``digits`` digits (ValueError in tomllib past 4 300)."""
    return AT_2023.read_text(encoding="utf-8").replace("year = 2023", "year = " + "1" * digits, 1)


def one_megabyte() -> str:
    """AT 2023's rules padded with comments to just under the old limit of 1 000 000 characters."""
    text = AT_2023.read_text(encoding="utf-8") + "\n"
    line = "# " + "x" * 97 + "\n"
    return text + line * ((999_000 - len(text)) // len(line))


def at_the_bounds_milestones() -> str:
    """As many milestones as the scanner lets through (tables), refused after parsing by their count."""
    return many_milestones(1_950)


def at_the_bounds_keys() -> str:
    """Much tomllib work the scanner lets through: 8 000 lines of distinct 10-part dotted keys."""
    return "".join(f"k{i}.a.b.c.d.e.f.g.h.i = 1\n" for i in range(8_000))


ATTACKS: dict[str, Callable[[], str]] = {
    "dotted key, 20 000 parts": dotted_key,
    "table header, 100 000 parts": long_header,
    "21 000 milestones": many_milestones,
    "9 000 blocks": many_blocks,
    "arrays nested 100 000 deep": deep_nesting,
    "inline tables nested 5 000 deep": deep_inline_tables,
    "integer of 5 000 digits": long_integer,
    "1 MB rules file": one_megabyte,
    "1 950 milestones (under the scanner's bounds)": at_the_bounds_milestones,
    "8 000 lines of 10-part keys (under the scanner's bounds)": at_the_bounds_keys,
}
