"""The AT allocation as tables for the dashboard: numbers kept numeric, shown in Swedish formats."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

import pandas as pd
from pandas.io.formats.style import Styler

from allocation import formats as f
from allocation.at import Allocation

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

_KRONOR = ("step_amount", "redistribution", "total", "next_step_kronor")


def results_frame(allocation: Allocation) -> pd.DataFrame:
    """One row per region with numeric columns (counts as floats, money as int kronor)."""
    records = []
    for r in allocation.regions:
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
                "next_step_positions": r.next_step_positions,
                "next_step_kronor": r.next_step_kronor,
            }
        )
    frame = pd.DataFrame.from_records(records)
    for column in ("next_step_positions", "next_step_kronor"):
        frame[column] = frame[column].astype("Int64")
    return frame


def _maybe(fn: Callable[[Any], str]) -> Callable[[Any], str]:
    """Format a value that may be missing (e.g. no next step above the top one) as a dash."""
    return lambda v: "–" if pd.isna(v) else fn(v)


def styled_results(frame: pd.DataFrame) -> Styler:
    """Swedish display formats (Babel) on top of the numeric frame; headers in Swedish."""
    formats = {
        "population": f.number,
        "planned": lambda v: f.count(_fraction(v)),
        "expansion": lambda v: f.count(_fraction(v)),
        "expansion_per_100k": lambda v: f.number(v, 2),
        "kr_per_inhabitant": lambda v: f.number(v, 2),
        **{c: lambda v: f.kr(int(v)) for c in _KRONOR if c != "next_step_kronor"},
    }
    swedish = frame.copy()
    # Missing values (no step above the top one) as text: Streamlit shows a styled NA as "None".
    swedish["next_step_positions"] = frame["next_step_positions"].map(_maybe(lambda v: f.number(int(v))))
    swedish["next_step_kronor"] = frame["next_step_kronor"].map(_maybe(lambda v: f.kr(int(v))))
    swedish = swedish.rename(columns=COLUMNS_SV)
    styler = swedish.style.format({COLUMNS_SV.get(c, c): fn for c, fn in formats.items() if c in frame.columns})
    return styler.hide(axis="index")


def _fraction(value: float) -> Fraction:
    """Counts are whole or halves (midpoints); recover the exact value for display."""
    return Fraction(value).limit_denominator(100)
