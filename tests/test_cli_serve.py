"""``piri serve``: refuses unsafe addresses with the reason, and prints where it runs."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from tests.conftest import PiriRunner


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_single_person_mode_will_not_listen_on_a_public_address(piri: PiriRunner) -> None:
    result = piri("serve", "--host", "0.0.0.0")
    assert result.returncode == 2
    assert "only listens on this computer" in result.stderr
    assert "--multi-user" in result.stderr


def test_multi_user_mode_on_a_public_address_asks_for_a_secret_key(piri: PiriRunner) -> None:
    result = piri("serve", "--host", "0.0.0.0", "--multi-user")
    assert result.returncode == 2
    assert "PIRI_SECRET_KEY" in result.stderr


def test_serve_prints_the_address_it_listens_on(tmp_path: Path) -> None:
    env = {**os.environ, "PIRI_HOME": str(tmp_path)}
    process = subprocess.Popen(
        [sys.executable, "-m", "piri", "serve", "--port", str(_free_port())],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert first.startswith("Piri is running at http://127.0.0.1:")
    assert "single person, no login" in first
