"""Text for a terminal: what a rules file, a cell or a name holds can never drive the terminal that prints it.

An escape (U+001B) in a title or a cell, printed raw, can clear the screen, set the window title or hide
what follows; a bidirectional override (U+202E) reorders what the reader sees. The command lines
(``python -m store``, ``python -m cli``) write through ``SafeStream``: every control character but tab,
newline and carriage return (a CSV's line ends), every bidirectional control and every invisible
character is written as ``\\uXXXX`` (``allocation.rules_text`` names the same characters).
"""

from __future__ import annotations

import re
import sys
from typing import Any, TextIO

from allocation.rules_text import BIDI, INVISIBLE

_UNSAFE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{BIDI}{INVISIBLE}\u2028\u2029]")


def terminal_safe(text: str) -> str:
    """``text`` with every character that could drive a terminal written as ``\\uXXXX``."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class SafeStream:
    """A text stream that writes ``terminal_safe`` text to the stream it wraps (everything else delegated)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(terminal_safe(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def protect_output() -> None:
    """Route this process's standard output and error through ``SafeStream`` (the command lines' entry points)."""
    if not isinstance(sys.stdout, SafeStream):
        sys.stdout = SafeStream(sys.stdout)  # type: ignore[assignment]
    if not isinstance(sys.stderr, SafeStream):
        sys.stderr = SafeStream(sys.stderr)  # type: ignore[assignment]
