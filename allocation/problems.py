"""Problems found in input, as values: a code, the row and column they concern, the value and a detail.

Found in files and forms by ``ingest/`` and the engine's readers; worded in English and Swedish by
``present.problems`` (the catalog of codes), which names the row and column first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

ProblemValue = str | int | date | None


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem. ``row`` is the spreadsheet row (the header is row 1); 0 means the whole file."""

    code: str  # a name of present.problems.MESSAGES
    row: int = 0
    column: str = ""
    value: str = ""
    detail: str = ""
    detail_sv: str = ""  # when the detail is words rather than a value, its Swedish form
    # Plain parameters instead of a composed detail: amounts in kronor, a recipient's name, a date, and
    # ``column``: the column's key (e.g. ``received``) when the header as written is not known.
    params: Mapping[str, ProblemValue] = field(default_factory=dict, hash=False)


SHOWN_PROBLEMS = 50  # a file with thousands of bad rows is listed up to here, then counted


@dataclass
class InputError(Exception):
    """Every problem found in one input, raised together so the user can fix them all at once."""

    problems: list[Problem] = field(default_factory=list)

    def shown(self, limit: int = SHOWN_PROBLEMS) -> tuple[list[Problem], int]:
        """The first ``limit`` problems (in the order they were raised) and how many more there are."""
        return self.problems[:limit], max(0, len(self.problems) - limit)

    def __str__(self) -> str:
        """For a log or a traceback: each problem's code and place (``present.problems`` words them)."""
        return "\n".join(
            f"{p.code} (row {p.row}, column {p.column!r}): {p.value!r} {p.detail!r}".strip() for p in self.problems
        )
