"""The JSON API (/api/v1) over HTTP: content, the symptom check, errors with a stable code."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from piri.content.loader import load_library
from piri.web.app import create_app
from tests.check_answers import typical_piriformis


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


def test_the_openapi_document_lists_every_endpoint(client: TestClient) -> None:
    document = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/exercises", "/api/v1/check", "/api/v1/sections/{section_id}"} <= set(
        document["paths"]
    )


def test_sections_and_exercises_come_with_their_sources(client: TestClient) -> None:
    sections = client.get("/api/v1/sections").json()
    assert [s["id"] for s in sections] == [s.id for s in load_library().sections]
    clamshell = client.get("/api/v1/exercises/clamshell").json()
    assert clamshell["sources"] and clamshell["dose"]["sets"] == 3
    bands = client.get("/api/v1/exercises", params={"equipment": "mini_band"}).json()
    assert "clamshell" in {e["id"] for e in bands}


def test_an_unknown_id_is_a_404_with_suggestions(client: TestClient) -> None:
    response = client.get("/api/v1/exercises/clamshel")
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "not_found"
    assert body["suggestions"] == ["clamshell"]


def test_a_wrong_filter_names_the_field_and_the_choices(client: TestClient) -> None:
    response = client.get("/api/v1/exercises", params={"target": "speed"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_choice"
    assert body["field"] == "target"
    assert "strength" in body["choices"]


def test_the_check_evaluates_answers_and_names_bad_ones(client: TestClient) -> None:
    result = client.post("/api/v1/check", json=typical_piriformis(saddle_numbness=True)).json()
    assert result["urgency"] == "emergency"
    assert result["routine"] is None
    assert result["red_flags"][0]["answers"] == {"saddle_numbness": True}
    bad = client.post("/api/v1/check", json=typical_piriformis(age="old"))
    assert bad.status_code == 422
    assert bad.json()["code"] == "invalid_answers"
    assert "'age': expected a number, got 'old'" in bad.json()["problems"]
    not_an_object = client.post("/api/v1/check", json=[1, 2])
    assert not_an_object.status_code == 422
    assert not_an_object.json()["code"] == "invalid_input"


def test_the_questionnaire_is_the_same_document_as_the_cli_prints(client: TestClient) -> None:
    questions = client.get("/api/v1/check/questions").json()
    assert [q["id"] for q in questions["questions"]] == [
        q.id for q in load_library().questionnaire.questions
    ]
