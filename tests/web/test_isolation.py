"""Per-person isolation in multi-user mode, over every route the app has.

The walker reads the app's own OpenAPI document (and, for pages, its route table), so an
endpoint added later is walked without touching this file. An owner creates data through the
API (profile, symptom check, diary day, LEFS and PSFS scores, a session, a run with its rating,
an API token), each carrying a marker string where it has text. Then:

- anonymous callers get 401 ``not_signed_in`` from every endpoint that takes a person, and
  no other endpoint shows the owner's data; every page that takes a person sends them to
  the sign-in page;
- a second person, walking every endpoint with the owner's ids filled in (by API token and by
  session cookie), never gets a response holding the owner's data, gets 404 for the owner's
  things, sees exactly what a brand-new person sees, and changes nothing of the owner's even
  after calling every POST, PUT and DELETE (their own "delete all my data" included);
- the owner, meanwhile, sees all of it, which shows the markers would be found if they leaked.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from piri.services import gait_checks, library
from piri.services.figures import figure_names
from piri.services.sessions import plan_routine
from piri.web.identity import api_person, page_person
from tests.check_answers import typical_piriformis
from tests.web.accounts_fixtures import (
    api_token,
    bearer,
    cheap_hashing,
    csrf_of,
    multi_user_app,
    new_client,
    sign_up_and_login,
)
from tests.xml_activity_files import START, Track, gpx, run_north

__all__ = ["cheap_hashing", "multi_user_app"]  # fixtures used by name

MUTATING = ("post", "put", "patch", "delete")
# Query parameters given even when optional, so that the walk reaches the code behind them.
QUERY_VALUES = {"confirm": "yes", "save": "true"}
# Parts of responses that differ between any two people or any two moments.
VOLATILE_KEYS = re.compile(r"(_at|_used|exported_by|username|^token|^id)$")


@dataclass
class Operation:
    method: str
    path: str
    spec: dict[str, Any]
    route: Any  # fastapi.routing.RouteContext

    @property
    def takes_person(self) -> bool:
        return takes_person(self.route)

    @property
    def path_params(self) -> list[str]:
        return re.findall(r"{([^}:]+)", self.path)

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"


def takes_person(route: Any) -> bool:
    """Whether the route asks identity for a person (directly or through a dependency)."""

    def walk(dependant: Any) -> bool:
        return any(
            sub.call in (api_person, page_person) or walk(sub) for sub in dependant.dependencies
        )

    return walk(route.dependant)


# The care team's routes (consent, caseload, prescribing, notes) are walked by
# tests/web/test_care_isolation.py with the four people they need: a runner, her clinician, a
# clinician she never invited and a second runner. This walk's two ordinary people would only
# meet their "not a clinician" answers there.
CARE_TEAM_PREFIXES = (
    "/clinic",
    "/care",
    "/api/v1/clinic",
    "/api/v1/care",
    "/api/v1/notes",
    "/api/v1/care-plan",
)


def outside_the_care_team(paths: list[Any]) -> list[Any]:
    return [found for found in paths if not found.path.startswith(CARE_TEAM_PREFIXES)]


def operations(app: FastAPI) -> list[Operation]:
    """Every operation in the app's OpenAPI document, with its route."""
    spec = app.openapi()
    routes = {
        (method.lower(), route.path_format): route
        for route in api_routes(app)
        for method in route.methods
    }
    found = []
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            found.append(Operation(method, path, operation, routes[(method, path)]))
    return found


def api_routes(app: FastAPI) -> list[Any]:
    """Every route of the app with its path and dependencies as included (routers flattened)."""
    return [
        route
        for route in iter_route_contexts(app.routes)
        if isinstance(route.original_route, APIRoute)
    ]


def page_routes(app: FastAPI) -> list[Any]:
    """Every HTML page a browser can GET (not in the OpenAPI document)."""
    return [
        route
        for route in api_routes(app)
        if "GET" in route.methods
        and not route.include_in_schema
        and not route.path.startswith("/api/")
    ]


def example(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    """A small value that fits a JSON schema (required properties only)."""
    if "$ref" in schema:
        return example(components[schema["$ref"].rsplit("/", 1)[-1]], components)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"] or schema[key]
            return example(options[0], components)
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema:
        return schema["default"]
    kind = schema.get("type")
    if kind == "object":
        return {
            name: example(schema["properties"][name], components)
            for name in schema.get("required", [])
        }
    if kind == "array":
        return [example(schema.get("items", {}), components)] * max(1, schema.get("minItems", 1))
    if kind == "integer":
        return int(schema.get("minimum", 1))
    if kind == "number":
        return float(schema.get("minimum", 1))
    if kind == "boolean":
        return False
    if schema.get("format") == "date":
        return dt.date.today().isoformat()
    return "x"


def a_gpx_run(start: dt.datetime = START) -> bytes:
    return gpx([Track([run_north(start, seconds=1200, speed=3.0, every=10)], type="running")])


def a_clip() -> bytes:
    """A two-second video (noise, nobody in it): enough for a gait check to be queued."""
    import tempfile

    from tests.test_cli_gait import write_clip

    with tempfile.TemporaryDirectory() as folder:
        return write_clip(Path(folder) / "clip.mp4", 60).read_bytes()


@dataclass
class Person:
    username: str
    client: TestClient
    token: str

    def call(
        self,
        operation: Operation,
        values: dict[str, Any],
        components: dict[str, Any],
        by: str = "token",
    ) -> Any:
        return call(
            self.client, operation, values, components, self.token if by == "token" else None
        )


def call(
    client: TestClient,
    operation: Operation,
    values: dict[str, Any],
    components: dict[str, Any],
    token: str | None,
) -> Any:
    path = operation.path
    for name in operation.path_params:
        path = path.replace("{" + name + "}", str(values[name]))
    query = {}
    for parameter in operation.spec.get("parameters", []):
        name = parameter["name"]
        if parameter["in"] == "query" and (name in QUERY_VALUES or parameter.get("required")):
            query[name] = QUERY_VALUES.get(name) or example(parameter["schema"], components)
    headers = {"X-CSRF-Token": csrf_of(client)}
    if token:
        headers.update(bearer(token))
    kwargs: dict[str, Any] = {"params": query, "headers": headers}
    content = operation.spec.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        kwargs["json"] = example(content["application/json"]["schema"], components)
    elif "multipart/form-data" in content:
        kwargs["files"] = [("files", ("mine.gpx", a_gpx_run(START + dt.timedelta(days=3))))]
    return client.request(operation.method.upper(), path, **kwargs)


@dataclass
class World:
    app: FastAPI
    owner: Person
    second: Person
    anonymous: TestClient
    values: dict[str, Any]  # path parameter values: content ids and the owner's ids
    markers: list[str]
    operations: list[Operation] = field(default_factory=list)

    @property
    def components(self) -> dict[str, Any]:
        components: dict[str, Any] = self.app.openapi().get("components", {}).get("schemas", {})
        return components


def person(app: FastAPI, username: str, address: str) -> Person:
    client = new_client(app, address)
    sign_up_and_login(client, username)
    return Person(username, client, api_token(client, f"{username}-token"))


def ok(response: Any, what: str) -> Any:
    assert response.status_code < 300, f"{what}: {response.status_code} {response.text[:500]}"
    return response.json() if "json" in response.headers.get("content-type", "") else None


@pytest.fixture
def world(multi_user_app: FastAPI) -> Iterator[World]:
    secret = uuid.uuid4().hex[:8]
    owner_name = f"owner{secret}"
    owner = person(multi_user_app, owner_name, "192.0.2.1")
    second = person(multi_user_app, "bystander", "192.0.2.2")
    markers = {
        name: f"owner-secret-{name}-{secret}"
        for name in ("diary", "psfs", "session", "run", "token", "gait")
    }
    api = owner.client
    auth = bearer(owner.token)
    yesterday = dt.date.today() - dt.timedelta(days=1)

    ok(
        api.put(
            "/api/v1/profile",
            json={
                "painful_side": "left",
                "equipment": ["chair", "mini_band"],
                "minutes_per_day": 35,
                "days_per_week": 6,
                "running_status": "stopped",
            },
            headers=auth,
        ),
        "profile",
    )
    ok(api.post("/api/v1/check?save=true", json=typical_piriformis(), headers=auth), "check")
    ok(
        api.put(
            f"/api/v1/diary/{yesterday.isoformat()}",
            json={"pain_now": 3, "worst_pain": 7, "sitting_pain": 6, "notes": markers["diary"]},
            headers=auth,
        ),
        "diary",
    )
    ok(api.post("/api/v1/scores/lefs", json={"items": [2] * 20}, headers=auth), "LEFS")
    ok(
        api.post(
            "/api/v1/scores/psfs",
            json={"activities": [{"activity": markers["psfs"], "rating": 3}]},
            headers=auth,
        ),
        "PSFS",
    )
    routine = library.get_routine("relief")
    ok(
        api.post(
            "/api/v1/sessions",
            json={
                "routine": routine.id,
                "exercises": [
                    {"exercise": exercise, "status": "done", "sets_done": n, "sets_planned": n}
                    for exercise, n in work_steps(routine.id).items()
                ],
                "pain_during": 2,
                "pain_after": 3,
                "notes": markers["session"],
            },
            headers=auth,
        ),
        "session",
    )
    ok(
        api.post(
            "/api/v1/runs/import",
            files=[("files", (f"{markers['run']}.gpx", a_gpx_run()))],
            headers={**auth},
        ),
        "run import",
    )
    runs = ok(api.get("/api/v1/runs", headers=auth), "runs")
    run_id = find_id(runs)
    ok(api.post(f"/api/v1/runs/{run_id}/rating", json={"effort": 6}, headers=auth), "rating")
    token = ok(api.post("/api/v1/tokens", json={"name": markers["token"]}, headers=auth), "token")
    check = ok(
        api.post(
            "/api/v1/gait/checks",
            files=[("video", (f"{markers['gait']}.mp4", a_clip()))],
            headers=auth,
        ),
        "gait check",
    )
    # analysed now (the real pose model: nobody in the clip, so one key frame of the pose)
    assert gait_checks.analyse_next() == check["id"]

    values: dict[str, Any] = {
        "section_id": library.list_sections()[0].id,
        "exercise_id": routine.items[0].exercise,
        "routine_id": routine.id,
        "figure_id": next(iter(figure_names())),
        "day": yesterday.isoformat(),
        "activity_id": run_id,
        "token_id": token["id"],
        "check_id": check["id"],
        "position": 1,
    }
    anonymous = new_client(multi_user_app, "192.0.2.3")
    yield World(
        app=multi_user_app,
        owner=owner,
        second=second,
        anonymous=anonymous,
        values=values,
        markers=[owner_name, *markers.values()],
        operations=outside_the_care_team(operations(multi_user_app)),
    )


def work_steps(routine_id: str) -> dict[str, int]:
    """How many work steps (sets per side, holds) each exercise of a routine plans."""
    counts: dict[str, int] = {}
    for step in plan_routine(routine_id).steps:
        if step.kind.value not in ("get_ready", "relax", "rest", "switch_sides"):
            counts[step.exercise_id] = counts.get(step.exercise_id, 0) + 1
    return counts


def find_id(runs: Any) -> int:
    """The id of the one run in a GET /runs answer, whatever its envelope."""
    items = (
        runs if isinstance(runs, list) else next(v for v in runs.values() if isinstance(v, list))
    )
    assert len(items) == 1, runs
    run_id: int = items[0]["id"]
    return run_id


def keeps_for_the_caller(operation: Operation) -> bool:
    """A public operation that the walk calls with ``save=true``, which needs a person."""
    return any(p["name"] == "save" for p in operation.spec.get("parameters", []))


def leaked(response: Any, markers: list[str]) -> list[str]:
    text = response.text
    return [marker for marker in markers if marker in text]


def ordered(operations: list[Operation]) -> list[Operation]:
    """Reads first, then changes, then deletions of one thing, then "delete everything"."""

    def rank(operation: Operation) -> int:
        if operation.method == "get":
            return 0
        if operation.method != "delete":
            return 1
        return 2 if operation.path_params else 3

    return sorted(operations, key=rank)


def normalised(value: Any, username: str) -> Any:
    if isinstance(value, dict):
        return {
            key: normalised(item, username)
            for key, item in value.items()
            if not VOLATILE_KEYS.search(key)
        }
    if isinstance(value, list):
        return [normalised(item, username) for item in value]
    if isinstance(value, str):
        return value.replace(username, "USER")
    return value


def owner_view(world: World) -> dict[str, Any]:
    """Everything the owner can read, as JSON, by GET operation."""
    seen = {}
    for operation in world.operations:
        if operation.method == "get" and operation.takes_person:
            response = world.owner.call(operation, world.values, world.components)
            seen[str(operation)] = (response.status_code, normalised(body(response), ""))
    return seen


def body(response: Any) -> Any:
    if "json" in response.headers.get("content-type", ""):
        return response.json()
    return response.text


# The walk itself


def test_the_walk_reaches_every_endpoint_and_knows_every_persons_path_parameter(
    world: World,
) -> None:
    names = {str(o) for o in world.operations}
    assert len(names) == len(world.operations)
    person_operations = [o for o in world.operations if o.takes_person]
    assert len(person_operations) >= 10, names
    for expected in ("GET /api/v1/diary", "GET /api/v1/tokens", "DELETE /api/v1/tokens/{token_id}"):
        assert expected in names
    for operation in world.operations:
        for name in operation.path_params:
            assert name in world.values, f"{operation}: give the walk a value for '{name}'"
    for route in outside_the_care_team(page_routes(world.app)):
        for name in re.findall(r"{([^}:]+)", route.path):
            assert name in world.values or name in PAGE_VALUES, (
                f"page {route.path}: give the walk a value for '{name}'"
            )


def test_the_owner_sees_their_own_data_so_a_leak_would_be_seen(world: World) -> None:
    found: set[str] = set()
    for operation in world.operations:
        if operation.method != "get":
            continue
        response = world.owner.call(operation, world.values, world.components)
        assert response.status_code < 400, f"{operation}: {response.status_code} {response.text}"
        found.update(leaked(response, world.markers))
        if operation.takes_person:
            by_cookie = world.owner.call(operation, world.values, world.components, by="cookie")
            assert by_cookie.status_code == response.status_code, str(operation)
    assert found == set(world.markers)


def test_anonymous_callers_get_401_from_every_person_endpoint(world: World) -> None:
    before = owner_view(world)
    public = []
    for operation in ordered(world.operations):
        response = call(world.anonymous, operation, world.values, world.components, None)
        assert not leaked(response, world.markers), f"{operation} showed the owner's data"
        if operation.takes_person or keeps_for_the_caller(operation):
            # POST /check is public, but ?save=true keeps the result for the caller.
            assert response.status_code == 401, f"{operation}: {response.status_code}"
            assert response.json()["code"] == "not_signed_in"
        elif operation.path.endswith("/login"):
            # The walk's made-up credentials are refused, with their own code.
            assert response.status_code == 401 and response.json()["code"] == "login_failed"
        else:
            assert response.status_code != 401 and response.status_code < 500, str(operation)
            public.append(str(operation))
    assert "GET /api/v1/exercises" in public and "GET /api/v1/diary" not in public
    token = world.owner.token
    # The owner's token with its last character changed (a token ends in "A" one time in 16).
    near_miss = token[:-1] + ("B" if token[-1] != "B" else "C")
    for made_up in ("piri_" + "x" * 43, "not-a-token", near_miss):
        for operation in world.operations:
            if operation.takes_person:
                response = call(world.anonymous, operation, world.values, world.components, made_up)
                assert response.status_code == 401, f"{operation} with a made-up token"
    assert owner_view(world) == before


def test_a_second_person_never_sees_the_owners_data(world: World) -> None:
    for by in ("token", "cookie"):
        for operation in world.operations:
            if operation.method != "get":
                continue
            response = world.second.call(operation, world.values, world.components, by=by)
            assert not leaked(response, world.markers), (
                f"{operation} by {by} showed the owner's data: {leaked(response, world.markers)}"
            )
            assert response.status_code < 500, f"{operation}: {response.text}"
            owned = [p for p in operation.path_params if p in OWNERS_IDS]
            if owned and operation.takes_person:
                assert response.status_code == 404, (
                    f"{operation} with the owner's {owned}: {response.status_code} {response.text}"
                )


def test_a_second_person_with_no_data_sees_what_a_new_person_sees(world: World) -> None:
    newcomer = person(world.app, "newcomer", "192.0.2.4")
    for operation in world.operations:
        if operation.method != "get" or not operation.takes_person:
            continue
        if set(operation.path_params) & OWNERS_IDS:
            continue  # compared above: 404 for both
        second = world.second.call(operation, world.values, world.components)
        new = newcomer.call(operation, world.values, world.components)
        assert second.status_code == new.status_code, str(operation)
        assert normalised(body(second), "bystander") == normalised(body(new), "newcomer"), (
            f"{operation} differs between a person with no data and a new person"
        )


def test_a_second_persons_changes_never_touch_the_owners_data(world: World) -> None:
    before = owner_view(world)
    assert before, "the owner reads nothing?"
    for operation in ordered(world.operations):
        if operation.method not in MUTATING:
            continue
        response = world.second.call(operation, world.values, world.components)
        assert response.status_code < 500, f"{operation}: {response.text}"
        assert not leaked(response, world.markers), f"{operation} showed the owner's data"
        owned = [p for p in operation.path_params if p in OWNERS_IDS - {"day"}]
        if owned and operation.takes_person:
            assert response.status_code in (401, 404), f"{operation}: {response.status_code}"
    after = owner_view(world)
    changed = [name for name in before if before[name] != after[name]]
    assert not changed, f"the second person's calls changed the owner's {changed}"


# Pages


# Page path parameters beyond the API's (for example a picture's number).
# "feed_token": a calendar feed's secret (made up here: the walk checks it opens nothing).
PAGE_VALUES: dict[str, Any] = {"number": 1, "n": 1, "position": 1, "feed_token": "x" * 43}
# Path parameters that name one of the owner's things (the rest name content).
OWNERS_IDS = {"day", "activity_id", "token_id", "check_id"}


def page_path(route: Any, values: dict[str, Any]) -> str:
    path = route.path
    for name in re.findall(r"{([^}:]+)(?::[^}]*)?}", route.path):
        value = values.get(name, PAGE_VALUES.get(name))
        path = re.sub(r"{" + name + r"(?::[^}]*)?}", str(value), path)
    return path


def test_every_page_that_shows_a_persons_data_sends_anonymous_visitors_to_sign_in(
    world: World,
) -> None:
    pages = outside_the_care_team(page_routes(world.app))
    assert any(takes_person(route) for route in pages), [r.path for r in pages]
    for route in pages:
        path = page_path(route, world.values)
        response = world.anonymous.get(path)
        assert not leaked(response, world.markers), f"page {path} showed the owner's data"
        if takes_person(route):
            assert response.status_code == 303, f"page {path}: {response.status_code}"
            assert response.headers["location"] == f"/login?next={path}"
        else:
            assert response.status_code < 500, f"page {path}: {response.status_code}"


def test_a_second_persons_pages_never_show_the_owners_data(world: World) -> None:
    owner_pages: set[str] = set()
    for route in outside_the_care_team(page_routes(world.app)):
        path = page_path(route, world.values)
        second = world.second.client.get(path)
        assert second.status_code < 500, f"page {path}: {second.status_code}"
        assert not leaked(second, world.markers), (
            f"page {path} showed the owner's data to the second person"
        )
        owner = world.owner.client.get(path)
        assert owner.status_code < 500, f"page {path}: {owner.status_code}"
        owner_pages.update(leaked(owner, world.markers))
    # The owner's pages show the owner's data (at least the diary and the username).
    assert {m for m in world.markers if "diary" in m or m.startswith("owner")} <= owner_pages


def dump(value: Any) -> str:
    return json.dumps(value, indent=1, default=str)[:2000]


Check = Callable[[World], None]
