"""PDF through Typst's Python package, from the templates in ``documents/templates/``.

The document's content goes in as JSON (``sys.inputs.data``) and the templates place it as strings:
no user text is ever pasted into Typst markup. Only Typst's embedded fonts are used (Libertinus Serif),
so a PDF looks the same on every machine, and the creation date is the decision's, so the same
snapshot gives the same bytes.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import typst

from documents.model import Document, to_data

TEMPLATES = Path(__file__).resolve().parent / "templates"


@cache
def _fonts() -> typst.Fonts:
    return typst.Fonts(include_system_fonts=False)


def timestamp(iso: str) -> int | None:
    """UNIX seconds of an ISO date or date-time (naive: UTC), or None if it cannot be read."""
    try:
        moment = datetime.fromisoformat(iso.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        return int(moment.replace(tzinfo=UTC).timestamp())
    return int(moment.timestamp())


def render(doc: Document, when: str = "") -> bytes:
    """The PDF of a document, laid out by ``templates/<kind>.typ``."""
    data = json.dumps(to_data(doc), ensure_ascii=False)
    pdf = typst.compile(
        str(TEMPLATES / f"{doc.kind}.typ"),
        root=str(TEMPLATES),
        font_paths=_fonts(),
        ignore_system_fonts=True,
        sys_inputs={"data": data},
        timestamp=timestamp(when) if when else 0,
    )
    assert isinstance(pdf, bytes)
    return pdf
