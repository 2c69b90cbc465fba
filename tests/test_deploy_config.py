"""deploy/nginx.conf: two instances, sticky sessions, WebSocket upgrade, health check and upload limit.

The file is parsed just enough (blocks and directives, comments dropped) to check what the README promises;
`nginx -t -c deploy/nginx.conf` checks the rest where nginx is installed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ingest.spreadsheet import MAX_BYTES

CONF = Path(__file__).resolve().parents[1] / "deploy" / "nginx.conf"
Directive = tuple[str, ...]


def parse(text: str) -> list[tuple[Directive, list]]:
    """Nested (directive words, children) — children empty for a simple directive."""
    tokens = re.findall(r'"[^"]*"|\'[^\']*\'|[{};]|[^\s{};"\']+', re.sub(r"#[^\n]*", "", text))
    stack: list[list] = [[]]
    words: list[str] = []
    for token in tokens:
        if token == "{":
            block: list = []
            stack[-1].append((tuple(words), block))
            stack.append(block)
            words = []
        elif token == "}":
            stack.pop()
        elif token == ";":
            stack[-1].append((tuple(words), []))
            words = []
        else:
            words.append(token.strip("\"'"))
    assert len(stack) == 1 and not words, "unbalanced braces or a directive without ';'"
    return stack[0]


def find(items: list, *path: str) -> list[tuple[Directive, list]]:
    """Every block or directive whose words start with ``path[-1]``, under the blocks named by ``path[:-1]``."""
    head, rest = path[0], path[1:]
    found = [(words, children) for words, children in items if words and words[0] == head]
    if not rest:
        return found
    return [hit for _, children in found for hit in find(children, *rest)]


def size(text: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([kKmM]?)", text).groups()  # type: ignore[union-attr]
    return int(number) * {"": 1, "k": 1024, "m": 1024 * 1024}[unit.lower()]


CONFIG = parse(CONF.read_text(encoding="utf-8"))


def test_two_instances_behind_a_consistent_hash() -> None:
    (upstream,) = find(CONFIG, "http", "upstream")
    name = upstream[0][1]
    servers = [words[1] for words, _ in find(upstream[1], "server")]
    assert servers == ["127.0.0.1:8501", "127.0.0.1:8502"]
    (hashing,) = find(upstream[1], "hash")
    assert hashing[0][-1] == "consistent" and hashing[0][1] in {"$remote_addr", "$statsbidrag_affinity"}
    passes = {words[1] for words, _ in find(CONFIG, "http", "server", "location", "proxy_pass")}
    assert passes == {f"http://{name}"}


def test_the_affinity_cookie_is_the_hashed_key_and_is_set_on_the_response() -> None:
    maps = {words[2]: dict(w for w, _ in children) for words, children in find(CONFIG, "http", "map")}
    affinity = maps["$statsbidrag_affinity"]
    assert affinity[""] == "$request_id" and affinity["default"] == "$cookie_statsbidrag_instance"
    cookies = [w for w, _ in find(CONFIG, "http", "server", "add_header") if w[1] == "Set-Cookie"]
    assert cookies and cookies[0][2].startswith("statsbidrag_instance=$statsbidrag_affinity;")


def test_the_websocket_is_upgraded_and_kept_open() -> None:
    (server,) = find(CONFIG, "http", "server")
    headers = {w[1]: w[2] for w, _ in find(server[1], "proxy_set_header")}
    assert headers["Upgrade"] == "$http_upgrade" and headers["Connection"] == "$connection_upgrade"
    assert [w[1] for w, _ in find(server[1], "proxy_http_version")] == ["1.1"]
    (stream,) = [c for w, c in find(server[1], "location") if w[1:] == ("/_stcore/stream",)]
    timeout = next(w[1] for w, _ in find(stream, "proxy_read_timeout"))
    assert timeout.endswith("h") and int(timeout[:-1]) >= 1
    maps = {words[1:]: dict(w for w, _ in children) for words, children in find(CONFIG, "http", "map")}
    assert maps[("$http_upgrade", "$connection_upgrade")]["default"] == "upgrade"


def test_health_check_and_upload_limit() -> None:
    (server,) = find(CONFIG, "http", "server")
    assert [w for w, _ in find(server[1], "location") if w[1:] == ("=", "/_stcore/health")]
    (limit,) = [w[1] for w, _ in find(server[1], "client_max_body_size")]
    assert MAX_BYTES <= size(limit) <= MAX_BYTES + 1024 * 1024  # the file plus its multipart envelope


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed (apt-get install nginx)")
@pytest.mark.skipif(os.geteuid() != 0, reason="nginx -t opens the log files under /var/log/nginx: run as root")
def test_nginx_accepts_the_file() -> None:
    result = subprocess.run(["nginx", "-t", "-c", str(CONF)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr
