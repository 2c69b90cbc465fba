"""Per-region explanations in Swedish: why a region gets what it gets, and what the next step is worth."""

from __future__ import annotations

from allocation.at import POT_BELOW_STEPS, Allocation, RegionResult
from present import formats as f

KEY_LABELS_SV = {
    "expansion_per_100k": "utökning per 100 000 invånare",
    "expansion": "utökning (antal tjänster)",
    "equal": "lika delar",
}


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
        lines.append(
            f"Nästa trappsteg ({result.next_step.min_expansion}) nås med {result.next_step_positions} tjänst(er) till "
            f"och ger {f.kr(result.next_step_kronor or 0)} mer i trappbelopp."
        )
    lines.append(f"Totalt: {f.kr(result.total)}.")
    return lines
