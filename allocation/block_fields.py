"""Reading a rules document field by field: every field is read or reported.

Pure: works on the dict that ``tomllib`` returns. A problem names its field by its path in the
document (``blocks[1].params.steps[0].amount``), so a reader of either message can find it. A problem is
a value, a code and its plain parameters (``Fields.report``), worded in English and Swedish by
``present.rule_problems``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date, datetime
from typing import Any

from allocation.money import MAX_AMOUNT

RuleValue = str | int | float | bool | date | None | tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RuleProblem:
    """One problem of a rules document: the field (its path; empty for the whole text), a ``code`` (a name of
    ``present.rule_problems``) and plain ``params`` (the value found, a limit, the line of the text)."""

    field: str  # path in the rules document
    code: str
    params: Mapping[str, RuleValue] = dc_field(default_factory=dict, hash=False)

    def log_text(self) -> str:
        """For a log or a traceback (``present.rule_problems`` words it for people)."""
        return f"{self.field}: {self.code} {dict(self.params)!r}"


class RulesError(ValueError):
    """A rules document that cannot be used; ``problems`` lists every reason found."""

    def __init__(self, problems: list[RuleProblem] | tuple[RuleProblem, ...]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(p.log_text() for p in self.problems))


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a figure comes from: the section and the sentence, verbatim.

    ``illustrative`` marks a figure made up for a test round whose real details are unknown.
    """

    section: str
    quote: str
    illustrative: bool = False


def join(path: str, name: str | int) -> str:
    if isinstance(name, int):
        return f"{path}[{name}]"
    return f"{path}.{name}" if path else name


class Fields:
    """One table of the document. Reading a key marks it; ``done()`` reports the keys nobody read."""

    def __init__(self, raw: dict[str, Any], path: str, problems: list[RuleProblem]) -> None:
        self.raw = raw
        self.path = path
        self.problems = problems
        self._read: set[str] = set()

    def report(self, name: str | int | None, code: str, **params: RuleValue) -> None:
        """A problem of the field ``name`` (None: this table) as a code and its parameters."""
        field = self.path if name is None else join(self.path, name)
        self.problems.append(RuleProblem(field, code=code, params=params))

    def has(self, name: str) -> bool:
        return name in self.raw

    def value(self, name: str, required: bool = True) -> Any:
        self._read.add(name)
        if name not in self.raw:
            if required:
                self.report(name, "missing_field")
            return None
        return self.raw[name]

    def text(self, name: str, required: bool = True, default: str | None = None) -> str | None:
        value = self.value(name, required)
        if value is None:
            return default
        if not isinstance(value, str) or not value.strip():
            self.report(name, "not_text")
            return default
        return value

    def integer(self, name: str, required: bool = True, minimum: int | None = 0) -> int | None:
        value = self.value(name, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.report(name, "not_whole", value=repr(value))
            return None
        if minimum is not None and value < minimum:
            if minimum == 0:
                self.report(name, "negative", value=value)
            else:
                self.report(name, "below_minimum", value=value, minimum=minimum)
            return None
        return value

    def amount(self, name: str, required: bool = True) -> int | None:
        """An amount in kronor: a whole number from 0 to ``allocation.money.MAX_AMOUNT``."""
        value = self.integer(name, required)
        if value is not None and value > MAX_AMOUNT:
            self.report(name, "above_max_amount", value=value, maximum=MAX_AMOUNT)
            return None
        return value

    def day(self, name: str, required: bool = True) -> date | None:
        value = self.value(name, required)
        if value is None:
            return None
        if isinstance(value, datetime) or not isinstance(value, date):
            self.report(name, "not_a_date", value=repr(value))
            return None
        return value

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.value(name, required=False)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.report(name, "not_bool")
            return default
        return value

    def table(self, name: str, required: bool = True) -> Fields | None:
        value = self.value(name, required)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.report(name, "not_table")
            return None
        return Fields(value, join(self.path, name), self.problems)

    def tables(self, name: str, required: bool = False) -> Iterator[Fields]:
        value = self.value(name, required)
        if value is None:
            return
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.report(name, "not_tables")
            return
        for i, item in enumerate(value):
            yield Fields(item, join(join(self.path, name), i), self.problems)

    def citation(self, section: str | None = None) -> Citation | None:
        """``section`` and ``quote`` of this table (``section`` may be inherited) and ``illustrative``."""
        own_section = self.text("section", required=section is None)
        quote = self.text("quote")
        illustrative = self.flag("illustrative")
        if quote is None or (own_section or section) is None:
            return None
        return Citation(own_section or section or "", quote, illustrative)

    def done(self) -> None:
        for name in self.raw:
            if name not in self._read:
                self.report(name, "unknown_field")
