"""The engine's notices in words: one catalog from a notice's code to its Swedish and English text.

The engine (``allocation``) says what happened as a value, ``Notice(code, params)``: amounts in whole kronor,
block ids, data keys, recipient codes, dates. Here they become sentences a reader of the round can act on: a
block shown by its title, a key by its Swedish name, an amount as ``1 234 567 kr``, a recipient by its name,
a date in words. A parameter that came from a rules file or a user (a title, a name) is shown as plain text on
one line: control characters and line breaks become spaces, and the sentence never begins with it. Callers
escape the sentence for the medium they write it to (``ui.text.plain``, ``present.cells``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from allocation.block_data import MissingValues, Notice, NoticeValue
from allocation.methods import (
    ESTIMATE,
    FLOWS_TO,
    LEFTOVER_UNPAID,
    NO_WEIGHT,
    NOBODY_ELIGIBLE,
    NOBODY_QUALIFIES,
    NOBODY_REPORTED,
    NOT_IN_TABLE,
    NOT_REPORTED,
    NOT_REQUISITIONED,
    POT_BELOW_STEPS,
    TABLE_ABOVE_POT,
    TABLE_BELOW_POT,
    UNALLOCATED,
)
from present import formats as f
from present.eligibility import PER_100K, key_sv

__all__ = ["FLOW_CODES", "Names", "engine_error_sv", "names_of", "notice_record", "text_en", "text_sv", "texts_sv"]

FLOW_CODES = (FLOWS_TO, UNALLOCATED)  # where a block's unpaid money goes (shown beside the block itself)

KEY_EN = {
    "positions": "AT positions",
    "expansion": "expansion (positions)",
    "population": "population",
    "planned": "planned positions",
    "outcome": "outcome (positions)",
    "filled": "positions filled",
    "started": "positions started",
    "excluded": "positions already paid for",
}
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]+")


class _Named(Protocol):
    @property
    def code(self) -> str: ...

    @property
    def name(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Names:
    """What a notice's ids stand for: block id → title, recipient code → name."""

    blocks: Mapping[str, str] = field(default_factory=dict)
    recipients: Mapping[str, str] = field(default_factory=dict)


def names_of(blocks: Iterable[object] = (), recipients: Iterable[_Named] = ()) -> Names:
    """``Names`` from a round's blocks (anything with ``id`` and ``title``) and its recipients."""
    return Names(
        {getattr(b, "id"): getattr(b, "title") for b in blocks},  # noqa: B009 (a Block or a block's record)
        {r.code: r.name for r in recipients},
    )


def _one_line(text: str) -> str:
    """A parameter's text on one line, with no control or direction characters."""
    return " ".join(_UNSAFE.sub(" ", text).split())


class _Words:
    """A notice's parameters, each formatted for one language."""

    def __init__(self, notice: Notice, names: Names, swedish: bool) -> None:
        self._params, self._names, self._sv = notice.params, names, swedish

    def _get(self, name: str) -> NoticeValue:
        return self._params.get(name, 0 if name in ("amount", "pot", "total") else "")

    def kr(self, name: str) -> str:
        value = self._get(name)
        amount = value if isinstance(value, int) else 0
        return f.kr(amount) if self._sv else f"{amount:,} kr"

    def has(self, name: str) -> bool:
        return bool(self._params.get(name))

    def block(self, name: str = "block") -> str:
        block_id = str(self._get(name))
        title = self._names.blocks.get(block_id)
        if title:
            return f"”{_one_line(title)}”" if self._sv else f'"{_one_line(title)}"'
        return "ett annat block" if self._sv else "another block"

    def key(self, name: str = "key") -> str:
        key = str(self._get(name))
        if self._sv:
            return _one_line(key_sv(key))
        if key.endswith(PER_100K):
            return f"{KEY_EN.get(key.removesuffix(PER_100K), key.removesuffix(PER_100K))} per 100,000 inhabitants"
        return _one_line(KEY_EN.get(key, key))

    def recipients(self, name: str = "codes") -> str:
        value = self._get(name)
        codes = (value,) if isinstance(value, str) else tuple(value) if isinstance(value, tuple) else ()
        return ", ".join(_one_line(self._names.recipients.get(c) or c) for c in codes)

    def day(self, name: str = "date") -> str:
        value = self._get(name)
        if isinstance(value, date):
            return f.long_date(value) if self._sv else value.isoformat()
        return _one_line(str(value))


Wording = Callable[[_Words], str]


def _not_reported_sv(w: _Words) -> str:
    lost = f"; deras {w.kr('amount')} betalas inte ut" if w.has("amount") else ""
    return f"Har inte rapporterat senast {w.day()}: {w.recipients()}{lost}."


def _not_reported_en(w: _Words) -> str:
    lost = f"; their {w.kr('amount')} stay unpaid" if w.has("amount") else ""
    return f"Not reported by {w.day()}: {w.recipients()}{lost}."


def _nobody_qualifies_sv(w: _Words) -> str:
    if w.has("amount"):  # a round of one staircase: the whole pot stays unallocated
        pot = w.kr("amount")
        return f"Ingen mottagare nådde första trappsteget: inget betalas ut och hela potten ({pot}) är ofördelad."
    return "Ingen mottagare nådde första trappsteget: blocket betalar inte ut något."


def _nobody_qualifies_en(w: _Words) -> str:
    if w.has("amount"):
        return (
            f"No recipient reached the first step: nothing is paid and the whole pot ({w.kr('amount')}) is unallocated."
        )
    return "No recipient reached the first step: the block pays nothing."


SWEDISH: Mapping[str, Wording] = {
    NOBODY_ELIGIBLE: lambda w: f"Ingen mottagare kan få detta blocks medel: {w.kr('amount')} betalas inte ut.",
    UNALLOCATED: lambda w: f"Detta block betalar inte ut {w.kr('amount')}; beloppet förblir ofördelat.",
    FLOWS_TO: lambda w: f"Detta block betalar inte ut {w.kr('amount')}; beloppet går till blocket {w.block()}.",
    NOBODY_QUALIFIES: _nobody_qualifies_sv,
    POT_BELOW_STEPS: lambda w: (
        f"Potten ({w.kr('pot')}) är mindre än trappstegens summa ({w.kr('total')}): "
        "trappbeloppen skalas ned proportionellt och inget omfördelas."
    ),
    LEFTOVER_UNPAID: lambda w: f"Trappstegen lämnar {w.kr('amount')}; enligt reglerna fördelas de inte i detta block.",
    NO_WEIGHT: lambda w: (
        f"Alla mottagare som kan få medel har värdet 0 för {w.key()}: "
        f"{w.kr('amount')} kan inte fördelas och betalas inte ut."
    ),
    NOBODY_REPORTED: lambda w: f"Ingen rapporterade senast {w.day()}: blocket betalar inte ut något.",
    NOT_REPORTED: _not_reported_sv,
    ESTIMATE: lambda w: "Beloppen är en uppskattning, inte den officiella tabellen.",
    NOT_IN_TABLE: lambda w: f"Saknas i tabellen och får därför inget: {w.recipients()}.",
    TABLE_ABOVE_POT: lambda w: (
        f"Tabellen kräver {w.kr('total')}, mer än potten ({w.kr('pot')}): beloppen skalas ned proportionellt."
    ),
    TABLE_BELOW_POT: lambda w: (
        f"Tabellen fördelar {w.kr('total')} av potten {w.kr('pot')}: {w.kr('amount')} betalas inte ut."
    ),
    NOT_REQUISITIONED: lambda w: (
        f"Av tabellens belopp har {w.kr('amount')} inte rekvirerats"
        + (f" (enligt {w.key()})." if w.has("key") else ".")
    ),
}

ENGLISH: Mapping[str, Wording] = {
    NOBODY_ELIGIBLE: lambda w: f"No recipient may receive this block's money: its {w.kr('amount')} are not paid.",
    UNALLOCATED: lambda w: f"This block does not pay {w.kr('amount')}; they stay unallocated.",
    FLOWS_TO: lambda w: f"This block does not pay {w.kr('amount')}; they flow to the block {w.block()}.",
    NOBODY_QUALIFIES: _nobody_qualifies_en,
    POT_BELOW_STEPS: lambda w: (
        f"The pot ({w.kr('pot')}) is smaller than the staircase amounts ({w.kr('total')}): "
        "the steps are scaled down pro rata to fit and nothing is redistributed."
    ),
    LEFTOVER_UNPAID: lambda w: f"The steps leave {w.kr('amount')}; by the rules they are not shared in this block.",
    NO_WEIGHT: lambda w: (
        f"Every eligible recipient has 0 as its {w.key()}: the {w.kr('amount')} cannot be shared and stay unpaid."
    ),
    NOBODY_REPORTED: lambda w: f"Nobody reported by {w.day()}: the block pays nothing.",
    NOT_REPORTED: _not_reported_en,
    ESTIMATE: lambda w: "The amounts are an estimate, not the official table.",
    NOT_IN_TABLE: lambda w: f"Not in the table, so nothing for: {w.recipients()}.",
    TABLE_ABOVE_POT: lambda w: (
        f"The table asks for {w.kr('total')}, more than the pot ({w.kr('pot')}): scaled down pro rata."
    ),
    TABLE_BELOW_POT: lambda w: (
        f"The table gives {w.kr('total')} of the pot's {w.kr('pot')}: {w.kr('amount')} stay unpaid."
    ),
    NOT_REQUISITIONED: lambda w: (
        f"{w.kr('amount')} of the table were not requisitioned" + (f" ({w.key()})." if w.has("key") else ".")
    ),
}


def text_sv(notice: Notice, names: Names | None = None) -> str:
    """The notice in Swedish, for staff, managers, regions and documents."""
    wording = SWEDISH.get(notice.code)
    if wording is None:
        return "Observera: resultatet har en anmärkning som saknar beskrivning."
    return wording(_Words(notice, names or Names(), swedish=True))


def text_en(notice: Notice, names: Names | None = None) -> str:
    """The notice in English, for the command line's JSON and logs."""
    wording = ENGLISH.get(notice.code)
    if wording is None:
        return f"Notice {_one_line(notice.code)}."
    return wording(_Words(notice, names or Names(), swedish=False))


def texts_sv(notices: Iterable[Notice], names: Names | None = None) -> tuple[str, ...]:
    return tuple(text_sv(n, names) for n in notices)


def engine_error_sv(exc: Exception) -> str:
    """Why the engine could not compute a round, in Swedish (one sentence without the final stop)."""
    if isinstance(exc, MissingValues):
        return (
            f"värden för {_one_line(key_sv(exc.key))} saknas; de rapporteras inte i omgången och kan inte "
            "räknas fram ur det som har rapporterats"
        )
    return f"reglerna eller uppgifterna går inte att räkna på (teknisk detalj: {_one_line(str(exc))})"


def _plain_value(value: NoticeValue) -> int | str | list[str]:
    if isinstance(value, date):
        return value.isoformat()
    return list(value) if isinstance(value, tuple) else value


def notice_record(notice: Notice, names: Names | None = None) -> dict[str, object]:
    """A notice for a machine reader (the command line's JSON): its code, parameters and both texts."""
    return {
        "code": notice.code,
        "params": {k: _plain_value(v) for k, v in sorted(notice.params.items())},
        "message": text_en(notice, names),
        "message_sv": text_sv(notice, names),
    }
