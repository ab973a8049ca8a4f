"""Browser journeys through the pain diary, at a phone's size and at a desktop's."""

from __future__ import annotations

import datetime as dt
import json
import urllib.request
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import Visit

TODAY = dt.date.today()


def long_date(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def scale(visit: Visit, legend: str) -> Any:
    return visit.page.get_by_role("group", name=legend)


def choose(visit: Visit, legend: str, value: str) -> None:
    """Tap a number on a scale: its label is the button (the radio itself is hidden)."""
    radio = scale(visit, legend).get_by_role("radio", name=value, exact=True)
    visit.page.locator(f'label[for="{radio.get_attribute("id")}"]').click()
    expect(radio).to_be_checked()


def put_day(visit: Visit, day: dt.date, pain_now: int, worst: int) -> None:
    """Write a day through the JSON API, as another app would."""
    request = urllib.request.Request(
        f"{visit.server.url}/api/v1/diary/{day.isoformat()}",
        data=json.dumps({"pain_now": pain_now, "worst_pain": worst}).encode(),
        headers={"Content-Type": "application/json"},
        method="PUT",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status in (200, 201)


def test_diary_entry_typed_saved_listed_changed_deleted(visit: Visit) -> None:
    page = visit.page
    visit.go("/diary")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pain diary")
    expect(page.get_by_label("Date")).to_have_value(TODAY.isoformat())
    visit.check_accessibility()
    visit.screenshot("empty-form")

    choose(visit, "Pain right now", "3")
    choose(visit, "Worst pain today", "5")
    choose(visit, "Pain when sitting", "4")
    page.get_by_label("Minutes of sitting before the pain starts").fill("25")
    choose(visit, "Pain when running", "Did not run")
    page.get_by_role("group", name="Tingling in the leg today?").get_by_label("Yes").check()
    page.get_by_label("Notes").fill("Two hours in the car")
    page.get_by_role("button", name="Save today").click()

    expect(page.get_by_role("status")).to_have_text(
        f"Saved your entry for {long_date(TODAY)}: pain now 3/10, worst 5/10."
    )
    table = page.get_by_role("table", name="Your diary, newest day first")
    row = table.locator(f"#entry-{TODAY.isoformat()}")
    expect(row.get_by_role("cell")).to_contain_text(
        ["3", "5", "4 after 25 min", "did not run", "yes"]
    )
    expect(table.get_by_role("row").filter(has_text="Two hours in the car")).to_have_count(1)
    visit.check_accessibility()
    visit.screenshot("saved")

    # The date in the list opens that day in the form; saving again updates it.
    row.get_by_role("link").click()
    expect(
        scale(visit, "Worst pain today").get_by_role("radio", name="5", exact=True)
    ).to_be_checked()
    expect(page.get_by_label("Notes")).to_have_value("Two hours in the car")
    choose(visit, "Worst pain today", "6")
    page.get_by_role("button", name="Save today").click()
    expect(page.get_by_role("status")).to_have_text(
        f"Updated your entry for {long_date(TODAY)}: pain now 3/10, worst 6/10."
    )
    expect(table.get_by_role("row")).to_have_count(3)  # the header, the day and its notes

    # Deleting the day asks first.
    row.get_by_role("link").click()
    page.get_by_text("Delete this day's entry").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=f"Delete {long_date(TODAY)}").click()
    expect(page.get_by_role("status")).to_have_text(f"Deleted your entry for {long_date(TODAY)}.")
    expect(page.get_by_text("No days yet")).to_be_visible()


def test_diary_missed_day_and_older_days(visit: Visit) -> None:
    page = visit.page
    for back in range(2, 18):
        put_day(visit, TODAY - dt.timedelta(days=back), 1, 2)
    yesterday = TODAY - dt.timedelta(days=1)
    visit.go("/diary")
    page.get_by_label("Date").fill(yesterday.isoformat())
    choose(visit, "Pain right now", "2")
    choose(visit, "Worst pain today", "4")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Saved your entry for {long_date(yesterday)}"
    )

    rows = page.get_by_role("table").locator("tbody tr[id^=entry-]")
    expect(rows).to_have_count(14)
    expect(rows.first).to_have_id(f"entry-{yesterday.isoformat()}")
    expect(page.get_by_text("14 of 17 days shown")).to_be_visible()
    page.get_by_role("link", name="Show older days").click()
    expect(rows).to_have_count(17)
    expect(rows.last).to_have_id(f"entry-{(TODAY - dt.timedelta(days=17)).isoformat()}")
    expect(page.get_by_role("link", name="Show older days")).to_have_count(0)
    visit.check_accessibility()
    visit.screenshot("older-days")


def test_diary_wrong_input_is_named_and_kept(visit: Visit) -> None:
    page = visit.page
    visit.go("/diary")
    future = TODAY + dt.timedelta(days=3)
    page.get_by_label("Date").fill(future.isoformat())
    choose(visit, "Pain right now", "4")
    # Worst pain forgotten.
    page.get_by_label("Minutes of sitting before the pain starts").fill("-5")
    page.get_by_label("Notes").fill("Sore after the hills")
    page.get_by_role("button", name="Save").click()

    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        [
            f"Date: {future.isoformat()} is in the future (today is {TODAY.isoformat()}).",
            "Worst pain today: choose a number from 0 to 10.",
            "Minutes of sitting before the pain starts: expected 0 to 1440 minutes, got -5.",
        ]
    )
    expect(page.get_by_label("Date")).to_have_value(future.isoformat())
    expect(
        scale(visit, "Pain right now").get_by_role("radio", name="4", exact=True)
    ).to_be_checked()
    expect(page.get_by_label("Minutes of sitting before the pain starts")).to_have_value("-5")
    expect(page.get_by_label("Notes")).to_have_value("Sore after the hills")
    expect(page.get_by_text("No days yet")).to_be_visible()
    visit.check_accessibility()
    visit.screenshot("wrong-input")

    # Put it right: the summary's link leads to the field, then save.
    summary.get_by_role("link", name="Worst pain today").click()
    choose(visit, "Worst pain today", "6")
    page.get_by_label("Date").fill(TODAY.isoformat())
    page.get_by_label("Minutes of sitting before the pain starts").fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Saved your entry")
    expect(page.get_by_role("table").get_by_role("row")).to_have_count(3)
