"""A region's preview in a round of blocks: first its most authoritative amount (the published decision per
block; else its report's; else its plan's), then, apart, what more positions would give under a stated
assumption about the others.

As for a performance round, the what-if's default assumption is the uncertain one (the others grow by
chance): it shows a likely amount, rounded, never the best case. "As reported" and "at plan" give one figure
that the headline says holds only under that assumption.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date

import streamlit as st

from allocation.at import RegionInput
from allocation.block_convert import at_values, recipients_from_regions
from allocation.block_data import Recipient
from allocation.block_engine import allocate_round
from allocation.blocks import Round
from allocation.preview import DEFAULT_UNCERTAIN, simulate_blocks
from present import formats as f
from present.eligibility import key_sv
from store.session import Session
from ui.block_charts import METHOD_SV
from ui.blocks import extra_keys, report_events
from ui.preview_first import (
    REPORT,
    FirstFigure,
    OwnFigures,
    decision_figure,
    expected_figure,
    own_figures,
    plan_outcome,
    published_decision,
    show_first,
)
from ui.preview_words import about_kr, about_spread
from ui.rounds import RoundRef
from ui.text import plain

BLOCK_SIMULATIONS = 10_000
BLOCK_SEED = 2023


def _report_by(round_: Round) -> date | None:
    return next((getattr(b.params, "by", None) for b in round_.blocks if getattr(b.params, "by", None)), None)


def _dates(
    recipients: Sequence[Recipient], code: str, own: date | None, known: Mapping[str, date], by: date | None
) -> dict[str, date]:
    """Report dates: the region's own (its report's, or on time), the others' as reported or on time."""
    dates = {r.code: by for r in recipients if r.code != code and by}
    dates |= {c: d for c, d in known.items() if c != code}
    if own:
        dates[code] = own
    return dates


def first_block_figure(round_: Round, recipients: Sequence[Recipient], figures: OwnFigures) -> FirstFigure:
    """The report's or the plan's amount in a round of blocks: exact when every other report is known."""
    code = figures.own.code
    by = _report_by(round_)
    events = report_events(round_)
    others = [r.code for r in recipients if r.code != code]
    known = [k for k in figures.known if k.code in others]
    drawn = len(others) - len(known)
    own_date = figures.reported_on if figures.source == REPORT else by  # a plan: reported on time, assumed
    dates = _dates(recipients, code, own_date, figures.known_dates, by)
    text = f.count(round_.planned.get(code, 0))  # type: ignore[arg-type]
    if drawn == 0 or not round_.planned:
        exact = allocate_round(round_, recipients, at_values([figures.own, *known]), {e: dates for e in events})
        parts = [(b.title, b.amounts[code]) for b in exact.blocks] if len(exact.blocks) > 1 else []
        figure = expected_figure(
            figures, text, exact.totals[code], 0, 0, True, drawn, len(others), parts, illustrative=round_.illustrative
        )
        if drawn:  # no planning table to draw the others from: those without a report count with nothing
            figure = FirstFigure(
                figure.source,
                figure.shows,
                figure.metrics,
                (*figure.lines, "Regioner som inte har rapporterat räknas utan utfall: beloppet kan bli mindre."),
            )
        return figure
    result = simulate_blocks(
        round_,
        recipients,
        figures.own,
        DEFAULT_UNCERTAIN,
        {e: dates for e in events},
        n=BLOCK_SIMULATIONS,
        seed=BLOCK_SEED,
        known=known,
    )
    is_exact = result.maximum == 0
    parts = [(b.title, result.block_medians[b.id]) for b in round_.blocks] if len(round_.blocks) > 1 else []
    return expected_figure(
        figures,
        text,
        result.median,
        result.p10,
        result.p90,
        is_exact,
        drawn,
        len(others),
        parts,
        illustrative=round_.illustrative,
    )


def block_preview(store: Session, ref: RoundRef, code: str) -> None:
    round_ = store.block_round(ref.id)
    if needed := extra_keys(round_):
        names = ", ".join(key_sv(k) for k in needed)
        st.info(
            f"Omgångens regler använder {plain(names)} för varje region: ett förhandsbesked kräver de andra "
            "regionernas värden också. Räkna på sidan Simulering.",
            icon=":material/info:",
        )
        return
    recipients = recipients_from_regions(store.regions(round_.population_date))
    planned = round_.planned.get(code, 0)
    figures = own_figures(store, ref.id, code, plan_outcome(float(planned)))
    snapshot = published_decision(store, ref.id)
    if snapshot is not None:
        show_first(decision_figure(snapshot, code), snapshot, ref.short_title, code)
    else:
        show_first(first_block_figure(round_, recipients, figures), None, ref.short_title, code)
    _what_if(store, ref.id, round_, recipients, figures, decided=snapshot is not None)


def _what_if(
    store: Session, round_id: str, round_: Round, recipients: Sequence[Recipient], figures: OwnFigures, decided: bool
) -> None:
    code = figures.own.code
    prefill = figures.own
    st.subheader("Om ni utökar fler tjänster")
    source = "er inlämnade rapport" if figures.source == REPORT else "er plan (utfall som planerat, ingen utökning)"
    st.caption(
        ("Beslutet ovan gäller; räkningen här ändrar inget i det. " if decided else "")
        + f"Fälten är förifyllda med {source}: öka Tillsatta eller Påbörjade för att se vad fler tjänster ger."
    )
    planned = round_.planned.get(code, 0)
    st.caption(f"Planerat enligt planeringsunderlaget: {f.count(planned)} tjänster.")  # type: ignore[arg-type]
    c1, c2, c3 = st.columns(3)
    filled = c1.number_input("Tillsatta", min_value=0, value=prefill.filled, key=f"bp_filled_{code}")
    started = c2.number_input("Påbörjade", min_value=0, value=prefill.started, key=f"bp_started_{code}")
    excluded = c3.number_input("Avräknade", min_value=0, value=prefill.excluded, key=f"bp_excluded_{code}")
    events = report_events(round_)
    by = _report_by(round_)
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
    own_date = by if reported else None
    if assumption == "uncertain":
        known = [k for k in figures.known if k.code != code]
        dates = _dates(recipients, code, own_date, figures.known_dates, by)
        result = simulate_blocks(
            round_,
            recipients,
            own,
            uncertain,
            {e: dates for e in events},
            n=BLOCK_SIMULATIONS,
            seed=BLOCK_SEED,
            known=known,
        )
        columns = st.columns(len(round_.blocks) + 1)
        columns[0].metric("Troligt belopp, omkring", about_kr(result.median))
        for column, block in zip(columns[1:], round_.blocks, strict=True):
            column.metric(f"{plain(block.title)}, omkring", about_kr(result.block_medians[block.id]))
        if spread := about_spread(result.p10, result.p90):
            st.markdown(plain(f"{spread}."))
        condition = (
            f"Beloppet gäller bara under antagandet: {assumptions[assumption][len('Osäkert: ') :]}"
            + (" (de som har rapporterat: enligt rapporten)" if known else "")
            + ". Det är ett antagande för att visa osäkerheten, ingen prognos."
        )
        with st.expander("För den som vill veta mer"):
            st.markdown(
                f"- Median: {f.kr(result.median)}\n"
                f"- Lågt utfall (P10, 1 fall av 10 ger mindre): {f.kr(result.p10)}\n"
                f"- Högt utfall (P90, 1 fall av 10 ger mer): {f.kr(result.p90)}\n"
                f"- Lägsta – högsta: {f.kr(result.minimum)} – {f.kr(result.maximum)}"
            )
            st.caption(f"{f.number(BLOCK_SIMULATIONS)} simuleringar, slumpfrö {BLOCK_SEED}.")
    else:
        if assumption == "reports":
            others = [i for i in store.at_reports(round_id) if i.code != code]
            dates = {c: d for c, d in store.report_dates(round_id).items() if c != code}
        else:
            others = [
                RegionInput(r.code, math.ceil(round_.planned.get(r.code, 0)), 0) for r in recipients if r.code != code
            ]
            dates = {r.code: by for r in recipients if r.code != code and by}
        if own_date:
            dates[code] = own_date
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
