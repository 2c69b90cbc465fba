"""The register of decisions on the users page (staff): one row per decision, each with its own reference and
publication date, and whether it is published yet (an amendment to be published never borrows the date of the
decision it changes)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from allocation import decision as d
from store.session import Session

COLUMNS = ["round_id", "kind", "reference", "published_on", "Status"]


def decision_rows(store: Session, titles: dict[str, str]) -> pd.DataFrame:
    """Every round's decisions, oldest first; a round published before snapshots existed by its record."""
    today = store.today()
    recorded = store.decisions.decisions()
    rows: list[dict[str, Any]] = []
    for round_id in store.rounds.round_ids():
        title = titles.get(round_id, round_id)  # users see titles, never ids
        listed = store.decisions.decision_list(round_id) if round_id in recorded else []
        entries = [(s.kind, s.reference, s.published_on) for s in listed]
        if not entries and round_id in recorded:
            entries = [(d.DECISION, recorded[round_id][1], recorded[round_id][0])]
        for kind, reference, published_on in entries:
            status = "publicerat" if published_on <= today else "inte publicerat ännu"
            rows.append(
                {
                    "round_id": title,
                    "kind": "Ändringsbeslut" if kind == d.AMENDMENT else "Beslut",
                    "reference": reference,
                    "published_on": published_on,
                    "Status": status,
                }
            )
    return pd.DataFrame(rows, columns=COLUMNS)
