"""The data grid's figures are sent as the Swedish text shown: its hidden accessible copy reads them as such."""

from __future__ import annotations

import pandas as pd

from present import formats as f
from ui.grid import shown_columns


def test_figures_become_the_swedish_text_and_text_columns_stay() -> None:
    frame = pd.DataFrame(
        {
            "länskod": ["01", "03"],
            "region": ["Stockholm", "Uppsala"],
            "Block 2 (kr)": [3_000_000, 0],
            "Skillnad": [-1_500, 2],
            "kr per invånare": [75.9929337365961, 0.5],
            "befolkning": [2_454_821, 395_026],
        }
    )
    shown, figures = shown_columns(frame.to_dict("list"), {"kr per invånare": lambda v: f.number(v, 2)})
    assert figures == ["Block 2 (kr)", "Skillnad", "kr per invånare", "befolkning"]
    assert shown == {
        "länskod": ["01", "03"],
        "region": ["Stockholm", "Uppsala"],
        "Block 2 (kr)": ["3\u00a0000\u00a0000\u00a0kr", "0\u00a0kr"],
        "Skillnad": ["\u22121\u00a0500\u00a0kr", "2\u00a0kr"],
        "kr per invånare": ["75,99", "0,50"],
        "befolkning": ["2\u00a0454\u00a0821", "395\u00a0026"],
    }
    assert frame["Block 2 (kr)"].tolist() == [3_000_000, 0]  # the frame given is left as it was


def test_one_rule_for_every_table_counts_dates_identifiers_and_missing_figures() -> None:
    import datetime as dt

    frame = pd.DataFrame(
        {
            "Id": [12345, 7],
            "Beslut nr": [1234, 12],
            "Länskod": ["01", "03"],
            "Mottaget": [dt.date(2023, 11, 1), None],
            "Inläst": pd.to_datetime(["2023-11-01 14:05", "2023-11-02 00:00"]),
            "utökning (tjänster utöver plan)": [2.5, 3],
            "totalt (kr)": [1_000, None],
        }
    )
    shown, figures = shown_columns(frame.to_dict("list"))
    assert figures == ["Id", "Beslut nr", "utökning (tjänster utöver plan)", "totalt (kr)"]
    assert shown == {
        "Id": ["12345", "7"],  # an identifier, never grouped as a figure
        "Beslut nr": ["1234", "12"],  # the store's numbers of runs, decisions and requisitions too
        "Länskod": ["01", "03"],
        "Mottaget": ["2023-11-01", ""],
        "Inläst": ["2023-11-01 14:05", "2023-11-02"],
        "utökning (tjänster utöver plan)": ["2,5", "3"],
        "totalt (kr)": ["1\u00a0000\u00a0kr", "–"],
    }
