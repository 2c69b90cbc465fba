"""The AT allocation as an HTML table for the dashboard, in Swedish formats."""

from __future__ import annotations

from fractions import Fraction
from html import escape

from allocation.at import Allocation, RegionResult
from present import formats as f
from present.outcome import NO_REPORT_SV, has_outcome
from present.tables import COLUMNS_SV
from ui.a11y import scroll_region

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


RESULT_COLUMNS = (
    "code",
    "region",
    "population",
    "expansion",
    "expansion_per_100k",
    "step_amount",
    "redistribution",
    "total",
    "kr_per_inhabitant",
    "next_step_positions",
    "next_step_kronor",
)


def next_positions_sv(r: RegionResult) -> str:
    """Positions to the next step; "ingen rapport" for a region without an outcome, "–" at the top step."""
    if not has_outcome(r):
        return NO_REPORT_SV
    return "–" if r.next_step_positions is None else f.number(r.next_step_positions)


def results_html(allocation: Allocation) -> str:
    """The results as a static HTML table in Swedish formats (numbers right-aligned, totals row bold).

    Built straight from the allocation: cheap enough for every what-if rerun (an interactive styled
    grid costs several times more to send). The CSV and XLSX downloads carry the same figures for
    sorting and filtering.
    """
    rows = []
    for r in allocation.regions:
        rows.append(
            (
                r.code,
                r.name,
                f.number(r.population),
                f.count(r.expansion),
                f.number(r.expansion_per_100k, 2),
                f.kr(r.step_amount),
                f.kr(r.redistribution),
                f.kr(r.total),
                f.number(Fraction(r.total, r.population), 2),
                next_positions_sv(r),
                "–" if r.next_step_kronor is None or not has_outcome(r) else f.kr(r.next_step_kronor),
            )
        )
    population = sum(r.population for r in allocation.regions)
    expansion = sum((r.expansion for r in allocation.regions), Fraction(0))
    totals = (
        "",
        "Summa",
        f.number(population),
        f.count(expansion),
        f.number(expansion * 100_000 / population, 2),
        f.kr(sum(r.step_amount for r in allocation.regions)),
        f.kr(sum(r.redistribution for r in allocation.regions)),
        f.kr(allocation.paid),
        f.number(Fraction(allocation.paid, population), 2),
        "–",
        "–",
    )
    text = {0, 1}
    head = "".join(
        f'<th class="{"text" if i in text else ""}">{escape(COLUMNS_SV[c])}</th>' for i, c in enumerate(RESULT_COLUMNS)
    )

    def line(cells: tuple[str, ...], css: str = "") -> str:
        tds = "".join(f'<td class="{"text" if i in text else ""}">{escape(v)}</td>' for i, v in enumerate(cells))
        return f"<tr{css}>{tds}</tr>"

    body = "".join(line(row) for row in rows) + line(totals, ' class="summa"')
    table = f'<table class="resultat"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    return f'{_HTML_STYLE}<div class="resultat" {scroll_region("Resultat per region")}>{table}</div>'
