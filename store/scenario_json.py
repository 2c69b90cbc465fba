"""A round of blocks' what-if as the JSON of a saved scenario (and back), checked as it is read; a scenario
saved in the 2023 AT format is read as the what-if it stands for.

``params``: ``{"format": "blocks", "pots": {block: kr or option id}, "steps": {block: [kr, ...]}, "keys":
{block: key}}``; ``inputs``:
``{"values": {key: {code: "2.5"}}, "events": {event: {code: "2024-10-30"}}}``. Values are exact decimal
texts (a planned range's midpoint is 2.5), never floats.

The 2023 format (no longer written): ``params`` ``{"pot": kr, "pot_source": option id or "custom", "steps":
[[threshold, kr], ...], "key": key, "per_inhabitants": 100000}``; ``inputs`` ``[{"code", "filled", "started",
"excluded", "planned"}, ...]`` (``planned``: a report's own planned figure as text, or null).
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any

from allocation.blocks import Round
from allocation.planned import parse_planned
from allocation.report_values import AT_PARTS, PLANNED
from allocation.rules import Step
from allocation.whatif import WhatIf, from_2023

FORMAT = "blocks"


def _number(value: Fraction | int) -> str:
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    return f"{value.numerator}/{value.denominator}"


def what_if_json(what_if: WhatIf) -> tuple[dict[str, Any], dict[str, Any]]:
    params = {
        "format": FORMAT,
        "pots": {
            block: choice if isinstance(choice, str) else int(choice) for block, choice in sorted(what_if.pots.items())
        },
        "steps": {block: [int(a) for a in amounts] for block, amounts in sorted(what_if.steps.items())},
        "keys": dict(sorted(what_if.keys.items())),
    }
    inputs = {
        "values": {
            key: {code: _number(v) for code, v in sorted(by_code.items())}
            for key, by_code in sorted(what_if.values.items())
        },
        "events": {
            event: {code: day.isoformat() for code, day in sorted(by_code.items())}
            for event, by_code in sorted(what_if.events.items())
        },
    }
    return params, inputs


def is_what_if_json(params: Any) -> bool:
    return isinstance(params, dict) and params.get("format") == FORMAT


def _whole(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"not a whole, non-negative number of kronor: {value!r}")
    return value


def what_if_from_json(params: dict[str, Any], inputs: dict[str, Any]) -> WhatIf:
    pots = {
        str(block): choice if isinstance(choice, str) else _whole(choice)
        for block, choice in params.get("pots", {}).items()
    }
    steps = {str(block): tuple(_whole(a) for a in amounts) for block, amounts in params.get("steps", {}).items()}
    values = {
        str(key): {str(code): Fraction(str(v)) for code, v in by_code.items()}
        for key, by_code in inputs.get("values", {}).items()
    }
    events = {
        str(event): {str(code): date.fromisoformat(str(day)) for code, day in by_code.items()}
        for event, by_code in inputs.get("events", {}).items()
    }
    keys = {str(block): str(key) for block, key in params.get("keys", {}).items()}
    return WhatIf(pots, steps, values, events, keys)


def _count(value: Any) -> int:
    """A count of the 2023 format: a whole, non-negative number (as text or number, as it was written)."""
    if isinstance(value, bool):
        raise ValueError(f"not a whole, non-negative number: {value!r}")
    number = int(value)
    if number < 0:
        raise ValueError(f"not a whole, non-negative number: {value!r}")
    return number


def what_if_from_2023_json(round_: Round, params: dict[str, Any], inputs: list[dict[str, Any]]) -> WhatIf:
    """A scenario saved in the 2023 AT format as the what-if of ``round_``'s one staircase block."""
    values: dict[str, dict[str, Fraction | int]] = {key: {} for key in AT_PARTS}
    for item in inputs:
        code = str(item["code"])
        if code in values["filled"]:
            raise ValueError(f"region {code} appears twice")
        for key in AT_PARTS:
            values[key][code] = _count(item.get(key, 0))
        planned = item.get("planned")
        if planned not in (None, ""):
            values.setdefault(PLANNED, {})[code] = parse_planned(str(planned))
    steps = tuple(Step(_count(t), _count(a)) for t, a in params["steps"])
    pot = _count(params["pot"])
    return from_2023(round_, pot, str(params["pot_source"]), steps, str(params["key"]), values)
