"""The simulator's results table of a round of blocks (one row per recipient: each block's amount, each
staircase block's measure, key, step, leftover and next step, the total and kronor per inhabitant) and what it
reads: each staircase block's recipients on its stairs. The simulator's downloads and the command line's
export of a saved scenario (``store.export.export_scenario``) build their tables here, so they agree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

from allocation.block_data import Recipient, derive_values, sorted_recipients
from allocation.blocks import Round, RoundResult
from allocation.method_params import StaircaseParams
from allocation.methods import MethodInput
from allocation.methods.staircase import StepDetail, details
from allocation.whatif import staircase_blocks
from present.eligibility import key_sv
from present.explain import KEY_LABELS_SV, has_report, next_step_sv

if TYPE_CHECKING:  # pandas loads where a table is made: the command line's 2023 output reads the stairs only
    import pandas as pd

Stairs = dict[str, dict[str, StepDetail]]  # block id -> code -> the recipient on that block's staircase


def stair_details(
    round_: Round, result: RoundResult, recipients: Sequence[Recipient], values: Mapping[str, Mapping[str, object]]
) -> tuple[Stairs, dict[str, dict[str, Fraction]]]:
    """Each staircase block's recipients on its stairs, and the values the engine derived (``round_``: the
    round the result was computed with, what-if steps applied)."""
    people = sorted_recipients(recipients)
    derived = dict(result.derived) if result.derived else derive_values(people, values, round_.planned)
    stairs: Stairs = {}
    for block_id in staircase_blocks(round_):
        outcome = result.block(block_id)
        eligible = set(outcome.eligible)
        chosen = tuple(r for r in people if r.code in eligible)
        params = round_.block(block_id).params
        assert isinstance(params, StaircaseParams)
        stairs[block_id] = details(params, MethodInput(outcome.available, chosen, derived))
    return stairs, derived


def measure_sv(measure: str) -> str:
    return "utökning (tjänster utöver plan)" if measure == "expansion" else key_sv(measure)


def _prefix(round_: Round, block_id: str) -> str:
    return "" if len(round_.blocks) == 1 else f"{round_.block(block_id).title}: "


def stair_columns(
    round_: Round,
    stairs: Stairs,
    derived: Mapping[str, Mapping[str, Fraction]],
    recipients: Sequence[Recipient],
) -> dict[str, list[object]]:
    """The results table's columns of each staircase block: measure, key, step, leftover, next step."""
    columns: dict[str, list[object]] = {}
    for block_id, stair in stairs.items():
        params = round_.block(block_id).params
        assert isinstance(params, StaircaseParams)
        p = _prefix(round_, block_id)
        rows = [stair.get(r.code) for r in recipients]
        columns[f"{p}{measure_sv(params.measure)}"] = [d.measure if d else None for d in rows]
        if params.key not in (params.measure, "equal") and params.key in derived:
            columns[f"{p}{KEY_LABELS_SV.get(params.key, key_sv(params.key))}"] = [
                derived[params.key].get(r.code) for r in recipients
            ]
        columns[f"{p}trappsteg (kr)"] = [d.step_paid if d else 0 for d in rows]
        columns[f"{p}omfördelning (kr)"] = [d.leftover_paid if d else 0 for d in rows]
        reported = [has_report(derived, r.code) for r in recipients]
        columns[f"{p}nästa steg"] = [
            next_step_sv(d, ok, params.measure) if d else "–" for d, ok in zip(rows, reported, strict=True)
        ]
        columns[f"{p}nästa steg (kr)"] = [
            d.next_gain if d and ok and d.next_gain is not None else None for d, ok in zip(rows, reported, strict=True)
        ]
    return columns


def block_titles(round_: Round) -> dict[str, str]:
    return {b.id: b.title for b in round_.blocks}


def results_columns(
    result: RoundResult,
    recipients: Sequence[Recipient],
    titles: Mapping[str, str],
    extra: Mapping[str, Sequence[object]] | None = None,
) -> dict[str, list[object]]:
    """One value per recipient in each column: the amount of each block (with ``extra`` columns, e.g. a
    staircase's step and next step), the total and kronor per inhabitant."""
    columns: dict[str, list[object]] = {
        "länskod": [r.code for r in recipients],
        "region": [r.name for r in recipients],
        "befolkning": [r.population for r in recipients],
    }
    for column, values in (extra or {}).items():
        columns[column] = [float(v) if isinstance(v, Fraction) else v for v in values]
    if len(result.blocks) > 1:
        for block in result.blocks:
            columns[f"{titles[block.block_id]} (kr)"] = [block.amounts[r.code] for r in recipients]
    columns["totalt (kr)"] = [result.totals[r.code] for r in recipients]
    columns["kr per invånare"] = [result.totals[r.code] / r.population for r in recipients]
    return columns


def with_sum_row(frame: pd.DataFrame) -> pd.DataFrame:
    """The table and a last row ``Summa`` with the sum of each kronor column and of the population."""
    import pandas as pd

    sums: dict[str, object] = {"länskod": "", "region": "Summa"}
    for column in frame.columns:
        if column.endswith("(kr)") or column == "befolkning":
            sums[column] = int(pd.to_numeric(frame[column], errors="coerce").fillna(0).sum())
    return pd.concat([frame, pd.DataFrame([sums])], ignore_index=True)


def result_columns(
    round_: Round, result: RoundResult, recipients: Sequence[Recipient], values: Mapping[str, Mapping[str, object]]
) -> dict[str, list[object]]:
    """The results table of ``result`` (``round_``: the round it was computed with, what-if steps applied)."""
    stairs, derived = stair_details(round_, result, recipients, values)
    extra = stair_columns(round_, stairs, derived, recipients)
    return results_columns(result, recipients, block_titles(round_), extra)
