"""File names for a round's documents, and all of them as one ZIP."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Iterable
from io import BytesIO

from allocation.decision import DECISION, Snapshot

_NOT_SAFE = re.compile(r"[^a-z0-9]+")
_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "æ": "ae", "ø": "o", "ß": "ss"})


def slug(text: str, limit: int = 60) -> str:
    """``vastra-gotaland``: lower case ASCII letters, digits and hyphens; never empty, never a path."""
    folded = unicodedata.normalize("NFKD", text.lower().translate(_FOLD))
    ascii_only = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _NOT_SAFE.sub("-", ascii_only).strip("-")[:limit].strip("-") or "x"


def decision_name(snapshot: Snapshot, extension: str) -> str:
    """``beslut-at-tjanster-2023-s2023-01234.pdf`` (``andringsbeslut-…`` for an amendment)."""
    kind = "beslut" if snapshot.kind == DECISION else "andringsbeslut"
    short = slug(snapshot.short_title or snapshot.round_title or snapshot.round_id, 40)
    return f"{kind}-{short}-{slug(snapshot.reference, 40)}.{extension}"


def letter_name(code: str, name: str, extension: str) -> str:
    """``14-vastra-gotaland.pdf``."""
    return f"{slug(code, 10)}-{slug(name, 40)}.{extension}"


def zip_files(files: Iterable[tuple[str, bytes]]) -> bytes:
    """A ZIP of (name, bytes); a repeated name gets a number; fixed dates, so equal input gives equal bytes."""
    buffer = BytesIO()
    seen: set[str] = set()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            stem, dot, ext = name.rpartition(".")
            unique, n = name, 1
            while unique in seen:
                n += 1
                unique = f"{stem}-{n}{dot}{ext}"
            seen.add(unique)
            info = zipfile.ZipInfo(unique, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()
