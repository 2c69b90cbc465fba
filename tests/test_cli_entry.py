"""One entry point for the whole product: ``python -m cli --help`` lists every command, each runs from there,
and the forms scripts use (``python -m store <command>``) keep working as an alias that says so on stderr."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cli_helpers import ALIAS_NOTE, run_module, run_store

from store.cli import store_command_names


def test_one_help_lists_every_command() -> None:
    result = run_module("cli", "--help")
    assert result.returncode == 0 and result.stderr == ""
    listed = set(re.findall(r"^    ([a-z][a-z-]+)", result.stdout, flags=re.MULTILINE))
    assert listed == {"allocate", *store_command_names()}


@pytest.mark.parametrize("command", ["allocate", "init", "decide", "copy"])
def test_each_command_has_its_help_under_the_one_entry_point(command: str) -> None:
    result = run_module("cli", command, "--help")
    assert result.returncode == 0 and result.stdout.startswith(f"usage: python -m cli {command}")


def test_store_commands_run_from_the_one_entry_point_and_from_the_alias(isolated_database: Path) -> None:
    init = run_module("cli", "--db", str(isolated_database), "init")
    assert init.returncode == 0 and init.stderr == "", init.stderr
    new = run_module("cli", "users", "--db", str(isolated_database))  # --db after the command, too
    old = run_store(isolated_database, "users")  # checks and strips the alias note
    assert new.returncode == old.returncode == 0
    assert new.stdout == old.stdout and new.stderr == old.stderr == ""


def test_the_alias_says_where_the_command_now_lives_after_its_own_output(isolated_database: Path) -> None:
    result = run_module("store", "--db", str(isolated_database / "missing" / "x.duckdb"), "users")
    assert result.returncode == 3
    lines = result.stderr.splitlines()
    assert lines[0].startswith("error: ") and "Traceback" not in result.stderr
    assert lines[-1].startswith(ALIAS_NOTE) and "`python -m cli users`" in lines[-1]


def test_allocate_reads_no_store() -> None:
    result = run_module("cli", "--db", "x.duckdb", "allocate", "--round", "elderly-2023")
    assert (result.returncode, result.stdout) == (2, "") and "allocate reads no store" in result.stderr


def test_a_command_that_does_not_exist_is_refused_with_the_list() -> None:
    result = run_module("cli", "allocat")
    assert result.returncode == 2 and "invalid choice" in result.stderr and "allocate" in result.stderr
