"""The Back to running page (/plan/run) and /api/v1/return-to-run, in process."""

from __future__ import annotations

import datetime as dt
import html

from fastapi.testclient import TestClient

from piri.content.models import Phase
from piri.domain.diary import DayEntry
from piri.services import diary as diary_service
from piri.services import program as coach
from piri.services.diary import LOCAL_PERSON
from piri.store import diary as diary_store
from piri.store import program as program_store
from piri.store.database import transaction
from tests.web.conftest import csrf

TODAY = dt.date.today()


def make_ready(person: str = LOCAL_PERSON) -> None:
    """A runner the plan may start for: walks 30 minutes, calm diary, return-to-run phase."""
    coach.update_profile(person=person, walks_30_min_pain_free=True, today=TODAY)
    with transaction(diary_service.store()) as session:
        owner = diary_store.person_id(session, person)
        program_store.save_phase(session, owner, Phase.RETURN_TO_RUN, TODAY)
    for back in range(4):
        day = TODAY - dt.timedelta(days=back)
        diary_service.log_day(DayEntry(day, 1, 2), person=person, today=TODAY)


def test_before_a_profile_the_page_lists_the_criteria_not_met(client: TestClient) -> None:
    page = client.get("/plan/run")
    assert page.status_code == 200
    text = page.text
    assert "Before the first run" in text
    assert "30 minutes of brisk walking without pain" in text
    assert "not met yet" in text
    assert "How did the run go?" not in text  # no form until the plan may start
    assert "When to see a professional" in text


def test_a_ready_runner_logs_a_run_and_sees_its_verdict(client: TestClient) -> None:
    make_ready()
    page = client.get("/plan/run")
    assert "They are: you can start with the first step." in page.text
    assert "run 1 min, walk 9 min, 3 times" in page.text
    form = {
        "csrf_token": csrf(client),
        "day": (TODAY - dt.timedelta(days=2)).isoformat(),
        "pain_during": "2",
        "pain_after": "3",
        "next_morning": "1",
        "usual": "1",
    }
    saved = client.post("/plan/run/log", data=form, follow_redirects=False)
    assert saved.status_code == 303
    assert saved.headers["location"].startswith("/plan/run?logged=")
    shown = client.get(saved.headers["location"])
    assert "is kept" in shown.text
    assert "Counted: the pain stayed at 3/10 or less" in shown.text
    assert "Step 1 of 12" in shown.text
    assert "1 of 2" in shown.text


def test_a_run_waiting_for_its_morning_gets_it_from_the_tap(client: TestClient) -> None:
    make_ready()
    form = {
        "csrf_token": csrf(client),
        "day": TODAY.isoformat(),
        "pain_during": "2",
        "pain_after": "2",
    }
    client.post("/plan/run/log", data=form, follow_redirects=False)
    page = client.get("/plan/run")
    assert "How is the pain this morning?" in page.text
    tapped = client.post(
        "/plan/run/morning",
        data={"csrf_token": csrf(client), "morning": "4", "usual": "1"},
        follow_redirects=False,
    )
    assert tapped.status_code == 303
    shown = client.get(tapped.headers["location"])
    assert "3 points above your usual 1/10" in shown.text


def test_wrong_values_come_back_named_and_nothing_is_kept(client: TestClient) -> None:
    make_ready()
    form = {
        "csrf_token": csrf(client),
        "day": "2026-13-40",
        "pain_during": "eleven",
        "pain_after": "",
        "notes": "sore",
    }
    answer = client.post("/plan/run/log", data=form)
    assert answer.status_code == 422
    text = html.unescape(answer.text)
    assert "'2026-13-40' is not a date" in text
    assert "'eleven' is not a whole number from 0 to 10" in text
    assert "Pain right after: choose a number from 0 to 10." in text
    assert ">sore</textarea>" in text  # what was typed is kept
    future = {
        **form,
        "day": (TODAY + dt.timedelta(days=1)).isoformat(),
        "pain_during": "2",
        "pain_after": "2",
    }
    answer = client.post("/plan/run/log", data=future)
    assert answer.status_code == 422
    assert "is in the future" in answer.text
    assert client.get("/api/v1/return-to-run").json()["runs"] == []


def test_logging_before_the_criteria_are_met_is_refused_plainly(client: TestClient) -> None:
    form = {
        "csrf_token": csrf(client),
        "day": TODAY.isoformat(),
        "pain_during": "1",
        "pain_after": "1",
    }
    answer = client.post("/plan/run/log", data=form)
    assert answer.status_code == 422
    assert "The walk-run plan cannot start yet" in answer.text
    assert client.get("/api/v1/return-to-run").json()["runs"] == []


def test_the_api_gives_the_plan_and_takes_a_run(client: TestClient) -> None:
    empty = client.get("/api/v1/return-to-run").json()
    assert empty["ready"] is False
    assert {c["id"] for c in empty["criteria"]} == {
        "walks-30-minutes",
        "daily-life-calm",
        "strength-milestones",
        "no-open-warning-sign",
    }
    refused = client.post("/api/v1/return-to-run/runs", json={"pain_during": 1, "pain_after": 1})
    assert refused.status_code == 409
    assert refused.json()["code"] == "not_ready"
    make_ready()
    body = {
        "day": (TODAY - dt.timedelta(days=1)).isoformat(),
        "pain_during": 5,
        "pain_after": 2,
        "pain_next_morning": 1,
        "usual_morning_pain": 1,
    }
    answer = client.post("/api/v1/return-to-run/runs", json=body)
    assert answer.status_code == 201, answer.text
    run = answer.json()
    assert run["verdict"] == "step_back"
    assert "5/10, above 3/10" in run["reason"]
    bad = client.post("/api/v1/return-to-run/runs", json={**body, "pain_during": 11})
    assert bad.status_code == 422
    assert "pain_during" in bad.text
    future = {**body, "day": (TODAY + dt.timedelta(days=3)).isoformat()}
    answer = client.post("/api/v1/return-to-run/runs", json=future)
    assert answer.status_code == 422
    assert answer.json()["field"] == "day"
    nothing = client.post("/api/v1/return-to-run/morning", json={"pain": 2})
    assert nothing.status_code == 409
    assert nothing.json()["code"] == "nothing_waiting"
    plan = client.get("/api/v1/return-to-run").json()
    assert plan["started"] is True
    assert [r["verdict"] for r in plan["runs"]] == ["step_back"]


HOSTILE = ["²", "٣", "1e400", -1, 11, 2.5, True, "", "\u0000", "9" * 30, None, [], {}]


def test_hostile_values_for_a_ready_runner_are_refused_naming_the_field(
    client: TestClient,
) -> None:
    make_ready()
    good = {"day": TODAY.isoformat(), "pain_during": 1, "pain_after": 1}
    fields = {
        "day": ["0001-01-01", "9999-12-31", "yesterday", 5],
        "pain_during": HOSTILE,
        "pain_after": HOSTILE,
        "pain_next_morning": HOSTILE,
        "usual_morning_pain": HOSTILE,
        "pain_built": ["yes", 1, "\u0000"],
        "activity": ["x" * 65, "\u0000", "not-a-run"],
        "notes": ["\u0000", "x" * 1001, 5],
    }
    for name, values in fields.items():
        for value in values:
            if value is None and name in ("pain_next_morning", "usual_morning_pain"):
                continue  # left out: allowed
            answer = client.post("/api/v1/return-to-run/runs", json={**good, name: value})
            assert 400 <= answer.status_code < 500, (name, value, answer.text)
            body = answer.json()
            assert body["message"], (name, value)
            named = body.get("field") or " ".join(
                p.get("field", "") for p in body.get("problems", [])
            )
            assert name in named or (name == "day" and "day" in named), (name, value, body)
    assert client.get("/api/v1/return-to-run").json()["runs"] == []
