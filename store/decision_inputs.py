"""What a decision is computed from: the check before deciding, and the snapshot a decision freezes.

``DecisionInputs`` reads the round (``Rounds``), its reports (``Reports``) and requisitions
(``Followup``), computes the round with the block engine and builds the snapshot that
the ``Decisions`` service seals and stores (and compares with today's inputs for the drift). It writes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
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
from store.followup import Followup
from store.model import BLOCKING, INFO, WARNING, CheckItem, DecisionCheck, WriteRefused
from store.reports import Reports
from store.rounds import Rounds


class DecisionInputs:
    """A round's inputs as the store holds them, computed; the decision service's reader (not a service)."""

    def __init__(self, rounds: Rounds, reports: Reports, followup: Followup) -> None:
        self._rounds = rounds
        self._reports = reports
        self._followup = followup

    def inputs(self, round_: Round) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, date]]]:
        values: dict[str, dict[str, Any]] = dict(self._reports.report_values(round_.id))
        if any(isinstance(b.params, FixedTableParams) and b.params.cap_key for b in round_.blocks):
            for req in self._followup.requisitions(round_.id):
                cap = values.setdefault("requisitioned", {})
                cap[req.code] = cap.get(req.code, 0) + req.amount
        dates = self._reports.report_dates(round_.id)
        events = {b.params.event: dict(dates) for b in round_.blocks if isinstance(b.params, ReportedShareParams)}
        return values, events

    def compute(
        self, round_id: str, pots: Mapping[str, PotChoice] | None
    ) -> tuple[Round, RoundResult, dict[str, Any], dict[str, Any], dict[str, Any]]:
        round_ = self._rounds.block_round(round_id)
        recipients = self._rounds.recipients(round_id)
        values, events = self.inputs(round_)
        result = allocate_round(round_, recipients, values, events, pots)
        derived = derive_values(recipients, values, round_.planned)
        return round_, result, values, events, derived

    def check(self, round_id: str, pots: Mapping[str, PotChoice] | None = None) -> DecisionCheck:
        """What the decider must know before deciding: missing reports, the pots, the engine's warnings."""
        self._rounds.require_round(round_id)
        check_pots(pots)
        items: list[CheckItem] = []
        round_ = self._rounds.block_round(round_id)
        try:
            _, result, values, _, _ = self.compute(round_id, pots)
        except (KeyError, ValueError) as exc:
            text = f"Omgången kan inte beräknas på databasens uppgifter: {engine_error_sv(exc)}."
            return DecisionCheck(round_id, (CheckItem(BLOCKING, text),), {}, 0, 0)
        items += self._reports.report_check(round_id)  # missing and late reports, for a round whose rules use them
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
        if self._rounds.has_example_data():
            items.append(CheckItem(BLOCKING, "Databasen innehåller exempeldata; ta bort den innan en omgång beslutas."))
        names = names_of(round_.blocks, self._rounds.recipients(round_id))
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

    def snapshot(
        self, round_id: str, pots: Mapping[str, PotChoice] | None, meta: dict[str, Any], warnings: tuple[str, ...]
    ) -> d.Snapshot:
        round_, result, values, events, derived = self.compute(round_id, pots)
        recipients = self._rounds.recipients(round_id)
        inputs = d.exact_inputs(values)
        inputs["population"] = {r.code: str(r.population) for r in recipients}
        if round_.planned:  # the planning document, with any region's own planned figure over it
            planned = dict(round_.planned) | dict(values.get("planned", {}))
            inputs["planned"] = d.exact_inputs({"planned": planned})["planned"]
        reported = frozenset(r.code for r in self._reports.reports(round_id)) if round_.has_reports else None
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
        text = self._rounds.round_toml(round_id)
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
            grantor=round_.grantor or str(self._rounds.round_document(round_id).get("grantor", "")),
            **meta,
        )


def check_pots(pots: Mapping[str, PotChoice] | None) -> None:
    """A pot given in kronor is a whole amount within the product's one bound (``allocation.money.MAX_AMOUNT``)."""
    for block, pot in (pots or {}).items():
        if isinstance(pot, int) and not within_bound(pot):
            raise WriteRefused(
                f"Potten för {block} ska vara mellan 0 och {f.kr(MAX_AMOUNT)}.",
                f"the pot of block {block!r} must be between 0 and {MAX_AMOUNT} kr",
            )
