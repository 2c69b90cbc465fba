"""Plotly's script, loaded in the browser's idle time once the simulator is drawn, so that the first click on a
chart tab draws its chart without first loading and running about 4.5 MB of JavaScript.

Streamlit loads each element's code when the element is first shown; Plotly's is by far the largest. This
asks the browser for the same module, by the same address, once the page is idle (the script has finished
and the main thread is free): when a chart tab is opened, Streamlit's own loader finds the module ready (or
joins the load under way). It relies on two facts of Streamlit's build, both checked here or in the browser:
Plotly's code is the file ``static/js/PlotlyChart.<hash>.js`` beside Streamlit's main script, and the app
element carries ``data-test-script-state``. If either changes, nothing is loaded early and nothing breaks:
the chart loads on the click, as without this.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import streamlit as st

_SCRIPT = """<script>
(() => {
  if (window.__statsbidragPlotly) return;
  window.__statsbidragPlotly = true;
  const main = document.querySelector('script[type="module"][src*="static/js/index."]');
  if (!main) return;
  const url = new URL(CHUNK, main.src).href;
  const idle = () => {
    const app = document.querySelector("[data-testid='stApp']");
    return app !== null && app.getAttribute("data-test-script-state") === "notRunning";
  };
  const later = window.requestIdleCallback || ((run) => setTimeout(run, 100));
  const load = () => import(url).catch(() => {});
  let tries = 0;
  const wait = () => (idle() || ++tries > 100 ? later(load, {timeout: 2000}) : setTimeout(wait, 100));
  setTimeout(wait, 100);
})();
</script>"""


@functools.cache
def plotly_chunk() -> str | None:
    """The file name of Plotly's code in Streamlit's build, if there is exactly one."""
    folder = Path(st.__file__).parent / "static" / "static" / "js"
    found = sorted(p.name for p in folder.glob("PlotlyChart.*.js"))
    return found[0] if len(found) == 1 else None


def warmup_html(chunk: str) -> str:
    return _SCRIPT.replace("CHUNK", json.dumps(chunk))


def warm_plotly() -> None:
    """Load Plotly's code in the browser once the page is idle (in the sidebar's end: it takes no room)."""
    chunk = plotly_chunk()
    if chunk is not None:
        st.sidebar.html(warmup_html(chunk), unsafe_allow_javascript=True)
