"""Where the database file is: light enough for the command line to read before it loads the store."""

from __future__ import annotations

import os
import re
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


# The first key of a key=value connection string (``host=/run/postgresql dbname=statsbidrag ...``): libpq's.
_CONNINFO_KEYS = re.compile(
    r"\s*(?:host|hostaddr|port|dbname|user|password|passfile|service|sslmode|sslpassword|connect_timeout|options|"
    r"application_name|target_session_attrs|channel_binding|gssencmode|sslcert|sslkey|sslrootcert)\s*=",
    re.IGNORECASE,
)


def is_url(target: object) -> bool:
    """A PostgreSQL connection string: a ``postgresql://`` URL, or libpq's key=value form."""
    if not isinstance(target, str):
        return False
    return target.strip().lower().startswith(("postgresql://", "postgres://")) or bool(_CONNINFO_KEYS.match(target))


def secrets_files() -> list[Path]:
    """The secrets files Streamlit reads, in its order (a later file's top-level tables win): the user's
    (``~/.streamlit/secrets.toml``), the working directory's, and the one beside ``app.py``. The command
    line reads the same ones, so it never works on another database than the dashboard."""
    files = [Path.home() / ".streamlit" / "secrets.toml", Path.cwd() / ".streamlit" / "secrets.toml", SECRETS]
    return list(dict.fromkeys(_resolved(f) for f in files))


def _resolved(file: Path) -> Path:
    try:
        return file.resolve()
    except (OSError, RuntimeError):  # a symlink loop (RuntimeError in Python 3.11): reading it then fails
        return file


def database_url() -> str | None:
    """A PostgreSQL URL when one is configured: ``$STATSBIDRAG_DATABASE_URL``, else ``url`` in the
    ``[connections.statsbidrag]`` section of the secrets (Streamlit's convention for connections); None: the
    embedded DuckDB file. A secrets file that cannot be read is an error, never a silent switch to the
    DuckDB file (the configured database might then miss what is written)."""
    if url := os.environ.get(URL_ENV, "").strip():
        return url
    import tomllib

    merged: dict[str, object] = {}
    for file in secrets_files():
        try:
            merged.update(tomllib.loads(file.read_text(encoding="utf-8")))
        except (FileNotFoundError, NotADirectoryError):  # no such file (a dangling link too), as Streamlit skips it
            continue
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:  # a folder, a loop, no permission
            from store.model import StoreError

            raise StoreError(
                f"the secrets file {file} cannot be read ({exc}); it may name the database: fix it or move it",
                f"Filen {file} med inställningar och lösenord kan inte läsas ({exc}). Den kan ange vilken "
                "databas som ska användas, så tjänsten startar inte utan den: rätta filen.",
            ) from exc
    connections = merged.get("connections")
    section = connections.get(CONNECTION) if isinstance(connections, dict) else None
    url = str(section.get("url", "")).strip() if isinstance(section, dict) else ""
    return url or None


def database_target() -> str | Path:
    """Where the store is: a PostgreSQL URL when configured, else the DuckDB file."""
    return database_url() or db_path()


DATA_ENV = "STATSBIDRAG_DATA"


def data_dir() -> Path:
    """The folder of rules files, regions and population: ``$STATSBIDRAG_DATA`` or ``data/`` in the project."""
    return Path(os.environ.get(DATA_ENV) or ROOT / "data")
