"""Accounts over HTTP: sign-up, sign-in (rate-limited, never saying which part was wrong),
sign-out, the account page, API tokens, the session cookie, and single-person mode."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import inspect, text

from piri.services import accounts as account_service
from piri.services import diary as diary_service
from piri.store.database import transaction
from piri.web import accounts as web_accounts
from piri.web.app import create_app
from piri.web.config import ConfigError, WebConfig, server_config
from tests.web.accounts_fixtures import (
    PASSWORD,
    api_token,
    bearer,
    cheap_hashing,
    csrf_of,
    log_in,
    multi_user_app,
    multi_user_client,
    new_client,
    person_of,
    sign_up_and_login,
)
from tests.web.conftest import csrf

__all__ = ["cheap_hashing", "multi_user_app", "multi_user_client"]  # fixtures used by name


def signed_in_as(client: TestClient) -> str | None:
    """Who the app thinks ``client`` is, read from the account page."""
    response = client.get("/account")
    if response.status_code == 303:
        return None
    found = re.search(r"<dt>Username</dt><dd>([^<]+)</dd>", response.text)
    assert found, response.text
    return found.group(1)


def signup(client: TestClient, **fields: str) -> httpx.Response:
    data = {"csrf_token": csrf_of(client), **fields}
    return client.post("/signup", data=data)


def login(client: TestClient, **fields: str) -> httpx.Response:
    data = {"csrf_token": csrf_of(client), **fields}
    return client.post("/login", data=data)


# Single-person mode


@pytest.mark.parametrize("path", ["/login", "/signup", "/account"])
def test_single_person_mode_has_no_accounts_and_says_so(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert "<h1>No accounts here</h1>" in response.text
    assert 'href="/"' in response.text
    assert "<form" not in response.text.split("<main", 1)[1].split("</main>", 1)[0]


def test_single_person_mode_refuses_account_changes(client: TestClient) -> None:
    token = csrf(client)
    for path in ("/login", "/signup", "/account/tokens", "/account/password"):
        response = client.post(path, data={"csrf_token": token, "username": "ana"})
        assert response.status_code == 404, path
        assert "No accounts here" in response.text
    response = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/v1/tokens", None),
        ("GET", "/api/v1/account", None),
        ("POST", "/api/v1/tokens", {"name": "script"}),
        ("DELETE", "/api/v1/tokens/1", None),
        ("POST", "/api/v1/login", {"username": "ana", "password": PASSWORD}),
    ],
)
def test_single_person_mode_api_has_no_tokens(
    client: TestClient, method: str, path: str, body: dict[str, str] | None
) -> None:
    response = client.request(method, path, json=body, headers={"X-CSRF-Token": csrf(client)})
    assert response.status_code == 404
    assert response.json()["code"] == "no_accounts"
    assert "needs no token" in response.json()["message"]


# Signing up


def test_the_first_visit_sets_the_csrf_cookie_and_signing_up_signs_in(
    multi_user_app: FastAPI,
) -> None:
    with TestClient(multi_user_app, base_url="http://127.0.0.1:8000") as browser:
        page = browser.get("/signup")
        assert page.status_code == 200
        field = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert field and field.group(1) == browser.cookies.get("piri_csrf")
        response = browser.post(
            "/signup",
            data={
                "csrf_token": field.group(1),
                "username": "Ana",
                "password": PASSWORD,
                "password_again": PASSWORD,
            },
            follow_redirects=False,
        )
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert signed_in_as(browser) == "Ana"


def test_the_session_cookie_is_http_only_lax_and_signed(multi_user_client: TestClient) -> None:
    response = signup(multi_user_client, username="ana", password=PASSWORD, password_again=PASSWORD)
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("piri_session=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain HTTP on this computer
    assert "Max-Age=2592000" in cookie  # 30 days
    value = multi_user_client.cookies["piri_session"]
    token, signature = value.rsplit(".", 1)
    assert signature and len(token) >= 43
    multi_user_client.cookies.set("piri_session", f"{token}.{'A' * len(signature)}")
    assert signed_in_as(multi_user_client) is None  # a cookie we did not sign is nobody's


def test_on_https_the_session_cookie_is_secure(home: Path, cheap_hashing: None) -> None:
    app = create_app(WebConfig(multi_user=True, secure_cookies=True))
    with new_client(app) as browser:
        response = signup(browser, username="ana", password=PASSWORD, password_again=PASSWORD)
    assert "Secure" in response.headers["set-cookie"]


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"username": "ab"}, "username", "3 to 40"),
        ({"username": "ana maria"}, "username", "cannot contain a space"),
        ({"password": "short", "password_again": "short"}, "password", "at least 10"),
        ({"password": "ana.runner", "password_again": "ana.runner"}, "password", "same as"),
        ({"password_again": "something else"}, "password_again", "not the same"),
    ],
)
def test_a_wrong_sign_up_names_the_field_and_keeps_the_username(
    multi_user_client: TestClient, fields: dict[str, str], field: str, words: str
) -> None:
    values = {"username": "ana.runner", "password": PASSWORD, "password_again": PASSWORD}
    values.update(fields)
    response = signup(multi_user_client, **values)
    assert response.status_code == 422
    page = response.text
    error = re.search(rf'<p class="field-error" id="error-{field}">([^<]+)</p>', page)
    assert error and words in error.group(1)
    assert f'value="{values["username"]}"' in page
    assert values["password"] not in page.replace('value="' + values["username"], "")
    assert multi_user_client.cookies.get("piri_session") is None


def test_a_taken_username_is_refused_whatever_its_case(multi_user_app: FastAPI) -> None:
    sign_up_and_login(new_client(multi_user_app), "Ana")
    other = new_client(multi_user_app)
    response = signup(other, username="ANA", password=PASSWORD, password_again=PASSWORD)
    assert response.status_code == 422
    assert "The username &#39;ANA&#39; is taken" in response.text


def test_forms_without_the_csrf_token_are_refused(multi_user_client: TestClient) -> None:
    for path in ("/signup", "/login"):
        response = multi_user_client.post(
            path, data={"username": "ana", "password": PASSWORD, "password_again": PASSWORD}
        )
        assert response.status_code == 403
        assert "Reload the page" in response.text
    assert account_service.find_account("ana") is None


# Signing in and out


def test_signing_in_goes_back_to_the_page_that_asked(multi_user_app: FastAPI) -> None:
    sign_up_and_login(new_client(multi_user_app), "ana")
    browser = new_client(multi_user_app)
    asked = browser.get("/account")
    assert asked.status_code == 303 and asked.headers["location"] == "/login?next=/account"
    page = browser.get(asked.headers["location"])
    assert 'name="next" value="/account"' in page.text
    response = login(browser, username="ANA", password=PASSWORD, next="/account")
    assert response.status_code == 303
    assert response.headers["location"] == "/account"
    assert signed_in_as(browser) == "ana"
    again = browser.get("/login?next=/diary")
    assert again.status_code == 303 and again.headers["location"] == "/diary"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "evil.example",
        "/ok\r\nSet-Cookie: x=1",
        "/login",
        "",
    ],
)
def test_after_signing_in_only_a_path_on_this_site_is_followed(
    multi_user_app: FastAPI, target: str
) -> None:
    browser = new_client(multi_user_app)
    sign_up_and_login(browser, "ana")
    browser.post("/logout", data={"csrf_token": csrf_of(browser)})
    response = login(browser, username="ana", password=PASSWORD, next=target)
    assert response.headers["location"] == "/"
    assert web_accounts.safe_next("/progress?weeks=4#chart") == "/progress?weeks=4#chart"


def test_a_wrong_password_and_an_unknown_username_look_the_same(
    multi_user_app: FastAPI,
) -> None:
    sign_up_and_login(new_client(multi_user_app), "ana")
    pages = []
    for username, password in [("ana", "not the password"), ("nobody", PASSWORD)]:
        response = login(new_client(multi_user_app), username=username, password=password)
        assert response.status_code == 422
        page = response.text
        assert "Sign-in failed" in page and account_service.LOGIN_FAILED in page
        assert f'value="{username}"' in page and password not in page
        pages.append(page.replace(username, "NAME"))
    strip = re.compile(r'name="csrf_token" value="[^"]+"|<meta name="csrf-token" content="[^"]+">')
    assert strip.sub("", pages[0]) == strip.sub("", pages[1])


def test_empty_sign_in_fields_are_named(multi_user_client: TestClient) -> None:
    response = login(multi_user_client, username=" ", password="")
    assert response.status_code == 422
    assert "Enter your username." in response.text
    assert "Enter your password." in response.text


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def app_with_ana(attempts_per_minute: int) -> tuple[FastAPI, Clock]:
    """A multi-user app whose sign-in limit runs on a clock the test moves, with Ana signed
    up."""
    app = create_app(WebConfig(multi_user=True, login_attempts_per_minute=attempts_per_minute))
    clock = Clock()
    app.state.login_limiter = web_accounts.LoginLimiter(attempts_per_minute, clock=clock)
    sign_up_and_login(new_client(app), "ana")
    return app, clock


def test_failed_sign_ins_are_limited_per_username_then_allowed_again(
    home: Path, cheap_hashing: None
) -> None:
    app, clock = app_with_ana(attempts_per_minute=3)
    for attempt in range(3):  # from three addresses: the username's own limit
        response = login(new_client(app, f"10.0.0.{attempt}"), username="ana", password="wrong one")
        assert response.status_code == 422
    clock.now += 20
    limited = login(new_client(app, "10.0.0.9"), username="ANA", password=PASSWORD)
    assert limited.status_code == 429
    assert "Wait 40 seconds and try again" in limited.text
    assert limited.headers["retry-after"] == "40"
    assert 'value="ANA"' in limited.text
    other = login(new_client(app, "10.0.0.9"), username="someone", password="wrong one")
    assert other.status_code == 422  # another name is not limited
    clock.now += 40
    allowed = login(new_client(app, "10.0.0.9"), username="ana", password=PASSWORD)
    assert allowed.status_code == 303


def test_failed_sign_ins_are_limited_per_address_whatever_the_username(
    home: Path, cheap_hashing: None
) -> None:
    app = create_app(WebConfig(multi_user=True, login_attempts_per_minute=2))
    sign_up_and_login(new_client(app), "ana")
    guesser = new_client(app, "192.0.2.7")
    for name in ("ana", "ben"):
        assert login(guesser, username=name, password="guess one").status_code == 422
    response = login(guesser, username="carl", password="guess two")
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.text
    api = guesser.post("/api/v1/login", json={"username": "ana", "password": PASSWORD})
    assert api.status_code == 429 and api.json()["code"] == "too_many_attempts"
    assert 0 < api.json()["retry_after_seconds"] <= 60
    fine = login(new_client(app, "192.0.2.8"), username="ana", password=PASSWORD)
    assert fine.status_code == 303  # others still get in


def api_login(client: TestClient, username: str, password: str) -> httpx.Response:
    return client.post("/api/v1/login", json={"username": username, "password": password})


def test_failed_api_logins_are_limited_on_their_own_with_retry_after(
    home: Path, cheap_hashing: None
) -> None:
    app, clock = app_with_ana(attempts_per_minute=3)
    for attempt in range(3):  # scripts on three addresses: the username's own limit
        failed = api_login(new_client(app, f"10.0.1.{attempt}"), "ana", "wrong one")
        assert failed.status_code == 401
    clock.now += 15
    script = new_client(app, "10.0.1.9")
    limited = api_login(script, "Ana", PASSWORD)
    assert limited.status_code == 429 and limited.headers["retry-after"] == "45"
    assert limited.json() == {
        "code": "too_many_attempts",
        "message": web_accounts.wait_message(45),
        "retry_after_seconds": 45,
    }
    assert login(script, username="ana", password=PASSWORD).status_code == 429  # one count
    clock.now += 45
    assert api_login(script, "ana", PASSWORD).status_code == 201
    guesser = new_client(app, "192.0.2.7")
    for name in ("bob", "cat", "dee"):  # one address, whatever the username
        assert api_login(guesser, name, "guess one").status_code == 401
    assert api_login(guesser, "ana", PASSWORD).status_code == 429
    assert login(guesser, username="ana", password=PASSWORD).status_code == 429


def test_signing_out_ends_the_session_for_good(multi_user_client: TestClient) -> None:
    sign_up_and_login(multi_user_client, "ana")
    cookie = multi_user_client.cookies["piri_session"]
    response = multi_user_client.post("/logout", data={"csrf_token": csrf_of(multi_user_client)})
    assert response.status_code == 303
    assert response.headers["location"] == "/login?signed_out=1"
    assert (
        'piri_session=""' in response.headers["set-cookie"]
        or "Max-Age=0" in response.headers["set-cookie"]
    )
    assert "You are signed out." in multi_user_client.get("/login?signed_out=1").text
    multi_user_client.cookies.set("piri_session", cookie)  # an old copy of the cookie
    assert signed_in_as(multi_user_client) is None


def test_an_expired_session_is_nobody(multi_user_app: FastAPI) -> None:
    browser = new_client(multi_user_app)
    sign_up_and_login(browser, "ana")
    account = account_service.find_account("ana")
    assert account is not None
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=31)
    old = account_service.open_session(account, now=long_ago)
    browser.cookies.set("piri_session", web_accounts.cookie_value(old, multi_user_app.state.config))
    assert signed_in_as(browser) is None


def test_a_cookie_signed_with_another_servers_key_is_refused(multi_user_app: FastAPI) -> None:
    browser = new_client(multi_user_app)
    sign_up_and_login(browser, "ana")
    restarted = create_app(WebConfig(multi_user=True))  # a new random key, as after a restart
    other = new_client(restarted)
    other.cookies.set("piri_session", browser.cookies["piri_session"])
    assert signed_in_as(other) is None
    assert signed_in_as(browser) == "ana"


# Sessions end to end: expiry, sign-out everywhere, a password change, secrets kept hashed


def api_account(client: TestClient) -> int:
    """The status of GET /api/v1/account with ``client``'s session cookie."""
    return client.get("/api/v1/account").status_code


def test_a_session_lasts_thirty_days_from_its_last_use_on_pages_and_the_api(
    multi_user_app: FastAPI,
) -> None:
    browser = new_client(multi_user_app)
    sign_up_and_login(browser, "ana")
    account = account_service.find_account("ana")
    assert account is not None
    config = multi_user_app.state.config
    now = dt.datetime.now(dt.UTC)
    for days_ago, alive in ((29, True), (31, False)):
        old = account_service.open_session(account, now=now - dt.timedelta(days=days_ago))
        browser.cookies.set("piri_session", web_accounts.cookie_value(old, config))
        assert (signed_in_as(browser) == "ana") is alive, days_ago
        assert api_account(browser) == (200 if alive else 401), days_ago
        if alive:  # used now: it lasts another thirty days from today
            later = now + dt.timedelta(days=29)
            assert account_service.session_account(old, now=later) is not None
    assert account_service.session_account(old) is None  # the expired one is gone
    signed_in = login(new_client(multi_user_app), username="ana", password=PASSWORD)
    assert "Max-Age=2592000" in signed_in.headers["set-cookie"]  # the browser's copy: 30 days


def test_signing_out_everywhere_ends_the_api_sessions_too_but_not_the_tokens(
    multi_user_app: FastAPI,
) -> None:
    phone, laptop = new_client(multi_user_app), new_client(multi_user_app)
    sign_up_and_login(phone, "ana")
    log_in(laptop, "ana")
    token = api_token(laptop, "script")
    assert api_account(laptop) == 200
    phone.post("/account/sign-out-everywhere", data={"csrf_token": csrf_of(phone)})
    assert api_account(laptop) == 401 and api_account(phone) == 401
    assert account_service.active_sessions(person_of("ana")) == 0
    # API tokens are revoked one by one on the account page, as after a password change.
    assert phone.get("/api/v1/account", headers=bearer(token)).status_code == 200


def test_a_password_change_ends_the_other_sessions_on_the_api_too(
    multi_user_app: FastAPI,
) -> None:
    phone, laptop, tablet = (new_client(multi_user_app) for _ in range(3))
    sign_up_and_login(phone, "ana")
    log_in(laptop, "ana")
    log_in(tablet, "ana")
    assert change(phone, PASSWORD, "a new long password").status_code == 303
    assert api_account(phone) == 200
    assert api_account(laptop) == 401 and api_account(tablet) == 401
    assert account_service.active_sessions(person_of("ana")) == 1


def everything_stored() -> str:
    """Every row of every table of the database, as text."""
    with transaction(diary_service.store()) as session:
        tables = inspect(session.get_bind()).get_table_names()
        rows = [
            repr(tuple(row))
            for table in tables
            for row in session.execute(text(f'SELECT * FROM "{table}"'))
        ]
    return "\n".join(rows)


def test_every_secret_the_web_hands_out_is_stored_only_hashed(multi_user_app: FastAPI) -> None:
    """Session cookies, API tokens (from the page, the API and a script's login), the calendar
    feed's address and a care invitation's code: the database holds none of them, and holds
    the SHA-256 of the session and API tokens and of the feed's token."""
    browser = new_client(multi_user_app)
    sign_up_and_login(browser, "ana")
    session_token = web_accounts.token_from_cookie(
        browser.cookies["piri_session"], multi_user_app.state.config
    )
    assert session_token
    page = browser.post(
        "/account/tokens", data={"name": "from the page", "csrf_token": csrf_of(browser)}
    )
    found = re.search(r'id="new-token-value"[^>]*value="(piri_[^"]+)"', page.text)
    assert found
    from_api = api_token(browser, "from the api")
    script = TestClient(multi_user_app, base_url="http://127.0.0.1:8000")
    logged_in = script.post("/api/v1/login", json={"username": "ana", "password": PASSWORD})
    assert logged_in.status_code == 201
    headers = {"X-CSRF-Token": csrf_of(browser)}
    browser.put("/api/v1/profile", json={"days_per_week": 3}, headers=headers)
    feed = browser.post("/api/v1/calendar/feed", headers=headers)
    assert feed.status_code == 201, feed.text
    invitation = browser.post(
        "/api/v1/care/invitations", json={"made_as": "runner"}, headers=headers
    )
    assert invitation.status_code == 201, invitation.text
    code = invitation.json()["code"]
    hashed = [session_token, found.group(1), from_api, logged_in.json()["token"]]
    hashed.append(feed.json()["token"])
    stored = everything_stored()
    for secret in (*hashed, code, code.replace("-", ""), PASSWORD):
        assert secret not in stored, f"{secret[:12]}... is in the database as it is"
    for secret in hashed:
        assert hashlib.sha256(secret.encode()).hexdigest() in stored


# The account page


def test_the_account_page_shows_the_account_and_the_sign_out_button(
    multi_user_client: TestClient,
) -> None:
    sign_up_and_login(multi_user_client, "ana")
    page = multi_user_client.get("/account").text
    assert "<h1>Your account</h1>" in page
    assert "Sign out (ana)" in page
    assert "on 1 device" in page
    assert "You have no API tokens." in page
    assert page.count('name="csrf_token"') >= 4  # every form


def test_a_token_made_on_the_account_page_is_shown_once_and_works(
    multi_user_client: TestClient,
) -> None:
    sign_up_and_login(multi_user_client, "ana")
    response = multi_user_client.post(
        "/account/tokens", data={"name": "garmin sync", "csrf_token": csrf_of(multi_user_client)}
    )
    assert response.status_code == 201
    found = re.search(r'id="new-token-value"[^>]*value="(piri_[^"]+)"', response.text)
    assert found and "shown only this once" in response.text
    token = found.group(1)
    later = multi_user_client.get("/account").text
    assert token not in later and "garmin sync" in later
    assert (
        multi_user_client.get("/api/v1/account", headers=bearer(token)).json()["username"] == "ana"
    )


def test_a_token_without_a_name_is_refused_on_the_page(multi_user_client: TestClient) -> None:
    sign_up_and_login(multi_user_client, "ana")
    response = multi_user_client.post(
        "/account/tokens", data={"name": "   ", "csrf_token": csrf_of(multi_user_client)}
    )
    assert response.status_code == 422
    assert 'id="error-name"' in response.text and "Give the token a name" in response.text
    long = "x" * 61
    response = multi_user_client.post(
        "/account/tokens", data={"name": long, "csrf_token": csrf_of(multi_user_client)}
    )
    assert response.status_code == 422 and f'value="{long}"' in response.text


def test_revoking_a_token_on_the_page_stops_it_and_only_the_owner_can(
    multi_user_app: FastAPI,
) -> None:
    ana, ben = new_client(multi_user_app), new_client(multi_user_app)
    sign_up_and_login(ana, "ana")
    sign_up_and_login(ben, "ben")
    token = api_token(ana, "script")
    token_id = ana.get("/api/v1/tokens", headers=bearer(token)).json()["tokens"][0]["id"]
    refused = ben.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf_of(ben)})
    assert refused.status_code == 404
    assert ana.get("/api/v1/tokens", headers=bearer(token)).status_code == 200
    done = ana.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf_of(ana)})
    assert done.status_code == 303 and done.headers["location"] == "/account?done=revoked"
    assert "The token is revoked" in ana.get("/account?done=revoked").text
    assert ana.get("/api/v1/tokens", headers=bearer(token)).status_code == 401
    assert "revoked " in ana.get("/account").text


def change(client: TestClient, current: str, new: str, again: str | None = None) -> httpx.Response:
    return client.post(
        "/account/password",
        data={
            "current_password": current,
            "new_password": new,
            "new_password_again": new if again is None else again,
            "csrf_token": csrf_of(client),
        },
    )


@pytest.mark.parametrize(
    ("current", "new", "again", "field", "words"),
    [
        ("wrong password", "a new long password", None, "current_password", "not right"),
        ("", "a new long password", None, "current_password", "Enter your current"),
        (PASSWORD, "short", None, "new_password", "at least 10"),
        (PASSWORD, "a new long password", "another one", "new_password_again", "not the same"),
        (PASSWORD, PASSWORD, None, "new_password", "same as the current"),
    ],
)
def test_a_wrong_password_change_names_the_field(
    multi_user_client: TestClient,
    current: str,
    new: str,
    again: str | None,
    field: str,
    words: str,
) -> None:
    sign_up_and_login(multi_user_client, "ana")
    response = change(multi_user_client, current, new, again)
    assert response.status_code == 422
    error = re.search(rf'id="error-{field}">([^<]+)<', response.text)
    assert error and words in error.group(1)


def test_changing_the_password_signs_out_the_other_devices_only(
    multi_user_app: FastAPI,
) -> None:
    phone, laptop = new_client(multi_user_app), new_client(multi_user_app)
    sign_up_and_login(phone, "ana")
    log_in(laptop, "ana")
    response = change(phone, PASSWORD, "a new long password")
    assert response.status_code == 303
    assert response.headers["location"] == "/account?done=password"
    assert "Your password is changed" in phone.get("/account?done=password").text
    assert signed_in_as(phone) == "ana" and signed_in_as(laptop) is None
    assert login(laptop, username="ana", password=PASSWORD).status_code == 422
    log_in(laptop, "ana", "a new long password")


def test_signing_out_everywhere_ends_every_session(multi_user_app: FastAPI) -> None:
    phone, laptop, ben = (new_client(multi_user_app) for _ in range(3))
    sign_up_and_login(phone, "ana")
    log_in(laptop, "ana")
    sign_up_and_login(ben, "ben")
    response = phone.post("/account/sign-out-everywhere", data={"csrf_token": csrf_of(phone)})
    assert response.status_code == 303
    assert response.headers["location"] == "/login?signed_out=everywhere"
    assert "signed out on every device" in phone.get("/login?signed_out=everywhere").text
    phone.cookies.delete("piri_session")
    assert signed_in_as(phone) is None and signed_in_as(laptop) is None
    assert signed_in_as(ben) == "ben"


# The API


def test_tokens_through_the_api_with_the_session_cookie_and_the_csrf_header(
    multi_user_client: TestClient,
) -> None:
    sign_up_and_login(multi_user_client, "ana")
    response = multi_user_client.post(
        "/api/v1/tokens",
        data={"name": "form"},
        headers={"X-CSRF-Token": "wrong"},
    )
    assert response.status_code == 403 and response.json()["code"] == "csrf_failed"
    created = multi_user_client.post(
        "/api/v1/tokens",
        json={"name": "laptop script"},
        headers={"X-CSRF-Token": csrf_of(multi_user_client)},
    )
    assert created.status_code == 201
    body = created.json()
    assert set(body) == {"token", "id", "name", "created_at", "last_used", "revoked_at", "active"}
    assert body["name"] == "laptop script" and body["active"] and body["token"].startswith("piri_")
    listed = multi_user_client.get("/api/v1/tokens", headers=bearer(body["token"])).json()
    assert [t["name"] for t in listed["tokens"]] == ["laptop script"]
    assert "token" not in listed["tokens"][0]
    assert listed["tokens"][0]["last_used"] is not None


def test_api_token_validation_names_the_field(multi_user_client: TestClient) -> None:
    sign_up_and_login(multi_user_client, "ana")
    token = api_token(multi_user_client)
    for body, words in [({}, "name"), ({"name": 5}, "name"), ({"name": "  "}, "Give the token")]:
        response = multi_user_client.post("/api/v1/tokens", json=body, headers=bearer(token))
        assert response.status_code == 422
        answer = response.json()
        assert answer["code"] == "invalid_input"
        assert words in answer["message"]
        assert answer["problems"][0]["field"] == "name"


def test_revoking_through_the_api(multi_user_app: FastAPI) -> None:
    ana, ben = new_client(multi_user_app), new_client(multi_user_app)
    sign_up_and_login(ana, "ana")
    sign_up_and_login(ben, "ben")
    first, second = api_token(ana, "one"), api_token(ana, "two")
    bens = api_token(ben, "bens")
    first_id = ana.get("/api/v1/tokens", headers=bearer(first)).json()["tokens"][0]["id"]
    refused = ben.delete(f"/api/v1/tokens/{first_id}", headers=bearer(bens))
    assert refused.status_code == 404 and refused.json()["code"] == "not_found"
    assert str(first_id) not in refused.json()["available"]
    response = ana.delete(f"/api/v1/tokens/{first_id}", headers=bearer(second))
    assert response.status_code == 200
    assert response.json()["active"] is False and response.json()["revoked_at"]
    gone = ana.get("/api/v1/tokens", headers=bearer(first))
    assert gone.status_code == 401 and gone.json()["code"] == "not_signed_in"
    assert ana.get("/api/v1/tokens", headers=bearer(second)).status_code == 200
    assert (
        ana.delete("/api/v1/tokens/abc", headers=bearer(second)).json()["code"] == "invalid_input"
    )


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer piri_made-up"},
        {"Authorization": "Bearer "},
        {"Authorization": "Basic YWJj"},
    ],
)
def test_the_api_without_a_valid_token_answers_401(
    multi_user_client: TestClient, headers: dict[str, str]
) -> None:
    for method, path in [
        ("GET", "/api/v1/tokens"),
        ("GET", "/api/v1/account"),
        ("DELETE", "/api/v1/tokens/1"),
    ]:
        sent = {**headers, "X-CSRF-Token": csrf_of(multi_user_client)}
        response = multi_user_client.request(method, path, headers=sent)
        assert response.status_code == 401, (method, path)
        assert response.json()["code"] == "not_signed_in"
        assert "Bearer" in response.json()["message"]
    response = multi_user_client.post("/api/v1/tokens", json={"name": "x"}, headers=headers)
    assert response.status_code == 401


def test_a_script_logs_in_for_a_token(multi_user_app: FastAPI) -> None:
    sign_up_and_login(new_client(multi_user_app), "ana")
    script = TestClient(multi_user_app, base_url="http://127.0.0.1:8000")
    response = script.post(
        "/api/v1/login", json={"username": "Ana", "password": PASSWORD, "token_name": "cron"}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["username"] == "ana" and body["name"] == "cron"
    account = script.get("/api/v1/account", headers=bearer(body["token"])).json()
    assert account == {
        "username": "ana",
        "created_at": account["created_at"],
        "signed_in_devices": 1,
        "api_tokens": 1,
    }
    for credentials in (
        {"username": "ana", "password": "wrong password"},
        {"username": "bob", "password": PASSWORD},
    ):
        failed = script.post("/api/v1/login", json=credentials)
        assert failed.status_code == 401
        assert failed.json() == {"code": "login_failed", "message": account_service.LOGIN_FAILED}
    missing = script.post("/api/v1/login", json={"username": "ana"})
    assert missing.status_code == 422 and missing.json()["problems"][0]["field"] == "password"


# piri serve --multi-user


def test_multi_user_mode_off_this_computer_needs_a_secret_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PIRI_SECRET_KEY", raising=False)
    monkeypatch.delenv("PIRI_MULTI_USER", raising=False)
    with pytest.raises(ConfigError, match="PIRI_SECRET_KEY"):
        server_config("0.0.0.0", 8000, multi_user=True)
    monkeypatch.setenv("PIRI_SECRET_KEY", "too short")
    with pytest.raises(ConfigError, match="too short"):
        server_config("0.0.0.0", 8000, multi_user=True)
    key = "k" * 40
    monkeypatch.setenv("PIRI_SECRET_KEY", key)
    shared = server_config("0.0.0.0", 8000, multi_user=True)
    assert shared.multi_user and shared.secret_key == key and shared.secret_key_configured
    assert shared.secure_cookies  # sessions only over HTTPS off this computer
    monkeypatch.delenv("PIRI_SECRET_KEY")
    monkeypatch.setenv("PIRI_MULTI_USER", "1")
    local = server_config("127.0.0.1", 8000)
    assert local.multi_user and not local.secret_key_configured and len(local.secret_key) >= 32
    assert not local.secure_cookies


def test_a_configured_key_keeps_sessions_across_a_restart(
    home: Path, cheap_hashing: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PIRI_SECRET_KEY", "s" * 40)
    browser = new_client(create_app(server_config("127.0.0.1", 8000, multi_user=True)))
    sign_up_and_login(browser, "ana")
    restarted = new_client(create_app(server_config("127.0.0.1", 8000, multi_user=True)))
    restarted.cookies.set("piri_session", browser.cookies["piri_session"])
    assert signed_in_as(restarted) == "ana"
