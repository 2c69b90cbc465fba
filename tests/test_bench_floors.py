"""The floor pages of bench/floors/ (what Streamlit needs to draw each page: bench/bench_floors.py) run, and use
no project code: their only imports are Streamlit, pandas, the standard library and their own static data."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

FLOORS = Path(__file__).resolve().parent.parent / "bench" / "floors"
ALLOWED = {"streamlit", "pandas", "static", "datetime", "__future__"}
PAGES = sorted(p.name for p in FLOORS.glob("*.py") if p.name not in ("app.py", "static.py"))


def test_every_floor_imports_no_project_code() -> None:
    for path in FLOORS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert {n.split(".")[0] for n in names} <= ALLOWED, f"{path.name} imports {names}"


def test_the_frame_names_every_floor_page() -> None:
    frame = (FLOORS / "app.py").read_text(encoding="utf-8")
    assert [p for p in PAGES if f'"{p}"' not in frame] == []


@pytest.mark.parametrize("page", PAGES)
def test_each_floor_page_runs_in_the_floor_frame(page: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(FLOORS))
    monkeypatch.delitem(sys.modules, "static", raising=False)
    at = AppTest.from_file(str(FLOORS / "app.py"), default_timeout=60)
    shape = {"simulering_2024.py": "AT 2024 (illustrativ)", "simulering_2022.py": "AT 2022 (illustrativ)"}
    if page in shape:  # the frame picks the simulator's floor by the round in the address
        at.query_params["omgang"] = shape[page]
    at.run()
    assert not at.exception, at.exception
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert at.title, f"{page} drew no title"
