"""Reading the dashboard's HTML results table back into numbers, for tests."""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _number(text: str) -> object:
    """``12 000 000 kr`` → 12000000, ``4,90`` → 4.9, ``–`` → None; other text as it is."""
    cleaned = text.replace("\u00a0", "").replace(" kr", "").replace("kr", "").replace(" ", "").replace(",", ".")
    if text in ("–", ""):
        return None
    try:
        value = float(cleaned)
    except ValueError:
        return text
    return int(value) if value.is_integer() and "," not in text else value


def parse_results_html(html: str) -> pd.DataFrame:
    parser = _Cells()
    parser.feed(html)
    header, *rows = [r for r in parser.rows if r]
    frame = pd.DataFrame(rows, columns=header)
    for column in header[2:]:
        frame[column] = frame[column].map(_number)
    return frame
