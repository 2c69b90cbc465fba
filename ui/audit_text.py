"""The audit log in words: who changed what, when, before and after — in Swedish, with no internal key.

Pure: audit rows (as ``store.audit.audit`` returns them) and the names of rounds and regions in, one Swedish row per
entry out. Field names, actions and tables come from closed vocabularies below; a field that is not in the
vocabulary is said as "annat fält" rather than shown by its internal name. Values are written the Swedish way:
kronor with ``kr``, dates as ``31 oktober 2023``, times as ``5 december 2026 kl. 13.02``, a missing value as "–".
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import pandas as pd
from babel.dates import format_date, format_datetime

from present.formats import LOCALE, kr
from store.tables import EXPORTABLE_TABLES

ACTIONS_SV = {
    "insert": "Lade till",
    "update": "Ändrade",
    "delete": "Tog bort",
    "load": "Läste in exempeldata",
    "remove": "Tog bort exempeldata",
    "decline": "Avböjde exempeldata",
    "refused": "Nekades åtkomst",
}
TABLES_SV = dict(EXPORTABLE_TABLES) | {
    "payment_details": "Betalningsuppgifter",
    "payment_runs": "Utbetalningsomgångar",
    "decision_snapshots": "Låsta beslut",
    "recoveries": "Återbetalda återkrav",
    "example_data": "Exempeldata",
    "access": "Åtkomst",
}
MONEY = {"amount", "paid", "total", "pot"}
FIELDS_SV = {
    "active": "aktiv",
    "amount": "belopp",
    "approved_on": "ombud godkänt",
    "bankgiro": "bankgiro",
    "basis": "underlag",
    "code": "län",
    "content_hash": "kontrollsumma",
    "decision": "beslut",
    "decision_id": "beslutsnummer",
    "excluded": "avräknade",
    "expansion": "utökning",
    "filled": "tillsatta",
    "inputs": "regionernas värden",
    "kept": "behölls",
    "kind": "slag",
    "lines": "rader",
    "migrated": "från tidigare version",
    "name": "namn",
    "note": "anteckning",
    "org_number": "organisationsnummer",
    "paid": "belopp",
    "paid_on": "utbetalningsdag",
    "params": "regler",
    "planned": "planerat",
    "positions": "AT-tjänster",
    "planned_override": "planerat (ändrat)",
    "published_on": "beslutsdatum",
    "received": "mottagen",
    "received_on": "inbetald",
    "reference": "referens",
    "region": "region",
    "requisition_id": "rekvisition nr",
    "role": "roll",
    "round_id": "omgång",
    "rounds": "omgångar",
    "rows": "rader",
    "rules_toml": "regeltext",
    "run_id": "utbetalningsomgång nr",
    "seed": "slumpfrö",
    "source": "källa",
    "started": "påbörjade",
    "supersedes": "ändrar beslut nr",
    "total": "summa",
    "up_to": "till och med",
    "version": "version",
    "action": "åtgärd",
}
ROLES_SV = {"staff": "handläggare", "manager": "chef", "region": "region"}
COLUMNS = ("Tid", "Vem", "Händelse", "Gäller", "Före", "Efter", "Anledning")


def when(value: Any) -> str:
    """``5 december 2026 kl. 13.02`` for a moment, ``31 oktober 2023`` for a day."""
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        return format_datetime(value, "d MMMM y 'kl.' HH.mm", locale=LOCALE)
    if isinstance(value, date):
        return format_date(value, "d MMMM y", locale=LOCALE)
    return str(value)


def _value(field: str, value: Any, names: Mapping[str, str]) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if field in MONEY and isinstance(value, int):
        return kr(value)
    if field == "rules_toml" and isinstance(value, str):
        return f"(regeltext, {len(value)} tecken)"
    if field == "role":
        return ROLES_SV.get(str(value), str(value))
    if field in ("code", "region") and str(value) in names:
        return names[str(value)]
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            return when(datetime.fromisoformat(value)) if "T" in value else when(date.fromisoformat(value[:10]))
        except ValueError:
            pass
    if isinstance(value, dict | list):
        return f"({len(value)} uppgifter)"
    return str(value)


def fields_text(raw: str | None, names: Mapping[str, str]) -> str:
    """A before/after JSON object as ``belopp: 1 000 kr; mottagen: 31 oktober 2023`` (fields in a fixed order)."""
    if raw is None or (isinstance(raw, float) and pd.isna(raw)):
        return "–"
    try:
        data = json.loads(raw)
    except (TypeError, ValueError):
        return "–"
    if not isinstance(data, dict):
        return _value("", data, names)
    parts = []
    for field in sorted(data, key=lambda k: (k not in FIELDS_SV, FIELDS_SV.get(k, ""))):
        label = FIELDS_SV.get(field, "annat fält")
        parts.append(f"{label}: {_value(field, data[field], names)}")
    return "; ".join(parts) or "–"


def key_text(key: str, rounds: Mapping[str, str], regions: Mapping[str, str]) -> str:
    """``at-2027/25/7`` → ``AT-tjänster 2027 · Norrbotten · nr 7``; ``at-2023@1.2.0`` → ``… · version 1.2.0``."""
    if "@" in key:
        round_id, _, version = key.partition("@")
        return f"{rounds.get(round_id, round_id)} · version {version}"
    parts = []
    for i, part in enumerate(key.split("/")):
        if i == 0 and part in rounds:
            parts.append(rounds[part])
        elif part in regions:
            parts.append(regions[part])
        elif part.isdigit() and i > 0:
            parts.append(f"nr {part}")
        elif part in rounds:
            parts.append(rounds[part])
        else:
            parts.append(part)
    return " · ".join(parts)


def audit_in_words(log: pd.DataFrame, rounds: Mapping[str, str], regions: Mapping[str, str]) -> pd.DataFrame:
    """The audit rows (``store.audit.audit``) in Swedish words, newest first as given."""
    rows = []
    for entry in log.itertuples(index=False):
        action = ACTIONS_SV.get(str(entry.action), "Ändrade")
        table = TABLES_SV.get(str(entry.entity), "annan tabell")
        role = f" ({entry.role})" if entry.role else ""
        rows.append(
            {
                "Tid": when(entry.logged_at),
                "Vem": f"{entry.actor}{role}",
                "Händelse": f"{action} · {table}",
                "Gäller": key_text(str(entry.entity_key), rounds, regions),
                "Före": fields_text(entry.before, regions),
                "Efter": fields_text(entry.after, regions),
                "Anledning": entry.reason or "–",
            }
        )
    return pd.DataFrame(rows, columns=list(COLUMNS))
