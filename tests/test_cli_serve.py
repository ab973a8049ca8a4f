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


def _children_of(pid: int) -> list[int]:
    children = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            lines = status.read_text().splitlines()
        except OSError:
            continue
        parent = next((line.split()[1] for line in lines if line.startswith("PPid:")), "")
        if parent == str(pid):
            children.append(int(status.parent.name))
    return children


def test_workers_share_one_secret_so_any_of_them_accepts_a_sign_in(tmp_path: Path) -> None:
    """With --workers 2 each request may land on either process (a new connection each time
    here): a session cookie and a CSRF token one worker made are accepted by the other."""
    import time

    import httpx

    port = _free_port()
    env = {**os.environ, "PIRI_HOME": str(tmp_path)}
    env.pop("PIRI_SECRET_KEY", None)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "piri",
            "serve",
            "--multi-user",
            "--workers",
            "2",
            "--port",
            str(port),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, process.stderr and process.stderr.read()
            assert time.monotonic() < deadline, "the server did not answer within 60 s"
            time.sleep(0.2)
        assert len(_children_of(process.pid)) >= 2, "expected two worker processes"

        first = httpx.get(f"{base}/signup")
        csrf = first.cookies["piri_csrf"]
        signed_up = httpx.post(
            f"{base}/signup",
            data={
                "username": "ana",
                "password": "correct horse battery",
                "password_again": "correct horse battery",
                "csrf_token": csrf,
            },
            cookies={"piri_csrf": csrf},
        )
        assert signed_up.status_code == 303, signed_up.text
        cookies = {"piri_csrf": csrf, "piri_session": signed_up.cookies["piri_session"]}
        for attempt in range(12):  # a fresh connection each time: either worker answers
            page = httpx.get(f"{base}/today", cookies=cookies)
            assert page.status_code == 200, f"attempt {attempt}: {page.status_code}"
            made = httpx.post(
                f"{base}/api/v1/tokens",
                json={"name": f"token {attempt}"},
                cookies=cookies,
                headers={"X-CSRF-Token": csrf},
            )
            assert made.status_code == 201, f"attempt {attempt}: {made.text}"
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_workers_must_be_at_least_one(piri: PiriRunner) -> None:
    result = piri("serve", "--workers", "0")
    assert result.returncode == 2
    assert "--workers" in result.stderr
