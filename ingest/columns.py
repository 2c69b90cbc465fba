"""Column names of the import files, in English and in Swedish, and the Swedish name each is shown by.

A header is read case-insensitively, with spaces collapsed and a trailing colon ignored: ``Tillsatta``,
``TILLSATTA`` and ``filled`` are the same column. A key a round's rules name that is not listed here
(a new round's own value) is its own column name.
"""

from __future__ import annotations

import re

CODE = "code"  # the län code column (``Länskod``), beside or instead of the region's name

# canonical name -> (Swedish name shown to users, other accepted names besides the canonical one)
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "region": ("Region", ("län", "regionnamn", "namn")),
    CODE: ("Länskod", ("länskod", "lanskod", "länkod", "kod", "län code", "county code")),
    "received": (
        "Mottagen",
        ("mottagen", "mottaget", "datum mottagen", "mottagen datum", "mottagningsdatum", "inkom", "date received"),
    ),
    "filled": ("Tillsatta", ("tillsatta", "tillsatta tjänster")),
    "started": ("Påbörjade", ("påbörjade", "påbörjade tjänster")),
    "excluded": ("Avräknade", ("avräknade", "avräknade tjänster")),
    "planned": ("Planerade", ("planerade", "planerade tjänster")),
    "positions": ("AT-tjänster", ("at-tjänster", "tjänster", "antal at-tjänster")),
    "expansion": ("Utökning", ("utökning", "utökade tjänster")),
    "amount": ("Belopp", ("belopp", "belopp (kr)", "kronor")),
    "reference": ("Referens", ("referens",)),
}
_SPACES = re.compile(r"\s+")
_ALIASES = {alias: name for name, (_, aliases) in COLUMNS.items() for alias in (name, *aliases)}


def normalized(header: str) -> str:
    return _SPACES.sub(" ", header.replace("\u00a0", " ")).strip().rstrip(":").strip().casefold()


def canonical(header: str) -> str:
    """The column a header names: ``Tillsatta`` → ``filled``; an unknown header as it is, normalised."""
    text = normalized(header)
    return _ALIASES.get(text, text)


def column_sv(name: str) -> str:
    """The Swedish name of a column (``filled`` → ``Tillsatta``); an unlisted key by its own name."""
    return COLUMNS[name][0] if name in COLUMNS else name


def names_sv(names: tuple[str, ...]) -> str:
    return ", ".join(column_sv(n) for n in names)
