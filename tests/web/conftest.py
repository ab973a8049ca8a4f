"""In-process web tests: the app through HTTPX (FastAPI's TestClient), one empty database each."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from piri.services import diary as diary_service
from piri.web.app import create_app
from piri.web.config import WebConfig


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty PIRI_HOME (SQLite) for this test only."""
    folder = tmp_path / "home"
    monkeypatch.setenv("PIRI_HOME", str(folder))
    monkeypatch.delenv("PIRI_DATABASE_URL", raising=False)
    yield folder
    diary_service.close_engines()


@pytest.fixture
def client(home: Path) -> Iterator[TestClient]:
    """Single-person mode, as ``piri serve`` runs by default. Forms need the CSRF token:
    use :func:`form_token` (or send the ``X-CSRF-Token`` header with the cookie's value)."""
    with TestClient(create_app(WebConfig()), base_url="http://127.0.0.1:8000") as found:
        found.get("/static/css/piri.css")  # the first response sets the CSRF cookie
        yield found


def csrf(client: TestClient) -> str:
    """The CSRF token for ``client``: put it in a form as ``csrf_token`` or the header."""
    token = client.cookies.get("piri_csrf")
    assert token, "no CSRF cookie yet: make one GET request first"
    return token
