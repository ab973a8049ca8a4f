"""The care team's isolation, over every care and clinic route the app has when this runs.

The routes come from the app itself (its route table, routers flattened): every path under
``/clinic``, ``/care`` and their ``/api/v1`` twins, ``/api/v1/notes`` and ``/api/v1/care-plan``,
every method each takes. A route added later is walked without touching this file. Path
parameters are filled with Ana's: her username for text parameters, her link, note or other
ids for numbers. Five callers:

- Ana, a runner, who shares everything with Bea and has a diary day with a marker in it;
- Bea, her physiotherapist, who may read Ana's record;
- Cal, a clinician Ana never invited (with a runner of his own, Dan);
- Dan, a second runner;
- and an anonymous visitor.

Then: the visitor is sent to sign in (pages) or answered 401 (API) everywhere; Cal and Dan
are refused on every route that names Ana, never see her username or diary text anywhere,
and change nothing of hers; every answer that shows Bea any of Ana's record added an entry to
Ana's audit log; and after Ana withdraws, Bea is refused on her very next request to every
route that named Ana, and sees nothing of Ana anywhere.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from piri.domain.care import Share
from piri.services import care as care_service
from piri.services import gait_checks
from piri.services.diary import store
from piri.store.accounts import account_of_person
from piri.store.database import transaction
from piri.store.models import CareNote
from tests.web.accounts_fixtures import (
    cheap_hashing,
    csrf_of,
    multi_user_app,
    new_client,
    sign_up_and_login,
)
from tests.web.test_isolation import a_clip, api_routes, example, takes_person

__all__ = ["cheap_hashing", "multi_user_app"]  # fixtures used by name

CARE_PREFIXES = (
    "/clinic",
    "/api/v1/clinic",
    "/care",
    "/api/v1/care",
    "/api/v1/notes",
    "/api/v1/care-plan",
)
# The runner's own consent pages: they show a clinician the names of their runners (by
# design, without an audit entry) but never a runner's record.
CONSENT_PREFIXES = ("/care", "/api/v1/care/")
REFUSED = (403, 404)
REFUSED_CHANGE = (403, 404, 405, 409, 422)  # a change may also fail on its body first
RUNNER = "ana"
USERNAME_PARAMETERS = ("username", "runner", "runner_username")
NOBODYS_ID = 987654  # for a kind of row Ana has none of (her plans, a clinician's templates)


@dataclass(frozen=True)
class Walk:
    """One method of one route, with what fills its path."""

    method: str
    path: str  # as declared, e.g. /clinic/runners/{username}
    route: Any  # fastapi.routing.RouteContext
    parameters: dict[str, type]

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")

    @property
    def is_consent(self) -> bool:
        return self.path.startswith(CONSENT_PREFIXES) and not self.path.startswith(
            "/api/v1/care-plan"
        )

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def parameter_types(route: Any) -> dict[str, type]:
    names = re.findall(r"{([^}:]+)", route.path)
    hints = typing.get_type_hints(route.original_route.endpoint)
    return {name: hints.get(name, str) for name in names}


def care_walks(app: FastAPI) -> list[Walk]:
    found = [
        Walk(method, route.path, route, parameter_types(route))
        for route in api_routes(app)
        if route.path.startswith(CARE_PREFIXES)
        for method in sorted(route.methods - {"HEAD"})
    ]
    # Reads first, so that a change (a clinician leaving, say) cannot hide a later read.
    return sorted(found, key=lambda walk: (walk.method != "GET", walk.path, walk.method))


@dataclass
class Caller:
    username: str
    client: TestClient
    person: str = ""


@dataclass
class World:
    app: FastAPI
    ana: Caller
    bea: Caller
    cal: Caller
    dan: Caller
    anonymous: TestClient
    marker: str
    ids: dict[str, int]  # ana's link, note, ...: what fills number parameters
    walks: list[Walk] = field(default_factory=list)

    def fill(self, walk: Walk) -> tuple[str, bool]:
        """The path with Ana's values, and whether it names something of Ana's (her username,
        or the id of her link or of a note to her; an id of nothing of hers is a number no
        row has)."""
        path, names_ana = walk.path, False
        for name, kind in walk.parameters.items():
            value: object = RUNNER
            if kind is int:
                value = self.id_for(name, walk.path)
            names_ana = names_ana or value != NOBODYS_ID
            path = path.replace("{" + name + "}", str(value))
        return path, names_ana

    def id_for(self, name: str, path: str) -> int:
        """Ana's id of that kind: from the parameter's name (``note_id``) or, for a bare
        ``{id}``, from the path (``/notes/{id}``); a link number when nothing else fits."""
        if name == "position":  # a key frame of Ana's gait check
            return 1
        for key in ("note", "plan", "template", "check", "link"):
            if key in name or (name == "id" and key in path):
                return self.ids.get(key, NOBODYS_ID)
        return self.ids["link"]

    def call(self, client: TestClient, walk: Walk) -> tuple[str, bool, httpx.Response]:
        path, names_ana = self.fill(walk)
        kwargs: dict[str, Any] = {}
        if walk.method != "GET":
            if walk.is_api:
                kwargs["headers"] = {"X-CSRF-Token": csrf_of(client)}
                kwargs["json"] = self.body(walk)
            else:
                kwargs["data"] = {
                    "csrf_token": csrf_of(client),
                    "text": "a note",
                    "shares": "diary",
                    "code": "ABCD-EFGH-JK",
                }
        response = client.request(walk.method, path, **kwargs)
        if walk.method != "GET":
            self.keep_roles()
        return path, names_ana, response

    def relink_if_left(self) -> None:
        """A walked change may have been Bea leaving Ana: link them again for what follows."""
        if any(link.open for link in care_service.care_team(self.ana.person)):
            return
        code = care_service.invite_clinician(self.ana.person).code
        assert code
        self.ids["link"] = care_service.accept_invitation(self.bea.person, code).id

    def keep_roles(self) -> None:
        """Bea and Cal stay clinicians whatever a walked change did (PUT /care/role turns
        the role off with its example body), so that a later refusal is about consent."""
        for clinician in (self.bea, self.cal):
            care_service.set_clinician(clinician.person, True)

    def body(self, walk: Walk) -> Any:
        spec = self.app.openapi()
        operation = spec["paths"].get(walk.path, {}).get(walk.method.lower(), {})
        content = operation.get("requestBody", {}).get("content", {})
        if "application/json" not in content:
            return None
        components = spec.get("components", {}).get("schemas", {})
        return example(content["application/json"]["schema"], components)


def shows_ana(world: World, path: str, response: httpx.Response) -> bool:
    """Whether the answer holds Ana's username or her diary's text (her username in the
    address the caller asked for does not count: they typed it)."""
    text = response.text.replace(path, "")
    return world.marker in text or re.search(rf"\b{RUNNER}\b", text) is not None


def audit_count(world: World) -> int:
    return len(care_service.audit_log(world.ana.person))


def sign_up(app: FastAPI, username: str, address: str) -> Caller:
    client = new_client(app, address)
    return Caller(username, client, sign_up_and_login(client, username))


@pytest.fixture
def world(multi_user_app: FastAPI) -> Iterator[World]:
    app = multi_user_app
    ana, bea = sign_up(app, RUNNER, "192.0.2.1"), sign_up(app, "bea", "192.0.2.2")
    cal, dan = sign_up(app, "cal", "192.0.2.3"), sign_up(app, "dan", "192.0.2.4")
    anonymous = new_client(app, "192.0.2.5")
    marker = f"ana-diary-{uuid.uuid4().hex[:10]}"
    day = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    written = ana.client.put(
        f"/api/v1/diary/{day}",
        json={"pain_now": 3, "worst_pain": 5, "notes": marker},
        headers={"X-CSRF-Token": csrf_of(ana.client)},
    )
    assert written.status_code < 300, written.text
    for clinician in (bea, cal):
        care_service.set_clinician(clinician.person, True)
    code = care_service.invite_clinician(ana.person).code
    assert code
    link = care_service.accept_invitation(bea.person, code)
    dans_code = care_service.invite_clinician(dan.person).code
    assert dans_code
    care_service.accept_invitation(cal.person, dans_code)
    ids = {
        "link": link.id,
        "note": _note_for_ana(ana, bea, marker),
        "check": _gait_check_for_ana(ana),
    }
    found = World(app, ana, bea, cal, dan, anonymous, marker, ids, care_walks(app))
    yield found
    for client in (ana.client, bea.client, cal.client, dan.client, anonymous):
        client.close()


def _gait_check_for_ana(ana: Caller) -> int:
    """A gait check of Ana's, analysed (the real pose model: nobody in the clip, one key
    frame), so that the clinic's gait routes have a real check and frame to show or refuse."""
    answer = ana.client.post(
        "/api/v1/gait/checks",
        files=[("video", ("ana.mp4", a_clip()))],
        headers={"X-CSRF-Token": csrf_of(ana.client)},
    )
    assert answer.status_code == 202, answer.text
    check_id: int = answer.json()["id"]
    assert gait_checks.analyse_next() == check_id
    return check_id


def _note_for_ana(ana: Caller, bea: Caller, marker: str) -> int:
    """A note Bea wrote to Ana, so that note routes have a real id of Ana's to refuse."""
    with transaction(store()) as session:
        runner = account_of_person(session, ana.person)
        author = account_of_person(session, bea.person)
        assert runner and author
        note = CareNote(
            runner_id=runner.person_id,
            author_id=author.person_id,
            author_name="bea",
            written_at=dt.datetime.now(dt.UTC),
            text=f"note for {marker}",
        )
        session.add(note)
        session.flush()
        return note.id


def test_the_walk_covers_the_consent_routes_and_every_route_asks_who_is_calling(
    world: World,
) -> None:
    walked = {str(walk) for walk in world.walks}
    for expected in ("GET /care", "POST /api/v1/care/accept", "DELETE /api/v1/care/team/{link_id}"):
        assert expected in walked
    silent = [str(walk) for walk in world.walks if not takes_person(walk.route)]
    assert not silent, f"care routes that never ask who is calling: {silent}"


def test_anonymous_visitors_are_sent_to_sign_in(world: World) -> None:
    for walk in world.walks:
        path, _names, response = world.call(world.anonymous, walk)
        if walk.is_api:
            assert response.status_code == 401, f"{walk}: {response.status_code}"
        else:
            assert response.status_code == 303, f"{walk}: {response.status_code}"
            assert response.headers["location"].startswith("/login"), str(walk)
        assert not shows_ana(world, path, response), f"{walk} showed Ana to a visitor"


def test_outsiders_are_refused_everything_of_anas_and_change_nothing(world: World) -> None:
    before = care_service.care_team(world.ana.person)
    for outsider in (world.cal, world.dan):
        for walk in world.walks:
            path, names_ana, response = world.call(outsider.client, walk)
            who = f"{outsider.username}: {walk}"
            assert not shows_ana(world, path, response), f"{who} showed Ana's record"
            if names_ana:
                allowed = REFUSED if walk.method == "GET" else REFUSED_CHANGE
                if walk.is_consent:  # someone else's link number is a wrong field there
                    allowed = (*allowed, 422)
                assert response.status_code in allowed, f"{who}: {response.status_code}"
    assert care_service.care_team(world.ana.person) == before
    actors = {entry.actor for entry in care_service.audit_log(world.ana.person)}
    assert actors <= {"bea"}, f"outsiders in Ana's audit log: {actors}"
    ana_sees = world.ana.client.get("/api/v1/diary").text
    assert world.marker in ana_sees  # the marker is findable: its absence above means something


def test_every_read_of_anas_record_is_in_her_audit_log_and_withdrawal_ends_it(
    world: World,
) -> None:
    bea = world.bea
    reads = [walk for walk in world.walks if walk.method == "GET"]
    showed: list[str] = []
    for walk in reads:
        before = audit_count(world)
        path, names_ana, response = world.call(bea.client, walk)
        if walk.parameters and set(walk.parameters) <= set(USERNAME_PARAMETERS):
            assert response.status_code == 200, f"bea: {walk}: {response.status_code}"
        if response.status_code < 300 and shows_ana(world, path, response) and not walk.is_consent:
            assert audit_count(world) > before, f"bea read Ana by {walk} without an audit entry"
            showed.append(str(walk))
    if any(walk.parameters for walk in reads if not walk.is_consent):
        assert showed, "no route showed Bea any of Ana's record: the walk proves nothing"
    for walk in world.walks:
        if walk.method == "GET" or walk.is_consent or not world.fill(walk)[1]:
            continue
        before = audit_count(world)
        _path, _names, response = world.call(bea.client, walk)
        if response.status_code < 400:
            assert audit_count(world) > before, f"bea changed Ana's record by {walk} unlogged"
    world.relink_if_left()

    withdrawn = world.ana.client.delete(
        f"/api/v1/care/team/{world.ids['link']}",
        headers={"X-CSRF-Token": csrf_of(world.ana.client)},
    )
    assert withdrawn.status_code == 200, withdrawn.text
    for walk in world.walks:
        path, names_ana, response = world.call(bea.client, walk)
        assert not shows_ana(world, path, response), f"bea still sees Ana by {walk}"
        if names_ana:
            allowed = REFUSED if walk.method == "GET" else REFUSED_CHANGE
            if walk.is_consent:
                allowed = (*allowed, 422)
            assert response.status_code in allowed, f"bea after withdrawal: {walk}"
    assert not care_service.care_team(world.ana.person)[0].open


def test_a_narrowed_share_is_refused_from_the_next_request(world: World) -> None:
    """Ana keeps Bea but stops sharing her diary: every read that showed Bea her diary's text
    shows it no more, from the next request."""
    reads = [walk for walk in world.walks if walk.method == "GET" and not walk.is_consent]
    showing = [walk for walk in reads if world.marker in world.call(world.bea.client, walk)[2].text]
    if not showing:
        pytest.skip("no care route shows a runner's diary text yet")
    care_service.change_shares(world.ana.person, world.ids["link"], [Share.CHECKS.value])
    for walk in showing:
        _path, _names, response = world.call(world.bea.client, walk)
        assert world.marker not in response.text, f"bea read Ana's diary by {walk} unshared"
