"""Store tables shown to people: Swedish column names, dates without a clock, no "None"."""

from __future__ import annotations

import pandas as pd

from present import formats as f

LABELS_SV = {
    "id": "Id",
    "code": "Länskod",
    "region": "Region",
    "name": "Namn",
    "seed_name": "Stavning i anvisningen",
    "aliases": "Andra namn",
    "date": "Datum",
    "population": "Befolkning",
    "source": "Källa",
    "round_id": "Omgång",
    "round_version": "Regelversion",
    "version": "Version",
    "kind": "Typ",
    "title": "Titel",
    "dnr": "Diarienummer",
    "rules_toml": "Regelfil (TOML)",
    "source_file": "Fil",
    "loaded_at": "Inläst",
    "label": "Milstolpe",
    "start_date": "Från",
    "due": "Senast",
    "after_date": "Efter",
    "expected": "Förväntad",
    "section": "Avsnitt i anvisningen",
    "quote": "Mening i anvisningen",
    "planned": "Planerat",
    "filled": "Tillsatta",
    "started": "Påbörjade",
    "excluded": "Avräknade (tidigare omgång)",
    "planned_override": "Planerat (ändrat)",
    "other_values": "Andra rapporterade värden",
    "received": "Mottaget",
    "updated_at": "Uppdaterad",
    "author": "Skapad av",
    "created": "Skapad",
    "rules_version": "Regelversion",
    "params": "Parametrar",
    "inputs": "Indata",
    "note": "Anteckning",
    "amount": "Belopp (kr)",
    "basis": "Grund",
    "approved_on": "Godkänt",
    "recorded_at": "Registrerat",
    "paid_on": "Utbetalt",
    "reference": "Referens",
    "logged_at": "Tid",
    "actor": "Aktör",
    "role": "Roll",
    "action": "Händelse",
    "entity": "Tabell",
    "entity_key": "Post",
    "reason": "Anledning",
    "before": "Före",
    "after": "Efter",
    "login": "Inloggning",
    "active": "Aktiv",
    "published_on": "Publicerat",
    "saved_by": "Sparad av",
    "saved_seq": "Sparad nr",
    "example": "Exempeldata",
    "run_id": "Utbetalningskörning nr",
    "decision_id": "Beslut nr",
    "requisition_id": "Rekvisition nr",
    "received_on": "Mottaget",
    "recorded_by": "Registrerat av",
}


def display_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy for display: date columns as dates, missing values blank, Swedish headers."""
    shown = frame.copy()
    for column in shown.columns:
        values = shown[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            clock = values.dropna()
            if len(clock) and (clock == clock.dt.normalize()).all():
                shown[column] = values.dt.date
        elif values.dtype == object:
            shown[column] = values.where(values.notna(), "")
    return shown.rename(columns=LABELS_SV)


def signed_kr(value: int) -> str:
    """A difference in kronor with its sign, the same rule in tables and chart titles: ``+1 234 kr`` for a gain,
    ``−1 234 kr`` (a real minus) for a loss, ``0 kr`` for none."""
    return f"+{f.kr(value)}" if value > 0 else f.kr(value)
