"""Floor of Simulering for AT 2023 (``pages/at/simulator.py``, a performance round), on its first render with the
example data's reports in the table.

Mirrors: a hidden sidebar ``st.html`` script of the same size (``ui.simulator_warmup``; here it does nothing);
title, caption; a bordered "Regler" container (a radio of three pots and a number input on the left with a caption,
an info on the right; five number inputs in five columns; a select box and a button); "Utfall per region": four
buttons and a number input in six columns, a caption, a one-line HTML cue shown on phones; the data editor (21 rows:
code, region, planned as text, three number columns, the coloured "Mot plan" column; same widths and height); a
keyed results container: five metrics in a horizontal container, six lazy tabs bound to ``?vy=`` of which the open
one ("Resultat") holds a styled HTML table (11 columns × 22 rows), a caption, two download buttons in columns, a
select box of 21 regions and a numbered list of 10 lines; the "Spara som scenario" form.
"""

import streamlit as st
from static import CODES, NAMES, outcomes_editor, save_form, table_html, text

st.sidebar.html("<script>/* %s */</script>" % ("x" * 1140), unsafe_allow_javascript=True)
st.title(text(44))
st.caption(text(87))

with st.container(border=True):
    st.subheader("Regler")
    left, right = st.columns([2, 3], gap="large")
    with left:
        choice = st.radio("Pott", ["254", "252", "eget"], key="pot", bind="query-params")
        st.number_input("Eget belopp (kr)", min_value=0, step=1_000_000, key="pot_kr", disabled=choice != "eget")
        st.caption(text(34))
    with right:
        st.info(text(486), icon=":material/info:")
    for column, (steps, amount) in zip(st.columns(5), ((2, 2), (3, 3), (5, 5), (7, 8), (10, 12)), strict=True):
        column.number_input(f"Trappsteg ≥ {steps} tjänster (kr)", value=amount * 1_000_000, step=500_000, help=text(30))
    key_column, reset_column = st.columns([3, 2], vertical_alignment="bottom")
    key_column.selectbox("Fördelningsnyckel för kvarstående medel", ["per 100 000", "lika"], key="nyckel")
    reset_column.button("Återställ till anvisningens värden", disabled=True, key="reset_params")

with st.container():  # the page draws the table and its results in a fragment (a container of its own)
    st.subheader("Utfall per region")
    fills = st.columns([1.4, 1, 1, 1.3, 1.2, 1.5], vertical_alignment="bottom")
    fills[0].button("Inlästa rapporter (17)", key="fill_reports")
    fills[1].button("Alla enligt plan", key="fill_plan")
    fills[3].number_input("Tjänster utöver plan (k)", min_value=0, max_value=50, value=3, step=1, key="fill_k")
    fills[2].button("Alla plan + k", key="fill_plan_k")
    fills[4].button("Exempel (fiktivt)", key="fill_example")
    st.caption(text(100))
    st.html(
        "<style>p.cue { display: none; } @media (max-width: 640px) { p.cue { display: block; } }</style>"
        f'<p class="cue">{text(50)}</p>'
    )
    outcomes_editor("sim_editor", {"Tillsatta": "number", "Påbörjade": "number", "Avräknade": "number"})

    with st.container(key="sim_results"):
        with st.container(horizontal=True, gap="medium", key="sim_metrics"):
            for label in ("Pott", "Trappsteg", "Omfördelat", "Ej fördelat", "Kvalificerade regioner"):
                st.metric(label, "254,0 mnkr", help=text(30), width="content")
        names = ["Resultat", "Trappan", "Pottens fördelning", "Per invånare", "Karta", "Jämför scenarier"]
        tabs = st.tabs(names, key="vy", on_change="rerun", bind="query-params")
        if tabs[0].open:
            with tabs[0]:
                st.html(table_html(11, rows=22, css=300, cell=7))
                st.caption(text(125))
                d1, d2, _ = st.columns([1, 1, 3])
                d1.download_button("Ladda ned (XLSX)", lambda: b"x", file_name="f.xlsx", on_click="ignore", key="dx")
                d2.download_button("Ladda ned (CSV)", lambda: "x", file_name="f.csv", on_click="ignore", key="dc")
                labels = [f"{c} {n}" for c, n in zip(CODES, NAMES, strict=True)]
                st.selectbox("Förklaring för region", labels, key="explain_region")
                st.markdown("\n".join(f"1. {text(36)}" for _ in range(10)))

    save_form()
