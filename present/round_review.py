"""The round editor's review step in Swedish: what changed, the dates to confirm, the quotes that no longer hold.

Pure text (no Streamlit): the page shows these strings as plain text. Dates are ISO (ÅÅÅÅ-MM-DD), as the
form's date fields are; amounts ``1 234 567 kr``; recipients by name.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from allocation.round_diff import Change, DateFlag, Mention, QuoteFlag
from present import formats as f

HEADER_SV = {
    "id": "Id",
    "title": "Titel",
    "short_title": "Kort titel",
    "dnr": "Diarienummer",
    "year": "År",
    "version": "Version",
}
TOPIC_SV = {
    "header": "Namn, år och version",
    "pot": "Pottar",
    "steps": "Trappsteg",
    "dates": "Milstolpar",
    "recipients": "Mottagare per block",
    "planned": "Planeringsunderlag",
}
POT_ROLE_SV = {
    "pot": "Potten",
    "block": "Blockets pott",
    "agency_costs": "Socialstyrelsens egna kostnader",
    "gross": "Anslaget före avdrag",
}
FIELD_SV = {"start": "Från", "due": "Senast", "after": "Efter", "label": "Namn"}
NONE = "inget"
CONVENTIONS = (
    "Id: små bokstäver a–z, siffror och bindestreck (t.ex. at-2027). Det står i adresser och filnamn och "
    "ändras aldrig: en ny omgång får ett nytt id, en ändring av en befintlig omgång sparas under samma id.",
    "Version: tre tal, t.ex. 1.0.0. Ett nytt id börjar på 1.0.0. En ändring av en befintlig omgång får en "
    "högre version: det sista talet för en rättelse (1.0.1), det mittersta för ändrade regler (1.1.0), det "
    "första för en ny omgång av samma slag. Sidorna visar den senast sparade versionen; de tidigare finns kvar "
    "under Versioner.",
)
ACTIONS_SV = {"keep": "Behåll citatet", "rewrite": "Skriv om citatet", "remove": "Ta bort citatet"}


def _day(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else NONE


def _kr(value: Any) -> str:
    return f.kr(value) if isinstance(value, int) else NONE


def change_line(change: Change, names: Mapping[str, str]) -> str:
    """One change as a sentence: ``what: before → after``."""
    if change.topic == "header":
        return f"{HEADER_SV.get(change.field, change.field)}: {change.before or NONE} → {change.after or NONE}"
    if change.topic == "pot":
        what = change.name if change.role in ("option", "block") else POT_ROLE_SV.get(change.role, "Pott")
        if change.role in POT_ROLE_SV and change.role not in ("pot", "block") and change.name:
            what = f"{change.name}: {what}"
        return f"{what}: {_kr(change.before)} → {_kr(change.after)}"
    if change.topic == "steps":
        step = f"steget minst {change.field} tjänster utöver plan"
        step = f"{change.name}: {step}" if change.name else step.capitalize()
        if change.before is None:
            return f"{step}: nytt, {_kr(change.after)}"
        if change.after is None:
            return f"{step}: borttaget (var {_kr(change.before)})"
        return f"{step}: {_kr(change.before)} → {_kr(change.after)}"
    if change.topic == "dates":
        field = FIELD_SV.get(change.field, change.field)
        if change.field == "label":
            return f"{change.name}: namnet {change.before} → {change.after}"
        return f"{change.name}, {field.lower()}: {_day(change.before)} → {_day(change.after)}"
    if change.topic == "recipients":
        return f"{change.name}: {recipients_change(change.before, change.after, names)}"
    region = names.get(change.name, change.name)
    return f"{region}: {change.before or NONE} → {change.after or NONE} planerade tjänster"


def recipients_change(before: Any, after: Any, names: Mapping[str, str]) -> str:
    """``läggs till: Uppsala; tas bort: Gotland`` (None means every recipient)."""
    every = tuple(names)
    old, new = set(before or every), set(after or every)
    parts = []
    if added := sorted(new - old):
        parts.append("läggs till: " + ", ".join(names.get(c, c) for c in added))
    if removed := sorted(old - new):
        parts.append("tas bort: " + ", ".join(names.get(c, c) for c in removed))
    return "; ".join(parts) or "samma mottagare"


def date_flag_text(flag: DateFlag) -> str:
    field = FIELD_SV.get(flag.field, flag.field).lower()
    if flag.kind == "outside_year":
        return f"{flag.milestone}, {field}: {flag.day.isoformat()} ligger utanför omgångens år ({flag.year})."
    other = FIELD_SV.get(flag.other_field, flag.other_field).lower()
    day = flag.other_day.isoformat() if flag.other_day else NONE
    return (
        f"{flag.milestone}, {field}: {flag.day.isoformat()} ligger nu efter {flag.other_milestone}, {other} "
        f"({day}); i källomgången låg den före."
    )


def mention_text(mention: Mention) -> str:
    if mention.kind == "year":
        return f"nämner {mention.stated}, men omgången gäller {mention.now}"
    if mention.kind == "amount":
        stated = _kr(mention.stated)
        if mention.now is None:
            return f"nämner {stated}, som inte längre är något belopp i omgången"
        return f"nämner {stated}, men beloppet är nu {_kr(mention.now)}"
    stated = mention.stated.isoformat() if isinstance(mention.stated, date) else str(mention.stated)
    days = mention.now if isinstance(mention.now, tuple) else ()
    now = ", ".join(d.isoformat() for d in days) or "inga datum"
    return f"nämner {stated}, men milstolpens datum är nu {now}"


def quote_flag_title(flag: QuoteFlag) -> str:
    """``Citatet under ”Bakgrund” (252 000 000 kr (Bakgrund)) nämner 2023, men omgången gäller 2027.``"""
    where = f"under ”{flag.section}”" if flag.section else "i regelfilen"
    name = f" ({flag.name})" if flag.name and flag.name != flag.section else ""
    if flag.step is not None:
        name = f" (trappsteget minst {flag.step} tjänster utöver plan)"
    reasons = "; ".join(mention_text(m) for m in flag.mentions)
    return f"Citatet {where}{name} {reasons}."


def planned_origin(count: int, *, upload: str = "", source: str = "", on: date | None = None) -> str:
    """Where the new round's planned table comes from: an uploaded file, a copy of ``source`` as it stands
    ``on`` (the day of the review), or the rules file's own table."""
    if not count:
        return "Omgången har ingen tabell över planerade tjänster."
    if upload:
        return f"Från den uppladdade filen {upload} ({count} mottagare)."
    if source:
        when = f" per {on.isoformat()}" if on else ""
        return f"Kopierat från {source} ({count} mottagare), så som den omgången har det sparat{when}."
    return f"Regelfilens egen tabell, eller den tabell som lästes in med regelfilen ({count} mottagare)."


def population_origin(day: date | None) -> str:
    """The population the round uses (its key per inhabitants, or an estimate by population share)."""
    if day is None:
        return "Omgången använder ingen befolkning."
    return f"Befolkningen per {day.isoformat()}, ur databasens befolkningstabell för det datumet."
