"""The program API over HTTP: today, the plan, the session plans a player runs, played
sessions and the morning check-in; what they say agrees with ``piri plan`` and the services
behind ``piri today``, and every wrong input gets a stable code that names the field."""

from __future__ import annotations

import datetime as dt
import functools
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from piri.cli.program import BEFORE_A_PLAN_SESSION
from piri.content.loader import library
from piri.content.models import Phase
from piri.services import diary as diary_service
from piri.services.diary import LOCAL_PERSON
from piri.services.program import (
    ExerciseDone,
    profile_started,
    record_morning,
    this_week,
    today_plan,
    update_profile,
)
from piri.services.sessions import (
    plan_for_today,
    plan_routine,
    record_played_session,
    session_history,
    session_waiting_for_morning,
    work_planned,
)
from piri.store import diary as diary_store
from piri.store import program as program_store
from piri.store.database import transaction
from piri.web.api import program as program_api
from tests.conftest import PiriRunner
from tests.web.conftest import csrf
from tests.web.test_api_diary_scores import as_, shared
from tests.web.test_progress_pages import THIS_MONDAY

__all__ = ["shared"]  # a fixture, used by name

TODAY = dt.date.today()
YESTERDAY = TODAY - dt.timedelta(days=1)
SUNDAY = THIS_MONDAY + dt.timedelta(days=6)  # a rest day with one training day a week
PROFILE_NEEDED = {"code": "profile_needed", "message": program_api.PROFILE_NEEDED}
NOTHING_TO_SCORE = {
    "code": "nothing_to_score",
    "message": "no session is waiting for its next-morning pain; do a session first ('piri today')",
}


def make_profile(days: int = 7, person: str = LOCAL_PERSON, **changes: Any) -> None:
    """Painful on the left, 20 minutes a day; seven days a week holds a session every day."""
    update_profile(
        person=person, painful_side="left", days_per_week=days, minutes_per_day=20, **changes
    )


def move_to_phase(phase: Phase, since: dt.date, person: str = LOCAL_PERSON) -> None:
    with transaction(diary_service.store()) as session:
        program_store.save_phase(session, diary_store.person_id(session, person), phase, since)


def record_relief(day: dt.date, person: str = LOCAL_PERSON, during: int = 2, after: int = 2) -> int:
    """The relief routine done in full on ``day``, as the player saves it (see
    tests/browser/test_today.py); it then waits for its next-morning pain."""
    plan = plan_routine("relief")
    counts = work_planned(plan)
    done = [
        ExerciseDone(
            p.exercise.id, counts[p.exercise.id], counts[p.exercise.id], "done", p.dose.reps
        )
        for p in plan.exercises
    ]
    return record_played_session("relief", day, done, during, after, person=person)[0]


def all_done(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """Every exercise of a plan document (``GET /sessions/plan/...``) done in full."""
    return [
        {
            "exercise": e["id"],
            "status": "done",
            "sets_done": e["work_planned"],
            "sets_planned": e["work_planned"],
            "reps": e["reps"],
        }
        for e in plan["exercises"]
    ]


def relief_played(**changes: Any) -> dict[str, Any]:
    plan = plan_routine("relief")
    counts = work_planned(plan)
    exercises = [
        {
            "exercise": p.exercise.id,
            "status": "done",
            "sets_done": counts[p.exercise.id],
            "sets_planned": counts[p.exercise.id],
            "reps": p.dose.reps,
        }
        for p in plan.exercises
    ]
    return {
        "routine": "relief",
        "exercises": exercises,
        "pain_during": 2,
        "pain_after": 3,
        **changes,
    }


def fields(body: dict[str, Any]) -> list[str]:
    return [problem["field"] for problem in body["problems"]]


# --- before a profile ---------------------------------------------------------------------------


def test_before_a_profile_today_the_plan_and_todays_session_ask_for_one(
    client: TestClient,
) -> None:
    for path in ("/api/v1/today", "/api/v1/plan", "/api/v1/sessions/plan/today"):
        response = client.get(path)
        assert response.status_code == 409, path
        assert response.json() == PROFILE_NEEDED
    played = client.post("/api/v1/sessions", json={**relief_played(), "routine": "today"})
    assert played.status_code == 409
    assert played.json() == PROFILE_NEEDED
    assert profile_started() is False  # asking did not start a program
    assert session_history() == []


def test_a_routine_needs_no_profile(client: TestClient) -> None:
    response = client.get("/api/v1/sessions/plan/relief")
    assert response.status_code == 200
    assert response.json()["painful_side"] is None
    assert client.post("/api/v1/sessions", json=relief_played()).status_code == 201


# --- today --------------------------------------------------------------------------------------


def test_today_holds_the_planned_session_and_the_week_day_by_day(client: TestClient) -> None:
    make_profile()
    response = client.get("/api/v1/today")
    assert response.status_code == 200
    body = response.json()
    week, day = today_plan()
    assert body["date"] == TODAY.isoformat()
    assert body["weekday"] == f"{TODAY:%A}"
    assert (body["phase"], body["phase_name"], body["rest_day"]) == ("settle", "Settle", False)
    session = body["session"]
    assert session["minutes"] == day.minutes
    assert [(e["exercise"], e["dose"]) for e in session["exercises"]] == [
        (e, dose.model_dump(mode="json")) for e, dose in day.items
    ]
    names = library().exercises
    assert [e["name"] for e in session["exercises"]] == [names[e].name for e, _ in day.items]
    assert session["done"] is False
    assert body["done_today"] == [] and body["waiting_for_morning"] is None
    assert body["next_session"]["date"] == (TODAY + dt.timedelta(days=1)).isoformat()
    # Monday to Sunday: the program began today, so no day before it is missed.
    expected = [
        (
            (THIS_MONDAY + dt.timedelta(days=n)).isoformat(),
            "not started"
            if n < TODAY.weekday()
            else "today"
            if n == TODAY.weekday()
            else "planned",
        )
        for n in range(7)
    ]
    assert [(g["date"], g["status"]) for g in body["week"]] == expected
    assert [g["minutes"] for g in body["week"]] == [d.minutes for d in week.days]


def test_a_session_done_today_marks_the_day_and_waits_for_tomorrow_morning(
    client: TestClient,
) -> None:
    make_profile()
    plan = client.get("/api/v1/sessions/plan/today").json()
    saved = client.post(
        "/api/v1/sessions",
        json={"routine": "today", "exercises": all_done(plan), "pain_during": 1, "pain_after": 2},
    )
    assert saved.status_code == 201
    body = client.get("/api/v1/today").json()
    assert body["session"]["done"] is True
    assert [e["id"] for e in body["done_today"]] == [saved.json()["id"]]
    assert body["done_today"][0]["planned_day"] is True
    assert body["waiting_for_morning"]["id"] == saved.json()["id"]
    today = next(g for g in body["week"] if g["date"] == TODAY.isoformat())
    assert (today["status"], today["sessions"]) == ("done", 1)


def test_a_rest_day_names_the_next_session(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_profile(days=1)  # Mondays only
    monkeypatch.setattr(
        program_api,
        "today_document",
        functools.partial(program_api.today_document, today=SUNDAY),
    )
    body = client.get("/api/v1/today").json()
    assert (body["date"], body["weekday"]) == (SUNDAY.isoformat(), "Sunday")
    assert body["rest_day"] is True and body["session"] is None
    monday = this_week().days[0]
    assert body["next_session"]["date"] == (SUNDAY + dt.timedelta(days=1)).isoformat()
    assert body["next_session"]["weekday"] == "Monday"
    assert body["next_session"]["minutes"] == monday.minutes
    assert [e["exercise"] for e in body["next_session"]["exercises"]] == [
        e for e, _ in monday.items
    ]
    assert [g["status"] for g in body["week"]][1:] == ["rest"] * 6


# --- the plan -----------------------------------------------------------------------------------


def test_the_plan_agrees_with_piri_plan_json(client: TestClient, piri: PiriRunner) -> None:
    make_profile(days=3, equipment=["mini_band"])
    move_to_phase(Phase.STRENGTHEN, TODAY - dt.timedelta(days=3))
    response = client.get("/api/v1/plan")
    assert response.status_code == 200
    api = response.json()
    cli = json.loads(piri("plan", "--format", "json").stdout)
    assert (api["phase"], api["phase_since"]) == (cli["phase"], cli["phase_since"])
    assert api["phase"] == "strengthen"
    assert [
        (d["weekday"], d["minutes"], [(e["exercise"], e["dose"]) for e in d["exercises"]])
        for d in api["days"]
    ] == [
        (d["weekday"], d["minutes"], [(e["exercise"], e["dose"]) for e in d["exercises"]])
        for d in cli["days"]
    ]
    assert [d["rest_day"] for d in api["days"]] == [not d["exercises"] for d in cli["days"]]
    assert [
        {k: s[k] for k in ("exercise", "sets", "reps", "harder", "easier")} for s in api["strength"]
    ] == cli["strength"]
    assert cli["strength"], "the strengthen phase has strength work to compare"
    current = next(p for p in api["phases"] if p["where"] == "current")
    assert current["moves_on_when"] == cli["moves_on_when"]
    assert [p["where"] for p in api["phases"]] == ["done", "current", "ahead"]
    assert api["profile"] == {
        "minutes_per_day": 20,
        "days_per_week": 3,
        "equipment": ["mini_band"],
        "painful_side": "left",
    }
    assert api["outlook"]["phase"] == "strengthen" and api["outlook"]["changes"] is False
    assert api["outlook"]["why"].startswith("Still strengthening: waiting for")
    assert api["last_change"] is None


def test_the_plan_tells_why_the_last_change_happened(client: TestClient) -> None:
    make_profile()
    record_relief(YESTERDAY)
    morning = client.post("/api/v1/today/morning", json={"morning": 2})
    assert morning.status_code == 200
    assert client.get("/api/v1/plan").json()["last_change"] == {
        "session_day": YESTERDAY.isoformat(),
        "decisions": morning.json()["decisions"],
        "pain_next_morning": 2,
    }


# --- the session plans a player runs ------------------------------------------------------------


def test_a_routine_plan_has_every_step_with_its_seconds(client: TestClient) -> None:
    response = client.get("/api/v1/sessions/plan/relief")
    assert response.status_code == 200
    body = response.json()
    plan = plan_routine("relief")
    routine = library().routines["relief"]
    assert (body["routine"], body["name"]) == ("relief", routine.name)
    assert body["before_you_start"] == routine.before_you_start
    assert body["sources"] == [s.model_dump(mode="json") for s in routine.sources]
    assert body["total_seconds"] == plan.total_seconds
    assert [e["id"] for e in body["exercises"]] == [p.exercise.id for p in plan.exercises]
    assert {e["id"]: e["work_planned"] for e in body["exercises"]} == work_planned(plan)
    assert [(s["kind"], s["seconds"]) for s in body["steps"]] == [
        (s.kind.value, s.seconds) for s in plan.steps
    ]
    first = body["steps"][0]
    assert (first["label"], first["is_work"], first["exercise_index"]) == ("Get ready", False, 0)
    assert body["exercises"][0]["link"] == f"/exercises/{plan.exercises[0].exercise.id}"
    assert all(f["url"].startswith("/figures/") for e in body["exercises"] for f in e["figures"])


@pytest.mark.parametrize(
    ("query", "side"), [("?side=right", "right"), ("", "left"), ("?side=", "left")]
)
def test_the_side_comes_from_the_query_or_else_the_profile(
    client: TestClient, query: str, side: str
) -> None:
    make_profile()  # painful on the left
    response = client.get(f"/api/v1/sessions/plan/relief{query}")
    assert response.status_code == 200
    assert response.json()["painful_side"] == side
    sides = [s["side"] for s in response.json()["steps"] if s["side"]]
    assert sides[0] == side  # the painful side goes first


def test_an_unknown_routine_is_named_with_a_suggestion(client: TestClient) -> None:
    response = client.get("/api/v1/sessions/plan/relax")
    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "message": "There is no routine called 'relax'. Did you mean relief?",
        "suggestions": ["relief"],
        "available": sorted(library().routines),
    }


def test_a_side_that_is_not_one_is_named(client: TestClient) -> None:
    response = client.get("/api/v1/sessions/plan/relief?side=middle")
    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid_choice",
        "message": "'middle' is not a valid side; choose one of: left, right.",
        "field": "side",
        "choices": ["left", "right"],
    }


def test_todays_session_plan_is_the_days_planned_session(client: TestClient) -> None:
    make_profile()
    body = client.get("/api/v1/sessions/plan/today").json()
    _week, day = today_plan()
    assert (body["routine"], body["name"], body["painful_side"]) == (
        "today",
        "Today: Settle",
        "left",
    )
    assert body["before_you_start"] == BEFORE_A_PLAN_SESSION
    assert [(e["id"], e["dose"]) for e in body["exercises"]] == [
        (e, dose.model_dump(mode="json")) for e, dose in day.items
    ]


def test_todays_session_plan_on_a_rest_day_says_so(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_profile(days=1)
    monkeypatch.setattr(
        program_api, "plan_for_today", lambda person: plan_for_today(person, SUNDAY)
    )
    response = client.get("/api/v1/sessions/plan/today")
    assert response.status_code == 409
    assert response.json() == {
        "code": "rest_day",
        "message": "Today is a rest day in your plan; nerve glides are fine.",
    }


# --- played sessions ----------------------------------------------------------------------------


def test_a_played_routine_is_stored_once_even_when_sent_twice(client: TestClient) -> None:
    body = relief_played(day=YESTERDAY.isoformat(), notes="sore desk day")
    first = client.post("/api/v1/sessions", json=body)
    assert first.status_code == 201
    saved = first.json()
    assert saved["created"] is True
    assert saved["next"] == program_api.AFTER_SAVING
    assert (saved["day"], saved["routine"], saved["name"]) == (
        YESTERDAY.isoformat(),
        "relief",
        library().routines["relief"].name,
    )
    assert (saved["planned_day"], saved["phase"], saved["completed"]) == (False, "settle", True)
    assert (saved["pain_during"], saved["pain_after"], saved["pain_next_morning"]) == (2, 3, None)
    assert saved["decisions"] == [] and saved["notes"] == "sore desk day"
    assert [(e["exercise"], e["status"], e["name"]) for e in saved["exercises"]] == [
        (e["exercise"], "done", library().exercises[e["exercise"]].name) for e in body["exercises"]
    ]
    again = client.post("/api/v1/sessions", json=body)
    assert again.status_code == 200
    assert again.json() == {**saved, "created": False}
    assert [e.id for e in session_history()] == [saved["id"]]


def test_todays_planned_session_is_stored_under_its_phase(client: TestClient) -> None:
    make_profile()
    plan = client.get("/api/v1/sessions/plan/today").json()
    done = all_done(plan)
    done[-1] = {**done[-1], "status": "partly done", "sets_done": 1}
    response = client.post("/api/v1/sessions", json={"routine": "today", "exercises": done})
    assert response.status_code == 201
    saved = response.json()
    assert (saved["day"], saved["routine"], saved["name"]) == (
        TODAY.isoformat(),
        "settle-day",
        "Planned session (settle)",
    )
    assert saved["planned_day"] is True and saved["completed"] is False
    assert saved["exercises"][-1]["status"] == "partly done"


def wrong_status(body: dict[str, Any]) -> dict[str, Any]:
    body["exercises"][0]["status"] = "skipped"
    return body


def unknown_exercise(body: dict[str, Any]) -> dict[str, Any]:
    body["exercises"][1]["exercise"] = "handstand"
    return body


def reordered(body: dict[str, Any]) -> dict[str, Any]:
    body["exercises"].reverse()
    return body


def wrong_count(body: dict[str, Any]) -> dict[str, Any]:
    body["exercises"][1].update(sets_planned=9, sets_done=9)
    return body


def more_done_than_planned(body: dict[str, Any]) -> dict[str, Any]:
    body["exercises"][2].update(sets_done=5, status="partly done")
    return body


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            lambda b: {**b, "day": "2999-01-01"},
            "day",
            f"day: 2999-01-01 is in the future (today is {TODAY})",
        ),
        (
            lambda b: {**b, "day": "0001-01-01"},
            "day",
            "day: 0001-01-01 is before 2000-01-01, the earliest date Piri keeps a record for",
        ),
        (
            lambda b: {**b, "notes": "after work\x00"},
            "notes",
            "notes: holds the control character U+0000, which cannot be stored; remove it",
        ),
        (
            wrong_status,
            "exercises.0.status",
            "exercises[0].status: 'skipped' does not fit 1 of 1 done",
        ),
        (
            unknown_exercise,
            "exercises.1.exercise",
            "exercises[1].exercise: there is no exercise called 'handstand'",
        ),
        (
            reordered,
            "exercises",
            "exercises: the routine 'relief' has sciatic-nerve-slider, supine-piriformis-stretch, "
            "seated-piriformis-stretch, glute-bridge, in that order",
        ),
        (
            wrong_count,
            "exercises.1.sets_planned",
            "exercises[1].sets_planned: supine-piriformis-stretch has 4 in 'relief', not 9",
        ),
        (
            more_done_than_planned,
            "exercises.2.sets_done",
            "exercises[2].sets_done: expected 0 to sets_planned (4), got 5",
        ),
    ],
)
def test_a_session_no_player_could_have_played_names_the_field(
    client: TestClient, change: Any, field: str, message: str
) -> None:
    response = client.post("/api/v1/sessions", json=change(relief_played()))
    assert response.status_code == 422
    assert response.json() == {"code": "invalid_session", "message": message, "field": field}
    assert session_history() == []


def test_an_unknown_routine_lists_the_choices(client: TestClient) -> None:
    response = client.post("/api/v1/sessions", json=relief_played(routine="relax"))
    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid_choice",
        "message": "'relax' is not a valid routine; choose one of: today, relief, strength, "
        "article.",
        "field": "routine",
        "choices": ["today", "relief", "strength", "article"],
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"pain_after": 11}, "pain_after"),
        ({"pain_during": -1}, "pain_during"),
        ({"pain_during": "2"}, "pain_during"),  # strict, as the diary and scores are
        ({"pain_after": 2.0}, "pain_after"),
        ({"day": "yesterday"}, "day"),
        ({"exercises": []}, "exercises"),
        ({"colour": "red"}, "colour"),
        ({"notes": "x" * 2001}, "notes"),
    ],
)
def test_a_wrongly_typed_session_names_the_field(
    client: TestClient, change: dict[str, Any], field: str
) -> None:
    response = client.post("/api/v1/sessions", json=relief_played(**change))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    assert fields(body) == [field]
    assert body["message"] == f"Check these fields: {field}."
    assert session_history() == []


def test_sessions_are_listed_newest_first_and_since_a_day(client: TestClient) -> None:
    older = record_relief(YESTERDAY - dt.timedelta(days=1))
    newer = record_relief(YESTERDAY, during=4)
    listed = client.get("/api/v1/sessions")
    assert listed.status_code == 200
    assert [(s["id"], s["day"]) for s in listed.json()] == [
        (newer, YESTERDAY.isoformat()),
        (older, (YESTERDAY - dt.timedelta(days=1)).isoformat()),
    ]
    assert listed.json()[0]["pain_during"] == 4
    since = client.get(f"/api/v1/sessions?since={YESTERDAY}").json()
    assert [s["id"] for s in since] == [newer]
    assert client.get(f"/api/v1/sessions?since={TODAY}").json() == []


@pytest.mark.parametrize("since", ["abc", "2025-02-30", "03-02-2025"])
def test_a_since_that_is_not_a_date_is_named(client: TestClient, since: str) -> None:
    response = client.get(f"/api/v1/sessions?since={since}")
    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid_input",
        "message": f"since: '{since}' is not a date; use YYYY-MM-DD",
        "field": "since",
    }


# --- the morning check-in -----------------------------------------------------------------------


def test_the_morning_pain_decides_as_piri_today_morning_does(client: TestClient) -> None:
    for person in (LOCAL_PERSON, "twin"):
        make_profile(person=person)
        record_relief(YESTERDAY, person=person)
    response = client.post("/api/v1/today/morning", json={"morning": 2})
    assert response.status_code == 200
    body = response.json()
    expected = record_morning(2, person="twin")  # what piri today --morning 2 prints
    assert body == {
        "session_day": expected.session_day.isoformat(),
        "decisions": expected.decisions,
        "phase": expected.phase.phase.value,
        "phase_changed": expected.phase.changed,
        "phase_reason": expected.phase.why,
    }
    assert body["session_day"] == YESTERDAY.isoformat()
    assert body["decisions"] == [
        "Pain check: progress, because pain stayed low and settled by the next morning."
    ]
    assert (body["phase"], body["phase_changed"]) == ("settle", False)
    assert body["phase_reason"].startswith("Still settling: waiting for a week in this phase")
    stored = client.get("/api/v1/sessions").json()[0]
    assert (stored["pain_next_morning"], stored["usual_morning_pain"]) == (2, 2)
    assert stored["decisions"] == body["decisions"]
    # Scored once: the next call has nothing left to score.
    again = client.post("/api/v1/today/morning", json={"morning": 2})
    assert again.status_code == 409
    assert again.json() == NOTHING_TO_SCORE


def test_a_usual_morning_pain_given_is_kept_and_a_rise_steps_back(client: TestClient) -> None:
    make_profile()
    record_relief(YESTERDAY)
    body = client.post("/api/v1/today/morning", json={"morning": 6, "usual": 2}).json()
    assert body["decisions"] == [
        "Pain check: step back, because next-morning pain rose 4 points above your usual."
    ]
    stored = client.get("/api/v1/sessions").json()[0]
    assert (stored["pain_next_morning"], stored["usual_morning_pain"]) == (6, 2)


def test_a_morning_check_in_with_nothing_waiting_is_a_conflict(client: TestClient) -> None:
    make_profile()
    response = client.post("/api/v1/today/morning", json={"morning": 3})
    assert response.status_code == 409
    assert response.json() == NOTHING_TO_SCORE


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"morning": 11}, "morning"),
        ({"morning": -1}, "morning"),
        ({"morning": "abc"}, "morning"),
        ({"morning": 2.5}, "morning"),
        ({}, "morning"),
        ({"morning": 3, "usual": 12}, "usual"),
        ({"morning": 3, "colour": "red"}, "colour"),
    ],
)
def test_a_morning_pain_outside_0_to_10_is_refused_naming_the_field(
    client: TestClient, body: dict[str, Any], field: str
) -> None:
    make_profile()
    waiting = record_relief(YESTERDAY)
    response = client.post("/api/v1/today/morning", json=body)
    assert response.status_code == 422
    found = response.json()
    assert found["code"] == "invalid_input"
    assert fields(found) == [field]
    assert found["message"] == f"Check these fields: {field}."
    still = session_waiting_for_morning()
    assert still is not None and still.id == waiting  # nothing was scored


def test_a_morning_check_in_from_a_browser_needs_the_csrf_token(client: TestClient) -> None:
    make_profile()
    record_relief(YESTERDAY)
    response = client.post("/api/v1/today/morning", data={"morning": "2"})
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert session_waiting_for_morning() is not None
    with_token = client.post(
        "/api/v1/today/morning", json={"morning": 2}, headers={"X-CSRF-Token": csrf(client)}
    )
    assert with_token.status_code == 200


# --- one person, another, and nobody ------------------------------------------------------------


def test_a_second_person_neither_sees_nor_scores_the_owners_sessions(shared: TestClient) -> None:
    saved = shared.post(
        "/api/v1/sessions", json=relief_played(day=str(YESTERDAY)), headers=as_("ann")
    )
    assert saved.status_code == 201
    assert shared.get("/api/v1/sessions", headers=as_("bob")).json() == []
    bob = shared.post("/api/v1/today/morning", json={"morning": 1}, headers=as_("bob"))
    assert bob.status_code == 409 and bob.json() == NOTHING_TO_SCORE
    # Bob has no profile of his own, whatever Ann has.
    make_profile(person="ann")
    assert shared.get("/api/v1/today", headers=as_("ann")).status_code == 200
    assert shared.get("/api/v1/today", headers=as_("bob")).json() == PROFILE_NEEDED
    waiting = session_waiting_for_morning(person="ann")
    assert waiting is not None and waiting.id == saved.json()["id"]
    for method, path, body in (
        ("GET", "/api/v1/today", None),
        ("GET", "/api/v1/plan", None),
        ("GET", "/api/v1/sessions", None),
        ("GET", "/api/v1/sessions/plan/relief", None),
        ("POST", "/api/v1/sessions", relief_played()),
        ("POST", "/api/v1/today/morning", {"morning": 1}),
    ):
        response = shared.request(method, path, json=body)
        assert response.status_code == 401, path
        assert response.json()["code"] == "not_signed_in"
    assert len(session_history(person="ann")) == 1
    assert session_waiting_for_morning(person="ann") is not None
