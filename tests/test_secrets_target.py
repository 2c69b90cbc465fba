"""Where the store is: the command line and the dashboard read the same secrets files as Streamlit does."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from store import paths
from store.model import StoreError
from tests.markdown_text import shown

ROOT = Path(__file__).resolve().parents[1]

URL_A = "postgresql://a@/statsbidrag"
URL_B = "postgresql://b@/statsbidrag"


def _secrets(folder: Path, text: str) -> Path:
    file = folder / ".streamlit" / "secrets.toml"
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text, encoding="utf-8")
    return file


@pytest.fixture
def places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """A home, a working directory and an app folder of their own; no URL in the environment."""
    home, cwd, app = tmp_path / "home", tmp_path / "cwd", tmp_path / "app"
    for folder in (home, cwd, app):
        folder.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(cwd)
    monkeypatch.setattr(paths, "SECRETS", app / ".streamlit" / "secrets.toml")
    monkeypatch.delenv(paths.URL_ENV, raising=False)
    monkeypatch.setenv(paths.PATH_ENV, str(tmp_path / "file.duckdb"))
    return {"home": home, "cwd": cwd, "app": app}


def test_no_secrets_means_the_duckdb_file(places: dict[str, Path]) -> None:
    assert paths.database_url() is None
    assert paths.database_target() == places["home"].parent / "file.duckdb"


def test_the_users_own_secrets_file_counts_as_streamlit_reads_it(places: dict[str, Path]) -> None:
    _secrets(places["home"], f'[connections.statsbidrag]\nurl = "{URL_A}"\n')
    assert paths.database_target() == URL_A


def test_the_apps_secrets_file_wins_over_the_users(places: dict[str, Path]) -> None:
    _secrets(places["home"], f'[connections.statsbidrag]\nurl = "{URL_A}"\n')
    _secrets(places["app"], f'[connections.statsbidrag]\nurl = "{URL_B}"\n')
    assert paths.database_url() == URL_B


def test_a_later_file_without_connections_keeps_the_earlier_ones(places: dict[str, Path]) -> None:
    _secrets(places["home"], f'[connections.statsbidrag]\nurl = "{URL_A}"\n')
    _secrets(places["cwd"], '[auth]\nredirect_uri = "http://localhost/oauth2callback"\n')
    assert paths.database_url() == URL_A


def test_the_environment_wins_over_every_file(places: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    _secrets(places["app"], f'[connections.statsbidrag]\nurl = "{URL_B}"\n')
    monkeypatch.setenv(paths.URL_ENV, URL_A)
    assert paths.database_url() == URL_A


@pytest.mark.parametrize("content", [b"[connections.statsbidrag\nurl = 1", b"url = \x00", b"\xff\xfe not UTF-8"])
def test_a_secrets_file_that_cannot_be_read_is_an_error_not_a_switch_to_duckdb(
    places: dict[str, Path], content: bytes
) -> None:
    file = _secrets(places["cwd"], "")
    file.write_bytes(content)
    with pytest.raises(StoreError) as caught:
        paths.database_target()
    assert str(file.resolve()) in str(caught.value) and str(file.resolve()) in caught.value.message_sv
    assert "kan inte läsas" in caught.value.message_sv


def test_the_command_line_names_the_broken_secrets_file_and_exits_3(places: dict[str, Path]) -> None:
    file = _secrets(places["home"], "[connections.statsbidrag\n")
    env = os.environ | {"HOME": str(places["home"]), "PYTHONPATH": str(ROOT)}
    env.pop(paths.URL_ENV, None)
    result = subprocess.run(
        [sys.executable, "-m", "store", "init"], cwd=places["cwd"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 3, result.stderr
    assert str(file.resolve()) in result.stderr and "Traceback" not in result.stderr


def test_the_dashboard_says_in_swedish_which_secrets_file_cannot_be_read(places: dict[str, Path]) -> None:
    file = _secrets(places["home"], "[connections.statsbidrag\n")

    def page() -> None:
        from ui.state import store_or_stop

        store_or_stop()

    at = AppTest.from_function(page, default_timeout=60).run()
    assert not at.exception
    (error,) = at.error
    text = shown(error.value)
    assert "Databasen kunde inte öppnas" in text and str(file.resolve()) in text and "kan inte läsas" in text


def _loop(file: Path) -> None:
    file.parent.mkdir(parents=True, exist_ok=True)
    file.symlink_to(file.name)  # secrets.toml -> secrets.toml


def _folder(file: Path) -> None:
    file.mkdir(parents=True)


@pytest.mark.parametrize("make", [_loop, _folder], ids=["symlink loop", "a folder"])
def test_a_secrets_path_that_is_not_a_readable_file_is_an_error_naming_it(
    places: dict[str, Path], make: Callable[[Path], None]
) -> None:
    # Streamlit cannot read it either (it only skips a missing file): never a silent switch to DuckDB.
    file = places["home"] / ".streamlit" / "secrets.toml"
    make(file)
    with pytest.raises(StoreError) as caught:
        paths.database_target()
    assert str(file) in str(caught.value) and "kan inte läsas" in caught.value.message_sv


def test_a_dangling_symlink_is_no_secrets_file(places: dict[str, Path]) -> None:
    file = places["cwd"] / ".streamlit" / "secrets.toml"
    file.parent.mkdir()
    file.symlink_to(places["cwd"] / "gone.toml")
    _secrets(places["app"], f'[connections.statsbidrag]\nurl = "{URL_B}"\n')
    assert paths.database_url() == URL_B


WITHOUT_ROOTS_READING = ["/usr/bin/setpriv", "--bounding-set=-dac_override,-dac_read_search"]


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0 or not Path("/usr/bin/setpriv").exists(),
    reason="needs root and setpriv to take away root's right to read anything",
)
def test_the_command_line_exits_3_when_the_secrets_folder_cannot_be_searched(places: dict[str, Path]) -> None:
    _secrets(places["home"], f'[connections.statsbidrag]\nurl = "{URL_A}"\n')
    folder = places["home"] / ".streamlit"
    folder.chmod(0)
    env = os.environ | {"HOME": str(places["home"]), "PYTHONPATH": str(ROOT)}
    env.pop(paths.URL_ENV, None)
    try:
        result = subprocess.run(
            [*WITHOUT_ROOTS_READING, sys.executable, "-m", "store", "init"],
            cwd=places["cwd"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        folder.chmod(0o755)
    assert result.returncode == 3, result.stderr
    assert str(folder / "secrets.toml") in result.stderr and "Traceback" not in result.stderr
