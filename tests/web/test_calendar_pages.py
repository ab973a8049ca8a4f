"""The calendar over HTTP: the Plan page's download and the API's (the same bytes, read back
with ``icalendar``), wrong options named, and the published feed of multi-user mode: made on
the Settings page (or the API) and shown once, reset, turned off, opened by its token alone,
a wrong or old token refused, another person's token never giving your plan; none of it
offered to the one person of single-person mode."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from icalendar import Calendar

from piri.services.calendar import uid
from piri.services.diary import LOCAL_PERSON
from piri.web.pages.calendar import NO_FEEDS_HERE, NO_SUCH_FEED
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
from tests.web.test_api_program import make_profile
from tests.web.test_runs_pages import main

__all__ = ["cheap_hashing", "multi_user_app"]  # fixtures used by name

FEED = re.compile(r'value="(http://127\.0\.0\.1:8000/calendar/feed/([A-Za-z0-9_-]{43})\.ics)"')


def events(body: bytes) -> list[Any]:
    return list(Calendar.from_ical(body).events)


def confirmed(body: bytes) -> list[Any]:
    return [e for e in Calendar.from_ical(body).events if str(e["STATUS"]) == "CONFIRMED"]


def uids(body: bytes) -> set[str]:
    return {str(e.uid) for e in Calendar.from_ical(body).events}


# --- single-person mode ------------------------------------------------------------------------


def test_the_plan_page_links_the_download_and_its_options(client: TestClient) -> None:
    make_profile(days=3)
    html = client.get("/plan").text
    assert '<a class="button secondary" href="/plan/calendar.ics" download="piri.ics">' in html
    assert "Download calendar (.ics)" in html
    assert '<form method="get" action="/plan/calendar.ics">' in html
    for field in ("weeks", "exercise_time", "run_time"):
        assert f'name="{field}"' in html
    assert "subscribe to a feed" not in html, "single-person mode offers no feed"


def test_the_download_is_an_icalendar_attachment_of_the_plan(client: TestClient) -> None:
    make_profile(days=3)
    response = client.get("/plan/calendar.ics")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="piri.ics"'
    assert response.headers["cache-control"] == "no-store"
    found = confirmed(response.content)
    assert len(found) == 3 * 4
    for event in found:
        alarms = [c for c in event.subcomponents if c.name == "VALARM"]
        assert [a["TRIGGER"].to_ical() for a in alarms] == [b"-PT30M"]
    shorter = client.get("/plan/calendar.ics", params={"weeks": "1", "exercise_time": "06:15"})
    assert len(confirmed(shorter.content)) == 3
    assert {e.start.time().isoformat() for e in confirmed(shorter.content)} == {"06:15:00"}


def test_the_api_gives_the_same_bytes_as_the_page(client: TestClient) -> None:
    make_profile(days=2)
    page = client.get("/plan/calendar.ics", params={"weeks": "2"})
    api = client.get("/api/v1/calendar.ics", params={"weeks": "2"})
    assert api.status_code == 200
    assert api.headers["content-type"] == "text/calendar; charset=utf-8"
    assert api.content == page.content
    assert uids(api.content) == {
        uid(LOCAL_PERSON, f"{e.start.date().isoformat()}-exercise") for e in confirmed(api.content)
    }


def test_before_a_profile_the_download_points_to_it(client: TestClient) -> None:
    page = client.get("/plan/calendar.ics")
    assert page.status_code == 409
    assert "There is no profile yet" in main(page.text)
    api = client.get("/api/v1/calendar.ics")
    assert api.status_code == 409 and api.json()["code"] == "profile_needed"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"weeks": "13"}, "weeks"),
        ({"weeks": "²"}, "weeks"),
        ({"exercise_time": "25:00"}, "exercise_time"),
        ({"run_time": "x" * 10_000}, "run_time"),
    ],
)
def test_a_wrong_option_is_named(client: TestClient, params: dict[str, str], field: str) -> None:
    make_profile(days=2)
    api = client.get("/api/v1/calendar.ics", params=params)
    assert api.status_code == 422
    body = api.json()
    assert body["code"] == "invalid_input" and body["field"] == field
    assert len(body["message"]) < 200
    page = client.get("/plan/calendar.ics", params=params)
    assert page.status_code == 422
    assert field.replace("_", " ") in main(page.text)


def test_single_person_mode_offers_no_feed(client: TestClient) -> None:
    make_profile(days=2)
    assert "Calendar feed" not in client.get("/settings").text
    feed = client.get("/calendar/feed/" + "a" * 43 + ".ics")
    assert feed.status_code == 404 and feed.text == NO_FEEDS_HERE
    headers = {"X-CSRF-Token": csrf(client)}
    for method in ("GET", "POST", "DELETE"):
        api = client.request(method, "/api/v1/calendar/feed", headers=headers)
        assert api.status_code == 404 and api.json()["code"] == "no_accounts", method
    page = client.post("/settings/calendar-feed", data={"csrf_token": csrf(client)})
    assert page.status_code == 404 and "download the calendar" in main(page.text)


# --- multi-user mode: the feed -----------------------------------------------------------------


@pytest.fixture
def owner(multi_user_app: FastAPI) -> Iterator[TestClient]:
    with new_client(multi_user_app, "192.0.2.10") as client:
        person = sign_up_and_login(client, "calendar-owner")
        make_profile(days=3, person=person)
        yield client


def make_feed(client: TestClient) -> tuple[str, str]:
    """Create (or reset) the feed on the Settings page; (full address, token)."""
    response = client.post("/settings/calendar-feed", data={"csrf_token": csrf_of(client)})
    assert response.status_code == 201, response.text
    found = FEED.search(response.text)
    assert found, main(response.text)
    assert "it is shown only this once" in main(response.text)
    return found.group(1), found.group(2)


def path_of(url: str) -> str:
    return url.removeprefix("http://127.0.0.1:8000")


def test_the_settings_page_makes_the_feed_and_shows_its_address_once(
    owner: TestClient, multi_user_app: FastAPI
) -> None:
    before = owner.get("/settings").text
    assert "Calendar feed" in before and "Create the feed address" in before
    url, token = make_feed(owner)
    later = owner.get("/settings").text
    assert token not in later, "the address is shown once only"
    assert "Your feed is on" in later and "Reset the address" in later
    with new_client(multi_user_app, "198.51.100.7") as app_elsewhere:  # no cookie, no login
        response = app_elsewhere.get(path_of(url))
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["cache-control"] == "private"
    assert "attachment" not in response.headers.get("content-disposition", "")
    assert len(confirmed(response.content)) == 3 * 4
    assert "REFRESH-INTERVAL" in response.text
    again = owner.get(path_of(url), headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304


def test_resetting_the_feed_ends_the_old_address_and_turning_it_off_ends_the_new(
    owner: TestClient,
) -> None:
    old_url, _old = make_feed(owner)
    new_url, _new = make_feed(owner)
    assert new_url != old_url
    old = owner.get(path_of(old_url))
    assert old.status_code == 404 and old.text == NO_SUCH_FEED
    assert owner.get(path_of(new_url)).status_code == 200
    off = owner.post("/settings/calendar-feed/off", data={"csrf_token": csrf_of(owner)})
    assert off.status_code == 303 and off.headers["location"].startswith("/settings?feed=off")
    assert "The calendar feed is off" in owner.get(off.headers["location"]).text
    assert owner.get(path_of(new_url)).status_code == 404
    assert "Create the feed address" in owner.get("/settings").text


def test_the_feed_forms_need_the_csrf_token(owner: TestClient) -> None:
    for path in ("/settings/calendar-feed", "/settings/calendar-feed/off"):
        assert owner.post(path, data={}).status_code == 403


@pytest.mark.parametrize(
    "token",
    ["a" * 43, "", "x" * 10_000, "%00", "..%2F..%2Fsettings", "²"],
)
def test_a_wrong_token_is_a_plain_404(owner: TestClient, token: str) -> None:
    make_feed(owner)
    response = owner.get(f"/calendar/feed/{token}.ics")
    assert response.status_code == 404
    assert "calendar" not in response.headers["content-type"]
    assert "BEGIN:VCALENDAR" not in response.text


def test_another_persons_token_gives_their_plan_never_yours(
    owner: TestClient, multi_user_app: FastAPI
) -> None:
    owner_url, _token = make_feed(owner)
    mine = owner.get(path_of(owner_url)).content
    with new_client(multi_user_app, "192.0.2.11") as other:
        person = sign_up_and_login(other, "calendar-other")
        make_profile(days=5, person=person)
        other_url, _other_token = make_feed(other)
        theirs = other.get(path_of(other_url)).content
        assert len(confirmed(theirs)) == 5 * 4
        assert not uids(theirs) & uids(mine)
        # Their session opens only their own download, whoever's feed exists.
        download = other.get("/plan/calendar.ics").content
        assert not uids(download) & uids(mine)
    assert owner.get(path_of(owner_url)).content == mine


def test_the_api_makes_resets_and_turns_off_the_feed(owner: TestClient) -> None:
    auth = bearer(api_token(owner))
    assert owner.get("/api/v1/calendar/feed", headers=auth).json() == {
        "active": False,
        "created_at": None,
    }
    made = owner.post("/api/v1/calendar/feed", headers=auth)
    assert made.status_code == 201
    body = made.json()
    assert body["url"] == f"http://127.0.0.1:8000/calendar/feed/{body['token']}.ics"
    assert owner.get(path_of(body["url"])).status_code == 200
    status = owner.get("/api/v1/calendar/feed", headers=auth).json()
    assert status["active"] is True and status["created_at"] == body["created_at"]
    assert body["token"] not in str(status)
    reset = owner.post("/api/v1/calendar/feed", headers=auth).json()
    assert owner.get(path_of(body["url"])).status_code == 404
    off = owner.delete("/api/v1/calendar/feed", headers=auth)
    assert off.json() == {"active": False, "turned_off": True}
    assert owner.get(path_of(reset["url"])).status_code == 404
    assert owner.delete("/api/v1/calendar/feed", headers=auth).json()["turned_off"] is False
    calendar = owner.get("/api/v1/calendar.ics", headers=auth)
    assert calendar.status_code == 200 and len(confirmed(calendar.content)) == 12


def test_anonymous_callers_get_no_calendar(multi_user_app: FastAPI) -> None:
    with new_client(multi_user_app, "192.0.2.12") as anonymous:
        page = anonymous.get("/plan/calendar.ics")
        assert page.status_code == 303 and page.headers["location"].startswith("/login")
        api = anonymous.get("/api/v1/calendar.ics")
        assert api.status_code == 401
        made = anonymous.post("/api/v1/calendar/feed", headers={"X-CSRF-Token": csrf_of(anonymous)})
        assert made.status_code == 401


def test_the_feed_of_a_held_person_holds_only_the_note(owner: TestClient) -> None:
    from piri.services.check import remember_result, run_check
    from tests.web.accounts_fixtures import person_of

    url, _token = make_feed(owner)
    remember_result(
        run_check(typical_piriformis(saddle_numbness=True)), person_of("calendar-owner")
    )
    found = events(owner.get(path_of(url)).content)
    assert [str(e["SUMMARY"]) for e in found] == ["Piri: sessions wait for a professional"]
