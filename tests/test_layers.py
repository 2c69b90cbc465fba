"""The shape we keep: ``allocation/`` is rules only, and imports flow one way, pages → ui → store → allocation.

Checked on every package's import statements (ast; imports inside functions too, relative imports resolved),
not by convention. Where the other packages sit, as their imports place them:

    rank 5   pages/ (and app.py)        cli/  (the command line: store's commands and allocate; never ui)
    rank 4   ui/
    rank 3   store/
    rank 2   documents/                  (a frozen decision → letters; the store and ui call it)
    rank 1   present/  ingest/           (Swedish formats and texts; files → the engine's types)
    rank 0   allocation/                 (pure rules)

A module imports only packages of a lower rank than its own (and its own package); two packages of one
rank never import each other.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RANK = {
    "allocation": 0,
    "present": 1,
    "ingest": 1,
    "documents": 2,
    "store": 3,
    "ui": 4,
    "pages": 5,
    "cli": 5,
}
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
# Below ui/, nothing imports the web framework; below store/, nothing the database.
NOT_BELOW = {"streamlit": RANK["ui"], "duckdb": RANK["store"], "psycopg": RANK["store"]}


def _module_of(path: Path) -> list[str]:
    """``store/cli.py`` → ``["store", "cli"]``; a package's ``__init__.py`` is the package itself."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def _resolve(path: Path, node: ast.ImportFrom) -> list[str]:
    """The absolute modules a ``from`` import names (a relative one resolved against the file's package)."""
    if node.level == 0:
        return [node.module or ""]
    package = _module_of(path)
    if path.name != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - (node.level - 1)] if node.level - 1 <= len(package) else []
    if node.level - 1 > len(package):
        return ["<beyond the project>"]
    if node.module:
        return [".".join([*base, node.module])]
    return [".".join([*base, alias.name]) for alias in node.names]


def _imports(path: Path) -> set[str]:
    """The top-level names of every module the file imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.update(module.split(".")[0] for module in _resolve(path, node))
    return found


def _files(package: str) -> list[Path]:
    files = sorted((ROOT / package).rglob("*.py"))
    return [*files, ROOT / "app.py"] if package == "pages" else files


def test_every_package_of_the_project_has_a_place() -> None:
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} | {"pages"}
    assert packages - {"tests", "bench"} == set(RANK)


def test_the_engine_imports_nothing_but_pure_code() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imports(path) - PURE_OUTSIDE - {"allocation"})
        for path in _files("allocation")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_imports_flow_one_way() -> None:
    wrong = {}
    for package, rank in RANK.items():
        for path in _files(package):
            bad = {name for name in _imports(path) & set(RANK) if name != package and RANK[name] >= rank}
            if bad:
                wrong[str(path.relative_to(ROOT))] = sorted(bad)
    assert wrong == {}


def test_no_framework_or_database_below_its_layer() -> None:
    wrong = {}
    for package, rank in RANK.items():
        for path in _files(package):
            bad = {name for name, lowest in NOT_BELOW.items() if rank < lowest and name in _imports(path)}
            if bad:
                wrong[str(path.relative_to(ROOT))] = sorted(bad)
    assert wrong == {}


def test_relative_imports_are_resolved_and_checked(tmp_path: Path) -> None:
    """A relative import cannot slip past the check: ``from ..store import x`` in ui/ names ``store``."""
    sample = ROOT / "ui" / "sub" / "mod.py"
    node = ast.parse("from ...store.cli import main\nfrom .. import pages").body
    assert _resolve(sample, node[0]) == ["store.cli"]  # type: ignore[arg-type]
    assert _resolve(sample, node[1]) == ["ui.pages"]  # type: ignore[arg-type]
    init = ROOT / "store" / "__init__.py"
    assert _resolve(init, ast.parse("from .cli import main").body[0]) == ["store.cli"]  # type: ignore[arg-type]
    assert _resolve(init, ast.parse("from ... import x").body[0]) == ["<beyond the project>"]  # type: ignore[arg-type]


def test_no_page_imports_the_store_service() -> None:
    pages = [*(ROOT / "pages").rglob("*.py"), ROOT / "app.py"]
    offenders = [str(p.relative_to(ROOT)) for p in pages if "store.service" in p.read_text(encoding="utf-8")]
    assert offenders == []


def test_the_command_line_starts_without_the_web_framework_or_the_database() -> None:
    """``allocate`` and the refusal of a bad file run before DuckDB, pandas or Streamlit load."""
    code = (
        "import sys, cli.main, cli.allocate, cli.rounds, cli.values, cli.output; "
        "print(sorted({'streamlit', 'duckdb', 'pandas', 'psycopg'} & {m.split('.')[0] for m in sys.modules}))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_documents_import_only_rules_and_formats() -> None:
    """documents/ turns a frozen decision into files: rules and Swedish formats only, never ingest's readers."""
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imports(path) & (set(RANK) - {"allocation", "present", "documents"}))
        for path in _files("documents")
    }
    assert {k: v for k, v in offenders.items() if v} == {}
