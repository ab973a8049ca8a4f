"""Headers on every response, the host check, and CSRF protection for forms and uploads.

CSRF uses a double-submit token: a random value in an HTTP-only, SameSite=Strict cookie,
repeated in every form (hidden ``csrf_token`` field) and in htmx and fetch requests
(``X-CSRF-Token`` header, read from the page's ``<meta name="csrf-token">``). A request
that changes something must carry both, and they must match. On top of that a request whose
``Origin`` header names another site is refused.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from piri.web.identity import config_of

CSRF_COOKIE = "piri_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# No inline scripts anywhere; charts draw on canvas so no inline styles are needed either.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "media-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class CsrfError(Exception):
    """A change without a matching CSRF token, or from another site."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def csrf_token(request: Request) -> str:
    """This browser's token, created on its first visit (the middleware sets the cookie)."""
    token: str | None = getattr(request.state, "csrf_token", None)
    if token is None:
        token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
        request.state.csrf_token = token
    return token


async def require_csrf(request: Request) -> None:
    """Dependency for every router that changes things: pages and the API alike."""
    if request.method in SAFE_METHODS:
        return
    _check_origin(request)
    if request.headers.get("authorization", "").lower().startswith("bearer "):
        return  # an API token is not sent by browsers on their own
    content_type = request.headers.get("content-type", "")
    if request.url.path.startswith("/api/") and content_type.startswith("application/json"):
        return  # another site cannot send JSON here without a CORS preflight we never allow
    cookie = request.cookies.get(CSRF_COOKIE)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and content_type.startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    # Compared as bytes: compare_digest refuses str with non-ASCII characters (TypeError).
    if not cookie or not sent or not secrets.compare_digest(cookie.encode(), sent.encode()):
        raise CsrfError(
            "This form has expired or did not come from Piri. Reload the page and try again."
        )


def _check_origin(request: Request) -> None:
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host"):
        raise CsrfError(f"Changes from another site ({origin}) are refused.")


def install(app: FastAPI) -> None:
    app.add_middleware(Guard)


class Guard:
    """The host check, the security headers and the CSRF cookie, on every HTTP response: the
    host check's refusal and the answer to a request that failed with an unexpected error
    (Starlette's own 500 is sent outside every middleware) included.

    Plain ASGI rather than ``@app.middleware("http")``: Starlette's BaseHTTPMiddleware runs
    every response through an extra task and stream, which cost more than many pages' work.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        config = config_of(request)
        host = request.headers.get("host", "")
        refused = config.allowed_hosts is not None and host not in _with_ports(
            config.allowed_hosts, config.port
        )
        had_cookie = refused or CSRF_COOKIE in request.cookies
        static = request.url.path.startswith("/static/")
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                headers.update(HEADERS)
                if config.secure_cookies:
                    headers["Strict-Transport-Security"] = "max-age=31536000"
                if not static and "cache-control" not in headers:
                    headers["Cache-Control"] = "no-store"
                if not had_cookie:
                    headers.append("set-cookie", _csrf_cookie(request, config.secure_cookies))
            await send(message)

        if refused:
            refusal = PlainTextResponse(
                f"This Piri server only answers to {', '.join(config.allowed_hosts or ())}.",
                status_code=400,
            )
            await refusal(scope, receive, send_with_headers)
            return
        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            if started:
                raise
            await _server_error(request)(scope, receive, send_with_headers)
            raise  # for the server's log; Starlette sends nothing more once an answer started


SERVER_ERROR = (
    "Something went wrong on the server. Try again; if it keeps happening, tell whoever "
    "runs this Piri."
)


def _server_error(request: Request) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"code": "server_error", "message": SERVER_ERROR}, status_code=500)
    return PlainTextResponse(SERVER_ERROR, status_code=500)


def _csrf_cookie(request: Request, secure: bool) -> str:
    """The Set-Cookie value of this browser's CSRF token, as Starlette would write it."""
    carrier = Response()
    carrier.set_cookie(
        CSRF_COOKIE, csrf_token(request), httponly=True, samesite="strict", secure=secure
    )
    return carrier.headers["set-cookie"]


def _with_ports(hosts: tuple[str, ...], port: int) -> set[str]:
    return {name for host in hosts for name in (host, f"{host}:{port}")}
