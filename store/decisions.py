"""Decisions: when each round's decision is published, and the frozen decisions themselves.

A round's row in ``decisions`` (its publication date and reference) makes its data public to every region.
Deciding stores an immutable snapshot (``allocation.decision``): the rules version and the hash of its
text, every input, the pot chosen and why, the result per recipient and block, who decided and when,
the reference, and a content hash. Every later view reads the snapshot; ``decision_drift`` tells what
has changed in the store since. A correction is an amendment that names the decision it changes.
The round's row in ``decisions`` is written in the same transaction as its snapshot. What a decision is
computed from (and the check before deciding) is ``store.decision_inputs``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from allocation import decision as d
from allocation.block_engine import PotChoice
from store import db
from store.access import Action
from store.access_rules import reads, writes
from store.core import StoreCore, Tx
from store.decision_inputs import DecisionInputs, check_pots
from store.followup import Followup
from store.model import SYSTEM, Actor, DecisionCheck, DecisionSummary, Drift, StoreError, WriteRefused
from store.reports import Reports
from store.rounds import Rounds
from store.sql import upsert


class Decisions:
    """Publication of the rounds' decisions; deciding a round, amending a decision, and reading decisions back."""

    def __init__(self, core: StoreCore, rounds: Rounds, reports: Reports, followup: Followup) -> None:
        self._core = core
        self._rounds = rounds
        self._reports = reports
        self._followup = followup
        self._inputs = DecisionInputs(rounds, reports, followup)

    def decisions(self) -> dict[str, tuple[date, str]]:
        """Per round: the date the decision was (or will be) published, and its reference."""

        def compute() -> dict[str, tuple[date, str]]:
            rows = self._core.query("SELECT round_id, published_on, reference FROM decisions")
            return {round_id: (published, ref) for round_id, published, ref in rows}

        return dict(self._core.cached(("decisions",), compute))

    def is_published(self, round_id: str, on: date | None = None) -> bool:
        """Whether the round's decision is published on ``on`` (today by default)."""
        decision = self.decisions().get(round_id)
        return decision is not None and decision[0] <= (on or self._core.clock().date())

    @writes(Action.PUBLISH_DECISION)
    def record_decision(self, actor: Actor, reason: str, round_id: str, published_on: date, reference: str) -> bool:
        self._rounds.require_round(round_id)
        if not reference.strip():
            raise WriteRefused("Ange beslutets diarienummer eller annan referens.", "a reference is required")
        with self._core.transaction(actor, reason) as tx:
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

    @reads(Action.SIMULATE)
    def decision_check(self, round_id: str, pots: Mapping[str, PotChoice] | None = None) -> DecisionCheck:
        """What the decider must know before deciding: missing reports, the pots, the engine's warnings."""
        return self._inputs.check(round_id, pots)

    # --- writing ----------------------------------------------------------------------------------

    @writes(Action.PUBLISH_DECISION)
    def decide_round(
        self,
        actor: Actor,
        reason: str,
        round_id: str,
        reference: str,
        published_on: date,
        pots: Mapping[str, PotChoice] | None = None,
        pot_reason: str = "",
        supersedes: int | None = None,
        confirmed: bool = False,
        migrated: bool = False,
    ) -> d.Snapshot:
        """Decide the round (or, with ``supersedes``, amend that decision): the snapshot, sealed and stored.

        Refused: blocking items of ``decision_check``; warnings not ``confirmed``; a round already decided
        (amend instead); an amendment of a decision that is not the round's current one.
        """
        self._rounds.require_round(round_id)
        check_pots(pots)
        reference = reference.strip()
        if not reference:
            raise WriteRefused("Ange beslutets diarienummer.", "a reference (diarienummer) is required")
        try:
            with self._core.transaction(actor, reason) as tx:  # locked: the checks see every committed decision
                return self._decide_in(
                    tx, actor, round_id, reference, published_on, pots, pot_reason, supersedes, confirmed, migrated
                )
        except db.CONSTRAINT_ERRORS:  # a decision of the same round was recorded at the same moment
            raise WriteRefused(
                "Omgångens beslut ändrades nyss av någon annan; ladda om sidan och försök igen.",
                f"a decision of round {round_id!r} was recorded at the same moment; reload and try again",
            ) from None

    def _decide_in(
        self,
        tx: Tx,
        actor: Actor,
        round_id: str,
        reference: str,
        published_on: date,
        pots: Mapping[str, PotChoice] | None,
        pot_reason: str,
        supersedes: int | None,
        confirmed: bool,
        migrated: bool,
    ) -> d.Snapshot:
        check = self.decision_check(round_id, pots)
        if check.blocking and not migrated:
            raise WriteRefused(
                "Omgången kan inte beslutas: " + " ".join(i.text for i in check.blocking),
                "the round cannot be decided: " + "; ".join(i.text for i in check.blocking),
            )
        if check.warnings and not confirmed and not migrated:
            raise WriteRefused(
                "Bekräfta varningarna innan beslutet fattas: " + " ".join(i.text for i in check.warnings),
                "confirm the warnings before deciding",
            )
        current = self.current_decision(round_id)
        if supersedes is None and current is not None:
            raise WriteRefused(
                f"Omgången är redan beslutad ({current.reference}); en rättelse är ett ändringsbeslut.",
                f"round {round_id!r} is already decided ({current.reference}); amend that decision instead",
            )
        if supersedes is not None and (current is None or current.number != supersedes):
            raise WriteRefused(
                "Ett ändringsbeslut ändrar omgångens senaste beslut.",
                f"decision {supersedes} is not the round's current decision",
            )
        (number,) = tx.execute("SELECT nextval('decision_snapshot_seq')").fetchone()  # type: ignore[misc]
        meta = {
            "number": int(number),
            "kind": d.DECISION if supersedes is None else d.AMENDMENT,
            "supersedes": supersedes,
            "reference": reference,
            "decided_by": actor.name,
            "decided_at": tx.at.isoformat(),
            "published_on": published_on.isoformat(),
            "pot_reason": pot_reason.strip() or "reglernas pott",
            "migrated": migrated,
            "supersedes_reference": current.reference if supersedes is not None and current else "",
        }
        snapshot = d.sealed(self._inputs.snapshot(round_id, pots, meta, tuple(i.text for i in check.warnings)))
        tx.execute(
            "INSERT INTO decision_snapshots (id, round_id, kind, supersedes, reference, published_on, decided_by, "
            "decided_at, migrated, content_hash, snapshot) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                snapshot.number,
                round_id,
                snapshot.kind,
                supersedes,
                reference,
                published_on,
                actor.name,
                tx.at,
                migrated,
                snapshot.content_hash,
                d.canonical_json(snapshot),
            ],
        )
        before = self.decisions().get(round_id)
        first_published = min(published_on, before[0]) if before else published_on
        tx.execute(
            upsert("decisions", ("round_id", "published_on", "reference", "recorded_at"), ("round_id",)),
            [round_id, first_published, reference, tx.at],
        )
        summary = {
            "kind": snapshot.kind,
            "reference": reference,
            "supersedes": supersedes,
            "paid": snapshot.paid,
            "content_hash": snapshot.content_hash,
            "migrated": migrated,
        }
        tx.audit("insert", "decision_snapshots", str(snapshot.number), None, summary)
        return snapshot

    def snapshot_published_decisions(self) -> int:
        """Migration: a snapshot, marked as taken at migration, of each published decision that has none."""
        known = "SELECT count(*) FROM information_schema.tables WHERE table_name = 'decision_snapshots'"
        if not self._core.query(known)[0][0]:  # a file kept at an older schema
            return 0
        rows = self._core.query(
            "SELECT round_id, published_on, reference FROM decisions d WHERE NOT EXISTS "
            "(SELECT 1 FROM decision_snapshots s WHERE s.round_id = d.round_id) ORDER BY round_id"
        )
        done = 0
        for round_id, published_on, reference in rows:
            if round_id not in self._rounds.round_ids():
                continue
            try:
                self.decide_round(
                    SYSTEM,
                    "Ögonblicksbild av ett tidigare publicerat beslut, tagen vid migrering",
                    round_id,
                    reference,
                    published_on,
                    pot_reason="reglernas pott (ögonblicksbild tagen vid migrering)",
                    migrated=True,
                )
            except (KeyError, ValueError, WriteRefused):  # rules it cannot compute, or another process was first
                continue
            done += 1
        return done

    # --- reading ----------------------------------------------------------------------------------

    def decision_list(self, round_id: str | None = None) -> list[DecisionSummary]:
        def compute() -> list[DecisionSummary]:
            where, params = ("WHERE round_id = ?", [round_id]) if round_id else ("", [])
            rows = self._core.query(
                "SELECT id, round_id, kind, supersedes, reference, published_on, decided_by, decided_at, migrated, "
                f"content_hash FROM decision_snapshots {where} ORDER BY id",
                params,
            )
            return [DecisionSummary(*row) for row in rows]

        return list(self._core.cached(("decision_list", round_id), compute))

    def decision_snapshot(self, decision_id: int) -> d.Snapshot:
        def compute() -> d.Snapshot:
            rows = self._core.query(
                "SELECT snapshot, round_id, content_hash FROM decision_snapshots WHERE id = ?", [decision_id]
            )
            if not rows:
                raise KeyError(f"unknown decision {decision_id}")
            text, round_id, stored_hash = rows[0]
            try:
                snapshot = d.from_json(text)
                if (snapshot.number, snapshot.round_id, snapshot.content_hash) != (decision_id, round_id, stored_hash):
                    raise ValueError("the snapshot does not belong to its row")
            except (ValueError, KeyError, TypeError) as exc:
                raise StoreError(
                    f"Decision {decision_id} cannot be trusted: {exc}. Nothing is shown from it.",
                    f"Beslut nummer {decision_id} kan inte läsas: kontrollsumman eller innehållet stämmer inte "
                    "(beslutet kan ha ändrats utanför programmet). Inget visas från det.",
                ) from exc
            return snapshot

        return self._core.cached(("decision_snapshot", decision_id), compute)

    def current_decision(self, round_id: str) -> d.Snapshot | None:
        """The round's decision in force: the last of its chain of amendments."""
        decisions = self.decision_list(round_id)
        return self.decision_snapshot(decisions[-1].id) if decisions else None

    @reads(Action.SIMULATE)
    def decision_drift(self, snapshot: d.Snapshot) -> Drift:
        """Today's inputs against the snapshot's, and the amounts they would give with the same pots."""
        pots = {b.block_id: (b.pot if b.pot_source == "custom" else b.pot_source) for b in snapshot.blocks}
        meta = {k: getattr(snapshot, k) for k in ("number", "kind", "supersedes", "reference", "decided_by")}
        meta |= {"decided_at": snapshot.decided_at, "published_on": snapshot.published_on, "pot_reason": ""}
        try:
            now = self._inputs.snapshot(snapshot.round_id, pots, meta, ())
        except (KeyError, ValueError):
            return Drift([], [])
        now = replace(now, recipients=tuple(replace(r, explanation=()) for r in now.recipients))
        return Drift(d.input_changes(snapshot, now.inputs, now.events), d.changes(snapshot, now))
