"""Floor of Simulering for the 2022-shaped round (tests/rounds/at-2022-illustrative.toml: three blocks, the last a
staircase), as ``pages/at/simulator.py`` draws a round of blocks (``ui.blocks.block_simulator``) on its first
render.

Mirrors: title, caption, the illustrative round's warning; a bordered container with a subheader, three pot inputs
(text inputs of grouped kronor) with captions in three columns, the last with a collapsed expander of three step
amounts and a select box, and a reset button; "Utfall per region": two buttons and a number input in four columns, a
caption, the data editor (21 rows × 9 columns: code, region, planned, five numbers, the coloured "Mot plan"); a
keyed results container with two rows of three metrics, two info notices, eight lazy tabs bound to the address, the
open one ("Resultat") holding a Styler-formatted data frame (21 rows × 7 columns), a caption and two download
buttons in columns; the save form. The page then stops, so the frame's footer is not drawn.
"""

import streamlit as st
from static import block_simulator, text

st.title(text(49))
extra = {c: "number" for c in ("Tillsatta", "Påbörjade", "Avräknade", "Utökning (tjänster)", "AT-tjänster (antal)")}
block_simulator(blocks=3, steps=3, extra=extra, metric_rows=(3, 3))
