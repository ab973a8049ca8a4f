"""How much a request may send, and how often one person may upload.

Every request body is counted as it arrives (:class:`BodyLimit`), whether or not it announced
its length: one that announces more than its limit is refused before anything reads it, one
sent without a length (chunked) is stopped as soon as it passes the limit, so the server never
holds more than the limit of it. The limit of an ordinary request (a form, JSON) is
``WebConfig.max_body_bytes``; an upload route (:func:`upload_route`: the runs import, restoring
an export) sets its own, larger one.

Uploads are also limited in number: at most ``WebConfig.uploads_per_window`` in
``WebConfig.upload_window_minutes`` for each signed-in person, or for each client address when
nobody is signed in (single-person mode, a visitor). Over it the answer is 429 with
``Retry-After``, before the body is read. The count is kept in this process's memory, like the
login limiter's (:mod:`piri.web.accounts`), with the same :class:`SlidingWindow`.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import PlainTextResponse
from fastapi.routing import APIRoute
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from piri.web.config import WebConfig
from piri.web.identity import config_of, viewer

# Where an upload route puts its own body limit for BodyLimit to count against.
BODY_LIMIT_KEY = "piri.body_limit"
# A restored export: everything a person ever stored, as JSON (pages/settings.py reads it whole).
MAX_EXPORT_BYTES = 200 * 1024 * 1024
# What a multipart form adds around the file it carries (boundaries, part headers, the token).
FORM_OVERHEAD_BYTES = 64 * 1024


def size_text(count: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count:.1f} GB"  # pragma: no cover


# --- Sliding windows --------------------------------------------------------------------------


@dataclass
class SlidingWindow:
    """At most ``allowed`` events per key in any ``seconds`` long stretch of time."""

    allowed: int
    seconds: float
    clock: Callable[[], float] = time.monotonic
    _events: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._events.get(key)
        if times is None:
            return deque()
        while times and now - times[0] >= self.seconds:
            times.popleft()
        if not times:
            del self._events[key]
        return times

    def _wait(self, keys: tuple[str, ...], now: float) -> int:
        wait = 0.0
        for key in keys:
            times = self._recent(key, now)
            if len(times) >= self.allowed:
                wait = max(wait, times[-self.allowed] + self.seconds - now)
        return math.ceil(wait) if wait > 0 else 0

    def _add(self, keys: tuple[str, ...], now: float) -> None:
        if len(self._events) > 10_000:  # forget stale keys now and then
            for key in list(self._events):
                self._recent(key, now)
        for key in keys:
            self._events.setdefault(key, deque(maxlen=max(self.allowed, 1))).append(now)

    def wait_seconds(self, *keys: str) -> int:
        """0 when another event is allowed now for every key, else how many seconds until."""
        with self._lock:
            return self._wait(keys, self.clock())

    def add(self, *keys: str) -> None:
        """Count one event for each key."""
        with self._lock:
            self._add(keys, self.clock())

    def take(self, *keys: str) -> int:
        """Count one event when it is allowed (0), else how many seconds until it would be."""
        with self._lock:
            now = self.clock()
            wait = self._wait(keys, now)
            if not wait:
                self._add(keys, now)
            return wait

    def forget(self, key: str) -> None:
        with self._lock:
            self._events.pop(key, None)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def wait_text(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} second{'' if seconds == 1 else 's'}"
    return f"{math.ceil(seconds / 60)} minutes"


# --- Upload rate ------------------------------------------------------------------------------


_WINDOW_LOCK = threading.Lock()


def upload_window(request: Request) -> SlidingWindow:
    """The app's count of uploads, made on first use."""
    state = request.app.state
    with _WINDOW_LOCK:
        found: SlidingWindow | None = getattr(state, "upload_window", None)
        if found is None:
            config = config_of(request)
            found = SlidingWindow(
                max(1, config.uploads_per_window), 60.0 * max(1, config.upload_window_minutes)
            )
            state.upload_window = found
    return found


def uploader(request: Request) -> str:
    """Whose uploads this one counts with: the signed-in person's, else the address's."""
    person = viewer(request).person
    if config_of(request).multi_user and person is not None:
        return f"person:{person}"
    return f"address:{client_address(request)}"


def too_many_uploads_message(config: WebConfig, wait: int) -> str:
    return (
        f"Too many uploads: this server takes at most {config.uploads_per_window} in "
        f"{config.upload_window_minutes} minutes from one person. Wait {wait_text(wait)} and "
        "try again (a whole export in one ZIP counts once)."
    )


# --- Body size --------------------------------------------------------------------------------


class BodyTooLargeError(HTTPException):
    """A request body larger than its limit (raised while it is read, before it is kept)."""

    def __init__(self, limit: int, size: int | None) -> None:
        said = f" ({size_text(size)})" if size is not None else ""
        super().__init__(
            413,
            f"The request{said} is larger than this server's limit of {size_text(limit)} for it.",
        )
        self.limit = limit
        self.size = size


def declared_length(scope: Scope) -> int | None:
    """The body's announced length; None without one (or with one that is not a number)."""
    text = Headers(scope=scope).get("content-length", "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 20 else None


def body_limit(scope: Scope) -> int:
    own = scope.get(BODY_LIMIT_KEY)
    if isinstance(own, int):
        return own
    config: WebConfig = scope["app"].state.config
    return config.max_body_bytes


class BodyLimit:
    """Counts every request body against its limit as it arrives (see the module's text)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        received = 0
        first = True
        started = False

        async def counted() -> Message:
            nonlocal received, first
            limit = body_limit(scope)
            if first:
                first = False
                declared = declared_length(scope)
                if declared is not None and declared > limit:
                    raise BodyTooLargeError(limit, declared)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLargeError(limit, None)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLargeError as refused:  # when no handler answered it
            if started:
                raise
            await PlainTextResponse(str(refused.detail), status_code=413)(scope, receive, send)


def install(app: FastAPI) -> None:
    """The body limit (inside the security guard, so that its 413 has the headers)."""
    from piri.web.errors import error
    from piri.web.templating import error_page

    @app.exception_handler(BodyTooLargeError)
    async def too_large(request: Request, exc: BodyTooLargeError) -> Response:
        if request.url.path.startswith("/api/"):
            return error(413, "body_too_large", str(exc.detail), field="(body)")
        return error_page(
            request,
            413,
            "Too much at once",
            f"{exc.detail} Go back and send less.",
        )

    app.add_middleware(BodyLimit)


# --- Upload routes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    """Why an upload was not read: too large (413) or too many (429, ``retry_after``)."""

    status: int
    code: str
    message: str
    retry_after: int | None = None

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)} if self.retry_after else {}


RefusalAnswer = Callable[[Request, Refusal], Awaitable[Response]]


def upload_route(
    answer: RefusalAnswer,
    limit_of: Callable[[Request], int],
    too_large: Callable[[int, int | None], str],
) -> type[APIRoute]:
    """A route class for an upload: its own body limit (``limit_of``) instead of the ordinary
    one, and the upload rate; both checked before the CSRF check or anything else reads the
    body. ``answer`` says why an upload was refused (a JSON error, or the form again), with
    ``too_large(limit, size)`` as the message of a body over the limit."""

    class UploadRoute(APIRoute):
        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handler = super().get_route_handler()

            async def limited(request: Request) -> Response:
                wait = upload_window(request).take(uploader(request))
                if wait:
                    message = too_many_uploads_message(config_of(request), wait)
                    return await answer(request, Refusal(429, "too_many_uploads", message, wait))
                limit = limit_of(request)
                request.scope[BODY_LIMIT_KEY] = limit
                declared = declared_length(request.scope)
                if declared is not None and declared > limit:
                    message = too_large(limit, declared)
                    return await answer(request, Refusal(413, "upload_too_large", message))
                try:
                    return await handler(request)
                except BodyTooLargeError as refused:
                    message = too_large(limit, refused.size)
                    return await answer(request, Refusal(413, "upload_too_large", message))

            return limited

    return UploadRoute


def export_limit(_request: Request) -> int:
    return MAX_EXPORT_BYTES + FORM_OVERHEAD_BYTES


def export_too_large(field_name: str) -> Callable[[int, int | None], str]:
    def message(limit: int, size: int | None) -> str:
        said = f" ({size_text(size)})" if size is not None else ""
        return (
            f"{field_name}: the export{said} is larger than this server's limit of "
            f"{size_text(MAX_EXPORT_BYTES)} for one."
        )

    return message
