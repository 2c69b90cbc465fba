"""The method sheet of a simulated round of blocks: what a printed result needs to explain itself (the round, each
block's pot and where it comes from, its method and parameters, rounding, paid and unpaid, the scenario)."""

from __future__ import annotations

from collections.abc import Sequence

from allocation.blocks import Round, RoundResult
from allocation.method_params import FixedTableParams, StaircaseParams
from allocation.whatif import WhatIf
from present import formats as f
from present.decision_text import METHOD_SV
from present.eligibility import key_sv
from present.explain import KEY_LABELS_SV
from present.notices import names_of, text_sv

NO_SCENARIO_SV = "inget sparat scenario (den aktuella simuleringen)"
ROUNDING_SV = (
    "Hela kronor med största-rest-metoden i exakt heltalsaritmetik; lika rester: lägre länskod först. "
    "Summan av utbetalningarna och det som inte fördelas är lika med potten."
)
STAIRCASE_SV = (
    "Högsta uppnådda trappsteg på måttet ({measure}) ger sitt belopp. Det som blir kvar av potten fördelas mellan "
    "dem som nått ett steg i proportion till nyckeln. Räcker potten inte till trappstegen skalas de ned "
    "proportionellt och inget fördelas utöver dem."
)


def _pot_sv(round_: Round, block_id: str, choice: int | str | None) -> str:
    block = round_.block(block_id)
    if isinstance(choice, int):
        return f"{f.kr(choice)} (eget belopp)"
    option = block.pot.option(choice or block.pot.default)
    return f"{f.kr(option.amount)} ({option.source.section})" if option.source.section else f.kr(option.amount)


def method_rows(
    round_: Round, what_if: WhatIf, result: RoundResult, source: str, scenario: str
) -> list[tuple[str, str]]:
    """The rows of the "Om uttaget" sheet; ``round_`` with the what-if's staircases applied."""
    rows = [("Bidragsomgång", round_.title), ("Diarienummer", round_.dnr), ("Regelfil", f"version {round_.version}")]
    if round_.population_source:
        rows.append(("Befolkningsdatum", f"{round_.population_date.isoformat()} ({round_.population_source})"))
    single = len(round_.blocks) == 1
    for block in round_.blocks:
        p = "" if single else f"{block.title}: "
        rows.append((f"{p}Pott", _pot_sv(round_, block.id, what_if.pots.get(block.id))))
        rows.append((f"{p}Metod", METHOD_SV.get(block.method, block.method)))
        params = block.params
        if isinstance(params, StaircaseParams):
            steps = "; ".join(f"≥ {f.count(s.min_expansion)} → {f.kr(s.amount)}" for s in params.steps)
            rows.append((f"{p}Trappsteg", steps))
            rows.append((f"{p}Fördelningsnyckel", KEY_LABELS_SV.get(params.key, key_sv(params.key))))
            rows.append((f"{p}Beräkning", STAIRCASE_SV.format(measure=key_sv(params.measure))))
        elif isinstance(params, FixedTableParams):
            rows.append((f"{p}Underlag", "officiell tabell" if params.basis == "official" else "uppskattning"))
        outcome = result.block(block.id)
        if not single:  # one block: its payout is the round's, said below
            rows.append((f"{p}Utbetalt", f.kr(outcome.paid)))
        rows += [(f"{p}Obs", text_sv(n, names_of(round_.blocks))) for n in outcome.notices]
    rows += [
        ("Avrundning", ROUNDING_SV),
        ("Utbetalt", f.kr(result.paid)),
        ("Ej fördelat", f.kr(result.unallocated)),
        ("Utfall", source),
        ("Scenario", scenario or NO_SCENARIO_SV),
        ("Illustrativ", "ja: antaganden, inte officiella siffror" if round_.illustrative else "nej"),
    ]
    return rows


def method_sheet(
    round_: Round,
    what_if: WhatIf,
    result: RoundResult,
    source: str,
    scenario: str,
    facts: Sequence[tuple[str, str]],
) -> list[tuple[str, str]]:
    """The simulator's whole "Om uttaget" sheet: the method rows, then the store's ``facts`` that they do not
    already say. The store's facts list every round's rules file; the sheet names the one simulated, once (its
    version, beside the round's title)."""
    rows = method_rows(round_, what_if, result, source, scenario)
    said = {key for key, _ in rows}
    return [*rows, *(row for row in facts if row[0] not in said)]
