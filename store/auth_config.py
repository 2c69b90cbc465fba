"""Login settings read without Streamlit, so that ``python -m store init`` can refuse to start.

``make run`` runs ``python -m store init`` before the server: with ``STATSBIDRAG_REQUIRE_AUTH=1`` (or
``require_auth = true`` under ``[statsbidrag]``) and no ``[auth]`` section, it exits with status 2 and
the dashboard is not started. The app checks the same again on every run (``ui.auth``).

Without login the dashboard is for the person at this machine (as Jupyter is by default): ``make run``
listens on 127.0.0.1 only (``.streamlit/config.toml`` says the same for a plain ``streamlit run``). Serving
it on the network without login is an explicit opt-in, ``STATSBIDRAG_ALLOW_OPEN=1`` (``make run
ADDRESS=0.0.0.0 ALLOW_OPEN=1``); without it the app grants nobody staff rights when the server's address
is not loopback or a request came through a proxy (``exposure``), and ``python -m store init --address``
refuses to start.
"""

from __future__ import annotations

import ipaddress
import os
import tomllib
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any

REQUIRE_AUTH_ENV = "STATSBIDRAG_REQUIRE_AUTH"
ALLOW_OPEN_ENV = "STATSBIDRAG_ALLOW_OPEN"
TRUE = {"1", "true", "yes", "ja", "on"}
# Headers a reverse proxy adds (nginx.conf sets the first two): the visitor may be anywhere on the network.
PROXY_HEADERS = ("X-Forwarded-For", "X-Real-IP", "Forwarded", "X-Forwarded-Host")


class Exposure(StrEnum):
    """Who can reach a dashboard that runs without login (the local single-user mode, staff rights)."""

    LOCAL = "local"  # this machine only: the server listens on loopback and no proxy forwarded the request
    OPEN = "open"  # the network, and the operator opted in (STATSBIDRAG_ALLOW_OPEN): a banner says so
    REFUSED = "refused"  # the network without the opt-in: nobody gets staff rights


def is_loopback(address: str | None) -> bool:
    """Whether a server bound to ``address`` is reachable from this machine only.

    None or "" is Streamlit's default, every interface; a host name other than localhost may resolve to
    any interface, so it does not count as loopback.
    """
    text = (address or "").strip().strip("[]")
    if text.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(text).is_loopback
    except ValueError:
        return False


def open_allowed(environ: Mapping[str, str]) -> bool:
    return environ.get(ALLOW_OPEN_ENV, "").strip().lower() in TRUE


def exposure(address: str | None, environ: Mapping[str, str], proxied: bool = False) -> Exposure:
    """The local mode's exposure: the server's ``address`` and whether this request came through a proxy."""
    if is_loopback(address) and not proxied:
        return Exposure.LOCAL
    return Exposure.OPEN if open_allowed(environ) else Exposure.REFUSED


def proxied(headers: Mapping[str, str]) -> bool:
    """Whether a request carries a reverse proxy's forwarding headers (names compared without case)."""
    names = {name.lower() for name in headers}
    return any(h.lower() in names for h in PROXY_HEADERS)


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


def startup_problem(
    environ: Mapping[str, str] | None = None, secrets: Mapping[str, Any] | None = None, address: str | None = None
) -> str | None:
    """Why the dashboard must not start, or None. ``address``: where the server will listen, if known."""
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
    if address is not None and not secrets.get("auth") and exposure(address, environ) is Exposure.REFUSED:
        return (
            f"without login ([auth] in .streamlit/secrets.toml) whoever reaches the dashboard works as staff, and "
            f"{address or 'every interface'} is reachable from the network: listen on 127.0.0.1 (make run), "
            f"configure login, or opt in with {ALLOW_OPEN_ENV}=1 (make run ADDRESS={address or '0.0.0.0'} ALLOW_OPEN=1)"
        )
    return None
