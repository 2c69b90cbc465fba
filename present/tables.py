"""An allocation as tables (pandas): numeric columns, Swedish headers, and the method in words.

Used by the dashboard's tables and by every export, so a downloaded file says what the page says.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from allocation.at import POT_BELOW_STEPS, Allocation
from allocation.rules import AtRound
from present import formats as f
from present.explain import KEY_LABELS_SV
from present.notices import text_sv
from present.outcome import has_outcome

COLUMNS_SV = {
    "code": "Länskod",
    "region": "Region",
    "population": "Befolkning",
    "planned": "Planerat",
    "outcome": "Utfall",
    "excluded": "Avräknat",
    "expansion": "Utökning",
    "expansion_per_100k": "Per 100 000 inv.",
    "step_amount": "Trappsteg",
    "redistribution": "Omfördelning",
    "total": "Totalt",
    "kr_per_inhabitant": "Kr per invånare",
    "next_step_positions": "Nästa steg: tjänster",
    "next_step_kronor": "Nästa steg: kr",
}


def results_frame(allocation: Allocation) -> pd.DataFrame:
    """One row per region with numeric columns (counts as floats, money as int kronor); the next step empty for
    a region without an outcome (it has not reported)."""
    records = []
    for r in allocation.regions:
        reported = has_outcome(r)
        records.append(
            {
                "code": r.code,
                "region": r.name,
                "population": r.population,
                "planned": float(r.planned),
                "outcome": r.outcome,
                "excluded": r.excluded,
                "expansion": float(r.expansion),
                "expansion_per_100k": float(r.expansion_per_100k),
                "step_amount": r.step_amount,
                "redistribution": r.redistribution,
                "total": r.total,
                "kr_per_inhabitant": r.total / r.population,
                "next_step_positions": r.next_step_positions if reported else None,
                "next_step_kronor": r.next_step_kronor if reported else None,
            }
        )
    frame = pd.DataFrame.from_records(records)
    for column in ("next_step_positions", "next_step_kronor"):
        frame[column] = frame[column].astype("Int64")
    return frame


def results_frame_sv(allocation: Allocation) -> pd.DataFrame:
    """The results with Swedish headers and a totals row, for exports."""
    frame = results_frame(allocation)
    frame["expansion_per_100k"] = frame["expansion_per_100k"].round(4)
    frame["kr_per_inhabitant"] = frame["kr_per_inhabitant"].round(2)
    for column in ("planned", "expansion"):
        if (frame[column] % 1 == 0).all():
            frame[column] = frame[column].astype("Int64")
    for column in ("population", "outcome", "excluded", "step_amount", "redistribution", "total"):
        frame[column] = frame[column].astype("Int64")
    totals = {
        "code": "",
        "region": "Summa",
        "population": int(frame["population"].sum()),
        "step_amount": int(frame["step_amount"].sum()),
        "redistribution": int(frame["redistribution"].sum()),
        "total": int(frame["total"].sum()),
    }
    frame = pd.concat([frame, pd.DataFrame([totals])], ignore_index=True)
    return frame.rename(columns=COLUMNS_SV)


def method_rows(
    at_round: AtRound, allocation: Allocation, extra: dict[str, str] | None = None
) -> list[tuple[str, str]]:
    """What a printed result needs to explain itself: parameters, method, rule version, data dates."""
    params = allocation.params
    steps = "; ".join(f"≥ {s.min_expansion} → {f.kr(s.amount)}" for s in params.steps)
    rows = [
        ("Bidragsomgång", f"{at_round.title} ({at_round.id})"),
        ("Diarienummer", at_round.dnr),
        ("Regelfil", f"data/rounds/{at_round.id}.toml, version {at_round.version}"),
        ("Källa", f"Anvisningar (kopia i data/seeds/{at_round.seed_file})"),
        ("Befolkningsdatum", f"{at_round.population_date.isoformat()} ({at_round.population_source})"),
        ("Pott", f"{f.kr(params.pot)} ({at_round.pot_source_sv(params.pot_source)})"),
        ("Trappsteg", steps),
        ("Fördelningsnyckel", KEY_LABELS_SV.get(params.key, params.key)),
        (
            "Metod",
            "Utfall = högsta av tillsatta och påbörjade tjänster. Utökning = utfall − planerat − tidigare "
            "finansierade, lägst 0 (ett spann räknas som sitt medelvärde). Högsta uppnådda trappsteg ger sitt "
            "belopp. Kvarstående medel fördelas mellan kvalificerade regioner i proportion till nyckeln.",
        ),
        (
            "Avrundning",
            "Hela kronor med största-rest-metoden i exakt heltalsaritmetik; lika rester: lägre länskod först. "
            "Summan av utbetalningarna är lika med potten.",
        ),
        ("Utbetalt", f.kr(allocation.paid)),
        ("Ej fördelat", f.kr(allocation.unallocated)),
    ]
    if any(w.code == POT_BELOW_STEPS for w in allocation.warnings):
        rows.append(
            (
                "Obs",
                "Potten är mindre än trappstegens summa: trappbeloppen är nedskalade, inget omfördelat. "
                "Nästa steg: kr är nedskalat på samma sätt (övriga regioner oförändrade).",
            )
        )
    rows += [("Varning", text_sv(w)) for w in allocation.warnings if w.code != POT_BELOW_STEPS]
    rows += list((extra or {}).items())
    rows.append(("Skapad", datetime.now().strftime("%Y-%m-%d %H:%M")))
    return rows
