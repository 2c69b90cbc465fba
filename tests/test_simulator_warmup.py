"""The simulator's early load of Plotly's code: it names the file of Streamlit's own build, and only that."""

from __future__ import annotations

import json
from pathlib import Path

import streamlit as st

from ui.simulator_warmup import plotly_chunk, warmup_html


def test_the_plotly_file_of_this_streamlit_build_is_found() -> None:
    chunk = plotly_chunk()
    assert chunk is not None and chunk.startswith("PlotlyChart.") and chunk.endswith(".js")
    assert (Path(st.__file__).parent / "static" / "static" / "js" / chunk).is_file()
    # Streamlit's main script imports the same file by the same relative address.
    main = next((Path(st.__file__).parent / "static" / "static" / "js").glob("index.*.js"))
    assert f'"./{chunk}"' in main.read_text(encoding="utf-8")


def test_the_script_loads_that_file_once_the_app_is_idle() -> None:
    html = warmup_html("PlotlyChart.abc.js")
    assert f"new URL({json.dumps('PlotlyChart.abc.js')}, main.src)" in html
    assert "notRunning" in html and "import(url)" in html
    assert "CHUNK" not in html and "QUIET" not in html
