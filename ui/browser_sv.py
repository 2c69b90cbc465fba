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
No user text goes into the script: it is a constant. It also carries ui/a11y.py's fixes of Streamlit's
markup for WCAG 2.1 AA (the navigation's list roles, decorative icons, a visible focus outline).
"""

from __future__ import annotations

import json

import streamlit as st

from ui import a11y

TEXTS = {
    "Upload": "Ladda upp",
    "Browse files": "Välj fil",
    "Drag and drop file here": "Dra och släpp en fil här",
    "Drag and drop a file here": "Dra och släpp en fil här",
    "Drag and drop files here": "Dra och släpp filer här",
    "Add files": "Lägg till filer",
    "add icon": "Lägg till",  # the uploader's "+" button, as a screen reader reads it
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
    # Screen-reader labels and hints (aria-label, title, the input's instructions)
    "Press Enter to apply": "Tryck Enter för att verkställa",
    "Press Enter to submit form": "Tryck Enter för att skicka formuläret",
    "Open": "Öppna",
    "Help": "Hjälp",
    "file upload": "Välj fil att ladda upp",
    "Selected values": "Valda värden",
    "Link to heading": "Länk till rubriken",
    "Increment": "Öka",
    "Decrement": "Minska",
    "Choose date": "Välj datum",
    "Choose date range": "Välj datumintervall",
    "Choose date and time": "Välj datum och tid",
    "Clear date": "Rensa datum",
    "Clear dates": "Rensa datum",
    "Clear time": "Rensa tid",
    "Clear entry": "Rensa",
    "Previous month": "Föregående månad",
    "Next month": "Nästa månad",
    "Use arrow keys to navigate dates. Enter to select. Escape to close.": (
        "Flytta mellan dagarna med piltangenterna, välj med Enter, stäng med Escape."
    ),
    "Scroll tabs left": "Visa flikarna till vänster",
    "Scroll tabs right": "Visa flikarna till höger",
    "Previous page": "Föregående sida",
    "Next page": "Nästa sida",
    "Notifications": "Meddelanden",
    "Stop script": "Stoppa",
    "Dataframe column menu": "Kolumnens meny",
    "Copy column name": "Kopiera kolumnnamnet",
    "Loading": "Laddar",
    # Plotly's chart toolbar (its buttons' data-title and aria-label)
    "Download plot as a PNG": "Ladda ned diagrammet som PNG",
    "Download plot as a png": "Ladda ned diagrammet som PNG",
    "Download plot": "Ladda ned diagrammet",
    "Zoom": "Zooma",
    "Zoom in": "Zooma in",
    "Zoom out": "Zooma ut",
    "Pan": "Panorera",
    "Box Select": "Markera med rektangel",
    "Lasso Select": "Markera med lasso",
    "Autoscale": "Anpassa axlarna",
    "Reset axes": "Återställ axlarna",
    "Reset view": "Återställ vyn",
    "Reset": "Återställ",
    "Toggle Spike Lines": "Visa eller dölj hjälplinjer",
    "Show closest data on hover": "Visa närmaste värde vid hovring",
    "Compare data on hover": "Jämför värden vid hovring",
}
MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]
MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
# (pattern, replacement) for texts with a figure or a label in them; JavaScript regular expressions.
PATTERNS = [
    (r"^(\d+(?:\.\d+)?)\s?(B|KB|MB|GB) per file$", "högst $1 $2 per fil"),
    # An uploaded file's size ("3.9KB", "432.0B")
    (r"^(\d+)\.(\d+)B$", "$1,$2 byte"),
    (r"^(\d+)\.(\d+)KB$", "$1,$2 kB"),
    (r"^(\d+)\.(\d+)(MB|GB)$", "$1,$2 $3"),
    # ... and as a screen reader hears the file ("at-2023-outcomes.csv, 208.0B")
    (r"^(.+), (\d+)\.(\d+)B$", "$1, $2,$3 byte"),
    (r"^(.+), (\d+)\.(\d+)KB$", "$1, $2,$3 kB"),
    (r"^(.+), (\d+)\.(\d+)(MB|GB)$", "$1, $2,$3 $4"),
    (r"^Press (?:Ctrl|⌘)\+Enter to apply$", "Tryck Ctrl+Enter för att verkställa"),
    # Screen-reader labels that name a widget: "Help for Pott", "Remove AT-tjänster 2023", "year, Per datum"
    (r"^Help for (.+)$", "Hjälp om $1"),
    (r"^Remove (.+)$", "Ta bort $1"),
    (r"^year, (.+)$", "år, $1"),
    (r"^month, (.+)$", "månad, $1"),
    (r"^day, (.+)$", "dag, $1"),
    (r"^hour, (.+)$", "timme, $1"),
    (r"^minute, (.+)$", "minut, $1"),
    (r"^(.+) — start$", "$1 — från"),
    (r"^(.+) — end$", "$1 — till"),
    *((rf"^(\d+) – {en}$", f"$1 – {sv}") for en, sv in zip(MONTHS_EN, MONTHS, strict=True)),
    # The date field's hidden announcement for screen readers ("Selected Date: November 15, 2023")
    *(
        (rf"^Selected Date: {en} (\d+), (\d+)$", f"Valt datum: $1 {sv} $2")
        for en, sv in zip(MONTHS_EN, MONTHS, strict=True)
    ),
    (
        r"^The page that you have requested does not seem to exist\. Running the app's main page\.$",
        "Sidan som adressen pekar på finns inte.",  # the app's own page says so, at that address (ui/addresses.py)
    ),
    (r"^You have requested page .* Running the app's main page\.$", "Sidan som adressen pekar på finns inte."),
    (
        r"^This app has encountered an error\..*$",
        "Ett oväntat fel inträffade och sidan kunde inte visas färdigt. Felet är loggat på servern; "
        "ladda om sidan eller kontakta förvaltningen om det upprepas.",
    ),
]

_SCRIPT = """
<style>div[data-testid="stElementContainer"]:has(#statsbidrag-sv) { display: none; }</style>
__A11Y_STYLE__
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
  const ATTRS = ["placeholder", "aria-label", "title", "data-title", "aria-valuetext", "aria-roledescription"];
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
__A11Y__
  doc.documentElement.dataset.svInstalled = "1";
})();
</script>
"""


def script() -> str:
    """The constant script (the dictionaries as JSON literals), with ui/a11y.py's roles and focus outline."""
    return (
        _SCRIPT.replace("__TEXTS__", json.dumps(TEXTS, ensure_ascii=False))
        .replace("__PATTERNS__", json.dumps(PATTERNS, ensure_ascii=False))
        .replace("__A11Y_STYLE__", a11y.STYLE.strip())
        .replace("__A11Y__", a11y.SCRIPT.rstrip())
    )


def install() -> None:
    """Once per run (cheap: the browser installs it once per tab and ignores the rest)."""
    st.html(script(), unsafe_allow_javascript=True, width="content")
