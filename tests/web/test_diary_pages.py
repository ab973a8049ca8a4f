"""The diary page over HTTP: one day's entry saved, updated, edited, deleted; wrong input
comes back with 422, a message naming the field and every typed value kept."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient

from piri.domain.diary import DayEntry
from piri.services import diary as diary_service
from piri.web.pages.diary import PAGE_SIZE, long_date
from tests.web.conftest import csrf

TODAY = dt.date.today()
YESTERDAY = TODAY - dt.timedelta(days=1)


def entry_form(client: TestClient, **values: str) -> dict[str, str]:
    form = {
        "csrf_token": csrf(client),
        "day": TODAY.isoformat(),
        "pain_now": "3",
        "worst_pain": "5",
        "sitting_pain": "4",
        "sitting_minutes_before_pain": "30",
        "running_pain": "",
        "tingling": "no",
        "notes": "Long day at the desk",
    }
    form.update(values)
    return form


def checked(html: str, name: str) -> str | None:
    """The value of the checked radio button called ``name``."""
    found = re.search(rf'name="{name}" value="([^"]*)" checked', html)
    return found.group(1) if found else None


def value_of(html: str, name: str) -> str:
    found = re.search(
        rf'<input id="field-{name}" name="{name}" type="[a-z]+" value="([^"]*)"', html
    )
    assert found, f"no input called {name}"
    return found.group(1)


def summary(html: str) -> list[tuple[str, str]]:
    """The messages of the error summary, each linked to its field."""
    return re.findall(r'<li><a href="#field-([a-z_]+)">([^<]*)</a></li>', html)


def rows(html: str) -> list[str]:
    return re.findall(r'<tr id="entry-(\d{4}-\d\d-\d\d)"', html)


def test_empty_diary_offers_todays_form(client: TestClient) -> None:
    page = client.get("/diary")
    assert page.status_code == 200
    assert "<h1>Pain diary</h1>" in page.text
    assert value_of(page.text, "day") == TODAY.isoformat()
    assert f'max="{TODAY.isoformat()}"' in page.text
    for name in ("pain_now", "worst_pain", "sitting_pain", "running_pain"):
        assert all(f'id="{name}-{n}"' in page.text for n in range(11)), name
    assert 'id="running_pain-none"' in page.text and "Did not run" in page.text
    assert "No days yet" in page.text
    assert checked(page.text, "tingling") == "no"
    assert f'name="csrf_token" value="{csrf(client)}"' in page.text


def test_saving_an_entry_stores_it_and_lists_it(client: TestClient) -> None:
    client.get("/diary")
    response = client.post(
        "/diary", data=entry_form(client, tingling="yes", running_pain="2"), follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith("/diary?saved=")
    page = client.get(response.headers["location"])
    assert f"Saved your entry for {long_date(TODAY)}: pain now 3/10, worst 5/10." in page.text
    assert rows(page.text) == [TODAY.isoformat()]
    assert "Long day at the desk" in page.text
    assert diary_service.diary() == [DayEntry(TODAY, 3, 5, 4, 30, 2, True, "Long day at the desk")]


def test_saving_the_same_day_again_updates_it_and_says_so(client: TestClient) -> None:
    client.get("/diary")
    client.post("/diary", data=entry_form(client))
    page = client.post("/diary", data=entry_form(client, pain_now="1", worst_pain="2"))
    assert page.status_code == 200
    assert f"Updated your entry for {long_date(TODAY)}: pain now 1/10, worst 2/10." in page.text
    assert rows(page.text) == [TODAY.isoformat()]
    assert [(e.pain_now, e.worst_pain) for e in diary_service.diary()] == [(1, 2)]


def test_todays_form_shows_todays_entry_once_written(client: TestClient) -> None:
    client.get("/diary")
    client.post("/diary", data=entry_form(client, worst_pain="7"))
    page = client.get("/diary")
    assert checked(page.text, "worst_pain") == "7"
    assert "saving changes it" in page.text


def test_a_missed_day_is_logged_with_its_date_and_listed_newest_first(client: TestClient) -> None:
    client.get("/diary")
    client.post("/diary", data=entry_form(client))
    page = client.post("/diary", data=entry_form(client, day=YESTERDAY.isoformat()))
    assert f"Saved your entry for {long_date(YESTERDAY)}" in page.text
    assert rows(page.text) == [TODAY.isoformat(), YESTERDAY.isoformat()]


def test_optional_scores_left_out_are_stored_as_not_noted(client: TestClient) -> None:
    client.get("/diary")
    form = entry_form(client, sitting_pain="", sitting_minutes_before_pain="", notes="")
    del form["running_pain"]  # nothing chosen at all
    del form["tingling"]
    assert client.post("/diary", data=form).status_code == 200
    assert diary_service.diary() == [DayEntry(TODAY, 3, 5)]


def test_edit_link_prefills_the_form_for_that_day(client: TestClient) -> None:
    diary_service.log_day(DayEntry(YESTERDAY, 2, 6, 5, 45, 3, True, "after the long run"))
    page = client.get("/diary")
    assert f'href="/diary?day={YESTERDAY.isoformat()}#entry-form"' in page.text
    edit = client.get(f"/diary?day={YESTERDAY.isoformat()}")
    assert edit.status_code == 200
    assert f"Your entry for {long_date(YESTERDAY)}" in edit.text
    assert value_of(edit.text, "day") == YESTERDAY.isoformat()
    assert [checked(edit.text, n) for n in ("pain_now", "worst_pain", "sitting_pain")] == [
        "2",
        "6",
        "5",
    ]
    assert checked(edit.text, "running_pain") == "3"
    assert checked(edit.text, "tingling") == "yes"
    assert value_of(edit.text, "sitting_minutes_before_pain") == "45"
    assert ">after the long run</textarea>" in edit.text
    assert f'action="/diary/{YESTERDAY.isoformat()}/delete"' in edit.text
    assert edit.text.count(f'name="csrf_token" value="{csrf(client)}"') == 2


@pytest.mark.parametrize("day", ["2999-01-01", "yesterday", "not-a-date"])
def test_a_day_that_cannot_be_edited_falls_back_to_today(client: TestClient, day: str) -> None:
    page = client.get(f"/diary?day={day}")
    assert page.status_code == 200
    assert value_of(page.text, "day") == TODAY.isoformat()


def test_deleting_a_day_from_its_edit_form(client: TestClient) -> None:
    diary_service.log_day(DayEntry(YESTERDAY, 2, 6))
    client.get("/diary")
    response = client.post(
        f"/diary/{YESTERDAY.isoformat()}/delete",
        data={"csrf_token": csrf(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert f"Deleted your entry for {long_date(YESTERDAY)}." in page.text
    assert diary_service.diary() == []


def test_changes_need_the_csrf_token(client: TestClient) -> None:
    form = entry_form(client)
    del form["csrf_token"]
    assert client.post("/diary", data=form).status_code == 403
    assert client.post(f"/diary/{TODAY.isoformat()}/delete").status_code == 403
    assert diary_service.diary() == []


WRONG = [
    pytest.param(
        {"day": "2999-01-01"},
        "day",
        "Date: 2999-01-01 is in the future (today is",
        id="future date",
    ),
    pytest.param(
        {"day": "31/02/2025"},
        "day",
        "Date: &#39;31/02/2025&#39; is not a date; pick one or type it as YYYY-MM-DD.",
        id="bad date",
    ),
    pytest.param(
        {"worst_pain": ""},
        "worst_pain",
        "Worst pain today: choose a number from 0 to 10.",
        id="missing worst pain",
    ),
    pytest.param(
        {"pain_now": ""}, "pain_now", "Pain right now: choose a number from 0 to 10.", id="no pain"
    ),
    pytest.param(
        {"pain_now": "11"},
        "pain_now",
        "Pain right now: expected a whole number from 0 to 10, got 11.",
        id="score out of range",
    ),
    pytest.param(
        {"sitting_pain": "-1"},
        "sitting_pain",
        "Pain when sitting: expected a whole number from 0 to 10, got -1.",
        id="negative sitting pain",
    ),
    pytest.param(
        {"running_pain": "lots"},
        "running_pain",
        "Pain when running: &#39;lots&#39; is not a whole number; choose 0 to 10.",
        id="running pain not a number",
    ),
    pytest.param(
        {"sitting_minutes_before_pain": "-5"},
        "sitting_minutes_before_pain",
        "Minutes of sitting before the pain starts: expected 0 to 1440 minutes, got -5.",
        id="negative minutes",
    ),
    pytest.param(
        {"sitting_minutes_before_pain": "2000"},
        "sitting_minutes_before_pain",
        "Minutes of sitting before the pain starts: expected 0 to 1440 minutes, got 2000.",
        id="more minutes than a day",
    ),
    pytest.param(
        {"sitting_minutes_before_pain": "half an hour"},
        "sitting_minutes_before_pain",
        "Minutes of sitting before the pain starts: &#39;half an hour&#39; is not a whole "
        "number of minutes",
        id="minutes in words",
    ),
    pytest.param(
        {"pain_now": "6", "worst_pain": "4"},
        "worst_pain",
        "Worst pain today: 4 is lower than pain now (6); the worst of the day is at least the "
        "pain now.",
        id="worst below now",
    ),
    pytest.param(
        {"tingling": "maybe"},
        "tingling",
        "Tingling in the leg: answer yes or no, not &#39;maybe&#39;.",
        id="tingling neither yes nor no",
    ),
    pytest.param(
        {"notes": "x" * 2001},
        "notes",
        "Notes: keep them under 2000 characters.",
        id="notes too long",
    ),
]


@pytest.mark.parametrize(("wrong", "field", "message"), WRONG)
def test_wrong_input_names_the_field_and_keeps_what_was_typed(
    client: TestClient, wrong: dict[str, str], field: str, message: str
) -> None:
    client.get("/diary")
    form = entry_form(client, **wrong)
    page = client.post("/diary", data=form)
    assert page.status_code == 422
    assert [f for f, _ in summary(page.text)] == [field]
    assert message in page.text
    assert 'class="field-error"' in page.text
    # Every typed value is still there.
    assert value_of(page.text, "day") == form["day"].replace("'", "&#39;")
    assert (
        value_of(page.text, "sitting_minutes_before_pain") == (form["sitting_minutes_before_pain"])
    )
    for name in ("pain_now", "worst_pain", "sitting_pain", "running_pain"):
        if form[name].isdigit() and int(form[name]) <= 10:
            assert checked(page.text, name) == form[name], name
    assert f">{form['notes']}</textarea>" in page.text
    assert diary_service.diary() == []


def test_every_problem_is_named_at_once(client: TestClient) -> None:
    client.get("/diary")
    form = entry_form(
        client, day="2999-01-01", worst_pain="", sitting_minutes_before_pain="-5", tingling="yes"
    )
    page = client.post("/diary", data=form)
    assert page.status_code == 422
    assert [f for f, _ in summary(page.text)] == [
        "day",
        "worst_pain",
        "sitting_minutes_before_pain",
    ]
    assert checked(page.text, "pain_now") == "3"
    assert checked(page.text, "tingling") == "yes"


def test_recent_days_come_two_weeks_at_a_time(client: TestClient) -> None:
    days = [TODAY - dt.timedelta(days=n) for n in range(PAGE_SIZE + 6)]
    for day in days:
        diary_service.log_day(DayEntry(day, 1, 2))
    page = client.get("/diary")
    assert rows(page.text) == [d.isoformat() for d in days[:PAGE_SIZE]]
    assert f"{PAGE_SIZE} of {len(days)} days shown" in page.text
    assert f'hx-get="/diary/entries?offset={PAGE_SIZE}"' in page.text
    # Without JavaScript, the link shows a longer page.
    longer = client.get(f"/diary?shown={PAGE_SIZE * 2}")
    assert rows(longer.text) == [d.isoformat() for d in days]
    assert 'id="older-row"' not in longer.text
    # With htmx, only the older rows come back, to go after the ones shown.
    older = client.get(f"/diary/entries?offset={PAGE_SIZE}", headers={"HX-Request": "true"})
    assert older.status_code == 200
    assert "<html" not in older.text
    assert rows(older.text) == [d.isoformat() for d in days[PAGE_SIZE:]]
    assert 'id="older-row"' not in older.text
    plain = client.get(f"/diary/entries?offset={PAGE_SIZE}", follow_redirects=False)
    assert plain.status_code == 303
    assert plain.headers["location"] == f"/diary?shown={PAGE_SIZE * 2}"


def test_more_pages_of_older_days_through_htmx(client: TestClient) -> None:
    for n in range(PAGE_SIZE * 3):
        diary_service.log_day(DayEntry(TODAY - dt.timedelta(days=n), 1, 2))
    older = client.get(f"/diary/entries?offset={PAGE_SIZE}", headers={"HX-Request": "true"})
    assert len(rows(older.text)) == PAGE_SIZE
    assert f'hx-get="/diary/entries?offset={PAGE_SIZE * 2}"' in older.text
    assert f"{PAGE_SIZE * 2} of {PAGE_SIZE * 3} days shown" in older.text


def test_links_to_the_questionnaires_and_progress(client: TestClient) -> None:
    page = client.get("/diary")
    assert 'href="/scores"' in page.text and 'href="/progress"' in page.text
