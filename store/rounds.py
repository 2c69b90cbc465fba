"""Regions, population and the rounds' rules as the store holds them; checks of round ids and län codes."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from allocation.fixed import FixedRound, parse_fixed_round
from allocation.regions import Region, RegionIndex
from allocation.rules import AtRound, parse_round
from allocation.toml_bounds import load_rules
from store.core import StoreCore
from store.model import RoundProblem, WriteRefused

# A round's kind (``kind`` in its rules file), in English and Swedish, for messages.
ROUND_KINDS = {
    "performance": ("performance round", "prestationsbaserad omgång"),
    "fixed": ("fixed-amount round", "omgång med fasta belopp"),
    "blocks": ("round of blocks", "omgång i block"),
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

    def round_ids(self, kind: str | None = None) -> list[str]:
        def compute() -> tuple[str, ...]:
            sql = "SELECT DISTINCT id FROM rounds" + (" WHERE kind = ?" if kind else "") + " ORDER BY id"
            return tuple(row[0] for row in self.query(sql, [kind] if kind else []))

        return list(self._cached(("round_ids", kind), compute))

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

    def at_round(self, round_id: str) -> AtRound:
        """The AT round as the store holds it: rules, regions, population and planned positions."""

        def compute() -> AtRound:
            doc = self.round_document(round_id)
            regions = self.regions(doc["redistribution"]["population_date"])
            return parse_round(doc, regions, self.planned_table(round_id))

        return self._cached(("at_round", round_id), compute)

    def round_kind(self, round_id: str) -> str | None:
        rows = self.query("SELECT kind FROM rounds WHERE id = ? LIMIT 1", [round_id])
        return rows[0][0] if rows else None

    def fixed_round(self, round_id: str) -> FixedRound:
        return self._cached(("fixed_round", round_id), lambda: parse_fixed_round(self.round_document(round_id)))

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

    def _check_round_kind(self, round_id: str, kind: str, what: tuple[str, str], verb: tuple[str, str]) -> None:
        """Refuse an unknown round or one of another kind; the message lists the store's rounds that fit.

        ``what`` and ``verb`` are (English, Swedish): e.g. ("AT reports", "AT-rapporter"), ("imported into",
        "importeras till").
        """
        actual = self.round_kind(round_id)
        if actual == kind:
            return
        fitting = self.round_ids(kind)
        wanted_en, wanted_sv = ROUND_KINDS.get(kind, (f"{kind} round", f"omgång av typen {kind}"))
        where_en = f"a {wanted_en} such as {', '.join(fitting)}" if fitting else f"a {wanted_en} (the store has none)"
        where_sv = f"en {wanted_sv}, t.ex. {', '.join(fitting)}" if fitting else f"en {wanted_sv} (databasen har ingen)"
        if actual is None:
            head_en, head_sv = f"unknown round {round_id!r}", f"Okänd bidragsomgång ”{round_id}”"
        else:
            kind_en, kind_sv = ROUND_KINDS.get(actual, (f"{actual} round", f"omgång av typen {actual}"))
            head_en = f"round {round_id!r} is a {kind_en}"
            head_sv = f"Bidragsomgången ”{round_id}” är en {kind_sv}"
        raise WriteRefused(
            f"{head_sv}; {what[1]} kan bara {verb[1]} {where_sv}.",
            f"{head_en}; {what[0]} can only be {verb[0]} {where_en}",
        )
