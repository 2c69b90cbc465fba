"""The store as one principal sees it: every read and write checks ``store.access`` first.

Pages get a ``Session`` (never the ``Store``): what a role may not see is not read, and what it may
not do is refused here with a Swedish message and an audit entry, whatever the page shows or the
URL and session state ask for. Reads of per-region data are narrowed to the region a region user
may see (its own, and every region once the round's decision is published).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from allocation.at import RegionInput
from allocation.fixed import FixedRound
from allocation.inputs import Requisition
from allocation.regions import Region, RegionIndex
from allocation.rules import AtParams, AtRound
from store.access import Action, Principal, Role, decide
from store.model import EXPORTABLE_TABLES, AccessDenied, Actor, ImportResult, Scenario, User
from store.service import Store

T = TypeVar("T")


# Tables of the data page, by what reading them takes.
TABLE_ACTIONS = {"users": Action.READ_USERS, "audit_log": Action.READ_AUDIT}
# Audit entries about users and refused actions name people and their roles: staff administration only.
USER_AUDIT_ENTITIES = ("users", "access")


@dataclass(frozen=True)
class Session:
    store: Store
    principal: Principal

    # --- checks ----------------------------------------------------------------------------------

    @property
    def actor(self) -> Actor:
        return Actor(self.principal.name, self.principal.audit_role)

    def may(self, action: Action, region: str | None = None, round_id: str | None = None) -> bool:
        """Whether the action is allowed (for pages that hide what a role cannot use)."""
        return decide(self.principal, action, region, self._published(round_id)).allowed

    def require(self, action: Action, region: str | None = None, round_id: str | None = None) -> None:
        """Refuse (with an audit entry) unless the principal may take ``action``."""
        decision = decide(self.principal, action, region, self._published(round_id))
        if decision.allowed:
            return
        key = "/".join(part for part in (round_id, region) if part) or "-"
        self.store.record_refusal(self.actor, action.value, key, decision.message_sv)
        raise AccessDenied(decision.message_sv, decision.message_en)

    def _published(self, round_id: str | None) -> bool:
        return round_id is not None and self.store.is_published(round_id)

    def visible(self, action: Action, round_id: str | None = None) -> frozenset[str] | None:
        """The län codes whose data of this kind the principal may read (None: all)."""
        self.require(action, round_id=round_id)
        if self.principal.role is not Role.REGION or self._published(round_id):
            return None
        return frozenset({self.principal.region or ""})

    def _narrow(self, action: Action, round_id: str | None, items: Iterable[T], code: Any) -> list[T]:
        codes = self.visible(action, round_id)
        return [i for i in items if codes is None or code(i) in codes]

    def _narrow_map(self, action: Action, round_id: str | None, mapping: dict[str, Any]) -> dict[str, Any]:
        codes = self.visible(action, round_id)
        return {c: v for c, v in mapping.items() if codes is None or c in codes}

    def _narrow_frame(self, action: Action, round_id: str | None, frame: pd.DataFrame) -> pd.DataFrame:
        codes = self.visible(action, round_id)
        if codes is None:
            return frame
        return frame[frame["code"].isin(codes)].reset_index(drop=True)

    # --- published rules and planning data (every role) ----------------------------------------

    @property
    def path(self) -> Path:
        return self.store.path

    @property
    def generation(self) -> int:
        return self.store.generation

    def regions(self, population_date: date) -> tuple[Region, ...]:
        self.require(Action.READ_RULES)
        return self.store.regions(population_date)

    def latest_population_date(self) -> date:
        self.require(Action.READ_RULES)
        return self.store.latest_population_date()

    def region_index(self, population_date: date | None = None) -> RegionIndex:
        self.require(Action.READ_RULES)
        return self.store.region_index(population_date)

    def round_ids(self, kind: str | None = None) -> list[str]:
        self.require(Action.READ_RULES)
        return self.store.round_ids(kind)

    def round_document(self, round_id: str) -> dict[str, Any]:
        self.require(Action.READ_RULES)
        return self.store.round_document(round_id)

    def at_round(self, round_id: str) -> AtRound:
        self.require(Action.READ_RULES)
        return self.store.at_round(round_id)

    def fixed_round(self, round_id: str) -> FixedRound:
        self.require(Action.READ_RULES)
        return self.store.fixed_round(round_id)

    def round_kind(self, round_id: str) -> str | None:
        self.require(Action.READ_RULES)
        return self.store.round_kind(round_id)

    def decisions(self) -> dict[str, tuple[date, str]]:
        self.require(Action.READ_RULES)
        return self.store.decisions()

    def is_published(self, round_id: str) -> bool:
        return self._published(round_id)

    def facts(self) -> list[tuple[str, str]]:
        self.require(Action.READ_RULES)
        return self.store.facts()

    # --- per-region data, narrowed for region users ----------------------------------------------

    def at_reports(self, round_id: str) -> list[RegionInput]:
        return self._narrow(Action.READ_REPORTS, round_id, self.store.at_reports(round_id), lambda i: i.code)

    def at_report(self, code: str, round_id: str) -> RegionInput | None:
        """One region's report: refused (and logged) for a region user asking for another region."""
        self.require(Action.READ_REPORTS, code, round_id)
        return next((i for i in self.store.at_reports(round_id) if i.code == code), None)

    def at_reports_frame(self, round_id: str) -> pd.DataFrame:
        return self._narrow_frame(Action.READ_REPORTS, round_id, self.store.at_reports_frame(round_id))

    def report_dates(self, round_id: str) -> dict[str, date]:
        return self._narrow_map(Action.READ_STATUS, round_id, self.store.report_dates(round_id))

    def fixed_amounts(self, round_id: str) -> dict[str, tuple[int, str, str]]:
        return self._narrow_map(Action.READ_AMOUNTS, round_id, self.store.fixed_amounts(round_id))

    def requisitions(self, round_id: str) -> list[Requisition]:
        return self._narrow(Action.READ_FOLLOWUP, round_id, self.store.requisitions(round_id), lambda r: r.code)

    def requisitions_frame(self, round_id: str) -> pd.DataFrame:
        return self._narrow_frame(Action.READ_FOLLOWUP, round_id, self.store.requisitions_frame(round_id))

    def payouts(self, round_id: str) -> list[tuple[str, date, int]]:
        return self._narrow(Action.READ_FOLLOWUP, round_id, self.store.payouts(round_id), lambda p: p[0])

    def ombud_dates(self) -> dict[str, date]:
        return self._narrow_map(Action.READ_FOLLOWUP, None, self.store.ombud_dates())

    def usage_report_dates(self, round_id: str) -> dict[str, date]:
        return self._narrow_map(Action.READ_FOLLOWUP, round_id, self.store.usage_report_dates(round_id))

    def require_region(self, action: Action, code: str, round_id: str | None = None) -> None:
        """Check an explicit request for one region's data (a URL parameter, a widget value)."""
        self.require(action, code, round_id)

    # --- staff and managers ----------------------------------------------------------------------

    def scenario_names(self, round_id: str | None = None) -> list[str]:
        self.require(Action.READ_SCENARIOS)
        return self.store.scenario_names(round_id)

    def scenarios(self, round_id: str | None = None) -> list[Scenario]:
        self.require(Action.READ_SCENARIOS)
        return self.store.scenarios(round_id)

    def scenario(self, name: str) -> Scenario | None:
        self.require(Action.READ_SCENARIOS)
        return self.store.scenario(name)

    def readable_tables(self) -> list[str]:
        """The exportable tables this principal may read, in the export list's order."""
        return [t for t in EXPORTABLE_TABLES if self.may(TABLE_ACTIONS.get(t, Action.READ_TABLES))]

    def _hidden_audit(self) -> tuple[str, ...]:
        return () if self.may(Action.READ_USERS) else USER_AUDIT_ENTITIES

    def table(self, name: str) -> pd.DataFrame:
        self.require(TABLE_ACTIONS.get(name, Action.READ_TABLES))
        frame = self.store.table(name)
        if name == "audit_log" and (hidden := self._hidden_audit()):
            frame = frame[~frame["entity"].isin(hidden)].reset_index(drop=True)
        return frame

    def audit(self, limit: int = 500, entity: str | None = None) -> pd.DataFrame:
        self.require(Action.READ_AUDIT)
        return self.store.audit(limit, entity, self._hidden_audit())

    def audit_count(self) -> int:
        self.require(Action.READ_AUDIT)
        return self.store.audit_count(self._hidden_audit())

    def users(self) -> list[User]:
        self.require(Action.READ_USERS)
        return self.store.users()

    # --- writes (staff) ----------------------------------------------------------------------------

    def record_at_report(
        self, reason: str, round_id: str, item: RegionInput, received: date, source: str = "manuell"
    ) -> bool:
        self.require(Action.WRITE_REPORTS, item.code, round_id)
        return self.store.record_at_report(self.actor, reason, round_id, item, received, source)

    def import_at_reports(
        self,
        reason: str,
        round_id: str,
        data: bytes,
        filename: str,
        received: date | None = None,
        dry_run: bool = False,
    ) -> ImportResult:
        self.require(Action.IMPORT, round_id=round_id)
        return self.store.import_at_reports(self.actor, reason, round_id, data, filename, received, dry_run)

    def import_requisitions(
        self, reason: str, round_id: str, data: bytes, filename: str, dry_run: bool = False
    ) -> ImportResult:
        self.require(Action.IMPORT, round_id=round_id)
        return self.store.import_requisitions(self.actor, reason, round_id, data, filename, dry_run)

    def import_official_amounts(
        self, reason: str, round_id: str, data: bytes, filename: str, source_note: str, dry_run: bool = False
    ) -> ImportResult:
        self.require(Action.IMPORT, round_id=round_id)
        return self.store.import_official_amounts(self.actor, reason, round_id, data, filename, source_note, dry_run)

    def record_requisition(self, reason: str, round_id: str, item: Requisition, source: str = "manuell") -> bool:
        self.require(Action.WRITE_FOLLOWUP, item.code, round_id)
        return self.store.record_requisition(self.actor, reason, round_id, item, source)

    def record_payout(
        self, reason: str, round_id: str, code: str, paid_on: date, amount: int, reference: str = ""
    ) -> int:
        self.require(Action.WRITE_FOLLOWUP, code, round_id)
        return self.store.record_payout(self.actor, reason, round_id, code, paid_on, amount, reference)

    def record_ombud(self, reason: str, code: str, approved_on: date) -> bool:
        self.require(Action.WRITE_FOLLOWUP, code)
        return self.store.record_ombud(self.actor, reason, code, approved_on)

    def record_usage_report(self, reason: str, round_id: str, code: str, received: date, reference: str = "") -> bool:
        self.require(Action.WRITE_FOLLOWUP, code, round_id)
        return self.store.record_usage_report(self.actor, reason, round_id, code, received, reference)

    def save_scenario(
        self,
        reason: str,
        name: str,
        round_id: str,
        params: AtParams,
        inputs: list[RegionInput] | tuple[RegionInput, ...],
        note: str = "",
        overwrite: bool = False,
    ) -> Scenario:
        self.require(Action.SAVE_SCENARIO, round_id=round_id)
        return self.store.save_scenario(self.actor, reason, name, round_id, params, inputs, note, overwrite)

    def delete_scenario(self, reason: str, name: str) -> bool:
        self.require(Action.SAVE_SCENARIO)
        return self.store.delete_scenario(self.actor, reason, name)

    def record_decision(self, reason: str, round_id: str, published_on: date, reference: str) -> bool:
        self.require(Action.PUBLISH_DECISION, round_id=round_id)
        return self.store.record_decision(self.actor, reason, round_id, published_on, reference)

    def save_user(self, reason: str, user: User) -> bool:
        self.require(Action.MANAGE_USERS)
        return self.store.save_user(self.actor, reason, user)

    def backup(self, destination: Path) -> Path:
        self.require(Action.BACKUP)
        return self.store.backup(destination)
