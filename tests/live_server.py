"""A real ``piri serve`` in a child process, for the tests that kill it or load it."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def piri_env(home: Path) -> dict[str, str]:
    """This environment with Piri's home at ``home`` and its SQLite database there."""
    env = {**os.environ, "PIRI_HOME": str(home)}
    env.pop("PIRI_DATABASE_URL", None)
    return env


def start_server(home: Path, port: int, log: Path | None = None) -> subprocess.Popen[bytes]:
    """``piri serve`` on ``port`` (single person, SQLite in ``home``), once it answers; what
    it writes to stderr goes to ``log`` when given."""
    errors = log.open("wb") if log is not None else subprocess.DEVNULL
    process = subprocess.Popen(
        [sys.executable, "-m", "piri", "serve", "--port", str(port)],
        env=piri_env(home),
        stdout=subprocess.DEVNULL,
        stderr=errors,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError("the server did not start within 60 s")


def browser_headers(connection: http.client.HTTPConnection) -> dict[str, str]:
    """What a browser sends with a change: the CSRF cookie the first page set, and its token."""
    connection.request("GET", "/static/css/piri.css")
    response = connection.getresponse()
    response.read()
    cookie = response.getheader("set-cookie", "").split(";")[0]
    token = cookie.split("=", 1)[1]
    return {"Content-Type": "application/json", "Cookie": cookie, "X-CSRF-Token": token}
