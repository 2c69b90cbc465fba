"""Saved scenarios: a round's what-if (``allocation.whatif.WhatIf``: pots and step amounts per block, values
and report dates) as JSON, with the rules version it was saved under. A scenario saved in the 2023 AT format
(a pot, a staircase and the regions' reports) is read as the what-if it stands for.
"""

from __future__ import annotations

import json
from typing import Any

from allocation.whatif import WhatIf, apply
from store.access import Action
from store.access_rules import reads, writes
from store.core import StoreCore
from store.model import Actor, Scenario, WriteRefused
from store.rounds import Rounds
from store.scenario_json import is_what_if_json, what_if_from_2023_json, what_if_from_json, what_if_json

# In a scenario's stored parameters: saved while the store held example data (store.demo). Kept after the
# example data is removed, so the scenario stays labelled as made on fictitious figures.
EXAMPLE_KEY = "example_data"


class Scenarios:
    """Scenarios by name: saved (or overwritten on request), listed, read and deleted."""

    def __init__(self, core: StoreCore, rounds: Rounds) -> None:
        self._core = core
        self._rounds = rounds

    @writes(Action.SAVE_SCENARIO)
    def save_what_if(
        self,
        actor: Actor,
        reason: str,
        name: str,
        round_id: str,
        what_if: WhatIf,
        note: str = "",
        overwrite: bool = False,
    ) -> Scenario:
        """A scenario of a round of blocks: its pots, step amounts, values and report dates."""
        round_ = self._rounds.block_round(round_id)
        apply(round_, what_if)  # a what-if the round cannot take is refused before anything is written
        params_data, inputs_data = what_if_json(what_if)
        return self.write_scenario(
            actor, reason, name, round_id, round_.version, params_data, inputs_data, note, overwrite
        )

    def write_scenario(
        self,
        actor: Actor,
        reason: str,
        name: str,
        round_id: str,
        version: str,
        params_data: dict[str, Any],
        inputs_data: Any,
        note: str,
        overwrite: bool,
    ) -> Scenario:
        name = name.strip()
        if not name:
            raise WriteRefused("Ge scenariot ett namn.", "a scenario needs a name")
        if self._rounds.has_example_data():  # made on fictitious figures: said wherever the scenario shows
            params_data = params_data | {EXAMPLE_KEY: True}
        with self._core.transaction(actor, reason) as tx:
            existing = tx.execute("SELECT id, params, inputs, note FROM scenarios WHERE name = ?", [name]).fetchall()
            after = {"round_id": round_id, "params": params_data, "inputs": inputs_data, "note": note}
            if existing and not overwrite:
                raise WriteRefused(
                    f"Det finns redan ett scenario som heter ”{name}”. Välj ett annat namn eller skriv över.",
                    f"a scenario named {name!r} exists",
                )
            if existing:
                old_id, old_params, old_inputs, old_note = existing[0]
                before = {"params": json.loads(old_params), "inputs": json.loads(old_inputs), "note": old_note}
                tx.execute(
                    "UPDATE scenarios SET author = ?, created = ?, round_id = ?, rules_version = ?, params = ?, "
                    "inputs = ?, note = ? WHERE id = ?",
                    [
                        actor.name,
                        tx.at,
                        round_id,
                        version,
                        json.dumps(params_data),
                        json.dumps(inputs_data),
                        note,
                        old_id,
                    ],
                )
                tx.audit("update", "scenarios", name, before, after)
            else:
                tx.execute(
                    "INSERT INTO scenarios (name, author, created, round_id, rules_version, params, inputs, note) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        name,
                        actor.name,
                        tx.at,
                        round_id,
                        version,
                        json.dumps(params_data),
                        json.dumps(inputs_data),
                        note,
                    ],
                )
                tx.audit("insert", "scenarios", name, None, after)
        scenario = self.scenario(name)
        assert scenario is not None
        return scenario

    def _scenario_from_row(self, row: tuple[Any, ...]) -> Scenario:
        sid, name, author, created, round_id, version, params, inputs, note = row
        params_data, inputs_data = json.loads(params), json.loads(inputs)
        if is_what_if_json(params_data):
            what_if = what_if_from_json(params_data, inputs_data)
        else:  # saved in the 2023 AT format: the what-if of the round's staircase block it stands for
            what_if = what_if_from_2023_json(self._rounds.block_round(round_id), params_data, inputs_data)
        example = bool(params_data.get(EXAMPLE_KEY, False))
        return Scenario(sid, name, author, created, round_id, version, what_if, note, example)

    _SCENARIO_COLUMNS = "id, name, author, created, round_id, rules_version, params, inputs, note"

    @reads(Action.READ_SCENARIOS)
    def scenarios(self, round_id: str | None = None) -> list[Scenario]:
        sql = f"SELECT {self._SCENARIO_COLUMNS} FROM scenarios"
        sql += " WHERE round_id = ? ORDER BY created DESC, name" if round_id else " ORDER BY created DESC, name"
        return [self._scenario_from_row(r) for r in self._core.query(sql, [round_id] if round_id else [])]

    @reads(Action.READ_SCENARIOS)
    def scenario_names(self, round_id: str | None = None) -> list[str]:
        """Names of the saved scenarios, newest first (cheap: read once per write)."""

        def compute() -> tuple[str, ...]:
            sql = "SELECT name FROM scenarios" + (" WHERE round_id = ?" if round_id else "")
            rows = self._core.query(sql + " ORDER BY created DESC, name", [round_id] if round_id else [])
            return tuple(row[0] for row in rows)

        return list(self._core.cached(("scenario_names", round_id), compute))

    @reads(Action.READ_SCENARIOS)
    def example_scenario_names(self, round_id: str | None = None) -> frozenset[str]:
        """Names of the scenarios saved while the store held example data (their outcomes may be fictitious)."""

        def compute() -> frozenset[str]:
            sql = "SELECT name, params FROM scenarios" + (" WHERE round_id = ?" if round_id else "")
            rows = self._core.query(sql, [round_id] if round_id else [])
            return frozenset(name for name, params in rows if json.loads(params).get(EXAMPLE_KEY))

        return self._core.cached(("example_scenario_names", round_id), compute)

    @reads(Action.READ_SCENARIOS)
    def scenario(self, name: str) -> Scenario | None:
        rows = self._core.query(f"SELECT {self._SCENARIO_COLUMNS} FROM scenarios WHERE name = ?", [name])
        return self._scenario_from_row(rows[0]) if rows else None

    @writes(Action.SAVE_SCENARIO)
    def delete_scenario(self, actor: Actor, reason: str, name: str) -> bool:
        with self._core.transaction(actor, reason) as tx:
            rows = tx.execute("SELECT params, inputs, note FROM scenarios WHERE name = ?", [name]).fetchall()
            if not rows:
                return False
            tx.execute("DELETE FROM scenarios WHERE name = ?", [name])
            before = {"params": json.loads(rows[0][0]), "inputs": json.loads(rows[0][1]), "note": rows[0][2]}
            tx.audit("delete", "scenarios", name, before, None)
            return True
