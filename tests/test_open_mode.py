"""Without login the dashboard is for this machine only; the network takes an explicit opt-in.

The pure rule (``store.auth_config.exposure``), ``python -m store init --address`` (the first step of
``make run``), the Makefile's and config.toml's defaults, and the app's banner or refusal (AppTest). The
listening socket itself is measured in tests/browser/test_listen_address.py.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from store.auth_config import ALLOW_OPEN_ENV, Exposure, exposure, is_loopback, proxied, startup_problem
from ui.state import get_store

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("address", ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost", " LOCALHOST "])
def test_loopback_addresses(address: str) -> None:
    assert is_loopback(address)


@pytest.mark.parametrize("address", [None, "", "0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "myhost", "example.se"])
def test_every_other_address_reaches_the_network(address: str | None) -> None:
    assert not is_loopback(address)  # None and "" are Streamlit's default: every interface


def test_the_network_without_login_takes_the_opt_in() -> None:
    assert exposure("127.0.0.1", {}) is Exposure.LOCAL
    assert exposure("127.0.0.1", {ALLOW_OPEN_ENV: "1"}) is Exposure.LOCAL  # the opt-in opens nothing by itself
    assert exposure("0.0.0.0", {}) is Exposure.REFUSED
    assert exposure(None, {ALLOW_OPEN_ENV: "0"}) is Exposure.REFUSED
    assert exposure("0.0.0.0", {ALLOW_OPEN_ENV: "1"}) is Exposure.OPEN
    assert exposure(None, {ALLOW_OPEN_ENV: " Ja "}) is Exposure.OPEN
    # a reverse proxy in front of a loopback server serves the network too
    assert exposure("127.0.0.1", {}, proxied=True) is Exposure.REFUSED
    assert exposure("127.0.0.1", {ALLOW_OPEN_ENV: "true"}, proxied=True) is Exposure.OPEN


def test_a_proxys_forwarding_headers_are_recognised() -> None:
    assert not proxied({"Host": "127.0.0.1:8501", "User-Agent": "x"})
    assert proxied({"x-forwarded-for": "10.1.2.3"})
    assert proxied({"X-Real-IP": "10.1.2.3"})
    assert proxied({"Forwarded": "for=10.1.2.3"})


def test_store_init_refuses_a_network_address_without_login() -> None:
    no_login: dict[str, dict[str, str]] = {}
    assert startup_problem({}, no_login, address="127.0.0.1") is None
    assert startup_problem({}, no_login) is None  # the address unknown: the app checks it on every run
    problem = startup_problem({}, no_login, address="0.0.0.0")
    assert problem and "ALLOW_OPEN=1" in problem and "127.0.0.1" in problem
    assert startup_problem({ALLOW_OPEN_ENV: "1"}, no_login, address="0.0.0.0") is None
    assert startup_problem({}, {"auth": {"client_id": "x"}}, address="0.0.0.0") is None  # login: no opt-in needed


def test_store_init_exits_2_before_anything_listens(isolated_database: Path, tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}  # no secrets of the user's, no opt-in
    command = [sys.executable, "-m", "store", "--db", str(isolated_database), "init"]
    refused = subprocess.run([*command, "--address", "0.0.0.0"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert refused.returncode == 2 and "ALLOW_OPEN=1" in refused.stderr
    opted = subprocess.run(
        [*command, "--address", "0.0.0.0"], cwd=ROOT, env=env | {ALLOW_OPEN_ENV: "1"}, capture_output=True, text=True
    )
    assert opted.returncode == 0, opted.stderr
    local = subprocess.run([*command, "--address", "127.0.0.1"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert local.returncode == 0, local.stderr


def make_run(*variables: str) -> list[str]:
    """The commands ``make run`` would run (``make -n``: printed, nothing started)."""
    out = subprocess.run(["make", "-n", "run", *variables], cwd=ROOT, capture_output=True, text=True, check=True)
    return [line.strip() for line in out.stdout.splitlines() if "cli init" in line or "streamlit run" in line]


def test_make_run_listens_on_loopback_unless_told_otherwise() -> None:
    init, serve = make_run()
    assert init.endswith("-m cli init --address 127.0.0.1") and ALLOW_OPEN_ENV not in init
    assert serve.endswith("--server.address 127.0.0.1") and ALLOW_OPEN_ENV not in serve
    init, serve = make_run("ADDRESS=0.0.0.0", "ALLOW_OPEN=1")
    assert init.startswith(f"{ALLOW_OPEN_ENV}=1 ") and init.endswith("--address 0.0.0.0")
    assert serve.startswith(f"{ALLOW_OPEN_ENV}=1 ") and serve.endswith("--server.address 0.0.0.0")


def test_a_plain_streamlit_run_in_the_repository_listens_on_loopback() -> None:
    with (ROOT / ".streamlit" / "config.toml").open("rb") as handle:
        assert tomllib.load(handle)["server"]["address"] == "127.0.0.1"


# --- the app: a banner on every page, or no staff rights at all ----------------------------------


@pytest.fixture
def server_address() -> Iterator[None]:
    """Restores the process's server.address after a test that pretends the server listens elsewhere."""
    before = config.get_option("server.address")
    yield
    config._set_option("server.address", before, "test")


def run_app(isolated_database: Path, address: str | None) -> AppTest:
    get_store(str(isolated_database))
    config._set_option("server.address", address, "test")
    return AppTest.from_file("../app.py", default_timeout=60).run()


def test_on_loopback_the_local_banner(isolated_database: Path, server_address: None) -> None:
    at = run_app(isolated_database, "127.0.0.1")
    assert not at.exception and not at.error
    assert any("Lokalt läge utan inloggning" in w.value for w in at.warning)
    assert at.text_input(key="actor_name")


def test_on_the_network_without_the_opt_in_nobody_works_as_staff(
    isolated_database: Path, server_address: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ALLOW_OPEN_ENV, raising=False)
    for address in ("0.0.0.0", None, "192.168.1.10"):
        at = run_app(isolated_database, address)
        assert not at.exception
        assert [e.value.split("**")[1] for e in at.error] == [
            "Tjänsten är nåbar från nätverket men har ingen inloggning."
        ]
        assert "ALLOW_OPEN=1" in at.error[0].value
        # nothing else: no navigation, no sidebar, no page
        assert not at.warning and not at.text_input and not at.button and not at.metric and not at.title


def test_on_the_network_with_the_opt_in_every_page_says_so(
    isolated_database: Path, server_address: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ALLOW_OPEN_ENV, "1")
    at = run_app(isolated_database, "0.0.0.0")
    assert not at.exception
    for page in ("pages/overview/overview.py", "pages/at/simulator.py", "pages/decision/decision.py"):
        at.switch_page(page).run()
        assert not at.exception
        banners = [e.value for e in at.error if "Öppet läge utan inloggning, nåbart från nätverket" in e.value]
        assert len(banners) == 1 and f"{ALLOW_OPEN_ENV}=1" in banners[0]
        assert not any("Lokalt läge" in w.value for w in at.warning)
