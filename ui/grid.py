"""Tables of figures in Streamlit's data grid that read the same to a screen reader as on screen: the one
helper every table of the product goes through (the simulator's, the decision's, the payouts', the store's).

The grid (glide-data-grid, Streamlit 1.67) keeps a hidden accessible copy of the cells in the page. For a
number cell that copy is the raw value (``getAccessibilityString: e => e.data?.toString()``, seen in the
bundle's number renderer), whatever a pandas Styler or a ``NumberColumn`` format draws on the canvas: a
screen reader hears "75.9929337365961" and "3000000". A text cell's copy is its text. So the figures are
sent as the Swedish text shown (``present.formats``), right-aligned, and so are dates. The grid then sorts
them as text: the tables here are short, and the CSV/XLSX downloads carry the numbers.

A column's format follows from its name, unless the caller names one:
- kronor: "… (kr)", "kronor", "belopp", "skillnad", "total" → ``1 234 567 kr``;
- two decimals: "kr per invånare", "… per 100 000 …" → ``12,50``;
- identifiers ("länskod", "id", "version", "… nr", …) stay as they are (as text: never grouped as a figure);
- any other column of figures: a count, whole numbers without decimals and fractions with one or two (``2,5``).
A missing figure is "–".
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Collection, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from numbers import Real
from typing import Any

import pandas as pd
import pyarrow as pa
import streamlit as st

from present import formats as f

Format = Callable[[Any], str]
BLANK = "–"  # a figure that is not there
MONEY = ("kronor", "belopp", "skillnad", "total", "totalt")
DECIMALS = ("kr per invånare", "kr_per_inhabitant")
IDENTIFIERS = ("länskod", "code", "id", "version", "regelversion", "post", "round_version", "rules_version")


def blank(value: object) -> bool:
    """No value: None, pandas' NA or NaT, a float NaN."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def is_figure(value: object) -> bool:
    return isinstance(value, Real | Decimal) and not isinstance(value, bool)


def money(value: Any) -> str:
    return BLANK if blank(value) else f.kr(int(value))


def decimals(value: Any) -> str:
    return BLANK if blank(value) else f.number(float(value), 2)


def figure(value: Any) -> str:
    """A count: a whole number without decimals, a fraction with one or two (``2``, ``2,5``, ``75,99``)."""
    if blank(value):
        return BLANK
    if isinstance(value, float):
        value = Fraction(value).limit_denominator(100)
    return f.count(Fraction(value))


def day(value: Any) -> str:
    """A date (or a timestamp at midnight) as ``2023-11-01``; a time of day is kept (``2023-11-01 14:05``)."""
    if blank(value):
        return ""
    if isinstance(value, pd.Timestamp | dt.datetime):
        stamp = pd.Timestamp(value)
        return stamp.strftime("%Y-%m-%d") if stamp == stamp.normalize() else stamp.strftime("%Y-%m-%d %H:%M")
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _is_day(value: object) -> bool:
    return isinstance(value, dt.date | pd.Timestamp)


def format_of(column: str, values: Sequence[object]) -> Format | None:
    """The format a column's name and values call for (None: not a column of figures or dates: left as it is)."""
    name = column.lower()
    present = [v for v in values if not blank(v)]
    if name in IDENTIFIERS or name.endswith(" nr"):
        return (lambda v: "" if blank(v) else str(v)) if present and all(is_figure(v) for v in present) else None
    if present and all(_is_day(v) for v in present):
        return day
    if not present or not all(is_figure(v) for v in present):
        return None
    if name.endswith("(kr)") or name in MONEY:
        return money
    if name in DECIMALS or "per 100 000" in name:
        return decimals
    return figure


def shown_columns(
    columns: Mapping[str, Sequence[object]], formats: Mapping[str, Format] | None = None
) -> tuple[dict[str, list[object]], list[str]]:
    """Each column of figures (or dates) as the text shown, others as they are; and the figure columns' names."""
    formats = dict(formats or {})
    shown: dict[str, list[object]] = {}
    figures: list[str] = []
    for column, values in columns.items():
        values = list(values)
        fmt = formats.get(str(column)) or format_of(str(column), values)
        if fmt is None:
            shown[column] = values
            continue
        shown[column] = [fmt(v) for v in values]
        if fmt is not day:
            figures.append(str(column))
    return shown, figures


def header(column: str) -> str:
    """A header as every table writes it: capitalised (the frame keeps its columns' names for exports)."""
    return column[:1].upper() + column[1:]


def figures_table(
    data: pd.DataFrame | Mapping[str, Sequence[object]],
    formats: Mapping[str, Format] | None = None,
    *,
    width: Any = "stretch",
    column_config: Mapping[str, Any] | None = None,
    as_given: Collection[str] = (),
    **kwargs: Any,
) -> None:
    """``st.dataframe`` of a table (a frame or its columns) with figures and dates as Swedish text, the figures
    right-aligned, capitalised headers (but those ``as_given``: a name a user wrote), no index."""
    columns = data.to_dict("list") if isinstance(data, pd.DataFrame) else data
    shown, figures = shown_columns(columns, formats)
    titles = {c: str(c) if c in as_given else header(str(c)) for c in shown}
    config: dict[str, Any] = {
        c: st.column_config.TextColumn(titles[c], alignment="right")
        if c in figures
        else st.column_config.Column(titles[c])
        for c in shown
    }
    config |= dict(column_config or {})
    st.dataframe(_table(shown), hide_index=True, width=width, column_config=config, **kwargs)


def _table(columns: Mapping[str, list[object]]) -> pa.Table | pd.DataFrame:
    """The columns as an Arrow table, which Streamlit sends as it is (a pandas frame of text costs ten times as
    much to build and convert); a column Arrow cannot type as one kind goes through pandas."""
    try:
        return pa.Table.from_pydict({str(c): v for c, v in columns.items()})
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        return pd.DataFrame(columns)
