"""``piri`` on its own, ``piri info`` and ``piri --help``."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import PiriRunner


def test_piri_alone_says_where_to_start_and_when_to_get_help(piri: PiriRunner) -> None:
    result = piri()
    assert result.returncode == 0, result.stderr
    assert "piri learn" in result.stdout
    assert "piri session relief" in result.stdout
    assert "Emergency:" in result.stdout


def test_help_lists_every_command(piri: PiriRunner) -> None:
    result = piri("--help")
    assert result.returncode == 0
    for command in ("learn", "exercises", "exercise", "session", "info"):
        assert command in result.stdout


def test_info_shows_the_data_directory_from_piri_home(piri: PiriRunner) -> None:
    result = piri("info")
    assert result.returncode == 0, result.stderr
    flat = "".join(result.stdout.split())
    assert "home" in flat
    assert "PIRI_HOME" in result.stdout
    assert "exercises" in result.stdout


def test_an_unknown_command_is_an_error_without_a_traceback(piri: PiriRunner) -> None:
    result = piri("strech")
    assert result.returncode == 2
    assert "No such command" in result.stderr
    assert "Traceback" not in result.stderr


def test_nothing_is_written_to_the_current_directory(piri: PiriRunner, tmp_path: Path) -> None:
    for args in (
        ("learn", "causes"),
        ("exercises",),
        ("info",),
        ("session", "relief", "--pace", "0"),
    ):
        assert piri(*args).returncode == 0
    assert list((tmp_path / "cwd").iterdir()) == []


def test_serve_starts_the_api_on_the_loopback_address(tmp_path: Path) -> None:
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PIRI_HOME": str(tmp_path / "home")}
    server = subprocess.Popen(
        [sys.executable, "-m", "piri", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/sections") as reply:
                    assert reply.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=10)
