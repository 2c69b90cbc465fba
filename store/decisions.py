"""Published decisions per round (which make the regions' data public), and refused actions in the audit log."""

from __future__ import annotations

from datetime import date

from store.model import Actor, WriteRefused
from store.rounds import RoundsMixin
from store.sql import upsert


class DecisionsMixin(RoundsMixin):
    """Publication dates of the rounds' decisions, and refusals recorded in the audit log."""

    def decisions(self) -> dict[str, tuple[date, str]]:
        """Per round: the date the decision was (or will be) published, and its reference."""

        def compute() -> dict[str, tuple[date, str]]:
            rows = self.query("SELECT round_id, published_on, reference FROM decisions")
            return {round_id: (published, ref) for round_id, published, ref in rows}

        return dict(self._cached(("decisions",), compute))

    def is_published(self, round_id: str, on: date | None = None) -> bool:
        """Whether the round's decision is published on ``on`` (today by default)."""
        decision = self.decisions().get(round_id)
        return decision is not None and decision[0] <= (on or self.clock().date())

    def record_decision(self, actor: Actor, reason: str, round_id: str, published_on: date, reference: str) -> bool:
        self._check_round(round_id)
        if not reference.strip():
            raise WriteRefused("Ange beslutets diarienummer eller annan referens.", "a reference is required")
        with self.transaction(actor, reason) as tx:
            rows = tx.execute("SELECT published_on, reference FROM decisions WHERE round_id = ?", [round_id]).fetchall()
            before = {"published_on": rows[0][0], "reference": rows[0][1]} if rows else None
            after = {"published_on": published_on, "reference": reference.strip()}
            if before == after:
                return False
            tx.execute(
                upsert("decisions", ("round_id", "published_on", "reference", "recorded_at"), ("round_id",)),
                [round_id, published_on, reference.strip(), tx.at],
            )
            tx.audit("update" if before else "insert", "decisions", round_id, before, after)
            return True

    def record_refusal(self, actor: Actor, action: str, key: str, message: str) -> None:
        """An audit entry for an action the principal was refused (nothing else is written)."""
        with self.transaction(actor, message[:500]) as tx:
            tx.audit("refused", "access", key[:100], None, {"action": action[:100]})
