"""The chosen round's simulator, whatever its blocks: pots and rules, the outcomes table, results per block and
in total, the charts, saved scenarios and their comparison (``ui.blocks``)."""

import streamlit as st

from ui.blocks import block_simulator
from ui.rounds import chosen_round
from ui.simulator_warmup import warm_plotly
from ui.state import session_or_stop
from ui.text import plain

store = session_or_stop()
ref = chosen_round(store)
st.title(f"{plain(ref.short_title)} – simulering och fördelning")
block_simulator(store, ref)
warm_plotly()  # the chart tabs' Plotly code, loaded while the user reads the page (see the module)
