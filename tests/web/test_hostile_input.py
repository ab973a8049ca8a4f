"""Hostile input over every form and every query, path and JSON field of the app.

"Bad input always gets a clear error that names what is wrong, and nothing already stored is
lost." The walker reads the app's own route table (as ``test_isolation`` does), fetches every
page a browser can GET and parses its ``<form>`` fields with the standard library's
``html.parser``, then sends each field, each query and path parameter, and each top-level
field of each JSON body, one at a time, every value of :data:`HOSTILE`, the other fields
keeping what the page (or a valid example) holds. For every answer:

- never a 5xx;
- a 4xx says what is wrong: JSON with a ``message`` (and the field, when the code is about
  one), a page with an error message (a field's error, the error summary, an alert, or the
  error page's text);
- a refused input changes nothing stored (``GET /api/v1/export`` before and after).

The person has a diary day, a profile, a LEFS score, a played session waiting for its morning
check-in and a run before the walk starts, so that every form the pages offer is on them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response

from piri.services import gait_checks, library
from piri.services.figures import figure_names
from piri.services.sessions import plan_routine, work_planned
from piri.web.app import create_app
from piri.web.config import WebConfig
from piri.web.pages.check import form_value
from tests.check_answers import typical_piriformis
from tests.web.conftest import csrf
from tests.web.test_isolation import (
    Operation,
    a_clip,
    api_routes,
    example,
    operations,
    page_routes,
)
from tests.xml_activity_files import START, Track, gpx, run_north

TODAY = dt.date.today()
YESTERDAY = TODAY - dt.timedelta(days=1)

LONG_TEXT = "x" * 10_000
LONG_NUMBER = "9" * 10_000  # int() refuses more than 4300 digits
HOSTILE = (
    "²",
    "٣",
    "1e400",
    "-0",
    "99999999999999999999999",
    "0001-01-01",
    "9999-12-31",
    "",
    LONG_TEXT,
    LONG_NUMBER,
    "\x00",
)
# The same, as raw JSON values (numbers where JSON has them, strings otherwise).
HOSTILE_JSON = (
    *(json.dumps(value) for value in HOSTILE),
    "1e400",  # json.loads reads it as infinity
    "-0",
    "99999999999999999999999",
    "-99999999999999999999999",
    LONG_NUMBER,  # a JSON number int() refuses to read
    "0.5",
    "null",
    "[]",
    "{}",
    "true",
)

# Routes other engineers own (web/pages/runs.py, web/pages/progress.py, web/charts.py and
# their templates), by "METHOD path", with what fails there: their failures are printed, not
# asserted, until they are fixed there. A route of theirs not listed here is walked as any.
OTHERS_OWN: dict[str, str] = {}

# Path parameters the walk fills in when it is not the one being made hostile.
# A made-up feed token, and care-team ids and a username nobody has (the walk runs in
# single-person mode, where the care team answers that it needs a shared server).
PAGE_VALUES: dict[str, Any] = {
    "number": 1,
    "feed_token": "x" * 43,
    "link_id": 1,
    "note_id": 1,
    "template_id": 1,
    "username": "nobody-here",
}


@dataclass
class Field:
    name: str
    kind: str  # the input's type, or select, textarea, button
    values: list[str] = field(default_factory=list)  # what the browser would send
    options: list[str] = field(default_factory=list)  # a radio group's values


@dataclass
class Form:
    page: str
    action: str
    method: str
    multipart: bool
    fields: list[Field]

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.action} (form on {self.page})"


class FormParser(HTMLParser):
    """Every ``<form>`` of a page with what a browser would send for each of its fields."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._fields: dict[str, Field] = {}
        self._select: Field | None = None
        self._first_option: str | None = None
        self._option: str | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag == "form":
            action = found.get("action") or self.page
            self._form = Form(
                self.page,
                action.split("#", 1)[0],
                (found.get("method") or "get").lower(),
                found.get("enctype") == "multipart/form-data",
                [],
            )
            self._fields = {}
            return
        if self._form is None:
            return
        name = found.get("name")
        if tag == "input" and name:
            kind = found.get("type", "text").lower()
            known = self._field(name, kind)
            if kind == "radio":
                known.options.append(found.get("value", "on"))
            if kind in ("radio", "checkbox"):
                if "checked" in found:
                    known.values.append(found.get("value", "on"))
            elif kind not in ("submit", "image", "reset"):
                known.values = [found.get("value", "")]
        elif tag == "button" and name and found.get("type", "submit") == "submit":
            known = self._field(name, "button")
            if not known.values:  # Enter in a form sends its first submit button
                known.values = [found.get("value", "")]
        elif tag == "select" and name:
            self._select = self._field(name, "select")
            self._first_option = None
        elif tag == "option" and self._select is not None:
            self._option = found.get("value")
            if self._first_option is None:
                self._first_option = self._option or ""
            if "selected" in found and self._option is not None:
                self._select.values = [self._option]
        elif tag == "textarea" and name:
            self._textarea = self._field(name, "textarea")
            self._textarea.values = [""]

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.values[0] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None:
            if not self._select.values and self._first_option is not None:
                self._select.values = [self._first_option]
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._form is not None:
            for known in self._fields.values():
                if known.kind == "radio" and not known.values:
                    # Nothing chosen yet: choose the first, so that the other fields' hostile
                    # values reach the checks behind a form that is otherwise right.
                    known.values = known.options[:1]
            self._form.fields = list(self._fields.values())
            self.forms.append(self._form)
            self._form = None

    def _field(self, name: str, kind: str) -> Field:
        if name not in self._fields:
            self._fields[name] = Field(name, kind)
        return self._fields[name]


def forms_of(html: str, page: str) -> list[Form]:
    parser = FormParser(page)
    parser.feed(html)
    return parser.forms


class ErrorText(HTMLParser):
    """The text of a page's error messages: fields' errors, the summary, alerts, notices."""

    MARKS = ("field-error", "error-summary", "notice")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # inside a marked element, how deep
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        classes = found.get("class", "").split()
        if self.depth:
            self.depth += 1
        elif found.get("role") == "alert" or any(mark in classes for mark in self.MARKS):
            self.depth = 1
            self.found.append("")

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.found[-1] += data


def page_message(html: str) -> str:
    """What a 4xx page says is wrong: its error messages, or the error page's text."""
    parser = ErrorText()
    parser.feed(html)
    said = " ".join(" ".join(text.split()) for text in parser.found).strip()
    if said:
        return said
    shown = re.search(r'<main id="main"[^>]*>\s*<h1>(.*?)</h1>\s*<p>(.*?)</p>', html, re.S)
    return " ".join(shown.groups()).strip() if shown else ""


# --- what is stored --------------------------------------------------------------------------


def stored(client: TestClient) -> Any:
    response = client.get("/api/v1/export")
    assert response.status_code == 200, response.text
    document = response.json()
    document.pop("exported_at", None)
    return document


def a_gpx_run() -> bytes:
    return gpx([Track([run_north(START, seconds=1200, speed=3.0, every=10)], type="running")])


def seed(client: TestClient) -> None:
    """A diary day, a profile, a LEFS score, a session waiting for its morning and a run."""

    def ok(response: Response, what: str) -> None:
        assert response.status_code < 300, f"{what}: {response.status_code} {response.text}"

    ok(
        client.put(
            "/api/v1/profile",
            json={
                "painful_side": "left",
                "equipment": ["chair", "mini_band"],
                "minutes_per_day": 30,
                "days_per_week": 5,
                "running_status": "running_with_pain",
            },
        ),
        "profile",
    )
    ok(
        client.put(
            f"/api/v1/diary/{YESTERDAY.isoformat()}",
            json={"pain_now": 3, "worst_pain": 6, "sitting_pain": 5, "notes": "seeded"},
        ),
        "diary",
    )
    ok(client.post("/api/v1/scores/lefs", json={"items": [3] * 20}), "LEFS")
    counts = work_planned(plan_routine("relief"))
    exercises = [
        {"exercise": exercise, "status": "done", "sets_done": n, "sets_planned": n}
        for exercise, n in counts.items()
    ]
    ok(
        client.post(
            "/api/v1/sessions",
            json={"routine": "relief", "day": YESTERDAY.isoformat(), "exercises": exercises},
        ),
        "session",
    )
    ok(
        client.post(
            "/api/v1/runs/import",
            files=[("files", ("seeded.gpx", a_gpx_run()))],
            headers={"X-CSRF-Token": csrf(client)},
        ),
        "run",
    )
    check = client.post(
        "/api/v1/gait/checks",
        files=[("video", ("seeded.mp4", a_clip()))],
        headers={"X-CSRF-Token": csrf(client)},
    )
    ok(check, "gait check")
    assert gait_checks.analyse_next() == check.json()["id"]  # the real pose model: one key frame


@pytest.fixture
def client(home: Path) -> Iterator[TestClient]:
    """As the shared one, with the gait checks analysed here (``seed``), not by a worker."""
    with TestClient(
        create_app(WebConfig(gait_worker="off")), base_url="http://127.0.0.1:8000"
    ) as found:
        found.get("/static/css/piri.css")  # the first response sets the CSRF cookie
        yield found


@pytest.fixture
def seeded(client: TestClient) -> Iterator[TestClient]:
    seed(client)
    yield client


# --- judging an answer -----------------------------------------------------------------------


# JSON codes about the request as a whole (nothing to do with one field).
WHOLE_REQUEST_CODES = {
    "not_found",
    "csrf_failed",
    "nothing_to_score",
    "nothing_waiting",
    "not_ready",
    "profile_needed",
    "rest_day",
    "not_signed_in",
    "login_failed",
    "no_accounts",
    "profile_not_empty",
    "invalid_body",
    "no_access",  # the care team: no runner of yours by that name shares this
    "not_a_clinician",
}


def unclear(response: Response) -> str | None:
    """What is missing from a 4xx answer for it to say what is wrong; None when it does."""
    if "json" in response.headers.get("content-type", ""):
        body = response.json()
        if not isinstance(body, dict) or not str(body.get("message", "")).strip():
            return f"no message: {response.text[:300]}"
        names_field = bool(body.get("field")) or bool(body.get("problems"))
        if not names_field and body.get("code") not in WHOLE_REQUEST_CODES:
            return f"no field named: {response.text[:300]}"
        return None
    if "html" in response.headers.get("content-type", ""):
        return None if page_message(response.text) else f"no message: {response.text[:300]}"
    return None if response.text.strip() else "an empty answer"


@dataclass
class Walk:
    client: TestClient
    others: dict[str, str]
    failures: list[str] = field(default_factory=list)
    others_failures: list[str] = field(default_factory=list)
    sent: int = 0
    _before: Any = None

    def __post_init__(self) -> None:
        self._before = stored(self.client)

    def judge(self, route: str, what: str, send: Callable[[], Response]) -> None:
        """Send ``what`` to ``route`` and record what is wrong with the answer."""
        self.sent += 1
        try:
            response = send()
        except Exception as error:  # the test client raises what the app did not handle
            found = f"{what}: 500 {type(error).__name__}: {str(error)[:200]}"
            (self.others_failures if route in self.others else self.failures).append(found)
            return
        status = response.status_code
        problem = None
        if status >= 500:
            problem = f"{status} {response.text[:200]}"
        elif status >= 400:
            problem = unclear(response)
            now = stored(self.client)
            if problem is None and now != self._before:
                problem = f"refused with {status}, yet the stored data changed"
            self._before = now
        elif status != 304:  # accepted: what is stored now is what the next refusal must keep
            self._before = stored(self.client)
        if problem is not None:
            found = f"{what}: {problem}"
            (self.others_failures if route in self.others else self.failures).append(found)

    def report(self) -> None:
        if self.others_failures:
            print("\nFailures on routes other engineers own:", *self.others_failures, sep="\n  ")
        assert not self.failures, f"{len(self.failures)} failures:\n" + "\n".join(self.failures)


def shown(value: str) -> str:
    return repr(value if len(value) < 30 else value[:10] + f"...({len(value)} characters)")


def route_name(app: FastAPI, method: str, path: str) -> str:
    """'POST /diary/{day}/delete' for the route that answers ``path``."""
    for route in api_routes(app):
        if method.upper() in route.methods:
            pattern = re.sub(r"{[^}]+}", "[^/]+", route.path)
            if re.fullmatch(pattern, path):
                return f"{method.upper()} {route.path}"
    return f"{method.upper()} {path}"


# --- the forms -------------------------------------------------------------------------------


def path_values(client: TestClient) -> dict[str, Any]:
    """A valid value for every path parameter: content ids, the stored day and run."""
    runs = client.get("/api/v1/runs").json()
    listed = runs if isinstance(runs, list) else next(v for v in runs.values() if type(v) is list)
    routine = library.get_routine("relief")
    return {
        "activity_id": listed[0]["id"],
        "section_id": library.list_sections()[0].id,
        "exercise_id": routine.items[0].exercise,
        "routine_id": routine.id,
        "figure_id": next(iter(figure_names())),
        "day": YESTERDAY.isoformat(),
        "token_id": 1,
        "check_id": client.get("/api/v1/gait/checks").json()["checks"][0]["id"],
        "position": 1,
        **PAGE_VALUES,
    }


def fill(path: str, values: dict[str, Any]) -> str:
    for name in re.findall(r"{([^}:]+)(?::[^}]*)?}", path):
        path = re.sub(r"{" + name + r"(?::[^}]*)?}", quote(str(values[name]), safe=""), path)
    return path


def pages(client: TestClient, values: dict[str, Any]) -> list[str]:
    app: FastAPI = client.app  # type: ignore[assignment]
    found = [fill(route.path, values) for route in page_routes(app)]
    # The stored day's edit form, which holds the form that deletes it.
    found.append(f"/diary?day={YESTERDAY.isoformat()}")
    return found


def grouped(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Form pairs as HTTPX takes them (a list of pairs would be sent as raw content)."""
    found: dict[str, list[str]] = {}
    for name, value in pairs:
        found.setdefault(name, []).append(value)
    return found


def send(client: TestClient, form: Form, pairs: list[tuple[str, str]], file: Field | None) -> Any:
    data = grouped(pairs)
    if form.method == "get":
        return client.get(form.action, params=data)
    if form.multipart:
        files = [
            (f.name, ("hostile.json", value.encode("utf-8"), "application/json"))
            for f in form.fields
            if f.kind == "file"
            for value in f.values
        ]
        if file is not None:
            files = [(file.name, ("hostile.json", file.values[0].encode(), "application/json"))]
        return client.post(form.action, data=data, files=files or None)
    return client.post(form.action, data=data)


def hostile_forms(walk: Walk, form: Form, only: set[str] | None = None) -> None:
    """Each field of ``form`` (or those named in ``only``) given each hostile value in turn."""
    app: FastAPI = walk.client.app  # type: ignore[assignment]
    route = route_name(app, form.method, urlsplit(form.action).path)
    for target in form.fields:
        if only is not None and target.name not in only:
            continue
        for value in HOSTILE:
            data = [
                (f.name, v)
                for f in form.fields
                if f.kind != "file"
                for v in ([value] if f is target else f.values)
            ]
            file = None
            if target.kind == "file":
                data = [(f.name, v) for f in form.fields if f.kind != "file" for v in f.values]
                file = Field(target.name, "file", [value])
            walk.judge(
                route,
                f"{form}, {target.name}={shown(value)}",
                partial(send, walk.client, form, data, file),
            )


def test_the_walk_finds_the_forms_it_should(seeded: TestClient) -> None:
    values = path_values(seeded)
    actions = set()
    for page in pages(seeded, values):
        response = seeded.get(page)
        assert response.status_code < 500, page
        actions.update(f.action for f in forms_of(response.text, page))
    for expected in (
        "/diary",
        f"/diary/{YESTERDAY.isoformat()}/delete",
        "/profile",
        "/scores/lefs",
        "/scores/psfs",
        "/today/morning",
        "/check",
        "/settings/import",
        "/settings/delete",
        "/exercises",
        "/runs/import",
        f"/runs/{values['activity_id']}/rating",
        "/gait",
        f"/gait/{values['check_id']}/delete",
    ):
        assert expected in actions, f"no form posts to {expected}: {sorted(actions)}"


def test_every_form_field_refuses_hostile_values_clearly_and_keeps_the_data(
    seeded: TestClient,
) -> None:
    walk = Walk(seeded, OTHERS_OWN)
    values = path_values(seeded)
    seen: set[tuple[str, str, tuple[str, ...]]] = set()
    for page in pages(seeded, values):
        response = seeded.get(page)
        if response.status_code >= 400 or "html" not in response.headers.get("content-type", ""):
            continue
        for form in forms_of(response.text, page):
            key = (form.method, form.action, tuple(f.name for f in form.fields))
            if key in seen:
                continue
            seen.add(key)
            hostile_forms(walk, form)
    assert walk.sent > 300, walk.sent
    walk.report()


def test_every_step_of_the_symptom_check_refuses_hostile_answers(seeded: TestClient) -> None:
    """The check's questions are one form each; walk all of them, a typical answer at a time."""
    from piri.services.check import questionnaire

    walk = Walk(seeded, OTHERS_OWN)
    answers = typical_piriformis()
    page = seeded.get("/check")
    kinds = set()
    for _ in range(200):
        forms = [f for f in forms_of(page.text, "/check") if f.action == "/check"]
        card = next((f for f in forms if any(x.name == "question" for x in f.fields)), None)
        if card is None:
            break
        question_id = next(x for x in card.fields if x.name == "question").values[0]
        question = questionnaire().question(question_id)
        assert question is not None
        # The hidden fields are the same on every card: all of them on the first, then the answer.
        hostile_forms(walk, card, only=None if not kinds else {"answer"})
        kinds.add(question.type.value)
        answer = form_value(question, answers.get(question_id))
        kept = [x for x in card.fields if x.name not in ("answer", "action")]
        data = [(x.name, v) for x in kept for v in x.values]
        if answer is None:
            data.append(("action", "skip"))
        else:
            data += [("answer", a) for a in (answer if isinstance(answer, list) else [answer])]
        page = seeded.post("/check", data=grouped(data))
        assert page.status_code == 200, f"{question_id}: {page.status_code} {page.text[:300]}"
    assert page.url.path == "/check/result", page.url
    assert {"number", "pain_scale", "yes_no", "choice"} <= kinds, kinds
    walk.report()


# --- query and path parameters ---------------------------------------------------------------


def test_every_query_and_path_parameter_refuses_hostile_values_clearly(
    seeded: TestClient,
) -> None:
    app: FastAPI = seeded.app  # type: ignore[assignment]
    walk = Walk(seeded, OTHERS_OWN)
    values = path_values(seeded)
    for route in api_routes(app):
        names = [p.name for p in route.dependant.query_params]
        params = [p.name for p in route.dependant.path_params]
        if not names and not params:
            continue
        operation = _operation(app, route)
        for method in sorted(route.methods):
            label = f"{method} {route.path}"
            for name in [*params, *names]:
                # An empty path segment is another address, not a value of this one.
                for value in [v for v in HOSTILE if v or name not in params]:
                    filled = {**values, **({name: value} if name in params else {})}
                    path = fill(route.path, filled)
                    query = {name: value} if name in names else {}
                    walk.judge(
                        label,
                        f"{label}, {name}={shown(value)}",
                        partial(_call, seeded, method, path, query, operation),
                    )
    assert walk.sent > 300, walk.sent
    walk.report()


def _operation(app: FastAPI, route: Any) -> Operation | None:
    for operation in operations(app):
        if operation.path == route.path_format and operation.method.upper() in route.methods:
            return operation
    return None


def _call(
    client: TestClient, method: str, path: str, query: dict[str, str], operation: Operation | None
) -> Response:
    kwargs: dict[str, Any] = {"params": query, "headers": {"X-CSRF-Token": csrf(client)}}
    if operation is not None and method != "GET":
        components = client.app.openapi().get("components", {}).get("schemas", {})  # type: ignore[attr-defined]
        content = operation.spec.get("requestBody", {}).get("content", {})
        if "application/json" in content:
            kwargs["json"] = example(content["application/json"]["schema"], components)
    elif method != "GET":
        kwargs["data"] = {"csrf_token": csrf(client)}
    return client.request(method, path, **kwargs)


# --- JSON bodies -----------------------------------------------------------------------------


def test_every_json_field_refuses_hostile_values_clearly(seeded: TestClient) -> None:
    app: FastAPI = seeded.app  # type: ignore[assignment]
    components = app.openapi().get("components", {}).get("schemas", {})
    walk = Walk(seeded, OTHERS_OWN)
    values = path_values(seeded)
    for operation in operations(app):
        content = operation.spec.get("requestBody", {}).get("content", {})
        if "application/json" not in content:
            continue
        schema = content["application/json"]["schema"]
        if "$ref" in schema:
            schema = components[schema["$ref"].rsplit("/", 1)[-1]]
        base = example(schema, components)
        if not isinstance(base, dict):
            continue
        path = fill(operation.path, values)
        for name in schema.get("properties", {}):
            for raw in HOSTILE_JSON:
                body = json.dumps({**base, name: "__HOSTILE__"}).replace('"__HOSTILE__"', raw)
                label = str(operation)
                walk.judge(
                    label,
                    f"{label}, {name}={shown(raw)}",
                    partial(
                        seeded.request,
                        operation.method.upper(),
                        path,
                        content=body.encode("utf-8"),
                        headers={"Content-Type": "application/json"},
                    ),
                )
    assert walk.sent > 200, walk.sent
    walk.report()


# --- the crashes this walk found, one by one ---------------------------------------------------

FORM_CRASHES = [
    # (path, field, value): each answered 500 before the shared whole_number() and its fixes
    ("/diary", "pain_now", "²"),
    ("/diary", "sitting_minutes_before_pain", "²"),
    ("/diary", "worst_pain", LONG_NUMBER),
    ("/profile", "minutes_per_day", "²"),
    ("/profile", "days_per_week", LONG_NUMBER),
    ("/scores/lefs", "item_1", "²"),
    ("/scores/psfs", "rating_1", "²"),
    ("/today/morning", "morning", LONG_NUMBER),
    ("/diary", "csrf_token", "²"),  # compare_digest refuses non-ASCII str
    ("/check", "state", LONG_NUMBER),  # json.loads refuses a 10,000-digit number
]


@pytest.mark.parametrize(("path", "name", "value"), FORM_CRASHES)
def test_a_form_value_that_crashed_is_refused_naming_what_is_wrong(
    seeded: TestClient, path: str, name: str, value: str
) -> None:
    before = stored(seeded)
    page = seeded.get("/diary" if path == "/diary" else path.replace("/morning", ""))
    forms = [f for f in forms_of(page.text, path) if f.action == path] if page.is_success else []
    data = {f.name: f.values for f in forms[0].fields} if forms else {"csrf_token": [csrf(seeded)]}
    data[name] = [value]
    response = seeded.post(path, data=data)
    assert 400 <= response.status_code < 500, response.text[:300]
    assert page_message(response.text), response.text[:300]
    assert stored(seeded) == before


@pytest.mark.parametrize(
    "path",
    [
        "/figures/clamshell/².svg",
        f"/figures/clamshell/{LONG_NUMBER}.svg",
        "/diary?shown=²",
        "/diary/entries?offset=²",
        f"/api/v1/runs/{'9' * 23}",
        f"/runs/{'9' * 23}",  # the database refused to look the id up
        f"/api/v1/runs/{LONG_NUMBER}",
    ],
)
def test_an_address_that_crashed_is_answered_clearly(seeded: TestClient, path: str) -> None:
    response = seeded.get(path, headers={"HX-Request": "true"} if "entries" in path else {})
    assert response.status_code < 500
    if response.status_code >= 400:
        assert unclear(response) is None, response.text[:300]


def test_a_json_number_too_long_to_read_is_named(client: TestClient) -> None:
    response = client.put(
        f"/api/v1/diary/{YESTERDAY.isoformat()}",
        content=b'{"pain_now": ' + LONG_NUMBER.encode() + b', "worst_pain": 3}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_body" and body["field"] == "(body)"
    assert "a number of more than 4300 digits" in body["message"]


# --- the earliest date -----------------------------------------------------------------------

OLD = "0001-01-01"
TOO_OLD = "day: 0001-01-01 is before 2000-01-01, the earliest date Piri keeps a record for"


def test_a_day_before_the_earliest_is_refused_everywhere_and_progress_stays_small(
    seeded: TestClient,
) -> None:
    before = stored(seeded)
    diary = seeded.put(f"/api/v1/diary/{OLD}", json={"pain_now": 2, "worst_pain": 3})
    assert diary.status_code == 422
    assert diary.json()["problems"] == [
        {"field": "day", "message": TOO_OLD.replace("day:", "date:")}
    ]
    counts = work_planned(plan_routine("relief"))
    session = seeded.post(
        "/api/v1/sessions",
        json={
            "routine": "relief",
            "day": OLD,
            "exercises": [
                {"exercise": e, "status": "done", "sets_done": n, "sets_planned": n}
                for e, n in counts.items()
            ],
        },
    )
    assert session.status_code == 422
    assert session.json() == {"code": "invalid_session", "message": TOO_OLD, "field": "day"}
    page = seeded.post(
        "/diary",
        data={"csrf_token": csrf(seeded), "day": OLD, "pain_now": "2", "worst_pain": "3"},
    )
    assert page.status_code == 422
    assert (
        "Date: 0001-01-01 is before 2000-01-01, the earliest date Piri keeps a record for."
        in page_message(page.text)
    )
    assert stored(seeded) == before
    progress = seeded.get("/api/v1/progress")
    assert progress.status_code == 200 and len(progress.content) < 100_000


def test_the_diary_date_field_offers_only_days_from_the_earliest(client: TestClient) -> None:
    html = client.get("/diary").text
    assert f'type="date" value="{TODAY.isoformat()}"' in html
    assert f'min="2000-01-01" max="{TODAY.isoformat()}"' in html


# --- validation errors name the parameter ------------------------------------------------------


def test_a_wrong_query_or_path_parameter_is_named_plainly(client: TestClient) -> None:
    query = client.post("/api/v1/check?save=maybe", json={})
    assert query.status_code == 422
    body = query.json()
    assert body["code"] == "invalid_input"
    assert body["field"] == "save"
    assert [p["field"] for p in body["problems"]] == ["save"]
    assert body["message"] == "Check these fields: save."
    path = client.delete("/api/v1/tokens/abc", headers={"X-CSRF-Token": csrf(client)})
    assert path.status_code == 422
    assert path.json()["field"] == "token_id"
    assert [p["field"] for p in path.json()["problems"]] == ["token_id"]


def test_several_problems_keep_the_list_without_one_field(client: TestClient) -> None:
    response = client.put(
        f"/api/v1/diary/{YESTERDAY.isoformat()}", json={"pain_now": "a", "worst_pain": "b"}
    )
    assert response.status_code == 422
    body = response.json()
    assert "field" not in body
    assert sorted(p["field"] for p in body["problems"]) == ["pain_now", "worst_pain"]


def test_a_body_that_is_not_json_is_named(client: TestClient) -> None:
    response = client.put(
        f"/api/v1/diary/{YESTERDAY.isoformat()}",
        content=b'{"pain_now": 3,',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == "(body)"
    assert body["problems"][0]["message"].startswith("not valid JSON at character")
