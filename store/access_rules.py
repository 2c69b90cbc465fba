"""Who may call a service method, declared where the method is defined.

Each method a page may call through a ``store.session.Session`` carries one declaration; ``Session``
reads it and offers nothing else (a service method without one is not part of a session's view):

- ``@reads(action)``: ``require(action)``, then the method as it is (a read, a check, a backup);
- ``@narrowed(action, by_code)``: ``visible(action, round_id)``, then only the rows of the regions the
  principal may see (the method's ``round_id`` argument, if any, says which round's decision makes every
  region visible); ``by_code`` (rows with a ``code``), ``by_key`` (a mapping keyed by län code),
  ``by_values`` (values by key, each keyed by län code) and ``by_frame`` (a frame with a ``code`` column) say
  how the rows are narrowed;
- ``@writes(action, region="item.code")``: ``require(action, region, round_id)``, then the method with the
  principal as its ``actor`` (its first argument); ``region`` names the argument holding the region written
  for, and the method's ``round_id`` argument, if any, goes to the refusal's audit entry.

No database and no Streamlit in here: a declaration is plain data on the function.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from operator import attrgetter
from typing import Any, TypeVar

import pandas as pd

from store.access import Action

__all__ = ["Access", "Kind", "access_of", "by_code", "by_frame", "by_key", "by_values", "narrowed", "reads", "writes"]

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")
V = TypeVar("V")

Codes = frozenset[str] | None  # the län codes a principal may see; None: all


class Kind(StrEnum):
    READ = "read"
    NARROWED = "narrowed"
    WRITE = "write"


@dataclass(frozen=True)
class Access:
    """One method's declaration: what it takes, and how a session applies it."""

    kind: Kind
    action: Action
    signature: inspect.Signature
    narrow: Callable[[Any, Codes], Any] | None = None
    region: Callable[[Any], str] | None = None


ATTRIBUTE = "__access__"


def _declare(kind: Kind, action: Action, **extra: Any) -> Callable[[F], F]:
    def mark(method: F) -> F:
        setattr(method, ATTRIBUTE, Access(kind, action, inspect.signature(method), **extra))
        return method

    return mark


def reads(action: Action) -> Callable[[F], F]:
    """A read allowed or refused as a whole."""
    return _declare(Kind.READ, action)


def narrowed(action: Action, narrow: Callable[[Any, Codes], Any]) -> Callable[[F], F]:
    """A per-region read: narrowed to the regions the principal may see."""
    return _declare(Kind.NARROWED, action, narrow=narrow)


def writes(action: Action, region: str | None = None) -> Callable[[F], F]:
    """A write by the principal; ``region`` names the argument holding the region written for."""
    return _declare(Kind.WRITE, action, region=None if region is None else attrgetter(region))


def access_of(method: object) -> Access | None:
    """The declaration of a service method (None: not offered to a session)."""
    found = getattr(method, ATTRIBUTE, None)
    return found if isinstance(found, Access) else None


# --- how the rows of a per-region read are narrowed ------------------------------------------------


def by_code(items: Iterable[T], codes: Codes) -> list[T]:
    """A list of rows, each with its län code as ``code``."""
    return [i for i in items if codes is None or i.code in codes]  # type: ignore[attr-defined]


def by_key(mapping: Mapping[str, V], codes: Codes) -> dict[str, V]:
    """A mapping keyed by län code."""
    return {c: v for c, v in mapping.items() if codes is None or c in codes}


def by_values(values: Mapping[str, Mapping[str, V]], codes: Codes) -> dict[str, dict[str, V]]:
    """Values by key, each a mapping keyed by län code."""
    return {k: by_key(by_code, codes) for k, by_code in values.items()}


def by_frame(frame: pd.DataFrame, codes: Codes) -> pd.DataFrame:
    """A frame with a ``code`` column."""
    if codes is None:
        return frame
    return frame[frame["code"].isin(codes)].reset_index(drop=True)
