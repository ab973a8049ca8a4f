"""Prescribing in the browser and the API, as each of four people: Ana (a runner), Bea (Ana's
physiotherapist), Cal (a clinician Ana never invited) and Dan (a second runner, not a
clinician). Only Bea prescribes, and only until Ana withdraws; Ana sees who changed what."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response

from piri.services import care, care_plan
from piri.services import program as coach
from tests.web.accounts_fixtures import (
    api_token,
    bearer,
    cheap_hashing,
    csrf_of,
    multi_user_app,
    new_client,
    sign_up_and_login,
)

__all__ = ["cheap_hashing", "multi_user_app"]  # fixtures used by name

PLAN = {
    "progression": "manual",
    "source": "routine:strength",
    "items": [
        {"exercise": "clamshell", "sets": 2, "reps": 12, "notes": "slowly"},
        {"exercise": "side-plank", "sets": 3, "hold_seconds": 20},
    ],
}


@dataclass
class Person:
    name: str
    client: TestClient
    token: str


@pytest.fixture
def four(multi_user_app: FastAPI) -> dict[str, Person]:
    found = {}
    for username in ("ana", "bea", "cal", "dan"):
        client = new_client(multi_user_app)
        name = sign_up_and_login(client, username)
        found[username] = Person(name, client, api_token(client))
    care.set_clinician(found["bea"].name, True)
    care.set_clinician(found["cal"].name, True)
    invitation = care.invite_clinician(found["ana"].name)
    assert invitation.code is not None
    care.accept_invitation(found["bea"].name, invitation.code)
    coach.update_profile(found["ana"].name, days_per_week=3)
    return found


def api(people: dict[str, Person], who: str, method: str, path: str, **kwargs: Any) -> Response:
    person = people[who]
    return person.client.request(method, f"/api/v1{path}", headers=bearer(person.token), **kwargs)


def form(person: Person, path: str, data: dict[str, str]) -> Response:
    return person.client.post(path, data={**data, "csrf_token": csrf_of(person.client)})


# --- the API --------------------------------------------------------------------------------


def test_bea_publishes_through_the_api_and_ana_sees_who_set_it_and_what_changed(
    four: dict[str, Person],
) -> None:
    builder = api(four, "bea", "GET", "/clinic/runners/ana/plan")
    assert builder.status_code == 200
    body = builder.json()
    assert body["plan"] is None and body["templates"][0]["key"] == "routine:article"
    kinds = {e["id"]: e["dose_model"] for e in body["exercises"]}
    assert kinds["clamshell"] == "reps" and kinds["side-plank"] == "timed"
    published = api(four, "bea", "PUT", "/clinic/runners/ana/plan", json=PLAN)
    assert published.status_code == 200, published.text
    assert published.json()["set_by"] == "bea"
    changed = {**PLAN, "items": [{**PLAN["items"][0], "sets": 3}]}  # type: ignore[dict-item]
    api(four, "bea", "PUT", "/clinic/runners/ana/plan", json=changed)
    mine = api(four, "ana", "GET", "/care-plan").json()
    assert mine["plan"]["set_by"] == "bea"
    assert mine["plan"]["changes"] == [
        "Clamshell with mini band dose 2×12 → 3×12",
        "removed Side plank",
    ]
    assert "changed your plan" in mine["announcements"][0]["text"]
    today = api(four, "ana", "GET", "/today").json()
    planned = [e["exercise"] for e in (today["session"] or today["next_session"])["exercises"]]
    assert planned == ["clamshell"]
    dismissed = api(four, "ana", "POST", f"/notes/{mine['announcements'][0]['id']}/read")
    assert dismissed.status_code == 200
    assert len(api(four, "ana", "GET", "/care-plan").json()["announcements"]) == 1
    assert api(four, "bea", "DELETE", "/clinic/runners/ana/plan").status_code == 204
    assert api(four, "ana", "GET", "/care-plan").json()["plan"] is None


def test_a_dose_outside_the_exercise_s_model_is_422_naming_the_field(
    four: dict[str, Person],
) -> None:
    bad = {**PLAN, "items": [{"exercise": "clamshell", "sets": 2, "reps": 60}]}
    refused = api(four, "bea", "PUT", "/clinic/runners/ana/plan", json=bad)
    assert refused.status_code == 422
    assert refused.json()["field"] == "items.0.reps"
    held = {**PLAN, "items": [{"exercise": "side-plank", "sets": 2, "reps": 10}]}
    assert (
        api(four, "bea", "PUT", "/clinic/runners/ana/plan", json=held).json()["field"]
        == "items.0.reps"
    )
    typed = {**PLAN, "items": [{"exercise": "clamshell", "sets": "2", "reps": 10}]}
    assert (
        api(four, "bea", "PUT", "/clinic/runners/ana/plan", json=typed).json()["field"]
        == "items.0.sets"
    )


def test_only_bea_gets_in_and_only_until_ana_withdraws(four: dict[str, Person]) -> None:
    for who, status in (("cal", 404), ("dan", 403), ("ana", 403)):
        for method, path, body in (
            ("GET", "/clinic/runners/ana/plan", None),
            ("PUT", "/clinic/runners/ana/plan", PLAN),
            ("DELETE", "/clinic/runners/ana/plan", None),
            ("POST", "/clinic/runners/ana/notes", {"text": "hello"}),
        ):
            answer = api(four, who, method, path, json=body)
            assert answer.status_code == status, (who, method, path)
    assert api(four, "bea", "GET", "/clinic/runners/dan/plan").status_code == 404
    assert api(four, "bea", "PUT", "/clinic/runners/ana/plan", json=PLAN).status_code == 200
    link = care.care_team(four["ana"].name)[0]
    care.withdraw(four["ana"].name, link.id)
    assert api(four, "bea", "GET", "/clinic/runners/ana/plan").status_code == 404
    assert four["bea"].client.get("/clinic/runners/ana/plan").status_code == 404


def test_notes_through_the_api_are_the_runner_s_own_to_mark(four: dict[str, Person]) -> None:
    empty = api(four, "bea", "POST", "/clinic/runners/ana/notes", json={"text": "  "})
    assert empty.status_code == 422 and empty.json()["field"] == "text"
    written = api(four, "bea", "POST", "/clinic/runners/ana/notes", json={"text": "Well done"})
    assert written.status_code == 201
    note = api(four, "ana", "GET", "/notes").json()[0]
    assert (note["author"], note["text"]) == ("bea", "Well done")
    assert api(four, "dan", "POST", f"/notes/{note['id']}/read").status_code == 404
    assert api(four, "ana", "POST", f"/notes/{note['id']}/read").status_code == 200
    assert api(four, "ana", "GET", "/notes").json() == []


def test_templates_through_the_api_are_unique_by_name_per_clinician(
    four: dict[str, Person],
) -> None:
    body = {"name": "Early glutes", "items": PLAN["items"]}
    saved = api(four, "bea", "POST", "/clinic/templates", json=body)
    assert saved.status_code == 201
    again = api(four, "bea", "POST", "/clinic/templates", json=body)
    assert again.status_code == 422 and again.json()["field"] == "name"
    assert api(four, "cal", "POST", "/clinic/templates", json=body).status_code == 201
    assert api(four, "ana", "GET", "/clinic/templates").status_code == 403
    key = saved.json()["key"]
    number = key.split(":")[1]
    assert api(four, "cal", "DELETE", f"/clinic/templates/{number}").status_code == 422
    assert api(four, "bea", "DELETE", f"/clinic/templates/{number}").status_code == 204
    assert api(four, "bea", "GET", "/clinic/templates").json() == []


# --- the pages -----------------------------------------------------------------------------------


def test_bea_builds_from_the_article_s_six_and_publishes_from_the_page(
    four: dict[str, Person],
) -> None:
    bea = four["bea"]
    page = bea.client.get("/clinic/runners/ana/plan?start=routine:article")
    assert page.status_code == 200
    assert 'name="clamshell.include" value="yes" checked' in page.text
    assert 'name="side-plank.hold_seconds"' in page.text  # timed: seconds, no reps field
    assert 'name="side-plank.reps"' not in page.text
    typed = {
        "source": "routine:article",
        "progression": "automatic",
        "row": "clamshell",
        "clamshell.include": "yes",
        "clamshell.sets": "3",
        "clamshell.reps": "eleven",
        "clamshell.notes": "knees together",
    }
    refused = form(bea, "/clinic/runners/ana/plan", typed)
    assert refused.status_code == 422
    assert "eleven" in refused.text and "knees together" in refused.text
    assert 'id="error-clamshell.reps"' in refused.text
    published = form(bea, "/clinic/runners/ana/plan", {**typed, "clamshell.reps": "11"})
    assert published.status_code == 303
    week = coach.this_week(four["ana"].name)
    assert week.prescribed is not None and week.prescribed.author == "bea"
    first_day = next(d for d in week.days if not d.rest_day)
    assert [(e, d.sets, d.reps) for e, d in first_day.items] == [("clamshell", 3, 11)]


def test_ana_sees_the_change_and_the_note_on_today_and_plan_until_she_dismisses_them(
    four: dict[str, Person],
) -> None:
    api(four, "bea", "PUT", "/clinic/runners/ana/plan", json=PLAN)
    noted = form(four["bea"], "/clinic/runners/ana/notes", {"text": "Try it slower this week."})
    assert noted.status_code == 303
    ana = four["ana"]
    today = ana.client.get("/today")
    assert "bea, of your care team, set your plan" in today.text
    assert "Try it slower this week." in today.text and "From your care team" in today.text
    plan = ana.client.get("/plan")
    assert "bea, of your care team, set for you" in plan.text and "slowly" in plan.text
    notes = api(four, "ana", "GET", "/notes").json()
    change = api(four, "ana", "GET", "/care-plan").json()["announcements"][0]
    assert form(ana, f"/today/notes/{notes[0]['id']}/read", {}).status_code == 303
    assert (
        form(ana, f"/today/notes/{change['id']}/read?back=plan", {}).headers["location"] == "/plan"
    )
    today = ana.client.get("/today")
    assert "Try it slower" not in today.text and "set your plan" not in today.text
    assert "set by bea, of your care team" in today.text  # who set it stays said
    assert form(four["dan"], f"/today/notes/{notes[0]['id']}/read", {}).status_code == 404


def test_an_empty_note_from_the_page_is_named_and_nothing_is_sent(
    four: dict[str, Person],
) -> None:
    refused = form(four["bea"], "/clinic/runners/ana/notes", {"text": "   "})
    assert refused.status_code == 422 and 'id="error-text"' in refused.text
    assert api(four, "ana", "GET", "/notes").json() == []


def test_a_template_saved_from_the_page_is_offered_then_deleted(four: dict[str, Person]) -> None:
    bea = four["bea"]
    typed = {
        "runner": "ana",
        "row": "glute-bridge",
        "glute-bridge.include": "yes",
        "glute-bridge.sets": "2",
        "glute-bridge.reps": "10",
        "template_name": "Bridges",
    }
    saved = form(bea, "/clinic/templates", typed)
    assert saved.status_code == 303
    taken = form(bea, "/clinic/templates", typed)
    assert taken.status_code == 422 and "already have a template" in taken.text
    listing = bea.client.get("/clinic/templates")
    assert "Bridges" in listing.text
    assert four["ana"].client.get("/clinic/templates").status_code == 403
    number = api(four, "bea", "GET", "/clinic/templates").json()[0]["key"].split(":")[1]
    assert form(bea, f"/clinic/templates/{number}/delete", {}).status_code == 303
    assert "Bridges" not in bea.client.get("/clinic/templates").text


def test_the_pages_refuse_cal_dan_and_ana_herself(four: dict[str, Person]) -> None:
    assert four["cal"].client.get("/clinic/runners/ana/plan").status_code == 404
    assert four["dan"].client.get("/clinic/runners/ana/plan").status_code == 403
    assert four["ana"].client.get("/clinic/runners/ana/plan").status_code == 403
    assert form(four["cal"], "/clinic/runners/ana/notes", {"text": "hi"}).status_code == 404
    ended = form(four["bea"], "/clinic/runners/ana/plan/end", {})
    assert ended.status_code == 422


def test_a_single_person_sees_no_care_team_cards(client: TestClient) -> None:
    coach.update_profile(days_per_week=3)
    page = client.get("/today")
    assert page.status_code == 200 and "care team" not in page.text.lower()


HOSTILE = [
    "",
    " ",
    "-1",
    "0",
    "3.5",
    "1e9",
    "٣",
    "²",
    "99999999999999999999",
    "\x00",
    "<b>x</b>",
    "x" * 5000,
]


def test_hostile_values_in_every_builder_field_are_refused_clearly_and_publish_nothing(
    four: dict[str, Person],
) -> None:
    bea = four["bea"]
    good = {
        "progression": "manual",
        "row": "clamshell",
        "clamshell.include": "yes",
        "clamshell.sets": "2",
        "clamshell.reps": "10",
        "clamshell.notes": "",
    }
    for name in ("clamshell.sets", "clamshell.reps", "clamshell.notes", "progression", "row"):
        for value in HOSTILE:
            answer = form(bea, "/clinic/runners/ana/plan", {**good, name: value})
            assert answer.status_code < 500, (name, value)
            if answer.status_code == 422:
                assert "field-error" in answer.text or "error-summary" in answer.text, (name, value)
    for value in HOSTILE:
        for path, field in (
            ("/clinic/runners/ana/notes", "text"),
            ("/clinic/templates", "template_name"),
        ):
            data = {**good, "runner": "ana", field: value}
            assert form(bea, path, data).status_code < 500, (path, value)
        assert (
            bea.client.get("/clinic/runners/ana/plan", params={"start": value}).status_code == 200
        )
    # Only what a clinician could mean was published; a note is shown as text, never markup.
    plan = care_plan.care_plan_of(four["ana"].name)
    assert plan is not None
    (clam,) = plan.items
    assert 1 <= clam.sets <= 10 and clam.reps is not None and 1 <= clam.reps <= 50
    assert len(clam.notes) <= 500 and "\x00" not in clam.notes
    form(bea, "/clinic/runners/ana/plan", {**good, "clamshell.notes": "<b>x</b>"})
    assert "&lt;b&gt;x&lt;/b&gt;" in four["ana"].client.get("/plan").text
