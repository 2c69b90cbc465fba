"""Opening the store: the DuckDB file (path, memory limit, the lock held by another process) or a
PostgreSQL database (a URL), and migrations.

Every problem with the file itself (held by another process, damaged, not a DuckDB file, its folder
missing or read-only, the disk full) becomes a ``StoreError`` naming the file and the cause, in English
for the command line and in Swedish (``message_sv``) for the dashboard.
"""

from __future__ import annotations

import contextlib
import os
import re
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from store import conninfo
from store.model import OutcomeUnknown, StoreBusy, StoreError, StoreLocked
from store.paths import (  # noqa: F401 - part of this module's API
    DEFAULT_PATH,
    PATH_ENV,
    ROOT,
    URL_ENV,
    database_target,
    database_url,
    db_path,
    is_url,
)
from store.pg import PgBusy, PgConnection, PgConnectionLost, PgConstraintError, PgError, PgLockedError

# The errors of either engine, caught as one family by the store.
DB_ERRORS: tuple[type[BaseException], ...] = (duckdb.Error, PgError)
CONSTRAINT_ERRORS: tuple[type[BaseException], ...] = (duckdb.ConstraintException, PgConstraintError)
# The storage itself failed (the file, the disk, the server connection), not the statement.
STORAGE_ERRORS: tuple[type[BaseException], ...] = (duckdb.IOException, duckdb.FatalException, PgLockedError)
# The connection broke: a statement's outcome (a COMMIT's too) is unknown.
LOST_ERRORS: tuple[type[BaseException], ...] = (PgConnectionLost,)
# Raised by a COMMIT whose outcome cannot be known: the connection broke, or DuckDB's fatal error (its
# checkpoint after the log was written).
UNKNOWN_AT_COMMIT: tuple[type[BaseException], ...] = (PgConnectionLost, duckdb.FatalException)
BUSY_ERRORS: tuple[type[BaseException], ...] = (PgBusy,)
# Every write transaction on PostgreSQL takes this advisory lock first: writers from all processes are
# serialised by the database, as DuckDB's single writer serialises them in one process.
WRITE_LOCK = 4_207_001
MIGRATION_LOCK = 4_207_002

MEMORY_ENV = "STATSBIDRAG_DB_MEMORY"
DEFAULT_MEMORY = "1GB"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


# The operating system's words (as DuckDB and Python report them) and what they mean, in Swedish.
_CAUSES_SV = (
    ("is a file, not a folder", "det är en fil, inte en mapp"),
    ("no space left on device", "disken är full"),
    ("disk quota exceeded", "diskkvoten är slut"),
    ("read-only file system", "filsystemet är skrivskyddat"),
    ("permission denied", "behörighet saknas"),
    ("not a directory", "en del av sökvägen är en fil, inte en mapp"),
    ("no such file or directory", "mappen finns inte eller tillåter inga nya filer"),
    ("is a directory", "sökvägen är en mapp, inte en fil"),
    ("file exists", "det finns redan en fil med det namnet"),
)


def cause(exc: BaseException) -> str:
    """The cause as DuckDB or the operating system says it, without DuckDB's "IO Error: " prefixes."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return re.sub(r"^(?:[A-Za-z]+ Error: )+", "", str(exc).strip()).strip() or type(exc).__name__


def folder_cause(folder: Path, exc: OSError) -> str:
    """Why a folder could not be made: a file in its place is said as such ("File exists" is no help)."""
    return f"{folder} is a file, not a folder" if folder.is_file() else cause(exc)


def cause_sv(text: str) -> str:
    """The cause in Swedish where it is a known operating-system error, else as it was said."""
    low = text.lower()
    return next((sv for en, sv in _CAUSES_SV if en in low), text)


def open_failure(path: Path, exc: BaseException) -> StoreError:
    """What went wrong opening (or first reading) the file, as a ``StoreError`` naming it."""
    text = cause(exc)
    low = text.lower()
    if "conflicting lock" in low or "could not set lock" in low:
        pid = re.search(r"PID (\d+)", text)
        holder = f" (process {pid.group(1)})" if pid else ""
        return StoreLocked(
            f"The database {path} is open in another program{holder}, probably the running dashboard. "
            "DuckDB allows one writing process per file: stop the dashboard, or do this from the "
            "dashboard's Data page.",
            f"Databasen {path} är öppen i ett annat program{holder} (t.ex. kommandoraden eller en annan instans "
            "av tjänsten). Stäng det och ladda om sidan.",
        )
    if "not a valid duckdb database" in low:
        return StoreError(
            f"The file {path} is not a DuckDB database (or its first bytes are damaged): move it away or set "
            f"{PATH_ENV} to another file. ({text})",
            f"Filen {path} är ingen DuckDB-databas (eller är skadad i början): flytta undan den eller ange "
            f"en annan fil i {PATH_ENV}.",
        )
    if "version number" in low or "storage version" in low:
        return StoreError(
            f"The database {path} was written by another DuckDB version and cannot be read by this one. ({text})",
            f"Databasen {path} är skriven av en annan DuckDB-version och kan inte läsas av den här.",
        )
    if isinstance(exc, OSError) or "cannot open file" in low or cause_sv(text) != text:
        if "no space" in low or "quota" in low:
            hint, hint_sv = "Free some disk space and try again.", "Frigör diskutrymme och försök igen."
        else:
            hint = f"Check that the folder {path.parent} exists and may be written, or set {PATH_ENV} to another file."
            hint_sv = (
                f"Kontrollera att mappen {path.parent} finns och är skrivbar, eller ange en annan fil i {PATH_ENV}."
            )
        return StoreError(
            f"The database {path} cannot be created, opened or written: {text}. {hint}",
            f"Databasen {path} kan inte skapas, öppnas eller skrivas: {cause_sv(text)}. {hint_sv}",
        )
    if isinstance(exc, duckdb.IOException | duckdb.SerializationException | duckdb.InternalException) or _damage(low):
        return _damaged(path, text)
    return StoreError(f"Cannot open the database {path}: {text}", f"Databasen {path} kan inte öppnas: {text}")


def _damage(low: str) -> bool:
    return any(word in low for word in ("could not read", "corrupt", "checksum", "deserializ"))


def _damaged(path: Path | str, text: str) -> StoreError:
    return StoreError(
        f"The database {path} is damaged or truncated and cannot be read ({text}). Nothing was written. "
        "Restore it from a backup, or move it away: the next start creates a new one from data/.",
        f"Databasen {path} är skadad eller avkortad och kan inte läsas. Inget skrevs. Återställ den från en "
        "säkerhetskopia, eller flytta undan den så skapas en ny från data/ vid nästa start.",
    )


def write_failure(path: Path | str, exc: BaseException) -> StoreError:
    """A write (or its commit) that failed: nothing of it was saved."""
    text = cause(exc)
    if _damage(text.lower()):  # the write had to read a part of the file that is not there
        return _damaged(path, text)
    return StoreError(
        f"Could not write to the database {path}: {text}. Nothing of this change was saved.",
        f"Det gick inte att skriva till databasen {path}: {cause_sv(text)}. Inget av ändringen sparades.",
    )


def busy(where: str, seconds: float) -> StoreBusy:
    """A write that waited ``seconds`` for the write lock (or a row another write holds): refused."""
    return StoreBusy(
        f"Databasen är upptagen: en annan ändring (i en annan instans av tjänsten eller från kommandoraden) "
        f"har hållit skrivlåset i mer än {seconds:g} s. Inget sparades; försök igen om en stund. Består det kan en "
        "process som håller låset ha stannat: kontakta den som driftar databasen.",
        f"the store is busy: another write (another dashboard instance or the command line) has held the write "
        f"lock of {where} for more than {seconds:g} s. Nothing was written; try again in a moment. If it stays "
        "busy, a process holding the lock may have stopped (see pg_stat_activity and pg_locks on the server).",
    )


CHECK_COMMAND = "python -m store export --table audit_log --format csv --out granskningslogg.csv"


def outcome_unknown(where: str, exc: BaseException) -> OutcomeUnknown:
    """The connection broke during the COMMIT: whether the server committed cannot be known here."""
    return OutcomeUnknown(
        f"The connection to {where} was lost while the change was being committed ({cause(exc)}): the outcome is "
        f"unknown — check with `{CHECK_COMMAND}` (or the dashboard's audit log) whether it was saved, or run the "
        "same change again: an import, a user, a round, a decision, a payment run or a repayment that was saved is "
        "recognised and not made twice.",
        "Anslutningen till databasen bröts medan ändringen sparades: utfallet är okänt — kontrollera i "
        "granskningsloggen (Data → Granskningslogg) om den sparades, eller gör samma ändring igen: en import, ett "
        "beslut eller en utbetalning som redan sparats känns igen och görs inte två gånger.",
    )


def connection_lost(where: str, exc: BaseException) -> StoreError:
    """A read whose connection broke twice (the server restarted or is gone): nothing was written."""
    return StoreError(
        f"The connection to {where} was lost ({cause(exc)}) and could not be made again: the server may be "
        "restarting. Nothing was written; try again in a moment.",
        "Anslutningen till databasservern bröts och kunde inte återupprättas (servern kanske startar om). "
        "Inget ändrades; försök igen om en stund.",
    )


def connect_url(url: str) -> PgConnection:
    """A pool of connections to a PostgreSQL database; a failure becomes a ``StoreError`` naming the server
    (never with its password: ``store.conninfo``)."""
    try:
        return PgConnection(url)
    except PgError as exc:
        where = redacted(url)
        raise StoreError(
            f"Cannot connect to the PostgreSQL database {where}: {exc}. Check {URL_ENV} (or "
            "[connections.statsbidrag] in secrets.toml) and that the server is running.",
            f"Det går inte att ansluta till PostgreSQL-databasen {where}: {exc}. Kontrollera {URL_ENV} (eller "
            "[connections.statsbidrag] i secrets.toml) och att servern är igång.",
        ) from None


def database_name(url: str) -> str:
    """The database's name in a connection string (``postgresql://user@host/name?…`` → ``name``)."""
    return conninfo.dbname(url)


def redacted(url: str) -> str:
    """A connection string as shown: ``postgresql://user:***@host:port/db``, whatever its syntax."""
    return conninfo.display(url)


def connect(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection with a memory limit; any failure becomes a ``StoreError`` (``StoreLocked`` for a lock)."""
    if not read_only:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            why = folder_cause(path.parent, exc)
            raise StoreError(
                f"Cannot create the database {path}: the folder {path.parent} cannot be created ({why}). "
                f"Set {PATH_ENV} to a file in a folder that may be written.",
                f"Databasen {path} kan inte skapas: mappen {path.parent} kan inte skapas ({cause_sv(why)}). "
                f"Ange en fil i en skrivbar mapp i {PATH_ENV}.",
            ) from None
    config = {"memory_limit": os.environ.get(MEMORY_ENV, DEFAULT_MEMORY)}
    created = not path.exists()
    try:
        return duckdb.connect(str(path), read_only=read_only, config=config)
    except (duckdb.Error, OSError) as exc:
        failure = open_failure(path, exc)
        if created and not isinstance(failure, StoreLocked):
            remove_new_file(path)
        raise failure from None


def remove_new_file(path: Path) -> None:
    """Remove a database file this program has just created and could not complete (e.g. on a full disk):
    an empty file left behind would be refused as "not a DuckDB database" at the next start."""
    for leftover in (path, path.with_name(path.name + ".wal")):
        with contextlib.suppress(OSError):
            leftover.unlink(missing_ok=True)


def rollback_quietly(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back the open transaction, if any: after a failed COMMIT DuckDB has already ended it, and the
    ROLLBACK's own error ("no transaction is active") must not hide the error that matters."""
    with contextlib.suppress(*DB_ERRORS):
        con.execute("ROLLBACK")


def database_file(con: duckdb.DuckDBPyConnection) -> str:
    """The file behind a connection (a PostgreSQL database: its URL without password), for messages."""
    if isinstance(con, PgConnection):
        return con.display
    try:
        row = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    except duckdb.Error:
        row = None
    return str(row[0]) if row and row[0] else "the database"


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, SQL) for every file ``NNN_name.sql``, in order."""
    found = []
    for path in sorted(MIGRATIONS.glob("*.sql")):
        number, _, name = path.stem.partition("_")
        found.append((int(number), name, path.read_text(encoding="utf-8")))
    return found


_TABLES = (
    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
    "AND table_catalog = current_database() ORDER BY table_name"
)


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The store's schema version: 0 when the database holds no store (no ``schema_version`` table)."""
    if "schema_version" not in {row[0] for row in con.execute(_TABLES).fetchall()}:
        return 0
    row = con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
    return int(row[0]) if row else 0


def not_initialised(where: str, version: int) -> StoreError:
    newest = migrations()[-1][0]
    if version == 0:
        return StoreError(
            f"There is no store in {where} yet: run `python -m store init` first (this command only reads).",
            f"Databasen {where} är inte skapad än: kör `python -m store init` först.",
        )
    return StoreError(
        f"The store in {where} has schema version {version}, older than this program's {newest}: run "
        "`python -m store init` to upgrade it (this command only reads).",
        f"Databasen {where} har schemaversion {version}, äldre än programmets {newest}: kör `python -m store init`.",
    )


def check_current(con: duckdb.DuckDBPyConnection) -> None:
    """For a command that only reads: the store exists at this program's schema version (nothing is written)."""
    version = schema_version(con)
    if version < migrations()[-1][0]:
        raise not_initialised(database_file(con), version)
    if version > migrations()[-1][0]:
        migrate(con)  # raises: newer than this program


def migrate(con: duckdb.DuckDBPyConnection, target: int | None = None) -> list[int]:
    """Apply the missing migrations up to ``target`` (default: all), all of them in one transaction.

    A file written by an older version is upgraded in place; nothing is ever dropped. Nothing is created
    unless everything is: a migration that fails (also in the COMMIT, e.g. on a full disk) rolls back every
    one, and a database that already holds another application's tables (and no store) is refused before
    anything is created. DDL is transactional on both engines. On PostgreSQL a lock held for the transaction
    keeps two processes starting at once from migrating the same database twice.
    """
    cursor = con.cursor()  # one connection for every statement (on PostgreSQL, a pooled one)
    try:
        cursor.execute("BEGIN TRANSACTION")
        try:
            if isinstance(con, PgConnection):
                cursor.execute("SELECT pg_advisory_xact_lock(?)", [MIGRATION_LOCK])
            applied = _migrate(cursor, target, database_file(con))
            cursor.execute("COMMIT" if applied else "ROLLBACK")  # a current store: nothing to commit
        except BaseException:
            rollback_quietly(cursor)
            raise
        return applied
    finally:
        cursor.close()


def _migrate(con: duckdb.DuckDBPyConnection, target: int | None, where: str) -> list[int]:
    tables = [row[0] for row in con.execute(_TABLES).fetchall()]
    current = schema_version(con)
    known = migrations()
    newest = known[-1][0] if known else 0
    if current > newest:
        raise StoreError(
            f"The database {where} has schema version {current}, newer than this program knows ({newest}): "
            "update the program rather than open the file with an old one.",
            f"Databasen {where} har schemaversion {current}, nyare än programmet känner till ({newest}): "
            "uppdatera programmet i stället för att öppna filen med en äldre version.",
        )
    pending = [(v, n, sql) for v, n, sql in known if v > current and (target is None or v <= target)]
    if not pending:
        return []
    if tables and "schema_version" not in tables:
        shown = ", ".join(tables[:8]) + (f" and {len(tables) - 8} more" if len(tables) > 8 else "")
        raise StoreError(
            f"The database {where} holds tables of another application ({shown}) and no store: nothing was "
            "created in it. Give the store an empty database (or a file) of its own.",
            f"Databasen {where} innehåller tabeller från ett annat program ({shown}) och ingen databas för "
            "statsbidragen: inget skapades i den. Ge tjänsten en egen, tom databas (eller fil).",
        )
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)"
    )
    applied = []
    for version, name, sql in pending:
        con.execute(sql)
        con.execute(
            "INSERT INTO schema_version VALUES (?, ?, ?)", [version, name, datetime.now(UTC).replace(tzinfo=None)]
        )
        applied.append(version)
    return applied
