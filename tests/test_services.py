"""The store's shape: services composed by concern, each method's access declared once where it is defined.

- a service inherits from no other class (it holds the core and the services it reads, passed explicitly);
- a session's view offers exactly the declared methods of its service (and the few written out on the view):
  an undeclared method is an ``AttributeError``, never a way round the access checks;
- the record types live in ``store.model``: no service module defines one.
"""

from __future__ import annotations

import dataclasses
import inspect
from pathlib import Path

import pytest

from store.access import Principal, Role
from store.access_rules import access_of
from store.service import Store
from store.session import Session, View

SERVICES = ("rounds", "reports", "followup", "decisions", "bank_details", "payments", "scenarios", "users", "audit")
STAFF = Principal("Anna", Role.STAFF)


@pytest.fixture
def store(isolated_database: Path) -> Store:
    return Store.open(isolated_database)


def test_services_inherit_from_no_other_class(store: Store) -> None:
    for name in SERVICES:
        service = getattr(store, name)
        assert type(service).__bases__ == (object,), f"{name}: {type(service).__bases__}"
        assert not isinstance(service, Store)
        others = {type(getattr(store, other)) for other in SERVICES if other != name}
        assert not any(issubclass(type(service), other) for other in others)


def test_a_view_offers_only_declared_methods(store: Store) -> None:
    session = Session(store, STAFF)
    for name in SERVICES:
        view = getattr(session, name)
        assert isinstance(view, View)
        service_type = type(getattr(store, name))
        written_out = {n for n in vars(type(view)) if not n.startswith("_")}
        for attribute in dir(view):
            declared = access_of(getattr(service_type, attribute, None)) is not None
            assert declared or attribute in written_out, f"session.{name}.{attribute} has no access declaration"
        for attribute, member in inspect.getmembers(service_type, inspect.isfunction):
            if attribute.startswith("_") or access_of(member) is not None or attribute in written_out:
                continue
            with pytest.raises(AttributeError):
                getattr(view, attribute)


def test_undeclared_helpers_are_not_offered(store: Store) -> None:
    session = Session(store, STAFF)
    for service, name in (("rounds", "check_code"), ("audit", "record_refusal"), ("payments", "run_lines")):
        assert callable(getattr(getattr(store, service), name))
        with pytest.raises(AttributeError):
            getattr(getattr(session, service), name)


def test_service_modules_define_no_record_type(store: Store) -> None:
    for name in SERVICES:
        module = inspect.getmodule(type(getattr(store, name)))
        records = [
            n
            for n, c in inspect.getmembers(module, inspect.isclass)
            if c.__module__ == module.__name__ and dataclasses.is_dataclass(c)
        ]
        assert records == [], f"{module.__name__} defines {records}: record types belong in store.model"
