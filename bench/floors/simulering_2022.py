"""Floor of Simulering for the 2022-shaped round (tests/rounds/at-2022-illustrative.toml: three blocks, the last a
staircase), as ``pages/at/simulator.py`` draws a round of blocks (``ui.blocks.block_simulator``) on its first
render.

Mirrors (``static.block_simulator``): title, caption, the illustrative round's warning; a bordered container
with three pots (text inputs of grouped kronor) with captions in three columns, the last with a collapsed
expander of three step amounts and a select box, and a reset button; the page's fragment: "Utfall per region"
with four buttons and a number input in five columns, a caption, the phone's cue, the data editor (21 rows × 9
columns: code, region, planned, five numbers, the coloured "Mot plan"), a keyed results container with two rows
of three metrics, the staircase's three metrics, two notices, eight lazy tabs bound to the address, the open one
("Resultat") holding the results as text (21 rows × 14 columns), a caption, two download buttons in columns, the
explanation's select box and list; the save form; the hidden warm-up script in the sidebar.
"""

import streamlit as st
from static import block_simulator, text

st.title(text(49))
extra = {c: "number" for c in ("Tillsatta", "Påbörjade", "Avräknade", "Utökning (tjänster)", "AT-tjänster (antal)")}
block_simulator(blocks=3, steps=3, extra=extra, metric_rows=(3, 3), result_columns=14)
