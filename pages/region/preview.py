"""Förhandsbesked för en region: what it can expect, and how sure that is given the other regions."""

import math
from collections.abc import Sequence
from datetime import date

import streamlit as st

from allocation.at import RegionInput
from allocation.fixed import BASIS_SV
from allocation.milestones import needs_attention
from allocation.preview import DEFAULT_UNCERTAIN, PreviewResult, Uncertain, simulate
from allocation.rules import AtRound
from present import formats as f
from store.access import Action
from store.export import AboutValue, export_file_name, store_facts
from store.model import AccessDenied
from ui.block_preview import block_preview
from ui.deadlines import cells_as_of
from ui.preview import (
    ASSUMPTIONS_SV,
    SCENARIO,
    UNCERTAIN,
    curve_chart,
    headline,
    histogram_chart,
    preview_xlsx,
    region_in_address,
)
from ui.rounds import chosen_round
from ui.state import session_or_stop
from ui.text import plain

REGION_KEY = "pv_region"
URL_SEEN = "pv_region_url"  # the last ?pv_region= this page has read or written

store = session_or_stop()
ref = chosen_round(store)
as_of: date = st.session_state.get("as_of") or date.today()
regions = {r.code: r for r in store.regions(store.latest_population_date())}
own_region = store.principal.region  # set for a region user: the only region it may preview
st.title(f"Förhandsbesked för {plain(regions[own_region].name)}" if own_region else "Förhandsbesked för en region")

# ?pv_region= takes a län code (01) or a name (Gotland, "Region Gotland", the seed's "Norrbottn"); the page
# writes the code back, so the address bar always names the region shown. A value the page wrote itself is
# not read again while the select box holds its choice: that choice wins over the address it replaces.
from_url: str | None = None
asked = st.query_params.get(REGION_KEY)
if asked is not None and (asked != st.session_state.get(URL_SEEN) or REGION_KEY not in st.session_state):
    st.session_state[URL_SEEN] = asked
    from_url = region_in_address(asked, regions.values())
    if from_url is None:
        shown = asked if len(asked) <= 40 else asked[:40] + "…"
        st.warning(
            f"Adressen anger en region som inte finns: ”{plain(shown)}”. Ange länskod (t.ex. 09) eller namn "
            "(t.ex. Gotland)" + ("." if own_region else ", eller välj regionen i listan nedan."),
            icon=":material/location_off:",
        )
if own_region:
    # A region user may ask only for its own region, whatever the URL (?pv_region=) or the session says:
    # another region is refused (and logged) by the service layer, and the page shows the own region.
    requested = from_url or st.session_state.get(REGION_KEY) or own_region
    if requested != own_region:
        if requested in regions:  # anything else is not a region: not written to the log
            try:
                store.require_region(Action.PREVIEW, requested)
            except AccessDenied as exc:
                st.error(plain(exc.message_sv), icon=":material/block:")
        st.session_state[REGION_KEY] = own_region
elif from_url:
    st.session_state[REGION_KEY] = from_url


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
        "utfall: ju fler som når trappan, desto mindre till var och en."
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
        key=REGION_KEY,
    )
    st.query_params[REGION_KEY] = st.session_state[URL_SEEN] = code
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
    st.caption(f"Planerat enligt planeringsunderlaget: {plain(at_round.planned[code])} tjänster.")
    c1, c2, c3 = st.columns(3)
    filled = c1.number_input("Tillsatta", min_value=0, value=math.ceil(planned) + 3, step=1, key=f"pv_filled_{code}")
    started = c2.number_input("Påbörjade", min_value=0, value=0, step=1, key=f"pv_started_{code}")
    excluded = c3.number_input("Avräknade (tidigare omgång)", min_value=0, value=0, step=1, key=f"pv_excluded_{code}")
    raw = max(int(filled), int(started)) - float(planned) - int(excluded)
    expansion = max(0.0, raw)
    shown_expansion = f.count(int(expansion)) if expansion == int(expansion) else f.number(expansion, 1)
    if raw < 0:
        st.caption(
            f"Utfallet ligger {f.number(-raw, 1 if raw != int(raw) else 0)} tjänster under plan: "
            "utökningen räknas som 0."
        )
    else:
        st.caption(f"Er utökning: **{shown_expansion}** tjänster utöver plan.")
    band = st.slider("Osäkerhet i egna siffror (± tjänster)", 0, 5, 0, key="pv_band")
with right:
    assumptions = dict(ASSUMPTIONS_SV)  # the uncertain assumption first: the default
    if not store.may(Action.READ_SCENARIOS):  # scenarios hold other regions' figures: staff and managers
        del assumptions[SCENARIO]
    assumption = st.radio(
        "Antagande om de andra regionerna", list(assumptions), format_func=assumptions.get, key="pv_assumption"
    )
    others: list[RegionInput] | Uncertain = []
    described = assumptions[assumption]
    scenario_name: str | None = None
    if assumption == SCENARIO:
        names = store.scenario_names(at_round.id)
        if not names:
            st.info("Inga sparade scenarier ännu: spara ett på simuleringssidan.")
            st.stop()
        active = st.session_state.get("scenario")  # the sidebar's active scenario, when it is one of these
        scenario_name = st.selectbox(
            "Scenario", names, index=names.index(active) if active in names else 0, key="pv_scenario"
        )
        scenario = store.scenario(scenario_name)
        others = [i for i in scenario.inputs if i.code != code] if scenario else []
        described = f"De andra regionerna enligt scenariot ”{scenario_name}”"
    elif assumption == UNCERTAIN:
        u1, u2 = st.columns(2)
        low, high = u1.slider(
            "Utökning när en region växer (tjänster)",
            0,
            15,
            (DEFAULT_UNCERTAIN.low, DEFAULT_UNCERTAIN.high),
            key="pv_range",
        )
        share = u2.slider(
            "Andel regioner som växer",
            0,
            100,
            round(DEFAULT_UNCERTAIN.share * 100),
            step=5,
            key="pv_share",
            format="%d %%",
        )
        others = Uncertain(low, high, share / 100)
        described = (
            f"Varje annan region växer med sannolikhet {share} % och då med {low}–{high} tjänster utöver plan "
            "(jämnt fördelat), oberoende av varandra."
        )
        st.caption(
            f"Standardvalet: hälften av de andra regionerna växer, var och en med {DEFAULT_UNCERTAIN.low}–"
            f"{DEFAULT_UNCERTAIN.high} tjänster utöver plan — från under första trappsteget "
            f"({at_round.steps[0].min_expansion} tjänster) till mitten av trappan. Det visar hur mycket beloppet "
            "beror på de andra; det är ingen prognos. Ändra det efter vad ni vet."
        )
    with st.expander("Simuleringen: antal och slumpfrö"):
        s1, s2 = st.columns(2)
        n = s1.select_slider(
            "Antal simuleringar",
            [1_000, 10_000, 100_000],
            value=100_000,
            key="pv_n",
            format_func=lambda v: f.number(v),
        )
        seed = s2.number_input(
            "Slumpfrö (samma frö ger samma resultat)", min_value=0, value=2023, step=1, key="pv_seed"
        )


# The simulation is deterministic (the seed is one of its inputs), so a result is kept for the next visitor
# with the same inputs (a region's people opening its default preview): hashed by content, round included.
@st.cache_data(max_entries=16, show_spinner=False)
def simulated(
    at_round: AtRound, own: RegionInput, others: Sequence[RegionInput] | Uncertain, n: int, seed: int, band: int
) -> PreviewResult:
    return simulate(at_round, own, others, at_round.default_params(), n=n, seed=seed, own_band=band)


own = RegionInput(code, int(filled), int(started), int(excluded))
params = at_round.default_params()
with st.spinner(f"Simulerar {f.number(n)} fördelningsomgångar …"):
    result = simulated(at_round, own, others, int(n), int(seed), int(band))

top = headline(result, assumption, scenario_name)
columns = st.columns(1 + len(top.spread))
columns[0].metric(top.label, top.value)
for column, (label, value) in zip(columns[1:], top.spread, strict=True):
    column.metric(label, value)
if assumption == UNCERTAIN:
    st.caption(plain(top.condition))
else:
    st.info(plain(top.condition), icon=":material/info:")
steps = " · ".join(
    f"{'inget trappsteg' if amount == 0 else f.kr(amount)}: {f.percent(p)}"
    for amount, p in sorted(result.step_probability.items())
)
spread = (
    f"**Lägsta – högsta:** {f.kr(result.minimum)} – {f.kr(result.maximum)}  \n"
    if result.minimum != result.maximum
    else ""
)
st.markdown(f"{spread}**Sannolikhet per trappsteg:** {steps}")
curve = curve_chart(result, params, expansion)
if result.minimum == result.maximum:
    st.html(curve.html)
else:
    g1, g2 = st.columns(2, gap="large")
    with g1:
        st.html(histogram_chart(result).html)
    with g2:
        st.html(curve.html)

planned_text = str(at_round.planned[code])  # a count, or a range as written ("1-5")
rows: list[tuple[str, AboutValue]] = [
    ("Antagande om de andra regionerna", described),
    *([("Scenario", scenario_name)] if scenario_name else []),
    ("Planerat enligt planeringsunderlaget", int(planned_text) if planned_text.isdigit() else planned_text),
    ("Tillsatta", int(filled)),
    ("Påbörjade", int(started)),
    ("Avräknade (tidigare omgång)", int(excluded)),
    ("Osäkerhet i egna siffror (± tjänster)", int(band)),
    ("Bidragsomgång", at_round.title),
    ("Pott och regler", f"{f.kr(params.pot)}, trappsteg och nyckel enligt anvisningen ({at_round.dnr})"),
    *store_facts(store, ref.id),
    ("Per datum", as_of.isoformat()),
]
region_name = regions[code].name
st.download_button(
    "Ladda ned förhandsbeskedet (XLSX, preliminärt)",
    lambda: preview_xlsx(result, region_name, rows),
    file_name=export_file_name(ref.short_title, "förhandsbesked", region_name, scenario_name, ext="xlsx"),
    on_click="ignore",
    key="pv_download",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
st.caption(f"Preliminärt. {f.number(result.n)} simuleringar, slumpfrö {result.seed}. {plain(described.rstrip('.'))}.")
