"""Static data and HTML for the floor pages: made up here, never read from the project.

Regions, filler text of a given length and HTML of a given shape (a table of rows × columns, a figure of bars):
what the floors put in their elements so that the browser lays out and paints as much as on the real pages.
"""

from __future__ import annotations

REGIONS = (
    ("01", "Stockholm"),
    ("03", "Uppsala"),
    ("04", "Södermanland"),
    ("05", "Östergötland"),
    ("06", "Jönköping"),
    ("07", "Kronoberg"),
    ("08", "Kalmar"),
    ("09", "Gotland"),
    ("10", "Blekinge"),
    ("12", "Skåne"),
    ("13", "Halland"),
    ("14", "Västra Götaland"),
    ("17", "Värmland"),
    ("18", "Örebro"),
    ("19", "Västmanland"),
    ("20", "Dalarna"),
    ("21", "Gävleborg"),
    ("22", "Västernorrland"),
    ("23", "Jämtland"),
    ("24", "Västerbotten"),
    ("25", "Norrbotten"),
)
CODES = [code for code, _ in REGIONS]
NAMES = [name for _, name in REGIONS]
PLANNED = [272, 53, 30, 52, 40, 22, 28, 7, 18, 160, 40, 210, 32, 38, 30, 33, 33, 28, 14, 40, 30]

_WORDS = [
    "regionen",
    "rapporterade",
    "tjänster",
    "enligt",
    "planen",
    "och",
    "beslutet",
    "om",
    "utbetalning",
    "gäller",
    "omgången",
]


def text(length: int) -> str:
    """Swedish filler of exactly ``length`` characters."""
    out, i = "", 0
    while len(out) < length:
        out += (" " if out else "") + _WORDS[i % len(_WORDS)]
        i += 1
    return out[:length]


def kr(amount: int) -> str:
    return f"{amount:,} kr".replace(",", "\u00a0")


CSS = "table.floor { border-collapse: collapse; width: 100%; font-size: 0.85rem; } table.floor td, table.floor th "
CSS += "{ padding: 0.25rem 0.45rem; border-bottom: 1px solid #e6e6e6; white-space: nowrap; text-align: right; }"


def table_html(columns: int, rows: int = 21, css: int = 300, cell: int = 12) -> str:
    """A styled table: one header row of ``columns`` cells and ``rows`` rows of them, ``css`` bytes of style,
    ``cell`` characters in each cell."""
    style = (CSS + " " * css)[:css]
    head = "".join(f"<th>{text(9)}</th>" for _ in range(columns))
    body = "".join(
        "<tr>" + "".join(f"<td>{kr(1_000_000 + 7919 * r * c)[-cell:]}</td>" for c in range(columns)) + "</tr>"
        for r in range(rows)
    )
    return (
        f'<style>{style}</style><div class="floor"><table class="floor"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def bars_html(rows: int, spans_per_row: int, css: int = 1460) -> str:
    """A figure of ``rows`` horizontal bars made of divs and spans (as a hand-drawn HTML chart is)."""
    style = ("figure.floor .row { display: grid; grid-template-columns: 9rem 1fr 8rem; } " + " " * css)[:css]
    body = "".join(
        f'<div class="row" style="width: {40 + 3 * r}%">'
        + "".join(f"<span>{text(6)}</span>" for _ in range(spans_per_row))
        + "</div>"
        for r in range(rows)
    )
    return f'<style>{style}</style><figure class="floor"><figcaption>{text(40)}</figcaption>{body}</figure>'


def editor_frame(extra: dict[str, str]):  # type: ignore[no-untyped-def]
    """The simulator's outcomes table: code, region, planned, the given number (or text) columns, and the
    "Mot plan" labels; with the column configuration the real editor sends (widths, help, a coloured check)."""
    import pandas as pd
    import streamlit as st

    frame = pd.DataFrame({"code": CODES, "region": NAMES, "planned": [str(p) for p in PLANNED]})
    config: dict[str, object] = {
        "code": st.column_config.TextColumn("Länskod", disabled=True, width=80),
        "region": st.column_config.TextColumn("Region", disabled=True, width=170),
        "planned": st.column_config.TextColumn("Planerat", width=110, help=text(90)),
    }
    for i, (column, kind) in enumerate(extra.items()):
        if kind == "number":
            frame[column] = [p + i for p in PLANNED]
            config[column] = st.column_config.NumberColumn(
                column, width=120, help=text(50), min_value=0, step=1, format="%d", required=True
            )
        else:
            frame[column] = ["2024-10-1" + str(i % 10) for i in range(len(CODES))]
            config[column] = st.column_config.TextColumn(column, help=text(50))
    labels = ["+1 över plan", "enligt plan", "−2 under plan", "inget utfall"]
    frame["check"] = [[labels[i % 4]] for i in range(len(CODES))]
    config["check"] = st.column_config.MultiselectColumn(
        "Mot plan",
        disabled=True,
        width=190,
        help=text(200),
        options=labels,
        color=["#2e7d32", "#6b6b6b", "#a15c00", "#8a8a8a"],
    )
    return frame, config


def outcomes_editor(key: str, extra: dict[str, str]) -> None:
    import streamlit as st

    frame, config = editor_frame(extra)
    st.data_editor(
        frame,
        key=key,
        column_config=config,
        hide_index=True,
        num_rows="fixed",
        width="content",
        height=(len(CODES) + 1) * 35 + 3,
    )


def save_form() -> None:
    """The "Spara som scenario" form (``ui.scenarios._form``)."""
    import streamlit as st

    st.subheader("Spara som scenario")
    with st.form("save_scenario", clear_on_submit=False, border=True):
        st.text_input("Namn på scenariot", key="scenario_name")
        st.text_area("Anteckning (valfri)", key="scenario_note", height=68)
        st.checkbox("Skriv över ett scenario med samma namn", key="scenario_overwrite")
        st.form_submit_button("Spara scenario", icon=":material/save:")


def results_frame(columns: int):  # type: ignore[no-untyped-def]
    """The simulator's results table as the page sends it: the region and its figures as Swedish text."""
    import pandas as pd

    frame = pd.DataFrame({"Länskod": CODES, "Region": NAMES})
    for c in range(columns - 2):
        frame[f"{text(9 + c)} (kr)"] = [kr(1_000_000 + 7919 * r * c) for r in range(len(CODES))]
    return frame


def block_simulator(
    blocks: int,
    steps: int,
    extra: dict[str, str],
    metric_rows: tuple[int, ...],
    *,
    pot_choice: bool = False,
    illustrative: bool = True,
    notices: int = 2,
    result_columns: int = 13,
) -> None:
    """The simulator (``ui.blocks.block_simulator``) after its title, on a first render: the round's caption (and
    the illustrative round's warning); a bordered container of each block's pot (a choice of the rules' figures
    with an amount of one's own, a notice and a caption; or an amount and a caption), the last block's staircase
    folded in an expander (``steps`` amounts and a select box) and a reset button; then, in a container of its
    own (the page's fragment), "Utfall per region": four buttons and a number input in five columns, a caption,
    the phone's cue, the data editor, a keyed results container (rows of metrics in three columns, the
    staircase's three metrics side by side, notices, lazy tabs bound to the address: "Resultat" open with its
    table as text, a caption, two download buttons in columns, the explanation's select box and list), and the
    save form; a hidden ``st.html`` in the sidebar (``ui.simulator_warmup``; here it does nothing)."""
    import streamlit as st

    st.caption(text(80))
    if illustrative:
        st.warning(text(140), icon=":material/science:")
    with st.container(border=True):
        st.subheader(text(16))
        columns = st.columns(min(blocks, 3))
        for i in range(blocks):
            with columns[i % len(columns)]:
                if pot_choice:
                    st.radio(text(4), [text(20), text(22), text(12)], key=f"blk_choice_{i}", bind="query-params")
                    st.text_input(text(18), value="254 000 000", key=f"blk_pot_{i}", disabled=True)
                    st.info(text(486), icon=":material/info:")
                else:
                    st.text_input(text(30), value="63 000 000", key=f"blk_pot_{i}", help=text(60))
                st.caption(text(120))
                if i == blocks - 1:
                    with st.expander(text(34), expanded=False):
                        for step in range(steps):
                            st.text_input(f"Trappsteg {step + 1} (kr)", value="2 000 000", key=f"blk_step_{step}")
                        st.selectbox(text(30), [text(20), text(12)], key="blk_key")
        st.button("Återställ reglernas belopp", key="blk_reset")
    with st.container():  # the page draws the table and its results in a fragment (a container of its own)
        st.subheader("Utfall per region")
        fills = st.columns([1.4, 1, 1.1, 1.2, 1.2], vertical_alignment="bottom")
        fills[0].button("Inlästa rapporter (17)", key="blk_reports")
        fills[1].button("Alla enligt plan", key="blk_plan")
        fills[2].button("Alla plan + tjänster", key="blk_plan_k")
        fills[3].number_input("Tjänster utöver plan", min_value=0, max_value=50, value=3, key="blk_k")
        fills[4].button("Exempel (fiktivt)", key="blk_example")
        st.caption(text(99))
        st.html(
            "<style>p.cue { display: none; } @media (max-width: 640px) { p.cue { display: block; } }</style>"
            f'<p class="cue">{text(50)}</p>'
        )
        outcomes_editor("blk_editor", extra)
        with st.container(key="blk_results"):
            for count in metric_rows:
                for column in st.columns(3)[:count]:
                    column.metric(text(12), "63,0 mnkr", help=text(30))
            with st.container(horizontal=True, gap="medium", key="blk_stairs"):
                for label in ("Trappsteg", "Omfördelat", "Kvalificerade regioner"):
                    st.metric(label, "44,0 mnkr", help=text(30), width="content")
            for _ in range(notices):
                st.info(text(120))
            names = ["Resultat", "Pottens fördelning", "Per invånare", "Karta", "Jämför scenarier"]
            names += [f"Block {b + 1}: {text(20)}" for b in range(blocks)]
            tabs = st.tabs(names, key="vy", on_change="rerun", bind="query-params")
            if tabs[0].open:
                with tabs[0]:
                    right = {c: st.column_config.TextColumn(c, alignment="right") for c in range(2, result_columns)}
                    st.dataframe(results_frame(result_columns), hide_index=True, width="stretch", column_config=right)
                    st.caption(text(140))
                    d1, d2, _ = st.columns([1, 1, 3])
                    d1.download_button(
                        "Ladda ned (XLSX)", lambda: b"x", file_name="f.xlsx", on_click="ignore", key="bx"
                    )
                    d2.download_button("Ladda ned (CSV)", lambda: "x", file_name="f.csv", on_click="ignore", key="bc")
                    labels = [f"{c} {n}" for c, n in zip(CODES, NAMES, strict=True)]
                    st.selectbox("Förklaring för region", labels, key="explain_region")
                    st.markdown("\n".join(f"1. {text(36)}" for _ in range(10)))
        save_form()
    st.sidebar.html("<script>/* %s */</script>" % ("x" * 1140), unsafe_allow_javascript=True)
