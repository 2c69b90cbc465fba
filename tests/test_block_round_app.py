"""Every page with a round of two blocks (the illustrative AT 2024 test round) chosen in the sidebar.

The fixture copies ``data/`` to a temporary folder and drops ``tests/rounds/at-2024-illustrative.toml`` into
its ``rounds/``: the dashboard shows it with no code change, and the simulator's figures are the block
engine's, to the krona.
"""

from __future__ import annotations

import math
import shutil
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from allocation.block_engine import allocate_round
from allocation.report_values import engine_values
from present import formats as f
from store.paths import DATA_ENV
from tests.block_helpers import load_test_round, recipients
from tests.markdown_text import shown
from tests.report_helpers import positions

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "tests" / "rounds" / "at-2024-illustrative.toml"
ROUND_ID = "at-2024-illustrative"
SHORT = "AT 2024 (illustrativ)"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    shutil.copy(RULES, target / "rounds" / RULES.name)
    monkeypatch.setenv(DATA_ENV, str(target))
    return target


def app_on(page: str | None, as_of: date = date(2024, 6, 1)) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=90)
    at.session_state["as_of"] = as_of
    at.session_state["omgang"] = ROUND_ID
    at.run()
    assert not at.exception, at.exception
    if page:
        at.switch_page(page).run()
        assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    kinds = ("title", "subheader", "markdown", "caption", "info", "warning")
    parts = [e.value for kind in kinds for e in at.get(kind)] + [h.proto.body for h in at.get("html")]
    return "\n".join(shown(p) for p in parts)


def expected_at_plan_plus(more: int):  # type: ignore[no-untyped-def]
    """The block engine on the same rules: everyone at plan + ``more``, reported on the last day that counts."""
    round_ = load_test_round(ROUND_ID)
    people = recipients()
    inputs = [positions(r.code, math.ceil(round_.planned[r.code]) + more, 0) for r in people]
    by = next(b.params.by for b in round_.blocks if hasattr(b.params, "by"))
    events = {"at_report": {r.code: by for r in people}}
    return allocate_round(round_, people, engine_values(inputs), events)


def test_the_simulator_shows_each_block_and_the_engine_figures(data_dir: Path) -> None:
    at = app_on("pages/at/simulator.py")
    assert SHORT in shown(at.title[0].value)
    assert any("Illustrativ omgång" in w.value for w in at.warning)
    pots = [n for n in at.text_input if n.key and n.key.startswith("pot_kr_")]
    assert [n.value for n in pots] == [f.number(63_000_000), f.number(160_000_000)]  # 63 000 000, not 63000000
    at.button(key="blk_plan_k").click().run()
    assert not at.exception, at.exception
    expected = expected_at_plan_plus(3)
    metrics = {shown(m.label): m.value for m in at.metric}  # block titles are escaped markdown in labels
    assert metrics["Pott"] == f.mnkr(223_000_000)
    assert metrics["Utbetalt"] == f.mnkr(expected.paid)
    assert metrics["Ej fördelat"] == f.mnkr(expected.unallocated)
    for block in expected.blocks:
        assert metrics[block.title] == f.mnkr(block.paid)
    frame = next(d.value for d in at.dataframe if "totalt (kr)" in d.value.columns)
    assert list(frame["totalt (kr)"]) == [f.kr(expected.totals[c]) for c in frame["länskod"]]
    assert sum(expected.totals.values()) + expected.unallocated == 223_000_000
    assert [shown(t.label) for t in at.tabs] == [
        "Resultat",
        "Pottens fördelning",
        "Per invånare",
        "Karta",
        "Jämför scenarier",
        *(b.title for b in expected.blocks),
    ]


def test_a_what_if_pot_changes_only_its_block(data_dir: Path) -> None:
    at = app_on("pages/at/simulator.py")
    at.button(key="blk_plan_k").click().run()
    first = next(n for n in at.text_input if n.key and n.key.startswith("pot_kr_"))
    first.set_value("21000000 kr").run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Pott"] == f.mnkr(181_000_000)
    assert at.text_input(key=first.key).value == f.number(21_000_000)  # rewritten the Swedish way when left


def test_a_bad_pot_is_named_in_swedish_and_the_last_valid_one_stays(data_dir: Path) -> None:
    at = app_on("pages/at/simulator.py")
    at.button(key="blk_plan_k").click().run()
    first = next(n for n in at.text_input if n.key and n.key.startswith("pot_kr_"))
    first.set_value("−5 000").run()
    assert not at.exception
    message = shown(at.error[0].value)
    assert "negativt" in message and "senast giltiga belopp, 63" in message
    assert {m.label: m.value for m in at.metric}["Pott"] == f.mnkr(223_000_000)
    first.set_value("=1+1").run()
    assert "inte ett tal" in shown(at.error[0].value)


@pytest.mark.parametrize(
    "page",
    [
        None,
        "pages/region/preview.py",
        "pages/elderly/followup.py",
        "pages/deadlines/status.py",
        "pages/data/import_export.py",
    ],
)
def test_every_other_page_shows_it(data_dir: Path, page: str | None) -> None:
    at = app_on(page)
    options = [o for s in at.selectbox for o in s.options] + [o for m in at.multiselect for o in m.options]
    assert SHORT in texts(at) or SHORT in options, page


def test_the_preview_gives_the_region_its_amount_per_block(data_dir: Path) -> None:
    at = app_on("pages/region/preview.py")
    metrics = [(shown(m.label), m.value) for m in at.metric]
    # The first figure (the plan's, per block), then the what-if's (per block): each a total and two blocks.
    # Stockholm at plan reaches no step: its amount is block 1's share whatever the others do, in exact kronor.
    titles = [b.title for b in load_test_round(ROUND_ID).blocks]
    share = f.kr(63_000_000 // len(recipients()))
    assert metrics[:3] == [("Belopp enligt er plan", share), (titles[0], share), (titles[1], f.kr(0))]
    assert metrics[3] == ("Beräknat belopp", share) and [label for label, _ in metrics[4:]] == titles
    assert any("vad de andra regionerna än gör" in shown(c.value) for c in at.caption)


def test_a_three_block_round_without_a_plan_takes_its_data_keys_in_the_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """AT 2022 (illustrative) shares by AT positions per 100 000 and by expansion, with no planning table:
    both are columns of the outcomes table, and the page computes the three blocks from them."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    shutil.copy(ROOT / "tests" / "rounds" / "at-2022-illustrative.toml", target / "rounds")
    monkeypatch.setenv(DATA_ENV, str(target))
    at = AppTest.from_file("../app.py", default_timeout=90)
    at.session_state["omgang"] = "at-2022-illustrative"
    at.run()
    at.switch_page("pages/at/simulator.py").run()
    assert not at.exception, at.exception
    editor = next(d.value for d in at.dataframe if "code" in d.value.columns)
    assert {"positions", "expansion"} <= set(editor.columns)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Pott"] == f.mnkr(372_000_000)
    assert len([n for n in at.text_input if n.key and n.key.startswith("pot_kr_")]) == 3


def test_staff_choose_a_blocks_recipients_by_name_and_the_copy_pays_only_them(data_dir: Path) -> None:
    at = AppTest.from_file("../app.py", default_timeout=90)
    at.session_state["actor_name"] = "Anna Andersson"
    at.session_state["omgang"] = ROUND_ID
    at.run()
    at.switch_page("pages/admin/rounds.py").run()
    assert not at.exception, at.exception
    k = f"nr_{ROUND_ID}"
    chooser = at.multiselect(key=f"{k}_recipients_0")
    assert chooser.label.endswith(": mottagare") and len(chooser.value) == len(recipients())
    chooser.set_value(["01", "03", "25"])
    at.text_input(key=f"{k}_id").set_value("at-2024-tre")
    at.text_input(key=f"{k}_short").set_value("AT 2024 tre regioner")
    at.text_input(key=f"{k}_reason").set_value("Test av mottagare")
    at.button(key=f"FormSubmitter:{k}_form-Granska").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    review = " | ".join(shown(m.value) for m in at.markdown)
    assert "Block 1: medel för inrapportering: tas bort: " in review  # the review names the recipients removed
    for box in at.checkbox:  # the copy keeps the 2024 dates and quotes: confirm and keep them
        box.check()
    for choice in at.radio:
        choice.set_value("keep")
    at.run()
    next(b for b in at.button if b.label == "Spara omgången").click().run()
    assert not at.exception, at.exception
    from store.paths import db_path
    from ui.state import get_store

    store = get_store(str(db_path()))
    round_ = store.rounds.block_round("at-2024-tre")
    assert round_.blocks[0].eligible.codes == ("01", "03", "25")
    at.switch_page("pages/at/simulator.py").run()
    assert not at.exception, at.exception


def test_an_illustrative_round_is_never_the_default_and_joins_the_overview_only_when_chosen(data_dir: Path) -> None:
    at = AppTest.from_file("../app.py", default_timeout=90)
    at.session_state["as_of"] = date(2024, 6, 1)
    at.run()
    assert not at.exception, at.exception
    picker = at.selectbox(key="omgang")
    assert picker.value == "at-2023"  # the newest real round, not the newer illustrative one
    assert picker.options[-1] == SHORT  # listed after the real rounds
    assert SHORT not in [shown(s.value) for s in at.subheader]  # the manager's overview: real rounds only
    chosen = app_on(None)
    assert SHORT in [shown(s.value) for s in chosen.subheader]
