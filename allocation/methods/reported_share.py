"""``reported_share``: shares by a key (or equal) for the eligible recipients who reported by a date.

``among = "reported"``: the pot is shared among those who reported; ``among = "eligible"``: each share is
computed over every eligible recipient and a recipient that did not report leaves its share unpaid.
"""

from __future__ import annotations

import numpy as np

from allocation import method_params as mp
from allocation.block_data import Notice, key_values
from allocation.methods.proportional import shares_rows
from allocation.methods.record import (
    NOBODY_REPORTED,
    NOT_REPORTED,
    BatchInput,
    BatchOutput,
    MethodInput,
    MethodOutput,
    no_weight,
)
from allocation.methods.shares import apportion


def reporters(params: mp.ReportedShareParams, inp: MethodInput | BatchInput) -> list[str]:
    """The recipients whose event is dated on or before the rules' date, in code order."""
    dates = inp.events.get(params.event, {})
    return [r.code for r in inp.recipients if r.code in dates and dates[r.code] <= params.by]


def _notices(params: mp.ReportedShareParams, codes: list[str], done: set[str], lost: int) -> list[Notice]:
    late = tuple(c for c in codes if c not in done)
    if codes and not done:
        return [Notice.of(NOBODY_REPORTED, date=params.by)]
    if late:
        return [Notice.of(NOT_REPORTED, date=params.by, codes=late, amount=lost)]
    return []


def exact(params: mp.ReportedShareParams, inp: MethodInput) -> MethodOutput:
    codes = inp.codes
    done = set(reporters(params, inp))
    share_among = codes if params.among == mp.AMONG_ELIGIBLE else [c for c in codes if c in done]
    weights = key_values(inp.values, params.key, share_among)
    shares = dict(zip(share_among, apportion(inp.pot, weights, share_among), strict=True))
    amounts = {c: shares.get(c, 0) if c in done else 0 for c in codes}
    lost = sum(shares.get(c, 0) for c in codes if c not in done)
    notices = _notices(params, codes, done, lost)
    if share_among and inp.pot and not any(weights):
        notices.append(no_weight(params.key, inp.pot))
    return MethodOutput(amounts, tuple(notices))


def batch(params: mp.ReportedShareParams, inp: BatchInput) -> BatchOutput:
    if "reported" not in inp.shared:  # the same for every chunk of scenarios
        done = set(reporters(params, inp))
        inp.shared["reported"] = np.array([r.code in done for r in inp.recipients], dtype=bool)
    reported = inp.shared["reported"]
    among = inp.eligible if params.among == mp.AMONG_ELIGIBLE else inp.eligible & reported[None, :]
    everyone = inp.everyone and params.among == mp.AMONG_ELIGIBLE
    shares = shares_rows(inp.pot, inp, params.key, among, everyone)
    if not reported.all():
        shares[:, ~reported] = 0  # a recipient that did not report leaves its share unpaid
    return BatchOutput(shares)
