"""Where Piri keeps a person's data."""

from __future__ import annotations

from pathlib import Path

import pytest

from piri.settings import data_dir


def test_piri_home_sets_the_data_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIRI_HOME", str(tmp_path / "mine"))
    assert data_dir() == tmp_path / "mine"
    assert not (tmp_path / "mine").exists()
    assert data_dir(create=True).is_dir()


def test_without_piri_home_the_platform_user_data_directory_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PIRI_HOME", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert data_dir() == tmp_path / "xdg" / "piri"


def test_a_blank_piri_home_falls_back_to_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PIRI_HOME", "  ")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert data_dir() == tmp_path / "xdg" / "piri"
