"""The AT allocation as tables for the dashboard: numbers kept numeric, shown in Swedish formats."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

import pandas as pd
from pandas.io.formats.style import Styler

from allocation import formats as f
from allocation.tables import COLUMNS_SV, KRONOR_COLUMNS


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
        **{c: lambda v: f.kr(int(v)) for c in KRONOR_COLUMNS if c != "next_step_kronor"},
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
