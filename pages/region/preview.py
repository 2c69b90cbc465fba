"""Förhandsbesked för en region: what it can expect, and how sure that is given the other regions."""

import math
from datetime import date

import streamlit as st

from allocation.at import RegionInput
from allocation.fixed import BASIS_SV
from allocation.milestones import needs_attention
from allocation.preview import Uncertain, simulate
from present import formats as f
from store.access import Action
from store.export import store_facts
from store.model import AccessDenied
from ui.block_preview import block_preview
from ui.deadlines import cells_as_of
from ui.preview import curve_chart, histogram_chart, preview_xlsx
from ui.rounds import chosen_round
from ui.state import session_or_stop
from ui.text import plain

store = session_or_stop()
ref = chosen_round(store)
as_of: date = st.session_state.get("as_of") or date.today()
regions = {r.code: r for r in store.regions(store.latest_population_date())}
own_region = store.principal.region  # set for a region user: the only region it may preview
st.title(f"Förhandsbesked för {plain(regions[own_region].name)}" if own_region else "Förhandsbesked för en region")
if own_region:
    # A region user may ask only for its own region, whatever the URL (?pv_region=) or the session says:
    # another region is refused (and logged) by the service layer, and the page shows the own region.
    requested = str(st.query_params.get("pv_region") or st.session_state.get("pv_region") or own_region)
    if requested != own_region:
        if requested in regions:  # anything else is not a region: ignored, and not written to the log
            try:
                store.require_region(Action.PREVIEW, requested)
            except AccessDenied as exc:
                st.error(plain(exc.message_sv), icon=":material/block:")
        st.session_state["pv_region"] = own_region


def show_fixed(round_id: str, code: str) -> None:
    """A round of fixed amounts: the region's maximum, what it has requisitioned, and its deadlines."""
    store.require_region(Action.READ_AMOUNTS, code, round_id)
    amount, basis, _ = store.fixed_amounts(round_id)[code]
    cells = [c for c in cells_as_of(store, as_of, [round_id]) if c.code == code]
    e1, e2 = st.columns(2)
    e1.metric(f"Högsta belopp ({BASIS_SV[basis].lower()})", f.kr(amount))
    requisitioned = sum(r.amount for r in store.requisitions(round_id) if r.code == code and r.received <= as_of)
    e2.metric("Rekvirerat", f.kr(requisitioned))
    st.markdown("\n".join(f"- **{plain(c.milestone)}**: {plain(c.result.text_sv)}" for c in cells))
    if needs_attention(cells):
        st.warning("Minst en tidsfrist är försenad eller nära (högst 14 dagar kvar).")


if ref.kind == "performance":
    at_round = store.at_round(ref.id)
    st.caption(
        f"Vad kan regionen räkna med från {plain(ref.short_title)}? Beloppet beror också på de andra regionernas "
        "utfall."
    )
elif ref.kind == "blocks":
    st.caption(f"{plain(ref.short_title)}: vad regionen kan räkna med per block, givet ett antagande om de andra.")
else:
    st.caption(f"{plain(ref.short_title)}: fasta belopp per region, som regionen rekvirerar.")
left, right = st.columns([2, 3], gap="large")
with left:
    code = st.selectbox(
        "Region",
        [own_region] if own_region else list(regions),
        disabled=bool(own_region),
        format_func=lambda c: regions[c].name,
        key="pv_region",
        bind="query-params",
    )
    try:
        store.require_region(Action.PREVIEW, code)  # a widget value is the client's: checked again here
    except AccessDenied as exc:
        st.error(plain(exc.message_sv), icon=":material/block:")
        st.stop()
    if ref.kind == "blocks":
        block_preview(store, ref.id, code)
        st.stop()
    if ref.kind != "performance":
        with right:
            show_fixed(ref.id, code)
        st.stop()
    planned = at_round.planned_value(code)
    st.caption(f"Planerat enligt planeringsunderlaget: {at_round.planned[code]} tjänster.")
    c1, c2, c3 = st.columns(3)
    filled = c1.number_input("Tillsatta", min_value=0, value=math.ceil(planned) + 3, step=1, key=f"pv_filled_{code}")
    started = c2.number_input("Påbörjade", min_value=0, value=0, step=1, key=f"pv_started_{code}")
    excluded = c3.number_input("Avräknade (tidigare omgång)", min_value=0, value=0, step=1, key=f"pv_excluded_{code}")
    band = st.slider("Osäkerhet i egna siffror (± tjänster)", 0, 5, 0, key="pv_band")
with right:
    assumptions = {
        "plan": "Alla andra regioner enligt plan (ingen annan kvalificerar sig)",
        "scenario": "Ett sparat scenario för de andra regionerna",
        "uncertain": "Osäkert: de andra regionernas utökning dras slumpmässigt",
    }
    if not store.may(Action.READ_SCENARIOS):  # scenarios hold other regions' figures: staff and managers
        del assumptions["scenario"]
    assumption = st.radio(
        "Antagande om de andra regionerna", list(assumptions), format_func=assumptions.get, key="pv_assumption"
    )
    others: list[RegionInput] | Uncertain = []
    described = assumptions[assumption]
    if assumption == "scenario":
        names = store.scenario_names(at_round.id)
        if not names:
            st.info("Inga sparade scenarier ännu: spara ett på simuleringssidan.")
            st.stop()
        name = st.selectbox("Scenario", names, key="pv_scenario")
        scenario = store.scenario(name)
        others = [i for i in scenario.inputs if i.code != code] if scenario else []
        described = f"De andra regionerna enligt scenariot ”{name}”"
    elif assumption == "uncertain":
        u1, u2 = st.columns(2)
        low, high = u1.slider("Utökning när en region växer (tjänster)", 0, 15, (1, 6), key="pv_range")
        share = u2.slider("Andel regioner som växer", 0, 100, 50, step=5, key="pv_share", format="%d %%")
        others = Uncertain(low, high, share / 100)
        described = (
            f"Varje annan region växer med sannolikhet {share} % och då med {low}–{high} tjänster utöver plan "
            "(jämnt fördelat), oberoende av varandra."
        )
        st.caption(
            "Standardvalet (hälften av regionerna växer med 1–6 tjänster) är ett antagande för att visa osäkerheten, "
            "inte en prognos: ändra det efter vad ni vet."
        )
    s1, s2 = st.columns(2)
    n = s1.select_slider(
        "Antal simuleringar", [1_000, 10_000, 100_000], value=100_000, key="pv_n", format_func=lambda v: f.number(v)
    )
    seed = s2.number_input("Slumpfrö (samma frö ger samma resultat)", min_value=0, value=2023, step=1, key="pv_seed")

own = RegionInput(code, int(filled), int(started), int(excluded))
params = at_round.default_params()
with st.spinner(f"Simulerar {f.number(n)} fördelningsomgångar …"):
    result = simulate(at_round, own, others, params, n=int(n), seed=int(seed), own_band=int(band))

region_name = regions[code].name
raw = max(int(filled), int(started)) - float(planned) - int(excluded)
expansion = max(0.0, raw)
m1, m2, m3 = st.columns([1.2, 1.4, 0.8])
m1.metric("Troligt belopp (median)", f.kr(result.median))
m2.metric("80 % av utfallen (P10–P90)", f"{f.mnkr(result.p10)} – {f.mnkr(result.p90)}")
m3.metric("Er utökning", f.count(int(expansion)) if expansion == int(expansion) else f.number(expansion, 1))
steps = " · ".join(
    f"{'inget trappsteg' if amount == 0 else f.kr(amount)}: {f.percent(p)}"
    for amount, p in sorted(result.step_probability.items())
)
st.markdown(
    f"**Lägsta – högsta:** {f.kr(result.minimum)} – {f.kr(result.maximum)} · **Sannolikhet per trappsteg:** {steps}"
)
if raw < 0:
    st.info(f"Utfallet ligger {f.number(-raw, 1 if raw != int(raw) else 0)} tjänster under plan: det räknas som 0.")
g1, g2 = st.columns(2)
curve = curve_chart(result, params, region_name, expansion)
if result.minimum == result.maximum:
    g1.info(f"Under det här antagandet är beloppet säkert: {f.kr(result.median)} i varje simulering.")
else:
    g1.plotly_chart(histogram_chart(result, region_name).figure, key="pv_hist", config={"displaylogo": False})
g2.plotly_chart(curve.figure, key="pv_curve", config={"displaylogo": False})

rows = [
    ("Antagande om de andra regionerna", described),
    ("Regionens siffror", f"tillsatta {filled}, påbörjade {started}, avräknade {excluded}, osäkerhet ±{band}"),
    ("Bidragsomgång", at_round.title),
    ("Pott och regler", f"{f.kr(params.pot)}, trappsteg och nyckel enligt anvisningen ({at_round.dnr})"),
    *store_facts(store),
    ("Datum", as_of.isoformat()),
]
st.download_button(
    "Ladda ned förhandsbeskedet (XLSX, preliminärt)",
    lambda: preview_xlsx(result, region_name, rows),
    file_name=f"forhandsbesked-{at_round.id}-{code}-{as_of.isoformat()}.xlsx",
    on_click="ignore",
    key="pv_download",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
st.caption(f"Preliminärt. {f.number(result.n)} simuleringar, slumpfrö {result.seed}. {plain(described)}.")
