"""Every test runs against its own database file, never the developer's var/statsbidrag.duckdb.

PostgreSQL: one throwaway cluster per test session (``pg_cluster``, see tests/postgres.py) and a fresh empty
database in it for each test that asks (``pg_url``). In CI (``CI=true``) a missing server is a failure, never a skip.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from store.db import PATH_ENV
from tests.postgres import PostgresNotInstalled, find_bindir, fresh_database, throwaway_cluster


@pytest.fixture(autouse=True)
def isolated_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "test.duckdb"
    monkeypatch.setenv(PATH_ENV, str(path))
    yield path


@pytest.fixture(params=["duckdb", "postgresql"])
def store_target(request: pytest.FixtureRequest, isolated_database: Path) -> Path | str:
    """Where a store test's store is: its own DuckDB file, or a fresh PostgreSQL database (the same test runs
    on both engines)."""
    if request.param == "duckdb":
        return isolated_database
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[str]:
    """The session's PostgreSQL cluster: the URL of its database ``statsbidrag`` (role ``statsbidrag``)."""
    try:
        find_bindir()
    except PostgresNotInstalled as error:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"PostgreSQL tests cannot run in CI: {error}")
        pytest.skip(str(error))
    with throwaway_cluster() as url:
        yield url


_databases = itertools.count(1)


@pytest.fixture
def pg_url(pg_cluster: str) -> Iterator[str]:
    """A fresh empty database (``test_N``, owned by the role ``statsbidrag``) for this test; dropped after it."""
    with fresh_database(pg_cluster, f"test_{next(_databases)}") as url:
        yield url


@pytest.fixture
def store(isolated_database: Path):  # type: ignore[no-untyped-def]
    """The Store object the app's pages use, on this test's database (a test file may extend it: a fixture
    ``store(store)`` there gets this one). Imported here, not above: most tests never load Streamlit."""
    from ui.state import get_store

    return get_store(str(isolated_database))
