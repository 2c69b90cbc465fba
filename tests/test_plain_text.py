"""User- and file-supplied text in markdown renders as itself: no link, no image, no markup (issue 12)."""

from __future__ import annotations

import ast
import html
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tests.markdown_text import shown
from ui.text import bullets, code, plain

ROOT = Path(__file__).resolve().parents[1]
RENDERER = MarkdownIt("gfm-like")  # CommonMark with GitHub's autolinks, tables and strikethrough

PAYLOADS = [
    "![x](http://evil.example/pixel.png)",
    "[Logga in igen](http://evil.example/login)",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "www.evil.example and http://evil.example/a and evil@example.se",
    ":red[röd] :material/home: :smile:",
    "$x^2$ and $$y$$",
    "# rubrik\n- punkt\n> citat",
    "**fet** _kursiv_ ~~struken~~ `kod`",
    "&lt;b&gt; &amp;",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    '=HYPERLINK("http://evil.example")',
    "a\\b\\\\c\\",
]


# Streamlit's remark-gfm autolinker runs these over the decoded text (its bundle, 1.67): nothing we show may match.
STREAMLIT_URL = re.compile(r"(https?:\/\/|www(?=\.))([-.\w]+)([^ \t\r\n]*)", re.IGNORECASE)
STREAMLIT_EMAIL = re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)")


def rendered_text(markdown: str) -> tuple[str, set[str]]:
    """The text a browser shows for ``markdown`` and the HTML tags it needs (autolinkers checked too)."""
    out = RENDERER.render(markdown)
    tags = set(re.findall(r"<([a-z0-9]+)", out))
    text = html.unescape(re.sub(r"<[^>]+>", "", out)).strip()
    if STREAMLIT_URL.search(text) or STREAMLIT_EMAIL.search(text):
        tags.add("a")
    return text.replace("\u2060", ""), tags


@pytest.mark.parametrize("text", PAYLOADS)
def test_a_payload_renders_as_its_own_characters(text: str) -> None:
    shown_text, tags = rendered_text(plain(text))
    assert tags <= {"p"}
    assert shown_text == re.sub(r"[\r\n]+", " ", text)


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=80))
def test_any_text_renders_as_itself_without_links_or_images(text: str) -> None:
    shown_text, tags = rendered_text(plain(text))
    assert not tags & {"a", "img", "script", "h1", "h2", "ul", "ol", "table", "strong", "em", "code", "del"}
    expected = re.sub(r"[\r\n\u2028\u2029]+", " ", text)
    # Markdown trims a paragraph's outer spaces and a leading indent may become a code block's: same characters.
    assert " ".join(shown_text.split()) == " ".join(expected.split())


@given(st.text(max_size=80))
def test_the_tests_view_of_escaped_text_is_the_text(text: str) -> None:
    assert shown(plain(text)) == re.sub(r"[\r\n\u2028\u2029]+", " ", text)


@pytest.mark.parametrize("text", [*PAYLOADS, "per@regionskane.se", "`a``b`"])
def test_a_code_span_shows_the_text_as_typed_with_nothing_invisible(text: str) -> None:
    out = RENDERER.render(f"Användaren {code(text)} är tillagd.")
    assert set(re.findall(r"<([a-z0-9]+)", out)) == {"p", "code"}  # one code span: no link, image or markup
    [inside] = re.findall(r"<code>(.*?)</code>", out, re.DOTALL)
    assert html.unescape(inside) == re.sub(r"[\r\n]+", " ", text)  # the characters typed, nothing added
    assert "\u2060" not in code(text)


def test_bullets_are_a_list_of_plain_items() -> None:
    out = RENDERER.render(bullets(['rad 2, kolumn region: okänd region "![x](http://evil.example/p.png)"', "ok"]))
    assert out.count("<li>") == 2 and "<img" not in out and "<a " not in out


MARKDOWN_CALLS = {"markdown", "error", "warning", "info", "success", "caption", "toast", "write", "title", "subheader"}
USER_TEXT = {"message_sv", "problems_sv", "name", "session_state"}  # session state carries users' text too


def _unescaped_user_text(node: ast.AST) -> list[str]:
    """Attributes that carry user text in ``node``, outside a ``plain``/``bullets``/``label``/``code`` call."""
    escaping = {"plain", "bullets", "label", "code"}
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in escaping:
        return []
    found = []
    if isinstance(node, ast.Attribute) and node.attr in USER_TEXT:
        found.append(ast.unparse(node))
    for child in ast.iter_child_nodes(node):
        found += _unescaped_user_text(child)
    return found


def test_no_page_puts_user_or_file_text_into_markdown_unescaped() -> None:
    offenders = []
    files = [ROOT / "app.py", *(ROOT / "pages").rglob("*.py"), *(ROOT / "ui").rglob("*.py")]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr not in MARKDOWN_CALLS or not isinstance(node.func.value, ast.Name | ast.Attribute):
                continue  # st.error(...), st.sidebar.error(...), or the same on a column or container
            for arg in [*node.args, *(k.value for k in node.keywords if k.arg in {"body", "label"})]:
                offenders += [f"{path.relative_to(ROOT)}:{node.lineno}: {t}" for t in _unescaped_user_text(arg)]
    assert offenders == [], "\n".join(offenders)


HOSTILE_NAME = "[Klicka här](http://evil.example/login) ![x](http://evil.example/p.png) <a href=x>y</a>"


def test_a_saved_scenarios_name_shows_as_text_on_the_simulator(isolated_database: Path) -> None:
    from streamlit.testing.v1 import AppTest

    from store.model import Actor
    from tests.report_helpers import positions
    from tests.scenario_helpers import at_what_if
    from ui.state import get_store

    store = get_store(str(isolated_database))
    what_if = at_what_if(store, "at-2023", reports=[positions("09", 19, 18)])
    store.scenarios.save_what_if(Actor("Anna"), "test", HOSTILE_NAME, "at-2023", what_if)
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.session_state["scenario"] = HOSTILE_NAME
    at.run()
    at.switch_page("pages/at/simulator.py").run()
    assert not at.exception
    caption = next(c.value for c in at.caption if "Tabellen utgår från" in c.value)
    shown_text, tags = rendered_text(caption)
    assert HOSTILE_NAME in shown_text and not tags & {"a", "img"}


def test_the_comparison_chart_escapes_names_for_plotly_and_keeps_its_plain_title() -> None:
    import pandas as pd

    from ui.charts import comparison_chart

    diff = pd.DataFrame(
        {"region": ["Gotland", "Kalmar"], "baseline": [10, 20], "scenario": [15, 5], "difference": [5, -15]}
    )
    chart = comparison_chart(diff, "Utgångsläge", HOSTILE_NAME)
    figure_text = chart.figure.layout.title.text + "".join(chart.figure.data[0].hovertext)
    assert "<a href" not in figure_text and "&lt;a href=x&gt;" in figure_text
    assert HOSTILE_NAME in chart.title


# Widgets whose label, help, captions, tab names or (radio, pills, segmented control) options Streamlit renders
# as markdown: a block title or a pot label from a rules file would show its links and images there too.
WIDGETS = {
    "radio", "tabs", "metric", "number_input", "text_input", "text_area", "selectbox", "multiselect", "checkbox",
    "toggle", "slider", "select_slider", "date_input", "time_input", "expander", "button", "download_button",
    "popover", "segmented_control", "pills", "file_uploader", "color_picker", "form_submit_button", "link_button",
    "TextColumn", "NumberColumn", "SelectboxColumn", "CheckboxColumn", "DateColumn", "Column",
}  # fmt: skip
# Reviewed: text the code itself writes (constants picked in a loop, a table of the code's own labels).
REVIEWED = {
    "pages/overview/overview.py: label",  # "Till simuleringen" / "Till uppföljningen"
    "pages/data/import_export.py: label",  # the page's own tab names
    "pages/decision/decision.py: names",  # the page's own tab names
    "ui/followup.py: format_func=kinds.get",  # the three kinds of event
    "ui/decision_view.py: label",  # "Beslutet (PDF)", ...
    "ui/round_editor.py: label",  # DATE_COLUMNS
    "ui/imports.py: label",  # KINDS
    "ui/overview.py: label",  # _metric's callers pass the card's own labels
    "ui/money_input.py: label",  # escaped where it is shown: plain(label)
    "ui/grid.py: titles",  # column headers: the code's own, or a scenario's name escaped by label() (block_compare)
}
MARKDOWN_OPTIONS = {"radio", "segmented_control", "pills", "tabs"}  # their options render markdown too
# Names that hold text from a rules file, an import or a user (titles, labels, names, references, messages).
TEXT_NAMES = re.compile(r"(^|_)(titles?|short_title|labels?|names?|reference|message_sv|notice|note|text)$")


def _texts_outside_plain(node: ast.AST) -> list[str]:
    """Names and attributes that carry text (``TEXT_NAMES``) in ``node``, outside the escaping functions
    (``plain``, ``bullets``, ``label``)."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"plain", "bullets", "label"}:
        return []
    func = node.func if isinstance(node, ast.Call) else None
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "f":
        return []  # present.formats: numbers, amounts and dates
    found = []
    if isinstance(node, ast.Attribute) and TEXT_NAMES.search(node.attr):
        found.append(ast.unparse(node))
    elif isinstance(node, ast.Name) and TEXT_NAMES.search(node.id) and node.id.lower() == node.id:
        found.append(node.id)  # a local variable (an UPPER_CASE module constant is the code's own text)
    else:
        for child in ast.iter_child_nodes(node):
            found += _texts_outside_plain(child)
    return found


def _format_func_is_plain(node: ast.expr) -> bool:
    """A markdown widget's ``format_func``: a lambda returning ``plain(...)``, or a constant table's ``.get``."""
    if isinstance(node, ast.Lambda):
        return not _texts_outside_plain(node.body) and not (
            isinstance(node.body, ast.Subscript | ast.Call) and not _is_plain_call(node.body)
        )
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Dict):  # {"total": "Totalt belopp"}.get
        return all(isinstance(v, ast.Constant) for v in node.value.values)
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id.isupper()


def _is_plain_call(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"plain", "bullets", "label"}
    )


def test_no_widget_label_help_or_option_carries_unescaped_text() -> None:
    offenders = []
    files = [ROOT / "app.py", *(ROOT / "pages").rglob("*.py"), *(ROOT / "ui").rglob("*.py")]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            widget = node.func.attr
            if widget not in WIDGETS:
                continue
            where = f"{path.relative_to(ROOT)}"
            shown_args = [*node.args[:1], *(k.value for k in node.keywords if k.arg in {"label", "help", "captions"})]
            if widget in MARKDOWN_OPTIONS:
                func = next((k.value for k in node.keywords if k.arg == "format_func"), None)
                if func is None:  # with a format_func, what it returns is shown instead of the options
                    shown_args += node.args[1:2] if widget != "tabs" else []
                    shown_args += [k.value for k in node.keywords if k.arg in {"options", "tabs"}]
                if func is not None and not _format_func_is_plain(func):
                    offenders.append(f"{where}: format_func={ast.unparse(func)}")
            for arg in shown_args:
                offenders += [f"{where}: {t}" for t in _texts_outside_plain(arg)]
    assert sorted(set(offenders) - REVIEWED) == [], "\n".join(sorted(set(offenders) - REVIEWED))


HOSTILE_TITLE = "![x](http://evil.example/x.png) **bold** [Logga in](http://evil.example)"


def test_a_rules_files_block_title_and_pot_label_reach_the_widgets_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from streamlit.testing.v1 import AppTest

    from store.paths import DATA_ENV

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    blocks = (ROOT / "tests" / "rounds" / "at-2024-illustrative.toml").read_text(encoding="utf-8")
    title = re.search(r'(?m)^title = "(Block 1[^"]*)"', blocks)
    assert title is not None
    (data / "rounds" / "at-2024-illustrative.toml").write_text(blocks.replace(title.group(1), HOSTILE_TITLE))
    at_2023 = (data / "rounds" / "at-2023.toml").read_text(encoding="utf-8")
    (data / "rounds" / "at-2023.toml").write_text(at_2023.replace("252 000 000 kr (Bakgrund)", HOSTILE_TITLE))
    monkeypatch.setenv(DATA_ENV, str(data))

    at = AppTest.from_file("../app.py", default_timeout=90)
    at.session_state["omgang"] = "at-2024-illustrative"
    at.run()
    at.switch_page("pages/at/simulator.py").run()
    assert not at.exception, at.exception
    labels = [m.label for m in at.metric] + [t.label for t in at.tabs]
    hostile = [label for label in labels if HOSTILE_TITLE in shown(label)]
    assert len(hostile) == 2  # the block's metric and its tab
    for label in hostile:
        text, tags = rendered_text(label)
        assert HOSTILE_TITLE in text and not tags & {"a", "img", "strong"}

    at.session_state["omgang"] = "at-2023"
    at.run()
    options = at.radio(key="pot").options
    (label,) = [o for o in options if HOSTILE_TITLE in shown(o)]
    text, tags = rendered_text(label)
    assert HOSTILE_TITLE in text and not tags & {"a", "img", "strong"}
