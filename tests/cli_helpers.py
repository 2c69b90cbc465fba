"""Running the command lines as users do: ``python -m cli`` and its alias ``python -m store``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ALIAS_NOTE = "note: `python -m store "


def run_module(module: str, *args: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )


def run_store(db: Path | str, *args: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    """``python -m store --db DB ARGS``; its stderr without the alias note, which must be its last line."""
    result = run_module("store", "--db", str(db), *args, timeout=timeout)
    lines = result.stderr.splitlines(keepends=True)
    assert lines and lines[-1].startswith(ALIAS_NOTE) and "python -m cli" in lines[-1], result.stderr
    result.stderr = "".join(lines[:-1])
    return result
