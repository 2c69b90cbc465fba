"""An amount in kronor, typed and shown the Swedish way: ``12 000 000`` (not ``12000000``).

Streamlit's ``st.number_input`` shows a bare ``12000000`` (its ``format`` is printf-style, without
thousands separators). A text field takes what people write — ``12 000 000``, ``12000000``,
``12 000 000 kr`` — is rewritten as ``12 000 000`` when left, and a value that is not a whole, non-negative
number of kronor gets a Swedish message naming the field (the last valid amount stays in force).
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

import streamlit as st

from allocation.money import MAX_AMOUNT
from allocation.planned import ParseError, parse_count
from allocation.problems import Problem
from present import formats as f
from present.problems import problem_sv
from ui.text import plain

_UNIT = re.compile(r"\s*(kr|kronor|:-)\s*$", re.IGNORECASE)
_LAST = "_money_last_"
_GROUP = "_money_group_"


def parse_kronor(text: str) -> int:
    """Whole kronor from text as people write it; ``ParseError`` (codes of allocation.problems) if not."""
    return parse_count(_UNIT.sub("", str(text)))


def _normalise(key: str) -> None:
    with contextlib.suppress(ParseError):  # left as typed otherwise: the message below names it
        st.session_state[key] = f.number(parse_kronor(st.session_state[key]))


def _read(label: str, text: str, maximum: int | None) -> tuple[int | None, str]:
    """The amount, or None and the Swedish reason; never above the product's bound (``MAX_AMOUNT``)."""
    maximum = MAX_AMOUNT if maximum is None else min(maximum, MAX_AMOUNT)
    if len(str(text)) > 64:  # an amount is at most 13 digits and its spaces
        return None, f"högst {f.kr(maximum)}"
    try:
        amount = parse_kronor(text)
    except ParseError as exc:
        return None, problem_sv(Problem(exc.code, value=str(text)))
    if amount > maximum:
        return None, f"högst {f.kr(maximum)}"
    return amount, ""


def money_input(
    label: str,
    value: int,
    key: str,
    *,
    container: Any = None,
    help: str | None = None,
    maximum: int | None = None,
    bind: str | None = None,
    disabled: bool = False,
) -> int:
    """The amount typed in the field, or (after a message) the last valid one; starts at ``value``.

    ``bind="query-params"`` puts the field in the address (a shareable link); a link's amount, however it is
    written there (``63000000``), opens grouped (``63 000 000``).
    """
    where = container if container is not None else st
    if _GROUP + key in st.session_state:  # a shared link's amount, written grouped before the field is drawn
        st.session_state[key] = st.session_state.pop(_GROUP + key)
    if key not in st.session_state:
        st.session_state[key] = f.number(value)
    # ``label`` is the widget's markdown: a caller escapes any rules-file text in it (ui.text.plain); the code's
    # own labels stay as written, so a screen reader's name for the field has no backslashes.
    text = where.text_input(label, key=key, help=help, on_change=_normalise, args=(key,), bind=bind, disabled=disabled)
    amount, reason = _read(label, text, maximum)
    if amount is None:
        last = int(st.session_state.get(_LAST + key, value))
        where.error(
            f"{plain(label)}: {plain(reason)}. Beräknat med senast giltiga belopp, {f.kr(last)}.",
            icon=":material/error:",
        )
        return last
    st.session_state[_LAST + key] = amount
    if bind and text != f.number(amount) and not st.session_state.get(_GROUP + key + "_done"):
        # A link's digits (``63000000``): the field takes them from the address as it is drawn, so they are
        # grouped on one more run (once per field and session: a field typed into is grouped when left).
        st.session_state[_GROUP + key] = f.number(amount)
        st.session_state[_GROUP + key + "_done"] = True
        st.rerun()
    return amount


def money_in_form(label: str, value: int, key: str, *, help: str | None = None) -> str:
    """The field inside a form (a form's widgets take no callbacks): the text, read with ``form_amount``."""
    if key not in st.session_state:
        st.session_state[key] = f.number(value)
    return st.text_input(label, key=key, help=help)


def form_amount(label: str, text: str, maximum: int | None = None) -> int | None:
    """After the form is sent: the amount, or None after a Swedish message naming the field."""
    amount, reason = _read(label, text, maximum)
    if amount is None:
        st.error(f"{plain(label)}: {plain(reason)}. Inget registrerades.", icon=":material/error:")
    return amount
