"""The pair of table downloads every result view offers: XLSX (with an "Om uttaget" sheet) and CSV.

File names carry the round's short title, what the table is, the scenario (if any) and the date
(``store.export.export_file_name``); both files are formula-safe (store/export.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from store.export import export_file_name, frame_to_csv, frame_to_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_pair(
    frame: pd.DataFrame,
    about: Sequence[tuple[str, str]],
    *,
    sheet: str,
    name: Sequence[str | None],
    key: str,
) -> None:
    """Two buttons side by side; ``name`` the parts of the file name (round, what, scenario)."""
    d1, d2, _ = st.columns([1, 1, 3])
    d1.download_button(
        "Ladda ned (XLSX)",
        lambda: frame_to_xlsx(frame, list(about), sheet_name=sheet),
        file_name=export_file_name(*name, ext="xlsx"),
        on_click="ignore",
        key=f"{key}_xlsx",
        mime=XLSX,
    )
    d2.download_button(
        "Ladda ned (CSV)",
        lambda: frame_to_csv(frame),
        file_name=export_file_name(*name, ext="csv"),
        mime="text/csv",
        on_click="ignore",
        key=f"{key}_csv",
    )
