"""Headers on every response, CSRF on every change, the host check, and safe serve settings."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from piri.web.app import create_app
from piri.web.config import ConfigError, WebConfig, server_config
from piri.web.security import CSRF_COOKIE
from tests.web.conftest import csrf

PATHS = ["/static/css/piri.css", "/api/v1/exercises", "/api/v1/openapi.json", "/no-such-page"]


@pytest.mark.parametrize("path", PATHS)
def test_every_response_carries_the_security_headers(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    policy = headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy and "unsafe-eval" not in policy
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"


def test_person_data_is_never_cached_but_static_files_may_be(client: TestClient) -> None:
    assert client.get("/api/v1/exercises").headers["cache-control"] == "no-store"
    assert "no-store" not in client.get("/static/css/piri.css").headers.get("cache-control", "")


def test_the_csrf_cookie_is_http_only_and_strict(home: object) -> None:
    with TestClient(create_app(), base_url="http://127.0.0.1:8000") as fresh:
        cookie = fresh.get("/api/v1/exercises").headers["set-cookie"]
    assert cookie.startswith(f"{CSRF_COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie


def test_a_form_post_without_the_token_is_refused(client: TestClient) -> None:
    response = client.post(
        "/api/v1/check",
        content="a=1",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"


def test_a_post_with_the_token_in_the_header_passes_the_check(client: TestClient) -> None:
    response = client.post(
        "/api/v1/check",
        content="{}",
        headers={"content-type": "text/plain", "x-csrf-token": csrf(client)},
    )
    assert response.status_code != 403


def test_a_wrong_token_is_refused(client: TestClient) -> None:
    response = client.post(
        "/api/v1/check",
        content="{}",
        headers={"content-type": "text/plain", "x-csrf-token": "forged"},
    )
    assert response.status_code == 403


def test_json_from_another_site_is_refused_by_its_origin(client: TestClient) -> None:
    response = client.post("/api/v1/check", json={}, headers={"origin": "https://evil.example"})
    assert response.status_code == 403
    assert "evil.example" in response.json()["message"]


def test_json_without_a_cookie_is_accepted_for_scripts(client: TestClient) -> None:
    response = client.post("/api/v1/check", json={"age": 30})
    assert response.status_code in (200, 422)


def test_a_loopback_server_only_answers_to_loopback_names(home: object) -> None:
    config = server_config("127.0.0.1", 8000, multi_user=False)
    with TestClient(create_app(config), base_url="http://127.0.0.1:8000") as local:
        assert local.get("/api/v1/exercises").status_code == 200
    with TestClient(create_app(config), base_url="http://rebound.example") as rebound:
        refused = rebound.get("/api/v1/exercises")
    assert refused.status_code == 400
    assert "only answers to" in refused.text


def test_single_person_mode_refuses_a_public_address() -> None:
    with pytest.raises(ConfigError, match="only listens on this computer"):
        server_config("0.0.0.0", 8000, multi_user=False)


def test_multi_user_mode_on_a_public_address_needs_a_secret_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PIRI_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="PIRI_SECRET_KEY"):
        server_config("0.0.0.0", 8000, multi_user=True)
    monkeypatch.setenv("PIRI_SECRET_KEY", "short")
    with pytest.raises(ConfigError, match="too short"):
        server_config("0.0.0.0", 8000, multi_user=True)
    monkeypatch.setenv("PIRI_SECRET_KEY", "k" * 40)
    config = server_config("0.0.0.0", 8000, multi_user=True)
    assert config.secret_key_configured and config.secure_cookies
    assert config.allowed_hosts is None


def test_multi_user_mode_on_loopback_runs_with_a_random_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PIRI_SECRET_KEY", raising=False)
    config = server_config("127.0.0.1", 8000, multi_user=True)
    assert config.multi_user and not config.secret_key_configured
    assert len(config.secret_key) >= 32


@pytest.mark.parametrize("pace", ["fast", "0", "-1", "11"])
def test_a_bad_timer_pace_is_named(monkeypatch: pytest.MonkeyPatch, pace: str) -> None:
    monkeypatch.setenv("PIRI_TIMER_PACE", pace)
    with pytest.raises(ConfigError, match="PIRI_TIMER_PACE"):
        server_config("127.0.0.1", 8000)


def test_the_default_config_is_single_person_on_loopback() -> None:
    config = WebConfig()
    assert not config.multi_user and config.host == "127.0.0.1"
    assert config.address == "http://127.0.0.1:8000/"
