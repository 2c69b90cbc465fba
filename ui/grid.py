"""A table of figures in Streamlit's data grid that reads the same to a screen reader as on screen.

The grid (glide-data-grid, Streamlit 1.67) keeps a hidden accessible copy of the cells in the page. For a
number cell that copy is the raw value (``getAccessibilityString: e => e.data?.toString()``, seen in the
bundle's number renderer), whatever a pandas Styler or a ``NumberColumn`` format draws on the canvas: a
screen reader hears "75.9929337365961" and "3000000". A text cell's copy is its text. So the figures are
sent as the Swedish text shown (``present.formats``), right-aligned. The grid then sorts them as text: the
tables here are short, and the CSV/XLSX downloads carry the numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from numbers import Integral, Real
from typing import Any

import pandas as pd
import streamlit as st

from present import formats as f

Format = Callable[[Any], str]


def money(value: Any) -> str:
    return "" if pd.isna(value) else f.kr(int(value))


def figure(value: Any) -> str:
    """A count as a whole number, anything else with two decimals; blank where missing."""
    if value is None or pd.isna(value):
        return ""
    if isinstance(value, Integral) or (isinstance(value, Real) and float(value).is_integer()):
        return f.number(int(value))
    return f.number(float(value), 2)


def _is_money(column: str) -> bool:
    name = column.lower()
    return name.endswith("(kr)") or name in {"kronor", "belopp", "skillnad"}


def as_text(frame: pd.DataFrame, formats: Mapping[str, Format] | None = None) -> tuple[pd.DataFrame, list[str]]:
    """A copy with each figure column as the text shown, and the names of the columns so formatted.

    ``formats`` names a column's format; any other numeric column is money (kr) when its name says so
    ("… (kr)", "kronor", "belopp", "skillnad") and a plain Swedish number otherwise.
    """
    formats = dict(formats or {})
    shown = frame.copy()
    done = []
    for column in shown.columns:
        name = str(column)
        fmt = formats.get(name)
        if (
            fmt is None
            and pd.api.types.is_numeric_dtype(shown[column])
            and not pd.api.types.is_bool_dtype(shown[column])
        ):
            fmt = money if _is_money(name) else figure
        if fmt is not None:
            shown[column] = [fmt(v) for v in shown[column]]
            done.append(name)
    return shown, done


def figures_table(
    frame: pd.DataFrame,
    formats: Mapping[str, Format] | None = None,
    *,
    width: Any = "stretch",
    column_config: Mapping[str, Any] | None = None,
    **kwargs: Any,
) -> None:
    """``st.dataframe`` of ``frame`` with its figures as Swedish text, right-aligned, no index."""
    shown, figures = as_text(frame, formats)
    config: dict[str, Any] = {c: st.column_config.TextColumn(alignment="right") for c in figures}
    config |= dict(column_config or {})
    st.dataframe(shown, hide_index=True, width=width, column_config=config, **kwargs)
