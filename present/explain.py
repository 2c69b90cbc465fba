"""Per-region explanations in Swedish: why a region gets what it gets, and what the next step is worth."""

from __future__ import annotations

from fractions import Fraction

from allocation.at import POT_BELOW_STEPS, Allocation, RegionResult
from present import formats as f

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


def concentration_notice(allocation: Allocation) -> str | None:
    """When one region takes most of the pot: who, how much, for how many positions, and why (Markdown).

    The key insight of sharing the leftover per 100 000 inhabitants: a few positions in a small region weigh
    as much as many in a large one, so a small region can take most of the pot.
    """
    if allocation.paid == 0 or allocation.pot == 0:
        return None
    top = max(allocation.regions, key=lambda r: r.total)
    share = Fraction(top.total, allocation.pot)
    if share <= CONCENTRATION_SHARE or top.expansion == 0:
        return None
    others = [r for r in allocation.regions if r.qualifies and r.code != top.code]
    text = (
        f"**{top.name} får {f.percent(share, 0)} av potten**: {f.kr(top.total)} för {positions(top.expansion)} "
        f"utöver plan, {f.kr(round(top.total / top.expansion))} per tjänst."
    )
    if not others:
        return text + f" {top.name} är ensam om att nå trappan och får därför allt som fördelas."
    other_positions = sum((r.expansion for r in others), Fraction(0))
    other_total = sum(r.total for r in others)
    text += (
        f" De övriga {len(others)} regionerna på trappan får tillsammans {f.kr(other_total)} för "
        f"{positions(other_positions)}, {f.kr(round(other_total / other_positions))} per tjänst."
    )
    scaled = any(w.code == POT_BELOW_STEPS for w in allocation.warnings)
    if not scaled and allocation.params.key == "expansion_per_100k":
        per = f.number(allocation.params.per_inhabitants)
        text += (
            f" Kvarstående medel fördelas efter utökning per {per} invånare, och {top.name} har "
            f"{f.number(top.population)} invånare: {positions(top.expansion)} blir "
            f"{f.number(top.expansion_per_100k, 2)} per {per} invånare, mot högst "
            f"{f.number(max(r.expansion_per_100k for r in others), 2)} för de övriga. "
            "Så verkar anvisningens regel: några tjänster i en liten region väger lika tungt som många i en stor."
        )
    elif not scaled:
        text += f" Kvarstående medel fördelas efter {KEY_LABELS_SV[allocation.params.key]}."
    return text
