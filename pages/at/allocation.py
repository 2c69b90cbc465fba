"""AT-tjänster 2023: the engine's allocation of the pot, per region, with its explanation."""

import streamlit as st

from allocation import formats as f
from allocation.at import allocate
from allocation.explain import explain
from allocation.rules import CUSTOM_POT
from allocation.tables import results_frame
from store.export import export_allocation
from ui.inputs import EXAMPLE_OUTCOMES, load_outcomes
from ui.results import styled_results
from ui.scenarios import save_scenario_form
from ui.state import store_or_stop

store = store_or_stop()
at_round = store.at_round("at-2023")
st.title("AT-tjänster 2023 – fördelning")
st.caption(f"{at_round.title} · {at_round.dnr} · regelfil version {at_round.version}")

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

stored = store.at_reports(at_round.id)
sources = {
    "store": f"Inrapporterade utfall i databasen ({len(stored)} av 21 regioner)",
    "example": "Exempelfil med fiktiva utfall",
    "upload": "Egen fil (what-if, sparas inte)",
}
source = st.radio(
    "Utfall",
    list(sources),
    format_func=sources.get,
    index=0 if stored else 1,
    horizontal=True,
    key="outcome_source",
)
if source == "store":
    inputs = stored
    if not stored:
        st.warning("Inga rapporter är inlästa ännu: alla regioner räknas med utfall 0. Läs in under Data.")
elif source == "example":
    st.caption(f"Exempelfilen `{EXAMPLE_OUTCOMES.name}` innehåller **fiktiva** utfall för att visa beräkningen.")
    inputs = load_outcomes(EXAMPLE_OUTCOMES.read_bytes(), store.region_index()).inputs
else:
    uploaded = st.file_uploader(
        "Regionernas utfall (CSV eller XLSX med kolumnerna region, filled, started, excluded, planned)",
        type=["csv", "xlsx"],
    )
    if uploaded is None:
        st.stop()
    loaded = load_outcomes(uploaded.getvalue(), store.region_index())
    if loaded.problems_sv:
        st.error(
            "Filen kunde inte läsas in; inget har ändrats. Rätta följande och ladda upp igen:\n\n"
            + "\n".join(f"- {p}" for p in loaded.problems_sv)
        )
        st.stop()
    inputs = loaded.inputs

pot = int(custom_pot) if pot_choice == CUSTOM_POT else at_round.pot_option(pot_choice).amount
params = at_round.params(pot=pot)
allocation = allocate(at_round, inputs, params)

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

d1, d2, _ = st.columns([1, 1, 3])
d1.download_button(
    "Ladda ned (XLSX)",
    export_allocation(at_round, allocation, "xlsx", {"Utfall": sources[source]}),
    file_name=f"{at_round.id}-fordelning.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="download_xlsx",
)
d2.download_button(
    "Ladda ned (CSV)",
    export_allocation(at_round, allocation, "csv"),
    file_name=f"{at_round.id}-fordelning.csv",
    mime="text/csv",
    key="download_csv",
)

st.subheader("Förklaring per region")
names = {r.code: f"{r.code} {r.name}" for r in allocation.regions}
default = max(allocation.regions, key=lambda r: r.total).code
code = st.selectbox("Region", list(names), index=list(names).index(default), format_func=names.get)
st.markdown("\n".join(f"1. {line}" for line in explain(allocation.by_code()[code], allocation)))

st.subheader("Spara som scenario")
save_scenario_form(store, at_round, params, inputs)
