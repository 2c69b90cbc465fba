"""Login settings read without Streamlit, so that ``python -m store init`` can refuse to start.

``make run`` runs ``python -m store init`` before the server: with ``STATSBIDRAG_REQUIRE_AUTH=1`` (or
``require_auth = true`` under ``[statsbidrag]``) and no ``[auth]`` section, it exits with status 2 and
the dashboard is not started. The app checks the same again on every run (``ui.auth``).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

REQUIRE_AUTH_ENV = "STATSBIDRAG_REQUIRE_AUTH"
TRUE = {"1", "true", "yes", "ja", "on"}


def secrets_files(cwd: Path | None = None) -> list[Path]:
    """Where Streamlit looks for secrets by default (later files win)."""
    return [Path.home() / ".streamlit" / "secrets.toml", (cwd or Path.cwd()) / ".streamlit" / "secrets.toml"]


def load_secrets(paths: list[Path]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for path in paths:
        if path.is_file():
            with path.open("rb") as handle:
                merged |= tomllib.load(handle)
    return merged


def auth_required(environ: Mapping[str, str], config: Mapping[str, Any]) -> bool:
    return environ.get(REQUIRE_AUTH_ENV, "").strip().lower() in TRUE or bool(config.get("require_auth", False))


def startup_problem(environ: Mapping[str, str] | None = None, secrets: Mapping[str, Any] | None = None) -> str | None:
    """Why the dashboard must not start, or None."""
    environ = os.environ if environ is None else environ
    if secrets is None:
        try:
            secrets = load_secrets(secrets_files())
        except (OSError, tomllib.TOMLDecodeError) as exc:
            return f"the secrets file cannot be read: {exc}"
    settings = secrets.get("statsbidrag") or {}
    if auth_required(environ, settings) and not secrets.get("auth"):
        return (
            f"login is required ({REQUIRE_AUTH_ENV} or [statsbidrag] require_auth) but no [auth] section is "
            "configured in .streamlit/secrets.toml: the dashboard does not start without login"
        )
    return None
