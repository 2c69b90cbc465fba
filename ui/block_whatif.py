"""The rules a what-if may change in a round of blocks: each block's pot (one of the rules' figures or an amount
of one's own), each staircase's step amounts and the key its leftover is shared by.

Every field is bound to the address, so the address bar is a shareable link to the same simulation. The names
come from the round's rules: in a round of one block they are those the simulator has always used (``pot``,
``pot_kr``, ``nyckel``, ``steg10`` — old links keep opening what they opened); with more blocks each name ends
with the block's id (``pot_kr_performance``). Amounts are typed and shown the Swedish way (``12 000 000``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import streamlit as st

from allocation.block_fields import Citation
from allocation.blocks import CUSTOM_POT, Block, Round
from allocation.method_params import StaircaseParams
from allocation.rules import KEYS
from allocation.whatif import WhatIf, pot_amount, rule_steps, staircase_blocks
from present import formats as f
from present.decision_text import METHOD_SV
from ui.money_input import money_input
from ui.text import label, plain

ROUND_STATE = "blk_round"  # the round the fields were last set up for
KEY_LABELS = {
    "expansion_per_100k": "Utökning per 100 000 invånare",
    "expansion": "Utökning i antal tjänster",
    "equal": "Lika delar",
}
CUSTOM_SV = "Eget belopp"
# Labels the simulator's links carried before (a bound choice is in the address by its label): still opened.
OLD_CUSTOM_SV = "Eget belopp (what-if)"
OLD_KEY_LABELS = {
    "Utökning per 100 000 invånare (anvisningen)": "expansion_per_100k",
    "Utökning i antal tjänster (what-if)": "expansion",
    "Lika delar (what-if)": "equal",
}


class Names:
    """The field names of a round: plain for one block, with the block's id for several."""

    def __init__(self, round_: Round) -> None:
        self.single = len(round_.blocks) == 1

    def _name(self, base: str, block_id: str) -> str:
        return base if self.single else f"{base}_{block_id}"

    def choice(self, block_id: str) -> str:
        return self._name("pot", block_id)

    def amount(self, block_id: str) -> str:
        return self._name("pot_kr", block_id)

    def key(self, block_id: str) -> str:
        return self._name("nyckel", block_id)

    def step(self, block_id: str, threshold: int) -> str:
        return self._name(f"steg{threshold}", block_id)


def field_keys(round_: Round) -> list[str]:
    n = Names(round_)
    keys = [k for b in round_.blocks for k in (n.choice(b.id), n.amount(b.id))]
    for block_id in staircase_blocks(round_):
        keys.append(n.key(block_id))
        keys += [n.step(block_id, s.min_expansion) for s in rule_steps(round_, block_id)]
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
    """Set the fields to a what-if (what it does not name: the rules' figures). A button's callback may call it."""
    n = Names(round_)
    state = st.session_state
    for block in round_.blocks:
        choice = what_if.pots.get(block.id, block.pot.default)
        if len(block.pot.options) > 1:
            state[n.choice(block.id)] = choice if isinstance(choice, str) else CUSTOM_POT
        state[n.amount(block.id)] = f.number(pot_amount(round_, block.id, choice))
    for block_id in staircase_blocks(round_):
        steps = rule_steps(round_, block_id)
        amounts = what_if.steps.get(block_id, tuple(s.amount for s in steps))
        for step, amount in zip(steps, amounts, strict=True):
            state[n.step(block_id, step.min_expansion)] = f.number(amount)
        params = round_.block(block_id).params
        assert isinstance(params, StaircaseParams)
        state[n.key(block_id)] = what_if.keys.get(block_id, params.key)


def reset(round_: Round) -> None:
    open_what_if(round_, WhatIf())


def controls(round_: Round) -> WhatIf:
    """Each block's pot (with the rules' figures, method and source) and each staircase's amounts and key."""
    n = Names(round_)
    pots: dict[str, int | str] = {}
    steps: dict[str, tuple[int, ...]] = {}
    keys: dict[str, str] = {}
    columns = st.columns(min(len(round_.blocks), 3))
    for i, block in enumerate(round_.blocks):
        with columns[i % len(columns)]:
            pots[block.id] = _pot(block, n, round_.sources)
            if isinstance(block.params, StaircaseParams):
                steps[block.id], keys[block.id] = _staircase(block.id, block.params, n)
    what_if = WhatIf(pots=pots, steps=steps, keys=keys)
    st.button("Återställ reglernas belopp", on_click=reset, args=(round_,), key="blk_reset")
    return what_if


def _pot(block: Block, n: Names, sources: Mapping[str, Citation]) -> int | str:
    """The block's pot: a choice among the rules' figures (and an amount of one's own), or an amount."""
    options = {o.id: o.label for o in block.pot.options}
    method = METHOD_SV.get(block.method, block.method)
    illustrative = " *Illustrativt.*" if block.illustrative else ""
    if len(options) > 1:
        _adopt_old_link(n.choice(block.id), {OLD_CUSTOM_SV: CUSTOM_POT})
        st.session_state.setdefault(n.choice(block.id), block.pot.default)
        choice = st.radio(
            "Pott" if n.single else f"{label(block.title)}: pott",
            [*options, CUSTOM_POT],
            format_func=lambda o: plain(options.get(o, CUSTOM_SV)),
            key=n.choice(block.id),
            bind="query-params",
        )
        amount = money_input(
            f"{CUSTOM_SV} (kr)",
            block.pot.amount,
            n.amount(block.id),
            bind="query-params",
            disabled=choice != CUSTOM_POT,
        )
        st.info(options_notice(block, sources), icon=":material/info:")
        if choice != CUSTOM_POT:
            st.caption(f"Potten som används: **{f.kr(block.pot.option(choice).amount)}**; {method}.{illustrative}")
            return choice
        st.caption(f"Potten som används: **{f.kr(amount)}** (eget belopp); {method}.{illustrative}")
        return amount
    option = block.pot.option(block.pot.default)
    name = "Pott (kr)" if n.single else f"{label(block.title)}: pott (kr)"
    amount = money_input(name, block.pot.amount, n.amount(block.id), bind="query-params")
    st.caption(
        f"Enligt reglerna {f.kr(block.pot.amount)} (källa: {plain(option.source.section)}); {method}.{illustrative}"
    )
    return amount


def _adopt_old_link(name: str, old: dict[str, str]) -> None:
    """An address with an old label for a choice opens that choice (the field then shows its new label)."""
    linked = st.query_params.get(name)
    if linked in old and name not in st.session_state:
        st.session_state[name] = old[linked]


def options_notice(block: Block, sources: Mapping[str, Citation] | None = None) -> str:
    """When the rules give more than one figure for a pot: each with its section and sentence, and what the
    difference of two figures is when a cited sentence of the rules names that amount."""
    lines = [f"**{len(block.pot.options)} belopp i reglerna.**", ""]
    lines += [
        f"- {f.kr(o.amount)} under ”{plain(o.source.section)}”: ”{plain(o.source.quote)}”" for o in block.pot.options
    ]
    if explained := difference_sv(block, sources or {}):
        lines += ["", explained]
    lines += ["", "Resultatet och varje export anger vilken pott som används."]
    return "\n".join(lines)


def _staircase(block_id: str, params: StaircaseParams, n: Names) -> tuple[tuple[int, ...], str]:
    amounts = []
    measure = "tjänster utöver plan" if params.measure == "expansion" else "i måttet"
    with st.expander("Trappans belopp och fördelningsnyckel", expanded=False):
        for step in params.steps:
            amounts.append(
                money_input(
                    f"Trappsteg vid minst {f.count(step.min_expansion)} {measure} (kr)",
                    step.amount,
                    n.step(block_id, step.min_expansion),
                    help=f"Enligt reglerna {f.kr(step.amount)}",
                    bind="query-params",
                )
            )
        _adopt_old_link(n.key(block_id), OLD_KEY_LABELS)
        st.session_state.setdefault(n.key(block_id), params.key)
        key = st.selectbox(
            "Fördelningsnyckel för det som blir kvar",
            list(KEYS),
            format_func=lambda k: label(KEY_LABELS.get(k, k)) + (" (reglerna)" if k == params.key else ""),
            key=n.key(block_id),
            bind="query-params",
        )
    return tuple(amounts), str(key)


def _amounts_in(text: str) -> set[int]:
    """The whole amounts written in a sentence (``2 000 000``, ``2000000``, ``2 000 000``)."""
    return {int(re.sub(r"\D", "", m)) for m in re.findall(r"\d{1,3}(?:[\s\u00a0\u202f]\d{3})+|\d+", text)}


def difference_sv(block: Block, sources: Mapping[str, Citation]) -> str | None:
    """``Skillnaden, 2 000 000 kr, motsvarar …`` when the pot's two figures differ by an amount that a cited
    sentence of the rules on the agency's own costs names (the sentence is the rules', never ours)."""
    amounts = sorted({o.amount for o in block.pot.options})
    if len(amounts) != 2:
        return None
    difference = amounts[1] - amounts[0]
    for name, cite in sources.items():
        if "cost" in name and difference in _amounts_in(cite.quote):
            return (
                f"Skillnaden, {f.kr(difference)}, motsvarar medlen för myndighetens egna kostnader "
                f"(”{plain(cite.section)}”: ”{plain(cite.quote)}”)."
            )
    return None
