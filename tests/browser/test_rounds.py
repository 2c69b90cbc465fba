"""Rounds as data in a real browser: staff make a round from a copy, a region user previews it, a round of blocks.

Each test runs its own server: a new round of a later year becomes every page's default round, which the
other browser tests (on the shared server) do not expect.
"""

from __future__ import annotations

import shutil
import tomllib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from present import formats as f
from store.model import Actor
from store.paths import DATA_ENV
from store.service import Store
from tests.app_helpers import USERS
from tests.browser.conftest import (
    ARTIFACTS,
    TIMEOUT_MS,
    expect,
    expect_no_exception,
    metric_value,
    running_app,
    screenshot,
    wait_idle,
)
from tests.browser.login import log_in, oidc_auth
from ui import rules_doc

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SOURCE_SHORT = "AT-tjänster 2023"
NEW_ID = "at-2026"
NEW_SHORT = "AT-tjänster 2026"
NEW_TITLE = "Statsbidrag för att öka antalet AT-tjänster 2026"
STEP_ROW = 1  # the second step of the copy: at least 3 positions beyond plan, 3 000 000 kr in 2023
STEP_THRESHOLD = 3
NEW_AMOUNT = 3_500_000
NEW_DEADLINE = "2026-11-01"
BLOCKS_RULES = ROOT / "tests" / "rounds" / "at-2024-illustrative.toml"
BLOCKS_SHORT = "AT 2024 (illustrativ)"
PHONE = {"width": 390, "height": 844}


def sidebar_round(page):  # type: ignore[no-untyped-def]
    """The sidebar round picker's input, whose value is the chosen round: for expect(...).to_have_value."""
    return page.get_by_test_id("stSidebar").get_by_role("combobox", name="Bidragsomgång")


def choose(page, label: str, option: str) -> None:  # type: ignore[no-untyped-def]
    """Pick ``option`` in the select box labelled ``label`` (main area) and wait for the choice to show."""
    box = page.get_by_test_id("stMain").get_by_role("combobox", name=label)
    box.click()
    page.get_by_role("option", name=option, exact=True).click()
    expect(box).to_have_value(option)
    wait_idle(page)


def edit_grid_cell(page, grid, column: int, row: int, value: str) -> None:  # type: ignore[no-untyped-def]
    """Type ``value`` into the LAST column of a data editor whose columns fill its width (the form's steps).

    The grid is a canvas: the cell is pressed by position (the last column ends at the grid's right edge) and
    held until glide-data-grid's accessible copy of the cell says it is selected, as conftest.edit_cell does;
    ``column`` is the cell's index in that copy (a dynamic editor's row markers are column 0).
    """
    cell = grid.get_by_test_id(f"glide-cell-{column}-{row}")
    expect(cell).to_be_attached()
    for attempt in range(6):
        grid.scroll_into_view_if_needed()
        box = grid.bounding_box()
        assert box is not None
        x, y = box["x"] + box["width"] - 60, box["y"] + 35 * (row + 1) + 35 / 2
        # Glide takes a press at once only after pointer moves over the grid: a single jump to the cell and a
        # press missed the cell about one time in three (after the page's select box had been used).
        page.mouse.move(x - 40, y - 10)
        page.mouse.move(x, y, steps=5)
        page.mouse.down()
        try:
            expect(cell).to_have_attribute("aria-selected", "true", timeout=TIMEOUT_MS // 3)
        except AssertionError:
            page.mouse.up()
            if attempt == 5:
                raise
            continue
        page.mouse.up()
        break
    expect(cell).to_be_focused()
    page.keyboard.press("Enter")
    editor = page.locator("input.gdg-input, textarea.gdg-input")
    expect(editor).to_be_focused()
    editor.fill(value)
    expect(editor).to_have_value(value)
    editor.press("Enter")
    expect(editor).to_have_count(0)
    expect(cell).to_have_text(value)


def whole_element(page, element, width: int, name: str) -> None:  # type: ignore[no-untyped-def]
    """A PNG of a tall element whole: the viewport grown to the page (Streamlit scrolls inside its own
    container, so an element screenshot of something taller than the viewport comes out partly blank)."""
    page.set_viewport_size({"width": width, "height": 1000})
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": width, "height": int(height) + 40})
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    box = element.bounding_box()
    assert box is not None
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), clip=box)


def go(page, title: str, heading: str) -> None:  # type: ignore[no-untyped-def]
    """Open a page by its sidebar link (the session, and so the chosen round, stays); wait for its run."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_test_id("stMain").get_by_role("heading", level=1)).to_have_text(heading)
    wait_idle(page)


# --- 1. staff make a round from a copy ------------------------------------------------------------


@pytest.fixture(scope="module")
def local_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_app(tmp_path_factory.mktemp("rounds-server")) as url:
        yield url


def test_staff_make_a_round_from_a_copy_and_allocate_it(page, local_app: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{local_app}/omgangar")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("button", name="Granska", exact=True)).to_be_visible()
    wait_idle(page)
    name = page.get_by_role("textbox", name="Ditt namn")
    name.fill("Anna Andersson")
    name.press("Enter")
    expect(name).to_have_value("Anna Andersson")
    wait_idle(page)
    choose(page, "Utgå från", SOURCE_SHORT)

    form = main.get_by_test_id("stForm")
    form.get_by_label("Id (i adresser och filnamn)").fill(NEW_ID)
    form.get_by_label("År").fill("2026")
    form.get_by_label("Titel", exact=True).fill(NEW_TITLE)
    form.get_by_label("Kort titel (menyer)").fill(NEW_SHORT)
    steps = form.get_by_test_id("stDataFrame").nth(1)  # after the pots
    expect(steps).to_contain_text("Minst antal tjänster utöver plan")
    edit_grid_cell(page, steps, 2, STEP_ROW, str(NEW_AMOUNT))
    # The report deadline: a plain field (the grid cell the issue saw keep 2023-11-01 is gone).
    deadline = form.locator(".st-key-nr_at-2023_ms0_due input")
    expect(deadline).to_have_value("2023-11-01")
    deadline.fill(NEW_DEADLINE)
    form.get_by_label("Anledning (skrivs i granskningsloggen)").fill("Ny omgång 2026 (webbläsartest)")
    screenshot(page, "rounds-new")
    form.get_by_role("button", name="Granska", exact=True).click()

    review = main.locator(".st-key-nr_review")
    expect(review.get_by_role("heading", name="Granska innan du sparar")).to_be_visible()
    expect(review).to_contain_text(f"Inrapportering av prestationer i e-tjänsten, senast: 2023-11-01 → {NEW_DEADLINE}")
    expect(review).to_contain_text(f"Steget minst {STEP_THRESHOLD} tjänster utöver plan: 3 000 000 kr → 3 500 000 kr")
    expect(review).to_contain_text("Kopierat från AT-tjänster 2023 version")
    expect(review).to_contain_text("ligger utanför omgångens år (2026)")
    expect(review).to_contain_text("nämner 2023, men omgången gäller 2026")
    save = review.get_by_role("button", name="Spara omgången")
    expect(save).to_be_disabled()
    expect_no_exception(page)
    for width, shot in ((1440, "rounds-review"), (PHONE["width"], "rounds-review-phone")):
        whole_element(page, review, width, shot)
        expect(save).to_be_visible()
    page.set_viewport_size({"width": 1440, "height": 1000})

    review.get_by_role("button", name="Ta bort alla flaggade citat").click()
    expect(review.get_by_role("radio", name="Ta bort citatet", checked=True).first).to_be_attached()
    wait_idle(page)
    boxes = review.get_by_role("checkbox")
    for i in range(boxes.count()):
        box = boxes.nth(i)
        box.focus()  # ticked with the keyboard, as the form's other checkboxes are
        page.keyboard.press("Space")
        expect(box).to_be_checked()
        wait_idle(page)
    expect(save).to_be_enabled()
    save.click()
    expect(main.get_by_test_id("stAlert").filter(has_text="Sparad")).to_contain_text(
        f"Sparad: {NEW_SHORT} version 1.0.0"
    )
    expect_no_exception(page)
    screenshot(page, "rounds-saved")

    # The simulator, by its sidebar link: the new round is the chosen one (the sidebar, drawn before the page
    # saved, shows it from the next run on), with the changed step.
    go(page, "Simulering", f"{NEW_SHORT} – simulering och fördelning")
    expect(sidebar_round(page)).to_have_value(NEW_SHORT)
    main = page.get_by_test_id("stMain")
    expect(main).to_contain_text(NEW_TITLE)
    main.get_by_text("Trappans belopp och fördelningsnyckel").click()  # the steps, folded by default
    step = main.get_by_role("textbox", name=f"Trappsteg vid minst {STEP_THRESHOLD} tjänster utöver plan (kr)")
    expect(step).to_have_value(f.number(NEW_AMOUNT))  # grouped kronor: 3 500 000
    page.get_by_role("button", name="Alla plan + tjänster").click()
    expect(page.get_by_text("alla regioner plan + 3")).to_be_visible()
    # Everyone at plan + 3 reaches the changed step, and only it: 21 regions × 3 500 000 kr.
    expect(metric_value(page, "Trappsteg")).to_have_text(f.mnkr(21 * NEW_AMOUNT))
    expect(main.get_by_role("tabpanel")).to_contain_text("Summa utbetalt 254 000 000 kr")
    expect_no_exception(page)

    go(page, "Tidsfrister", "Tidsfrister")
    rounds_filter = main.get_by_test_id("stMultiSelect").filter(has_text="Omgång")
    expect(rounds_filter).to_contain_text(NEW_SHORT)
    timeline = main.locator("figure.tlgantt")
    expect(timeline).to_contain_text(NEW_SHORT)
    expect_no_exception(page)
    screenshot(page, "rounds-deadlines")

    go(page, "Bidragsomgångar", "Bidragsomgångar")
    choose(page, "Utgå från", NEW_SHORT)
    with page.expect_download() as info:
        main.get_by_role("button", name="Ladda ned källomgångens regelfil (TOML)").click()
    assert info.value.suggested_filename == f"{NEW_ID}.toml"
    rules = tomllib.loads(info.value.path().read_text(encoding="utf-8"))
    assert (rules["id"], rules["short_title"], rules["year"]) == (NEW_ID, NEW_SHORT, 2026)
    amounts = {s["min_expansion"]: s["amount"] for s in rules["staircase"]["steps"]}
    assert amounts[STEP_THRESHOLD] == NEW_AMOUNT
    assert rules["milestones"][0]["due"].isoformat() == NEW_DEADLINE  # the edited deadline took
    assert page.console_errors == []


# --- 2. a region user previews the new round, for its own region only -------------------------------


def new_round_rules(store: Store) -> str:
    """The rules the form of test 1 makes: a copy of AT 2023 as at-2026 with one step changed."""
    doc = rules_doc.load(store.rounds.round_toml("at-2023"))
    rules_doc.set_header(
        doc, {"id": NEW_ID, "title": NEW_TITLE, "short_title": NEW_SHORT, "year": 2026, "version": "1.0.0"}
    )
    (stair,) = rules_doc.staircases(doc)
    steps = list(stair.steps)
    steps[STEP_ROW] = (STEP_THRESHOLD, NEW_AMOUNT)
    rules_doc.set_steps(doc, stair.path, steps)
    return rules_doc.dump(doc)


@pytest.fixture(scope="module")
def auth_app(tmp_path_factory: pytest.TempPathFactory, oidc_server: str) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("rounds-auth-server")
    store = Store.open(folder / "app.duckdb")  # closed before the server opens the file
    staff = Actor(USERS["staff"].name, "handläggare")
    for user in USERS.values():
        store.users.save_user(staff, "e2e", user)
    assert store.rounds.save_round(staff, "Ny omgång 2026 (webbläsartest)", new_round_rules(store)) == (NEW_ID, "1.0.0")
    store.close()
    with running_app(folder, oidc_auth(oidc_server)) as url:
        yield url


def grow(page, more: int) -> None:  # type: ignore[no-untyped-def]
    """Type the plan + ``more`` into the preview's what-if (Tillsatta starts at the plan) and wait for its run."""
    filled = page.get_by_test_id("stMain").get_by_label("Tillsatta")
    expect(filled).not_to_have_value("")
    wait_idle(page)
    value = str(int(filled.input_value()) + more)
    filled.fill(value)
    filled.press("Enter")
    expect(filled).to_have_value(value)
    wait_idle(page)


def test_a_region_user_previews_the_new_round_for_its_own_region_only(context, auth_app: str) -> None:  # type: ignore[no-untyped-def]
    page = log_in(context, auth_app, "region")
    main = page.get_by_test_id("stMain")
    # The preview is the region user's start page, which Streamlit serves at "/" (its own path /region first
    # shows "Page not found"); the round is asked for by its short title, as a shared link does.
    page.goto(f"{auth_app}/?omgang={quote(NEW_SHORT)}")
    expect(main.get_by_role("heading", level=1)).to_have_text("Förhandsbesked för Uppsala")
    expect(main).to_contain_text(f"Vad kan regionen räkna med från {NEW_SHORT}?")
    expect(sidebar_round(page)).to_have_value(NEW_SHORT)
    region = main.get_by_role("combobox", name="Region")
    expect(region).to_have_value("Uppsala")
    expect(region).to_be_disabled()
    # No report yet: the first figure is its plan's. Its own plan + 3 in the what-if: the new round's changed step.
    expect(main.locator(".st-key-pv_first")).to_contain_text("Regionen har inte lämnat någon rapport ännu")
    grow(page, 3)
    expect(main).to_contain_text(f"Med de här siffrorna når ni trappsteget {f.kr(NEW_AMOUNT)}.")
    expect(main).to_contain_text(f"regler för {NEW_SHORT} version 1.0.0")  # the frame's footer: the run's end
    expect_no_exception(page)
    screenshot(page, "rounds-region-preview")

    page.goto(f"{auth_app}/?omgang={quote(NEW_SHORT)}&pv_region=01")  # Stockholm, asked for in the URL
    expect(page.get_by_test_id("stAlert").filter(has_text="inte region 01")).to_be_visible()
    expect(main.get_by_role("heading", level=1)).to_have_text("Förhandsbesked för Uppsala")
    expect(region).to_have_value("Uppsala")
    grow(page, 3)
    expect(main).to_contain_text(f"Med de här siffrorna når ni trappsteget {f.kr(NEW_AMOUNT)}.")
    expect(main).to_contain_text(f"regler för {NEW_SHORT} version 1.0.0")
    wait_idle(page)
    expect(main).not_to_contain_text("Stockholm")
    screenshot(page, "rounds-region-refused")
    assert page.console_errors == []


# --- 3. a round of two blocks, dropped into the data folder ----------------------------------------


@pytest.fixture(scope="module")
def blocks_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("blocks-server")
    data = folder / "data"
    shutil.copytree(ROOT / "data", data)
    shutil.copy(BLOCKS_RULES, data / "rounds" / BLOCKS_RULES.name)
    with running_app(folder, env={DATA_ENV: str(data)}) as url:
        yield url


def open_tab(page, name: str):  # type: ignore[no-untyped-def]
    tab = page.get_by_role("tab", name=name, exact=True)
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
    return page.locator("[role='tabpanel']:visible")


def expect_chart(panel):  # type: ignore[no-untyped-def]
    figure = panel.get_by_test_id("stPlotlyChart").first
    expect(figure.locator("g.trace, g.scatterlayer .trace, g.barlayer .trace").first).to_be_attached()
    return figure


def test_a_round_of_two_blocks_in_the_data_folder_is_simulated(page, blocks_app: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{blocks_app}/at")
    main = page.get_by_test_id("stMain")
    # An illustrative round is never the default (the newest real round is): it is chosen in the sidebar.
    expect(main.get_by_role("heading", level=1)).to_have_text(f"{SOURCE_SHORT} – simulering och fördelning")
    page.goto(f"{blocks_app}/at?omgang={quote(BLOCKS_SHORT)}")
    expect(main.get_by_role("heading", level=1)).to_have_text(f"{BLOCKS_SHORT} – simulering och fördelning")
    expect(sidebar_round(page)).to_have_value(BLOCKS_SHORT)
    wait_idle(page)
    page.get_by_role("button", name="Alla plan + tjänster").click()
    results = open_tab(page, "Resultat")
    expect(results).to_contain_text("Summa utbetalt 223 000 000 kr")
    expect(metric_value(page, "Pott")).to_have_text(f.mnkr(223_000_000))
    expect(metric_value(page, "Block 1: medel för inrapportering")).to_have_text(f.mnkr(63_000_000))
    expect(metric_value(page, "Block 2: prestationsbaserade medel")).to_have_text(f.mnkr(160_000_000))
    expect_no_exception(page)
    screenshot(page, "blocks-simulator")

    titles = ["Pottens fördelning", "Block 1: medel för inrapportering", "Block 2: prestationsbaserade medel"]
    shots = ["blocks-waterfall", "blocks-block1", "blocks-block2"]
    for title, shot in zip(titles, shots, strict=True):
        figure = expect_chart(open_tab(page, title))
        expect_no_exception(page)
        screenshot(page, shot, figure)

    page.set_viewport_size(PHONE)
    results = open_tab(page, "Resultat")
    expect(results).to_contain_text("Summa utbetalt 223 000 000 kr")
    expect_no_exception(page)
    screenshot(page, "blocks-simulator-phone")
    assert page.console_errors == []


def test_the_overview_of_2026_lists_every_round_with_its_phase(page, blocks_app: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{blocks_app}/?as_of=2026-11-23&omgang={quote(BLOCKS_SHORT)}")  # an illustrative round, chosen
    main = page.get_by_test_id("stMain")
    expect(main).to_contain_text("3 bidragsomgångar per 2026-11-23")
    phases = {
        # what each round's blocks imply, never its rules' format
        BLOCKS_SHORT: "Avslutad (sista tidsfrist 2024-11-01) · 2 block, betalas ut enligt beslut, regionerna rapp",
        SOURCE_SHORT: "Avslutad (sista tidsfrist 2023-12-31) · ett block, betalas ut enligt beslut, regionerna rapp",
        "Läkare i äldreomsorgen 2023": "Avslutad (sista tidsfrist 2024-04-30) · ett block, betalas ut efter rekv",
    }
    cards = main.get_by_test_id("stColumn")  # one card a column
    for short, phase in phases.items():
        card = cards.filter(has=page.get_by_role("heading", name=short, exact=True))
        expect(card).to_contain_text(phase)
    expect_no_exception(page)
    screenshot(page, "overview-rounds")
    assert page.console_errors == []
