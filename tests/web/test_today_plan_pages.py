"""The Today, Plan and session-player pages over HTTP: what each shows before and after a
profile, the one-tap morning check-in (a plain form and an htmx fragment) with its wrong
input, and the session plan the player page carries (the API's, to the letter)."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re

import pytest
from fastapi.testclient import TestClient

from piri.content.loader import library
from piri.content.models import Phase
from piri.domain.diary import DayEntry
from piri.services import diary as diary_service
from piri.services.diary import LOCAL_PERSON
from piri.services.program import this_week, today_plan
from piri.services.sessions import plan_for_today, session_history, session_waiting_for_morning
from piri.web.api import program as program_api
from piri.web.pages import today as today_pages
from piri.web.pages.today import NOTHING_TO_SCORE
from tests.web.conftest import csrf
from tests.web.test_api_program import SUNDAY, make_profile, move_to_phase, record_relief
from tests.web.test_runs_pages import main, text_of

TODAY = dt.date.today()
YESTERDAY = TODAY - dt.timedelta(days=1)
CHECK_IN = "How is the pain this morning?"
SAVED = "Your morning check-in is saved"
HTMX = {"HX-Request": "true"}


def long_date(day: dt.date) -> str:
    return day.strftime("%A %d %B")


def morning(
    client: TestClient, fragment: bool = False, token: bool = True, **values: str
) -> object:
    data = {**values, **({"csrf_token": csrf(client)} if token else {})}
    return client.post("/today/morning", data=data, headers=HTMX if fragment else {})


def escaped(text: str) -> str:
    return text.replace("'", "&#39;")


# --- before a profile ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "heading"),
    [("/today", "Today"), ("/plan", "Your plan"), ("/session/today", "Today's session")],
)
def test_before_a_profile_the_pages_point_to_it(
    client: TestClient, path: str, heading: str
) -> None:
    response = client.get(path)
    assert response.status_code == 200
    words = main(response.text)
    assert words.split(" First, your profile", 1)[0].strip().endswith(heading)
    assert '<a class="button big" href="/profile">Set up your profile</a>' in response.text
    assert "Today's session" not in words.replace("Today's session First", "")
    assert CHECK_IN not in words


def test_before_a_profile_today_still_lists_the_guided_sessions(client: TestClient) -> None:
    html = client.get("/today").text
    for routine in library().routines.values():
        assert f'<a href="/session/{routine.id}">{escaped(routine.name)}</a>' in html


# --- Today --------------------------------------------------------------------------------------


def test_today_shows_the_session_and_the_week(client: TestClient) -> None:
    make_profile()  # seven days a week: today always holds a session
    response = client.get("/today")
    assert response.status_code == 200
    html, words = response.text, main(response.text)
    assert f"Today {long_date(TODAY)}" in words
    _week, day = today_plan()
    assert f"Settle phase about {round(day.minutes)} minutes, {len(day.items)} exercises" in words
    today = program_api.today_document(LOCAL_PERSON)
    for item in today["session"]["exercises"]:
        assert f'<a href="/exercises/{item["exercise"]}">' in html
        assert f"{item['name']} {item['dose_words']}" in words
    assert '<a class="button big start" href="/session/today">Start session</a>' in html
    days = re.findall(r'<li class="week-day status-([a-z-]+)( is-today)?">', html)
    assert len(days) == 7
    assert days[TODAY.weekday()] == ("today", " is-today")
    assert [s for s, _ in days[TODAY.weekday() + 1 :]] == ["planned"] * (6 - TODAY.weekday())
    assert CHECK_IN not in words and "Done today" not in words


def test_today_offers_the_morning_check_in_for_yesterdays_session(client: TestClient) -> None:
    """This page answered 500 while a session waited for its morning check-in."""
    make_profile()
    record_relief(YESTERDAY)
    response = client.get("/today")
    assert response.status_code == 200
    html, words = response.text, main(response.text)
    assert CHECK_IN in words
    assert f"The morning after your session of {long_date(YESTERDAY)}." in words
    assert '<form method="post" action="/today/morning" hx-post="/today/morning"' in html
    buttons = re.findall(r'<button type="submit" name="morning" value="(\d+)"', html)
    assert buttons == [str(n) for n in range(11)]
    assert "Please check" not in words  # no errors before anything is sent
    # Without JavaScript the form is sent as it is: its own token must pass the CSRF check.
    token = re.search(r'<input type="hidden" name="csrf_token" value="([^"]*)">', html)
    assert token is not None and token.group(1) == csrf(client)
    sent = client.post("/today/morning", data={"csrf_token": token.group(1), "morning": "2"})
    assert sent.status_code == 200
    assert SAVED in main(sent.text)


def test_a_session_done_today_waits_for_tomorrow_morning(client: TestClient) -> None:
    make_profile()
    record_relief(TODAY, during=3, after=1)
    words = main(client.get("/today").text)
    assert CHECK_IN not in words
    assert (
        "Done today Relief: the gentle short-term set : done (4 of 4 exercises done; "
        "pain during 3/10, after 1/10)"
    ) in words
    assert "Tomorrow morning, tap your pain on waking here" in words


def test_a_rest_day_shows_the_next_session(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_profile(days=1)  # Mondays only
    monkeypatch.setattr(
        today_pages,
        "today_document",
        functools.partial(program_api.today_document, today=SUNDAY),
    )
    html = client.get("/today").text
    words = main(html)
    assert "A rest day Today is a rest day in your plan." in words
    monday = this_week().days[0]
    assert f"Next: Monday, about {round(monday.minutes)} minutes" in words
    assert 'href="/session/relief">relief routine</a>' in html
    assert "Start session" not in words


# --- the morning check-in -----------------------------------------------------------------------


def test_one_tap_saves_the_morning_check_in(client: TestClient) -> None:
    make_profile()
    record_relief(YESTERDAY)
    response = morning(client, morning="2")
    assert response.status_code == 200
    html, words = response.text, main(response.text)
    assert html.count("<h1") == 1 and f"Today {long_date(TODAY)}" in words
    stored = session_history()[0]
    assert (stored.pain_next_morning, stored.usual_morning_pain) == (2, 2)
    assert f"{SAVED} After the session of {long_date(YESTERDAY)}:" in words
    for decision in stored.decisions:
        assert decision in words
    assert "Still settling: waiting for a week in this phase" in words
    assert CHECK_IN not in words
    # The check-in is not offered twice.
    assert CHECK_IN not in main(client.get("/today").text)


def test_the_htmx_check_in_gets_the_fragment_alone(client: TestClient) -> None:
    make_profile()
    record_relief(YESTERDAY)
    response = morning(client, fragment=True, morning="3", usual="3")
    assert response.status_code == 200
    html = response.text
    assert "<html" not in html and "<h1" not in html
    assert html.lstrip().startswith('<section id="morning" class="card morning"')
    assert f'<h2 id="morning-title" data-focus>{SAVED}</h2>' in html
    assert "Pain check: progress, because pain stayed low" in text_of(html)
    assert session_history()[0].pain_next_morning == 3


def test_the_plain_form_check_in_redirects_so_a_reload_sends_nothing_again(
    client: TestClient,
) -> None:
    """Post/Redirect/Get: the saved result is shown by a GET, which a reload repeats safely."""
    make_profile()
    record_relief(YESTERDAY)
    sent = client.post(
        "/today/morning", data={"csrf_token": csrf(client), "morning": "2"}, follow_redirects=False
    )
    assert sent.status_code == 303
    assert sent.headers["location"] == "/today?checked_in=1#morning"
    [stored] = session_history()
    assert stored.pain_next_morning == 2 and stored.decisions
    shown = client.get(sent.headers["location"])
    assert shown.status_code == 200
    words = main(shown.text)
    assert f"{SAVED} After the session of {long_date(YESTERDAY)}:" in words
    for decision in stored.decisions:
        assert decision in words
    assert "Still settling: waiting for a week in this phase" in words
    assert CHECK_IN not in words
    reloaded = client.get(sent.headers["location"])
    assert main(reloaded.text) == words
    assert session_history() == [stored]  # nothing was sent twice
    assert SAVED not in main(client.get("/today").text)  # without the flag, Today as usual


def test_after_the_redirect_a_phase_change_is_said(client: TestClient) -> None:
    make_profile()
    move_to_phase(Phase.STRENGTHEN, TODAY - dt.timedelta(days=10))
    for ago in range(1, 4):  # a flare: worst pain 9/10 these last days
        diary_service.log_day(DayEntry(TODAY - dt.timedelta(days=ago), 5, 9))
    record_relief(YESTERDAY)
    words = main(morning(client, morning="6").text)  # followed to /today?checked_in=1
    assert f"{SAVED} After the session of {long_date(YESTERDAY)}:" in words
    assert "Your plan is now in the settle phase. Still settling: waiting for" in words
    assert this_week().phase.id is Phase.SETTLE


def test_the_saved_result_without_a_check_in_is_today_as_usual(client: TestClient) -> None:
    make_profile()
    words = main(client.get("/today?checked_in=1").text)
    assert SAVED not in words and "Today's session" in words


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("11", "Pain on waking: '11' is not a whole number from 0 to 10."),
        ("abc", "Pain on waking: 'abc' is not a whole number from 0 to 10."),
        ("-1", "Pain on waking: '-1' is not a whole number from 0 to 10."),
        ("2.5", "Pain on waking: '2.5' is not a whole number from 0 to 10."),
        ("²", "Pain on waking: '²' is not a whole number from 0 to 10."),
        ("", "Pain on waking: choose a number from 0 to 10."),
    ],
)
@pytest.mark.parametrize("fragment", [False, True], ids=["form", "htmx"])
def test_a_wrong_morning_pain_is_refused_naming_the_field(
    client: TestClient, value: str, message: str, fragment: bool
) -> None:
    make_profile()
    waiting = record_relief(YESTERDAY)
    response = morning(client, fragment=fragment, morning=value)
    assert response.status_code == 422
    html = response.text
    assert ("<h1" in html) is not fragment  # the whole page, or the check-in alone
    assert f'<p class="field-error" id="error-morning">{escaped(message)}</p>' in html
    assert f'<li><a href="#field-morning">{escaped(message)}</a></li>' in html
    assert 'aria-describedby="morning-hint error-morning"' in html
    assert CHECK_IN in html  # the scale again, to tap the right number
    still = session_waiting_for_morning()
    assert still is not None and still.id == waiting


def test_a_wrong_usual_pain_is_named_and_the_choice_kept(client: TestClient) -> None:
    make_profile()
    record_relief(YESTERDAY)
    response = morning(client, morning="2", usual="12")
    assert response.status_code == 422
    html = response.text
    message = escaped("Usual morning pain: '12' is not a whole number from 0 to 10.")
    assert f'<p class="field-error" id="error-usual">{message}</p>' in html
    assert '<details class="usual" open>' in html
    assert 'aria-describedby="error-usual" aria-invalid="true"' in html
    assert '<button type="submit" name="morning" value="2" class="secondary chosen">' in html
    assert session_waiting_for_morning() is not None


@pytest.mark.parametrize("fragment", [False, True], ids=["form", "htmx"])
def test_a_morning_check_in_with_no_session_waiting_says_so(
    client: TestClient, fragment: bool
) -> None:
    make_profile()
    response = morning(client, fragment=fragment, morning="3")
    assert response.status_code == 422
    assert f'<p class="notice warn" role="alert">{NOTHING_TO_SCORE}</p>' in response.text
    assert CHECK_IN not in response.text


def test_a_morning_check_in_before_a_profile_says_why_nothing_was_saved(
    client: TestClient,
) -> None:
    response = morning(client, morning="3")
    assert response.status_code == 422
    words = main(response.text)
    assert NOTHING_TO_SCORE in words  # the page used to answer 422 without saying why
    assert "Set up your profile" in words


def test_a_routine_done_before_a_profile_can_be_checked_in(client: TestClient) -> None:
    record_relief(YESTERDAY)
    response = morning(client, morning="1")
    assert response.status_code == 200
    assert f"{SAVED} After the session of {long_date(YESTERDAY)}:" in main(response.text)
    assert session_history()[0].pain_next_morning == 1


@pytest.mark.parametrize("fragment", [False, True], ids=["form", "htmx"])
def test_a_morning_check_in_without_the_csrf_token_is_refused(
    client: TestClient, fragment: bool
) -> None:
    make_profile()
    record_relief(YESTERDAY)
    response = morning(client, fragment=fragment, token=False, morning="2")
    assert response.status_code == 403
    assert "This form has expired or did not come from Piri." in response.text
    forged = client.post(
        "/today/morning", data={"morning": "2", "csrf_token": "forged"}, headers=HTMX
    )
    assert forged.status_code == 403
    assert session_waiting_for_morning() is not None


# --- the Plan -----------------------------------------------------------------------------------


def test_the_plan_shows_the_phase_the_week_and_no_change_yet(client: TestClient) -> None:
    make_profile()
    response = client.get("/plan")
    assert response.status_code == 200
    html, words = response.text, main(response.text)
    assert re.search(
        r'<li class="phase phase-current" aria-current="step">\s*'
        r'<span class="phase-name">1. Settle</span>',
        html,
    )
    assert f"Settle phase since {TODAY:%d %B %Y}" in words
    assert "Where it stands today: Still settling: waiting for" in words
    assert "Within your 20 minutes a day, 7 days a week, using no equipment." in words
    plan = program_api.plan_overview(LOCAL_PERSON)
    rows = re.findall(r'<tr>\s*<th scope="row">(\w+)</th>(.*?)</tr>', html, re.S)
    assert [day for day, _ in rows] == [d["weekday"] for d in plan["days"]]
    for (_, row), day in zip(rows, plan["days"], strict=True):
        cells = text_of(row)
        for item in day["exercises"]:
            assert f"{item['name']} : {item['dose_words']}" in cells
        assert f"{day['minutes']}" in cells
    assert "No change yet." in words
    assert "Strength work and where it goes next" not in words


def test_the_plan_says_why_the_last_change_happened(client: TestClient) -> None:
    make_profile()
    record_relief(YESTERDAY)
    morning(client, morning="2")
    words = main(client.get("/plan").text)
    decision = session_history()[0].decisions[0]
    assert (
        f"Why the last change happened After the session of {long_date(YESTERDAY)}, "
        f"with 2/10 the next morning: {decision}"
    ) in words
    assert "No change yet" not in words


def test_the_plan_in_the_strengthen_phase_lists_where_the_strength_work_goes(
    client: TestClient,
) -> None:
    make_profile(equipment=["mini_band"])
    move_to_phase(Phase.STRENGTHEN, TODAY - dt.timedelta(days=3))
    words = main(client.get("/plan").text)
    plan = program_api.plan_overview(LOCAL_PERSON)
    assert plan["strength"]
    for slot in plan["strength"]:
        assert (
            f"{slot['name']} : {slot['sets']} × {slot['reps']}; next: {slot['harder_name']}"
            in words
        )
    assert "2. Strengthen you are here" in words and "1. Settle behind you" in words
    assert "using mini band" in words


# --- the session player -------------------------------------------------------------------------


def plan_block(html: str) -> dict[str, object]:
    found = re.search(
        r'<script type="application/json" id="session-plan">(.*?)</script>', html, re.S
    )
    assert found, "no session plan on the page"
    plan: dict[str, object] = json.loads(found.group(1))
    return plan


@pytest.mark.parametrize("query", ["", "?side=right"])
def test_the_player_page_carries_the_plan_the_api_gives(client: TestClient, query: str) -> None:
    response = client.get(f"/session/relief{query}")
    assert response.status_code == 200
    api = client.get(f"/api/v1/sessions/plan/relief{query}").json()
    assert plan_block(response.text) == api
    words = main(response.text)
    assert (
        f"{api['name']} Before you start About {round(api['total_seconds'] / 60)} minutes" in words
    )
    # Without JavaScript the steps are a list, every one numbered.
    numbers = re.findall(r'<li value="(\d+)"><strong>', response.text)
    assert numbers == [str(n) for n in range(1, len(api["steps"]) + 1)]


def test_the_side_form_keeps_the_side_chosen(client: TestClient) -> None:
    html = client.get("/session/relief?side=right").text
    assert "your painful side (right) goes first" in main(html)
    assert '<option value="right" selected>Right</option>' in html
    plain = client.get("/session/relief?side=").text
    assert '<option value="" selected>As in my profile</option>' in plain
    assert "goes first" not in main(plain)


def test_a_wrong_routine_or_side_is_a_page_that_says_so(client: TestClient) -> None:
    unknown = client.get("/session/relax")
    assert unknown.status_code == 404
    assert "There is no routine called &#39;relax&#39;. Did you mean relief?" in unknown.text
    assert 'href="/session/relief"' in unknown.text
    side = client.get("/session/relief?side=middle")
    assert side.status_code == 422
    assert "That choice does not exist" in main(side.text)
    assert "&#39;middle&#39; is not a valid side; choose one of: left, right." in side.text


def test_todays_session_page_plays_the_days_planned_session(client: TestClient) -> None:
    make_profile()
    response = client.get("/session/today")
    assert response.status_code == 200
    plan = plan_block(response.text)
    assert plan == client.get("/api/v1/sessions/plan/today").json()
    assert plan["routine"] == "today"
    assert '<h1 id="session-title">Today: Settle</h1>' in response.text
    assert "your painful side (left) goes first" in main(response.text)
    assert 'class="side-form"' not in response.text  # the side is the profile's


def test_todays_session_page_on_a_rest_day(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_profile(days=1)
    monkeypatch.setattr(
        program_api, "plan_for_today", lambda person: plan_for_today(person, SUNDAY)
    )
    response = client.get("/session/today")
    assert response.status_code == 200
    words = main(response.text)
    assert "Today is a rest day Your plan has no session today." in words
    assert 'href="/session/relief">The relief routine, for a sore day</a>' in response.text
    assert "session-plan" not in response.text
