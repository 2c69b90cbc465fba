"""AT-tjänster 2023: the engine's allocation of the pot, per region, with its explanation."""

import streamlit as st

from allocation import formats as f
from allocation.at import allocate
from allocation.explain import explain
from allocation.regions import RegionIndex
from allocation.report import to_csv
from allocation.rules import CUSTOM_POT, load_round
from ui.inputs import EXAMPLE_OUTCOMES, load_outcomes
from ui.results import results_frame, styled_results


@st.cache_resource
def _round():  # type: ignore[no-untyped-def]
    return load_round("at-2023")


at_round = _round()
st.title("AT-tjänster 2023 – fördelning")
st.caption(
    f"{at_round.title} · {at_round.dnr} · regelfil version {at_round.version} · "
    f"befolkning {at_round.population_date:%-d} nov {at_round.population_date:%Y}"
)

pot_labels = {o.id: o.label for o in at_round.pot_options} | {CUSTOM_POT: "Eget belopp (what-if)"}
left, right = st.columns([2, 3])
with left:
    pot_choice = st.radio("Pott", list(pot_labels), format_func=pot_labels.get, key="pot_choice")
    custom_pot = st.number_input(
        "Eget belopp (kr)",
        min_value=0,
        value=254_000_000,
        step=1_000_000,
        disabled=pot_choice != CUSTOM_POT,
        key="custom_pot",
    )
    if pot_choice == CUSTOM_POT:
        st.caption(f"= {f.kr(int(custom_pot))}")
with right:
    a, b = (at_round.pot_option(i) for i in ("bidragets_storlek", "bakgrund"))
    st.info(
        f"Anvisningen anger två belopp: **{f.kr(a.amount)}** under ”{a.source.section}” och "
        f"**{f.kr(b.amount)}** under ”{b.source.section}” (”{b.source.quote}”). "
        f"Skillnaden, {f.kr(a.amount - b.amount)}, motsvarar de medel som avsatts för Socialstyrelsens "
        "egna kostnader. Resultatet anger alltid vilken pott som används.",
        icon=":material/info:",
    )

uploaded = st.file_uploader(
    "Regionernas utfall (CSV eller XLSX med kolumnerna region, filled, started, excluded, planned)",
    type=["csv", "xlsx"],
)
index = RegionIndex(at_round.regions)
if uploaded is None:
    st.caption(f"Visar exempelfilen `{EXAMPLE_OUTCOMES.name}` med **fiktiva** utfall. Ladda upp en egen fil ovan.")
    loaded = load_outcomes(EXAMPLE_OUTCOMES.read_bytes(), index)
else:
    loaded = load_outcomes(uploaded.getvalue(), index)

if loaded.problems_sv:
    st.error(
        "Filen kunde inte läsas in; inget har ändrats. Rätta följande och ladda upp igen:\n\n"
        + "\n".join(f"- {p}" for p in loaded.problems_sv)
    )
    st.stop()

pot = int(custom_pot) if pot_choice == CUSTOM_POT else at_round.pot_option(pot_choice).amount
allocation = allocate(at_round, loaded.inputs, at_round.params(pot=pot))

m1, m2, m3, m4 = st.columns(4)
m1.metric("Pott", f.mnkr(allocation.pot))
m2.metric("Trappsteg", f.mnkr(sum(r.step_amount for r in allocation.regions)))
m3.metric("Omfördelat", f.mnkr(sum(r.redistribution for r in allocation.regions)))
m4.metric("Ej fördelat", f.kr(allocation.unallocated))
for warning in allocation.warnings:
    st.warning(warning.message_sv)

frame = results_frame(allocation)
st.dataframe(styled_results(frame), hide_index=True, width="stretch", height=(len(frame) + 1) * 35 + 3, key="results")
st.caption(
    f"Summa utbetalt {f.kr(allocation.paid)} av potten {f.kr(allocation.pot)}. "
    "Belopp i hela kronor; avrundning med största-rest-metoden (lika rester: lägre länskod först)."
)

st.download_button(
    "Ladda ned resultatet (CSV)",
    to_csv(allocation),
    file_name=f"{at_round.id}-fordelning.csv",
    mime="text/csv",
)

st.subheader("Förklaring per region")
names = {r.code: f"{r.code} {r.name}" for r in allocation.regions}
default = max(allocation.regions, key=lambda r: r.total).code
code = st.selectbox("Region", list(names), index=list(names).index(default), format_func=names.get)
result = allocation.by_code()[code]
st.markdown("\n".join(f"1. {line}" for line in explain(result, allocation)))
