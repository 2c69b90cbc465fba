"""``ui.text.label``: a widget label shows rules-file text as written, with no markup and as few backslashes as
possible (a screen reader reads the label's raw text as the widget's name)."""

from __future__ import annotations

import html
import string

from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from ui.text import JOINER, label

MD = MarkdownIt("commonmark").enable("strikethrough").enable("table")
TEXT = st.text(alphabet=string.ascii_letters[:6] + "åö 0123" + string.punctuation, max_size=40)


def rendered(markdown: str) -> str:
    return MD.render(markdown).strip()


@given(TEXT)
def test_a_label_renders_as_the_text_itself(text: str) -> None:
    out = rendered(label(text))
    expected = html.escape(text.strip(), quote=True).replace("&#x27;", "'")
    if not text.strip():
        return
    assert out.startswith("<p>") and out.endswith("</p>"), out
    body = out[3:-4].replace(JOINER, "").replace("&#x27;", "'")
    assert body == expected, (text, label(text), out)


def test_ordinary_titles_keep_their_punctuation() -> None:
    for title in ("Block 2: prestationsbaserade medel", "AT-tjänster 2023 (illustrativ)", "kr/år, 5 %; ja?"):
        assert label(title) == title
    assert label("2023. Omgång").startswith("2023\\.")
    assert label("[x](http://a.se)").startswith("\\[")
