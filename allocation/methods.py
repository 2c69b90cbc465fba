"""The allocation methods of a block, a closed registry looked up by name from the rules.

Each method is a pure function ``(params, MethodInput) -> MethodOutput``: exact (``Fraction``), in
whole kronor by largest remainder (``allocation.money.apportion``, ties to the lower code), paying
the pot or saying in a notice why not. Each has a batch twin in ``allocation.method_batch``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from math import ceil, floor
from types import MappingProxyType
from typing import Any

from allocation import at
from allocation import method_batch as mb
from allocation import method_params as mp
from allocation.block_data import Notice, Recipient, Values, key_values
from allocation.block_fields import Fields
from allocation.money import apportion, kr
from allocation.rules import CUSTOM_POT, AtParams

# Notice codes. Those in UNPAID_REASONS explain why a block paid less than its pot.
NOBODY_ELIGIBLE = "nobody_eligible"
NOBODY_QUALIFIES = at.NOBODY_QUALIFIES
POT_BELOW_STEPS = at.POT_BELOW_STEPS
LEFTOVER_UNPAID = "leftover_unpaid"
NO_WEIGHT = "no_weight"
NOBODY_REPORTED = "nobody_reported"
NOT_REPORTED = "not_reported"
TABLE_BELOW_POT = "table_below_pot"
TABLE_ABOVE_POT = "table_above_pot"
NOT_REQUISITIONED = "not_requisitioned"
NOT_IN_TABLE = "not_in_table"
ESTIMATE = "estimate"
UNPAID_REASONS = frozenset(
    {
        NOBODY_ELIGIBLE,
        NOBODY_QUALIFIES,
        LEFTOVER_UNPAID,
        NO_WEIGHT,
        NOBODY_REPORTED,
        NOT_REPORTED,
        TABLE_BELOW_POT,
        NOT_REQUISITIONED,
    }
)


@dataclass(frozen=True, slots=True)
class MethodInput:
    pot: int  # kronor this block has to pay (its own pot plus what flowed in)
    recipients: tuple[Recipient, ...]  # the eligible recipients, in code order
    values: Values  # key -> code -> value, derived keys included (allocation.block_data)
    events: Mapping[str, Mapping[str, date]] = field(default_factory=dict)  # event -> code -> date


@dataclass(frozen=True, slots=True)
class MethodOutput:
    amounts: dict[str, int]  # per eligible recipient
    notices: tuple[Notice, ...] = ()
    parts: dict[str, dict[str, int]] = field(default_factory=dict)  # named components, e.g. step


def _codes(inp: MethodInput) -> list[str]:
    return [r.code for r in inp.recipients]


def _no_weight(key: str, pot: int) -> Notice:
    return Notice(
        NO_WEIGHT,
        f"Every eligible recipient has 0 as its {key!r}: the {pot} kr cannot be shared and stay unpaid.",
        f"Alla mottagare som kan få medel har 0 som {key!r}: {kr(pot)} kan inte fördelas och betalas inte ut.",
    )


def _measured(code: str, measure: Fraction) -> at.RegionInput:
    """An AT report whose expansion is exactly ``measure``: outcome ⌈m⌉, planned ⌈m⌉ − m."""
    outcome = ceil(measure)
    return at.RegionInput(code, filled=outcome, started=outcome, planned=outcome - measure)


def staircase_leftover(params: mp.StaircaseParams, inp: MethodInput) -> MethodOutput:
    """The AT engine (``allocation.at.allocate``) on the block's measure: highest step reached, then
    the leftover shared by the key among those who reached a step (or left unpaid)."""
    codes = _codes(inp)
    measures = [max(Fraction(0), m) for m in key_values(inp.values, params.measure, codes)]
    at_params = AtParams(inp.pot, CUSTOM_POT, params.steps, params.key, params.per_inhabitants)
    inputs = [_measured(c, m) for c, m in zip(codes, measures, strict=True)]
    result = at.allocate(mp.at_round_for(inp.recipients, params), inputs, at_params)
    steps = {r.code: r.step_amount for r in result.regions}
    leftover = {r.code: r.redistribution for r in result.regions}
    notices = []
    for w in result.warnings:
        if w.code == at.NOBODY_QUALIFIES:
            notices.append(
                Notice(
                    w.code,
                    "No recipient reached the first step: the block pays nothing.",
                    "Ingen mottagare nådde första trappsteget: blocket betalar inte ut något.",
                )
            )
        else:
            notices.append(Notice(w.code, w.message, w.message_sv))
    if params.leftover == mp.UNPAID:
        amounts = steps
        left = inp.pot - sum(steps.values())
        if left and not result.warnings:  # nobody qualifying, or a pot below the steps, says so itself
            notices.append(
                Notice(
                    LEFTOVER_UNPAID,
                    f"The steps leave {left} kr; by the rules they are not shared in this block.",
                    f"Trappstegen lämnar {kr(left)}; enligt reglerna fördelas de inte i detta block.",
                )
            )
        leftover = dict.fromkeys(codes, 0)
    else:
        amounts = {r.code: r.total for r in result.regions}
    return MethodOutput(amounts, tuple(notices), {"step": steps, "leftover": leftover})


def proportional(params: mp.ProportionalParams, inp: MethodInput) -> MethodOutput:
    """The pot in proportion to a key among the eligible."""
    codes = _codes(inp)
    weights = key_values(inp.values, params.key, codes)
    amounts = apportion(inp.pot, weights, codes)
    notices = (_no_weight(params.key, inp.pot),) if codes and inp.pot and not any(weights) else ()
    return MethodOutput(dict(zip(codes, amounts, strict=True)), notices)


def equal(params: mp.EqualParams, inp: MethodInput) -> MethodOutput:
    """Equal shares among the eligible; the kronor that do not divide go to the lowest codes."""
    codes = _codes(inp)
    return MethodOutput(dict(zip(codes, apportion(inp.pot, [1] * len(codes), codes), strict=True)))


def fixed_table(params: mp.FixedTableParams, inp: MethodInput) -> MethodOutput:
    """Each eligible recipient's amount from the table (at most its ``cap_key``); scaled down pro rata
    if the table asks for more than the pot."""
    codes = _codes(inp)
    table = [params.table.get(c, 0) for c in codes]
    due = table
    if params.cap_key is not None:
        caps = key_values(inp.values, params.cap_key, codes)
        due = [min(t, floor(cap)) for t, cap in zip(table, caps, strict=True)]
    notices = []
    if params.basis == mp.ESTIMATE:
        notices.append(
            Notice(
                ESTIMATE,
                "The amounts are an estimate, not the official table.",
                "Beloppen är en uppskattning, inte den officiella tabellen.",
            )
        )
    missing = [c for c in codes if c not in params.table]
    if missing:
        notices.append(
            Notice(
                NOT_IN_TABLE,
                f"Not in the table, so nothing for: {', '.join(missing)}.",
                f"Saknas i tabellen och får därför inget: {', '.join(missing)}.",
            )
        )
    if sum(due) > inp.pot:
        notices.append(
            Notice(
                TABLE_ABOVE_POT,
                f"The table asks for {sum(due)} kr, more than the pot ({inp.pot} kr): scaled down pro rata.",
                f"Tabellen kräver {kr(sum(due))}, mer än potten ({kr(inp.pot)}): beloppen skalas ned proportionellt.",
            )
        )
        return MethodOutput(dict(zip(codes, apportion(inp.pot, due, codes), strict=True)), tuple(notices))
    if sum(table) < inp.pot:
        left = inp.pot - sum(table)
        notices.append(
            Notice(
                TABLE_BELOW_POT,
                f"The table gives {sum(table)} kr of the pot's {inp.pot} kr: {left} kr stay unpaid.",
                f"Tabellen fördelar {kr(sum(table))} av potten {kr(inp.pot)}: {kr(left)} betalas inte ut.",
            )
        )
    if sum(due) < min(sum(table), inp.pot):
        gap = min(sum(table), inp.pot) - sum(due)
        notices.append(
            Notice(
                NOT_REQUISITIONED,
                f"{gap} kr of the table were not requisitioned ({params.cap_key!r}).",
                f"{kr(gap)} av tabellens belopp har inte rekvirerats ({params.cap_key!r}).",
            )
        )
    return MethodOutput(dict(zip(codes, due, strict=True)), tuple(notices))


def reporters(params: mp.ReportedShareParams, inp: MethodInput) -> list[str]:
    dates = inp.events.get(params.event, {})
    return [c for c in _codes(inp) if c in dates and dates[c] <= params.by]


def reported_share(params: mp.ReportedShareParams, inp: MethodInput) -> MethodOutput:
    """Shares by a key (or equal) for the eligible recipients who reported by the date."""
    codes = _codes(inp)
    done = set(reporters(params, inp))
    late = [c for c in codes if c not in done]
    share_among = codes if params.among == mp.AMONG_ELIGIBLE else [c for c in codes if c in done]
    weights = key_values(inp.values, params.key, share_among)
    shares = dict(zip(share_among, apportion(inp.pot, weights, share_among), strict=True))
    amounts = {c: shares.get(c, 0) if c in done else 0 for c in codes}
    notices = []
    by = params.by.isoformat()
    if codes and not done:
        notices.append(
            Notice(
                NOBODY_REPORTED,
                f"Nobody reported by {by}: the block pays nothing.",
                f"Ingen rapporterade senast {by}: blocket betalar inte ut något.",
            )
        )
    elif late:
        lost = sum(shares.get(c, 0) for c in late)
        notices.append(
            Notice(
                NOT_REPORTED,
                f"Not reported by {by}: {', '.join(late)}" + (f"; their {lost} kr stay unpaid." if lost else "."),
                f"Har inte rapporterat senast {by}: {', '.join(late)}"
                + (f"; deras {kr(lost)} betalas inte ut." if lost else "."),
            )
        )
    if share_among and inp.pot and not any(weights):
        notices.append(_no_weight(params.key, inp.pot))
    return MethodOutput(amounts, tuple(notices))


@dataclass(frozen=True, slots=True)
class Method:
    name: str
    params_type: type
    read_params: Callable[[Fields, str | None], Any]  # the block's params table -> params or None
    allocate: Callable[[Any, MethodInput], MethodOutput]
    allocate_batch: Callable[[Any, mb.BatchInput], mb.BatchOutput]


METHODS: Mapping[str, Method] = MappingProxyType(
    {
        m.name: m
        for m in (
            Method(
                "staircase_leftover",
                mp.StaircaseParams,
                mp.read_staircase,
                staircase_leftover,
                mb.staircase_leftover,
            ),
            Method("proportional", mp.ProportionalParams, mp.read_proportional, proportional, mb.proportional),
            Method("equal", mp.EqualParams, mp.read_equal, equal, mb.equal),
            Method("fixed_table", mp.FixedTableParams, mp.read_fixed_table, fixed_table, mb.fixed_table),
            Method(
                "reported_share",
                mp.ReportedShareParams,
                mp.read_reported_share,
                reported_share,
                mb.reported_share,
            ),
        )
    }
)


def method(name: str) -> Method:
    """The method registered under ``name``; any other name is refused."""
    if name not in METHODS:
        raise ValueError(f"unknown method {name!r}; known: {', '.join(sorted(METHODS))}")
    return METHODS[name]
