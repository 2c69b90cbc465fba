"""WCAG 2.1 AA where Streamlit's own markup falls short: a few roles and a focus outline, in the browser.

The law on accessible digital public services (2018:1937) asks for WCAG 2.1 AA. What the app writes itself
is fixed where it is written; what Streamlit writes is fixed here, by the least fragile means that work
without a patched Streamlit (tests/browser/test_accessibility.py runs axe-core on every page and fails on
any serious or critical violation, so a Streamlit upgrade that breaks one of these shows at once):

- **The sidebar navigation's sections.** With ``st.navigation({section: [pages]})`` Streamlit writes
  ``<ul>`` with one ``<div>`` per section (a ``<header>`` and the section's ``<li>`` items): a list whose
  children are not list items, and items without a list. The script gives the ``<ul>`` ``role="none"``
  and each section ``role="list"`` named by its header (``aria-labelledby``), so a screen reader hears
  "Vald bidragsomgång, lista, 4 objekt". It relies on ``data-testid="stSidebarNavItems"`` and
  ``data-testid="stNavSectionHeader"`` (the test ids Streamlit's own e2e suite uses) and on the sections
  being the list's ``div`` children; attributes only, so React's own nodes are never moved.
- **Material icons in text** (``:material/pending:`` before a word) are read as "pending icon": they are
  decorative beside the word that says the same, so they get ``aria-hidden="true"``.
- **A visible keyboard focus** (WCAG 2.4.7): an outline in the theme's primary colour on
  ``:focus-visible`` for links, buttons, tabs, summaries and focusable regions (e.g. a scrollable table),
  where Streamlit draws none or only a faint one. Mouse clicks show no outline (``:focus-visible``).

Captions' contrast is the theme's (``.streamlit/config.toml``: ``textColor``; Streamlit draws captions in
60 % of it). The page's language (``lang="sv"``) and Streamlit's own texts are ``ui/browser_sv.py``'s.
"""

from __future__ import annotations

from html import escape

FOCUS_COLOR = "#1f4e79"  # the theme's primaryColor (.streamlit/config.toml): 8.9:1 on white

STYLE = f"""
<style>
a:focus-visible, button:focus-visible, summary:focus-visible, [role="tab"]:focus-visible,
[role="button"]:focus-visible, [role="region"][tabindex]:focus-visible,
[data-testid="stSidebarNavLink"]:focus-visible {{
  outline: 2px solid {FOCUS_COLOR} !important;
  outline-offset: 2px;
}}
</style>
"""

# Runs inside ui/browser_sv.py's script (``doc`` and ``win`` are the app's document and window).
SCRIPT = """
  const a11y = () => {
    for (const list of doc.querySelectorAll('ul[data-testid="stSidebarNavItems"]')) {
      const sections = [...list.children].filter((c) => c.tagName === "DIV");
      if (!sections.length) continue;
      if (list.getAttribute("role") !== "none") list.setAttribute("role", "none");
      sections.forEach((section, i) => {
        if (section.getAttribute("role") !== "list") section.setAttribute("role", "list");
        const header = section.querySelector(':scope > [data-testid="stNavSectionHeader"]');
        if (!header) return;
        if (!header.id) header.id = `sv-nav-section-${i}`;
        if (section.getAttribute("aria-labelledby") !== header.id) section.setAttribute("aria-labelledby", header.id);
        if (header.getAttribute("role") !== "none") header.setAttribute("role", "none");
      });
    }
    for (const icon of doc.querySelectorAll('[aria-label$=" icon"]')) {
      if (!/^[a-z0-9_]+ icon$/.test(icon.getAttribute("aria-label"))) continue;
      icon.removeAttribute("aria-label");
      if (icon.getAttribute("role") === "img") icon.removeAttribute("role");
      icon.setAttribute("aria-hidden", "true");
    }
  };
  new win.MutationObserver(a11y).observe(doc.body, { subtree: true, childList: true });
  a11y();
"""


def scroll_region(label: str) -> str:
    """Attributes for a wrapper that scrolls a wide table sideways (WCAG 2.1.1: scrollable by keyboard).

    A focusable, named region: Tab reaches it and the arrow keys scroll it; a screen reader names it.
    ``label`` is the app's own constant text (escaped all the same).
    """
    return f'tabindex="0" role="region" aria-label="{escape(label, quote=True)}"'
