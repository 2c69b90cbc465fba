"""The AT allocation as tables for the dashboard: numbers kept numeric, shown in Swedish formats."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from allocation import formats as f
from allocation.tables import COLUMNS_SV, KRONOR_COLUMNS


def _maybe(fn: Callable[[Any], str]) -> Callable[[Any], str]:
    """Format a value that may be missing (e.g. no next step above the top one) as a dash."""
    return lambda v: "–" if pd.isna(v) else fn(v)


def styled_results(frame: pd.DataFrame) -> Styler:
    """Swedish display formats (Babel) on top of the numeric frame; headers in Swedish."""
    formats: dict[str, Callable[[Any], str]] = {
        "population": f.number,
        "planned": lambda v: f.count(_fraction(v)),
        "outcome": lambda v: f.number(int(v)),
        "excluded": lambda v: f.number(int(v)),
        "expansion": lambda v: f.count(_fraction(v)),
        "expansion_per_100k": lambda v: f.number(v, 2),
        "kr_per_inhabitant": lambda v: f.number(v, 2),
        "next_step_positions": lambda v: f.number(int(v)),
        **{c: lambda v: f.kr(int(v)) for c in KRONOR_COLUMNS},
    }
    swedish = frame.copy()
    # Streamlit shows a styled missing value as "None": a column with gaps (the totals row, no step
    # above the top one) becomes text here, formatted the same way, with a dash for the gap.
    gaps = [c for c in frame.columns if c in formats and frame[c].isna().any()]
    for column in gaps:
        swedish[column] = frame[column].map(_maybe(formats[column]))
    numeric = {COLUMNS_SV[c]: fn for c, fn in formats.items() if c in frame.columns and c not in gaps}
    styler = swedish.rename(columns=COLUMNS_SV).style.format(numeric)
    return styler.hide(axis="index")


def _fraction(value: float) -> Fraction:
    """Counts are whole or halves (midpoints); recover the exact value for display."""
    return Fraction(value).limit_denominator(100)


def with_totals(frame: pd.DataFrame) -> pd.DataFrame:
    """The results with a "Summa" row: the money columns add up to what was paid (the pot)."""
    totals = {column: pd.NA for column in frame.columns}
    totals |= {"code": "", "region": "Summa"}
    totals |= {c: int(frame[c].sum()) for c in ("population", "step_amount", "redistribution", "total") if c in frame}
    totals["expansion"] = frame["expansion"].sum()
    population = int(frame["population"].sum())
    totals["expansion_per_100k"] = totals["expansion"] * 100_000 / population  # the whole country's
    totals["kr_per_inhabitant"] = frame["total"].sum() / population
    return pd.concat([frame, pd.DataFrame([totals])], ignore_index=True)


def results_column_config(frame: pd.DataFrame) -> dict[str, object]:
    """Numbers right-aligned, also in columns that became text because of a gap (a dash)."""
    return {
        COLUMNS_SV[c]: st.column_config.Column(alignment="right") for c in frame.columns if c not in ("code", "region")
    }
