"""What a markdown body shows: the test's view of text escaped by ``ui.text.plain``."""

from __future__ import annotations

import re

_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def shown(markdown: object) -> str:
    """The markdown source with its backslash escapes resolved (as CommonMark renders them)."""
    return _ESCAPE.sub(r"\1", str(markdown))
