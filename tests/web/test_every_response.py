"""The security headers on every response the app gives, over every route it has.

The routes come from the app's own route table (routers flattened, the OpenAPI document, the
static files and ``/healthz`` included), in single-person mode and in multi-user mode, and each
is called with every method it takes, plus one it does not take (a 405). Path parameters are
filled twice: with the ids of things the test made (a diary day, a run, an API token, a care
link, a note, a template, a calendar feed) and with made-up ids, so the 404 paths are walked
too. The callers:

- single-person mode: the person, and a fresh browser without any cookie (its changes meet
  the CSRF check);
- multi-user mode: an anonymous visitor, a signed-in runner (Ana) and a signed-in clinician
  (Bea, whom Ana shares her record with).

Every answer, whatever its status, must carry the headers of :mod:`piri.web.security` (a
content security policy without ``unsafe-inline`` or ``unsafe-eval``, ``nosniff``, the
referrer policy, ``X-Frame-Options``, the permissions policy, the opener policy) and
``Cache-Control: no-store`` unless it is a static file or one of the few routes that say how
they may be cached (:data:`OWN_CACHING`); no answer is a 5xx. A route whose path parameter the
walker cannot fill, or a kind of route it does not know, fails the walk: it stays exhaustive.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from starlette.routing import Mount, Route

from piri.services import care as care_service
from piri.services import gait_checks, library
from piri.services.figures import figure_names
from piri.web.app import create_app
from piri.web.config import WebConfig
from piri.web.pages import figures as figure_pages
from tests.reliability import record
from tests.web.accounts_fixtures import BASE_URL, cheap_hashing, csrf_of, sign_up_and_login
from tests.web.test_isolation import QUERY_VALUES, a_clip, a_gpx_run, example

__all__ = ["cheap_hashing"]  # a fixture used by name

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
# A value no row has, for every path parameter the app uses. A route with a parameter that is
# not here fails the walk: add the parameter (and, in World, a real value for it).
MADE_UP: dict[str, str] = {
    "section_id": "no-such-section",
    "exercise_id": "no-such-exercise",
    "routine_id": "no-such-routine",
    "figure_id": "no-such-figure",
    "number": "99",
    "day": "1999-01-01",
    "activity_id": "987654",
    "token_id": "987654",
    "link_id": "987654",
    "note_id": "987654",
    "template_id": "987654",
    "username": "nobody-here",
    "feed_token": "x" * 43,
    "check_id": "987654",
    "position": "99",
}
# Routes that say themselves how their answer may be kept, with what they may say. Every other
# answer but a static file's is ``no-store``: it may hold a person's data.
OWN_CACHING: dict[str, set[str]] = {
    # A picture of an exercise: content, the same for everybody.
    "/figures/{figure_id}/{number}.svg": {
        figure_pages.CACHE_VERSIONED,
        figure_pages.CACHE_UNVERSIONED,
    },
    # The published calendar feed: never in a shared cache; the calendar app that subscribed
    # keeps it anyway and asks again with its ETag (tests/web/test_calendar_pages.py).
    "/calendar/feed/{feed_token}.ics": {"private"},
}
# What a page's form gets, whatever the form: enough for most handlers to get past "missing".
FORM = {"text": "a note from the walk", "name": "walk", "shares": "diary", "confirm": "delete"}
# Page uploads: the form field of the file.
PAGE_UPLOADS = {"/runs/import": "files", "/settings/import": "file"}
# Answered last, in this order: they end the caller's session or delete everything.
ENDINGS = (
    "/api/v1/data",
    "/settings/delete",
    "/account/sign-out-everywhere",
    "/logout",
)
# Addresses no route has.
NOWHERE = ("/no-such-page", "/api/v1/no-such-thing", "/static/no-such-file.css")


@dataclass(frozen=True)
class Target:
    """One method of one route."""

    method: str
    path: str  # as declared, e.g. /runs/{activity_id:int}
    kind: str  # "api", "page", "static" or "plain" (/healthz, the OpenAPI document)
    accepted: bool = True  # False: a method the route does not take, for its 405

    @property
    def parameters(self) -> list[str]:
        return re.findall(r"{([^}:]+)(?::[^}]*)?}", self.path)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def kind_of(path: str, original: Any) -> str:
    if path.startswith("/api/") and getattr(original, "include_in_schema", False):
        return "api"
    if isinstance(original, APIRoute) and not path.startswith("/api/"):
        return "page"
    return "plain"


def targets(app: FastAPI) -> tuple[list[Target], list[str]]:
    """Every method of every route, one method each route refuses, and what the walker does
    not know how to walk (a new kind of route, a path parameter it has no value for)."""
    found: list[Target] = []
    unknown: list[str] = []
    for route in iter_route_contexts(app.routes):
        original, path = route.original_route, str(route.path)
        if isinstance(original, Mount):
            if path != "/static":
                unknown.append(f"a mount at {path}: teach the walker what it serves")
                continue
            found.append(Target("GET", "/static/css/piri.css", "static"))
            found.append(Target("POST", "/static/css/piri.css", "static", accepted=False))
            continue
        if not isinstance(original, APIRoute | Route):
            unknown.append(f"{path}: a {type(original).__name__}, not a route it knows")
            continue
        methods = set(route.methods or ())
        kind = kind_of(path, original)
        for method in sorted(methods):
            if method not in METHODS:
                unknown.append(f"{method} {path}: a method the walker does not send")
            found.append(Target(method, path, kind))
        refused = next(m for m in ("PATCH", "PUT", "DELETE", "POST") if m not in methods)
        found.append(Target(refused, path, kind, accepted=False))
        for name in Target("GET", path, kind).parameters:
            if name not in MADE_UP:
                unknown.append(f"{path}: give the walker a value for '{name}'")
    for path in NOWHERE:
        found.append(Target("GET", path, "static" if path.startswith("/static/") else "plain"))
    return ordered(found), unknown


def ordered(found: list[Target]) -> list[Target]:
    """Reads first, then changes, then deletions, then what ends the session or the data."""

    def rank(target: Target) -> tuple[int, int, str, str]:
        if target.path in ENDINGS:
            return (3, ENDINGS.index(target.path), target.path, target.method)
        if target.method in ("GET", "HEAD") or not target.accepted:
            step = 0
        else:
            step = 2 if target.method == "DELETE" else 1
        return (step, 0, target.path, target.method)

    return sorted(found, key=rank)


# --- who calls, with what -------------------------------------------------------------------


@dataclass
class Caller:
    role: str
    client: TestClient
    cookies: bool = True  # False: every request without a cookie (a fresh browser)
    after_change: Callable[[], None] = lambda: None


@dataclass
class World:
    mode: str
    app: FastAPI
    callers: dict[str, Caller]
    real: dict[str, str]  # path parameter values that name something that exists
    spec: dict[str, Any] = field(default_factory=dict)

    def fillings(self, target: Target) -> list[dict[str, str]]:
        """The real values and the made-up ones (once when they are the same)."""
        names = target.parameters
        if not names:
            return [{}]
        real = {name: self.real.get(name, MADE_UP[name]) for name in names}
        made_up = {name: MADE_UP[name] for name in names}
        return [real] if real == made_up or not target.accepted else [real, made_up]


def browser(app: FastAPI, address: str) -> TestClient:
    """A browser of its own that shows 5xx answers as answers (to check their headers too)
    and does not follow redirects (a 303 is an answer to check)."""
    client = TestClient(
        app,
        base_url=BASE_URL,
        follow_redirects=False,
        raise_server_exceptions=False,
        client=(address, 50000),
    )
    client.get("/static/css/piri.css")  # the CSRF cookie
    return client


def ok(response: httpx.Response, what: str) -> Any:
    assert response.status_code < 300, f"{what}: {response.status_code} {response.text[:300]}"
    return response.json() if "json" in response.headers.get("content-type", "") else None


def api_call(client: TestClient, method: str, path: str, **kwargs: Any) -> httpx.Response:
    headers = {"X-CSRF-Token": csrf_of(client)}
    response: httpx.Response = client.request(method, f"/api/v1{path}", headers=headers, **kwargs)
    return response


PROFILE = {
    "painful_side": "left",
    "equipment": ["chair", "mini_band"],
    "minutes_per_day": 35,
    "days_per_week": 6,
    "running_status": "stopped",
}
TEMPLATE = {
    "name": "walk template",
    "items": [
        {"exercise": "clamshell", "sets": 2, "reps": 12},
        {"exercise": "side-plank", "sets": 3, "hold_seconds": 20},
    ],
}


def a_runners_record(client: TestClient) -> dict[str, str]:
    """A profile, a diary day and a run for the caller; their ids."""
    day = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    ok(api_call(client, "PUT", "/profile", json=PROFILE), "profile")
    diary = {"pain_now": 3, "worst_pain": 5, "notes": "walked"}
    ok(api_call(client, "PUT", f"/diary/{day}", json=diary), "diary")
    ok(api_call(client, "POST", "/runs/import", files=[("files", ("r.gpx", a_gpx_run()))]), "run")
    runs = ok(api_call(client, "GET", "/runs"), "runs")
    check = ok(
        api_call(client, "POST", "/gait/checks", files=[("video", ("run.mp4", a_clip()))]),
        "gait check",
    )
    assert gait_checks.analyse_next() == check["id"]  # the real pose model: one key frame
    return {
        "day": day,
        "activity_id": str(runs["runs"][0]["id"]),
        "check_id": str(check["id"]),
        "position": "1",
    }


def content_values() -> dict[str, str]:
    routine = library.get_routine("relief")
    return {
        "section_id": library.list_sections()[0].id,
        "exercise_id": routine.items[0].exercise,
        "routine_id": routine.id,
        "figure_id": next(iter(figure_names())),
        "number": "1",
    }


def single_person_world(app: FastAPI) -> World:
    person = browser(app, "127.0.0.1")
    real = {**content_values(), **a_runners_record(person)}
    fresh = browser(app, "127.0.0.1")
    callers = {
        "the person": Caller("the person", person),
        "a fresh browser": Caller("a fresh browser", fresh, cookies=False),
    }
    return World("single-person", app, callers, real, app.openapi())


def multi_user_world(app: FastAPI) -> World:
    ana, bea = browser(app, "192.0.2.1"), browser(app, "192.0.2.2")
    ana_person, bea_person = sign_up_and_login(ana, "ana"), sign_up_and_login(bea, "bea")
    real = {**content_values(), **a_runners_record(ana), "username": "ana"}
    token = ok(api_call(ana, "POST", "/tokens", json={"name": "walk"}), "token")
    feed = ok(api_call(ana, "POST", "/calendar/feed"), "feed")
    care_service.set_clinician(bea_person, True)
    code = care_service.invite_clinician(ana_person).code
    assert code
    link = care_service.accept_invitation(bea_person, code)
    note = ok(api_call(bea, "POST", "/clinic/runners/ana/notes", json={"text": "hi"}), "note")
    template = ok(api_call(bea, "POST", "/clinic/templates", json=TEMPLATE), "template")
    real.update(
        token_id=str(token["id"]),
        feed_token=feed["token"],
        link_id=str(link.id),
        note_id=str(note["id"]),
        template_id=template["key"].split(":")[1],
    )

    def bea_stays_a_clinician() -> None:
        # PUT /api/v1/care/role with the walk's example body turns the role off; at the end
        # of the walk DELETE /api/v1/data deletes her account.
        with contextlib.suppress(care_service.NeedsAccountsError):
            care_service.set_clinician(bea_person, True)

    callers = {
        "anonymous": Caller("anonymous", browser(app, "192.0.2.3")),
        "runner": Caller("runner", ana),
        "clinician": Caller("clinician", bea, after_change=bea_stays_a_clinician),
    }
    return World("multi-user", app, callers, real, app.openapi())


# --- one request ----------------------------------------------------------------------------


def openapi_operation(world: World, target: Target) -> dict[str, Any]:
    path = re.sub(r"{([^}:]+):[^}]*}", r"{\1}", target.path)
    operation: dict[str, Any] = world.spec["paths"].get(path, {}).get(target.method.lower(), {})
    return operation


def send(world: World, caller: Caller, target: Target, values: dict[str, str]) -> httpx.Response:
    client = caller.client
    path = target.path
    for name, value in values.items():
        path = re.sub(r"{" + name + r"(?::[^}]*)?}", quote(value, safe=""), path)
    token = client.cookies.get("piri_csrf") or "no-cookie"
    if not caller.cookies:
        client.cookies.clear()
    kwargs: dict[str, Any] = {}
    changes = target.method not in ("GET", "HEAD")
    if target.kind == "api":
        operation = openapi_operation(world, target)
        components = world.spec.get("components", {}).get("schemas", {})
        query = {}
        for parameter in operation.get("parameters", []):
            name = parameter["name"]
            if parameter["in"] == "query" and (name in QUERY_VALUES or parameter.get("required")):
                query[name] = QUERY_VALUES.get(name) or example(parameter["schema"], components)
        kwargs["params"] = query
        content = operation.get("requestBody", {}).get("content", {})
        if changes:
            kwargs["headers"] = {"X-CSRF-Token": token}
            if "application/json" in content:
                kwargs["json"] = example(content["application/json"]["schema"], components)
            elif "multipart/form-data" in content:
                kwargs["files"] = [("files", ("walk.gpx", a_gpx_run()))]
    elif target.kind == "page" and changes:
        kwargs["data"] = {**FORM, "csrf_token": token}
        if target.path in PAGE_UPLOADS:
            kwargs["files"] = [(PAGE_UPLOADS[target.path], ("walk.json", b'{"not": "piri"}'))]
    response: httpx.Response = client.request(target.method, path, **kwargs)
    if not caller.cookies:
        client.cookies.clear()
    if changes:
        caller.after_change()
    return response


# --- what every answer carries ----------------------------------------------------------------


def header_problems(target: Target, response: httpx.Response) -> list[str]:
    """What is wrong with one answer's headers (and its status): nothing, one hopes."""
    headers = response.headers
    problems = []
    if response.status_code >= 500:
        problems.append(f"status {response.status_code}: {response.text[:200]!r}")
    policy = headers.get("content-security-policy", "")
    for needed in ("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'"):
        if needed not in policy:
            problems.append(f"Content-Security-Policy without {needed}: {policy!r}")
    for unsafe in ("unsafe-inline", "unsafe-eval"):
        if unsafe in policy:
            problems.append(f"Content-Security-Policy allows {unsafe}")
    expected = {
        "x-content-type-options": "nosniff",
        "referrer-policy": "same-origin",
        "x-frame-options": "DENY",
        "cross-origin-opener-policy": "same-origin",
    }
    for name, value in expected.items():
        if headers.get(name) != value:
            problems.append(f"{name}: {headers.get(name)!r}, not {value!r}")
    permissions = headers.get("permissions-policy", "")
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        if feature not in permissions:
            problems.append(f"Permissions-Policy without {feature}: {permissions!r}")
    cache = headers.get("cache-control")
    own = OWN_CACHING.get(target.path, set())
    if target.kind != "static" and "no-store" not in (cache or "") and cache not in own:
        problems.append(f"Cache-Control: {cache!r}, not no-store")
    return problems


@dataclass
class Walked:
    operations: set[str] = field(default_factory=set)  # "METHOD path" the routes take
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)


def walk(world: World, caller: Caller, found: list[Target]) -> Walked:
    walked = Walked()
    for target in found:
        if target.accepted and target.path not in NOWHERE:
            walked.operations.add(str(target))
        for values in world.fillings(target):
            response = send(world, caller, target, values)
            walked.requests += 1
            walked.statuses[response.status_code] += 1
            for problem in header_problems(target, response):
                filled = f" with {values}" if values else ""
                walked.failures.append(f"{caller.role}: {target}{filled}: {problem}")
    return walked


# --- the tests ------------------------------------------------------------------------------


@pytest.fixture
def world_of(home: Path, cheap_hashing: None) -> Iterator[Callable[[str], World]]:
    made: list[World] = []

    def make(mode: str) -> World:
        if mode == "single-person":
            found = single_person_world(create_app(WebConfig(gait_worker="off")))
        else:
            found = multi_user_world(create_app(WebConfig(multi_user=True, gait_worker="off")))
        made.append(found)
        return found

    yield make
    for world in made:
        for caller in world.callers.values():
            caller.client.close()


ROLES = [
    ("single-person", "the person"),
    ("single-person", "a fresh browser"),
    ("multi-user", "anonymous"),
    ("multi-user", "runner"),
    ("multi-user", "clinician"),
]


@pytest.mark.parametrize(("mode", "role"), ROLES)
def test_every_response_carries_the_security_headers(
    world_of: Callable[[str], World], mode: str, role: str
) -> None:
    world = world_of(mode)
    found, unknown = targets(world.app)
    assert not unknown, "the walker does not know how to walk: " + "; ".join(unknown)
    started = time.perf_counter()
    walked = walk(world, world.callers[role], found)
    seconds = time.perf_counter() - started
    record(
        "every response",
        mode=mode,
        role=role,
        routes=len(list(iter_route_contexts(world.app.routes))),
        operations=len(walked.operations),
        requests=walked.requests,
        statuses=dict(sorted(walked.statuses.items())),
        failures=len(walked.failures),
        seconds=round(seconds, 1),
    )
    assert not walked.failures, f"{len(walked.failures)} answers:\n" + "\n".join(walked.failures)
    # The walk met the answers it is about: pages, refusals and not-found alike.
    assert walked.statuses[200] and walked.statuses[404] and walked.statuses[405]
    if role == "a fresh browser":
        assert walked.statuses[403]  # its changes meet the CSRF check
    if role == "anonymous":
        assert walked.statuses[401] and walked.statuses[303]


def test_the_walk_covers_every_route_of_both_modes(home: Path) -> None:
    for config in (WebConfig(), WebConfig(multi_user=True)):
        app = create_app(config)
        found, unknown = targets(app)
        assert not unknown, unknown
        walked = {target.path for target in found}
        declared = {route.path for route in iter_route_contexts(app.routes)} - {"/static"}
        assert declared <= walked
        for expected in ("GET /healthz", "HEAD /api/v1/openapi.json", "POST /api/v1/runs/import"):
            assert expected in {str(target) for target in found}


def test_a_route_the_walker_cannot_fill_fails_the_walk(home: Path) -> None:
    app = create_app(WebConfig())

    def widget(widget_id: int) -> dict[str, int]:
        return {"id": widget_id}

    app.add_api_route("/api/v1/widgets/{widget_id}", widget)
    app.mount("/uploads", app)
    _found, unknown = targets(app)
    assert unknown == [
        "/api/v1/widgets/{widget_id}: give the walker a value for 'widget_id'",
        "a mount at /uploads: teach the walker what it serves",
    ]


def test_an_unexpected_error_is_answered_with_the_headers_too(home: Path) -> None:
    """Starlette sends its own 500 outside every middleware, so without a hand from the
    guard the one answer nobody planned would go out without the headers."""
    app = create_app(WebConfig())

    def broken() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/api/v1/broken", broken)
    app.add_api_route("/broken", broken)
    with TestClient(app, base_url=BASE_URL, raise_server_exceptions=False) as client:
        for path, kind in (("/api/v1/broken", "api"), ("/broken", "page")):
            response = client.get(path)
            assert response.status_code == 500
            problems = header_problems(Target("GET", path, kind), response)
            assert problems == [f"status 500: {response.text[:200]!r}"], problems
            assert "Something went wrong on the server" in response.text
        assert client.get("/api/v1/broken").json()["code"] == "server_error"
    with TestClient(app, base_url=BASE_URL) as client, pytest.raises(RuntimeError, match="a bug"):
        client.get("/broken")  # and the error still reaches the server's log


def test_a_refused_host_is_answered_with_the_headers_too(home: Path) -> None:
    app = create_app(WebConfig(allowed_hosts=("127.0.0.1",)))
    with TestClient(app, base_url="http://rebound.example") as client:
        response = client.get("/api/v1/diary")
    assert response.status_code == 400 and "only answers to 127.0.0.1" in response.text
    assert header_problems(Target("GET", "/api/v1/diary", "api"), response) == []
    assert "set-cookie" not in response.headers
