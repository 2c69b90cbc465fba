"""The rules file: every figure traceable to a sentence of the seed, verbatim."""

import re
import tomllib
from datetime import date
from pathlib import Path

import pytest

from allocation.rules import CUSTOM_POT, Step
from tests.block_helpers import load_round

ROOT = Path(__file__).resolve().parents[1]
ROUND = load_round("at-2023")


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_every_source_quote_is_in_the_seed_verbatim() -> None:
    seed = _flat((ROOT / "data" / "seeds" / ROUND.seed_file).read_text(encoding="utf-8"))
    quotes = [s.quote for s in ROUND.sources.values()] + [m.source.quote for m in ROUND.milestones]
    assert len(quotes) >= 15
    for quote in quotes:
        assert _flat(quote) in seed, quote


def _quotes(node: object, section: str = "") -> list[tuple[str, str]]:
    """Every (section, quote) in a rules document: ``quote``/``section`` and ``x_quote``/``x_section`` pairs."""
    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        here = node.get("section", section)
        for key, value in node.items():
            if key == "quote" or key.endswith("_quote"):
                prefix = key.removesuffix("quote")
                found.append((node.get(f"{prefix}section", here), value))
            else:
                found += _quotes(value, here)
    elif isinstance(node, list):
        for item in node:
            found += _quotes(item, section)
    return found


@pytest.mark.parametrize("path", sorted((ROOT / "data" / "rounds").glob("*.toml")), ids=lambda p: p.stem)
def test_every_rules_file_quotes_its_seed_verbatim_under_its_heading(path: Path) -> None:
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    seed_text = (ROOT / "data" / "seeds" / doc["seed_file"]).read_text(encoding="utf-8")
    seed = _flat(seed_text)
    headings = {line.strip() for line in seed_text.splitlines()}
    quotes = _quotes(doc)
    assert len(quotes) >= 5
    for section, quote in quotes:
        assert _flat(quote) in seed, quote
        assert section in headings, section


def test_every_source_section_is_a_heading_of_the_seed() -> None:
    seed_lines = {line.strip() for line in (ROOT / "data/seeds" / ROUND.seed_file).read_text("utf-8").splitlines()}
    for source in [*ROUND.sources.values(), *(m.source for m in ROUND.milestones)]:
        assert source.section in seed_lines, source.section


def test_seed_copy_in_data_matches_shared_when_present() -> None:
    shared = ROOT.parent / "shared" / "seeds" / ROUND.seed_file
    if not shared.exists():
        pytest.skip("no shared/ beside this checkout")
    assert shared.read_bytes() == (ROOT / "data" / "seeds" / ROUND.seed_file).read_bytes()


def test_the_seeds_figures() -> None:
    assert ROUND.default_params().pot == 254_000_000
    assert ROUND.pot_option("bakgrund").amount == 252_000_000
    assert ROUND.agency_costs == 2_000_000
    assert ROUND.steps == (
        Step(2, 2_000_000),
        Step(3, 3_000_000),
        Step(5, 5_000_000),
        Step(7, 8_000_000),
        Step(10, 12_000_000),
    )
    assert ROUND.key == "expansion_per_100k"
    assert ROUND.per_inhabitants == 100_000
    assert ROUND.population_date == date(2022, 11, 1)
    assert {m.id: m.due for m in ROUND.milestones}["report"] == date(2023, 11, 1)


def test_the_seeds_table_all_21_regions() -> None:
    """Population and planned positions equal the seed's table, row by row (read independently here)."""
    seed = (ROOT / "data" / "seeds" / ROUND.seed_file).read_text(encoding="utf-8")
    table = {}
    for line in seed.splitlines():
        cells = line.split("\t")
        if len(cells) == 3 and re.fullmatch(r"[\d\s\u00a0]+", cells[2]):
            table[cells[0]] = (cells[1], int(re.sub(r"\D", "", cells[2])))
    assert len(table) == 21
    assert len(ROUND.regions) == 21
    for region in ROUND.regions:
        planned, population = table[region.seed_name]
        assert (ROUND.planned[region.code], region.population) == (planned, population), region.name
    by_name = {r.name: r for r in ROUND.regions}
    assert by_name["Norrbotten"].seed_name == "Norrbottn"
    assert [r.code for r in ROUND.regions] == sorted(r.code for r in ROUND.regions)


def test_params_attribute_the_pot_to_its_source() -> None:
    assert ROUND.params().pot_source == "bidragets_storlek"
    assert ROUND.params(pot=252_000_000).pot_source == "bakgrund"
    assert ROUND.params(pot=1).pot_source == CUSTOM_POT


@pytest.mark.parametrize(
    "overrides",
    [
        {"pot": -1},
        {"steps": ()},
        {"steps": (Step(3, 1), Step(2, 1))},
        {"steps": (Step(0, 1),)},
        {"steps": (Step(2, -1),)},
        {"key": "population"},
    ],
)
def test_bad_overrides_are_refused(overrides: dict) -> None:
    with pytest.raises(ValueError):
        ROUND.params(**overrides)


def test_unknown_round() -> None:
    with pytest.raises(FileNotFoundError, match="at-2023"):
        load_round("at-2099")
