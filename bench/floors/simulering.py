"""Floor of Simulering for AT 2023 (``pages/at/simulator.py``: a round of one staircase block, drawn by
``ui.blocks.block_simulator``), on its first render with the example data's reports in the table.

Mirrors: title, caption; a bordered container with a subheader, the pot as a choice of the rules' two figures
and an amount of one's own (a radio, a text input of grouped kronor, a notice of the two figures and a caption),
the staircase folded in an expander (five step amounts and the key's select box) and a reset button; then the
page's fragment: "Utfall per region" with four buttons and a number input in five columns, a caption, the phone's
cue, the data editor (21 rows: code, region, planned as text, three number columns, the coloured "Mot plan"), a
keyed results container (three metrics, the staircase's three metrics side by side, six lazy tabs bound to
``?vy=`` of which "Resultat" is open: the results as text, 11 columns × 21 rows, a caption, two download buttons
in columns, a select box of 21 regions and a numbered list of 10 lines) and the "Spara som scenario" form; the
hidden warm-up script in the sidebar (``ui.simulator_warmup``; here it does nothing).
"""

import streamlit as st
from static import block_simulator, text

st.title(text(44))
extra = {"Tillsatta": "number", "Påbörjade": "number", "Avräknade": "number"}
block_simulator(
    blocks=1,
    steps=5,
    extra=extra,
    metric_rows=(3,),
    pot_choice=True,
    illustrative=False,
    notices=0,
    result_columns=11,
)
