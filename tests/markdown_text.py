"""What a markdown body shows: the test's view of text escaped by ``ui.text.plain``."""

from __future__ import annotations

import re

_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def shown(markdown: object) -> str:
    """The markdown source with its backslash escapes resolved (as CommonMark renders them) and without
    the invisible word joiners that ``plain`` puts where an autolink would start."""
    return _ESCAPE.sub(r"\1", str(markdown)).replace("\u2060", "")
