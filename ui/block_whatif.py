"""The rules a what-if may change in a round of blocks: each block's pot and each staircase's step amounts.

Every field is an amount typed the Swedish way (``12 000 000``) and bound to the address (``?pott_<block>=``,
``?steg<threshold>_<block>=``), so the address bar is a shareable link to the same simulation. The fields'
names come from the round's rules (block ids and thresholds), never from code.
"""

from __future__ import annotations

import streamlit as st

from allocation.blocks import Round
from allocation.method_params import StaircaseParams
from allocation.whatif import WhatIf, rule_steps, staircase_blocks
from present import formats as f
from present.decision_text import METHOD_SV
from ui.money_input import money_input
from ui.text import label, plain

ROUND_STATE = "blk_round"  # the round the fields were last set up for


def pot_key(block_id: str) -> str:
    return f"pott_{block_id}"


def step_key(block_id: str, threshold: int) -> str:
    return f"steg{threshold}_{block_id}"


def field_keys(round_: Round) -> list[str]:
    keys = [pot_key(b.id) for b in round_.blocks]
    for block_id in staircase_blocks(round_):
        keys += [step_key(block_id, s.min_expansion) for s in rule_steps(round_, block_id)]
    return keys


def follow_round(round_: Round) -> bool:
    """A page that switches to another round starts from that round's rules; True on a switch."""
    if st.session_state.get(ROUND_STATE) == round_.id:
        return False
    switched = ROUND_STATE in st.session_state  # not the first visit, whose address may carry the rules
    if switched:
        for key in field_keys(round_):
            st.session_state.pop(key, None)
    st.session_state[ROUND_STATE] = round_.id
    return switched


def open_what_if(round_: Round, what_if: WhatIf) -> None:
    """Set the fields to a saved what-if (pots and steps it does not name: the rules' figures)."""
    for block in round_.blocks:
        st.session_state[pot_key(block.id)] = f.number(what_if.pots.get(block.id, block.pot.amount))
    for block_id in staircase_blocks(round_):
        steps = rule_steps(round_, block_id)
        amounts = what_if.steps.get(block_id, tuple(s.amount for s in steps))
        for step, amount in zip(steps, amounts, strict=True):
            st.session_state[step_key(block_id, step.min_expansion)] = f.number(amount)


def reset(round_: Round) -> None:
    open_what_if(round_, WhatIf())


def controls(round_: Round) -> WhatIf:
    """One pot field per block (with the rules' figure, method and source) and each staircase's amounts."""
    pots: dict[str, int] = {}
    steps: dict[str, tuple[int, ...]] = {}
    columns = st.columns(min(len(round_.blocks), 3))
    for i, block in enumerate(round_.blocks):
        with columns[i % len(columns)]:
            pots[block.id] = money_input(
                f"{label(block.title)}: pott (kr)", block.pot.amount, pot_key(block.id), bind="query-params"
            )
            option = block.pot.option(block.pot.default) if block.pot.options else None
            method = METHOD_SV.get(block.method, block.method)
            source = f" Källa: {plain(option.source.section)}." if option else ""
            illustrative = " *Illustrativt.*" if block.illustrative else ""
            st.caption(f"Enligt reglerna {f.kr(block.pot.amount)}; {method}.{source}{illustrative}")
            if isinstance(block.params, StaircaseParams):
                steps[block.id] = _steps(block.id, block.params)
    st.button("Återställ reglernas belopp", on_click=reset, args=(round_,), key="blk_reset")
    return WhatIf(pots=pots, steps=steps)


def _steps(block_id: str, params: StaircaseParams) -> tuple[int, ...]:
    amounts = []
    with st.expander("Trappans belopp", expanded=False):
        for step in params.steps:
            amounts.append(
                money_input(
                    f"Minst {f.count(step.min_expansion)} tjänster utöver plan (kr)",
                    step.amount,
                    step_key(block_id, step.min_expansion),
                    bind="query-params",
                )
            )
    return tuple(amounts)
