"""The 21 regions: län code, canonical name, population, and resolving names as people write them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Region:
    code: str  # two-digit län code, e.g. "09"
    name: str  # canonical name, e.g. "Norrbotten"
    seed_name: str  # the spelling in the seed's table, e.g. "Norrbottn"
    population: int
    population_date: date
    aliases: tuple[str, ...] = ()  # the region's own name where it differs, e.g. "Sörmland"


class UnknownRegion(ValueError):
    """A region name or code that matches none of the 21."""


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).casefold().strip()
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"^region\s+", "", text)
    text = re.sub(r"\s+(län|region|läns landsting)$", "", text)
    return text.strip()


class RegionIndex:
    """Finds a region by two-digit län code or by name in any case, with or without "Region"/"län"."""

    def __init__(self, regions: tuple[Region, ...]) -> None:
        self.regions = regions
        self._by_key: dict[str, Region] = {}
        for region in regions:
            self._by_key[region.code] = region
            for name in (region.name, region.seed_name, *region.aliases):
                self._by_key[_normalise(name)] = region

    def resolve(self, text: str) -> Region:
        raw = str(text).strip()
        if re.fullmatch(r"\d{1,2}", raw):
            code = raw.zfill(2)
            if code in self._by_key:
                return self._by_key[code]
            raise UnknownRegion(f"unknown län code: {raw}")
        key = _normalise(raw)
        if key in self._by_key:
            return self._by_key[key]
        # "Västra Götalands län", "Skåne läns": a genitive s before "län".
        if key.endswith("s") and key[:-1] in self._by_key:
            return self._by_key[key[:-1]]
        raise UnknownRegion(f"unknown region: {raw!r}")
