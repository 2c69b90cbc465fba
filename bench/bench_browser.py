"""Benchmark (not a test): the app in headless Chromium — first render, cold start, memory with 20 sessions.

.venv/bin/python bench/bench_browser.py
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Browser, sync_playwright  # noqa: E402

# The same browser and flags as the browser tests.
from tests.browser.conftest import CHROMIUM, IDLE  # noqa: E402
from tests.browser.conftest import CHROMIUM_ARGS as ARGS  # noqa: E402

HELLO = 'import streamlit as st\nst.title("Hej")\n'


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(script: Path, env: dict[str, str], cwd: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return process, f"http://127.0.0.1:{port}"


def wait_healthy(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{url} did not start")


def render(browser: Browser, url: str, ready: str) -> float:
    """Seconds from navigation to the page fully rendered (script idle and ``ready`` visible)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    start_time = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(ready, timeout=60_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    elapsed = time.perf_counter() - start_time
    context.close()
    return elapsed


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    """A process's resident memory now (``VmRSS``) or at its peak so far (``VmHWM``), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(repeats: int = 5) -> list[tuple[str, float, str, str]]:
    tmp = Path(tempfile.mkdtemp())
    (tmp / "hello.py").write_text(HELLO, encoding="utf-8")
    env = os.environ | {"STATSBIDRAG_DB": str(tmp / "bench.duckdb")}
    rows: list[tuple[str, float, str, str]] = []

    cold_start = time.perf_counter()
    app, app_url = start(ROOT / "app.py", env, ROOT)
    hello, hello_url = start(tmp / "hello.py", env, tmp)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            wait_healthy(app_url)
            first = render(browser, app_url, "[data-testid='stMetric']")
            rows.append(
                (
                    "cold start: process start to first page rendered",
                    time.perf_counter() - cold_start,
                    "s",
                    f"first render itself {first:.2f} s",
                )
            )
            wait_healthy(hello_url)
            render(browser, hello_url, "h1")  # warm both servers once
            hello_times = [render(browser, hello_url, "h1") for _ in range(repeats)]
            base = statistics.median(hello_times)
            rows.append(("hello-world page: first full render", base, "s", "baseline"))
            for name, path, ready in (
                ("overview: first full render", "", "[data-testid='stMetric']"),
                ("simulator: first full render", "at", "[data-testid='stMetric']"),
                ("data page: first full render", "data", "[data-testid='stFileUploader']"),
            ):
                times = [render(browser, f"{app_url}/{path}", ready) for _ in range(repeats)]
                median = statistics.median(times)
                rows.append((name, median, "s", f"{median / base:.1f} × hello world"))

            idle = rss_mb(app.pid)
            contexts = []
            for _ in range(20):
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = context.new_page()
                page.goto(f"{app_url}/at")
                contexts.append((context, page))
            for _, page in contexts:
                page.wait_for_selector("[data-testid='stMetric']", timeout=120_000)
                page.wait_for_selector(IDLE, timeout=120_000)
            time.sleep(1)
            loaded = rss_mb(app.pid)
            rows.append(("server RSS, after the first sessions", idle, "MB", ""))
            rows.append(
                (
                    "server RSS, 20 sessions on the simulator",
                    loaded,
                    "MB",
                    f"+{(loaded - idle) / 20:.1f} MB per session",
                )
            )
            for context, _ in contexts:
                context.close()
            browser.close()
    finally:
        for process in (app, hello):
            process.terminate()
            process.wait(timeout=20)
    return rows


def main() -> None:
    print(f"{'figure':<52} {'value':>10}  note")
    for name, value, unit, note in measure():
        print(f"{name:<52} {value:>8.2f} {unit:<2}  {note}")


if __name__ == "__main__":
    main()
