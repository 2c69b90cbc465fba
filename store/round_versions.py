"""Every round read as blocks, its recipients, and staff saving a round (a new round, or a version).

- ``block_round``: every round as ``allocation.block_convert.read_round`` reads its rules (whatever their
  format), with the store's region codes as recipients, its planned table and its table of amounts.
- ``save_round``: a rules text of any kind, checked by the reader of its kind (``store.round_check``).
  Versions: a round with a decision (published or not) is frozen — a changed text under the same version is
  refused, a new version is saved beside it. An unpublished round's version is replaced (audited with
  before and after). The newest saved version is the one every page reads.
"""

from __future__ import annotations

from collections.abc import Mapping

from store.decisions import DecisionsMixin
from store.followup import FollowupMixin
from store.model import Actor, RulesRefused, WriteRefused
from store.round_check import RulesHead, check_planned, check_rules, format_problem, read_head
from store.round_rows import has_decision, planned_rows, write_estimates, write_planned, write_round


class RoundVersionsMixin(FollowupMixin, DecisionsMixin):
    """Saving rounds with versions."""

    # --- saving ------------------------------------------------------------------------------------

    def _planned_for(self, head: RulesHead, given: Mapping[str, str] | None) -> tuple[dict[str, str] | None, str]:
        """The planned table the round will have, and the source to record for rows written from it.

        Given with the rules; else the rules' inline table; else (the rules name a file) what the store
        holds for this round, or the table it loaded from that file in data/rounds for another round.
        """
        if given is not None:
            return dict(given), ""
        if head.planned_table is not None:
            return head.planned_table, ""
        if head.planned_file is None:
            return None, ""
        own = self.planned_table(head.id)
        if own:
            return own, ""
        source = f"data/rounds/{head.planned_file}"
        rows = self.query(
            "SELECT round_id, code, planned FROM planned_positions WHERE source = ? ORDER BY round_id", [source]
        )
        first = rows[0][0] if rows else None
        table = {code: planned for round_id, code, planned in rows if round_id == first}
        return (table or None), source

    def check_round(self, rules_toml: str, planned: dict[str, str] | None = None) -> tuple[str, str]:
        """The checks ``save_round`` makes before writing, without writing: (id, version), or what saving would
        raise (except the freeze of a decided round, which only the write sees)."""
        head = self._read_checked(rules_toml, planned)
        self._checked(head, planned)
        return head.id, head.version

    def _read_checked(self, rules_toml: str, planned: dict[str, str] | None) -> RulesHead:
        head = read_head(rules_toml)  # within the bounds of allocation.toml_bounds, before anything else
        if planned is not None:
            given = check_planned(planned, self._region_codes())
            if given:
                raise RulesRefused(given)
        return head

    def _checked(self, head: RulesHead, planned: dict[str, str] | None) -> tuple[dict[str, str] | None, str]:
        table, borrowed = self._planned_for(head, planned)
        check_rules(head, self._region_codes(), self.regions, table)
        stored = self._stored_format(head.id)
        problem = format_problem(head, [] if stored is None else [stored])
        if problem is not None:
            raise WriteRefused(problem[1], problem[0])
        return table, borrowed

    def save_round(
        self, actor: Actor, reason: str, rules_toml: str, planned: dict[str, str] | None = None
    ) -> tuple[str, str]:
        """Save a rules text (a new round, or a version of one) with its planned table; returns (id, version).

        Refused (``WriteRefused``, naming the field) when the rules cannot be read by the reader of their
        kind, when the round exists with another kind, and when a published round's version would change:
        then give the changed rules a new version. Saving what the store holds already writes nothing.
        """
        head = self._read_checked(rules_toml, planned)
        with self._write_lock:  # the checks and the write see the same rows
            table, borrowed = self._checked(head, planned)
            with self.transaction(actor, reason) as tx:
                decided = has_decision(tx, head.id)  # frozen from the decision, not from its publication
                rows = tx.execute(
                    "SELECT rules_toml FROM rounds WHERE id = ? AND version = ?", [head.id, head.version]
                ).fetchall()
                if decided and rows and rows[0][0] != rules_toml:
                    raise WriteRefused(
                        f"version: omgången {head.id} är beslutad, så version {head.version} är låst. "
                        "Ge de ändrade reglerna ett nytt versionsnummer.",
                        f"version: round {head.id!r} is decided, so version {head.version} is frozen: "
                        "give the changed rules a new version",
                    )
                current = {code: value for code, (value, _) in planned_rows(tx, head.id).items()}
                if decided and table is not None and current and any(current.get(c) != v for c, v in table.items()):
                    raise WriteRefused(
                        f"planned: omgången {head.id} är beslutad, så dess planeringsunderlag är låst.",
                        f"planned: round {head.id!r} is decided, so its planned table is frozen",
                    )
                write_round(tx, head, f"sparad av {actor.name.strip()}", actor.name.strip())
                if table is not None:
                    write_planned(tx, head.id, table, borrowed or f"sparad av {actor.name.strip()}", from_file=False)
                write_estimates(tx, head)  # a fixed round without amounts gets the labelled estimate
        return head.id, head.version
