"""Reading a rules document field by field: every field is read or reported, in English and Swedish.

Pure: works on the dict that ``tomllib`` returns. A problem names its field by its path in the
document (``blocks[1].params.steps[0].amount``), so a reader of either message can find it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from allocation.money import MAX_AMOUNT, kr


@dataclass(frozen=True, slots=True)
class RuleProblem:
    field: str  # path in the rules document
    message: str  # English, naming the field
    message_sv: str  # Swedish, naming the field


class RulesError(ValueError):
    """A rules document that cannot be used; ``problems`` lists every reason found."""

    def __init__(self, problems: list[RuleProblem] | tuple[RuleProblem, ...]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(p.message for p in self.problems))

    @property
    def message_sv(self) -> str:
        return "; ".join(p.message_sv for p in self.problems)


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

    def problem(self, name: str | int | None, message: str, message_sv: str) -> None:
        field = self.path if name is None else join(self.path, name)
        self.problems.append(RuleProblem(field, f"{field}: {message}", f"{field}: {message_sv}"))

    def has(self, name: str) -> bool:
        return name in self.raw

    def value(self, name: str, required: bool = True) -> Any:
        self._read.add(name)
        if name not in self.raw:
            if required:
                self.problem(name, "missing field", "fältet saknas")
            return None
        return self.raw[name]

    def text(self, name: str, required: bool = True, default: str | None = None) -> str | None:
        value = self.value(name, required)
        if value is None:
            return default
        if not isinstance(value, str) or not value.strip():
            self.problem(name, "must be non-empty text", "måste vara en text som inte är tom")
            return default
        return value

    def integer(self, name: str, required: bool = True, minimum: int | None = 0) -> int | None:
        value = self.value(name, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(name, f"must be a whole number, got {value!r}", f"måste vara ett heltal, fick {value!r}")
            return None
        if minimum is not None and value < minimum:
            if minimum == 0:
                self.problem(name, f"must not be negative, got {value}", f"får inte vara negativt, fick {value}")
            else:
                self.problem(
                    name, f"must be at least {minimum}, got {value}", f"måste vara minst {minimum}, fick {value}"
                )
            return None
        return value

    def amount(self, name: str, required: bool = True) -> int | None:
        """An amount in kronor: a whole number from 0 to ``allocation.money.MAX_AMOUNT``."""
        value = self.integer(name, required)
        if value is not None and value > MAX_AMOUNT:
            self.problem(
                name,
                f"{value} is more than {kr(MAX_AMOUNT)}, the largest amount accepted",
                f"{value} är mer än {kr(MAX_AMOUNT)}, det största belopp som tas emot",
            )
            return None
        return value

    def day(self, name: str, required: bool = True) -> date | None:
        value = self.value(name, required)
        if value is None:
            return None
        if isinstance(value, datetime) or not isinstance(value, date):
            self.problem(
                name,
                f"must be a date (YYYY-MM-DD), got {value!r}",
                f"måste vara ett datum (ÅÅÅÅ-MM-DD), fick {value!r}",
            )
            return None
        return value

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.value(name, required=False)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.problem(name, "must be true or false", "måste vara true eller false")
            return default
        return value

    def table(self, name: str, required: bool = True) -> Fields | None:
        value = self.value(name, required)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.problem(name, "must be a table", "måste vara en tabell")
            return None
        return Fields(value, join(self.path, name), self.problems)

    def tables(self, name: str, required: bool = False) -> Iterator[Fields]:
        value = self.value(name, required)
        if value is None:
            return
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.problem(name, "must be a list of tables", "måste vara en lista av tabeller")
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
                self.problem(name, "unknown field", "okänt fält")
