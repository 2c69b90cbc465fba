"""Every page of the navigation has its deep-link shim, and no page sits directly in pages/."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _pages() -> list[tuple[str, str]]:
    """(script path, url_path) of every st.Page(...) of a script in app.py (the hidden start page is a function)."""
    found = []
    for node in ast.walk(ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", "") == "Page"
            and isinstance(node.args[0], ast.Constant)
        ):
            path = node.args[0].value  # type: ignore[attr-defined]
            url = next(k.value.value for k in node.keywords if k.arg == "url_path")  # type: ignore[attr-defined]
            found.append((path, url))
    return found


def test_every_page_has_a_url_path_and_a_shim_that_runs_the_frame() -> None:
    pages = _pages()
    assert len(pages) >= 2
    for path, url in pages:
        assert (ROOT / path).is_file(), path
        assert Path(path).parent != Path("pages"), f"{path}: pages go in a section folder"
        shim = ROOT / "pages" / f"{url}.py"
        assert shim.is_file(), f"missing deep-link shim {shim}"
        assert 'runpy.run_path(str(Path(__file__).resolve().parent.parent / "app.py")' in shim.read_text()


def test_no_other_top_level_page_files() -> None:
    shims = {f"{url}.py" for _, url in _pages()}
    assert {p.name for p in (ROOT / "pages").glob("*.py")} == shims
