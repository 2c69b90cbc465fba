"""Where the dashboard listens without login, measured on the listening socket (``ss -ltn``), and what a
request through a proxy is shown in Chromium.

Only loopback is ever connected to: a test that needs "the network" sends a proxy's forwarding header
from the browser instead of binding to another interface.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from store.auth_config import ALLOW_OPEN_ENV
from store.db import PATH_ENV
from tests.browser.conftest import ROOT, _free_port, expect, running_app, screenshot, wait_idle

pytestmark = pytest.mark.browser
FORWARDED = {"X-Forwarded-For": "203.0.113.7"}  # what nginx (deploy/nginx.conf) adds for a visitor


def listening(port: int) -> list[str]:
    """The local addresses of the TCP sockets listening on ``port`` (``ss -ltnH``: no header line)."""
    if not shutil.which("ss"):
        pytest.skip("ss (iproute2) is not installed")
    out = subprocess.run(["ss", "-ltnH"], capture_output=True, text=True, check=True).stdout
    locals_ = [line.split()[3] for line in out.splitlines() if len(line.split()) > 3]
    return [address for address in locals_ if address.rsplit(":", 1)[-1] == str(port)]


def wait_listening(port: int, process: subprocess.Popen[bytes], log: Path, timeout: float = 120) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := listening(port):
            return found
        if process.poll() is not None:
            pytest.fail(f"the server stopped (status {process.returncode}):\n{log.read_text(errors='replace')}")
        time.sleep(0.2)
    pytest.fail(f"nothing listened on port {port} within {timeout} s:\n{log.read_text(errors='replace')}")


def port_of(url: str) -> int:
    return int(re.fullmatch(r"http://127\.0\.0\.1:(\d+)", url).group(1))  # type: ignore[union-attr]


def test_streamlit_run_without_an_address_listens_on_loopback_only(tmp_path: Path) -> None:
    """``streamlit run app.py`` in the repository, no ``--server.address``: .streamlit/config.toml decides."""
    with running_app(tmp_path, address=None) as url:
        assert listening(port_of(url)) == [f"127.0.0.1:{port_of(url)}"]


@pytest.fixture
def make_run(tmp_path: Path) -> Iterator[tuple[int, subprocess.Popen[bytes], Path]]:
    """``make run PORT=…`` as a user types it (its own database file); its process group stopped afterwards."""
    if subprocess.run(["make", "-q", "setup"], cwd=ROOT).returncode != 0:
        pytest.skip("the virtual environment is not set up (make setup): make run would install packages")
    port = _free_port()
    log = tmp_path / "make-run.log"
    env = os.environ | {PATH_ENV: str(tmp_path / "app.duckdb"), "HOME": str(tmp_path)}  # no user secrets
    for name in ("STATSBIDRAG_REQUIRE_AUTH", ALLOW_OPEN_ENV, "STATSBIDRAG_DATABASE_URL", "MAKEFLAGS"):
        env.pop(name, None)
    with open(log, "wb") as out:
        process = subprocess.Popen(
            ["make", "run", f"PORT={port}"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield port, process, log
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # make, the store's init and streamlit: the group this test started
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def test_make_run_listens_on_loopback_only(make_run: tuple[int, subprocess.Popen[bytes], Path]) -> None:
    port, process, log = make_run
    assert wait_listening(port, process, log) == [f"127.0.0.1:{port}"]


# --- a request through a proxy: the network, seen from the app ---------------------------------


@pytest.fixture
def forwarded_page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1300, "height": 900}, locale="sv-SE", extra_http_headers=FORWARDED)
    yield context.new_page()
    context.close()


def test_through_a_proxy_without_the_opt_in_nobody_works_as_staff(
    tmp_path: Path, forwarded_page, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv(ALLOW_OPEN_ENV, raising=False)
    with running_app(tmp_path) as url:
        page = forwarded_page
        page.goto(f"{url}/data")
        alert = page.get_by_test_id("stAlert")
        expect(alert).to_contain_text("Tjänsten är nåbar från nätverket men har ingen inloggning")
        wait_idle(page)
        expect(alert).to_have_count(1)
        screenshot(page, "open-mode-refused")
        # no page, no round picker, no name for the audit log: nothing a member of staff could use
        expect(page.get_by_role("textbox", name="Ditt namn")).to_have_count(0)
        expect(page.get_by_text("Bidragsomgång")).to_have_count(0)
        expect(page.get_by_role("heading", name="Data, import och export")).to_have_count(0)


def test_through_a_proxy_with_the_opt_in_every_page_says_so(tmp_path: Path, forwarded_page) -> None:  # type: ignore[no-untyped-def]
    with running_app(tmp_path, env={ALLOW_OPEN_ENV: "1"}) as url:
        page = forwarded_page
        for path, heading in (("oversikt", "Översikt"), ("beslut", "beslut"), ("data", "Data, import och export")):
            page.goto(f"{url}/{path}")
            expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
            expect(page.get_by_test_id("stAlert").filter(has_text="Öppet läge utan inloggning")).to_have_count(1)
            wait_idle(page)
            expect(page.get_by_text("Lokalt läge utan inloggning")).to_have_count(0)
            expect(page.get_by_role("textbox", name="Ditt namn")).to_have_count(
                1
            )  # working as staff, by the operator's choice
        screenshot(page, "open-mode-banner")


def test_on_loopback_without_a_proxy_the_local_banner(tmp_path: Path, browser) -> None:  # type: ignore[no-untyped-def]
    with running_app(tmp_path, address=None) as url:
        context = browser.new_context(viewport={"width": 1300, "height": 900}, locale="sv-SE")
        try:
            page = context.new_page()
            page.goto(f"{url}/oversikt")
            expect(page.get_by_test_id("stAlert").filter(has_text="Lokalt läge utan inloggning")).to_have_count(1)
            wait_idle(page)
            expect(page.get_by_text("Öppet läge utan inloggning")).to_have_count(0)
        finally:
            context.close()
