"""Floor of Simulering for the 2024-shaped round (tests/rounds/at-2024-illustrative.toml: two blocks, the second a
staircase), as ``pages/at/simulator.py`` draws a round of blocks (``ui.blocks.block_simulator``) on its first
render.

Mirrors (``static.block_simulator``): title, caption, the illustrative round's warning; a bordered container
with two pots (text inputs of grouped kronor) with captions in two columns, the last with a collapsed expander of
five step amounts and a select box, and a reset button; the page's fragment: "Utfall per region" with four
buttons and a number input in five columns, a caption, the phone's cue, the data editor (21 rows × 8 columns:
code, region, planned, three numbers, the report date as text, the coloured "Mot plan"), a keyed results
container with three and two metrics in rows of three columns, the staircase's three metrics, two notices, seven
lazy tabs bound to the address, the open one ("Resultat") holding the results as text (21 rows × 13 columns), a
caption, two download buttons in columns, the explanation's select box and list; the save form; the hidden
warm-up script in the sidebar.
"""

import streamlit as st
from static import block_simulator, text

st.title(text(49))
extra = {"Tillsatta": "number", "Påbörjade": "number", "Avräknade": "number", "Rapporterad": "text"}
block_simulator(blocks=2, steps=5, extra=extra, metric_rows=(3, 2), result_columns=13)
