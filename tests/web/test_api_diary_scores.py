"""The diary and outcome-score API over HTTP: shapes, error codes naming the field, and one
person never seeing another's data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from piri.domain.diary import DayEntry
from piri.services import diary as diary_service
from piri.services import scores as score_service
from piri.web import accounts
from piri.web.app import create_app
from piri.web.config import WebConfig
from tests.web.conftest import csrf

TODAY = dt.date.today()
YESTERDAY = TODAY - dt.timedelta(days=1)
DAY = {
    "pain_now": 3,
    "worst_pain": 5,
    "sitting_pain": 4,
    "sitting_minutes_before_pain": 30,
    "running_pain": None,
    "tingling": False,
    "notes": "desk day",
}


def fields(body: dict[str, Any]) -> list[str]:
    return [problem["field"] for problem in body["problems"]]


# --- diary ------------------------------------------------------------------------------


def test_empty_diary(client: TestClient) -> None:
    response = client.get("/api/v1/diary")
    assert response.status_code == 200
    assert response.json() == {"since": None, "entries": []}


def test_put_creates_then_updates_a_day(client: TestClient) -> None:
    created = client.put(f"/api/v1/diary/{TODAY}", json=DAY)
    assert created.status_code == 201
    assert created.json() == {"entry": {"day": TODAY.isoformat(), **DAY}, "updated": False}
    updated = client.put(f"/api/v1/diary/{TODAY}", json={"pain_now": 1, "worst_pain": 2})
    assert updated.status_code == 200
    assert updated.json()["updated"] is True
    assert updated.json()["entry"]["sitting_pain"] is None
    assert diary_service.diary() == [DayEntry(TODAY, 1, 2)]


def test_get_one_day_and_the_list_oldest_first(client: TestClient) -> None:
    diary_service.log_day(DayEntry(TODAY, 2, 3, running_pain=4, tingling=True))
    diary_service.log_day(DayEntry(YESTERDAY, 5, 6, notes="long run"))
    day = client.get(f"/api/v1/diary/{YESTERDAY}")
    assert day.status_code == 200
    assert day.json() == {
        "day": YESTERDAY.isoformat(),
        "pain_now": 5,
        "worst_pain": 6,
        "sitting_pain": None,
        "sitting_minutes_before_pain": None,
        "running_pain": None,
        "tingling": False,
        "notes": "long run",
    }
    listed = client.get("/api/v1/diary").json()["entries"]
    assert [e["day"] for e in listed] == [YESTERDAY.isoformat(), TODAY.isoformat()]
    assert listed[1]["running_pain"] == 4 and listed[1]["tingling"] is True
    since = client.get(f"/api/v1/diary?since={TODAY}").json()
    assert since["since"] == TODAY.isoformat()
    assert [e["day"] for e in since["entries"]] == [TODAY.isoformat()]


def test_a_day_without_an_entry_is_not_found(client: TestClient) -> None:
    response = client.get(f"/api/v1/diary/{YESTERDAY}")
    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "message": f"There is no diary entry for {YESTERDAY}.",
    }


@pytest.mark.parametrize(
    ("method", "path", "field"),
    [
        ("GET", "/api/v1/diary?since=last-week", "since"),
        ("GET", "/api/v1/diary/2025-02-30", "day"),
        ("PUT", "/api/v1/diary/yesterday", "day"),
        ("DELETE", "/api/v1/diary/03-02-2025", "day"),
    ],
)
def test_a_date_that_is_not_one_is_named(
    client: TestClient, method: str, path: str, field: str
) -> None:
    response = client.request(method, path, json=DAY, headers={"X-CSRF-Token": csrf(client)})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_date"
    assert body["field"] == field
    assert body["message"].startswith(f"{field}: '")
    assert "is not a date; use YYYY-MM-DD" in body["message"]


def test_a_future_day_is_refused(client: TestClient) -> None:
    future = TODAY + dt.timedelta(days=1)
    response = client.put(f"/api/v1/diary/{future}", json=DAY)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_entry"
    assert body["problems"] == [
        {"field": "day", "message": f"date: {future} is in the future (today is {TODAY})"}
    ]
    assert diary_service.diary() == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"pain_now": 11}, ["pain_now"]),
        ({"worst_pain": -1}, ["worst_pain"]),
        ({"sitting_pain": 12, "running_pain": 11}, ["sitting_pain", "running_pain"]),
        ({"sitting_minutes_before_pain": -5}, ["sitting_minutes_before_pain"]),
        ({"pain_now": 6, "worst_pain": 4}, ["worst_pain"]),
        ({"notes": "x" * 2001}, ["notes"]),
    ],
)
def test_an_impossible_entry_names_each_field(
    client: TestClient, change: dict[str, Any], expected: list[str]
) -> None:
    response = client.put(f"/api/v1/diary/{TODAY}", json={**DAY, **change})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_entry"
    assert sorted(fields(body)) == sorted(expected)
    for problem in body["problems"]:
        assert problem["message"] in body["message"]
    assert diary_service.diary() == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"pain_now": 3}, "worst_pain"),
        ({**DAY, "pain_now": "3"}, "pain_now"),
        ({**DAY, "worst_pain": 4.5}, "worst_pain"),
        ({**DAY, "tingling": "yes"}, "tingling"),
        ({**DAY, "worst": 5}, "worst"),
    ],
)
def test_a_wrong_type_missing_or_unknown_field_is_named(
    client: TestClient, body: dict[str, Any], field: str
) -> None:
    response = client.put(f"/api/v1/diary/{TODAY}", json=body)
    assert response.status_code == 422
    found = response.json()
    assert found["code"] == "invalid_input"
    assert fields(found) == [field]
    assert field in found["message"]


def test_delete_a_day(client: TestClient) -> None:
    diary_service.log_day(DayEntry(YESTERDAY, 2, 3))
    headers = {"X-CSRF-Token": csrf(client)}
    response = client.delete(f"/api/v1/diary/{YESTERDAY}", headers=headers)
    assert response.status_code == 204
    assert response.content == b""
    assert diary_service.diary() == []
    again = client.delete(f"/api/v1/diary/{YESTERDAY}", headers=headers)
    assert again.status_code == 404
    assert again.json()["code"] == "not_found"


def test_delete_from_a_browser_needs_the_csrf_token(client: TestClient) -> None:
    diary_service.log_day(DayEntry(YESTERDAY, 2, 3))
    response = client.delete(f"/api/v1/diary/{YESTERDAY}")
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert len(diary_service.diary()) == 1


# --- scores -----------------------------------------------------------------------------


def test_empty_history_tells_the_change_that_matters_and_its_source(client: TestClient) -> None:
    body = client.get("/api/v1/scores").json()
    assert body["scores"] == []
    matters = body["change_that_matters"]
    assert matters["lefs"]["points"] == 9
    assert matters["lefs"]["sources"] == [
        {"title": s.title, "url": str(s.url)} for s in score_service.lefs_questionnaire().sources
    ]
    assert matters["psfs"]["points"] == 1.3
    assert matters["psfs"]["sizes"] == {"small": 1.3, "medium": 2.3, "large": 2.7}
    assert matters["psfs"]["sources"][0]["url"] == score_service.PSFS_CHANGE_SOURCE[1]


def test_post_lefs_scores_stores_and_compares(client: TestClient) -> None:
    first = client.post("/api/v1/scores/lefs", json={"items": [2] * 20})
    assert first.status_code == 201
    assert first.json() == {
        "instrument": "lefs",
        "day": TODAY.isoformat(),
        "score": 40.0,
        "maximum": 80,
        "previous": None,
        "change": None,
    }
    second = client.post("/api/v1/scores/lefs", json={"items": [2] * 12 + [3] * 8}).json()
    assert second["previous"] == {"day": TODAY.isoformat(), "score": 40.0}
    assert second["change"] == {
        "difference": 8.0,
        "direction": "better",
        "meaningful": False,
        "size": "no real change",
    }
    third = client.post("/api/v1/scores/lefs", json={"items": [1] * 20}).json()
    assert third["change"]["direction"] == "worse"
    assert third["change"]["meaningful"] is True


def test_post_psfs_scores_the_mean(client: TestClient) -> None:
    body = {
        "activities": [
            {"activity": "sit through a film", "rating": 3},
            {"activity": "run 5 km", "rating": 4},
        ]
    }
    first = client.post("/api/v1/scores/psfs", json=body)
    assert first.status_code == 201
    assert first.json()["score"] == 3.5 and first.json()["maximum"] == 10
    body["activities"][0]["rating"] = 6
    second = client.post("/api/v1/scores/psfs", json=body).json()
    assert second["change"] == {
        "difference": 1.5,
        "direction": "better",
        "meaningful": True,
        "size": "a small change",
    }


def test_history_of_both_with_answers_oldest_first(client: TestClient) -> None:
    score_service.record_lefs([1] * 20)
    score_service.record_psfs([("drive to work", 5)])
    score_service.record_lefs([3] * 20)
    scores = client.get("/api/v1/scores").json()["scores"]
    assert [(s["instrument"], s["score"]) for s in scores] == [
        ("lefs", 20.0),
        ("psfs", 5.0),
        ("lefs", 60.0),
    ]
    assert scores[1]["answers"] == {"activities": [{"activity": "drive to work", "rating": 5}]}
    assert scores[2]["previous"]["score"] == 20.0
    assert scores[2]["change"]["meaningful"] is True
    only = client.get("/api/v1/scores?instrument=psfs").json()["scores"]
    assert [s["instrument"] for s in only] == ["psfs"]


def test_an_unknown_questionnaire_is_named(client: TestClient) -> None:
    response = client.get("/api/v1/scores?instrument=odi")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_choice"
    assert body["field"] == "instrument"
    assert body["choices"] == ["lefs", "psfs"]


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([2] * 19, ["items"]),
        ([2] * 21, ["items"]),
        ([5] + [2] * 18 + [-1], ["items.0", "items.19"]),
    ],
)
def test_wrong_lefs_answers_name_the_item(
    client: TestClient, items: list[int], expected: list[str]
) -> None:
    response = client.post("/api/v1/scores/lefs", json={"items": items})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_answers"
    assert fields(body) == expected
    assert score_service.score_records() == []


def test_lefs_answers_of_the_wrong_type_are_named(client: TestClient) -> None:
    response = client.post("/api/v1/scores/lefs", json={"items": [2] * 19 + ["4"]})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert fields(response.json()) == ["items.19"]
    missing = client.post("/api/v1/scores/lefs", json={})
    assert fields(missing.json()) == ["items"]


@pytest.mark.parametrize(
    ("activities", "expected"),
    [
        ([], ["activities"]),
        ([{"activity": f"a{n}", "rating": 5} for n in range(6)], ["activities"]),
        ([{"activity": "  ", "rating": 5}], ["activities.0.activity"]),
        (
            [{"activity": "run", "rating": 5}, {"activity": "sit", "rating": 11}],
            ["activities.1.rating"],
        ),
    ],
)
def test_wrong_psfs_names_the_activity(
    client: TestClient, activities: list[dict[str, Any]], expected: list[str]
) -> None:
    response = client.post("/api/v1/scores/psfs", json={"activities": activities})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_answers"
    assert fields(body) == expected
    assert score_service.score_records() == []


def test_psfs_of_the_wrong_type_is_named(client: TestClient) -> None:
    response = client.post(
        "/api/v1/scores/psfs", json={"activities": [{"activity": "run", "rating": "5"}]}
    )
    assert response.json()["code"] == "invalid_input"
    assert fields(response.json()) == ["activities.0.rating"]


def test_the_openapi_document_lists_every_route(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/diary/{day}"]) == {"get", "put", "delete"}
    assert "get" in paths["/api/v1/diary"] and "get" in paths["/api/v1/scores"]
    assert "post" in paths["/api/v1/scores/lefs"] and "post" in paths["/api/v1/scores/psfs"]


# --- one person, another, and nobody ----------------------------------------------------


@pytest.fixture
def shared(home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """A multi-user server where the tokens 'ann-token' and 'bob-token' are two people."""
    people = {"ann-token": "ann", "bob-token": "bob"}
    monkeypatch.setattr(
        accounts,
        "person_for_api_token",
        lambda token: accounts.SignedIn(people[token], people[token]) if token in people else None,
    )
    with TestClient(create_app(WebConfig(multi_user=True)), base_url="http://127.0.0.1:8000") as c:
        c.get("/static/css/piri.css")  # the CSRF cookie, so that refusals are about who asks
        yield c


def as_(name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {name}-token"}


def test_each_person_sees_only_their_own_diary_and_scores(shared: TestClient) -> None:
    assert shared.put(f"/api/v1/diary/{TODAY}", json=DAY, headers=as_("ann")).status_code == 201
    lefs = shared.post("/api/v1/scores/lefs", json={"items": [4] * 20}, headers=as_("ann"))
    assert lefs.status_code == 201
    assert shared.get("/api/v1/diary", headers=as_("bob")).json()["entries"] == []
    assert shared.get(f"/api/v1/diary/{TODAY}", headers=as_("bob")).status_code == 404
    assert shared.get("/api/v1/scores", headers=as_("bob")).json()["scores"] == []
    assert shared.delete(f"/api/v1/diary/{TODAY}", headers=as_("bob")).status_code == 404
    # Bob's first LEFS is his first: it is not compared with Ann's.
    bob = shared.post("/api/v1/scores/lefs", json={"items": [1] * 20}, headers=as_("bob"))
    assert bob.json()["previous"] is None
    # Bob writing the same day leaves Ann's day as it was.
    assert shared.put(f"/api/v1/diary/{TODAY}", json=DAY, headers=as_("bob")).status_code == 201
    ann = shared.get(f"/api/v1/diary/{TODAY}", headers=as_("ann")).json()
    assert ann["notes"] == "desk day"
    assert len(diary_service.diary(person="ann")) == len(diary_service.diary(person="bob")) == 1
    assert [r.score for r in score_service.score_records(person="ann")] == [80.0]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/v1/diary", None),
        ("GET", f"/api/v1/diary/{TODAY}", None),
        ("PUT", f"/api/v1/diary/{TODAY}", DAY),
        ("DELETE", f"/api/v1/diary/{TODAY}", None),
        ("GET", "/api/v1/scores", None),
        ("POST", "/api/v1/scores/lefs", {"items": [2] * 20}),
        ("POST", "/api/v1/scores/psfs", {"activities": [{"activity": "run", "rating": 3}]}),
    ],
)
def test_nobody_signed_in_gets_nothing(
    shared: TestClient, method: str, path: str, body: dict[str, Any] | None
) -> None:
    diary_service.log_day(DayEntry(TODAY, 1, 2), person="ann")
    for headers in ({"X-CSRF-Token": csrf(shared)}, {"Authorization": "Bearer forged"}):
        response = shared.request(method, path, json=body, headers=headers)
        assert response.status_code == 401, (method, path, headers)
        assert response.json()["code"] == "not_signed_in"
    assert len(diary_service.diary(person="ann")) == 1
    assert score_service.score_records(person="ann") == []


def test_the_diary_list_is_exactly_the_documented_shape(client: TestClient) -> None:
    from piri.web.api.diary import DiaryOut

    client.put(f"/api/v1/diary/{TODAY}", json={"pain_now": 2, "worst_pain": 5, "notes": "ok"})
    listed = client.get("/api/v1/diary").json()
    assert DiaryOut.model_validate(listed).model_dump(mode="json") == listed
    assert listed["entries"][0]["notes"] == "ok" and listed["since"] is None
