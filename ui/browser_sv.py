"""Swedish to the last widget: what Streamlit writes itself, and the page's language, in the browser.

Streamlit has no option for its own strings (the uploader's "Upload" and "2MB per file", a select box's
"Choose an option", the "Page not found" dialog, the data frame's toolbar: streamlit/streamlit#13500 is
open) and serves the page as ``<html lang="en">``. The least fragile workaround, and the only one that
needs no patched Streamlit: one small script, installed once per browser tab with
``st.html(..., unsafe_allow_javascript=True)``, that

- sets ``<html lang="sv">`` (screen readers then read Swedish with Swedish pronunciation);
- reports Swedish as the browser's language (``navigator.languages``), which Streamlit's "localized"
  number and date formats read: an editor cell shows 12 000 000, not 12,000,000;
- replaces Streamlit's own English texts and attributes (placeholder, aria-label, title) by Swedish ones,
  by exact match only (a text of ours is never touched), now and whenever Streamlit draws new ones.

It relies on the English strings of the pinned Streamlit version (requirements.txt); a version that
changes one of them leaves that one in English, which tests/browser/test_swedish.py catches.
No user text goes into the script: it is a constant.
"""

from __future__ import annotations

import json

import streamlit as st

TEXTS = {
    "Upload": "Ladda upp",
    "Browse files": "Välj fil",
    "Drag and drop file here": "Dra och släpp en fil här",
    "Drag and drop a file here": "Dra och släpp en fil här",
    "Drag and drop files here": "Dra och släpp filer här",
    "Add files": "Lägg till filer",
    "Choose an option": "Välj",
    "Choose options": "Välj",
    "Choose or add an option": "Välj eller skriv",
    "Choose or add options": "Välj eller skriv",
    "No results": "Inga träffar",
    "Clear all": "Rensa",
    "Clear value": "Rensa",
    "Select all": "Välj alla",
    "Page not found": "Sidan finns inte",
    "Running...": "Arbetar …",
    "Stop": "Stoppa",
    "Rerun": "Kör om",
    "Settings": "Inställningar",
    "Print": "Skriv ut",
    "Record a screencast": "Spela in skärmen",
    "Clear cache": "Töm cache",
    "About": "Om",
    "Download as CSV": "Ladda ned som CSV",
    "Search": "Sök",
    "Fullscreen": "Helskärm",
    "Close fullscreen": "Stäng helskärm",
    "Show/hide columns": "Visa eller dölj kolumner",
    "Add row": "Lägg till rad",
    "Delete row": "Ta bort rad",
    "Copy to clipboard": "Kopiera",
    "Connecting": "Ansluter",
    "Please wait...": "Vänta …",
    "Close": "Stäng",
    "Skip to main content": "Hoppa till innehållet",
    "App pages": "Sidor",
    "Sidebar": "Sidofält",
    "Main menu": "Huvudmeny",
    "Collapse sidebar": "Dölj sidofältet",
    "Expand sidebar": "Visa sidofältet",
    "View more": "Visa fler",
    "View less": "Visa färre",
}
# (pattern, replacement) for texts with a figure in them; JavaScript regular expressions.
PATTERNS = [
    (r"^(\d+(?:\.\d+)?)\s?(B|KB|MB|GB) per file$", "högst $1 $2 per fil"),
    (
        r"^The page that you have requested does not seem to exist\. Running the app's main page\.$",
        "Sidan som adressen pekar på finns inte. Startsidan visas i stället.",
    ),
    (r"^You have requested page .* Running the app's main page\.$", "Sidan finns inte. Startsidan visas i stället."),
    (
        r"^This app has encountered an error\..*$",
        "Ett oväntat fel inträffade och sidan kunde inte visas färdigt. Felet är loggat på servern; "
        "ladda om sidan eller kontakta förvaltningen om det upprepas.",
    ),
]

_SCRIPT = """
<style>div[data-testid="stElementContainer"]:has(#statsbidrag-sv) { display: none; }</style>
<span id="statsbidrag-sv"></span>
<script>
(() => {
  const doc = window.parent !== window ? window.parent.document : document;
  const win = doc.defaultView;
  doc.documentElement.lang = "sv";
  if (win.__statsbidragSv) return;
  win.__statsbidragSv = true;
  for (const [name, value] of [["languages", ["sv-SE", "sv"]], ["language", "sv-SE"]]) {
    try { Object.defineProperty(win.navigator, name, { get: () => value, configurable: true }); } catch (e) {}
  }
  const texts = new Map(Object.entries(__TEXTS__));
  const patterns = __PATTERNS__.map(([p, r]) => [new RegExp(p), r]);
  const swedish = (text) => {
    const t = text.trim();
    if (!t) return null;
    if (texts.has(t)) return text.replace(t, texts.get(t));
    for (const [p, r] of patterns) if (p.test(t)) return text.replace(t, t.replace(p, r));
    return null;
  };
  const ATTRS = ["placeholder", "aria-label", "title"];
  const fixElement = (el) => {
    for (const a of ATTRS) {
      const v = el.getAttribute && el.getAttribute(a);
      const s = v && swedish(v);
      if (s) el.setAttribute(a, s);
    }
  };
  const fix = (node) => {
    if (node.nodeType === 3) {
      const s = swedish(node.nodeValue);
      if (s) node.nodeValue = s;
      return;
    }
    if (node.nodeType !== 1) return;
    fixElement(node);
    const walker = doc.createTreeWalker(node, 5);  // elements and text
    while (walker.nextNode()) {
      const n = walker.currentNode;
      if (n.nodeType === 3) { const s = swedish(n.nodeValue); if (s) n.nodeValue = s; }
      else fixElement(n);
    }
  };
  const fixLang = () => { if (doc.documentElement.lang !== "sv") doc.documentElement.lang = "sv"; };
  new win.MutationObserver((records) => {
    for (const r of records) {
      if (r.type === "characterData") fix(r.target);
      else if (r.type === "attributes") { if (r.target === doc.documentElement) fixLang(); else fixElement(r.target); }
      else r.addedNodes.forEach(fix);
    }
  }).observe(doc.documentElement, {
    subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: [...ATTRS, "lang"],
  });
  fix(doc.body);
  doc.documentElement.dataset.svInstalled = "1";
})();
</script>
"""


def script() -> str:
    """The constant script (the dictionaries as JSON literals)."""
    return _SCRIPT.replace("__TEXTS__", json.dumps(TEXTS, ensure_ascii=False)).replace(
        "__PATTERNS__", json.dumps(PATTERNS, ensure_ascii=False)
    )


def install() -> None:
    """Once per run (cheap: the browser installs it once per tab and ignores the rest)."""
    st.html(script(), unsafe_allow_javascript=True, width="content")
