"""Regions, population and the rounds' rules as the store holds them; checks of round ids and län codes.

Every round is read as one model, a round of blocks (``block_round``, by ``allocation.block_convert.read_round``,
whatever the format of its rules); what a page or a write does follows from the round's blocks, never from
the format (``_stored_format`` is for the rules reader's own checks).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from allocation.block_convert import read_round, recipients_from_regions
from allocation.block_data import Recipient
from allocation.blocks import Round
from allocation.method_params import FixedTableParams
from allocation.regions import Region, RegionIndex
from allocation.toml_bounds import load_rules
from store.core import StoreCore
from store.model import RoundProblem, WriteRefused

# How a round's money is paid (its blocks' ``paid_on``), in English and Swedish, for messages.
PAID_ON_WORDS = {
    True: ("round paid on requisition", "omgång som betalas ut efter rekvisition"),
    False: ("round paid by decision", "omgång som betalas ut enligt beslut"),
}
IMPORTED = ("imported into", "importeras till")
RECORDED = ("recorded for", "registreras för")


class RoundsMixin(StoreCore):
    """Regions, population and rounds: what every other kind of data checks its ids against."""

    def regions(self, population_date: date) -> tuple[Region, ...]:
        def compute() -> tuple[Region, ...]:
            rows = self.query(
                "SELECT r.code, r.name, r.seed_name, p.population, p.date, r.aliases FROM regions r "
                "JOIN population p ON p.code = r.code AND p.date = ? ORDER BY r.code",
                [population_date],
            )
            return tuple(
                Region(code, name, seed, int(pop), when, tuple(a for a in aliases.split("|") if a))
                for code, name, seed, pop, when, aliases in rows
            )

        return self._cached(("regions", population_date), compute)

    def latest_population_date(self) -> date:
        return self._cached(("latest_population_date",), lambda: self.query("SELECT max(date) FROM population")[0][0])

    def region_index(self, population_date: date | None = None) -> RegionIndex:
        """Finds regions by name or code (the population date does not matter for that)."""
        return RegionIndex(self.regions(population_date or self.latest_population_date()))

    def round_ids(self) -> list[str]:
        def compute() -> tuple[str, ...]:
            return tuple(row[0] for row in self.query("SELECT DISTINCT id FROM rounds ORDER BY id"))

        return list(self._cached(("round_ids",), compute))

    def requisition_round_ids(self) -> list[str]:
        """The rounds paid on requisition (their blocks say so): those that take requisitions and a table."""
        return [round_id for round_id in self.round_ids() if self.block_round(round_id).paid_on_requisition]

    def _newest_first(self) -> str:
        """ORDER BY for a round's versions, newest saved first (a file at an older schema: by load time)."""

        def compute() -> str:
            rows = self.query(
                "SELECT count(*) FROM information_schema.columns WHERE table_name = 'rounds' AND column_name = ?",
                ["saved_seq"],
            )
            seq = "saved_seq DESC NULLS LAST, " if rows[0][0] else ""
            return f"ORDER BY {seq}loaded_at DESC, version DESC"

        return self._cached(("newest_first",), compute)

    def round_toml(self, round_id: str, version: str | None = None) -> str:
        """The rules text as saved (the newest version, or ``version``): a rules file, for download."""

        def compute() -> str:
            if version is None:
                rows = self.query(
                    f"SELECT rules_toml FROM rounds WHERE id = ? {self._newest_first()} LIMIT 1", [round_id]
                )
            else:
                rows = self.query("SELECT rules_toml FROM rounds WHERE id = ? AND version = ?", [round_id, version])
            if not rows:
                raise KeyError(f"unknown round {round_id!r}" + ("" if version is None else f" version {version!r}"))
            return str(rows[0][0])

        return self._cached(("round_toml", round_id, version), compute)

    def round_document(self, round_id: str) -> dict[str, Any]:
        """The newest saved version of a round's rules file, parsed (within ``allocation.toml_bounds``)."""
        return self._cached(("round_document", round_id), lambda: load_rules(self.round_toml(round_id)))

    def round_versions(self, round_id: str) -> pd.DataFrame:
        """Every saved version of the round, newest (the one the pages show) first: when, by whom, from where."""
        self._check_round(round_id)
        return self.frame(
            "SELECT id, version, kind, title, loaded_at, saved_by, source_file FROM rounds WHERE id = ? "
            + self._newest_first(),
            [round_id],
        )

    def round_problems(self) -> tuple[RoundProblem, ...]:
        """Rules files in data/rounds that the store skipped when it was seeded, with why (English and Swedish)."""
        return self.round_problems_found

    def planned_table(self, round_id: str) -> dict[str, str]:
        """The round's planned positions per län code, as entered ("28", "1-5")."""

        def compute() -> dict[str, str]:
            return dict(self.query("SELECT code, planned FROM planned_positions WHERE round_id = ?", [round_id]))

        return dict(self._cached(("planned_table", round_id), compute))

    def _region_codes(self) -> list[str]:
        return [row[0] for row in self.query("SELECT code FROM regions ORDER BY code")]

    def block_round(self, round_id: str) -> Round:
        """Any round as a round of blocks, as the rules reader reads it (``allocation.block_convert``), with the
        store's region codes as recipients, its planned table and its table of amounts."""

        def compute() -> Round:
            return read_round(
                self.round_document(round_id),
                regions_at=self.regions,
                planned=self.planned_table(round_id),
                amounts=self._stored_amounts(round_id),
                codes=self._region_codes(),
            )

        return self._cached(("block_round", round_id), compute)

    def recipients(self, round_id: str) -> tuple[Recipient, ...]:
        """The regions with their population at the round's population date, as the block engine takes them."""

        def compute() -> tuple[Recipient, ...]:
            return recipients_from_regions(self.regions(self.block_round(round_id).population_date))

        return self._cached(("recipients", round_id), compute)

    def _stored_amounts(self, round_id: str) -> dict[str, tuple[int, str, str]]:
        """The store's table of amounts for the round: the labelled estimate, or the imported official table."""

        def compute() -> dict[str, tuple[int, str, str]]:
            rows = self.query("SELECT code, amount, basis, source FROM fixed_amounts WHERE round_id = ?", [round_id])
            return {code: (int(amount), basis, source) for code, amount, basis, source in rows}

        return dict(self._cached(("fixed_amounts", round_id), compute))

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

    def _stored_format(self, round_id: str) -> str | None:
        """The format (``kind``) the store holds the round's rules in: only the rules reader asks."""
        rows = self.query("SELECT kind FROM rounds WHERE id = ? LIMIT 1", [round_id])
        return rows[0][0] if rows else None

    def _check_code(self, code: str) -> None:
        if code not in {r.code for r in self.regions(self.latest_population_date())}:
            raise WriteRefused(f"Okänd region: {code}", f"unknown region code {code!r}")

    def _check_no_example_data(self) -> None:
        """Real follow-up records never mix with example data: they are refused until it is removed."""
        known = "SELECT count(*) FROM information_schema.tables WHERE table_name = 'example_data'"
        if self.query(known)[0][0] and self.query("SELECT count(*) FROM example_data")[0][0]:  # (older schema: none)
            raise WriteRefused(
                "Databasen innehåller exempeldata (fiktiva uppgifter). Ta bort exempeldata först "
                "(knappen i rutan överst, eller python -m store demo --remove); riktiga uppgifter blandas aldrig "
                "med exempel.",
                "the database holds example data; remove it first (python -m store demo --remove): real "
                "records never mix with examples",
            )

    def _check_round(self, round_id: str) -> None:
        if round_id not in self.round_ids():
            raise WriteRefused(f"Okänd bidragsomgång: {round_id}", f"unknown round {round_id!r}")

    def _check_paid_on_requisition(self, round_id: str, what: tuple[str, str], verb: tuple[str, str]) -> None:
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
