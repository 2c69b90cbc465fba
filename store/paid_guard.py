"""The store's money invariant, checked inside every write transaction that pays or recovers money.

What a round has paid a recipient is its payouts less the repayments recovered from it. A write may never take
a recipient above its limit, nor the round above the sum of its limits:

- a round paid on decision: the limit is the decision in force (the newest snapshot, whether published or not);
- a round paid on requisition (fixed amounts): the limit is the region's maximum.

An amendment that lowers a recipient below what it has been paid leaves it above its limit: that is an amount
to recover, not a fault. So the check is on what a write changes: a recipient or the round whose paid amount
grows must end within its limit (``check_within``, called after the write, before commit, on the transaction's
own view). The same code runs on DuckDB and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Mapping

from allocation.decision import from_json
from allocation.money import kr
from store.core import Tx
from store.model import WriteRefused


def paid_per_code(tx: Tx, round_id: str) -> dict[str, int]:
    """Per recipient: payouts less recoveries, as the transaction sees them (codes with any row)."""
    rows = tx.execute(
        "SELECT code, sum(amount) FROM (SELECT code, amount FROM payouts WHERE round_id = ? "
        "UNION ALL SELECT code, -amount FROM recoveries WHERE round_id = ?) t GROUP BY code",
        [round_id, round_id],
    ).fetchall()
    return {code: int(total) for code, total in rows}


def limits(tx: Tx, round_id: str, requisition: Mapping[str, int] | None) -> dict[str, int] | None:
    """Per recipient what the round may pay it; None when nothing may be paid (no decision yet).

    ``requisition``: for a round paid on requisition, the most each recipient may requisition as its rules
    give it; the store's table of amounts (the estimate or the imported official table), read in this
    transaction, comes first. None: a round paid by decision, limited by the decision in force."""
    if requisition is not None:
        rows = tx.execute("SELECT code, amount FROM fixed_amounts WHERE round_id = ?", [round_id]).fetchall()
        return {code: int(amount) for code, amount in rows} if rows else dict(requisition)
    row = tx.execute(
        "SELECT snapshot FROM decision_snapshots WHERE round_id = ? ORDER BY id DESC LIMIT 1", [round_id]
    ).fetchone()
    return None if row is None else dict(from_json(row[0]).totals)


def check_within(tx: Tx, round_id: str, requisition: Mapping[str, int] | None, before: Mapping[str, int]) -> None:
    """Refuse (the transaction then rolls back) a write that took a recipient or the round above its limit.

    ``before``: ``paid_per_code`` as it was when the write began, under the write lock."""
    after = paid_per_code(tx, round_id)
    grown = {code for code, amount in after.items() if amount > before.get(code, 0)}
    if not grown:
        return
    limit = limits(tx, round_id, requisition)
    if limit is None:
        raise WriteRefused(
            "Omgången är inte beslutad: ingenting kan betalas ut ännu; ingenting registrerades.",
            f"round {round_id!r} has no decision: nothing can be paid; nothing was recorded",
        )
    what_sv = "regionens högsta belopp" if requisition is not None else "beslutet i kraft"
    over = sorted(code for code in grown if after[code] > limit.get(code, 0))
    if over:
        sv = "; ".join(f"{code}: {kr(after[code])}, {what_sv} {kr(limit.get(code, 0))}" for code in over)
        raise WriteRefused(
            f"Utbetalningen skulle ge mer än {what_sv} ({sv}); ingenting registrerades.",
            f"the payment would take {', '.join(over)} above the limit ({what_sv}); nothing was recorded",
        )
    total_after, total_before, total_limit = sum(after.values()), sum(before.values()), sum(limit.values())
    if total_after > total_before and total_after > total_limit:
        raise WriteRefused(
            f"Omgången skulle då ha betalat ut {kr(total_after)}, mer än {what_sv} sammanlagt ({kr(total_limit)}); "
            "ingenting registrerades. Registrera först de återkrav som har betalats tillbaka.",
            f"the round would have paid {total_after} kr, above its limit of {total_limit} kr; nothing was recorded",
        )
