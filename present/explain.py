"""Per-region explanations in Swedish: why a region gets what it gets, and what the next step is worth."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING

from allocation.blocks import Round, RoundResult
from allocation.methods.record import POT_BELOW_STEPS
from allocation.methods.staircase import StepDetail
from present import formats as f
from present.decision_text import explanation
from present.outcome import NO_REPORT_SV

if TYPE_CHECKING:  # the 2023 view builds on present.block_table, which reads this module
    from present.at_view import Allocation, RegionResult

KEY_LABELS_SV = {
    "expansion_per_100k": "utökning per 100 000 invånare",
    "expansion": "utökning (antal tjänster)",
    "equal": "lika delar",
}


# One region taking more than this share of the pot is worth saying out loud.
CONCENTRATION_SHARE = Fraction(1, 2)


def positions(count: int | Fraction) -> str:
    """``1 tjänst``, ``2 tjänster``, ``2,5 tjänster``."""
    return f"{f.count(count)} {'tjänst' if count == 1 else 'tjänster'}"


def explain(result: RegionResult, allocation: Allocation) -> list[str]:
    """One sentence per reasoning step, in Swedish, for one region."""
    params = allocation.params
    lines = []
    planned = f.count(result.planned) + (" (ändrat i scenariot)" if result.planned_overridden else "")
    lines.append(
        f"Utfall = högsta av tillsatta ({result.filled}) och påbörjade ({result.started}) = {result.outcome}; "
        f"planerat {planned}; tidigare finansierade (2022) {result.excluded}."
    )
    raw = f.count(abs(result.raw_expansion))
    if result.raw_expansion < 0:
        lines.append(
            f"Utökning = 0 ({result.outcome} − {f.count(result.planned)} − {result.excluded} = −{raw}, "
            "under plan räknas som 0)."
        )
    else:
        lines.append(f"Utökning = {result.outcome} − {f.count(result.planned)} − {result.excluded} = {raw}.")
    first = params.steps[0]
    if result.step is None:
        lines.append(
            f"Inget trappsteg nått (första steget kräver {first.min_expansion}); regionen kvalificerar sig inte."
        )
    else:
        lines.append(
            f"Trappsteg: utökning {f.count(result.expansion)} ≥ {result.step.min_expansion} "
            f"ger {f.kr(result.step_nominal)}."
        )
        if result.step_amount != result.step_nominal:
            lines.append(
                "Potten räcker inte till alla trappsteg: beloppet nedskalas proportionellt till "
                f"{f.kr(result.step_amount)}."
            )
        lines.append(
            f"Utökning per {f.number(params.per_inhabitants)} invånare: "
            f"{f.count(result.expansion)} × {f.number(params.per_inhabitants)} / {f.number(result.population)} = "
            f"{f.number(result.expansion_per_100k, 2)}."
        )
        if any(w.code == POT_BELOW_STEPS for w in allocation.warnings):
            lines.append("Inga kvarstående medel att omfördela.")
        else:
            lines.append(
                f"Andel av kvarstående {f.kr(allocation.leftover)} (fördelningsnyckel: {KEY_LABELS_SV[params.key]}): "
                f"{f.percent(result.share_of_leftover, 2)} = {f.kr(result.redistribution)}."
            )
    if result.next_step is None:
        lines.append("Högsta trappsteget är nått.")
    elif result.outcome == 0:  # nothing filled or started: how far the next step is says nothing
        lines.append(f"Nästa trappsteg ({result.next_step.min_expansion}): {NO_REPORT_SV}.")
    else:
        gain = result.next_step_kronor or 0
        line = (
            f"Nästa trappsteg ({result.next_step.min_expansion}) nås med {positions(result.next_step_positions or 0)} "
            f"till och ger {f.kr(gain)} mer i trappbelopp"
        )
        unscaled = result.next_step.amount - result.step_nominal
        if gain != unscaled:
            line += (
                ": potten räcker inte till alla trappsteg, så även det steget skalas ned "
                f"(med övriga regioner oförändrade; utan nedskalning {f.kr(unscaled)})"
            )
        lines.append(line + ".")
    lines.append(f"Totalt: {f.kr(result.total)}.")
    return lines


# --- a round of blocks: a staircase block's next step, the explanation, the concentration notice -----------


def has_report(values: Mapping[str, Mapping[str, Fraction]], code: str) -> bool:
    """Whether a recipient has an outcome (rounds whose values have none count every recipient as reported)."""
    outcome = values.get("outcome")
    return outcome is None or outcome.get(code, Fraction(0)) > 0


def next_step_sv(detail: StepDetail, reported: bool, measure: str) -> str:
    """How far the next step is (``2 tjänster``), ``ingen rapport`` without an outcome, ``–`` at the top."""
    if not reported:
        return NO_REPORT_SV
    if detail.to_next is None:
        return "–"
    return positions(detail.to_next) if measure == "expansion" else f.count(detail.to_next)


def _next_line(title: str, detail: StepDetail, reported: bool, measure: str, unscaled: int) -> str:
    if detail.next_threshold is None:
        return f"{title}: högsta trappsteget är nått."
    if not reported:
        return f"{title}: nästa trappsteg ({detail.next_threshold}): {NO_REPORT_SV}."
    gain = detail.next_gain or 0
    line = (
        f"{title}: nästa trappsteg ({detail.next_threshold}) nås med {next_step_sv(detail, True, measure)} till "
        f"och ger {f.kr(gain)} mer i trappbelopp"
    )
    if gain != unscaled:
        line += (
            ": potten räcker inte till alla trappsteg, så även det steget skalas ned "
            f"(med övriga regioner oförändrade; utan nedskalning {f.kr(unscaled)})"
        )
    return line + "."


def block_explanation(
    round_: Round,
    result: RoundResult,
    values: Mapping[str, Mapping[str, Fraction]],
    code: str,
    stairs: Mapping[str, Mapping[str, StepDetail]],
) -> list[str]:
    """The decision's explanation of one recipient, with each staircase block's next step before the total."""
    lines = list(explanation(round_, result, values, code))  # type: ignore[arg-type]
    reported = has_report(values, code)
    for block_id, stair in stairs.items():
        if code not in stair:
            continue
        block = round_.block(block_id)
        title = "Nästa steg" if len(round_.blocks) == 1 else block.title
        measure = getattr(block.params, "measure", "expansion")
        detail = stair[code]
        steps = getattr(block.params, "steps", ())
        unscaled = steps[detail.level].amount - detail.nominal if detail.level < len(steps) else 0
        lines.insert(len(lines) - 1, _next_line(title, detail, reported, measure, unscaled))
    return lines


def block_concentration_notice(
    round_: Round,
    result: RoundResult,
    block_id: str,
    stair: Mapping[str, StepDetail],
    names: Mapping[str, str],
    populations: Mapping[str, int],
) -> str | None:
    """When one recipient takes more than half of a staircase block's money: who, how much, for how much of
    the measure, and why (Markdown).

    Sharing the leftover per 100 000 inhabitants, a little in a small region weighs as much as much in a large
    one, so a small region can take most of the pot."""
    outcome = result.block(block_id)
    params = round_.block(block_id).params
    measure = getattr(params, "measure", "expansion")
    if outcome.paid == 0 or outcome.available == 0 or not stair:
        return None
    top = max(stair, key=lambda c: (outcome.amounts[c], c))
    share = Fraction(outcome.amounts[top], outcome.available)
    mine = stair[top].measure
    if share <= CONCENTRATION_SHARE or mine == 0:
        return None
    unit = "tjänst" if measure == "expansion" else "enhet"

    def amount(value: Fraction) -> str:
        return positions(value) if measure == "expansion" else f"{f.count(value)} ({measure})"

    text = (
        f"**{names[top]} får {f.percent(share, 0)} av potten**: {f.kr(outcome.amounts[top])} för {amount(mine)}"
        f"{' utöver plan' if measure == 'expansion' else ''}, {f.kr(round(outcome.amounts[top] / mine))} per {unit}."
    )
    others = [c for c, d in stair.items() if d.level and c != top]
    if not others:
        return text + f" {names[top]} är ensam om att nå trappan och får därför allt som fördelas."
    other_measure = sum((stair[c].measure for c in others), Fraction(0))
    other_total = sum(outcome.amounts[c] for c in others)
    text += (
        f" De övriga {len(others)} regionerna på trappan får tillsammans {f.kr(other_total)} för "
        f"{amount(other_measure)}, {f.kr(round(other_total / other_measure))} per {unit}."
    )
    key = getattr(params, "key", "")
    below = any(n.code == POT_BELOW_STEPS for n in outcome.notices)
    if not below and key == f"{measure}_per_100k":
        per = f.number(getattr(params, "per_inhabitants", 100_000))
        best_other = max(stair[c].weight for c in others)
        text += (
            f" Kvarstående medel fördelas efter {KEY_LABELS_SV.get(key, key)}, och {names[top]} har "
            f"{f.number(populations[top])} invånare: {amount(mine)} blir {f.number(stair[top].weight, 2)} per "
            f"{per} invånare, mot högst {f.number(best_other, 2)} för de övriga. "
            "Så verkar regeln: lite i en liten region väger lika tungt som mycket i en stor."
        )
    elif not below and key:
        text += f" Kvarstående medel fördelas efter {KEY_LABELS_SV.get(key, key)}."
    return text
