"""After an urgent or emergency symptom check, every page and endpoint that offers exercise
shows the hold first and offers no session until the runner says a professional has seen them.

Today (the hold first, no session card, no Start link, no morning check-in; the box that
clears it, its wrong submissions and its CSRF check), the Plan, the session player for today
and for every library routine, the JSON API (``check_reminder``, the 409s, a session already
done still saved, the clearing endpoint) and, in multi-user mode, one person's hold kept off
everyone else's pages. A "soon" result reminds without holding.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from piri.content.loader import library
from piri.domain.triage import NO_EXERCISE_UNTIL_SEEN, STOP_RUNNING_UNTIL_SEEN
from piri.services.check import remember_result, run_check
from piri.services.diary import LOCAL_PERSON
from piri.services.program import check_reminder_for, get_profile
from piri.services.sessions import session_history
from piri.web.pages.today import NOT_TICKED, NOTHING_TO_CLEAR
from tests.check_answers import typical_piriformis
from tests.web.accounts_fixtures import (
    api_token,
    bearer,
    cheap_hashing,
    csrf_of,
    multi_user_app,
    new_client,
    sign_up_and_login,
)
from tests.web.conftest import csrf
from tests.web.test_api_program import all_done, make_profile, record_relief
from tests.web.test_runs_pages import main

__all__ = ["cheap_hashing", "multi_user_app"]  # fixtures used by name

TODAY = dt.date.today()
YESTERDAY = TODAY - dt.timedelta(days=1)
VIGNETTES = Path(__file__).resolve().parents[1] / "vignettes"
EMERGENCY_SIGN = "Numbness between the legs (saddle area)"
HOLD_BOX = "A professional has seen me since this check and said I may exercise"
SOON_BOX = "I have seen a professional about this"
CHECK_IN = "How is the pain this morning?"
ROUTINES = sorted(library().routines)


def long_day(day: dt.date) -> str:
    return day.strftime("%A %d %B %Y")


def take_check(person: str = LOCAL_PERSON, **answers: Any) -> None:
    remember_result(run_check(typical_piriformis(**answers)), person)


def take_vignette(name: str, person: str = LOCAL_PERSON) -> None:
    data = json.loads((VIGNETTES / f"{name}.json").read_text(encoding="utf-8"))
    remember_result(run_check(data["answers"]), person)


def main_html(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def first_in_main(html: str) -> str:
    """The opening tag of the first element of <main> after its heading."""
    inside = main_html(html).split("</h1>", 1)[1]
    found = re.search(r"<(section|div|p|form)\b[^>]*>", inside)
    assert found is not None, inside[:500]
    return found.group(0)


def stored_check() -> dict[str, Any]:
    _profile, _phase, last_check = get_profile()
    assert isinstance(last_check, dict)
    return last_check


def seen(client: TestClient, token: bool = True, **data: str) -> Any:
    form = {**data, **({"csrf_token": csrf(client)} if token else {})}
    return client.post("/today/seen", data=form, follow_redirects=False)


@pytest.fixture
def held(client: TestClient) -> TestClient:
    """A runner with a profile (a session every day) and an emergency check result."""
    make_profile()
    take_check(saddle_numbness=True)
    return client


# --- Today --------------------------------------------------------------------------------------


def test_today_shows_the_hold_first_and_offers_no_session(held: TestClient) -> None:
    record_relief(YESTERDAY)  # a session waiting for its morning check-in
    response = held.get("/today")
    assert response.status_code == 200
    html, words = response.text, main(response.text)
    assert 'class="check-reminder urgent-result is-hold"' in first_in_main(html)
    assert words.index("Go to an emergency department now.") < words.index("This week")
    assert "Emergency Go to an emergency department now." in words
    assert f"Your symptom check of {long_day(TODAY)} found this warning sign:" in words
    assert EMERGENCY_SIGN in words
    assert NO_EXERCISE_UNTIL_SEEN in words
    assert '<a href="/check/result">' in html and '<a href="/check">' in html
    # No session, no Start link, no morning check-in, no routine: the week glance stays.
    for gone in ("Today's session", "Start session", CHECK_IN, "Guided sessions", "A rest day"):
        assert gone not in words, gone
    assert not re.search(r'href="/session', main_html(html))
    assert 'class="session-card' not in html
    assert len(re.findall(r'<li class="week-day ', html)) == 7
    # The box that clears it, with its CSRF token.
    form = re.search(r'<form method="post" action="/today/seen".*?</form>', html, re.S)
    assert form is not None
    assert f'<input type="hidden" name="csrf_token" value="{csrf(held)}">' in form.group(0)
    assert 'type="checkbox" id="field-confirm" name="confirm" value="yes"' in form.group(0)
    assert f'<label for="field-confirm">{HOLD_BOX}</label>' in form.group(0)


def test_an_urgent_result_holds_the_sessions_too(client: TestClient) -> None:
    make_profile()
    take_check(fever_or_unwell=True)
    words = main(client.get("/today").text)
    assert "Get seen today Get seen by a doctor today." in words
    assert "Start session" not in words
    assert client.get("/api/v1/today").json()["session"] is None


def test_before_a_profile_today_shows_the_hold_and_no_way_into_a_session(
    client: TestClient,
) -> None:
    take_check(saddle_numbness=True)
    html = client.get("/today").text
    assert 'class="check-reminder urgent-result is-hold"' in first_in_main(html)
    words = main(html)
    assert "Go to an emergency department now." in words
    assert "Set up your profile" not in words and "Guided sessions" not in words
    assert not re.search(r'href="/session', main_html(html))


def test_a_soon_result_is_a_banner_above_the_usual_page(client: TestClient) -> None:
    make_profile()
    take_vignette("dgs-with-weight-loss")
    html = client.get("/today").text
    assert 'class="check-reminder notice warn is-soon"' in first_in_main(html)
    words = main(html)
    assert words.index("Within days Book an appointment") < words.index("Today's session")
    assert "Weight loss without trying" in words
    assert "The exercises in your plan are fine meanwhile" in words
    assert '<a class="button big start" href="/session/today">Start session</a>' in html
    assert f'<label for="field-confirm">{SOON_BOX}</label>' in html
    assert STOP_RUNNING_UNTIL_SEEN not in words


def test_a_soon_result_that_says_stop_running_says_so_on_today(client: TestClient) -> None:
    make_profile()
    take_vignette("bsi-sacral")
    words = main(client.get("/today").text)
    assert STOP_RUNNING_UNTIL_SEEN in words
    assert "Start session" in words


def test_a_self_care_result_shows_nothing_before_the_session(client: TestClient) -> None:
    make_profile()
    take_check()
    html = client.get("/today").text
    assert 'class="check-reminder' not in html
    assert "Start session" in main(html)
    assert client.get("/api/v1/today").json()["check_reminder"] is None


# --- /today/seen --------------------------------------------------------------------------------


def test_the_box_must_be_ticked_and_a_wrong_submission_keeps_the_page(held: TestClient) -> None:
    before = stored_check()
    for data in (
        {},
        {"confirm": ""},
        {"confirm": "no"},
        {"confirm": "²"},
        {"confirm": "x" * 10_000},
    ):
        response = seen(held, **data)
        assert response.status_code == 422, data
        words = main(response.text)
        assert NOT_TICKED in words
        assert "Please check this" in words  # the error summary, linked to the box
        assert '<a href="#field-confirm">' in response.text
        assert 'aria-invalid="true" aria-describedby="error-confirm"' in response.text
        # The page is kept: the hold first, still no session.
        assert 'class="check-reminder urgent-result is-hold"' in first_in_main(response.text)
        assert "Start session" not in words
    assert stored_check() == before
    assert check_reminder_for() is not None


def test_the_box_is_refused_without_the_csrf_token(held: TestClient) -> None:
    before = stored_check()
    response = seen(held, token=False, confirm="yes")
    assert response.status_code == 403
    assert "Please try again" in response.text
    wrong = held.post("/today/seen", data={"confirm": "yes", "csrf_token": "not-the-token"})
    assert wrong.status_code == 403
    assert stored_check() == before
    assert "Start session" not in main(held.get("/today").text)


def test_ticking_the_box_clears_the_hold_and_today_offers_the_session_again(
    held: TestClient,
) -> None:
    response = seen(held, confirm="yes")
    assert response.status_code == 303
    assert response.headers["location"] == "/today?seen=1"
    page = held.get(response.headers["location"])
    assert page.status_code == 200
    words = main(page.text)
    assert 'class="notice ok seen-saved"' in first_in_main(page.text)
    assert (
        f"You said on {TODAY.strftime('%A %d %B')} that a professional has seen you since your "
        f"symptom check of {long_day(TODAY)} and said you may exercise. Your sessions are "
        "offered again." in words
    )
    assert 'class="check-reminder' not in page.text
    assert '<a class="button big start" href="/session/today">Start session</a>' in page.text
    # The result itself is kept, marked with the day.
    kept = stored_check()
    assert kept["urgency"] == "emergency" and kept["seen_by_professional_on"] == TODAY.isoformat()
    # Reloading the confirmation sends nothing; sending the box again has nothing to clear.
    assert held.get("/today?seen=1").status_code == 200
    again = seen(held, confirm="yes")
    assert again.status_code == 409
    assert "there is nothing to mark as seen" in main(again.text)
    assert 'role="alert"' in again.text
    # The home page no longer leads to the warning: it goes to Today.
    home = held.get("/", follow_redirects=False)
    assert home.status_code == 303 and home.headers["location"] == "/today"


def test_the_confirmation_is_read_back_never_taken_from_the_address(client: TestClient) -> None:
    make_profile()
    take_check()
    assert "Saved: a professional has seen you" not in client.get("/today?seen=1").text
    refused = seen(client)
    assert refused.status_code == 409
    assert NOTHING_TO_CLEAR in main(refused.text)


def test_a_soon_reminder_is_cleared_by_its_own_box(client: TestClient) -> None:
    make_profile()
    take_vignette("dgs-with-weight-loss")
    assert seen(client, confirm="yes").status_code == 303
    words = main(client.get("/today?seen=1").text)
    assert "has seen you since your symptom check of" in words
    assert "Your sessions are offered again" not in words
    assert "Within days" not in words


def test_a_newer_check_with_the_sign_holds_the_sessions_again(held: TestClient) -> None:
    assert seen(held, confirm="yes").status_code == 303
    take_check(bladder_bowel_change=True)
    assert "Start session" not in main(held.get("/today").text)
    take_check()
    assert "Start session" in main(held.get("/today").text)


# --- the Plan and the session player ------------------------------------------------------------


def test_the_plan_shows_the_hold_first_and_waits_for_the_professional(held: TestClient) -> None:
    response = held.get("/plan")
    assert response.status_code == 200
    html, words = response.text, main(response.text)
    assert 'class="check-reminder urgent-result is-hold"' in first_in_main(html)
    assert words.index("Go to an emergency department now.") < words.index("This week")
    assert "Your plan waits for the professional" in words
    assert "These sessions wait until a professional has seen you" in words
    assert 'href="/session"' not in main_html(html)
    assert '<a href="/today#check-reminder">Say so on Today</a>' in html
    assert 'action="/today/seen"' not in html


def test_the_plan_shows_a_soon_reminder_first_and_the_plan_as_usual(client: TestClient) -> None:
    make_profile()
    take_vignette("bsi-sacral")
    html = client.get("/plan").text
    assert 'class="check-reminder notice warn is-soon"' in first_in_main(html)
    assert STOP_RUNNING_UNTIL_SEEN in main(html)
    assert "Your plan waits" not in main(html)
    assert '<a class="button secondary" href="/session">Guided sessions</a>' in html


@pytest.mark.parametrize(
    "path", ["/session", "/session/today", *(f"/session/{r}" for r in ROUTINES)]
)
def test_the_session_pages_show_the_hold_instead_of_the_player(held: TestClient, path: str) -> None:
    response = held.get(path)
    assert response.status_code == 200
    html, words = response.text, main(response.text)
    assert "Sessions wait for a professional Emergency Go to an emergency" in words
    assert 'class="check-reminder urgent-result is-hold"' in first_in_main(html)
    assert EMERGENCY_SIGN in words
    assert "Every session, the guided routines included, waits until then" in words
    assert "player.js" not in html and 'id="session-plan"' not in html
    assert 'id="start"' not in html and "Start session" not in words
    assert not re.search(r'href="/session', main_html(html))


def test_the_hold_comes_before_a_wrong_side_or_routine(held: TestClient) -> None:
    for path in ("/session/relief?side=middle", "/session/no-such-routine"):
        response = held.get(path)
        assert response.status_code == 200, path
        assert "Sessions wait for a professional" in main(response.text)


# --- the API ------------------------------------------------------------------------------------


def test_the_api_says_what_holds_and_offers_no_session(held: TestClient) -> None:
    today = held.get("/api/v1/today").json()
    reminder = today["check_reminder"]
    assert reminder == {
        "urgency": "emergency",
        "holds_exercise": True,
        "stops_running": False,
        "action": "Go to an emergency department now.",
        "signs": [EMERGENCY_SIGN],
        "checked_on": TODAY.isoformat(),
        "what_it_means": NO_EXERCISE_UNTIL_SEEN,
    }
    assert today["session"] is None and today["next_session"] is None
    assert len(today["week"]) == 7
    plan = held.get("/api/v1/plan").json()
    assert plan["check_reminder"] == reminder
    assert len(plan["days"]) == 7
    for routine in ("today", *ROUTINES):
        response = held.get(f"/api/v1/sessions/plan/{routine}")
        assert response.status_code == 409, routine
        body = response.json()
        assert body["code"] == "exercise_on_hold"
        assert body["message"].startswith("Go to an emergency department now. Do not start")
        assert "POST /api/v1/check/seen-by-professional" in body["message"]
        assert body["check_reminder"] == reminder


def test_a_session_already_done_is_still_saved_during_a_hold(client: TestClient) -> None:
    make_profile()
    plan = client.get("/api/v1/sessions/plan/relief").json()  # fetched before the check
    take_check(saddle_numbness=True)
    saved = client.post(
        "/api/v1/sessions",
        json={"routine": "relief", "exercises": all_done(plan), "pain_during": 2},
        headers={"X-CSRF-Token": csrf(client)},
    )
    assert saved.status_code == 201, saved.text
    assert [e.routine for e in session_history()] == ["relief"]
    done = client.get("/api/v1/today").json()["done_today"]
    assert [entry["routine"] for entry in done] == ["relief"]
    assert "Done today" in main(client.get("/today").text)


def test_the_api_clears_the_hold_once(held: TestClient) -> None:
    headers = {"X-CSRF-Token": csrf(held)}
    response = held.post("/api/v1/check/seen-by-professional", headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["seen_by_professional_on"] == TODAY.isoformat()
    assert body["cleared"]["urgency"] == "emergency" and body["cleared"]["holds_exercise"]
    today = held.get("/api/v1/today").json()
    assert today["check_reminder"] is None and today["session"] is not None
    assert held.get("/api/v1/sessions/plan/today").status_code == 200
    again = held.post("/api/v1/check/seen-by-professional", headers=headers)
    assert again.status_code == 409
    assert again.json() == {
        "code": "nothing_to_clear",
        "message": "Your latest symptom check asks for no appointment, so there is nothing "
        "to mark as seen.",
    }
    latest = held.get("/api/v1/check/latest").json()
    assert latest["urgency"] == "emergency"
    assert latest["seen_by_professional_on"] == TODAY.isoformat()


def test_a_soon_reminder_is_in_the_api_and_holds_nothing(client: TestClient) -> None:
    make_profile()
    take_vignette("bsi-sacral")
    today = client.get("/api/v1/today").json()
    assert today["check_reminder"]["urgency"] == "soon"
    assert today["check_reminder"]["holds_exercise"] is False
    assert today["check_reminder"]["stops_running"] is True
    assert today["session"] is not None
    assert client.get("/api/v1/sessions/plan/relief").status_code == 200


# --- several people -----------------------------------------------------------------------------


def test_one_persons_hold_stays_theirs(multi_user_app: FastAPI) -> None:
    owner = new_client(multi_user_app, "192.0.2.1")
    sign_up_and_login(owner, "holder")
    other = new_client(multi_user_app, "192.0.2.2")
    sign_up_and_login(other, "bystander")
    tokens = {name: bearer(api_token(c, name)) for name, c in (("holder", owner), ("by", other))}
    for client, auth in ((owner, tokens["holder"]), (other, tokens["by"])):
        profile = {"painful_side": "left", "days_per_week": 7, "minutes_per_day": 20}
        assert client.put("/api/v1/profile", json=profile, headers=auth).status_code == 200
    answers = typical_piriformis(saddle_numbness=True)
    saved = owner.post("/api/v1/check?save=true", json=answers, headers=tokens["holder"])
    assert saved.status_code == 200
    assert owner.get("/api/v1/today", headers=tokens["holder"]).json()["session"] is None
    assert other.get("/api/v1/today", headers=tokens["by"]).json()["check_reminder"] is None
    assert other.get("/api/v1/sessions/plan/relief", headers=tokens["by"]).status_code == 200
    assert "Start session" in main(other.get("/today").text)
    assert "Go to an emergency department now." not in other.get("/today").text
    refused = other.post("/api/v1/check/seen-by-professional", headers=tokens["by"])
    assert refused.status_code == 409
    assert owner.get("/api/v1/sessions/plan/relief", headers=tokens["holder"]).status_code == 409
    anonymous = new_client(multi_user_app, "192.0.2.3")
    headers = {"X-CSRF-Token": csrf_of(anonymous)}
    response = anonymous.post("/api/v1/check/seen-by-professional", headers=headers)
    assert response.status_code == 401 and response.json()["code"] == "not_signed_in"
