"""Browser journeys: the real server in a subprocess, driven by Playwright in Debian's Chromium.

``.ci/run`` installs Chromium (``apt-get install chromium``); the tests launch
``/usr/bin/chromium`` headless (``PIRI_CHROMIUM`` names another). Without it they are
skipped with that message. Screenshots of key screens go to ``artifacts/screenshots/``.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.run_clock import browser_clock_script, run_clock_shift

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("PIRI_ARTIFACTS", ROOT / "artifacts")) / "screenshots"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
# Timers in the session player run this many times faster in the tests.
TEST_TIMER_PACE = "0.02"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    configured = os.environ.get("PIRI_CHROMIUM")
    if configured:
        return configured
    return shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    path = chromium_path()
    if path is None:
        pytest.skip("skipped: no Chromium here (CI installs it: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_FLAGS
        )
        yield launched
        launched.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    """One ``piri serve`` in a subprocess, with its own empty data directory."""

    url: str
    home: Path
    process: subprocess.Popen[str]
    env: dict[str, str] = field(default_factory=dict)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_server(home: Path, *args: str, extra_env: dict[str, str] | None = None) -> Server:
    port = _free_port()
    env = {
        **os.environ,
        "PIRI_HOME": str(home),
        "PIRI_TIMER_PACE": TEST_TIMER_PACE,
        **(extra_env or {}),
    }
    env.pop("PIRI_DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "piri", "serve", "--port", str(port), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90  # a busy CI machine can be slow to import everything
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            raise RuntimeError(f"piri serve exited with {process.returncode}:\n{output}")
        try:
            with urllib.request.urlopen(f"{url}/api/v1/openapi.json", timeout=1):
                return Server(url=url, home=home, process=process, env=env)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("piri serve did not answer within 90 s")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """A fresh single-person server: a new runner on their first visit."""
    started = start_server(tmp_path / "home")
    yield started
    started.stop()


@pytest.fixture(params=sorted(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@dataclass
class Visit:
    """A browser tab on the server, which records console errors and CSP violations."""

    page: Any
    server: Server
    viewport: str
    journey: str
    problems: list[str] = field(default_factory=list)

    def go(self, path: str) -> Any:
        return self.page.goto(self.server.url + path)

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{self.journey}-{self.viewport}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def check_accessibility(self) -> list[dict[str, Any]]:
        """Run axe-core on the page; fail on any serious or critical violation."""
        self.page.evaluate(AXE.read_text(encoding="utf-8"))
        result = self.page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        )
        bad = [v for v in result if v.get("impact") in ("serious", "critical")]
        assert not bad, f"axe-core on {self.page.url}:\n" + json.dumps(
            [
                {
                    "id": v["id"],
                    "impact": v["impact"],
                    "help": v["help"],
                    "nodes": [n["target"] for n in v["nodes"][:5]],
                }
                for v in bad
            ],
            indent=1,
        )
        violations: list[dict[str, Any]] = result
        return violations


@pytest.fixture
def visit(
    browser: Any, server: Server, viewport: str, request: pytest.FixtureRequest
) -> Iterator[Visit]:
    yield from _visit(browser, server, viewport, request.node.name)


def _visit(browser: Any, server: Server, viewport: str, name: str) -> Iterator[Visit]:
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="en-GB")
    context.add_init_script(browser_clock_script(run_clock_shift()))
    page = context.new_page()
    page.set_default_timeout(10_000)
    journey = name.split("[")[0].removeprefix("test_")
    found = Visit(page=page, server=server, viewport=viewport, journey=journey)
    page.on("console", lambda message: _note_console(found, message))
    page.on("pageerror", lambda error: found.problems.append(f"page error: {error}"))
    yield found
    context.close()
    assert not found.problems, "The browser reported problems:\n" + "\n".join(found.problems)


# A form answered with 422 (kept input, an error message) is expected, not a problem.
EXPECTED_STATUSES = ("status of 422", "status of 409", "status of 401", "status of 403")


def _note_console(found: Visit, message: Any) -> None:
    if message.type != "error":
        return
    if "Failed to load resource" in message.text and any(
        status in message.text for status in EXPECTED_STATUSES
    ):
        return
    found.problems.append(f"console {message.type} on {found.page.url}: {message.text}")


VisitFactory = Callable[[Server, str], Iterator[Visit]]
