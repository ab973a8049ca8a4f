"""The printable program on the web: GET /plan/handout.pdf (linked from the Plan page) and
GET /api/v1/handout.pdf, the same PDF as ``piri handout``; before a profile, no plan to print."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from piri.services.check import remember_result, run_check
from piri.services.handout import handout_for
from piri.services.program import update_profile
from tests.check_answers import typical_piriformis
from tests.web.accounts_fixtures import (
    api_token,
    bearer,
    cheap_hashing,
    multi_user_app,
    new_client,
    sign_up_and_login,
)

__all__ = ["cheap_hashing", "multi_user_app"]  # fixtures used by name

PATHS = ("/plan/handout.pdf", "/api/v1/handout.pdf")


def make_profile() -> None:
    update_profile(painful_side="right", equipment=frozenset({"chair"}), days_per_week=3)


def pdf_text(pdf: bytes, folder: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("skipped: pdftotext not installed (poppler-utils; .ci/run installs it)")
    path = folder / "program.pdf"
    path.write_bytes(pdf)
    found = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(found.stdout.split())


def test_the_plan_page_links_to_the_printable_program(client: TestClient) -> None:
    make_profile()
    html = client.get("/plan").text
    assert '<a href="/plan/handout.pdf" download="piri-program.pdf">Print my program (PDF)</a>' in (
        html
    )


def test_the_pdf_is_an_attachment_and_the_api_gives_the_same_bytes(
    client: TestClient, tmp_path: Path
) -> None:
    make_profile()
    page = client.get("/plan/handout.pdf")
    assert page.status_code == 200
    assert page.headers["content-type"] == "application/pdf"
    assert page.headers["content-disposition"] == 'attachment; filename="piri-program.pdf"'
    assert "no-store" in page.headers["cache-control"]
    assert page.content.startswith(b"%PDF-") and page.content.rstrip().endswith(b"%%EOF")
    api = client.get("/api/v1/handout.pdf")
    assert api.status_code == 200
    assert api.headers["content-type"] == "application/pdf"
    assert api.headers["content-disposition"] == page.headers["content-disposition"]
    assert api.content == page.content
    text = pdf_text(page.content, tmp_path)
    handout = handout_for()
    assert handout.phase.name in text
    for exercise in handout.exercises:
        assert " ".join(exercise.name.split()) in text


def test_before_a_profile_there_is_no_plan_to_print(client: TestClient) -> None:
    page = client.get("/plan/handout.pdf")
    assert page.status_code == 409
    assert "text/html" in page.headers["content-type"]
    assert "No plan to print yet" in page.text and "/profile" in page.text
    api = client.get("/api/v1/handout.pdf")
    assert api.status_code == 409
    assert api.json()["code"] == "profile_needed"


def test_after_an_urgent_check_the_download_holds_no_exercises(
    client: TestClient, tmp_path: Path
) -> None:
    make_profile()
    remember_result(run_check(typical_piriformis(saddle_numbness=True)))
    response = client.get("/plan/handout.pdf")
    assert response.status_code == 200
    text = pdf_text(response.content, tmp_path)
    assert "Go to an emergency department now." in text
    assert "holds no exercises" in text and "Your exercises" not in text


def test_with_accounts_the_pdf_needs_a_signed_in_person(multi_user_app: FastAPI) -> None:
    anonymous = new_client(multi_user_app, "192.0.2.10")
    page = anonymous.get("/plan/handout.pdf")
    assert page.status_code == 303 and page.headers["location"] == "/login?next=/plan/handout.pdf"
    api = anonymous.get("/api/v1/handout.pdf")
    assert api.status_code == 401 and api.json()["code"] == "not_signed_in"

    runner = new_client(multi_user_app, "192.0.2.11")
    sign_up_and_login(runner, "printer")
    token = api_token(runner, "printer-token")
    assert runner.get("/api/v1/handout.pdf").status_code == 409  # no profile yet
    saved = runner.put(
        "/api/v1/profile",
        json={"painful_side": "left", "equipment": [], "minutes_per_day": 15, "days_per_week": 2},
        headers=bearer(token),
    )
    assert saved.status_code == 200, saved.text
    by_token = new_client(multi_user_app, "192.0.2.12").get(
        "/api/v1/handout.pdf", headers=bearer(token)
    )
    assert by_token.status_code == 200 and by_token.content.startswith(b"%PDF-")
    assert runner.get("/plan/handout.pdf").content == by_token.content
