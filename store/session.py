"""The store as one principal sees it: every read and write checks ``store.access`` first.

Pages get a ``Session`` (never the ``Store``): what a role may not see is not read, and what it may
not do is refused here with a Swedish message and an audit entry, whatever the page shows or the
URL and session state ask for. Reads of per-region data are narrowed to the region a region user
may see (its own, and every region once the round's decision is published).

Most of the Session is a table: each ``Store`` method it offers is named once, with the action it
takes and (for per-region reads) how its rows are narrowed, or (for writes) which argument names the
region. Three kinds of entry, each one generic wrapper:

- ``_Guarded``: ``require(action)``, then the store's method as it is;
- ``_Narrowed``: ``visible(action, round_id)``, then the store's rows of the visible regions only;
- ``_Write``: ``require(action, region, round_id)``, then the store's method with the principal as actor.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, overload

import pandas as pd

from allocation.decision import Snapshot
from allocation.report_values import Report
from store.access import Action, Principal, Role, decide
from store.model import EXPORTABLE_TABLES, AccessDenied, Actor
from store.service import Store

__all__ = ["TABLE_ACTIONS", "USER_AUDIT_ENTITIES", "AccessDenied", "Session"]

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")
V = TypeVar("V")

# Tables of the data page, by what reading them takes.
TABLE_ACTIONS = {"users": Action.READ_USERS, "audit_log": Action.READ_AUDIT}
# Audit entries about users and refused actions name people and their roles: staff administration only.
USER_AUDIT_ENTITIES = ("users", "access")

Codes = frozenset[str] | None  # the län codes a principal may see; None: all


# --- how the rows of a per-region read are narrowed ------------------------------------------------


def _rows(code: Callable[[T], str]) -> Callable[[Iterable[T], Codes], list[T]]:
    """A list of rows, each with its län code (``code(row)``)."""

    def narrow(items: Iterable[T], codes: Codes) -> list[T]:
        return [i for i in items if codes is None or code(i) in codes]

    return narrow


def _keys(mapping: dict[str, V], codes: Codes) -> dict[str, V]:
    """A mapping keyed by län code."""
    return {c: v for c, v in mapping.items() if codes is None or c in codes}


def _values(values: dict[str, dict[str, V]], codes: Codes) -> dict[str, dict[str, V]]:
    """Values by key, each a mapping keyed by län code."""
    return {k: _keys(by_code, codes) for k, by_code in values.items()}


def _frame(frame: pd.DataFrame, codes: Codes) -> pd.DataFrame:
    """A frame with a ``code`` column."""
    if codes is None:
        return frame
    return frame[frame["code"].isin(codes)].reset_index(drop=True)


# --- the three kinds of entry ----------------------------------------------------------------------


class _Entry(Generic[P, R]):
    """A Session attribute standing for the ``Store`` method of the same name."""

    hidden = 1  # leading parameters of the store's method that the Session fills in (``self``)

    def __init__(self, method: Callable[..., R]) -> None:
        self.name = method.__name__
        self.signature = inspect.signature(method)
        parameters = list(self.signature.parameters.values())[self.hidden :]
        self.public_signature = self.signature.replace(parameters=parameters)

    def __set_name__(self, owner: type, name: str) -> None:
        if name != self.name:  # a slip in the table: the entry must offer the method it names
            raise TypeError(f"Session.{name} stands for Store.{self.name}")

    @overload
    def __get__(self, session: None, owner: type) -> _Entry[P, R]: ...
    @overload
    def __get__(self, session: Session, owner: type) -> Callable[P, R]: ...
    def __get__(self, session: Session | None, owner: type) -> _Entry[P, R] | Callable[P, R]:
        if session is None:
            return self
        bound = session

        def call(*args: P.args, **kwargs: P.kwargs) -> R:
            return self.call(bound, getattr(bound.store, self.name), *args, **kwargs)

        call.__name__ = call.__qualname__ = self.name
        call.__signature__ = self.public_signature  # type: ignore[attr-defined]
        call.__doc__ = f"``Store.{self.name}``, as this principal may use it (see ``Session``)."
        return call

    def call(self, session: Session, method: Callable[..., R], *args: Any, **kwargs: Any) -> R:
        raise NotImplementedError


class _Guarded(_Entry[P, R]):
    """A read (or a backup) allowed or refused as a whole: ``require(action)``, then the store's method."""

    def __init__(self, method: Callable[Concatenate[Store, P], R], action: Action) -> None:
        super().__init__(method)
        self.action = action

    def call(self, session: Session, method: Callable[..., R], *args: Any, **kwargs: Any) -> R:
        session.require(self.action)
        return method(*args, **kwargs)


class _Narrowed(_Entry[P, R]):
    """A per-region read: only the rows of the regions the principal may see (the store's ``round_id``
    argument, if any, says which round's decision makes every region visible)."""

    def __init__(
        self, method: Callable[Concatenate[Store, P], R], action: Action, narrow: Callable[[R, Codes], R]
    ) -> None:
        super().__init__(method)
        self.action = action
        self.narrow = narrow

    def call(self, session: Session, method: Callable[..., R], *args: Any, **kwargs: Any) -> R:
        round_id = self.signature.bind(None, *args, **kwargs).arguments.get("round_id")
        codes = session.visible(self.action, round_id)
        return self.narrow(method(*args, **kwargs), codes)


class _Write(_Entry[P, R]):
    """A write: ``require(action, region, round_id)``, then the store's method with the principal as actor.

    ``region`` names the argument that holds the region written for (``"code"``, ``"item.code"``); the
    store's ``round_id`` argument, if any, is passed along for the refusal's audit entry.
    """

    hidden = 2  # ``self`` and ``actor``

    def __init__(
        self, method: Callable[Concatenate[Store, Actor, P], R], action: Action, region: str | None = None
    ) -> None:
        super().__init__(method)
        self.action = action
        self.region = None if region is None else attrgetter(region)

    def call(self, session: Session, method: Callable[..., R], *args: Any, **kwargs: Any) -> R:
        arguments = self.signature.bind(None, session.actor, *args, **kwargs).arguments
        region = None if self.region is None else self.region(SimpleNamespace(**arguments))
        session.require(self.action, region, arguments.get("round_id"))
        return method(session.actor, *args, **kwargs)


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

    def require_region(self, action: Action, code: str, round_id: str | None = None) -> None:
        """Check an explicit request for one region's data (a URL parameter, a widget value)."""
        self.require(action, code, round_id)

    def _published(self, round_id: str | None) -> bool:
        return round_id is not None and self.store.is_published(round_id)

    def is_published(self, round_id: str) -> bool:
        return self._published(round_id)

    def visible(self, action: Action, round_id: str | None = None) -> frozenset[str] | None:
        """The län codes whose data of this kind the principal may read (None: all)."""
        self.require(action, round_id=round_id)
        if self.principal.role is not Role.REGION or self._published(round_id):
            return None
        return frozenset({self.principal.region or ""})

    @property
    def path(self) -> Path:
        return self.store.path

    @property
    def label(self) -> str:
        return self.store.label

    @property
    def shared(self) -> bool:
        return self.store.shared

    @property
    def generation(self) -> int:
        return self.store.generation

    # --- published rules and planning data (every role) ----------------------------------------

    regions = _Guarded(Store.regions, Action.READ_RULES)
    latest_population_date = _Guarded(Store.latest_population_date, Action.READ_RULES)
    region_index = _Guarded(Store.region_index, Action.READ_RULES)
    round_ids = _Guarded(Store.round_ids, Action.READ_RULES)
    round_document = _Guarded(Store.round_document, Action.READ_RULES)
    requisition_round_ids = _Guarded(Store.requisition_round_ids, Action.READ_RULES)
    round_toml = _Guarded(Store.round_toml, Action.READ_RULES)
    round_versions = _Guarded(Store.round_versions, Action.READ_RULES)
    round_problems = _Guarded(Store.round_problems, Action.READ_RULES)
    planned_table = _Guarded(Store.planned_table, Action.READ_RULES)
    block_round = _Guarded(Store.block_round, Action.READ_RULES)
    report_spec = _Guarded(Store.report_spec, Action.READ_RULES)
    report_round_ids = _Guarded(Store.report_round_ids, Action.READ_RULES)
    recipients = _Guarded(Store.recipients, Action.READ_RULES)
    facts = _Guarded(Store.facts, Action.READ_RULES)

    def today(self) -> date:
        """The store's day (its clock), by which a decision is published or not."""
        return self.store.clock().date()

    def decisions(self) -> dict[str, tuple[date, str]]:
        """Per round: when its decision is published and its reference.

        Staff and managers: the store's record (the first publication, which opens the round's data to every
        region, and the reference in force; a date after today is a decision not yet published). A region sees
        nothing of a decision before its publication: only rounds with a decision published by today, each with
        the date and reference of the latest published one (never of an amendment still to be published).
        """
        self.require(Action.READ_RULES)
        recorded = self.store.decisions()
        if self.principal.role is not Role.REGION:
            return recorded
        today = self.today()
        listed = self.store.decision_list()
        published = {s.round_id: (s.published_on, s.reference) for s in listed if s.published_on <= today}
        frozen = {s.round_id for s in listed}  # a round published before snapshots existed has only its record
        published |= {r: d for r, d in recorded.items() if r not in frozen and d[0] <= today}
        return published

    # --- per-region data, narrowed for region users ----------------------------------------------

    reports = _Narrowed(Store.reports, Action.READ_REPORTS, _rows(attrgetter("code")))
    report_values = _Narrowed(Store.report_values, Action.READ_REPORTS, _values)
    reports_frame = _Narrowed(Store.reports_frame, Action.READ_REPORTS, _frame)
    report_dates = _Narrowed(Store.report_dates, Action.READ_STATUS, _keys)
    fixed_amounts = _Narrowed(Store.fixed_amounts, Action.READ_AMOUNTS, _keys)
    requisitions = _Narrowed(Store.requisitions, Action.READ_FOLLOWUP, _rows(attrgetter("code")))
    requisitions_frame = _Narrowed(Store.requisitions_frame, Action.READ_FOLLOWUP, _frame)
    ombud_dates = _Narrowed(Store.ombud_dates, Action.READ_FOLLOWUP, _keys)
    usage_report_dates = _Narrowed(Store.usage_report_dates, Action.READ_FOLLOWUP, _keys)
    paid_per_recipient = _Narrowed(Store.paid_per_recipient, Action.READ_FOLLOWUP, _keys)

    def payouts(self, round_id: str) -> list[tuple[str, date, int]]:
        """Payouts (code, day, kronor) of the regions the principal may see. A region sees a payout from its day
        on: a run recorded ahead (by an amendment still to be published, say) shows nothing of it early."""
        codes = self.visible(Action.READ_FOLLOWUP, round_id)
        rows = _rows(lambda p: p[0])(self.store.payouts(round_id), codes)
        if self.principal.role is Role.REGION:
            today = self.today()
            rows = [p for p in rows if p[1] <= today]
        return rows

    def report(self, code: str, round_id: str) -> Report | None:
        """One recipient's report: refused (and logged) for a region user asking for another region."""
        self.require(Action.READ_REPORTS, code, round_id)
        return next((r for r in self.store.reports(round_id) if r.code == code), None)

    # --- frozen decisions: staff and managers; a region user once the round's decision is published --

    def _decisions_visible(self, round_id: str) -> list[Any]:
        self.require(Action.READ_DECISIONS, round_id=round_id)
        listed = self.store.decision_list(round_id)
        if self.principal.role is Role.REGION:  # an amendment not yet published is not shown early
            today = self.today()
            listed = [s for s in listed if s.published_on <= today]
        return listed

    def decision_list(self, round_id: str) -> list[Any]:
        """The round's decisions, oldest first (the last is in force)."""
        return self._decisions_visible(round_id)

    def decision_snapshot(self, round_id: str, decision_id: int) -> Snapshot:
        """One decision of the round; refused (and logged) where the principal may not read it."""
        if decision_id not in {s.id for s in self._decisions_visible(round_id)}:
            raise KeyError(f"round {round_id!r} has no decision {decision_id} visible to this user")
        return self.store.decision_snapshot(decision_id)

    def current_decision(self, round_id: str) -> Snapshot | None:
        listed = self._decisions_visible(round_id)
        return self.store.decision_snapshot(listed[-1].id) if listed else None

    decision_check = _Guarded(Store.decision_check, Action.SIMULATE)
    decision_drift = _Guarded(Store.decision_drift, Action.SIMULATE)

    # --- staff and managers ----------------------------------------------------------------------

    scenario_names = _Guarded(Store.scenario_names, Action.READ_SCENARIOS)
    example_scenario_names = _Guarded(Store.example_scenario_names, Action.READ_SCENARIOS)
    scenarios = _Guarded(Store.scenarios, Action.READ_SCENARIOS)
    scenario = _Guarded(Store.scenario, Action.READ_SCENARIOS)
    users = _Guarded(Store.users, Action.READ_USERS)
    payment_details = _Guarded(Store.payment_details, Action.READ_TABLES)
    payout_list = _Guarded(Store.payout_list, Action.READ_TABLES)
    payment_runs = _Guarded(Store.payment_runs, Action.READ_TABLES)
    recoveries = _Guarded(Store.recoveries, Action.READ_TABLES)

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

    # --- writes (staff): the principal is the actor ------------------------------------------------

    record_report = _Write(Store.record_report, Action.WRITE_REPORTS, region="report.code")
    import_reports = _Write(Store.import_reports, Action.IMPORT)
    import_requisitions = _Write(Store.import_requisitions, Action.IMPORT)
    import_official_amounts = _Write(Store.import_official_amounts, Action.IMPORT)
    record_requisition = _Write(Store.record_requisition, Action.WRITE_FOLLOWUP, region="item.code")
    record_payout = _Write(Store.record_payout, Action.WRITE_FOLLOWUP, region="code")
    record_ombud = _Write(Store.record_ombud, Action.WRITE_FOLLOWUP, region="code")
    record_usage_report = _Write(Store.record_usage_report, Action.WRITE_FOLLOWUP, region="code")
    save_payment_details = _Write(Store.save_payment_details, Action.WRITE_FOLLOWUP, region="code")
    import_payment_details = _Write(Store.import_payment_details, Action.IMPORT)
    record_payment_run = _Write(Store.record_payment_run, Action.WRITE_FOLLOWUP)
    record_recovery = _Write(Store.record_recovery, Action.WRITE_FOLLOWUP, region="code")
    save_what_if = _Write(Store.save_what_if, Action.SAVE_SCENARIO)
    delete_scenario = _Write(Store.delete_scenario, Action.SAVE_SCENARIO)
    record_decision = _Write(Store.record_decision, Action.PUBLISH_DECISION)
    decide_round = _Write(Store.decide_round, Action.PUBLISH_DECISION)
    save_user = _Write(Store.save_user, Action.MANAGE_USERS)
    save_round = _Write(Store.save_round, Action.EDIT_ROUNDS)
    check_round = _Guarded(Store.check_round, Action.EDIT_ROUNDS)  # save_round's checks, nothing written
    backup = _Guarded(Store.backup, Action.BACKUP)
