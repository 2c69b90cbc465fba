"""Regions, population and the rounds' rules as the store holds them; checks of round ids and län codes.

Every round is read as one model, a round of blocks (``block_round``, by ``allocation.block_convert.read_round``,
whatever the format of its rules); what a page or a write does follows from the round's blocks, never from
the format (``stored_format`` is for the rules reader's own checks).

Staff saving a round (``save_round``): a rules text of any kind, checked by the reader of its kind
(``store.round_check``, written by ``store.round_rows``). Versions: a round with a decision (published or not)
is frozen — a changed text under the same version is refused, a new version is saved beside it. An
unpublished round's version is replaced (audited with before and after). The newest saved version is the one
every page reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import pandas as pd

from allocation.block_convert import read_round, recipients_from_regions
from allocation.block_data import Recipient
from allocation.blocks import Round
from allocation.method_params import FixedTableParams
from allocation.regions import Region, RegionIndex
from allocation.toml_bounds import load_rules
from store.access import Action
from store.access_rules import by_key, narrowed, reads, writes
from store.core import StoreCore
from store.model import Actor, RoundProblem, RulesRefused, WriteRefused
from store.round_check import RulesHead, check_planned, check_rules, format_problem, read_head
from store.round_rows import has_decision, planned_rows, write_estimates, write_planned, write_round

# How a round's money is paid (its blocks' ``paid_on``), in English and Swedish, for messages.
PAID_ON_WORDS = {
    True: ("round paid on requisition", "omgång som betalas ut efter rekvisition"),
    False: ("round paid by decision", "omgång som betalas ut enligt beslut"),
}
IMPORTED = ("imported into", "importeras till")
RECORDED = ("recorded for", "registreras för")


class Rounds:
    """Regions, population and rounds: what every other kind of data checks its ids against."""

    def __init__(self, core: StoreCore) -> None:
        self._core = core

    @reads(Action.READ_RULES)
    def regions(self, population_date: date) -> tuple[Region, ...]:
        def compute() -> tuple[Region, ...]:
            rows = self._core.query(
                "SELECT r.code, r.name, r.seed_name, p.population, p.date, r.aliases FROM regions r "
                "JOIN population p ON p.code = r.code AND p.date = ? ORDER BY r.code",
                [population_date],
            )
            return tuple(
                Region(code, name, seed, int(pop), when, tuple(a for a in aliases.split("|") if a))
                for code, name, seed, pop, when, aliases in rows
            )

        return self._core.cached(("regions", population_date), compute)

    @reads(Action.READ_RULES)
    def latest_population_date(self) -> date:
        return self._core.cached(
            ("latest_population_date",), lambda: self._core.query("SELECT max(date) FROM population")[0][0]
        )

    @reads(Action.READ_RULES)
    def region_index(self, population_date: date | None = None) -> RegionIndex:
        """Finds regions by name or code (the population date does not matter for that)."""
        return RegionIndex(self.regions(population_date or self.latest_population_date()))

    @reads(Action.READ_RULES)
    def round_ids(self) -> list[str]:
        def compute() -> tuple[str, ...]:
            return tuple(row[0] for row in self._core.query("SELECT DISTINCT id FROM rounds ORDER BY id"))

        return list(self._core.cached(("round_ids",), compute))

    @reads(Action.READ_RULES)
    def requisition_round_ids(self) -> list[str]:
        """The rounds paid on requisition (their blocks say so): those that take requisitions and a table."""
        return [round_id for round_id in self.round_ids() if self.block_round(round_id).paid_on_requisition]

    def _newest_first(self) -> str:
        """ORDER BY for a round's versions, newest saved first (a file at an older schema: by load time)."""

        def compute() -> str:
            rows = self._core.query(
                "SELECT count(*) FROM information_schema.columns WHERE table_name = 'rounds' AND column_name = ?",
                ["saved_seq"],
            )
            seq = "saved_seq DESC NULLS LAST, " if rows[0][0] else ""
            return f"ORDER BY {seq}loaded_at DESC, version DESC"

        return self._core.cached(("newest_first",), compute)

    @reads(Action.READ_RULES)
    def round_toml(self, round_id: str, version: str | None = None) -> str:
        """The rules text as saved (the newest version, or ``version``): a rules file, for download."""

        def compute() -> str:
            if version is None:
                rows = self._core.query(
                    f"SELECT rules_toml FROM rounds WHERE id = ? {self._newest_first()} LIMIT 1", [round_id]
                )
            else:
                rows = self._core.query(
                    "SELECT rules_toml FROM rounds WHERE id = ? AND version = ?", [round_id, version]
                )
            if not rows:
                raise KeyError(f"unknown round {round_id!r}" + ("" if version is None else f" version {version!r}"))
            return str(rows[0][0])

        return self._core.cached(("round_toml", round_id, version), compute)

    @reads(Action.READ_RULES)
    def round_document(self, round_id: str) -> dict[str, Any]:
        """The newest saved version of a round's rules file, parsed (within ``allocation.toml_bounds``)."""
        return self._core.cached(("round_document", round_id), lambda: load_rules(self.round_toml(round_id)))

    @reads(Action.READ_RULES)
    def round_versions(self, round_id: str) -> pd.DataFrame:
        """Every saved version of the round, newest (the one the pages show) first: when, by whom, from where."""
        self.require_round(round_id)
        return self._core.frame(
            "SELECT id, version, kind, title, loaded_at, saved_by, source_file FROM rounds WHERE id = ? "
            + self._newest_first(),
            [round_id],
        )

    @reads(Action.READ_RULES)
    def round_problems(self) -> tuple[RoundProblem, ...]:
        """Rules files in data/rounds that the store skipped when it was seeded, with why (English and Swedish)."""
        return self._core.round_problems_found

    @reads(Action.READ_RULES)
    def planned_table(self, round_id: str) -> dict[str, str]:
        """The round's planned positions per län code, as entered ("28", "1-5")."""

        def compute() -> dict[str, str]:
            return dict(self._core.query("SELECT code, planned FROM planned_positions WHERE round_id = ?", [round_id]))

        return dict(self._core.cached(("planned_table", round_id), compute))

    def region_codes(self) -> list[str]:
        return [row[0] for row in self._core.query("SELECT code FROM regions ORDER BY code")]

    @reads(Action.READ_RULES)
    def block_round(self, round_id: str) -> Round:
        """Any round as a round of blocks, as the rules reader reads it (``allocation.block_convert``), with the
        store's region codes as recipients, its planned table and its table of amounts."""

        def compute() -> Round:
            return read_round(
                self.round_document(round_id),
                regions_at=self.regions,
                planned=self.planned_table(round_id),
                amounts=self._stored_amounts(round_id),
                codes=self.region_codes(),
            )

        return self._core.cached(("block_round", round_id), compute)

    @reads(Action.READ_RULES)
    def recipients(self, round_id: str) -> tuple[Recipient, ...]:
        """The regions with their population at the round's population date, as the block engine takes them."""

        def compute() -> tuple[Recipient, ...]:
            return recipients_from_regions(self.regions(self.block_round(round_id).population_date))

        return self._core.cached(("recipients", round_id), compute)

    def _stored_amounts(self, round_id: str) -> dict[str, tuple[int, str, str]]:
        """The store's table of amounts for the round: the labelled estimate, or the imported official table."""

        def compute() -> dict[str, tuple[int, str, str]]:
            rows = self._core.query(
                "SELECT code, amount, basis, source FROM fixed_amounts WHERE round_id = ?", [round_id]
            )
            return {code: (int(amount), basis, source) for code, amount, basis, source in rows}

        return dict(self._core.cached(("fixed_amounts", round_id), compute))

    @narrowed(Action.READ_AMOUNTS, by_key)
    def fixed_amounts(self, round_id: str) -> dict[str, tuple[int, str, str]]:
        """Per län code: (maximum amount, basis "estimate" or "official", source) — the store's table, or for a
        round paid on requisition whose rules carry the table, the rules' own (empty for any other round)."""
        stored = self._stored_amounts(round_id)
        if stored or round_id not in self.round_ids():
            return stored
        round_ = self.block_round(round_id)
        out: dict[str, tuple[int, str, str]] = {}
        for block in round_.blocks:
            if block.on_requisition and isinstance(block.params, FixedTableParams):
                source = block.table_source.section if block.table_source else ""
                for code, amount in block.params.table.items():
                    out[code] = (out.get(code, (0,))[0] + amount, block.params.basis, source)
        return out

    def requisition_maximum(self, round_id: str) -> dict[str, int] | None:
        """For a round paid on requisition, the most each recipient may requisition (its blocks' tables);
        None for a round paid by decision."""
        round_ = self.block_round(round_id)
        return round_.requisition_maximum() if round_.paid_on_requisition else None

    def stored_format(self, round_id: str) -> str | None:
        """The format (``kind``) the store holds the round's rules in: only the rules reader asks."""
        rows = self._core.query("SELECT kind FROM rounds WHERE id = ? LIMIT 1", [round_id])
        return rows[0][0] if rows else None

    def check_code(self, code: str) -> None:
        if code not in {r.code for r in self.regions(self.latest_population_date())}:
            raise WriteRefused(f"Okänd region: {code}", f"unknown region code {code!r}")

    def has_example_data(self) -> bool:
        """Whether the store holds example data (an older schema has no table for it: none)."""
        known = "SELECT count(*) FROM information_schema.tables WHERE table_name = 'example_data'"
        return bool(self._core.query(known)[0][0] and self._core.query("SELECT count(*) FROM example_data")[0][0])

    def check_no_example_data(self) -> None:
        """Real follow-up records never mix with example data: they are refused until it is removed."""
        if self.has_example_data():
            raise WriteRefused(
                "Databasen innehåller exempeldata (fiktiva uppgifter). Ta bort exempeldata först "
                "(knappen i rutan överst, eller python -m store demo --remove); riktiga uppgifter blandas aldrig "
                "med exempel.",
                "the database holds example data; remove it first (python -m store demo --remove): real "
                "records never mix with examples",
            )

    def require_round(self, round_id: str) -> None:
        if round_id not in self.round_ids():
            raise WriteRefused(f"Okänd bidragsomgång: {round_id}", f"unknown round {round_id!r}")

    def check_paid_on_requisition(self, round_id: str, what: tuple[str, str], verb: tuple[str, str]) -> None:
        """Refuse an unknown round or one its blocks do not pay on requisition; the message lists the store's
        rounds that are paid so.

        ``what`` and ``verb`` are (English, Swedish): e.g. ("requisitions", "rekvisitioner"), ("imported into",
        "importeras till").
        """
        known = round_id in self.round_ids()
        if known and self.block_round(round_id).paid_on_requisition:
            return
        fitting = self.requisition_round_ids()
        wanted_en, wanted_sv = PAID_ON_WORDS[True]
        where_en = f"a {wanted_en} such as {', '.join(fitting)}" if fitting else f"a {wanted_en} (the store has none)"
        where_sv = f"en {wanted_sv}, t.ex. {', '.join(fitting)}" if fitting else f"en {wanted_sv} (databasen har ingen)"
        if not known:
            head_en, head_sv = f"unknown round {round_id!r}", f"Okänd bidragsomgång ”{round_id}”"
        else:
            paid_en, paid_sv = PAID_ON_WORDS[False]
            head_en = f"round {round_id!r} is a {paid_en}"
            head_sv = f"Bidragsomgången ”{round_id}” är en {paid_sv}"
        raise WriteRefused(
            f"{head_sv}; {what[1]} kan bara {verb[1]} {where_sv}.",
            f"{head_en}; {what[0]} can only be {verb[0]} {where_en}",
        )

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
        rows = self._core.query(
            "SELECT round_id, code, planned FROM planned_positions WHERE source = ? ORDER BY round_id", [source]
        )
        first = rows[0][0] if rows else None
        table = {code: planned for round_id, code, planned in rows if round_id == first}
        return (table or None), source

    @reads(Action.EDIT_ROUNDS)
    def check_round(self, rules_toml: str, planned: dict[str, str] | None = None) -> tuple[str, str]:
        """The checks ``save_round`` makes before writing, without writing: (id, version), or what saving would
        raise (except the freeze of a decided round, which only the write sees)."""
        head = self._read_checked(rules_toml, planned)
        self._checked(head, planned)
        return head.id, head.version

    def _read_checked(self, rules_toml: str, planned: dict[str, str] | None) -> RulesHead:
        head = read_head(rules_toml)  # within the bounds of allocation.toml_bounds, before anything else
        if planned is not None:
            given = check_planned(planned, self.region_codes())
            if given:
                raise RulesRefused(given)
        return head

    def _checked(self, head: RulesHead, planned: dict[str, str] | None) -> tuple[dict[str, str] | None, str]:
        table, borrowed = self._planned_for(head, planned)
        check_rules(head, self.region_codes(), self.regions, table)
        stored = self.stored_format(head.id)
        problem = format_problem(head, [] if stored is None else [stored])
        if problem is not None:
            raise WriteRefused(problem[1], problem[0])
        return table, borrowed

    @writes(Action.EDIT_ROUNDS)
    def save_round(
        self, actor: Actor, reason: str, rules_toml: str, planned: dict[str, str] | None = None
    ) -> tuple[str, str]:
        """Save a rules text (a new round, or a version of one) with its planned table; returns (id, version).

        Refused (``WriteRefused``, naming the field) when the rules cannot be read by the reader of their
        kind, when the round exists with another kind, and when a published round's version would change:
        then give the changed rules a new version. Saving what the store holds already writes nothing.
        """
        head = self._read_checked(rules_toml, planned)
        with self._core.write_lock:  # the checks and the write see the same rows
            table, borrowed = self._checked(head, planned)
            with self._core.transaction(actor, reason) as tx:
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
