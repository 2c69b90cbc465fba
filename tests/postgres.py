"""A throwaway PostgreSQL cluster for the tests: a real server, no mocks.

``throwaway_cluster()`` runs Debian's ``initdb`` into a fresh temporary directory (in ``/dev/shm`` when it is a
roomy tmpfs: creating a database there takes ~20 ms instead of ~200 ms on the disk), starts the server with
``pg_ctl -w`` listening only on a Unix socket in that directory (``listen_addresses = ''``: no TCP port, so
nothing can clash with another cluster on the machine, e.g. Debian's own ``main`` on 5432), creates a role and
a database, and yields a libpq URL for them, e.g. ``postgresql://statsbidrag@/statsbidrag?host=/tmp/pg-x1y2``.
Afterwards the server is stopped (``pg_ctl stop -m immediate``) and the directory removed, also when the
block fails.

``initdb`` and ``postgres`` refuse to run as root: as root, both run as an unprivileged system user
(``postgres`` when it exists, otherwise one created for this) through ``runuser``. The directory is then
owned by that user and readable by everyone (mode 0755, the data folder inside stays 0700), and the socket
accepts every local user: the tests' own subprocesses connect whoever runs them.

Authentication is ``trust`` (only local users can reach the socket). The role ``statsbidrag`` is an ordinary
login role with ``CREATEDB`` (no superuser, as in production); the bootstrap superuser is ``postgres``
(``with_database(url, "postgres", user=SUPERUSER)``).

The server trades durability for speed (``fsync``, ``synchronous_commit`` and ``full_page_writes`` off): the
data is lost on a crash of the machine, never on a crash of the server alone, which is what the kill -9
tests need.

A cluster whose owner died without cleaning up (a test run killed with SIGKILL) is stopped and removed by the
next ``throwaway_cluster()`` in the same folder.

Usable outside pytest too (the benchmarks): nothing here imports pytest.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

ROLE = "statsbidrag"
DATABASE = "statsbidrag"
SUPERUSER = "postgres"
# The file naming the process that started a cluster (see _reap_orphans).
OWNER_FILE = "throwaway_cluster.owner"
# /dev/shm is preferred when at least this much of it is free (a container's default 64 MB is too small).
_SHM_MIN_FREE = 1 << 30
# The unprivileged system user the server runs as when the tests run as root.
SERVER_USERS = ("postgres", "statsbidrag-pg")
# A Unix socket's path (``<dir>/.s.PGSQL.5432``) must fit in sockaddr_un.sun_path (108 bytes with the NUL).
_MAX_SOCKET_DIR = 107 - len("/.s.PGSQL.5432")
SERVER_SETTINGS = {
    "listen_addresses": "''",
    "port": "5432",  # only names the socket file (the directory is the cluster's own)
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",  # two dashboard instances with pools, the CLI and the load test's sessions
    "shared_buffers": "64MB",
    "dynamic_shared_memory_type": "mmap",  # files in the data folder: a small /dev/shm (containers) is no limit
    "log_min_messages": "warning",
    "log_line_prefix": "'%m [%p] %q%u@%d '",
}


class PostgresNotInstalled(RuntimeError):
    """No PostgreSQL server binaries (``initdb``, ``pg_ctl``, ``postgres``) on this machine."""


class PostgresStartError(RuntimeError):
    """initdb or the server's start failed; the message carries the command's output and the server's log."""


def find_bindir() -> Path:
    """The newest ``/usr/lib/postgresql/<major>/bin`` with a server in it (Debian's layout).

    ``PG_BINDIR`` overrides; without Debian's layout, the directory of ``initdb`` on the PATH.
    """
    candidates: list[Path] = []
    if override := os.environ.get("PG_BINDIR"):
        candidates.append(Path(override))
    else:
        versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_major, reverse=True)
        candidates.extend(versions)
        if on_path := shutil.which("initdb"):
            candidates.append(Path(on_path).resolve().parent)
    for bindir in candidates:
        if all(os.access(bindir / name, os.X_OK) for name in ("initdb", "pg_ctl", "postgres")):
            return bindir
    where = f"PG_BINDIR={override}" if override else "/usr/lib/postgresql/*/bin nor on the PATH"
    raise PostgresNotInstalled(
        f"no PostgreSQL server (initdb, pg_ctl, postgres) in {where}: install Debian's package "
        "`postgresql` (`make postgres` does, as part of `make test`)"
    )


def _major(bindir: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", bindir.parent.name)) or (0,)


def with_database(url: str, database: str, *, user: str | None = None) -> str:
    """The same server's URL for another database (and optionally another role)."""
    match = re.fullmatch(r"postgresql://([^@/]*)@/([^?]*)\?(.*)", url)
    if match is None:
        raise ValueError(f"not a URL of throwaway_cluster(): {url}")
    return f"postgresql://{quote(user or match[1], safe='')}@/{quote(database, safe='')}?{match[3]}"


def _url(socket_dir: Path, user: str, database: str) -> str:
    # libpq (and so psycopg, and SQLAlchemy's postgresql+psycopg://) reads a host starting with "/" as the
    # directory of a Unix socket.
    return f"postgresql://{quote(user, safe='')}@/{quote(database, safe='')}?host={quote(str(socket_dir), safe='/')}"


def default_base() -> Path:
    """``/dev/shm`` when it is a world-writable folder with room to spare, else the system's temporary folder."""
    shm = Path("/dev/shm")
    try:
        stat, fs = shm.stat(), os.statvfs(shm)
    except OSError:
        return Path(tempfile.gettempdir())
    if shm.is_dir() and stat.st_mode & 0o1777 == 0o1777 and fs.f_bavail * fs.f_frsize >= _SHM_MIN_FREE:
        return shm
    return Path(tempfile.gettempdir())


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _reap_orphans(base: Path, bindir: Path, user: str | None) -> None:
    """Stop and remove the clusters under ``base`` whose starting process is gone (killed before its cleanup)."""
    for owner_file in base.glob(f"pg-*/{OWNER_FILE}"):
        directory = owner_file.parent
        try:
            owner = int(owner_file.read_text(encoding="ascii"))
            theirs = directory.stat().st_uid != _uid(user)  # another user's server: not ours to stop
        except (OSError, ValueError):
            continue
        if theirs or _alive(owner):
            continue
        if (directory / "data" / "postmaster.pid").exists():
            _stop(bindir, directory / "data", user, base)
        shutil.rmtree(directory, ignore_errors=True)


def _uid(user: str | None) -> int:
    return os.geteuid() if user is None else pwd.getpwnam(user).pw_uid


def _stop(bindir: Path, data: Path, user: str | None, cwd: Path) -> None:
    """``pg_ctl stop -m immediate``: the server's processes end at once (nothing to keep)."""
    with contextlib.suppress(PostgresStartError):  # not running (it failed to start, or has stopped): done
        _run([str(bindir / "pg_ctl"), "stop", "-m", "immediate", "-w", "-D", str(data)], user, cwd)


def _server_user() -> str | None:
    """None when not root (the server runs as whoever runs the tests); else an unprivileged system user."""
    if os.geteuid() != 0:
        return None
    for name in SERVER_USERS:
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    name = SERVER_USERS[-1]
    result = subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "--user-group", name],
        capture_output=True,
        text=True,
        check=False,
    )
    try:  # another session may have created it at the same moment (useradd's exit 9)
        pwd.getpwnam(name)
    except KeyError:
        raise PostgresStartError(
            f"running as root, and no unprivileged user to run PostgreSQL as: useradd {name} said "
            f"{result.stderr.strip() or result.returncode}"
        ) from None
    return name


def _run(command: list[str], user: str | None, cwd: Path) -> None:
    if user is not None:
        command = ["runuser", "-u", user, "--", *command]
    # A clean environment: the caller's PGDATA, PGHOST, PGPORT, ... never reach initdb or pg_ctl.
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    env |= {"LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "TZ": "UTC"}
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise PostgresStartError(
            f"{' '.join(command)} exited with {result.returncode}:\n{result.stdout}{result.stderr}".rstrip()
        )


@contextmanager
def throwaway_cluster(base: Path | None = None) -> Iterator[str]:
    """A new PostgreSQL cluster in a fresh directory under ``base`` (default: ``default_base()``).

    Yields the libpq URL of the database ``statsbidrag`` (owned by the role ``statsbidrag``). As root, ``base``
    must be reachable by the unprivileged server user (pytest's ``tmp_path`` is not: it is private to root),
    and short (the socket's path is limited to 107 bytes).

    Raises PostgresNotInstalled without the server's binaries, PostgresStartError when it does not start.
    """
    bindir = find_bindir()
    user = _server_user()
    base = base or default_base()
    _reap_orphans(base, bindir, user)
    directory = Path(tempfile.mkdtemp(prefix="pg-", dir=base))
    data = directory / "data"
    log = directory / "server.log"
    started = False
    try:
        if len(str(directory)) > _MAX_SOCKET_DIR:
            raise PostgresStartError(f"{directory}: too long for a Unix socket's path; give a shorter base")
        directory.chmod(0o755)
        (directory / OWNER_FILE).write_text(str(os.getpid()), encoding="ascii")
        if user is not None:
            os.chown(directory, _uid(user), pwd.getpwnam(user).pw_gid)
            probe = subprocess.run(["runuser", "-u", user, "--", "test", "-w", str(directory)], check=False)
            if probe.returncode != 0:
                raise PostgresStartError(
                    f"{directory}: the server's user {user} cannot write there (a folder above it is private "
                    "to root?): give a base in the system's temporary folder"
                )
        _run(
            [
                str(bindir / "initdb"),
                "--pgdata",
                str(data),
                "--username",
                SUPERUSER,
                "--auth",
                "trust",
                "--encoding",
                "UTF8",
                "--locale",
                "C.UTF-8",  # Unicode-aware lower()/upper() (å, ä, ö); byte order for ORDER BY
                "--no-sync",
                "--no-instructions",
            ],
            user,
            directory,
        )
        settings = {**SERVER_SETTINGS, "unix_socket_directories": f"'{directory}'"}
        with open(data / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write("\n# throwaway_cluster (tests/postgres.py)\n")
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())
        try:
            started = True  # from here on, stop it whatever happens (pg_ctl may fail after the server started)
            _run([str(bindir / "pg_ctl"), "start", "-w", "-t", "60", "-D", str(data), "-l", str(log)], user, directory)
        except PostgresStartError as error:
            server_log = log.read_text(encoding="utf-8", errors="replace") if log.exists() else "(no log)"
            raise PostgresStartError(f"{error}\nserver log:\n{server_log}") from None
        _bootstrap(_url(directory, SUPERUSER, "postgres"))
        yield _url(directory, ROLE, DATABASE)
    finally:
        if started:
            _stop(bindir, data, user, directory)
        shutil.rmtree(directory, ignore_errors=True)


def _bootstrap(superuser_url: str) -> None:
    import psycopg  # here, so that importing this module (e.g. for find_bindir) needs no driver

    deadline = time.monotonic() + 10
    while True:  # pg_ctl -w returned: the server accepts connections; retry only a transient refusal
        try:
            admin = psycopg.connect(superuser_url, autocommit=True)
            break
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    with admin:
        admin.execute(f'CREATE ROLE "{ROLE}" LOGIN CREATEDB')
        admin.execute(f'CREATE DATABASE "{DATABASE}" OWNER "{ROLE}" TEMPLATE template0')


@contextmanager
def fresh_database(cluster_url: str, name: str) -> Iterator[str]:
    """An empty database ``name`` on the cluster, owned by the role ``statsbidrag``; dropped afterwards (with
    FORCE: connections left open are closed too)."""
    import psycopg

    admin_url = with_database(cluster_url, "postgres", user=SUPERUSER)
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}" OWNER "statsbidrag" TEMPLATE template0')
    try:
        yield with_database(cluster_url, name)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
