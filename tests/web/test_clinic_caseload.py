"""The caseload and one runner's progress, in the browser and the API, as each of four people:
Ana (a runner), Bea (Ana's physiotherapist), Cal (a clinician Ana never invited) and Dan (a
second runner, not a clinician). Only Bea gets in, and only until Ana withdraws."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from piri.domain.diary import DayEntry
from piri.services import care
from piri.services import diary as diary_service
from piri.services.scores import record_lefs
from tests.web.accounts_fixtures import (
    api_token,
    bearer,
    cheap_hashing,
    multi_user_app,
    new_client,
    sign_up_and_login,
)

__all__ = ["cheap_hashing", "multi_user_app"]  # fixtures used by name


@dataclass
class Person:
    name: str  # the person name the services know them by
    client: TestClient
    token: str


@pytest.fixture
def four(multi_user_app: FastAPI) -> dict[str, Person]:
    found = {}
    for username in ("Ana", "bea", "cal", "dan"):
        client = new_client(multi_user_app)
        name = sign_up_and_login(client, username)
        found[username.lower()] = Person(name, client, api_token(client))
    care.set_clinician(found["bea"].name, True)
    care.set_clinician(found["cal"].name, True)
    return found


def share_ana_with_bea(people: dict[str, Person], shares: list[str] | None = None) -> int:
    invitation = care.invite_clinician(people["ana"].name, shares)
    assert invitation.code is not None
    return care.accept_invitation(people["bea"].name, invitation.code).id


def ana_keeps_a_diary(people: dict[str, Person]) -> None:
    today = dt.date.today()
    ana = people["ana"].name
    for n, worst in ((3, 2), (2, 2), (1, 7)):
        entry = DayEntry(today - dt.timedelta(days=n), pain_now=1, worst_pain=worst)
        diary_service.log_day(entry, person=ana)
    record_lefs([2] * 20, person=ana)


def test_an_empty_caseload_says_how_to_get_runners(four: dict[str, Person]) -> None:
    page = four["bea"].client.get("/clinic")
    assert page.status_code == 200
    assert 'href="/care"' in page.text and "No runners yet" in page.text
    api = four["bea"].client.get("/api/v1/clinic/caseload", headers=bearer(four["bea"].token))
    assert api.json()["runners"] == [] and "/care" in api.json()["empty"]


def test_the_clinician_sees_the_runner_with_the_flare_first(four: dict[str, Person]) -> None:
    share_ana_with_bea(four)
    ana_keeps_a_diary(four)
    page = four["bea"].client.get("/clinic")
    assert page.status_code == 200
    assert 'href="/clinic/runners/Ana"' in page.text
    assert "Pain flare" in page.text and "LEFS 40" in page.text
    assert 'href="/clinic/runners/Ana/plan"' in page.text
    api = four["bea"].client.get("/api/v1/clinic/caseload", headers=bearer(four["bea"].token))
    assert api.status_code == 200
    [ana] = api.json()["runners"]
    assert ana["username"] == "Ana"
    assert [a["kind"] for a in ana["alerts"]] == ["pain_flare"]
    assert ana["outcomes"]["scores"][0]["instrument"] == "lefs"
    assert ana["adherence"]["shared"] and ana["adherence"]["planned"] == 4


def test_what_the_runner_does_not_share_says_not_shared(four: dict[str, Person]) -> None:
    share_ana_with_bea(four, ["runs"])
    ana_keeps_a_diary(four)
    page = four["bea"].client.get("/clinic")
    assert page.text.count("not shared") >= 3 and "Pain flare" not in page.text
    api = four["bea"].client.get("/api/v1/clinic/caseload", headers=bearer(four["bea"].token))
    [ana] = api.json()["runners"]
    assert ana["pain_trend"] == {"shared": False} and ana["adherence"] == {"shared": False}
    assert ana["alerts"] == [] and len(ana["alerts_not_checked"]) == 3
    progress = four["bea"].client.get(
        "/api/v1/clinic/runners/Ana/progress", headers=bearer(four["bea"].token)
    )
    body = progress.json()
    assert body["series"] == [None, None, None] and body["scores"] is None
    assert body["pain_now"] is None and body["running_km"] is not None
    runner = four["bea"].client.get("/clinic/runners/Ana")
    assert runner.status_code == 200 and "Not shared with you." in runner.text


def test_the_clinician_opens_the_runner_s_progress(four: dict[str, Person]) -> None:
    share_ana_with_bea(four)
    ana_keeps_a_diary(four)
    page = four["bea"].client.get("/clinic/runners/Ana")
    assert page.status_code == 200
    assert "<h1>Ana's progress (shared with you)</h1>" in page.text
    assert 'id="chart-pain"' in page.text and "Pain flare" in page.text
    assert "Fill in the LEFS" not in page.text  # the charts' links are the runner's own pages
    own = four["ana"].client.get("/api/v1/progress", headers=bearer(four["ana"].token)).json()
    theirs = four["bea"].client.get(
        "/api/v1/clinic/runners/Ana/progress", headers=bearer(four["bea"].token)
    )
    assert theirs.status_code == 200
    body = theirs.json()
    assert body["series"] == own["series"] and body["scores"] == own["scores"]
    assert body["not_shared"] == []
    one = four["bea"].client.get("/api/v1/clinic/runners/Ana", headers=bearer(four["bea"].token))
    assert one.status_code == 200 and one.json()["username"] == "Ana"
    logged = [entry.what for entry in care.audit_log(four["ana"].name)]
    assert "progress" in logged and "summary" in logged


ROUTES = (
    "/clinic/runners/Ana",
    "/api/v1/clinic/runners/Ana",
    "/api/v1/clinic/runners/Ana/progress",
)


def _get(person: Person, path: str) -> int:
    headers = bearer(person.token) if path.startswith("/api/") else {}
    return person.client.get(path, headers=headers).status_code


def test_a_clinician_never_invited_gets_404_and_a_runner_403(
    four: dict[str, Person], multi_user_app: FastAPI
) -> None:
    share_ana_with_bea(four)
    for path in ROUTES:
        assert _get(four["cal"], path) == 404, path
        assert _get(four["dan"], path) == 403, path
        assert _get(four["ana"], path) == 403, path  # a runner is not her own clinician
        assert _get(four["bea"], path) == 200, path
    assert _get(four["dan"], "/clinic") == 403
    assert _get(four["dan"], "/api/v1/clinic/caseload") == 403
    cal = four["cal"].client.get("/api/v1/clinic/caseload", headers=bearer(four["cal"].token))
    assert cal.json()["runners"] == []
    with new_client(multi_user_app) as nobody:
        assert nobody.get("/api/v1/clinic/caseload").status_code == 401
        assert nobody.get("/clinic").status_code == 303  # to the login page


def test_withdrawal_is_refused_on_the_very_next_request(four: dict[str, Person]) -> None:
    link = share_ana_with_bea(four)
    for path in ROUTES:
        assert _get(four["bea"], path) == 200, path
    care.withdraw(four["ana"].name, link)
    for path in ROUTES:
        assert _get(four["bea"], path) == 404, path
    api = four["bea"].client.get("/api/v1/clinic/caseload", headers=bearer(four["bea"].token))
    assert api.json()["runners"] == []
    assert "No runners yet" in four["bea"].client.get("/clinic").text
