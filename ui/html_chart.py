"""The one type of the charts drawn as plain HTML and CSS (no Plotly on a first screen: README, Speed)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class HtmlChart:
    title: str  # states the result (plain text; the page escapes it)
    subtitle: str  # the second line ("" when there is none)
    html: str  # the chart, for st.html ("" when there is nothing to draw)
    data: pd.DataFrame  # what the chart shows
