"""Every test runs against its own database file, never the developer's var/statsbidrag.duckdb."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from store.db import PATH_ENV


@pytest.fixture(autouse=True)
def isolated_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "test.duckdb"
    monkeypatch.setenv(PATH_ENV, str(path))
    yield path
