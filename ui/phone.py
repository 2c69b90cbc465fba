"""What a phone (390 px) needs beside the desktop layout, by CSS media queries only: a visible cue that a wide
table scrolls sideways inside its frame, and tabs that wrap onto a second line instead of being cut off.

Both are plain CSS on Streamlit's test id ``stTabs`` (which its own e2e suite uses) and the ARIA role
``tablist`` inside it; nothing is moved or rewritten, so a Streamlit upgrade that changes them only loses
the phone layout, never content.
"""

from __future__ import annotations

from html import escape

import streamlit as st

NARROW = "640px"  # at most this wide counts as a phone (the overview's table turns into cards at the same width)

_TABS_CSS = f"""<style>
@media (max-width: {NARROW}) {{
  [data-testid="stTabs"] [role="tablist"] {{ flex-wrap: wrap; row-gap: 0.25rem; overflow: visible; }}
}}
</style>"""

_CUE_CSS = f"""<style>
p.sv-swipe-cue {{ display: none; }}
@media (max-width: {NARROW}) {{
  p.sv-swipe-cue {{ display: block; margin: 0; font-size: 0.875rem; color: #333; }}
}}
</style>"""


def wrapping_tabs() -> None:
    """On a phone, the page's tabs wrap onto more lines (every tab's name whole), the chosen one underlined."""
    st.html(_TABS_CSS)


def swipe_cue(text: str = "Tabellen har fler kolumner: svep åt sidan i den →") -> None:
    """A line above a wide table, shown on a phone only: the table scrolls inside its frame."""
    st.html(f'{_CUE_CSS}<p class="sv-swipe-cue">{escape(text)}</p>')
