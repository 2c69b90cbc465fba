"""The engine's notices are values (a code and plain parameters); their words live in present/notices.py.

Checked here: every code has a Swedish and an English text; the Swedish texts of the notices the engine
actually gives for the shipped rounds and the test rounds name no block id, data key, recipient code or
English word; parameters that look like markup, formulas or control characters stay plain text on one line.
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allocation.block_data import MissingValues, Notice, Recipient
from allocation.block_engine import allocate_round
from allocation.blocks import Round
from allocation.method_params import FixedTableParams, ReportedShareParams
from allocation.methods import FLOWS_TO, NOT_REPORTED, NOTICE_CODES, UNALLOCATED
from cli.rounds import load_rules_file
from present.cells import FORMULA_TRIGGERS
from present.notices import ENGLISH, SWEDISH, Names, engine_error_sv, names_of, notice_record, text_en, text_sv

ROOT = Path(__file__).resolve().parent.parent
ROUND_FILES = sorted((ROOT / "data" / "rounds").glob("*.toml")) + sorted((ROOT / "tests" / "rounds").glob("*.toml"))
# Every name a notice's parameters may carry: data keys (and their per-100k forms), reported parts.
DATA_KEYS = [
    "population",
    "planned",
    "outcome",
    "expansion",
    "positions",
    "filled",
    "started",
    "excluded",
    "requisitioned",
    "equal",
    "expansion_per_100k",
    "positions_per_100k",
    "outcome_per_100k",
    "planned_per_100k",
]
ENGLISH_WORDS = set(
    [
        "the",
        "and",
        "of",
        "to",
        "not",
        "paid",
        "nobody",
        "recipient",
        "recipients",
        "steps",
        "step",
        "table",
        "unallocated",
        "flow",
        "flows",
        "key",
        "keys",
        "known",
        "values",
        "pot",
        "stay",
        "unpaid",
        "shared",
        "share",
        "block's",
        "estimate",
        "reported",
        "eligible",
        "amounts",
    ]
)
PARAMS: dict[str, Any] = {
    "amount": 1_234_567,
    "pot": 2_000_000,
    "total": 3_000_000,
    "key": "expansion_per_100k",
    "block": "b2",
    "codes": ("01", "03"),
    "date": date(2024, 11, 1),
}
NAMES = Names({"b1": "Första delen", "b2": "Andra delen"}, {"01": "Stockholm", "03": "Uppsala"})


def test_every_notice_code_has_a_swedish_and_an_english_text() -> None:
    assert set(SWEDISH) == set(ENGLISH) == set(NOTICE_CODES)
    for code in NOTICE_CODES:
        notice = Notice.of(code, **PARAMS)
        sv, en = text_sv(notice, NAMES), text_en(notice, NAMES)
        assert sv.strip() and en.strip() and sv != en, code
        assert sv[0].isupper() and sv.endswith("."), sv


def test_parameters_are_shown_in_words() -> None:
    flows = text_sv(Notice.of(FLOWS_TO, amount=1_234_567, block="b2"), NAMES)
    assert flows == "Detta block betalar inte ut 1\u00a0234\u00a0567\u00a0kr; beloppet går till blocket ”Andra delen”."
    late = text_sv(Notice.of(NOT_REPORTED, date=date(2024, 11, 1), codes=("01", "03"), amount=5), NAMES)
    assert late == "Har inte rapporterat senast 1 november 2024: Stockholm, Uppsala; deras 5\u00a0kr betalas inte ut."
    assert "expansion" not in text_sv(Notice.of("no_weight", key="expansion_per_100k", amount=1), NAMES)
    assert "utökning (tjänster) per 100 000 invånare" in text_sv(Notice.of("no_weight", key="expansion_per_100k"))
    assert "another block" in text_en(Notice.of(FLOWS_TO, amount=1, block="gone"))  # an unknown id is not shown


def test_a_notice_is_a_value() -> None:
    assert Notice.of(UNALLOCATED, amount=5) == Notice.of(UNALLOCATED, amount=5) != Notice.of(UNALLOCATED, amount=6)
    assert len({Notice.of(UNALLOCATED, amount=5), Notice.of(UNALLOCATED, amount=5)}) == 1
    record = notice_record(Notice.of(NOT_REPORTED, date=date(2024, 11, 1), codes=("01",), amount=5), NAMES)
    assert record["params"] == {"amount": 5, "codes": ["01"], "date": "2024-11-01"}
    assert record["message_sv"].startswith("Har inte rapporterat") and record["message"].startswith("Not reported")


def _scenarios(round_: Round, people: tuple[Recipient, ...], seed: int) -> list[tuple[Any, Any, Any]]:
    """Inputs that make the engine speak: nothing reported, random reports and dates, small and large pots."""
    rng = random.Random(seed)
    codes = [r.code for r in people]
    by_dates = [b.params.by for b in round_.blocks if isinstance(b.params, ReportedShareParams)]
    events_names = {b.params.event for b in round_.blocks if isinstance(b.params, ReportedShareParams)}
    zero = {"positions": dict.fromkeys(codes, 0)} | ({} if round_.planned else {"expansion": dict.fromkeys(codes, 0)})
    out: list[tuple[Any, Any, Any]] = [(zero, {}, None)]
    for _ in range(12):
        values = {
            "filled": {c: rng.randint(0, 60) for c in codes},
            "started": {c: rng.randint(0, 60) for c in codes},
            "excluded": {c: rng.randint(0, 3) for c in codes},
        }
        if any(b.params.cap_key for b in round_.blocks if isinstance(b.params, FixedTableParams)):
            values["requisitioned"] = {c: rng.choice([0, 1_000_000, 50_000_000]) for c in codes}
        values["positions"] = {c: rng.randint(0, 300) for c in codes}
        if not round_.planned:  # a round without a planning document is given its expansion
            values["expansion"] = {c: rng.choice([0, 0, 1, 4, 12]) for c in codes}
        day = by_dates[0] if by_dates else date(2030, 1, 1)
        events = {
            e: {c: day + timedelta(days=rng.randint(-5, 5)) for c in codes if rng.random() < 0.8} for e in events_names
        }
        pots = {b.id: rng.choice([0, 1, 1_000_000, 1_000_000_000]) for b in round_.blocks if rng.random() < 0.5}
        out.append((values, events, pots))
    return out


def _engine_notices() -> list[tuple[str, Round, tuple[Recipient, ...], Notice]]:
    found = []
    for path in ROUND_FILES:
        loaded = load_rules_file(path)
        round_, people = loaded.round_, loaded.recipients
        for values, events, pots in _scenarios(round_, people, seed=len(found)):
            result = allocate_round(round_, people, values, events, pots)
            found += [(path.name, round_, people, n) for b in result.blocks for n in b.notices]
    return found


ENGINE_NOTICES = _engine_notices()


def test_the_engine_speaks_for_the_rounds() -> None:
    codes = {n.code for *_, n in ENGINE_NOTICES}
    assert {FLOWS_TO, UNALLOCATED, NOT_REPORTED} <= codes, codes
    assert len(codes) >= 6, codes


@pytest.mark.parametrize("file", sorted({f for f, *_ in ENGINE_NOTICES}))
def test_no_swedish_notice_names_an_id_a_key_or_an_english_word(file: str) -> None:
    for name, round_, people, notice in ENGINE_NOTICES:
        if name != file:
            continue
        text = text_sv(notice, names_of(round_.blocks, people))
        words = set(re.findall(r"[\w']+", text))
        internal = {b.id for b in round_.blocks} | set(DATA_KEYS) | {r.code for r in people}
        # a block id that is also a Swedish word of the text would be ambiguous; none of the rounds has one
        assert not words & internal, (notice, text)
        assert not {w.lower() for w in words} & ENGLISH_WORDS, (notice, text)
        assert "_" not in text and "'" not in text, text


HOSTILE = [
    '=HYPERLINK("http://x";"Klicka")',
    "+1+1",
    "-2",
    "@SUM(A1)",
    "**fet** _kursiv_ [länk](http://x) ![bild](http://x)",
    "<script>alert(1)</script>",
    "rad ett\nrad två\r\ttab",
    "\x1b]0;pwned\x07",
    "\u202eevil\u2066",
]


@settings(max_examples=150, deadline=None)
@given(
    code=st.sampled_from(NOTICE_CODES),
    title=st.one_of(st.sampled_from(HOSTILE), st.text(min_size=1, max_size=40)),
    name=st.one_of(st.sampled_from(HOSTILE), st.text(min_size=1, max_size=40)),
    key=st.one_of(st.sampled_from(HOSTILE), st.text(max_size=30)),
)
def test_parameters_that_look_like_markup_or_formulas_stay_plain(code: str, title: str, name: str, key: str) -> None:
    names = Names({"b": title}, {"x": name})
    notice = Notice.of(code, amount=7, pot=8, total=9, block="b", codes=("x",), key=key, date=date(2030, 1, 1))
    for text in (text_sv(notice, names), text_en(notice, names)):
        assert not text.startswith(FORMULA_TRIGGERS)  # the sentence begins with its own words, never a parameter
        assert not re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]", text), text
        for given_text in (title, name):
            shown = " ".join(
                re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]+", " ", given_text).split()
            )
            if code in ("flows_to",) and given_text is title and shown:
                assert shown in text
            if code in ("not_in_table", "not_reported") and given_text is name and shown:
                assert shown in text


def test_a_round_without_the_values_its_rules_need_is_said_in_swedish() -> None:
    loaded = load_rules_file(ROOT / "tests" / "rounds" / "at-2022-illustrative.toml")
    with pytest.raises(MissingValues) as caught:
        allocate_round(loaded.round_, loaded.recipients, {})
    text = engine_error_sv(caught.value)
    assert caught.value.key in ("positions_per_100k", "expansion") and caught.value.key not in text
    assert "per 100 000 invånare" in text or "utökning" in text
    assert "no values" in str(caught.value)  # the English message stays for logs and the command line
