"""How much a request may send and how often a person may upload, on every route that reads a
body: the runs import (page and API), restoring an export (page and API), and every ordinary
form and JSON route.

Bodies are sent two ways: announced (``Content-Length`` over the limit: refused before a byte
is read) and endless, without a length (chunked): the app is driven over ASGI with a body that
never ends, and must answer 413 having pulled no more than the limit and one chunk, which is
what "never reads unbounded data into memory" means here.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from piri.services.imports import stored_activities
from piri.web import limits
from piri.web.app import create_app
from piri.web.config import ConfigError, WebConfig, for_workers, server_config, worker_config
from piri.web.limits import SlidingWindow
from tests.web.accounts_fixtures import BASE_URL, cheap_hashing, csrf_of, new_client
from tests.web.accounts_fixtures import sign_up_and_login as sign_up
from tests.web.test_isolation import a_gpx_run

__all__ = ["cheap_hashing"]  # a fixture used by name

CHUNK = 4096
UPLOAD_LIMIT = 20_000  # runs (WebConfig.max_upload_bytes)
EXPORT_LIMIT = 30_000  # an export restored (limits.MAX_EXPORT_BYTES, patched)
BODY_LIMIT = 8_000  # everything else (WebConfig.max_body_bytes)
TOKEN = "walk-token"


@dataclass(frozen=True)
class Reader:
    """One route that reads a body, with how to send it one and what its limit is."""

    method: str
    path: str
    kind: str  # "multipart" (field ``field``), "json" or "form"
    limit: int
    field: str = "files"

    def head(self) -> bytes:
        """The start of a body of this kind; the rest is padding."""
        if self.kind == "multipart":
            return (
                b"--edge\r\nContent-Disposition: form-data; "
                + f'name="{self.field}"; filename="big.gpx"\r\n'.encode()
                + b"Content-Type: application/octet-stream\r\n\r\n"
            )
        if self.kind == "json":
            return b'{"notes": "'
        return b"notes="

    def content_type(self) -> str:
        return {
            "multipart": "multipart/form-data; boundary=edge",
            "json": "application/json",
            "form": "application/x-www-form-urlencoded",
        }[self.kind]


YESTERDAY = (dt.date.today() - dt.timedelta(days=1)).isoformat()
UPLOADS = [
    Reader("POST", "/runs/import", "multipart", UPLOAD_LIMIT),
    Reader("POST", "/api/v1/runs/import", "multipart", UPLOAD_LIMIT),
    Reader("POST", "/settings/import", "multipart", EXPORT_LIMIT, field="file"),
    Reader("POST", "/api/v1/import", "json", EXPORT_LIMIT),
]
ORDINARY = [
    Reader("POST", "/diary", "form", BODY_LIMIT),
    Reader("POST", "/diary", "multipart", BODY_LIMIT, field="notes"),
    Reader("PUT", f"/api/v1/diary/{YESTERDAY}", "json", BODY_LIMIT),
    Reader("POST", "/api/v1/check", "json", BODY_LIMIT),
    Reader("POST", "/profile", "form", BODY_LIMIT),
    Reader("DELETE", "/api/v1/data", "json", BODY_LIMIT),
]


@pytest.fixture
def app(home: Path, monkeypatch: pytest.MonkeyPatch) -> FastAPI:
    monkeypatch.setattr(limits, "MAX_EXPORT_BYTES", EXPORT_LIMIT - limits.FORM_OVERHEAD_BYTES)
    config = WebConfig(max_upload_bytes=UPLOAD_LIMIT, max_body_bytes=BODY_LIMIT)
    return create_app(config)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    pulled: int  # bytes of the body the app asked for

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def drive(app: FastAPI, reader: Reader, declared: int | None = None) -> Answer:
    """Send ``reader`` a body that never ends (or announce ``declared`` bytes of it) straight
    over ASGI, as a server would pass it on, and count what the app reads of it."""
    head = reader.head()
    pulled = 0
    answer: dict[str, Any] = {"body": b""}

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        if pulled > 20 * reader.limit:  # the app reads on: the test fails below
            return {"type": "http.disconnect"}
        chunk = head if pulled == 0 else b"x" * CHUNK
        pulled += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
            answer["headers"] = {k.decode(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            answer["body"] += message.get("body", b"")

    headers = [
        (b"host", b"127.0.0.1:8000"),
        (b"content-type", reader.content_type().encode()),
        (b"cookie", f"piri_csrf={TOKEN}".encode()),
        (b"x-csrf-token", TOKEN.encode()),
    ]
    if declared is None:
        headers.append((b"transfer-encoding", b"chunked"))
    else:
        headers.append((b"content-length", str(declared).encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": reader.method,
        "scheme": "http",
        "path": reader.path,
        "raw_path": reader.path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    # On a thread of its own: a browser test in the same worker may have left an event loop
    # running on this one, where asyncio.run refuses to start another.
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, app(scope, receive, send)).result()  # type: ignore[arg-type]
    return Answer(answer["status"], answer["headers"], answer["body"], pulled)


@pytest.mark.parametrize(
    "reader", UPLOADS + ORDINARY, ids=lambda r: f"{r.method} {r.path} {r.kind}"
)
def test_a_body_without_a_length_is_stopped_at_its_limit(app: FastAPI, reader: Reader) -> None:
    answer = drive(app, reader)
    assert answer.status == 413, answer.text[:500]
    assert answer.pulled <= reader.limit + CHUNK, f"read {answer.pulled} of a {reader.limit} limit"
    assert answer.headers["x-content-type-options"] == "nosniff"  # inside the guard
    assert stored_activities()[1] == 0


@pytest.mark.parametrize(
    "reader", UPLOADS + ORDINARY, ids=lambda r: f"{r.method} {r.path} {r.kind}"
)
def test_a_body_announced_over_its_limit_is_refused_unread(app: FastAPI, reader: Reader) -> None:
    answer = drive(app, reader, declared=reader.limit + 1)
    assert answer.status == 413, answer.text[:500]
    assert answer.pulled == 0


def test_each_refusal_says_what_was_too_large_where(app: FastAPI) -> None:
    runs_page, runs_api, export_page, export_api = (drive(app, r) for r in UPLOADS)
    assert "files: the upload is larger than this server&#39;s limit of 19.5 KB" in runs_page.text
    assert 'aria-invalid="true"' in runs_page.text  # at its field, on the import page
    assert json.loads(runs_api.body)["code"] == "upload_too_large"
    assert json.loads(runs_api.body)["field"] == "files"
    assert "file: the export is larger than this server&#39;s limit" in export_page.text
    assert "<h1>Settings</h1>" in export_page.text
    refused = json.loads(export_api.body)
    assert (refused["code"], refused["field"]) == ("upload_too_large", "(body)")
    form, _multipart, api = (drive(app, r) for r in ORDINARY[:3])
    assert "larger than this server&#39;s limit of 7.8 KB" in form.text
    assert json.loads(api.body) == {
        "code": "body_too_large",
        "message": "The request is larger than this server's limit of 7.8 KB for it.",
        "field": "(body)",
    }
    announced = json.loads(drive(app, ORDINARY[2], declared=9000).body)["message"]
    assert "The request (8.8 KB) is larger" in announced


def test_bodies_within_their_limits_are_read_as_before(app: FastAPI) -> None:
    with TestClient(app, base_url=BASE_URL) as client:
        client.get("/static/css/piri.css")
        headers = {"X-CSRF-Token": csrf_of(client)}
        run = a_gpx_run()
        assert BODY_LIMIT < len(run) < UPLOAD_LIMIT  # over the ordinary limit, not an upload's
        imported = client.post(
            "/api/v1/runs/import", files=[("files", ("r.gpx", run))], headers=headers
        )
        assert imported.status_code == 200 and imported.json()["imported"] == 1
        entry = json.dumps({"pain_now": 2, "worst_pain": 3}) + " " * (BODY_LIMIT - 100)
        day = client.put(
            f"/api/v1/diary/{YESTERDAY}",
            content=entry,
            headers={"Content-Type": "application/json"},
        )
        assert day.status_code in (200, 201), day.text


# --- How often ---------------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def limited_app(multi_user: bool = False) -> tuple[FastAPI, Clock]:
    """An app that takes two uploads in ten minutes, on a clock the test moves."""
    app = create_app(WebConfig(multi_user=multi_user, uploads_per_window=2))
    clock = Clock()
    app.state.upload_window = SlidingWindow(2, 600.0, clock)
    return app, clock


def import_page(client: TestClient) -> Any:
    return client.post(
        "/runs/import",
        data={"csrf_token": csrf_of(client)},
        files=[("files", ("run.gpx", a_gpx_run()))],
    )


def import_api(client: TestClient) -> Any:
    return client.post(
        "/api/v1/runs/import",
        files=[("files", ("run.gpx", a_gpx_run()))],
        headers={"X-CSRF-Token": csrf_of(client)},
    )


def restore_api(client: TestClient) -> Any:
    return client.post(
        "/api/v1/import", json={"format": "not piri"}, headers={"X-CSRF-Token": csrf_of(client)}
    )


@pytest.fixture
def browser(home: Path) -> Iterator[tuple[TestClient, Clock]]:
    app, clock = limited_app()
    with new_client(app, "127.0.0.1") as client:
        yield client, clock


def test_uploads_past_the_limit_are_refused_until_the_window_moves_on(
    browser: tuple[TestClient, Clock],
) -> None:
    client, clock = browser
    assert import_page(client).status_code == 200
    clock.now += 60
    assert import_api(client).status_code == 200
    clock.now += 60
    page = import_page(client)
    assert page.status_code == 429
    assert page.headers["retry-after"] == "480"
    words = re.sub(r"<[^>]+>|\s+", " ", page.text)
    assert "Too many uploads: this server takes at most 2 in 10 minutes from one person." in words
    assert "Wait 8 minutes and try again" in words and 'aria-invalid="true"' in page.text
    api = import_api(client)
    assert api.status_code == 429 and api.headers["retry-after"] == "480"
    assert api.json()["code"] == "too_many_uploads" and api.json()["retry_after_seconds"] == 480
    assert api.json()["field"] == "files"
    assert stored_activities()[1] == 1  # the second was a duplicate; the refused were not read
    clock.now += 480
    assert import_api(client).status_code == 200


def test_restoring_an_export_counts_as_an_upload(browser: tuple[TestClient, Clock]) -> None:
    client, _clock = browser
    assert restore_api(client).status_code == 422  # read, and found not to be an export
    assert import_api(client).status_code == 200
    refused = restore_api(client)
    assert refused.status_code == 429 and refused.json()["code"] == "too_many_uploads"
    assert refused.json()["field"] == "(body)"
    page = client.post(
        "/settings/import",
        data={"csrf_token": csrf_of(client)},
        files={"file": ("export.json", b"{}", "application/json")},
    )
    assert page.status_code == 429 and "Too many uploads" in page.text
    assert page.headers["retry-after"]


def test_each_person_has_their_own_count_and_visitors_their_addresss(
    home: Path, cheap_hashing: None
) -> None:
    app, _clock = limited_app(multi_user=True)
    ana, bea = new_client(app, "192.0.2.1"), new_client(app, "192.0.2.1")  # one address
    sign_up(ana, "ana")
    sign_up(bea, "bea")
    for _ in range(2):
        assert import_api(ana).status_code == 200
    assert import_api(ana).status_code == 429
    assert import_api(bea).status_code == 200  # same address, another person
    visitor = new_client(app, "192.0.2.9")
    for _ in range(2):
        assert import_api(visitor).status_code == 401  # counted: it may have sent a body
    assert import_api(visitor).status_code == 429
    assert import_api(new_client(app, "192.0.2.10")).status_code == 401


def test_the_window_counts_each_key_on_its_own() -> None:
    clock = Clock()
    window = SlidingWindow(2, 60.0, clock)
    assert window.take("a") == 0 and window.take("a") == 0
    assert window.take("a") == 60 and window.wait_seconds("a") == 60
    assert window.take("b") == 0
    clock.now += 30
    assert window.take("a") == 30
    clock.now += 30
    assert window.take("a") == 0  # the first fell out of the window
    window.forget("a")
    assert window.wait_seconds("a") == 0


# --- The settings ----------------------------------------------------------------------------


def test_the_defaults_take_a_real_runners_uploads() -> None:
    config = WebConfig()
    assert (config.uploads_per_window, config.upload_window_minutes) == (30, 10)
    assert config.max_upload_bytes is None and config.max_body_bytes == 1024 * 1024


def test_the_upload_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIRI_MAX_UPLOADS", "100")
    monkeypatch.setenv("PIRI_UPLOAD_WINDOW_MINUTES", "60")
    monkeypatch.setenv("PIRI_MAX_UPLOAD_MB", "50")
    config = server_config("127.0.0.1", 8000)
    assert (config.uploads_per_window, config.upload_window_minutes) == (100, 60)
    assert config.max_upload_bytes == 50 * 1024 * 1024
    monkeypatch.setenv("PIRI_WORKER_CONFIG", for_workers(config))
    assert worker_config() == config


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("PIRI_MAX_UPLOADS", "0"),
        ("PIRI_MAX_UPLOADS", "many"),
        ("PIRI_MAX_UPLOADS", "9" * 5000),
        ("PIRI_UPLOAD_WINDOW_MINUTES", "1441"),
        ("PIRI_MAX_UPLOAD_MB", "-5"),
        ("PIRI_MAX_UPLOAD_MB", "²"),
    ],
)
def test_a_wrong_upload_setting_is_named(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError, match=f"{variable} must be a whole number from 1 to"):
        server_config("127.0.0.1", 8000)
