"""The results tab of the simulator (a table per recipient in Swedish formats, its downloads with the method
sheet, the explanation of one recipient's amount) and the record of one run's result the views read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import pandas as pd
import streamlit as st

from allocation.blocks import Round, RoundResult
from allocation.whatif import WhatIf
from present import formats as f
from present.block_method import method_sheet
from present.block_table import Stairs, block_titles, results_columns, stair_columns, with_sum_row
from present.explain import block_explanation
from store.export import export_file_name, frame_to_csv, frame_to_xlsx, store_facts
from store.session import Session
from ui import block_editor as ed
from ui.block_editor import Setup
from ui.downloads import XLSX
from ui.grid import figures_table
from ui.rounds import RoundRef
from ui.scenarios import NO_SCENARIO
from ui.text import plain

FACTS = "blk_store_facts"  # (the store's generation, the facts read then)


@dataclass(frozen=True)
class Shown:
    """One run's result and what the views read from it."""

    store: Session
    ref: RoundRef
    s: Setup
    result: RoundResult
    applied: Round  # the round with the what-if's staircases
    what_if: WhatIf
    stairs: Stairs
    derived: dict[str, dict[str, Fraction]]
    result_of: Callable[[str], RoundResult]

    @property
    def scenario(self) -> str:
        active = st.session_state.get("scenario", NO_SCENARIO)
        return "" if active == NO_SCENARIO else str(active)


def _facts(store: Session) -> list[tuple[str, str]]:
    """The rules' versions and data dates for the export's sheet, read again only after a write."""
    cached = st.session_state.get(FACTS)
    if cached is None or cached[0] != store.generation:
        cached = (store.generation, store_facts(store))
        st.session_state[FACTS] = cached
    return list(cached[1])


def results_tab(v: Shown, stale: bool) -> None:
    result, s = v.result, v.s
    titles = block_titles(s.round_)
    extra = stair_columns(v.applied, v.stairs, v.derived, s.recipients)
    columns = results_columns(result, s.recipients, titles, extra)
    figures_table(columns, key="blk_results_table")
    st.caption(
        f"Summa utbetalt {f.kr(result.paid)} av {f.kr(result.pot)}; ej fördelat {f.kr(result.unallocated)}. "
        "Hela kronor; största-rest-metoden (lika rester: lägre länskod först)."
    )
    source = ed.source(s) + ("; senast giltiga tabell (tabellen på sidan hade fel när filen togs ut)" if stale else "")
    facts = _facts(v.store)

    def about() -> list[tuple[str, str]]:
        return method_sheet(v.applied, v.what_if, result, source, v.scenario, facts)

    # The files are made when a button is clicked, not on every run.
    _downloads(lambda: with_sum_row(pd.DataFrame(columns)), about, (v.ref.short_title, "fördelning", v.scenario))
    if v.stairs:
        _explanation(v)


def _downloads(
    frame: Callable[[], pd.DataFrame], about: Callable[[], list[tuple[str, str]]], name: tuple[str, str, str]
) -> None:
    """XLSX (with its "Om uttaget" sheet) and CSV of the results, side by side; both formula-safe."""
    d1, d2, _ = st.columns([1, 1, 3])
    d1.download_button(
        "Ladda ned (XLSX)",
        lambda: frame_to_xlsx(frame(), about(), sheet_name="Fördelning"),
        file_name=export_file_name(*name, ext="xlsx"),
        on_click="ignore",
        key="blk_xlsx",
        mime=XLSX,
    )
    d2.download_button(
        "Ladda ned (CSV)",
        lambda: frame_to_csv(frame()),
        file_name=export_file_name(*name, ext="csv"),
        mime="text/csv",
        on_click="ignore",
        key="blk_csv",
    )


def _explanation(v: Shown) -> None:
    names = {r.code: f"{r.code} {r.name}" for r in v.s.recipients}
    default = max(v.s.recipients, key=lambda r: (v.result.totals[r.code], r.code)).code
    code = st.selectbox(
        "Förklaring för region",
        list(names),
        index=list(names).index(default),
        format_func=names.get,
        key="explain_region",
    )
    lines = block_explanation(v.applied, v.result, v.derived, code, v.stairs)
    st.markdown("\n".join(f"1. {plain(line)}" for line in lines))
