"""schemathesis against the app's own OpenAPI document (/api/v1/openapi.json), every operation.

Three ways in: nobody signed in on a shared server, a person signed in there with an API
token (Bearer), and single-person mode (``piri serve``, no sign-in). For each operation
schemathesis generates requests that fit the document (positive) and requests that do not
(negative), and every response is checked:

- no 5xx (``not_a_server_error``);
- its status code is one the document declares for that operation;
- its content type and body match what the document declares for that status;
- a request that does not fit the document is refused with a 4xx (negative cases only).

The run is bounded and repeatable: a few examples per operation, derandomized, no example
database. The figures (operations, requests sent, failures) go to tests/reliability.py.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import APIOperation, Case, GenerationMode
from schemathesis.checks import CheckFunction, not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from piri.web.app import API_PREFIX, create_app
from piri.web.config import WebConfig
from tests.reliability import record
from tests.web.accounts_fixtures import (
    PASSWORD,
    bearer,
    cheap_hashing,
    multi_user_app,
    new_client,
    sign_up_and_login,
)
from tests.web.accounts_fixtures import api_token as make_api_token

__all__ = ["cheap_hashing", "multi_user_app"]  # fixtures, used by name

OPENAPI = f"{API_PREFIX}/openapi.json"
POSITIVE_EXAMPLES = 15
NEGATIVE_EXAMPLES = 10
SHOWN_PER_OPERATION = 2  # failing requests quoted per operation and kind of failure

CHECKS: list[CheckFunction] = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
NEGATIVE_CHECKS: list[CheckFunction] = [*CHECKS, negative_data_rejection]

# Run last, in this order: each can take away what the operations after it need (the API
# token, the account). The signed-in run also signs in again before each of their requests.
LAST = (f"DELETE {API_PREFIX}/tokens/{{token_id}}", f"DELETE {API_PREFIX}/data")

# Sent once more after the generated cases, so that the run also does what generation hardly
# ever does: DELETE /data with ?confirm=yes really deletes (the signed-in run signs up again).
EXPLICIT: dict[str, dict[str, Any]] = {f"DELETE {API_PREFIX}/data": {"query": {"confirm": "yes"}}}

ANONYMOUS = "anonymous (multi-user)"
SIGNED_IN = "signed in (multi-user)"
SINGLE = "single person"

# Operations left out of the runs below while their bug is being fixed elsewhere: mode ->
# operation -> the bug. Each runs alone in test_known_bug, xfail(strict=True), so that the test
# says so the moment the bug is gone. None now.
KNOWN_BUGS: dict[str, dict[str, str]] = {}


def label(operation: APIOperation) -> str:
    return f"{operation.method.upper()} {operation.path}"


@dataclass
class Run:
    """What one mode's run did: the requests sent and each failure with how to repeat it."""

    mode: str
    operations: int = 0
    cases: int = 0
    failing_cases: int = 0
    failures: list[str] = field(default_factory=list)  # the first few of each kind, to read
    _shown: dict[tuple[str, str], int] = field(default_factory=dict)

    def failed(
        self, operation: str, group: FailureGroup, case: Case, headers: dict[str, str]
    ) -> None:
        self.failing_cases += 1
        for failure in group.exceptions:
            key = (operation, failure.title)
            self._shown[key] = self._shown.get(key, 0) + 1
            if self._shown[key] <= SHOWN_PER_OPERATION:
                curl = case.as_curl_command(headers=headers)
                self.failures.append(f"{operation}: {failure.title}\n  {curl}\n  {failure.message}")

    def report(self) -> str:
        heading = f"{self.failing_cases} of {self.cases} requests failed in {self.mode}:"
        return heading + "\n" + "\n".join(self.failures)


def operations_of(app: FastAPI) -> list[APIOperation]:
    """Every operation of the app's document, in its order, those in LAST at the end."""
    schema = schemathesis.openapi.from_asgi(OPENAPI, app)
    found = [result.ok() for result in schema.get_all_operations()]
    return sorted(found, key=lambda op: LAST.index(label(op)) + 1 if label(op) in LAST else 0)


def run_operation(
    run: Run,
    operation: APIOperation,
    headers: Callable[[], dict[str, str]],
    before_each: Callable[[], None] | None = None,
) -> None:
    """Send ``operation`` its positive and negative examples and check every response."""
    run.operations += 1
    send_examples(run, operation, GenerationMode.POSITIVE, headers, before_each)
    send_examples(run, operation, GenerationMode.NEGATIVE, headers, before_each)
    if label(operation) in EXPLICIT:
        send(run, operation.Case(**EXPLICIT[label(operation)]), CHECKS, headers, before_each)


def send(
    run: Run,
    case: Case,
    checks: list[CheckFunction],
    headers: Callable[[], dict[str, str]],
    before_each: Callable[[], None] | None,
) -> None:
    """One request, counted, and its response checked."""
    if before_each is not None:
        before_each()
    sent = headers()
    run.cases += 1
    response = case.call(headers=sent)
    try:
        case.validate_response(response, checks=checks, headers=sent)
    except FailureGroup as group:
        run.failed(label(case.operation), group, case, sent)


def send_examples(
    run: Run,
    operation: APIOperation,
    generation: GenerationMode,
    headers: Callable[[], dict[str, str]],
    before_each: Callable[[], None] | None,
) -> None:
    name = label(operation)
    positive = generation is GenerationMode.POSITIVE
    checks = CHECKS if positive else NEGATIVE_CHECKS

    @settings(
        max_examples=POSITIVE_EXAMPLES if positive else NEGATIVE_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(case=operation.as_strategy(generation_mode=generation))
    def generated(case: Case) -> None:
        send(run, case, checks, headers, before_each)

    try:
        generated()
    except Unsatisfiable:
        # Nothing in this operation can be made invalid (no parameters, no body, or only
        # strings in the path, which every value fits): there is no negative case to send.
        assert not positive, f"{name}: schemathesis found no request that fits the document"


def run_mode(
    mode: str,
    app: FastAPI,
    headers: Callable[[], dict[str, str]] = dict,
    before_each: Callable[[], None] | None = None,
) -> Run:
    run = Run(mode)
    started = time.monotonic()
    for operation in operations_of(app):
        if label(operation) in KNOWN_BUGS.get(mode, {}):
            continue  # run by test_known_bug, xfail(strict=True)
        needs = before_each if label(operation) in LAST else None
        run_operation(run, operation, headers, needs)
    record(
        "schemathesis",
        mode=mode,
        operations=run.operations,
        cases=run.cases,
        failures=run.failing_cases,
        known_bugs=len(KNOWN_BUGS.get(mode, {})),
        seconds=round(time.monotonic() - started, 1),
    )
    return run


class SignedIn:
    """A person signed in on the shared server, with a working API token whenever asked:
    after their token is revoked a new one is made, after their account is deleted a new
    person signs up (both only between requests of the operations in LAST)."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.people = 0
        self.token = ""
        self.username = ""
        self.client: TestClient | None = None
        self.sign_up()

    def sign_up(self) -> None:
        self.people += 1
        self.username = f"runner{self.people}"
        self.client = new_client(self.app)
        sign_up_and_login(self.client, self.username)
        self.token = make_api_token(self.client)
        seed(self.client, bearer(self.token))

    def headers(self) -> dict[str, str]:
        return bearer(self.token)

    def ensure(self) -> None:
        assert self.client is not None
        if self.client.get(f"{API_PREFIX}/account", headers=self.headers()).status_code == 200:
            return
        login = self.client.post(
            f"{API_PREFIX}/login", json={"username": self.username, "password": PASSWORD}
        )
        if login.status_code == 201:
            self.token = login.json()["token"]
        else:  # the account was deleted
            self.sign_up()


def seed(client: TestClient, headers: dict[str, str]) -> None:
    """A profile and a diary day, so that the plan, today, the handout and the diary have
    something to show, and the clinician role, so that the clinic's routes go past it."""
    profile = client.put(
        f"{API_PREFIX}/profile",
        json={"painful_side": "left", "equipment": ["chair"], "minutes_per_day": 15},
        headers=headers,
    )
    assert profile.status_code == 200, profile.text
    today = dt.date.today().isoformat()
    diary = client.put(
        f"{API_PREFIX}/diary/{today}", json={"pain_now": 2, "worst_pain": 4}, headers=headers
    )
    assert diary.status_code == 201, diary.text
    role = client.put(f"{API_PREFIX}/care/role", json={"clinician": True}, headers=headers)
    assert role.status_code == 200, role.text


@pytest.fixture
def single_person_app(home: Path) -> FastAPI:
    """Single-person mode as ``piri serve`` first starts: nothing stored yet (the signed-in
    run is the one with data)."""
    return create_app(WebConfig())


def test_every_operation_as_anonymous(multi_user_app: FastAPI) -> None:
    run = run_mode(ANONYMOUS, multi_user_app)
    assert not run.failures, run.report()


def test_every_operation_signed_in(multi_user_app: FastAPI) -> None:
    person = SignedIn(multi_user_app)
    run = run_mode(SIGNED_IN, multi_user_app, person.headers, person.ensure)
    assert not run.failures, run.report()
    assert person.client is not None
    gone = person.client.get(f"{API_PREFIX}/account", headers=person.headers())
    assert gone.status_code == 401, "DELETE /data?confirm=yes, sent last, kept the account"


def test_every_operation_in_single_person_mode(single_person_app: FastAPI) -> None:
    run = run_mode(SINGLE, single_person_app)
    assert not run.failures, run.report()
