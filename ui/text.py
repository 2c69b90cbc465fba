r"""User- and file-supplied text inside Streamlit's markdown, shown as the characters it is.

Streamlit renders the body of ``st.markdown``, ``st.error``, ``st.caption``, ``st.toast`` and most labels
as markdown: a file's ``![x](http://host/p.png)`` would make the browser fetch an outside image, and
``[Logga in igen](http://…)`` would put a link inside the app's own message. ``plain`` escapes every
ASCII punctuation character with a backslash (CommonMark: "any ASCII punctuation character may be
backslash-escaped"), which also stops Streamlit's ``:color[…]`` and ``:material/…:`` directives and
``$…$`` math. Line breaks become spaces, so a value cannot start a heading or a list.

Escapes cannot stop GitHub-style autolinks: Streamlit's remark-gfm finds ``http://…``, ``www.…`` and
``name@host.se`` in the *decoded* text (``/(https?:\/\/|www(?=\.))…/gi`` and an e-mail pattern, seen in
its bundle, 1.67). So ``plain`` also puts an invisible WORD JOINER (U+2060) where those patterns need two
characters side by side: between ``:`` and ``//``, ``www`` and ``.``, ``@`` and the domain; and between
``:`` and a letter, since Streamlit's emoji and icon shortcodes (``:smile:``, ``:material/home:``) are
also found in the decoded text. The text reads as it was written; only the link or emoji is gone
(tests/browser/test_hostile.py checks it in Chromium).
"""

from __future__ import annotations

import re
import string

_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")
JOINER = "\u2060"
_AUTOLINK = re.compile(r"(:)(?=//|\w)|(www)(?=\.)|(@)", re.IGNORECASE)


def unlinked(text: str) -> str:
    """``text`` with a word joiner wherever Streamlit's autolinker would start a link."""
    return _AUTOLINK.sub(lambda m: m.group(0) + JOINER, text)


def plain(text: object) -> str:
    """``text`` escaped for a markdown body: it renders as itself, never as markup."""
    return _PUNCTUATION.sub(r"\\\1", unlinked(_LINE_BREAKS.sub(" ", str(text))))


def code(text: object) -> str:
    """``text`` as an inline code span: shown as the characters it is, with nothing invisible added.

    Inside a code span CommonMark takes every character literally and remark-gfm finds no autolink, so an
    e-mail address or web address stays plain text that copies as typed (``plain`` needs a word joiner
    there). The fence is one backtick longer than any run of backticks in the text.
    """
    line = _LINE_BREAKS.sub(" ", str(text))
    fence = "`" * (max((len(run) for run in re.findall("`+", line)), default=0) + 1)
    pad = " " if line.startswith("`") or line.endswith("`") else ""
    return f"{fence}{pad}{line}{pad}{fence}"


# Punctuation that is no markup wherever it stands in one line of text: a widget label keeps it as written, so
# that a screen reader's name for the widget (its aria-label is the label's raw text) has no backslashes.
_INERT = set(",.;'\"?%/=")
_INERT_UNLESS_LINKED = set("()!")  # markup only right after "]" (a link) or before "[" (an image)


def label(text: object) -> str:
    """``text`` for a widget label: shown as itself like ``plain``, with fewer escapes where none is needed.

    A colon is kept unless a letter or ``//`` follows it (an emoji, icon or link would start there: ``plain``
    puts a word joiner there too); a hyphen unless the text starts with it (a list); parentheses and ``!``
    unless the text has a ``[``; a period or parenthesis right after leading digits (a numbered list).
    """
    line = unlinked(_LINE_BREAKS.sub(" ", str(text)))
    keep = _INERT | (set() if "[" in line else _INERT_UNLESS_LINKED)
    out = []
    for i, ch in enumerate(line):
        inert = ch in keep or (ch == ":" and line[i + 1 : i + 2] != JOINER) or (ch == "-" and i > 0)
        if ch in ".)" and line[:i].isdigit():  # "2023. " or "1) " would start a numbered list
            inert = False
        out.append(ch if inert or ch not in string.punctuation else "\\" + ch)
    return "".join(out)


def bullets(lines: list[str]) -> str:
    """A markdown list whose items are shown as plain text."""
    return "\n".join(f"- {plain(line)}" for line in lines)
