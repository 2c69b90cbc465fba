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


URL_ENV = "STATSBIDRAG_DATABASE_URL"
SECRETS = ROOT / ".streamlit" / "secrets.toml"
CONNECTION = "statsbidrag"  # [connections.statsbidrag] in secrets.toml


def is_url(target: object) -> bool:
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def database_url() -> str | None:
    """A PostgreSQL URL when one is configured: ``$STATSBIDRAG_DATABASE_URL``, else ``url`` in the
    ``[connections.statsbidrag]`` section of ``.streamlit/secrets.toml`` (Streamlit's convention for
    connections); None: the embedded DuckDB file."""
    if url := os.environ.get(URL_ENV, "").strip():
        return url
    if SECRETS.is_file():
        import tomllib

        try:
            section = tomllib.loads(SECRETS.read_text(encoding="utf-8")).get("connections", {}).get(CONNECTION, {})
        except (OSError, tomllib.TOMLDecodeError, AttributeError):
            return None
        url = str(section.get("url", "")).strip() if isinstance(section, dict) else ""
        return url or None
    return None


def database_target() -> str | Path:
    """Where the store is: a PostgreSQL URL when configured, else the DuckDB file."""
    return database_url() or db_path()


DATA_ENV = "STATSBIDRAG_DATA"


def data_dir() -> Path:
    """The folder of rules files, regions and population: ``$STATSBIDRAG_DATA`` or ``data/`` in the project."""
    return Path(os.environ.get(DATA_ENV) or ROOT / "data")
