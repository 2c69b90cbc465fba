"""A region's preview in a round of blocks: its amount per block, under a stated assumption about the others.

As for a performance round, the default assumption is the uncertain one (the others grow by chance): the
first screen shows a likely amount, never the best case. "As reported" and "at plan" give one figure that
the headline says holds only under that assumption.
"""

from __future__ import annotations

import math

import streamlit as st

from allocation.at import RegionInput
from allocation.block_convert import at_values, recipients_from_regions
from allocation.block_engine import allocate_round
from allocation.preview import DEFAULT_UNCERTAIN, simulate_blocks
from present import formats as f
from store.session import Session
from ui.block_charts import METHOD_SV
from ui.blocks import extra_keys, report_events
from ui.text import plain

BLOCK_SIMULATIONS = 10_000
BLOCK_SEED = 2023


def block_preview(store: Session, round_id: str, code: str) -> None:
    round_ = store.block_round(round_id)
    if needed := extra_keys(round_):
        st.info(
            f"Omgångens regler använder {', '.join(needed)} för varje region: ett förhandsbesked kräver de andra "
            "regionernas värden också. Räkna på sidan Simulering.",
            icon=":material/info:",
        )
        return
    recipients = recipients_from_regions(store.regions(round_.population_date))
    planned = round_.planned.get(code, 0)
    st.caption(f"Planerat enligt planeringsunderlaget: {f.count(planned)} tjänster.")  # type: ignore[arg-type]
    c1, c2, c3 = st.columns(3)
    filled = c1.number_input("Tillsatta", min_value=0, value=math.ceil(planned) + 3, key=f"bp_filled_{code}")
    started = c2.number_input("Påbörjade", min_value=0, value=0, key=f"bp_started_{code}")
    excluded = c3.number_input("Avräknade", min_value=0, value=0, key=f"bp_excluded_{code}")
    events = report_events(round_)
    by = next((getattr(b.params, "by", None) for b in round_.blocks if getattr(b.params, "by", None)), None)
    reported = (
        st.checkbox(f"Rapporterar i tid (senast {by.isoformat()})", value=True, key="bp_reported") if by else True
    )
    uncertain = DEFAULT_UNCERTAIN
    assumptions = {
        "uncertain": (
            f"Osäkert: hälften av de andra regionerna växer, var och en med {uncertain.low}–{uncertain.high} "
            "tjänster utöver plan, och rapporterar i tid"
        ),
        "reports": "De andra regionerna enligt inlästa rapporter (utan rapport: inget utfall)",
        "plan": "De andra regionerna exakt enligt plan (ingen annan växer)",
    }
    if not round_.planned:  # no planning table: nothing to grow from
        del assumptions["uncertain"]
    assumption = st.radio(
        "Antagande om de andra regionerna", list(assumptions), format_func=assumptions.get, key="bp_as"
    )
    own = RegionInput(code, int(filled), int(started), int(excluded))
    others_on_time = {r.code: by for r in recipients if r.code != code and by}
    if assumption == "uncertain":
        dates = dict(others_on_time)
        if reported and by:
            dates[code] = by
        result = simulate_blocks(
            round_, recipients, own, uncertain, {e: dates for e in events}, n=BLOCK_SIMULATIONS, seed=BLOCK_SEED
        )
        columns = st.columns(len(round_.blocks) + 1)
        columns[0].metric("Troligt belopp (median)", f.kr(result.median))
        for column, block in zip(columns[1:], round_.blocks, strict=True):
            column.metric(f"{plain(block.title)} (median)", f.kr(result.block_medians[block.id]))
        st.markdown(
            f"**80 % av utfallen:** {f.kr(result.p10)} – {f.kr(result.p90)}  \n"
            f"**Lägsta – högsta:** {f.kr(result.minimum)} – {f.kr(result.maximum)}"
        )
        condition = (
            f"Beloppet gäller bara under antagandet: {assumptions[assumption][len('Osäkert: ') :]}. "
            "Det är ett antagande för att visa osäkerheten, ingen prognos. "
            f"{f.number(BLOCK_SIMULATIONS)} simuleringar, slumpfrö {BLOCK_SEED}."
        )
    else:
        if assumption == "reports":
            others = [i for i in store.at_reports(round_id) if i.code != code]
            dates = {c: d for c, d in store.report_dates(round_id).items() if c != code}
        else:
            others = [
                RegionInput(r.code, math.ceil(round_.planned.get(r.code, 0)), 0) for r in recipients if r.code != code
            ]
            dates = dict(others_on_time)
        if reported and by:
            dates[code] = by
        exact = allocate_round(round_, recipients, at_values([own, *others]), {e: dates for e in events})
        label = "Enligt inlästa rapporter" if assumption == "reports" else "Om ingen annan region växer"
        columns = st.columns(len(exact.blocks) + 1)
        columns[0].metric(label, f.kr(exact.totals[code]))
        for column, block in zip(columns[1:], exact.blocks, strict=True):
            column.metric(plain(block.title), f.kr(block.amounts[code]))
        lines = [
            f"- **{plain(block.title)}** ({METHOD_SV.get(block.method, block.method)}): {f.kr(block.amounts[code])} "
            f"av {f.kr(block.available)}"
            for block in exact.blocks
        ]
        st.markdown("\n".join(lines))
        condition = f"Beloppet gäller bara under antagandet: {assumptions[assumption].lower()}."
        if assumption == "reports":
            condition += (
                f" {len(others)} av {len(recipients) - 1} andra regioner har rapporterat; de andra räknas utan utfall, "
                "så beloppet blir mindre för varje region som rapporterar en utökning."
            )
    st.info(
        condition
        + " Fler regioner som växer ger mindre till var och en."
        + (" Illustrativ omgång: beloppen är exempel, inte officiella." if round_.illustrative else ""),
        icon=":material/info:",
    )
