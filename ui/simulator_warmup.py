"""Plotly's script, loaded in the browser's idle time once the simulator is drawn, so that the first click on a
chart tab draws its chart without first loading and running about 4.5 MB of JavaScript.

Streamlit loads each element's code when the element is first shown; Plotly's is by far the largest. This
asks the browser for the same module, by the same address, once the page is idle (the script has finished,
the page has stopped changing, the main thread is free): when a chart tab is opened, Streamlit's own loader
finds the module ready (or joins the load under way). It relies on two facts of Streamlit's build, both
checked here or in the browser: Plotly's code is the file ``static/js/PlotlyChart.<hash>.js`` beside
Streamlit's main script, and the app element carries ``data-test-script-state``. If either changes, nothing
is loaded early and nothing breaks: the chart loads on the click, as without this.
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
  // Idle: the script has finished and the page has not changed for QUIET ms (the page's own elements,
  // whose code arrives after the script's last message, are drawn first).
  let changed = performance.now();
  const watch = new MutationObserver(() => { changed = performance.now(); });
  watch.observe(document.body, {childList: true, subtree: true});
  const idle = () => {
    const app = document.querySelector("[data-testid='stApp']");
    const done = app !== null && app.getAttribute("data-test-script-state") === "notRunning";
    return done && performance.now() - changed > QUIET;
  };
  const later = window.requestIdleCallback || ((run) => setTimeout(run, 50));
  const load = () => { watch.disconnect(); import(url).catch(() => {}); };
  let tries = 0;
  const wait = () => (idle() || ++tries > 200 ? later(load, {timeout: 1000}) : setTimeout(wait, 50));
  setTimeout(wait, 50);
})();
</script>"""


@functools.cache
def plotly_chunk() -> str | None:
    """The file name of Plotly's code in Streamlit's build, if there is exactly one."""
    folder = Path(st.__file__).parent / "static" / "static" / "js"
    found = sorted(p.name for p in folder.glob("PlotlyChart.*.js"))
    return found[0] if len(found) == 1 else None


QUIET_MS = 250  # the page unchanged this long after the script's end: drawn


def warmup_html(chunk: str) -> str:
    return _SCRIPT.replace("CHUNK", json.dumps(chunk)).replace("QUIET", str(QUIET_MS))


def warm_plotly() -> None:
    """Load Plotly's code in the browser once the page is idle (in the sidebar's end: it takes no room)."""
    chunk = plotly_chunk()
    if chunk is not None:
        st.sidebar.html(warmup_html(chunk), unsafe_allow_javascript=True)
