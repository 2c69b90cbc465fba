"""Frozen decisions: a round's allocation computed once from the store's inputs and kept as a snapshot.

Deciding stores an immutable snapshot (``allocation.decision``): the rules version and the hash of its
text, every input, the pot chosen and why, the result per recipient and block, who decided and when,
the reference, and a content hash. Every later view reads the snapshot; ``decision_drift`` tells what
has changed in the store since. A correction is an amendment that names the decision it changes.
The round's row in ``decisions`` (which makes its data public to every region) is written in the same
transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from allocation import decision as d
from allocation.block_data import derive_values
from allocation.block_engine import PotChoice, allocate_round
from allocation.blocks import Round, RoundResult
from allocation.method_params import FixedTableParams, ReportedShareParams
from allocation.money import MAX_AMOUNT, within_bound
from present import formats as f
from present.decision_text import explanation, rule_sources
from present.notices import engine_error_sv, names_of, text_sv
from store import db
from store.core import Tx
from store.decision_types import BLOCKING, INFO, WARNING, CheckItem, DecisionCheck, DecisionSummary, Drift
from store.model import SYSTEM, Actor, StoreError, WriteRefused
from store.reports import ReportsMixin
from store.round_versions import RoundVersionsMixin
from store.sql import upsert


class DecidedMixin(ReportsMixin, RoundVersionsMixin):
    """Deciding a round, amending a decision, and reading decisions back."""

    # --- computing --------------------------------------------------------------------------------

    def _inputs(self, round_: Round) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, date]]]:
        values: dict[str, dict[str, Any]] = dict(self.report_values(round_.id))
        if any(isinstance(b.params, FixedTableParams) and b.params.cap_key for b in round_.blocks):
            for req in self.requisitions(round_.id):
                cap = values.setdefault("requisitioned", {})
                cap[req.code] = cap.get(req.code, 0) + req.amount
        dates = self.report_dates(round_.id)
        events = {b.params.event: dict(dates) for b in round_.blocks if isinstance(b.params, ReportedShareParams)}
        return values, events

    def _compute(
        self, round_id: str, pots: Mapping[str, PotChoice] | None
    ) -> tuple[Round, RoundResult, dict[str, Any], dict[str, Any], dict[str, Any]]:
        round_ = self.block_round(round_id)
        recipients = self.recipients(round_id)
        values, events = self._inputs(round_)
        result = allocate_round(round_, recipients, values, events, pots)
        derived = derive_values(recipients, values, round_.planned)
        return round_, result, values, events, derived

    def decision_check(self, round_id: str, pots: Mapping[str, PotChoice] | None = None) -> DecisionCheck:
        """What the decider must know before deciding: missing reports, the pots, the engine's warnings."""
        self._check_round(round_id)
        _check_pots(pots)
        items: list[CheckItem] = []
        round_ = self.block_round(round_id)
        try:
            _, result, values, _, _ = self._compute(round_id, pots)
        except (KeyError, ValueError) as exc:
            text = f"Omgången kan inte beräknas på databasens uppgifter: {engine_error_sv(exc)}."
            return DecisionCheck(round_id, (CheckItem(BLOCKING, text),), {}, 0, 0)
        items += self.report_check(round_id)  # missing and late reports, for a round whose rules use them
        for block in round_.blocks:
            params = block.params
            if isinstance(params, FixedTableParams) and params.basis != "official":
                items.append(
                    CheckItem(
                        BLOCKING,
                        f"{block.title}: beloppen per region är uppskattningar; läs in den officiella tabellen "
                        "innan omgången beslutas.",
                    )
                )
        if round_.illustrative:
            items.append(CheckItem(WARNING, "Illustrativ omgång: beslutet och breven märks som exempel."))
        if self._has_example_data():
            items.append(CheckItem(BLOCKING, "Databasen innehåller exempeldata; ta bort den innan en omgång beslutas."))
        names = names_of(round_.blocks, self.recipients(round_id))
        pot_items = {}
        for outcome in result.blocks:
            block = round_.block(outcome.block_id)
            pot_items[block.id] = (outcome.pot, outcome.pot_source)
            options = ", ".join(
                f.kr(o.amount) + (f" ({o.source.section})" if o.source.section else "")
                for o in block.pot.options
                if o.id != "custom"
            )
            chosen = "vald pott" if outcome.pot_source != "custom" else "egen pott (inte ur reglerna)"
            level = INFO if outcome.pot_source != "custom" else WARNING
            items.append(CheckItem(level, f"{block.title}: {chosen} {f.kr(outcome.pot)}. Möjliga: {options}."))
            items.extend(CheckItem(WARNING, f"{block.title}: {text_sv(n, names)}") for n in outcome.notices)
        del values
        return DecisionCheck(round_id, tuple(items), pot_items, result.paid, result.unallocated, dict(result.totals))

    def _has_example_data(self) -> bool:
        try:
            self._check_no_example_data()
        except WriteRefused:
            return True
        return False

    def _snapshot(
        self, round_id: str, pots: Mapping[str, PotChoice] | None, meta: dict[str, Any], warnings: tuple[str, ...]
    ) -> d.Snapshot:
        round_, result, values, events, derived = self._compute(round_id, pots)
        recipients = self.recipients(round_id)
        inputs = d.exact_inputs(values)
        inputs["population"] = {r.code: str(r.population) for r in recipients}
        if round_.planned:  # the planning document, with any region's own planned figure over it
            planned = dict(round_.planned) | dict(values.get("planned", {}))
            inputs["planned"] = d.exact_inputs({"planned": planned})["planned"]
        reported = frozenset(r.code for r in self.reports(round_id)) if round_.has_reports else None
        lines = tuple(
            d.RecipientLine(
                r.code,
                r.name,
                r.population,
                result.totals.get(r.code, 0),
                explanation(round_, result, derived, r.code, reported),
            )
            for r in recipients
        )
        text = self.round_toml(round_id)
        return d.Snapshot(
            round_id=round_id,
            round_title=round_.title,
            short_title=round_.short_title or round_.title,
            round_dnr=round_.dnr,
            year=round_.year,
            rules_version=round_.version,
            rules_sha256=hashlib.sha256(text.encode()).hexdigest(),
            inputs=inputs,
            events=d.exact_inputs(events),
            recipients=lines,
            blocks=d.outcomes(result, lambda n: text_sv(n, names_of(round_.blocks, recipients))),
            pot=result.pot,
            paid=result.paid,
            unallocated=result.unallocated,
            sources=rule_sources(round_),
            warnings=warnings,
            illustrative=round_.illustrative,
            population_date=round_.population_date.isoformat(),
            grantor=round_.grantor or str(self.round_document(round_id).get("grantor", "")),
            **meta,
        )

    # --- writing ----------------------------------------------------------------------------------

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
        self._check_round(round_id)
        _check_pots(pots)
        reference = reference.strip()
        if not reference:
            raise WriteRefused("Ange beslutets diarienummer.", "a reference (diarienummer) is required")
        try:
            with self.transaction(actor, reason) as tx:  # locked: the checks see every committed decision
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
        snapshot = d.sealed(self._snapshot(round_id, pots, meta, tuple(i.text for i in check.warnings)))
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
        if not self.query(known)[0][0]:  # a file kept at an older schema
            return 0
        rows = self.query(
            "SELECT round_id, published_on, reference FROM decisions d WHERE NOT EXISTS "
            "(SELECT 1 FROM decision_snapshots s WHERE s.round_id = d.round_id) ORDER BY round_id"
        )
        done = 0
        for round_id, published_on, reference in rows:
            if round_id not in self.round_ids():
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
            rows = self.query(
                "SELECT id, round_id, kind, supersedes, reference, published_on, decided_by, decided_at, migrated, "
                f"content_hash FROM decision_snapshots {where} ORDER BY id",
                params,
            )
            return [DecisionSummary(*row) for row in rows]

        return list(self._cached(("decision_list", round_id), compute))

    def decision_snapshot(self, decision_id: int) -> d.Snapshot:
        def compute() -> d.Snapshot:
            rows = self.query(
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

        return self._cached(("decision_snapshot", decision_id), compute)

    def current_decision(self, round_id: str) -> d.Snapshot | None:
        """The round's decision in force: the last of its chain of amendments."""
        decisions = self.decision_list(round_id)
        return self.decision_snapshot(decisions[-1].id) if decisions else None

    def decision_drift(self, snapshot: d.Snapshot) -> Drift:
        """Today's inputs against the snapshot's, and the amounts they would give with the same pots."""
        pots = {b.block_id: (b.pot if b.pot_source == "custom" else b.pot_source) for b in snapshot.blocks}
        meta = {k: getattr(snapshot, k) for k in ("number", "kind", "supersedes", "reference", "decided_by")}
        meta |= {"decided_at": snapshot.decided_at, "published_on": snapshot.published_on, "pot_reason": ""}
        try:
            now = self._snapshot(snapshot.round_id, pots, meta, ())
        except (KeyError, ValueError):
            return Drift([], [])
        now = replace(now, recipients=tuple(replace(r, explanation=()) for r in now.recipients))
        return Drift(d.input_changes(snapshot, now.inputs, now.events), d.changes(snapshot, now))


def _check_pots(pots: Mapping[str, PotChoice] | None) -> None:
    """A pot given in kronor is a whole amount within the product's one bound (``allocation.money.MAX_AMOUNT``)."""
    for block, pot in (pots or {}).items():
        if isinstance(pot, int) and not within_bound(pot):
            raise WriteRefused(
                f"Potten för {block} ska vara mellan 0 och {f.kr(MAX_AMOUNT)}.",
                f"the pot of block {block!r} must be between 0 and {MAX_AMOUNT} kr",
            )
