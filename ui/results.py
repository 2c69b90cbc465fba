"""The style of the dashboard's static HTML tables (numbers right-aligned, a bold totals row)."""

from __future__ import annotations

_HTML_STYLE = """
<style>
div.resultat { overflow-x: auto; }
table.resultat { border-collapse: collapse; width: 100%; font-size: 0.85rem; font-variant-numeric: tabular-nums; }
table.resultat th, table.resultat td { padding: 0.25rem 0.45rem; border-bottom: 1px solid #e6e6e6;
                                      white-space: nowrap; }
table.resultat th { text-align: right; font-weight: 600; color: #555; border-bottom: 2px solid #ccc;
                    white-space: normal; vertical-align: bottom; }
table.resultat td { text-align: right; }
table.resultat th.text, table.resultat td.text { text-align: left; }
table.resultat tr.summa td { font-weight: 700; border-top: 2px solid #999; }
table.resultat tbody tr:hover td { background: #f3f6fa; }
</style>
"""
