"""Multi-user mode for web tests: an app with accounts, people signed in, their API tokens.

Import what a test needs::

    from tests.web.accounts_fixtures import (
        cheap_hashing, multi_user_app, multi_user_client, new_client, sign_up_and_login,
        api_token, person_of, bearer,
    )

Fixtures must be imported by name into the test module (pytest finds them there). Passwords
are hashed with argon2id at the smallest cost in these tests (``cheap_hashing``); the
library's defaults are checked in tests/test_account_store.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient

from piri.services import accounts as account_service
from piri.web.app import create_app
from piri.web.config import WebConfig

BASE_URL = "http://127.0.0.1:8000"
PASSWORD = "correct horse battery"


@pytest.fixture
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id at its smallest cost, so that tests signing up many people stay quick."""
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(account_service, "_hasher", lambda: cheap)


@pytest.fixture
def multi_user_app(home: Path, cheap_hashing: None) -> FastAPI:
    """The app as ``piri serve --multi-user`` builds it, on this test's empty database; gait
    clips wait for the test to analyse them (no background worker)."""
    return create_app(WebConfig(multi_user=True, gait_worker="off"))


def new_client(app: FastAPI, address: str = "testclient") -> TestClient:
    """A browser of its own (own cookies, client ``address``) on ``app``, with its CSRF
    cookie already set. Redirects are not followed, so tests see them."""
    client = TestClient(app, base_url=BASE_URL, follow_redirects=False, client=(address, 50000))
    client.get("/static/css/piri.css")
    return client


@pytest.fixture
def multi_user_client(multi_user_app: FastAPI) -> Iterator[TestClient]:
    """Nobody signed in yet; redirects are not followed, so tests see them."""
    with new_client(multi_user_app) as client:
        yield client


def csrf_of(client: TestClient) -> str:
    token = client.cookies.get("piri_csrf")
    assert token, "no CSRF cookie yet: make one GET request first"
    return token


def sign_up_and_login(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Sign ``username`` up through the /signup form; ``client`` is then signed in.

    Returns the person name the services know them by."""
    response = client.post(
        "/signup",
        data={
            "username": username,
            "password": password,
            "password_again": password,
            "csrf_token": csrf_of(client),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assert client.cookies.get("piri_session"), "signing up did not set the session cookie"
    return person_of(username)


def log_in(client: TestClient, username: str, password: str = PASSWORD) -> None:
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_of(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def api_token(client: TestClient, name: str = "tests") -> str:
    """A new API token for the person signed in on ``client`` (cookie + CSRF header)."""
    response = client.post(
        "/api/v1/tokens", json={"name": name}, headers={"X-CSRF-Token": csrf_of(client)}
    )
    assert response.status_code == 201, response.text
    token: str = response.json()["token"]
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def person_of(username: str) -> str:
    """The person name behind an account (what the services take as ``person=``)."""
    info = account_service.find_account(username)
    assert info is not None, f"no account called {username}"
    return info.person
