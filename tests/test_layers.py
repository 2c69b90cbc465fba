"""The shape we keep: ``allocation/`` is rules only, and imports flow pages → ui → store → allocation.

Checked on the source's import statements (ast), not by convention.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What allocation/ may import beyond itself: the standard library's pure parts and numpy.
PURE_OUTSIDE = {
    "__future__",
    "bisect",
    "collections",
    "dataclasses",
    "datetime",
    "decimal",
    "enum",
    "fractions",
    "functools",
    "hashlib",
    "heapq",
    "itertools",
    "json",
    "math",
    "numbers",
    "numpy",
    "operator",
    "re",
    "tomllib",
    "types",
    "typing",
    "unicodedata",
}
# Which top-level packages each layer may import (besides the standard library and third parties).
ALLOWED = {
    "allocation": {"allocation"},
    "present": {"allocation", "present"},
    "ingest": {"allocation", "ingest"},
    "cli": {"allocation", "ingest", "present", "cli"},
    "store": {"allocation", "ingest", "present", "store"},
    "ui": {"allocation", "ingest", "present", "store", "ui"},
}
OURS = {"allocation", "present", "ingest", "cli", "store", "ui", "pages"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_the_engine_imports_nothing_but_pure_code() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imports(path) - PURE_OUTSIDE - {"allocation"})
        for path in (ROOT / "allocation").glob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_imports_flow_one_way() -> None:
    wrong = {}
    for layer, allowed in ALLOWED.items():
        for path in (ROOT / layer).rglob("*.py"):
            bad = (_imports(path) & OURS) - allowed
            if bad:
                wrong[str(path.relative_to(ROOT))] = sorted(bad)
    assert wrong == {}


def test_no_page_imports_the_store_service() -> None:
    pages = [*(ROOT / "pages").rglob("*.py"), ROOT / "app.py"]
    offenders = [str(p.relative_to(ROOT)) for p in pages if "store.service" in p.read_text(encoding="utf-8")]
    assert offenders == []


# documents/ turns a frozen decision into files: rules and Swedish formats only, never the store, the UI,
# Streamlit or DuckDB (the store and the pages call it, not the other way round).
DOCUMENTS_MAY_IMPORT = {"allocation", "present", "documents"}
DOCUMENTS_MAY_NOT = OURS | {"documents", "streamlit", "duckdb"}


def test_documents_import_only_rules_and_formats() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted((_imports(path) & DOCUMENTS_MAY_NOT) - DOCUMENTS_MAY_IMPORT)
        for path in (ROOT / "documents").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}
