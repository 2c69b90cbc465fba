"""The recipients' reports for any round: what its rules name (``allocation.report_values``), with the date
each was received; recorded one by one (a form) or imported from a file, every write audited.

One row per round and recipient in ``at_reports`` (the table keeps its first name): positions filled,
started and excluded in their columns, any other value in ``other_values``, the report's own planned
figure, and the date received. A report is a change when a value or its date changes: a wrong date is
corrected by recording the report again with the right one.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import pandas as pd

from allocation.planned import parse_number, parse_planned
from allocation.report_values import AT_PARTS, Report, ReportSpec, engine_values, report_spec
from ingest.reports import read_round_reports
from present import formats as f
from store.access import Action
from store.access_rules import by_code, by_frame, by_key, by_values, narrowed, reads, writes
from store.core import StoreCore, Tx
from store.model import INFO, WARNING, Actor, CheckItem, ImportResult, WriteRefused, fraction_text
from store.rounds import Rounds
from store.sql import upsert

if TYPE_CHECKING:
    pass

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
    "other_values",
)
_SELECT = "SELECT code, filled, started, excluded, planned_override, received, other_values FROM at_reports"


def _report(row: tuple[Any, ...]) -> Report:
    code, filled, started, excluded, planned, received, other = row
    values = {k: Fraction(v) for k, v in zip(AT_PARTS, (filled, started, excluded), strict=True) if v is not None}
    values |= {k: parse_number(v) for k, v in json.loads(other or "{}").items()}
    return Report(code, values, received, None if planned is None else parse_planned(planned))


def _fields(report: Report) -> dict[str, Any]:
    """The report as the audit log and the comparison see it: values as exact text, the date, the planned."""
    fields: dict[str, Any] = {k: _exact(Fraction(v)) for k, v in sorted(report.values.items())}
    fields["planned"] = None if report.planned is None else fraction_text(report.planned)
    fields["received"] = report.received
    return fields


class Reports:
    """Reports per round and recipient, written one at a time or by a whole file, for any round of blocks."""

    def __init__(self, core: StoreCore, rounds: Rounds) -> None:
        self._core = core
        self._rounds = rounds

    # --- reading ------------------------------------------------------------------------------------

    @reads(Action.READ_RULES)
    def report_spec(self, round_id: str) -> ReportSpec:
        """What the round's recipients report and which report dates count (from its rules)."""
        return report_spec(self._rounds.block_round(round_id))

    @narrowed(Action.READ_REPORTS, by_code)
    def reports(self, round_id: str) -> list[Report]:
        def compute() -> tuple[Report, ...]:
            return tuple(
                _report(r) for r in self._core.query(f"{_SELECT} WHERE round_id = ? ORDER BY code", [round_id])
            )

        return list(self._core.cached(("reports", round_id), compute))

    @narrowed(Action.READ_REPORTS, by_values)
    def report_values(self, round_id: str) -> dict[str, dict[str, Fraction]]:
        """The reports as the engine's values (key -> recipient -> value): what the simulation and decision use."""
        return engine_values(self.reports(round_id))

    @narrowed(Action.READ_REPORTS, by_frame)
    def reports_frame(self, round_id: str) -> pd.DataFrame:
        """One row per report: code, region, the round's values, its own planned figure (a round with a planning
        document), received, source, updated."""
        spec = self.report_spec(round_id)
        rows = self._core.query(
            "SELECT a.code, r.name, a.planned_override, a.received, a.source, a.updated_at FROM at_reports a "
            "JOIN regions r USING (code) WHERE a.round_id = ? ORDER BY a.code",
            [round_id],
        )
        reports = {r.code: r for r in self.reports(round_id)}
        data = []
        for code, name, planned, received, source, updated in rows:
            values = reports[code].values
            row = {"code": code, "region": name} | {k: _shown(values.get(k)) for k in spec.values}
            data.append(
                row | {"planned_override": planned, "received": received, "source": source, "updated_at": updated}
            )
        planned = ["planned_override"] if spec.planned_override else []  # a round with a planning document
        columns = ["code", "region", *spec.values, *planned, "received", "source", "updated_at"]
        return pd.DataFrame(data, columns=columns)

    @narrowed(Action.READ_STATUS, by_key)
    def report_dates(self, round_id: str) -> dict[str, date]:
        return dict(self._core.query("SELECT code, received FROM at_reports WHERE round_id = ?", [round_id]))

    def report_check(self, round_id: str) -> list[CheckItem]:
        """Before a decision: which recipients have not reported, and whose report came after the last day that
        counts for a block paid on reporting (nothing for a round whose rules use no report)."""
        spec = self.report_spec(round_id)
        if not spec.accepts_reports:
            return []
        round_, recipients = self._rounds.block_round(round_id), self._rounds.recipients(round_id)
        names = {r.code: r.name for r in recipients}
        dates = {c: d for c, d in self.report_dates(round_id).items() if c in names}
        missing = [r.name for r in recipients if r.code not in dates]
        zero = "utfall 0" if set(spec.values) & set(AT_PARTS) else "värdet 0"
        items = [
            CheckItem(
                WARNING,
                f"Rapport saknas från {len(missing)} av {len(recipients)} regioner ({', '.join(missing)}); "
                f"de räknas med {zero}.",
            )
            if missing
            else CheckItem(INFO, f"Rapporter från alla {len(recipients)} regioner.")
        ]
        for event, by in spec.deadlines:
            late = [f"{names[c]} {f.long_date(d)}" for c, d in sorted(dates.items()) if d > by]
            blocks = " och ".join(b.title for b in round_.blocks if getattr(b.params, "event", None) == event)
            if late and blocks:
                regions = "region" if len(late) == 1 else "regioner"
                items.append(
                    CheckItem(
                        WARNING,
                        f"Rapport efter {f.long_date(by)} från {len(late)} {regions} "
                        f"({', '.join(late)}); "
                        f"den räknas inte för {blocks}.",
                    )
                )
        return items

    # --- writing ------------------------------------------------------------------------------------

    @reads(Action.READ_RULES)
    def report_round_ids(self) -> list[str]:
        """The rounds whose rules use something the recipients report (values or the date of a report)."""
        return [r for r in self._rounds.round_ids() if self._takes_reports(r)]

    def _takes_reports(self, round_id: str) -> bool:
        try:
            return self.report_spec(round_id).accepts_reports
        except (KeyError, ValueError):  # rules the store cannot read as a round: nothing is reported to them
            return False

    def _accepting(self, round_id: str) -> ReportSpec:
        """The round's spec; a round that is unknown or whose rules use no report is refused, naming those that do."""
        known = round_id in self._rounds.round_ids()
        if known and self._takes_reports(round_id):
            return self.report_spec(round_id)
        fitting = self.report_round_ids()
        titles = ", ".join(f"”{self._short_title(r)}”" for r in fitting) or "ingen omgång"
        if not known:
            head_sv, head_en = f"Okänd bidragsomgång ”{round_id}”", f"unknown round {round_id!r}"
        else:
            name = self._short_title(round_id)
            head_sv = (
                f"Bidragsomgången ”{name}” tar inte emot rapporter (dess regler använder inga rapporterade värden)"
            )
            head_en = f"round {round_id!r} takes no reports (its rules use no reported value)"
        raise WriteRefused(
            f"{head_sv}; rapporter tas emot för {titles}.",
            f"{head_en}; rounds that take reports: {', '.join(fitting) or 'none'}",
        )

    def _short_title(self, round_id: str) -> str:
        doc = self._rounds.round_document(round_id)
        return str(doc.get("short_title") or doc.get("title") or round_id)

    def _stored(self, tx: Tx, round_id: str, code: str) -> Report | None:
        rows = tx.execute(f"{_SELECT} WHERE round_id = ? AND code = ?", [round_id, code]).fetchall()
        return _report(rows[0]) if rows else None

    def write_report(self, tx: Tx, round_id: str, report: Report, source: str) -> bool:
        """Upsert one report; returns whether anything changed. The same values and date again change nothing."""
        before = self._stored(tx, round_id, report.code)
        after = _fields(report)
        if before is not None and _fields(before) == after:
            return False
        at = [int(report.values[k]) if k in report.values else None for k in AT_PARTS]
        other = {k: fraction_text(Fraction(v)) for k, v in sorted(report.values.items()) if k not in AT_PARTS}
        planned = None if report.planned is None else fraction_text(report.planned)
        tx.execute(
            upsert("at_reports", REPORT_COLUMNS, ("round_id", "code")),
            [round_id, report.code, *at, planned, report.received, source, tx.at, json.dumps(other, sort_keys=True)],
        )
        old = None if before is None else _fields(before)
        tx.audit("insert" if before is None else "update", "at_reports", f"{round_id}/{report.code}", old, after)
        return True

    def _check_report(self, spec: ReportSpec, report: Report) -> None:
        missing = [k for k in spec.required if k not in report.values]
        unknown = [k for k in report.values if k not in spec.values]
        if missing or unknown:
            raise WriteRefused(
                "Rapporten stämmer inte med omgångens regler (värden saknas eller är okända).",
                f"the report does not fit the round: missing {missing}, unknown {unknown}",
            )
        if any(spec.whole(k) and Fraction(v).denominator != 1 for k, v in report.values.items()):
            raise WriteRefused("Antal tjänster är hela tal.", "positions are whole numbers")
        if report.planned is not None and not spec.planned_override:
            raise WriteRefused("Omgången har inget planeringsunderlag.", "the round has no planned positions")
        today = self._core.clock().date()
        if report.received is None or report.received > today:
            raise WriteRefused(
                "Ange dagen rapporten togs emot (i dag eller tidigare).",
                "give the day the report was received (today or earlier)",
            )

    @writes(Action.WRITE_REPORTS, region="report.code")
    def record_report(self, actor: Actor, reason: str, round_id: str, report: Report, source: str = "manuell") -> bool:
        """Record or correct one recipient's report (its values and the date received); audited."""
        self._rounds.check_no_example_data()
        spec = self._accepting(round_id)
        self._rounds.check_code(report.code)
        report = replace(report, values={k: report.values.get(k, Fraction(0)) for k in spec.optional} | report.values)
        self._check_report(spec, report)
        with self._core.transaction(actor, reason) as tx:
            return self.write_report(tx, round_id, report, source)

    @writes(Action.IMPORT)
    def import_reports(
        self,
        actor: Actor,
        reason: str,
        round_id: str,
        data: bytes,
        filename: str,
        received: date | None = None,
        dry_run: bool = False,
    ) -> ImportResult:
        """Validate the whole file first (``InputError`` lists every problem), then write it in one transaction.

        ``received`` dates the rows that have no date of their own (a column ``Mottagen``/``received``);
        without it every row needs one: a report is never silently dated today.
        """
        self._rounds.check_no_example_data()
        spec = self._accepting(round_id)
        items = read_round_reports(data, self._rounds.region_index(), spec, received, self._core.clock().date())
        if dry_run:
            current = {r.code: _fields(r) for r in self.reports(round_id)}
            changes = [(i.code, _changed(current.get(i.code), _fields(i))) for i in items]
            changes = [(code, fields) for code, fields in changes if fields is None or fields]
            found = tuple((code, fields or ()) for code, fields in changes)
            return ImportResult(len(items), len(found), len(items) - len(found), found)
        with self._core.transaction(actor, reason) as tx:
            changed = sum(self.write_report(tx, round_id, item, filename) for item in items)
        return ImportResult(len(items), changed, len(items) - changed)


def _changed(before: dict[str, Any] | None, after: dict[str, Any]) -> tuple[tuple[str, Any, Any], ...] | None:
    """The fields that differ, each with its value before and after (None: a new report)."""
    if before is None:
        return None
    return tuple(
        (k, before.get(k), after.get(k)) for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)
    )


def _exact(value: Fraction) -> int | str:
    """A whole number as itself (as the log has always shown counts), any other as exact decimal text."""
    return int(value) if value.denominator == 1 else fraction_text(value)


def _shown(value: Fraction | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value.denominator == 1 else float(value)
