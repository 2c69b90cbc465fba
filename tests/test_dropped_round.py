"""A round that exists only as a rules file dropped into data/rounds shows on every page, with no code change.

The fixture copies ``data/`` to a temporary folder and adds ``at-2031-test.toml``: the AT 2023 rules with
another id, title, year, pot and staircase (test data, not an official round). Every page then runs with
that round chosen in the sidebar, and the simulator's figures agree with the engine on the new rules.
"""

from __future__ import annotations

import math
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from allocation.block_convert import recipients_from_regions
from ingest.data_folder import load_block_round, load_regions
from present import formats as f
from store.paths import DATA_ENV
from tests.block_helpers import at_view, results_table
from tests.markdown_text import shown
from tests.report_helpers import positions

DATA = Path(__file__).resolve().parent.parent / "data"
NEW_ID = "at-2031-test"
TITLE = "Testomgång AT 2031"
POT = 90_000_000
STEPS = ((1, 1_000_000), (4, 4_000_000), (8, 9_000_000))


def rules_copy(text: str) -> str:
    """at-2023.toml with a new id, title, year, pot, a three-step staircase and milestones in 2031."""
    text = text.replace('id = "at-2023"', f'id = "{NEW_ID}"', 1)
    text = re.sub(r'short_title = "[^"]*"', f'short_title = "{TITLE}"', text, count=1)
    text = text.replace("year = 2023", "year = 2031", 1)
    text = text.replace("amount = 254_000_000", f"amount = {POT}", 1)
    head, _, tail = text.partition("[[staircase.steps]]")
    tail = tail[tail.index("# --- Redistribution") :]
    steps = "".join(
        f'[[staircase.steps]]\nmin_expansion = {m}\namount = {a}\nquote = "Testtrappa (ej officiell)."\n\n'
        for m, a in STEPS
    )
    milestones_at = tail.index("# --- Milestones")
    tail = tail[:milestones_at] + tail[milestones_at:].replace("2023-1", "2031-1")  # its own milestone dates
    return head + steps + tail


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    rules = (target / "rounds" / "at-2023.toml").read_text(encoding="utf-8")
    (target / "rounds" / f"{NEW_ID}.toml").write_text(rules_copy(rules), encoding="utf-8")
    monkeypatch.setenv(DATA_ENV, str(target))
    return target


def app_on(page: str | None, as_of: date = date(2031, 6, 1)) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.session_state["as_of"] = as_of
    at.session_state["omgang"] = NEW_ID
    at.run()
    assert not at.exception
    if page:
        at.switch_page(page).run()
        assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "subheader", "markdown", "caption", "info", "warning") for e in at.get(kind)]
    parts += [h.proto.body for h in at.get("html")]
    return "\n".join(shown(p) for p in parts)


def test_the_copy_is_a_different_round(data_dir: Path) -> None:
    (block,) = load_block_round(NEW_ID, data_dir).blocks
    assert block.pot.amount == POT
    assert [(s.min_expansion, s.amount) for s in block.params.steps] == list(STEPS)  # type: ignore[union-attr]


def test_the_picker_offers_it_and_the_overview_lists_it(data_dir: Path) -> None:
    at = app_on(None)
    picker = at.selectbox(key="omgang")
    assert NEW_ID in picker.options or TITLE in picker.options
    assert picker.value == NEW_ID
    titles = [s.value for s in at.subheader]
    phases = [m.value for m in at.markdown if m.value.startswith(":material/")]
    assert phases[titles.index(TITLE)].startswith(":material/edit_calendar: **Öppen**")  # before its deadline


def test_the_simulator_allocates_it_by_its_own_rules(data_dir: Path) -> None:
    at = app_on("pages/at/simulator.py")
    assert TITLE in at.title[0].value
    new = load_block_round(NEW_ID, data_dir)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Pott"] == f.mnkr(POT)
    labels = [n.label for n in at.text_input]
    assert [label for label in labels if label.startswith("Trappsteg")] == [
        f"Trappsteg vid minst {m} tjänster utöver plan (kr)" for m, _ in STEPS
    ]
    # Everyone at plan + 3: the table's totals are the engine's on the new rules, to the krona.
    at.button(key="blk_plan_k").click().run()
    table = results_table(at)
    people = recipients_from_regions(load_regions(data_dir, new.population_date))
    plan_plus_3 = [positions(r.code, math.ceil(new.planned[r.code]) + 3, 0) for r in people]
    expected = at_view(plan_plus_3, round_=new, people=people)
    assert dict(zip(table["länskod"], table["totalt (kr)"], strict=True)) == {r.code: r.total for r in expected.regions}
    assert sum(r.total for r in expected.regions) == POT


@pytest.mark.parametrize(
    "page",
    [
        "pages/region/preview.py",
        "pages/elderly/followup.py",
        "pages/deadlines/status.py",
        "pages/data/import_export.py",
    ],
)
def test_every_other_page_shows_it(data_dir: Path, page: str) -> None:
    at = app_on(page)
    body = texts(at)
    options = [o for s in at.selectbox for o in s.options] + [o for m in at.multiselect for o in m.options]
    assert TITLE in body or TITLE in options, page


def test_a_broken_rules_file_is_named_to_staff_and_the_rest_still_works(data_dir: Path) -> None:
    (data_dir / "rounds" / "broken-2031.toml").write_text('id = "broken-2031"\nkind = "performance"\n', "utf-8")
    at = app_on(None)
    errors = [shown(e.value) for e in at.error]
    assert any("broken-2031.toml lästes inte in" in e for e in errors), errors
    assert NEW_ID in at.selectbox(key="omgang").options or at.selectbox(key="omgang").value == NEW_ID
