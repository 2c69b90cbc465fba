"""Floor of Simulering for the 2024-shaped round (tests/rounds/at-2024-illustrative.toml: two blocks, the second a
staircase), as ``pages/at/simulator.py`` draws a round of blocks (``ui.blocks.block_simulator``) on its first
render.

Mirrors: title, caption, the illustrative round's warning; a bordered container with a subheader, two pot inputs
(text inputs of grouped kronor) with captions in two columns, the last with a collapsed expander of five step
amounts and a select box, and a reset button; "Utfall per region": two buttons and a number input in four columns, a
caption, the data editor (21 rows × 8 columns: code, region, planned, three numbers, the report date as text, the
coloured "Mot plan"); a keyed results container with three and two metrics in rows of three columns, two info
notices, seven lazy tabs bound to the address, the open one ("Resultat") holding a Styler-formatted data frame (21
rows × 6 columns), a caption and two download buttons in columns; the save form. The page then stops (``st.stop``),
so the frame's footer is not drawn, as on the real page.
"""

import streamlit as st
from static import block_simulator, text

st.title(text(49))
extra = {"Tillsatta": "number", "Påbörjade": "number", "Avräknade": "number", "Rapporterad": "text"}
block_simulator(blocks=2, steps=5, extra=extra, metric_rows=(3, 2))
