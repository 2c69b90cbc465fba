"""Which regions need attention, and why: the ranking (pure, with Hypothesis properties), its Swedish words,
the table and the two figures of the overview's "Behöver uppmärksamhet"."""

from __future__ import annotations

import dataclasses
import itertools
import random
import re
import tomllib
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allocation.attention import (
    LEVEL_SV,
    Level,
    Reason,
    RegionAttention,
    Unrequisitioned,
    rank_regions,
    round_state,
)
from allocation.deadlines import Status, StatusResult
from allocation.milestones import StatusCell, round_milestones, status_cells
from ingest.data_folder import load_regions
from present import formats as f
from ui.attention_chart import days_chart, money_chart
from ui.attention_table import attention_frame, frame_styles
from ui.attention_text import (
    NOTHING_DUE_SV,
    SETTLED_SV,
    events_of,
    headline_sv,
    level_sv,
    long_date,
    reason_sv,
    why_sv,
)

ROOT = Path(__file__).resolve().parents[1]
REGIONS = load_regions()
N = len(REGIONS)
ROUNDS = [round_milestones(tomllib.loads(p.read_text())) for p in sorted((ROOT / "data/rounds").glob("*.toml"))]
AT = next(r for r in ROUNDS if any(kind == "at_report" for _, kind in r.windows))
FIXED = next(r for r in ROUNDS if any(kind == "requisition" for _, kind in r.windows))
ORDER = [r.round_id for r in ROUNDS]
EVENTS = events_of(ROUNDS)
REQUISITION = next(w for w, kind in FIXED.windows if kind == "requisition")
USAGE = next(w for w, kind in FIXED.windows if kind == "usage_report")
REPORT = next(w for w, kind in AT.windows if kind == "at_report")


def owed(amounts: dict[str, int], as_of: date, closed: bool = False) -> list[Unrequisitioned]:
    assert REQUISITION.due is not None
    payable = as_of <= REQUISITION.due
    return [Unrequisitioned(FIXED.round_id, REQUISITION.id, c, a, payable, closed) for c, a in amounts.items()]


def ranked_as_of(
    as_of: date, events: dict[str, dict[str, date]], amounts: dict[str, int] | None = None
) -> list[RegionAttention]:
    cells = status_cells(ROUNDS, REGIONS, events, as_of)
    money = owed(amounts if amounts is not None else {r.code: 1_000_000 for r in REGIONS}, as_of)
    return rank_regions(cells, money, ORDER)


def by_code(ranked: list[RegionAttention]) -> dict[str, RegionAttention]:
    return {r.code: r for r in ranked}


# --- the ranking on the shipped rounds --------------------------------------------------------------------


def test_before_the_deadlines_nothing_looks_like_a_problem() -> None:
    ranked = ranked_as_of(date(2023, 6, 1), {})
    assert len(ranked) == N  # one entry per region, not per milestone
    assert {r.level for r in ranked} == {Level.NONE}
    assert not any(r.needs_attention for r in ranked)
    first = ranked[0]
    assert first.lapsed == 0 and first.not_requisitioned == 1_000_000
    states = {s.round_id: s for s in first.rounds}
    assert states[FIXED.round_id].status is Status.OPEN
    assert states[FIXED.round_id].text_sv == "Öppen, 152 dagar kvar"  # the requisition; the report is not open yet
    assert why_sv(first, EVENTS) == NOTHING_DUE_SV  # words, never a bare dash


def test_after_the_deadlines_overdue_first_then_lost_money() -> None:
    as_of = date(2023, 11, 15)
    done = date(2023, 6, 1)
    everyone = {r.code: done for r in REGIONS}
    events = {
        "at_report": {c: d for c, d in everyone.items() if c not in ("04", "06")},  # 04, 06: no report
        "requisition": {c: d for c, d in everyone.items() if c not in ("06", "12")},  # 06, 12: no requisition
    }
    amounts = {r.code: 0 for r in REGIONS} | {"06": 5_000_000, "12": 9_000_000, "09": 400_000}
    ranked = ranked_as_of(as_of, events, amounts)
    codes = [r.code for r in ranked]
    # The requisition (15 days overdue) before the report (14 days); among equals the most money first.
    assert codes[:4] == ["12", "06", "04", "09"]
    assert [r.level for r in ranked[:4]] == [Level.OVERDUE, Level.OVERDUE, Level.OVERDUE, Level.LAPSED]
    assert {r.level for r in ranked[4:]} == {Level.NONE}
    first = ranked[0]
    assert first.nearest == -15 and first.lapsed == 9_000_000 and first.not_requisitioned == 0
    assert reason_sv(first.reasons[0], "requisition") == "Rekvisition saknas, sista dag 31 oktober 2023 passerad"
    assert why_sv(ranked[2], EVENTS) == "Inrapportering saknas, sista dag 1 november 2023 passerad"
    gotland = ranked[3]  # requisitioned in time, but not all of it: the rest is lost
    assert gotland.reasons[0].amount == 400_000
    assert why_sv(gotland, EVENTS) == "Ej rekvirerat 400\u00a0000\u00a0kr kan inte längre betalas ut"
    two = by_code(ranked)["06"]  # overdue in both rounds: the per-round states say so
    assert [s.text_sv for s in two.rounds] == ["Försenad 14 dagar", "Försenad 15 dagar"]
    assert [s.text_sv for s in by_code(ranked)["01"].rounds] == ["Klar i tid", "1 av 2 klara"]


def test_near_a_deadline_the_nearest_ranks_first_then_the_money() -> None:
    ranked = ranked_as_of(date(2023, 10, 20), {}, {"01": 50_000_000, "03": 9_000_000} | {})
    assert {r.level for r in ranked} == {Level.DUE_SOON}
    assert all(r.nearest == 11 for r in ranked)  # the requisition, 31 October
    assert [r.code for r in ranked[:2]] == ["01", "03"]  # then most money
    reason = ranked[0].reasons[0]
    assert reason.milestone_id == REQUISITION.id and reason.days == 11 and reason.amount == 50_000_000
    assert reason_sv(reason, "requisition") == "Rekvisition ej inkommen, förfaller om 11 dagar"


def test_the_usage_report_before_its_last_day_says_when_it_falls_due() -> None:
    as_of = date(2024, 4, 18)
    done = {r.code: date(2023, 5, 1) for r in REGIONS}
    cells = status_cells(ROUNDS, REGIONS, {"at_report": done, "requisition": done}, as_of)
    ranked = rank_regions(cells, owed({r.code: 0 for r in REGIONS}, as_of), ORDER)
    reason = ranked[0].reasons[0]
    assert reason.level is Level.DUE_SOON
    assert reason_sv(reason, EVENTS[(FIXED.round_id, USAGE.id)]) == "Återrapport ej inkommen, förfaller om 12 dagar"
    assert reason_sv(Reason(Level.DUE_SOON, "r", "R", "m", "Redovisning", None, 0, 0)) == (
        "Redovisning ej inkommen, förfaller i dag"  # an event kind without a word: the milestone's own label
    )


def test_a_closed_round_asks_for_nothing_but_keeps_its_money_lost() -> None:
    as_of = date(2026, 11, 23)
    cells = status_cells(ROUNDS, REGIONS, {}, as_of)
    ranked = rank_regions(cells, owed({r.code: 1_000 for r in REGIONS}, as_of, closed=True), ORDER)
    assert {r.level for r in ranked} == {Level.NONE}
    assert all(r.lapsed == 1_000 for r in ranked)
    assert {s.text_sv for r in ranked for s in r.rounds} == {"Aldrig"}


def test_round_state_in_words() -> None:
    def cell(status: Status, left: int | None = None, late: int | None = None) -> StatusCell:
        result = StatusResult(status, left, late, "")
        return StatusCell("r", "R", f"m{random.random()}", "M", date(2024, 1, 1), "01", "A", result)

    assert round_state([cell(Status.OPEN, left=0)]).text_sv == "Öppen, sista dagen"
    assert round_state([cell(Status.OPEN, left=1), cell(Status.OVERDUE, late=2)]).text_sv == "Försenad 2 dagar"
    assert round_state([cell(Status.OPEN)]).text_sv == "Öppen"
    assert round_state([cell(Status.DONE_ON_TIME), cell(Status.DONE_LATE, late=3)]).text_sv == "Klar för sent"
    assert round_state([cell(Status.DONE_ON_TIME), cell(Status.MISSED)]).text_sv == "Aldrig (1 av 2 klara)"
    assert round_state([cell(Status.NOT_YET_OPEN)]).text_sv == "Inte öppnad än"


def test_bad_money_is_refused() -> None:
    cells = status_cells(ROUNDS, REGIONS, {}, date(2023, 6, 1))
    with pytest.raises(ValueError, match="negative"):
        rank_regions(cells, [Unrequisitioned("x", "m", "01", -1, True)])
    twice = [Unrequisitioned("x", "m", "01", 1, True)] * 2
    with pytest.raises(ValueError, match="two amounts"):
        rank_regions(cells, twice)
    with pytest.raises(ValueError):
        rank_regions(cells, within_days=-1)


# --- properties ------------------------------------------------------------------------------------------


@st.composite
def situations(draw: st.DrawFn) -> tuple[list[StatusCell], list[Unrequisitioned]]:
    """Any number of regions and rounds (of any number of milestones), any status, any money."""
    codes = draw(st.lists(st.integers(1, 99), min_size=1, max_size=12, unique=True))
    n_rounds = draw(st.integers(1, 4))
    cells, money = [], []
    for r in range(n_rounds):
        round_id = f"round-{r}"
        milestones = draw(st.integers(1, 3))
        fixed = draw(st.booleans())
        for code in codes:
            for m in range(milestones):
                status = draw(st.sampled_from(list(Status)))
                left = draw(st.one_of(st.none(), st.integers(0, 400))) if status is Status.OPEN else None
                late = draw(st.integers(1, 400)) if status is Status.OVERDUE else None
                due = date(2023, 1, 1) + timedelta(days=draw(st.integers(0, 700)))
                result = StatusResult(status, left, late, "")
                cells.append(
                    StatusCell(round_id, f"R{r}", f"m{m}", f"M{m}", due, f"{code:02d}", f"Region {code}", result)
                )
            if fixed:
                amount = draw(st.integers(0, 10**9))
                money.append(
                    Unrequisitioned(round_id, "m0", f"{code:02d}", amount, draw(st.booleans()), draw(st.booleans()))
                )
    return cells, money


@settings(max_examples=150, deadline=None)
@given(situations(), st.randoms(use_true_random=False))
def test_the_ranking_is_a_total_order_independent_of_input_order(
    situation: tuple[list[StatusCell], list[Unrequisitioned]], rng: random.Random
) -> None:
    cells, money = situation
    ranked = rank_regions(cells, money)
    shuffled_cells, shuffled_money = list(cells), list(money)
    rng.shuffle(shuffled_cells)
    rng.shuffle(shuffled_money)
    assert rank_regions(shuffled_cells, shuffled_money) == ranked
    keys = [r.key for r in ranked]
    assert all(a < b for a, b in itertools.pairwise(keys))  # strictly increasing: no ties
    assert sorted(r.code for r in ranked) == sorted({c.code for c in cells})  # every region once


@settings(max_examples=150, deadline=None)
@given(situations())
def test_an_overdue_region_always_ranks_before_one_that_is_not(
    situation: tuple[list[StatusCell], list[Unrequisitioned]],
) -> None:
    cells, money = situation
    ranked = rank_regions(cells, money)
    overdue = {c.code for c in cells if c.result.status is Status.OVERDUE}
    flags = [r.code in overdue for r in ranked]
    assert flags == sorted(flags, reverse=True)
    for entry in ranked:
        assert (entry.level is Level.OVERDUE) == (entry.code in overdue)
        assert (entry.nearest is not None and entry.nearest < 0) == (entry.code in overdue)
        mine = [m for m in money if m.code == entry.code]
        assert entry.lapsed == sum(m.amount for m in mine if not m.payable)
        assert entry.not_requisitioned == sum(m.amount for m in mine if m.payable)
        assert list(entry.reasons) == sorted(entry.reasons, key=lambda r: r.key)
        assert entry.level == min((r.level for r in entry.reasons), default=Level.NONE)


# --- words, table and figures ----------------------------------------------------------------------------


def test_dates_in_swedish_words() -> None:
    assert long_date(date(2023, 10, 31)) == "31 oktober 2023"
    assert long_date(date(2024, 2, 1)) == "1 februari 2024"


def test_the_table_has_one_row_per_region_and_a_column_per_round() -> None:
    as_of = date(2023, 11, 15)
    ranked = ranked_as_of(as_of, {"at_report": {"01": date(2023, 10, 1)}})
    rounds = [(r.round_id, r.title) for r in ROUNDS]
    frame = attention_frame(ranked, EVENTS, rounds)
    assert len(frame) == N
    # what a reader acts on first (a phone shows the first columns), the status per round after
    assert list(frame.columns) == ["region", "läge", "varför", "ej rekvirerat", "förlorat", "omgång 0", "omgång 1"]
    assert set(frame["läge"]) == {LEVEL_SV[Level.OVERDUE]}
    assert frame["förlorat"].sum() == N * 1_000_000 and frame["ej rekvirerat"].sum() == 0
    styles = frame_styles(ranked, rounds, list(frame.columns))
    assert styles.shape == frame.shape
    assert all("#C62828" in s for s in styles["läge"])  # red, and the word stays in the cell


def test_never_done_in_a_closed_round_is_said_as_final_not_as_nothing() -> None:
    """Years later every round is closed: "Aldrig" cells and money that can no longer be paid stand beside a
    level and a reason that say the same (closed, final, nothing to act on), never "–" or a red tint."""
    as_of = date(2026, 6, 1)
    cells = status_cells(ROUNDS, REGIONS, {"at_report": {"01": date(2023, 10, 1)}}, as_of)
    ranked = rank_regions(cells, owed({r.code: 1_000_000 for r in REGIONS}, as_of, closed=True), ORDER)
    assert {r.level for r in ranked} == {Level.NONE}
    rounds = [(r.round_id, r.title) for r in ROUNDS]
    frame = attention_frame(ranked, EVENTS, rounds)
    assert set(frame["läge"]) == {SETTLED_SV} and level_sv(ranked[0]) == SETTLED_SV
    for why in frame["varför"]:
        assert why.startswith("Aldrig gjort före omgångens slut i ")
        assert why.endswith(f"; {f.kr(1_000_000)} rekvirerades aldrig och kan inte betalas ut.")
    stockholm = by_code(ranked)["01"]  # it reported in the AT round: only the fixed round is named
    assert why_sv(stockholm, EVENTS).startswith(f"Aldrig gjort före omgångens slut i {FIXED.title};")
    styles = frame_styles(ranked, rounds, list(frame.columns))
    missed = [
        s for col in ("omgång 0", "omgång 1") for s, t in zip(styles[col], frame[col], strict=True) if "Aldrig" in t
    ]
    assert missed and all("#EEEEEE" in s for s in missed)  # grey: final, not red


def test_the_days_chart_states_its_result_in_swedish_formats() -> None:
    ranked = ranked_as_of(
        date(2023, 11, 15), {"at_report": {"01": date(2023, 10, 1)}, "requisition": {"03": date(2023, 5, 1)}}
    )
    chart = days_chart(ranked)
    assert chart is not None
    assert chart.title == f"{N} regioner försenade, som mest 15 dagar" and chart.subtitle == ""
    names = re.findall(r'<span class="name">([^<]*)</span>', chart.html)
    values = re.findall(r'<span class="value">([^<]*)</span>', chart.html)
    assert len(names) == N and names[0] != "Uppsala" and names[-1] == "Uppsala"  # only its report is late: 14 days
    assert values[0] == "15 dagar sent" and values[-1] == "14 dagar sent"
    assert list(chart.data["region"]) == names
    ticks = re.findall(r'<span class="tick"[^>]*>([^<]*)</span>', chart.html)
    assert ticks[-1] == "0" and all(t.startswith("\u2212") for t in ticks[:-1])  # a real minus sign
    assert "plotly" not in chart.html.lower()
    soon = days_chart(ranked_as_of(date(2023, 10, 25), {}))
    assert soon is not None and soon.title == f"{N} regioner med sista dag inom 14 dagar"
    assert 'class="value">6 dagar kvar<' in soon.html
    assert days_chart(ranked_as_of(date(2023, 6, 1), {})) is None  # nothing near: no chart


def test_the_chart_bars_stay_inside_their_track_and_escape_names() -> None:
    ranked = ranked_as_of(
        date(2023, 11, 15), {"at_report": {"01": date(2023, 10, 1)}, "requisition": {"03": date(2023, 5, 1)}}
    )
    chart = days_chart([dataclasses.replace(ranked[0], region="<b>Ö&Ä</b>"), *ranked[1:]])
    assert chart is not None
    assert "<b>Ö" not in chart.html and "&lt;b&gt;Ö&amp;Ä&lt;/b&gt;" in chart.html
    for left, width in re.findall(r'class="bar" style="left:([\d.]+)%;width:([\d.]+)%', chart.html):
        assert float(left) >= 0 and float(left) + float(width) <= 100.01


def test_the_money_chart_says_what_can_no_longer_be_paid() -> None:
    ranked = ranked_as_of(date(2023, 11, 15), {}, {"01": 3_000_000, "03": 1_500_000, "09": 0})
    chart = money_chart(ranked)
    assert chart is not None
    assert chart.title == "4,5\u00a0mnkr kan inte längre betalas ut" and chart.subtitle == "2 regioner"
    assert list(chart.data["länskod"]) == ["01", "03"]
    assert re.findall(r'<span class="value">([^<]*)</span>', chart.html) == ["3,0\u00a0mnkr", "1,5\u00a0mnkr"]
    assert "Kan inte betalas ut: 1\u00a0500\u00a0000\u00a0kr" in chart.html  # exact kronor on hover
    before = money_chart(ranked_as_of(date(2023, 6, 1), {}, {"01": 3_000_000}))
    assert before is not None and before.title.startswith("3,0\u00a0mnkr är inte rekvirerat än")
    assert money_chart(ranked_as_of(date(2023, 6, 1), {}, {"01": 0})) is None


def test_the_headline_counts_regions_not_milestones() -> None:
    ranked = ranked_as_of(date(2023, 11, 15), {"at_report": {"01": date(2023, 10, 1)}})
    assert headline_sv(ranked) == f"{N} av {N} regioner behöver uppmärksamhet: {N} försenade."
    assert headline_sv(ranked_as_of(date(2023, 6, 1), {})) == f"0 av {N} regioner behöver uppmärksamhet."
