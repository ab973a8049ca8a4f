"""Multi-user mode: who a session cookie or an API token belongs to, and the login guards.

The session cookie holds a random token and its HMAC under the server's secret key: a
cookie made up elsewhere (or before a restart with a random key) is refused before the
database is asked, and the database keeps only the token's SHA-256.

Login rate limiting is kept in this process's memory (a :class:`piri.web.limits.SlidingWindow`,
as the upload limit is): it is exact for one ``piri serve`` process (how Piri runs) and starts
afresh when the server restarts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from fastapi import Request, Response

from piri.services import accounts as account_service
from piri.web.config import WebConfig
from piri.web.identity import SESSION_COOKIE, config_of
from piri.web.limits import SlidingWindow
from piri.web.limits import client_address as client_address  # the login guards' key

WINDOW_SECONDS = 60.0


@dataclass(frozen=True)
class SignedIn:
    person: str
    display_name: str
    is_clinician: bool = False


def session_days(config: WebConfig) -> int:
    """How long an unused session lasts (``WebConfig.session_days`` once the config has it)."""
    days = getattr(config, "session_days", account_service.SESSION_DAYS)
    return int(days)


def _signature(token: str, config: WebConfig) -> str:
    digest = hmac.new(
        config.secret_key.encode("utf-8"), f"session:{token}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def cookie_value(token: str, config: WebConfig) -> str:
    return f"{token}.{_signature(token, config)}"


def token_from_cookie(cookie: str, config: WebConfig) -> str | None:
    """The session token inside a cookie we signed; None for anything else."""
    token, dot, signature = cookie.rpartition(".")
    if not dot or not token or len(cookie) > 200:
        return None
    # As bytes: compare_digest refuses str with non-ASCII characters (a made-up cookie's).
    if not hmac.compare_digest(signature.encode(), _signature(token, config).encode()):
        return None
    return token


def person_for_session(cookie: str, config: WebConfig) -> SignedIn | None:
    """The account behind a session cookie; None when it is unknown, expired or forged."""
    token = token_from_cookie(cookie, config)
    if token is None:
        return None
    found = account_service.session_account(token, session_days(config))
    return SignedIn(found.person, found.username, found.is_clinician) if found else None


def person_for_api_token(token: str) -> SignedIn | None:
    """The account behind an API token; None when the token is unknown or revoked."""
    if not token or len(token) > 200:
        return None
    found = account_service.token_account(token)
    return SignedIn(found.person, found.username, found.is_clinician) if found else None


def set_session_cookie(response: Response, token: str, config: WebConfig) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        cookie_value(token, config),
        max_age=session_days(config) * 24 * 3600,
        httponly=True,
        samesite="lax",
        secure=config.secure_cookies,
        path="/",
    )


def clear_session_cookie(response: Response, config: WebConfig) -> None:
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=config.secure_cookies
    )


def session_token(request: Request) -> str | None:
    """This browser's session token, when its cookie is one we signed."""
    cookie = request.cookies.get(SESSION_COOKIE)
    return token_from_cookie(cookie, config_of(request)) if cookie else None


def safe_next(value: str | None) -> str:
    """Where to go after signing in: a path on this site, never another site."""
    if not value or len(value) > 2000:
        return "/"
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    if any(ord(c) < 0x21 or ord(c) == 0x7F for c in value):
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return "/"
    if parts.path in ("/login", "/signup", "/logout"):
        return "/"
    return value


@dataclass
class LoginLimiter:
    """At most ``per_minute`` failed logins per username and per client address a minute."""

    per_minute: int
    clock: Callable[[], float] = time.monotonic
    _failures: SlidingWindow = field(init=False)

    def __post_init__(self) -> None:
        self._failures = SlidingWindow(self.per_minute, WINDOW_SECONDS, self.clock)

    @staticmethod
    def _keys(username: str, address: str) -> tuple[str, str]:
        return f"user:{username.strip().lower()}", f"address:{address}"

    def wait_seconds(self, username: str, address: str) -> int:
        """0 when a login may be tried now, else how many seconds until it may."""
        return self._failures.wait_seconds(*self._keys(username, address))

    def failed(self, username: str, address: str) -> None:
        self._failures.add(*self._keys(username, address))

    def succeeded(self, username: str) -> None:
        self._failures.forget(self._keys(username, "")[0])


def limiter(request: Request) -> LoginLimiter:
    """The app's login limiter, made on first use."""
    state = request.app.state
    with _LIMITER_LOCK:
        found: LoginLimiter | None = getattr(state, "login_limiter", None)
        if found is None:
            found = LoginLimiter(max(1, config_of(request).login_attempts_per_minute))
            state.login_limiter = found
    return found


_LIMITER_LOCK = threading.Lock()


def wait_message(seconds: int) -> str:
    unit = "second" if seconds == 1 else "seconds"
    return (
        f"Too many failed sign-in attempts. Wait {seconds} {unit} and try again "
        f"(at most a few tries a minute, to keep passwords from being guessed)."
    )
