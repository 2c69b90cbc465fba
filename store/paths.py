"""Where the database file is: light enough for the command line to read before it loads the store."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = ROOT / "var" / "statsbidrag.duckdb"
PATH_ENV = "STATSBIDRAG_DB"


def db_path() -> Path:
    """The database file: ``$STATSBIDRAG_DB`` or ``var/statsbidrag.duckdb`` in the project."""
    return Path(os.environ.get(PATH_ENV) or DEFAULT_PATH)


DATA_ENV = "STATSBIDRAG_DATA"


def data_dir() -> Path:
    """The folder of rules files, regions and population: ``$STATSBIDRAG_DATA`` or ``data/`` in the project."""
    return Path(os.environ.get(DATA_ENV) or ROOT / "data")
