"""The person's API: profile, the last check result, export, import, delete; errors with a
stable code that name the field; and each caller sees only their own data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from piri.domain.diary import DayEntry
from piri.services import check as check_service
from piri.services.diary import diary, log_day
from piri.services.person_data import export_document
from piri.services.program import get_profile, update_profile
from tests.check_answers import typical_piriformis
from tests.web.accounts_fixtures import (  # noqa: F401 (fixtures)
    api_token,
    bearer,
    cheap_hashing,
    multi_user_app,
    new_client,
    sign_up_and_login,
)

JSON = {"Content-Type": "application/json"}


def test_the_profile_reads_as_piri_profile_json(client: TestClient) -> None:
    response = client.get("/api/v1/profile")
    assert response.status_code == 200
    assert response.json() == {
        "painful_side": None,
        "equipment": [],
        "minutes_per_day": 20,
        "days_per_week": 4,
        "running_status": "running_with_pain",
        "goals": [],
        "walks_30_min_pain_free": False,
        "phase": "settle",
        "last_check": None,
    }


def test_put_changes_only_the_fields_given(client: TestClient) -> None:
    update_profile(goals=("sit through a film",))
    response = client.put(
        "/api/v1/profile",
        json={"painful_side": "left", "equipment": ["step", "chair"], "minutes_per_day": 30},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["painful_side"] == "left"
    assert body["equipment"] == ["chair", "step"]
    assert body["minutes_per_day"] == 30
    assert body["goals"] == ["sit through a film"]  # left as it was
    profile = get_profile()[0]
    assert profile.equipment == frozenset({"chair", "step"})
    assert profile.minutes_per_day == 30


def test_wrong_profile_values_are_named_by_field(client: TestClient) -> None:
    response = client.put(
        "/api/v1/profile",
        json={"minutes_per_day": 500, "running_status": "flying", "painful_side": "right"},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_profile"
    assert body["field"] == "minutes_per_day"
    assert body["problems"] == [
        {"field": "minutes_per_day", "message": "minutes a day: expected 5 to 120, got 500"},
        {
            "field": "running_status",
            "message": "running: 'flying' is not one of running_normally, running_with_pain, "
            "stopped",
        },
    ]
    assert "minutes_per_day, running_status" in body["message"]
    assert get_profile()[0].painful_side is None  # nothing was saved


def test_wrongly_typed_or_unknown_profile_fields_are_named(client: TestClient) -> None:
    for body, field in (
        ({"days_per_week": "5"}, "days_per_week"),
        ({"walks_30_min_pain_free": "yes"}, "walks_30_min_pain_free"),
        ({"colour": "red"}, "colour"),
        ({"goals": "run"}, "goals"),
    ):
        response = client.put("/api/v1/profile", json=body)
        assert response.status_code == 422, body
        error = response.json()
        assert error["code"] == "invalid_input"
        assert [p["field"] for p in error["problems"]] == [field]
        assert field in error["message"]


def test_the_latest_check_result_is_stored_only_when_asked(client: TestClient) -> None:
    missing = client.get("/api/v1/check/latest")
    assert missing.status_code == 404
    assert missing.json()["code"] == "no_check_result"
    stateless = client.post("/api/v1/check", json=typical_piriformis())
    assert stateless.status_code == 200
    assert client.get("/api/v1/check/latest").status_code == 404
    saved = client.post("/api/v1/check?save=true", json=typical_piriformis(age=40))
    assert saved.status_code == 200
    assert saved.headers["location"] == "/api/v1/check/latest"
    latest = client.get("/api/v1/check/latest")
    assert latest.status_code == 200
    assert latest.json() == saved.json()
    assert latest.json() == {
        **check_service.result_as_json(check_service.run_check(typical_piriformis(age=40))),
        "checked_on": dt.date.today().isoformat(),  # the day it was kept
    }
    assert client.get("/api/v1/profile").json()["last_check"] == saved.json()


def test_save_must_be_a_yes_or_no(client: TestClient) -> None:
    response = client.post("/api/v1/check?save=perhaps", json=typical_piriformis())
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert "save" in response.json()["message"]


def test_export_is_the_piri_export_document(client: TestClient) -> None:
    log_day(DayEntry(dt.date.today(), 2, 3))
    response = client.get("/api/v1/export")
    assert response.status_code == 200
    document = response.json()
    expected = export_document()
    for found in (document, expected):
        found.pop("exported_at")
    assert document == expected
    assert document["diary"][0]["worst_pain"] == 3


def test_import_restores_into_an_empty_profile_only(client: TestClient) -> None:
    log_day(DayEntry(dt.date.today(), 2, 3))
    update_profile(days_per_week=6)
    document = export_document()
    refused = client.post("/api/v1/import", json=document)
    assert refused.status_code == 409
    assert refused.json()["code"] == "profile_not_empty"
    assert "already holds data" in refused.json()["message"]
    deleted = client.delete("/api/v1/data?confirm=yes", headers=JSON)
    assert deleted.status_code == 200 and deleted.json() == {"deleted": True}
    restored = client.post("/api/v1/import", json=document)
    assert restored.status_code == 201
    assert restored.json() == {"imported_diary_days": 1}
    assert [d.worst_pain for d in diary()] == [3]
    assert get_profile()[0].days_per_week == 6


def test_a_wrong_export_is_named(client: TestClient) -> None:
    for body, words in (
        ({"format": "something"}, 'not a Piri export (no "format": "piri-export")'),
        ({"format": "piri-export", "version": 1, "sessions": "many"}, "'sessions' must be a list"),
        (
            {"format": "piri-export", "version": 1, "diary": [{"day": "soon", "pain_now": 1}]},
            "diary entry 1",
        ),
    ):
        response = client.post("/api/v1/import", json=body)
        assert response.status_code == 422
        assert response.json()["code"] == "invalid_export"
        assert words in response.json()["message"]
    not_an_object = client.post("/api/v1/import", json=[1, 2])
    assert not_an_object.status_code == 422
    assert not_an_object.json()["code"] == "invalid_input"
    assert diary() == []


def test_delete_needs_a_confirmation(client: TestClient) -> None:
    log_day(DayEntry(dt.date.today(), 2, 3))
    for url, body in (
        ("/api/v1/data", None),
        ("/api/v1/data?confirm=no", None),
        ("/api/v1/data", {"confirm": "yes please"}),
    ):
        response = client.request("DELETE", url, json=body, headers=JSON)
        assert response.status_code == 422
        error = response.json()
        assert error["code"] == "confirmation_required"
        assert error["field"] == "confirm"
        assert "?confirm=yes" in error["message"]
    assert len(diary()) == 1
    by_body = client.request("DELETE", "/api/v1/data", json={"confirm": True})
    assert by_body.status_code == 200 and by_body.json() == {"deleted": True}
    assert diary() == []


def test_changes_from_another_site_are_refused(client: TestClient) -> None:
    log_day(DayEntry(dt.date.today(), 2, 3))
    response = client.delete(
        "/api/v1/data?confirm=yes", headers={**JSON, "Origin": "https://evil.example"}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert len(diary()) == 1


# --- multi-user: an owner, a second person, an anonymous caller ---------------------------------


def _two_people(app: FastAPI) -> tuple[dict[str, str], dict[str, str], str, str]:
    owner_browser, other_browser = new_client(app), new_client(app, "other")
    owner = sign_up_and_login(owner_browser, "owner")
    other = sign_up_and_login(other_browser, "second")
    return bearer(api_token(owner_browser)), bearer(api_token(other_browser)), owner, other


def test_each_person_sees_and_changes_only_their_own_data(
    multi_user_app: FastAPI,  # noqa: F811
) -> None:
    owner_auth, other_auth, owner, other = _two_people(multi_user_app)
    api = TestClient(multi_user_app, base_url="http://127.0.0.1:8000")
    log_day(DayEntry(dt.date.today(), 4, 6), person=owner)
    put = api.put("/api/v1/profile", json={"painful_side": "left"}, headers=owner_auth)
    assert put.status_code == 200
    saved = api.post("/api/v1/check?save=true", json=typical_piriformis(), headers=owner_auth)
    assert saved.status_code == 200

    assert api.get("/api/v1/profile", headers=other_auth).json()["painful_side"] is None
    assert api.get("/api/v1/check/latest", headers=other_auth).status_code == 404
    assert api.get("/api/v1/export", headers=other_auth).json()["diary"] == []
    assert api.get("/api/v1/export", headers=owner_auth).json()["diary"][0]["worst_pain"] == 6

    # The second person deleting their data leaves the owner's alone.
    gone = api.delete("/api/v1/data?confirm=yes", headers=other_auth)
    assert gone.status_code == 200
    assert len(diary(person=owner)) == 1
    assert get_profile(owner)[0].painful_side == "left"
    assert get_profile(other)[2] is None


def test_an_anonymous_caller_gets_nothing(multi_user_app: FastAPI) -> None:  # noqa: F811
    owner_auth, _other_auth, owner, _other = _two_people(multi_user_app)
    log_day(DayEntry(dt.date.today(), 4, 6), person=owner)
    api = TestClient(multi_user_app, base_url="http://127.0.0.1:8000")
    calls: list[tuple[str, str, Any]] = [
        ("GET", "/api/v1/profile", None),
        ("PUT", "/api/v1/profile", {"painful_side": "left"}),
        ("GET", "/api/v1/check/latest", None),
        ("POST", "/api/v1/check?save=true", typical_piriformis()),
        ("GET", "/api/v1/export", None),
        ("POST", "/api/v1/import", export_document(owner)),
        ("DELETE", "/api/v1/data?confirm=yes", None),
    ]
    for method, url, body in calls:
        response = api.request(method, url, json=body, headers=JSON)
        assert response.status_code == 401, (method, url)
        assert response.json()["code"] == "not_signed_in"
        wrong_token = api.request(method, url, json=body, headers=bearer("not-a-token"))
        assert wrong_token.status_code == 401
    assert len(diary(person=owner)) == 1
    # The stateless check still answers without anyone signed in.
    assert api.post("/api/v1/check", json=typical_piriformis()).status_code == 200
    assert api.get("/api/v1/profile", headers=owner_auth).status_code == 200
