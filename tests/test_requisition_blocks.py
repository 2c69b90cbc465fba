"""A round of blocks paid on requisition behaves as the elderly-care round does, on both engines: what the
store does follows from the blocks (``paid_on``), not from the rules' format.

The round saved here is made up for the test (a new id, a table of two regions): test data only.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from allocation.fixed import Requisition
from store.model import Actor, WriteRefused
from store.service import Store

ANNA = Actor("Anna Andersson")
ROUND = "rekvisition-2031-test"
RULES = f"""
kind = "blocks"
id = "{ROUND}"
title = "Rekvisitionsomgång (test)"
year = 2031
version = "1"
population_date = 2022-11-01
dnr = "S2031/1"

[agency_costs]
gross = 400_000
at_most = 100_000
section = "Bakgrund"
quote = "Av medlen får myndigheten använda högst 100 000 kronor."

[[milestones]]
id = "rekvisition"
label = "Rekvisition"
event = "requisition"
region_action = true
due = 2031-10-31
section = "Rekvisition"
quote = "Medlen rekvireras senast den 31 oktober 2031."

[[blocks]]
id = "belopp"
title = "Belopp per region"
method = "fixed_table"
paid_on = "requisition"
[blocks.pot]
amount = 300_000
section = "Bidragets storlek"
quote = "Medlen omfattar totalt 300 000 kronor."
[blocks.params]
section = "Bilaga 1"
quote = "Bilagan anger hur stort belopp varje region kan rekvirera."
table = {{ "01" = 100_000, "03" = 200_000 }}
"""


@pytest.fixture
def store(store_target: Path | str) -> Store:
    s = Store.open(store_target)
    s.clock = lambda: datetime(2031, 3, 1, 9, 0)
    s.rounds.save_round(ANNA, "ny omgång", RULES)
    yield s
    s.close()


def test_the_blocks_say_the_round_is_paid_on_requisition(store: Store) -> None:
    round_ = store.rounds.block_round(ROUND)
    assert round_.paid_on_requisition and round_.requisition_due == date(2031, 10, 31)
    assert (round_.agency_costs.gross, round_.agency_costs.at_most) == (400_000, 100_000)
    assert ROUND in store.rounds.requisition_round_ids() and "at-2023" not in store.rounds.requisition_round_ids()
    assert store.rounds.requisition_maximum(ROUND) == {"01": 100_000, "03": 200_000}
    assert store.rounds.requisition_maximum("at-2023") is None
    assert store.rounds.fixed_amounts(ROUND)["03"][:2] == (200_000, "official")  # the rules' own table


def test_requisitions_are_capped_by_the_rules_table_and_listed_for_payment(store: Store) -> None:
    store.followup.record_ombud(ANNA, "ombud", "03", date(2031, 2, 1))
    store.followup.record_requisition(ANNA, "e-tjänsten", ROUND, Requisition("03", date(2031, 5, 2), 150_000, "R-1"))
    with pytest.raises(WriteRefused, match="at most 200"):
        store.followup.record_requisition(ANNA, "e-tjänsten", ROUND, Requisition("03", date(2031, 5, 3), 60_000, "R-2"))
    listed = store.payments.payout_list(ROUND)
    assert listed.kind == "requisitions" and [(line.code, line.amount) for line in listed.lines] == [("03", 150_000)]
    with pytest.raises(WriteRefused, match="above 200000 kr"):
        store.followup.record_payout(ANNA, "utbetalning", ROUND, "03", date(2031, 5, 20), 200_001)


def test_a_round_paid_by_decision_takes_no_requisitions(store: Store) -> None:
    with pytest.raises(WriteRefused, match="round paid by decision; requisitions can only be recorded") as info:
        store.followup.record_requisition(ANNA, "test", "at-2023", Requisition("03", date(2023, 5, 2), 1, "R"))
    assert ROUND in info.value.message_sv and "betalas ut efter rekvisition" in info.value.message_sv
