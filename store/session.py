"""The store as one principal sees it: every read and write checks ``store.access`` first.

Pages get a ``Session`` (never the ``Store``): what a role may not see is not read, and what it may
not do is refused here with a Swedish message and an audit entry, whatever the page shows or the
URL and session state ask for. Reads of per-region data are narrowed to the region a region user
may see (its own, and every region once the round's decision is published).

A session offers the store's services (``session.rounds``, ``session.reports``, ...) as views: a view
offers exactly the service methods that declare their access (``store.access_rules``: ``@reads``,
``@narrowed``, ``@writes``), applies the declaration on each call and fills in the principal as the
actor of a write; any other name is an ``AttributeError``. What is not one plain declaration is written
out on its view: the decisions a region sees (published by today), payouts by day, a decision's snapshot,
the tables and audit entries a role may read.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Generic, TypeVar, cast

import pandas as pd

from allocation.decision import Snapshot
from allocation.report_values import Report
from store.access import Action, Principal, Role, decide
from store.access_rules import Access, Kind, access_of
from store.audit import Audit
from store.bank_details import BankDetails
from store.decisions import Decisions
from store.followup import Followup
from store.model import EXPORTABLE_TABLES, AccessDenied, Actor, DecisionSummary
from store.payments import Payments
from store.reports import Reports
from store.rounds import Rounds
from store.scenarios import Scenarios
from store.service import Store
from store.users import Users

__all__ = ["TABLE_ACTIONS", "USER_AUDIT_ENTITIES", "AccessDenied", "Session", "View"]

S = TypeVar("S")

# Tables of the data page, by what reading them takes.
TABLE_ACTIONS = {"users": Action.READ_USERS, "audit_log": Action.READ_AUDIT}
# Audit entries about users and refused actions name people and their roles: staff administration only.
USER_AUDIT_ENTITIES = ("users", "access")


class View(Generic[S]):
    """A service as the session's principal may use it: its declared methods, each checked on every call."""

    def __init__(self, session: Session, service: S) -> None:
        self._session = session
        self._service = service

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = None if name.startswith("_") else getattr(type(self._service), name, None)
        rule = access_of(method)
        if rule is None:
            raise AttributeError(f"{type(self._service).__name__}.{name} is not offered to a session")
        bound = getattr(self._service, name)
        session = self._session

        def call(*args: Any, **kwargs: Any) -> Any:
            return _apply(rule, session, bound, args, kwargs)

        signature = inspect.signature(bound)
        if rule.kind is Kind.WRITE:  # the principal is the actor
            signature = signature.replace(parameters=list(signature.parameters.values())[1:])
        call.__name__ = call.__qualname__ = name
        call.__signature__ = signature  # type: ignore[attr-defined]
        call.__doc__ = f"``{type(self._service).__name__}.{name}``, as this principal may use it (see ``Session``)."
        return call

    def __dir__(self) -> list[str]:
        declared = [n for n in dir(type(self._service)) if access_of(getattr(type(self._service), n, None))]
        return sorted(set(declared) | {n for n in vars(type(self)) if not n.startswith("_")})


def _apply(rule: Access, session: Session, method: Callable[..., Any], args: Any, kwargs: Any) -> Any:
    """One declared call: refused, narrowed or written as the declaration says."""
    if rule.kind is Kind.READ:
        session.require(rule.action)
        return method(*args, **kwargs)
    if rule.kind is Kind.NARROWED:
        round_id = rule.signature.bind(None, *args, **kwargs).arguments.get("round_id")
        codes = session.visible(rule.action, round_id)
        return rule.narrow(method(*args, **kwargs), codes)  # type: ignore[misc]
    arguments = rule.signature.bind(None, session.actor, *args, **kwargs).arguments
    region = None if rule.region is None else rule.region(SimpleNamespace(**arguments))
    session.require(rule.action, region, arguments.get("round_id"))
    return method(session.actor, *args, **kwargs)


class ReportsView(View[Reports]):
    def report(self, code: str, round_id: str) -> Report | None:
        """One recipient's report: refused (and logged) for a region user asking for another region."""
        self._session.require(Action.READ_REPORTS, code, round_id)
        return next((r for r in self._service.reports(round_id) if r.code == code), None)


class FollowupView(View[Followup]):
    def payouts(self, round_id: str) -> list[tuple[str, date, int]]:
        """Payouts (code, day, kronor) of the regions the principal may see. A region sees a payout from its day
        on: a run recorded ahead (by an amendment still to be published, say) shows nothing of it early."""
        session = self._session
        codes = session.visible(Action.READ_FOLLOWUP, round_id)
        rows = [p for p in self._service.payouts(round_id) if codes is None or p[0] in codes]
        if session.principal.role is Role.REGION:
            today = session.today()
            rows = [p for p in rows if p[1] <= today]
        return rows


class DecisionsView(View[Decisions]):
    """Publication for every role; frozen decisions for staff and managers, and for a region user once the
    round's decision is published (an amendment not yet published is not shown early)."""

    def is_published(self, round_id: str) -> bool:
        return self._session._published(round_id)

    def decisions(self) -> dict[str, tuple[date, str]]:
        """Per round: when its decision is published and its reference.

        Staff and managers: the store's record (the first publication, which opens the round's data to every
        region, and the reference in force; a date after today is a decision not yet published). A region sees
        nothing of a decision before its publication: only rounds with a decision published by today, each with
        the date and reference of the latest published one (never of an amendment still to be published).
        """
        session = self._session
        session.require(Action.READ_RULES)
        recorded = self._service.decisions()
        if session.principal.role is not Role.REGION:
            return recorded
        today = session.today()
        listed = self._service.decision_list()
        published = {s.round_id: (s.published_on, s.reference) for s in listed if s.published_on <= today}
        frozen = {s.round_id for s in listed}  # a round published before snapshots existed has only its record
        published |= {r: d for r, d in recorded.items() if r not in frozen and d[0] <= today}
        return published

    def decision_list(self, round_id: str) -> list[DecisionSummary]:
        """The round's decisions, oldest first (the last is in force)."""
        session = self._session
        session.require(Action.READ_DECISIONS, round_id=round_id)
        listed = self._service.decision_list(round_id)
        if session.principal.role is Role.REGION:
            today = session.today()
            listed = [s for s in listed if s.published_on <= today]
        return listed

    def decision_snapshot(self, round_id: str, decision_id: int) -> Snapshot:
        """One decision of the round; refused (and logged) where the principal may not read it."""
        if decision_id not in {s.id for s in self.decision_list(round_id)}:
            raise KeyError(f"round {round_id!r} has no decision {decision_id} visible to this user")
        return self._service.decision_snapshot(decision_id)

    def current_decision(self, round_id: str) -> Snapshot | None:
        listed = self.decision_list(round_id)
        return self._service.decision_snapshot(listed[-1].id) if listed else None


class AuditView(View[Audit]):
    """The tables and audit entries a role may read: entries about users and refusals for staff only."""

    def readable_tables(self) -> list[str]:
        """The exportable tables this principal may read, in the export list's order."""
        return [t for t in EXPORTABLE_TABLES if self._session.may(TABLE_ACTIONS.get(t, Action.READ_TABLES))]

    def _hidden(self) -> tuple[str, ...]:
        return () if self._session.may(Action.READ_USERS) else USER_AUDIT_ENTITIES

    def table(self, name: str) -> pd.DataFrame:
        self._session.require(TABLE_ACTIONS.get(name, Action.READ_TABLES))
        frame = self._service.table(name)
        if name == "audit_log" and (hidden := self._hidden()):
            frame = frame[~frame["entity"].isin(hidden)].reset_index(drop=True)
        return frame

    def audit(self, limit: int = 500, entity: str | None = None) -> pd.DataFrame:
        self._session.require(Action.READ_AUDIT)
        return self._service.audit(limit, entity, self._hidden())

    def audit_count(self) -> int:
        self._session.require(Action.READ_AUDIT)
        return self._service.audit_count(self._hidden())


@dataclass(frozen=True)
class Session:
    """One principal's store. Each view is typed as its service; a write is called without its ``actor``
    (the principal is the actor), and a method without an access declaration is not offered."""

    store: Store
    principal: Principal

    # --- the services, as this principal may use them ------------------------------------------------

    @functools.cached_property
    def rounds(self) -> Rounds:
        return cast(Rounds, View(self, self.store.rounds))

    @functools.cached_property
    def reports(self) -> Reports:
        return cast(Reports, ReportsView(self, self.store.reports))

    @functools.cached_property
    def followup(self) -> Followup:
        return cast(Followup, FollowupView(self, self.store.followup))

    @functools.cached_property
    def decisions(self) -> DecisionsView:
        return DecisionsView(self, self.store.decisions)

    @functools.cached_property
    def bank_details(self) -> BankDetails:
        return cast(BankDetails, View(self, self.store.bank_details))

    @functools.cached_property
    def payments(self) -> Payments:
        return cast(Payments, View(self, self.store.payments))

    @functools.cached_property
    def scenarios(self) -> Scenarios:
        return cast(Scenarios, View(self, self.store.scenarios))

    @functools.cached_property
    def users(self) -> Users:
        return cast(Users, View(self, self.store.users))

    @functools.cached_property
    def audit(self) -> AuditView:
        return AuditView(self, self.store.audit)

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
        self.store.audit.record_refusal(self.actor, action.value, key, decision.message_sv)
        raise AccessDenied(decision.message_sv, decision.message_en)

    def require_region(self, action: Action, code: str, round_id: str | None = None) -> None:
        """Check an explicit request for one region's data (a URL parameter, a widget value)."""
        self.require(action, code, round_id)

    def _published(self, round_id: str | None) -> bool:
        return round_id is not None and self.store.decisions.is_published(round_id)

    def visible(self, action: Action, round_id: str | None = None) -> frozenset[str] | None:
        """The län codes whose data of this kind the principal may read (None: all)."""
        self.require(action, round_id=round_id)
        if self.principal.role is not Role.REGION or self._published(round_id):
            return None
        return frozenset({self.principal.region or ""})

    def today(self) -> date:
        """The store's day (its clock), by which a decision is published or not."""
        return self.store.clock().date()

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
