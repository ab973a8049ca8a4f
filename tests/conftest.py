"""Shared test helpers: running the real ``piri`` command in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.run_clock import start_run_clock

PiriRunner = Callable[..., subprocess.CompletedProcess[str]]


def pytest_configure(config: pytest.Config) -> None:
    start_run_clock()


@pytest.fixture
def piri(tmp_path: Path) -> PiriRunner:
    """Run ``python -m piri ARGS`` as a new user would, in an empty directory.

    ``PIRI_HOME`` points into tmp_path, standard input is not a terminal, and
    the working directory is an empty folder so tests can check nothing is
    written there.
    """
    workdir = tmp_path / "cwd"
    workdir.mkdir()

    def run(
        *args: str, timeout: float = 60, input: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        """``input`` is typed on standard input; without it standard input is empty."""
        env = {**os.environ, "PIRI_HOME": str(tmp_path / "home"), "COLUMNS": "120"}
        return subprocess.run(
            [sys.executable, "-m", "piri", *args],
            cwd=workdir,
            env=env,
            input=input,
            stdin=subprocess.DEVNULL if input is None else None,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    return run


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty PIRI_HOME (SQLite) for this test, used through the services in-process;
    every database opened in it is closed again after."""
    from piri.services import diary as diary_service

    folder = tmp_path / "home"
    monkeypatch.setenv("PIRI_HOME", str(folder))
    monkeypatch.delenv("PIRI_DATABASE_URL", raising=False)
    diary_service.close_engines()
    yield folder
    diary_service.close_engines()


SHARED_DIR = Path(os.environ.get("PIRI_SHARED_DIR", Path(__file__).resolve().parents[2] / "shared"))


@pytest.fixture
def shared_dir() -> Path:
    """``../shared`` beside the repository (always there in CI); skipped, and said, if absent."""
    if not SHARED_DIR.is_dir():
        pytest.skip(f"skipped: {SHARED_DIR} is not here (it is in CI); set PIRI_SHARED_DIR")
    return SHARED_DIR
