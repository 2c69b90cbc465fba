"""The AT rounds' reports from the regions: read, recorded one by one, imported from a file."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from allocation.at import RegionInput
from allocation.planned import parse_planned
from allocation.regions import RegionIndex
from ingest.inputs import read_reports
from store.core import Tx
from store.model import Actor, ImportResult, fraction_text
from store.rounds import IMPORTED, RECORDED, RoundsMixin
from store.sql import upsert

REPORT_COLUMNS = (
    "round_id",
    "code",
    "filled",
    "started",
    "excluded",
    "planned_override",
    "received",
    "source",
    "updated_at",
)

_REPORTS = ("AT reports", "AT-rapporter")


class ReportsMixin(RoundsMixin):
    """AT reports per round and region (``at_reports``), written one at a time or by a whole file."""

    def at_reports(self, round_id: str) -> list[RegionInput]:
        return list(self._cached(("at_reports", round_id), lambda: self._read_reports(round_id)))

    def _read_reports(self, round_id: str) -> tuple[RegionInput, ...]:
        rows = self.query(
            "SELECT code, filled, started, excluded, planned_override FROM at_reports WHERE round_id = ? ORDER BY code",
            [round_id],
        )
        return tuple(
            RegionInput(code, filled, started, excluded, None if planned is None else parse_planned(planned))
            for code, filled, started, excluded, planned in rows
        )

    def at_reports_frame(self, round_id: str) -> pd.DataFrame:
        return self.frame(
            "SELECT a.code, r.name AS region, a.filled, a.started, a.excluded, a.planned_override, a.received, "
            "a.source, a.updated_at FROM at_reports a JOIN regions r USING (code) WHERE a.round_id = ? ORDER BY a.code",
            [round_id],
        )

    def _report_row(self, tx: Tx, round_id: str, code: str) -> dict[str, Any] | None:
        rows = tx.execute(
            "SELECT filled, started, excluded, planned_override, received, source FROM at_reports "
            "WHERE round_id = ? AND code = ?",
            [round_id, code],
        ).fetchall()
        if not rows:
            return None
        filled, started, excluded, planned, received, source = rows[0]
        return {
            "filled": filled,
            "started": started,
            "excluded": excluded,
            "planned": planned,
            "received": received,
            "source": source,
        }

    def _write_report(self, tx: Tx, round_id: str, item: RegionInput, received: date, source: str) -> bool:
        """Upsert one report; returns whether anything changed. Same figures again change nothing."""
        before = self._report_row(tx, round_id, item.code)
        planned = None if item.planned is None else fraction_text(item.planned)
        figures = {"filled": item.filled, "started": item.started, "excluded": item.excluded, "planned": planned}
        if before is not None and all(before[k] == v for k, v in figures.items()):
            return False
        after = figures | {"received": received, "source": source}
        tx.execute(
            upsert("at_reports", REPORT_COLUMNS, ("round_id", "code")),
            [round_id, item.code, item.filled, item.started, item.excluded, planned, received, source, tx.at],
        )
        tx.audit("insert" if before is None else "update", "at_reports", f"{round_id}/{item.code}", before, after)
        return True

    def record_at_report(
        self, actor: Actor, reason: str, round_id: str, item: RegionInput, received: date, source: str = "manuell"
    ) -> bool:
        self._check_no_example_data()
        self._check_round_kind(round_id, "performance", _REPORTS, RECORDED)
        self._check_code(item.code)
        with self.transaction(actor, reason) as tx:
            return self._write_report(tx, round_id, item, received, source)

    def import_at_reports(
        self,
        actor: Actor,
        reason: str,
        round_id: str,
        data: bytes,
        filename: str,
        received: date | None = None,
        dry_run: bool = False,
    ) -> ImportResult:
        """Validate the whole file first (``InputError`` lists every problem), then write it in one transaction."""
        self._check_no_example_data()
        self._check_round_kind(round_id, "performance", _REPORTS, IMPORTED)
        at_round = self.at_round(round_id)
        items = read_reports(data, RegionIndex(at_round.regions))
        received = received or self.clock().date()
        if dry_run:
            current = {i.code: i for i in self.at_reports(round_id)}
            changed = sum(1 for item in items if current.get(item.code) != item)
            return ImportResult(len(items), changed, len(items) - changed)
        with self.transaction(actor, reason) as tx:
            changed = sum(self._write_report(tx, round_id, item, received, filename) for item in items)
        return ImportResult(len(items), changed, len(items) - changed)

    def report_dates(self, round_id: str) -> dict[str, date]:
        return dict(self.query("SELECT code, received FROM at_reports WHERE round_id = ?", [round_id]))
