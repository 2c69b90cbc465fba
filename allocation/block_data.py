"""Plain data of the block engine: recipients, notices, and the per-recipient values (keys).

Recipients are data: a round is allocated among whatever recipients the caller passes. Values are
exact ``Fraction``s per key and recipient code; the engine derives the usual keys from reported ones:

- ``population``: the recipient's population;
- ``outcome`` = max(filled, started), unless given;
- ``expansion`` = max(0, outcome − planned − excluded), when a planned value exists, unless given;
- ``<key>_per_100k`` = key × 100 000 / population, for every other key, unless given.

A recipient without a value for a key reported nothing: its value is 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from itertools import pairwise
from types import MappingProxyType
from typing import Any

from allocation.formulas import expansion, outcome, per_inhabitants
from allocation.planned import ParseError, parse_number, parse_planned

PER_100K = "_per_100k"
PER_100K_BASE = 100_000
REPORTED_PARTS = ("filled", "started", "excluded")  # the AT report; missing means 0
EQUAL = "equal"  # the key that weighs every recipient alike (not a data key)

Values = Mapping[str, Mapping[str, Fraction]]


@dataclass(frozen=True, slots=True)
class Recipient:
    code: str  # sorts the recipients and breaks ties in whole kronor (lower code first)
    name: str
    population: int

    def __post_init__(self) -> None:
        if not isinstance(self.code, str) or not self.code:
            raise ValueError(f"a recipient code must be non-empty text, got {self.code!r}")
        if isinstance(self.population, bool) or not isinstance(self.population, int) or self.population <= 0:
            raise ValueError(f"recipient {self.code}: population must be a positive whole number")


NoticeValue = int | str | date | tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Notice:
    """Why money was not paid as the rule says, or a fact the reader must know (an estimate).

    A value, not a text: a code (a name) and its plain parameters: ``amount``, ``pot``, ``total`` in whole
    kronor, ``block`` a block id, ``key`` a data key, ``codes`` recipient codes, ``date`` a day.
    ``present.notices`` words it in Swedish and English for a round and its recipients.
    """

    code: str
    params: Mapping[str, NoticeValue] = field(default_factory=dict)

    @classmethod
    def of(cls, code: str, **params: NoticeValue) -> Notice:
        return cls(code, MappingProxyType(dict(params)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Notice) and (self.code, dict(self.params)) == (other.code, dict(other.params))

    def __hash__(self) -> int:
        return hash(self.code)


class MissingValues(ValueError):
    """A key nobody supplied and the engine cannot derive: the round cannot be computed on these values.

    A value: ``key`` and the ``known`` keys; ``present.notices.engine_error_sv`` words it."""

    def __init__(self, key: str, known: Iterable[str]) -> None:
        self.key = key
        self.known = tuple(sorted(known))
        super().__init__(f"no values for the key {key!r}; known keys: {', '.join(self.known)}")


def sorted_recipients(recipients: Iterable[Recipient]) -> tuple[Recipient, ...]:
    """The recipients in code order; a code given twice is an error."""
    result = tuple(sorted(recipients, key=lambda r: r.code))
    for a, b in pairwise(result):
        if a.code == b.code:
            raise ValueError(f"recipient {a.code} appears twice")
    return result


def as_value(key: str, code: str, raw: Any) -> Fraction:
    """One value, exact and non-negative. Planned positions may be a range (its midpoint counts)."""
    try:
        return parse_planned(raw) if key == "planned" else parse_number(raw)
    except ParseError as exc:
        raise ValueError(f"value {key!r} of recipient {code}: {exc}") from None


def derive_values(
    recipients: tuple[Recipient, ...],
    given: Mapping[str, Mapping[str, Any]],
    planned: Mapping[str, Fraction] | None = None,
) -> DerivedValues:
    """Every key for every recipient: the given ones (0 where missing) and the derived ones (a
    ``<key>_per_100k`` is computed when first read: most rounds read one or two of them)."""
    codes = [r.code for r in recipients]
    known = set(codes)
    values: dict[str, dict[str, Fraction]] = {}
    for key, by_code in given.items():
        if key == EQUAL:
            raise ValueError(f"{EQUAL!r} is not a data key: it weighs every recipient alike")
        unknown = sorted(set(by_code) - known)
        if unknown:
            raise ValueError(f"value {key!r} for unknown recipients: {', '.join(unknown)}")
        values[key] = {code: as_value(key, code, by_code[code]) if code in by_code else Fraction(0) for code in codes}
    for key in REPORTED_PARTS:
        values.setdefault(key, dict.fromkeys(codes, Fraction(0)))
    if planned:
        own = given.get("planned", {})
        missing = [c for c in codes if c not in own and c not in planned]
        if missing:
            raise ValueError(f"no planned value for {', '.join(missing)}")
        values["planned"] = {c: as_value("planned", c, own[c]) if c in own else Fraction(planned[c]) for c in codes}
    elif "planned" in given:
        missing = [c for c in codes if c not in given["planned"]]
        if missing:
            raise ValueError(f"no planned value for {', '.join(missing)}")
    values["population"] = {r.code: Fraction(r.population) for r in recipients}
    if "outcome" not in given:
        values["outcome"] = {c: outcome(values["filled"][c], values["started"][c]) for c in codes}
    if "expansion" not in given and "planned" in values:
        values["expansion"] = {
            c: expansion(values["outcome"][c], values["planned"][c], values["excluded"][c]) for c in codes
        }
    return DerivedValues(values, codes)


class DerivedValues(Mapping[str, Mapping[str, Fraction]]):
    """Values by key, with ``<key>_per_100k`` for every other key computed when first asked for."""

    def __init__(self, base: dict[str, dict[str, Fraction]], codes: list[str]) -> None:
        self._base = base
        self._codes = codes
        per_100k = [k + PER_100K for k in base if not k.endswith(PER_100K) and k != "population"]
        self._keys = list(dict.fromkeys([*base, *per_100k]))

    def __getitem__(self, key: str) -> Mapping[str, Fraction]:
        if key not in self._base:
            if key not in self._keys:
                raise KeyError(key)
            column, population = self._base[key.removesuffix(PER_100K)], self._base["population"]
            self._base[key] = {c: per_inhabitants(column[c], population[c], PER_100K_BASE) for c in self._codes}
        return self._base[key]

    def __contains__(self, key: object) -> bool:
        return key in self._base or key in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


def key_values(values: Values, key: str, codes: Iterable[str]) -> list[Fraction]:
    """The key's values for ``codes`` (``equal``: 1 each); a key nobody supplied nor can be derived is an error."""
    if key == EQUAL:
        return [Fraction(1) for _ in codes]
    if key not in values:
        raise MissingValues(key, values)
    column = values[key]
    return [column[code] for code in codes]
