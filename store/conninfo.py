"""PostgreSQL connection strings: read, checked, shown and kept out of every message and log line.

A connection string is libpq's, in either syntax: a URL (``postgresql://user:password@host:port/db?…``) or
key=value pairs (``host=… dbname=… password='…'``). Both are read by ``psycopg.conninfo.conninfo_to_dict``.
Its secrets are ``password`` and ``sslpassword``; the whole string is treated as one too.

- ``parse`` checks a string before any driver sees it: a string libpq cannot read is refused with a
  description of the problem, never libpq's own words (they quote the offending token, e.g. ``invalid
  percent-encoded token: "Sec%ret-44"``, which is the password); a URL whose password holds a raw ``@`` or
  ``/`` (libpq would read part of it as the host, port or database, and later name it in an error) is
  refused too.
- ``redact`` replaces every secret of every connection string this process has seen (raw, percent-encoded
  and -decoded, quoted and escaped as key=value writes it) in any text; driver messages pass through it
  before they are shown, and ``install_log_filter`` does the same for psycopg's and psycopg_pool's loggers.
- ``display`` is the string as shown: ``postgresql://user:***@host:port/db`` (a Unix socket's folder as
  ``?host=``), built from the parsed fields, never from the text.
"""

from __future__ import annotations

import logging
import re
import threading
from urllib.parse import quote, unquote

from store.model import StoreError
from store.paths import URL_ENV

MASK = "***"
# Shorter forms are not masked: a password of one or two characters would mask that letter in every message
# (and is no secret). The whole connection string is masked whatever its password.
MIN_SECRET = 3
SECRET_KEYS = ("password", "sslpassword")
_URL = re.compile(r"\s*postgres(?:ql)?://", re.IGNORECASE)
_QUERY_SECRET = re.compile(r"[?&](?:ssl)?password=([^&]*)", re.IGNORECASE)
_PAIR_SECRET = re.compile(r"(?:^|\s)(?:ssl)?password\s*=\s*('(?:[^'\\]|\\.)*'?|\S*)", re.IGNORECASE)
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")

# libpq's parse errors, by a phrase of each, and what is said instead (libpq's text quotes the token).
_PROBLEMS = (
    ("unexpected spaces", "a space, which a URL must write as %20"),
    ("percent-encoded", "a % that does not begin a percent-escape (write %25 for a % sign)"),
    ("separator", "a part that is not key=value (in a URL, write @ as %40, / as %2F, ? as %3F and & as %26)"),
    ('missing "="', "a part that is not key=value (a value with a space or a quote must be in single quotes)"),
    ("unterminated quoted", "a quoted value without its closing quote"),
    ("invalid uri query parameter", "an unknown option in the URL's query"),
    ("invalid connection option", "an unknown option"),
)
_PROBLEMS_SV = {
    "percent-encoded": "ett %-tecken som inte inleder en procentkodning (skriv %25 för ett %-tecken)",
    "unexpected spaces": "ett mellanslag, som en URL måste skriva som %20",
    "separator": "en del som inte är nyckel=värde (i en URL skrivs @ som %40, / som %2F, ? som %3F och & som %26)",
    'missing "="': "en del som inte är nyckel=värde (ett värde med mellanslag eller citattecken ska stå inom '…')",
    "unterminated quoted": "ett värde inom citattecken som saknar sitt avslutande citattecken",
    "invalid uri query parameter": "ett okänt alternativ i URL:ens frågedel",
    "invalid connection option": "ett okänt alternativ",
}
_AMBIGUOUS = (
    "a password or user name with a raw @ or / (in a URL write @ as %40 and / as %2F, or keep the password "
    "in PGPASSWORD or ~/.pgpass)",
    "ett lösenord eller användarnamn med ett @ eller / som inte är procentkodat (skriv @ som %40 och / som %2F, "
    "eller lägg lösenordet i PGPASSWORD eller ~/.pgpass)",
)

_lock = threading.Lock()
_known: set[str] = set()  # every secret form seen in this process, for redact() and the log filter
_sorted: tuple[str, ...] = ()


class ConnInfoError(StoreError):
    """A connection string that cannot be used as it is written; the message never quotes it."""


def is_url_form(conninfo: str) -> bool:
    return bool(_URL.match(conninfo))


def _candidates(conninfo: str) -> set[str]:
    """What may be a secret in the text, whether or not libpq can read it (every plausible reading)."""
    found: set[str] = set()
    match = _URL.match(conninfo)
    if match:
        rest = conninfo[match.end() :]
        user_end = rest.find(":")
        if user_end >= 0 and not re.search(r"[/?@]", rest[:user_end]):
            for at in (i for i, char in enumerate(rest) if char == "@" and i > user_end):
                found.add(rest[user_end + 1 : at])  # the password, up to any @ (a raw @ inside it too)
        found.update(m.group(1) for m in _QUERY_SECRET.finditer(conninfo))
    else:
        for m in _PAIR_SECRET.finditer(conninfo):
            value = m.group(1)
            found.add(value)
            if value.startswith("'"):
                inner = value[1:-1] if len(value) > 1 and value.endswith("'") else value[1:]
                found.update({inner, re.sub(r"\\(.)", r"\1", inner)})
    parsed = _fields(conninfo) or {}  # libpq's reading, when it is the one meant
    found.update(parsed[key] for key in SECRET_KEYS if parsed.get(key))
    found.discard("")
    if found:  # a string with a secret is one as a whole (a string without one is shown as it is)
        found |= {conninfo, conninfo.strip()}
    return found


def _forms(secret: str) -> set[str]:
    """A secret as it may appear in a text: raw, percent-decoded and -encoded, escaped for key=value or repr."""
    forms = {secret, unquote(secret)}
    for value in list(forms):
        forms |= {quote(value, safe=""), quote(value), value.replace("\\", "\\\\").replace("'", "\\'")}
        forms.add(repr(value)[1:-1])
    forms |= {_PERCENT.sub(lambda m: m.group(0).lower(), form) for form in forms}
    return {form for form in forms if len(form) >= MIN_SECRET}


def remember(conninfo: str) -> None:
    """Keep the string's secrets (every form) for ``redact`` and the log filter."""
    global _sorted
    forms = set().union(*(_forms(secret) for secret in _candidates(conninfo)))
    with _lock:
        if forms <= _known:
            return
        _known.update(forms)
        _sorted = tuple(sorted(_known, key=len, reverse=True))


def redact(text: str, conninfo: str | None = None) -> str:
    """``text`` with every secret of ``conninfo`` and of every connection string seen before masked."""
    if conninfo is not None:
        remember(conninfo)
    for secret in _sorted:
        if secret in text:
            text = text.replace(secret, MASK)
    return text


def _problem(message: str) -> tuple[str, str]:
    low = message.lower()
    for phrase, en in _PROBLEMS:
        if phrase in low:
            return en, _PROBLEMS_SV[phrase]
    return "libpq cannot read it", "libpq kan inte läsa den"


def _refuse(en: str, sv: str) -> ConnInfoError:
    return ConnInfoError(
        f"The PostgreSQL connection string ({URL_ENV}, [connections.statsbidrag] in secrets.toml, or --db) cannot "
        f"be used: it has {en}. It is not shown here, since it may hold a password.",
        f"Anslutningssträngen till PostgreSQL ({URL_ENV} eller [connections.statsbidrag] i secrets.toml) kan "
        f"inte användas: den innehåller {sv}. Den visas inte här eftersom den kan innehålla ett lösenord.",
    )


def parse(conninfo: str) -> dict[str, str]:
    """The string's fields, or ``ConnInfoError`` (a ``StoreError``) saying what is wrong without quoting it."""
    remember(conninfo)
    try:
        fields = _read(conninfo)
    except Exception as exc:  # psycopg.ProgrammingError, or anything else libpq says
        raise _refuse(*_problem(str(exc))) from None
    if is_url_form(conninfo) and _ambiguous(conninfo, fields):
        raise _refuse(*_AMBIGUOUS)
    return fields


def _read(conninfo: str) -> dict[str, str]:
    from psycopg.conninfo import conninfo_to_dict

    return {key: str(value) for key, value in conninfo_to_dict(conninfo).items() if value is not None}


def _fields(conninfo: str) -> dict[str, str] | None:
    """The fields as libpq reads them, or None when it cannot, or reads a URL otherwise than meant."""
    try:
        fields = _read(conninfo)
    except Exception:
        return None
    return None if is_url_form(conninfo) and _ambiguous(conninfo, fields) else fields


def _ambiguous(conninfo: str, fields: dict[str, str]) -> bool:
    """A URL that libpq reads differently from what was meant: a raw @ or / in the password."""
    match = _URL.match(conninfo)
    rest = conninfo[match.end() :] if match else conninfo
    stop = re.search(r"[@/]", rest)  # libpq: the credentials end at the first @, unless a / comes first
    tail = rest[stop.end() :] if stop and stop.group(0) == "@" else rest
    if "@" in tail.split("?", 1)[0]:
        return True
    if any("@" in fields.get(key, "") for key in ("host", "port", "user", "dbname")):
        return True
    return not re.fullmatch(r"[\d,]*", fields.get("port", ""))


def display(conninfo: str) -> str:
    """``postgresql://user:***@host:port/db`` (``:***`` when there is a password; a socket's folder as
    ``?host=``): built from the parsed fields, so no other part of the text is ever shown."""
    fields = _fields(conninfo)
    if fields is None:  # nothing of it is shown
        return "postgresql://(a connection string that cannot be used)"
    user = quote(fields.get("user", ""), safe="")
    secret = ":" + MASK if fields.get("password") else ""
    auth = f"{user}{secret}@" if user or secret else ""
    hosts = [h for h in fields.get("host", "").split(",") if h]
    ports = fields.get("port", "")
    query = ""
    if any(h.startswith("/") for h in hosts):
        netloc = ""
        query = "?host=" + quote(",".join(hosts), safe="/,") + (f"&port={ports}" if ports else "")
    else:
        port_list = ports.split(",") if ports else []
        named = []
        for i, host in enumerate(hosts):
            host = f"[{host}]" if ":" in host else quote(host, safe=".-")
            port = port_list[i] if i < len(port_list) else (port_list[0] if len(port_list) == 1 else "")
            named.append(f"{host}:{port}" if port else host)
        netloc = ",".join(named)
    shown = f"postgresql://{auth}{netloc}/{quote(fields.get('dbname', ''), safe='')}{query}"
    return redact(shown, conninfo)


def dbname(conninfo: str) -> str:
    """The database's name (``(standard)`` when the string names none)."""
    name = (_fields(conninfo) or {}).get("dbname")
    return redact(name, conninfo) if name else "(standard)"


class RedactingFilter(logging.Filter):
    """Masks every known secret in a record: its message with its arguments, and its exception's text."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not _sorted:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a record that cannot be formatted is left to logging
            return True
        record.msg, record.args = redact(message), None
        if record.exc_info:
            text = record.exc_text or logging.Formatter().formatException(record.exc_info)
            record.exc_info, record.exc_text = None, redact(text)
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


_FILTER = RedactingFilter()
# psycopg's own logger, psycopg_pool's (it logs every failed connection attempt with libpq's message), and
# psycopg_pool's scheduler.
DRIVER_LOGGERS = ("psycopg", "psycopg.pool", "psycopg_pool.sched", "psycopg_pool.sched_async")


def install_log_filter() -> None:
    """The redacting filter on the driver's loggers (a filter on a logger sees only that logger's records)."""
    for name in DRIVER_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
