"""Wrong input on every form (the diary's is in test_diary.py), at a phone's size and a desktop's.

Each journey types what a runner might get wrong, then checks that the message names what is
wrong, that it is announced (the error summary, role=alert, takes the focus), that what was
typed is still there, that nothing was stored, and that axe-core passes on the error state.
One journey (the profile) is done with the keyboard only.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests import xml_activity_files as xml
from tests.browser.conftest import Server, Visit
from tests.browser.test_onboarding import answer_all, press
from tests.browser.test_session import piri
from tests.check_answers import typical_piriformis

TODAY = dt.date.today()
NOT_A_RUN = b"Shopping: milk, eggs, a new pair of trainers.\n"


# --- helpers ---------------------------------------------------------------------------------


def stored(visit: Visit) -> dict[str, Any]:
    """Everything the server stores about this person (its export, without the time stamp)."""
    response = visit.page.request.get(visit.server.url + "/api/v1/export")
    assert response.ok, response.status
    document: dict[str, Any] = response.json()
    document.pop("exported_at")
    return document


def summary_of(visit: Visit) -> Any:
    """The error summary: it is an alert and it has the focus."""
    summary = visit.page.get_by_role("alert")
    expect(summary).to_have_count(1)
    expect(summary).to_be_focused()
    return summary


def look_at(visit: Visit, name: str) -> None:
    """An error state (or a key screen): it fits the screen, axe-core passes, a screenshot."""
    overflow = visit.page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{visit.page.url} is {overflow}px wider than the {visit.viewport}"
    visit.check_accessibility()
    visit.screenshot(name)


def assert_forms_carry_the_csrf_token(visit: Visit) -> None:
    """Every form that posts carries this browser's CSRF token (the cookie's value)."""
    cookies = {c["name"]: c["value"] for c in visit.page.context.cookies(visit.server.url)}
    token = cookies.get("piri_csrf")
    assert token, cookies
    forms = visit.page.locator("form[method=post]")
    assert forms.count() > 0
    for index in range(forms.count()):
        field = forms.nth(index).locator('input[name="csrf_token"]')
        expect(field).to_have_value(token)


def tap(visit: Visit, radio_id: str) -> None:
    """Tap the label of a radio button or checkbox (some radios are visually hidden)."""
    visit.page.locator(f'label[for="{radio_id}"]').click()
    expect(visit.page.locator(f"#{radio_id}")).to_be_checked()


def press_tab_until(visit: Visit, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        if visit.page.evaluate(f"() => document.activeElement.matches({json.dumps(selector)})"):
            return
        visit.page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def gpx_run(day: dt.date, km: float) -> bytes:
    start = dt.datetime.combine(day, dt.time(7), tzinfo=dt.UTC)
    points = xml.run_north(start, seconds=round(km * 1000 / 3.0), speed=3.0, every=10, hr=150)
    return xml.gpx([xml.Track([points], type="running")])


# --- the profile -------------------------------------------------------------------------------

PROFILE_DEFAULTS = {
    "painful_side": None,
    "equipment": [],
    "minutes_per_day": 20,
    "days_per_week": 4,
    "running_status": "running_with_pain",
    "goals": [],
    "walks_30_min_pain_free": False,
}


def stored_profile(server: Server) -> dict[str, Any]:
    shown: dict[str, Any] = json.loads(piri(server, "profile", "--format", "json"))
    return {key: shown[key] for key in PROFILE_DEFAULTS}


def test_profile_wrong_numbers_are_named_and_kept(visit: Visit) -> None:
    page = visit.page
    visit.go("/profile")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
    assert_forms_carry_the_csrf_token(visit)
    page.get_by_role("group", name="Painful side").get_by_label("Left").check()
    page.get_by_label("A foam roller").check()
    page.get_by_label("Minutes a day for exercises").fill("0")
    page.get_by_label("Days a week for exercises").fill("5")
    page.get_by_label("Your goals").fill("Sit through a film\nRun 10 km again")
    page.get_by_role("button", name="Save and see my plan").click()

    summary = summary_of(visit)
    expect(summary.get_by_role("link")).to_have_text(["Minutes a day: expected 5 to 120, got 0."])
    expect(page.get_by_label("Minutes a day for exercises")).to_have_value("0")
    expect(page.get_by_label("Minutes a day for exercises")).to_have_attribute(
        "aria-invalid", "true"
    )
    expect(page.locator("#error-minutes_per_day")).to_have_text(
        "Minutes a day: expected 5 to 120, got 0."
    )
    assert stored_profile(visit.server) == PROFILE_DEFAULTS
    look_at(visit, "one-wrong")

    # Several wrong at once: each is named, in the order of the form.
    page.get_by_label("Minutes a day for exercises").fill("500")
    page.get_by_label("Days a week for exercises").fill("9")
    page.get_by_role("button", name="Save and see my plan").click()
    summary = summary_of(visit)
    expect(summary.get_by_role("heading")).to_have_text("Please check these")
    expect(summary.get_by_role("link")).to_have_text(
        ["Minutes a day: expected 5 to 120, got 500.", "Days a week: expected 1 to 7, got 9."]
    )
    expect(page.get_by_label("Minutes a day for exercises")).to_have_value("500")
    expect(page.get_by_label("Days a week for exercises")).to_have_value("9")
    expect(page.get_by_role("group", name="Painful side").get_by_label("Left")).to_be_checked()
    expect(page.get_by_label("A foam roller")).to_be_checked()
    expect(page.get_by_label("A chair")).not_to_be_checked()
    expect(page.get_by_label("Your goals")).to_have_value("Sit through a film\nRun 10 km again")
    expect(page.get_by_text("Getting started: step 2 of 3")).to_be_visible()  # still onboarding
    assert_forms_carry_the_csrf_token(visit)
    assert stored_profile(visit.server) == PROFILE_DEFAULTS
    look_at(visit, "several-wrong")

    # The summary's link leads to the field; put both right and it is saved.
    summary.get_by_role("link", name=re.compile("^Days a week")).click()
    expect(page.get_by_label("Days a week for exercises")).to_be_focused()
    page.get_by_label("Days a week for exercises").fill("3")
    page.get_by_label("Minutes a day for exercises").fill("15")
    page.get_by_role("button", name="Save and see my plan").click()
    page.wait_for_url(re.compile(r"/plan$"))
    assert stored_profile(visit.server) == {
        **PROFILE_DEFAULTS,
        "painful_side": "left",
        "equipment": ["foam_roller"],
        "minutes_per_day": 15,
        "days_per_week": 3,
        "goals": ["Sit through a film", "Run 10 km again"],
    }


def test_profile_by_keyboard_only(visit: Visit) -> None:
    """Tab, Space and Enter only: a wrong number is refused, the focus lands on the summary,
    its link leads to the field, and the form is put right and saved."""
    page = visit.page
    keys = page.keyboard
    piri(visit.server, "profile", "--side", "right")  # onboarding done: saving stays here
    visit.go("/profile")
    press_tab_until(visit, "#side-right")  # the checked radio of the group takes the focus
    keys.press("Tab")
    expect(page.locator("#equipment-chair")).to_be_focused()
    keys.press("Space")
    keys.press("Tab")
    keys.press("Tab")
    expect(page.locator("#equipment-mini_band")).to_be_focused()
    keys.press("Space")
    press_tab_until(visit, "#field-minutes_per_day")
    keys.press("Control+A")
    keys.type("two hundred")
    keys.press("Tab")
    expect(page.locator("#field-days_per_week")).to_be_focused()
    keys.press("Control+A")
    keys.type("6")
    visit.screenshot("typed")
    keys.press("Enter")  # submits the form from a text field

    summary = summary_of(visit)
    expect(summary.get_by_role("link")).to_have_text(
        ["Minutes a day: “two hundred” is not a whole number; type 5 to 120."]
    )
    expect(page.get_by_label("A chair")).to_be_checked()
    expect(page.get_by_label("A mini band (a small resistance loop)")).to_be_checked()
    expect(page.get_by_label("Days a week for exercises")).to_have_value("6")
    assert stored_profile(visit.server)["equipment"] == []
    look_at(visit, "refused")

    keys.press("Tab")
    expect(summary.get_by_role("link")).to_be_focused()
    keys.press("Enter")
    expect(page.locator("#field-minutes_per_day")).to_be_focused()
    keys.press("Control+A")
    keys.type("30")
    keys.press("Enter")
    expect(page.get_by_role("status")).to_have_text(
        "Saved. Your plan uses these settings from now on."
    )
    saved = stored_profile(visit.server)
    assert (saved["equipment"], saved["minutes_per_day"], saved["days_per_week"]) == (
        ["chair", "mini_band"],
        30,
        6,
    )
    visit.screenshot("saved")


# --- LEFS and PSFS -----------------------------------------------------------------------------


def test_lefs_unanswered_items_are_named_and_the_answers_kept(visit: Visit) -> None:
    page = visit.page
    visit.go("/scores/lefs")
    assert_forms_carry_the_csrf_token(visit)
    left_out = (5, 20)
    for item in range(1, 21):
        if item not in left_out:
            tap(visit, f"item_{item}-{item % 5}")
    page.get_by_role("button", name="Score my LEFS").click()

    summary = summary_of(visit)
    expect(summary.get_by_role("link")).to_have_text(
        [
            "Item 5 (put on your shoes or socks): choose one of the five answers.",
            "Item 20 (roll over in bed): choose one of the five answers.",
        ]
    )
    expect(page.locator("#field-item_5 .field-error")).to_have_text(
        "Item 5 (put on your shoes or socks): choose one of the five answers."
    )
    # A screen reader entering the item's group hears why it is marked.
    expect(
        page.get_by_role("group", name="5. Put on your shoes or socks")
    ).to_have_accessible_description(
        "Item 5 (put on your shoes or socks): choose one of the five answers."
    )
    expect(page.get_by_role("group", name="6. Squat down")).to_have_accessible_description("")
    for item in range(1, 21):
        answers = page.locator(f'input[name="item_{item}"]:checked')
        if item in left_out:
            expect(answers).to_have_count(0)
        else:
            expect(answers).to_have_value(str(item % 5))
    assert stored(visit)["outcome_scores"] == []
    look_at(visit, "unanswered")

    summary.get_by_role("link", name=re.compile("^Item 20")).click()
    tap(visit, "item_20-4")
    tap(visit, "item_5-2")
    page.get_by_role("button", name="Score my LEFS").click()
    expect(page.get_by_role("heading", name="Saved: your LEFS today")).to_be_visible()
    total = sum(item % 5 for item in range(1, 21) if item not in left_out) + 4 + 2
    expect(page.locator(".score-big")).to_contain_text(f"{total} out of 80")


def test_psfs_activity_and_rating_must_go_together(visit: Visit) -> None:
    page = visit.page
    visit.go("/scores/psfs")
    assert_forms_carry_the_csrf_token(visit)
    page.get_by_label("Activity 1: what is it?").fill("Run 5 km")
    # Activity 1 has no rating; activity 2 has a rating but no name.
    tap(visit, "rating_2-7")
    page.get_by_label("Activity 3: what is it?").fill("Sit through a film")
    tap(visit, "rating_3-4")
    page.get_by_role("button", name="Score my PSFS").click()

    summary = summary_of(visit)
    expect(summary.get_by_role("link")).to_have_text(
        [
            "Activity 1 (Run 5 km): choose a rating from 0 to 10.",
            "Activity 2: name the activity you rated 7.",
        ]
    )
    expect(page.get_by_label("Activity 1: what is it?")).to_have_value("Run 5 km")
    expect(page.get_by_label("Activity 2: what is it?")).to_have_value("")
    expect(page.get_by_label("Activity 3: what is it?")).to_have_value("Sit through a film")
    expect(page.locator("#rating_2-7")).to_be_checked()
    expect(page.locator("#rating_3-4")).to_be_checked()
    expect(page.locator('input[name="rating_1"]:checked')).to_have_count(0)
    expect(
        page.get_by_role("group", name="Activity 1: how well can you do it today?")
    ).to_have_accessible_description("Activity 1 (Run 5 km): choose a rating from 0 to 10.")
    expect(page.get_by_label("Activity 2: what is it?")).to_have_accessible_description(
        "Activity 2: name the activity you rated 7."
    )
    assert stored(visit)["outcome_scores"] == []
    look_at(visit, "unpaired")

    tap(visit, "rating_1-3")
    page.get_by_label("Activity 2: what is it?").fill("Drive to work")
    page.get_by_role("button", name="Score my PSFS").click()
    expect(page.get_by_role("heading", name="Saved: your PSFS today")).to_be_visible()
    expect(page.locator(".score-big")).to_contain_text("4.67 out of 10")


# --- the symptom check -------------------------------------------------------------------------


def test_check_number_questions_name_the_range_and_keep_what_was_typed(visit: Visit) -> None:
    page = visit.page
    visit.go("/check")
    answer_all(visit, typical_piriformis(), stop="age")
    age = page.get_by_role("textbox", name="How old are you?")
    state = page.locator("#check-form input[name=state]").get_attribute("value")
    for typed, message in [
        ("150", "150 is outside what this question takes: type a number from 10 to 100 years."),
        ("old", "“old” is not a number: type a number from 10 to 100 years."),
    ]:
        age.fill(typed)
        page.locator("#check-form").get_by_role("button", name="Next", exact=True).click()
        summary = summary_of(visit)
        expect(summary.get_by_role("link")).to_have_text([message])
        expect(age).to_have_value(typed)
        expect(age).to_have_attribute("aria-invalid", "true")
        # Nothing was taken in: the answers so far are the same.
        assert page.locator("#check-form input[name=state]").get_attribute("value") == state
    look_at(visit, "age-wrong")

    age.fill("34")
    press(visit, "Next")
    expect(page.get_by_role("alert")).to_have_count(0)
    progress = json.loads(page.locator("#check-form input[name=state]").get_attribute("value"))
    assert progress["answers"]["age"] == 34

    # The minutes of sitting: a number with its own range.
    answer_all(visit, typical_piriformis(), stop="sitting_minutes")
    minutes = page.get_by_role(
        "textbox", name="How many minutes can you sit before the pain makes you shift or stand up?"
    )
    minutes.fill("-20")
    page.locator("#check-form").get_by_role("button", name="Next", exact=True).click()
    expect(summary_of(visit).get_by_role("link")).to_have_text(
        [re.compile(r"-20 .*0 to 600 minutes")]
    )
    expect(minutes).to_have_value("-20")
    visit.check_accessibility()
    visit.go("/check/result")
    expect(page.get_by_role("heading", level=1)).to_have_text("No check result yet")


# --- Settings: import and delete ---------------------------------------------------------------


def test_settings_import_of_a_file_that_is_not_an_export(visit: Visit, tmp_path: Path) -> None:
    page = visit.page
    before = stored(visit)
    visit.go("/settings")
    assert_forms_carry_the_csrf_token(visit)
    wrong = tmp_path / "my-run.gpx"
    wrong.write_bytes(gpx_run(TODAY, 5))
    page.get_by_label("Export file (.json)").set_input_files(str(wrong))
    page.get_by_role("button", name="Import").click()
    summary = summary_of(visit)
    message = (
        "my-run.gpx: not valid JSON (line 1: Expecting value), so not a Piri export. "
        "Runs from a watch or an app are imported on the Runs page, under Import."
    )
    expect(summary.get_by_role("link")).to_have_text([message])
    expect(page.get_by_label("Export file (.json)")).to_have_accessible_description(message)
    expect(page.get_by_label("Export file (.json)")).to_have_attribute("aria-invalid", "true")
    assert stored(visit) == before
    look_at(visit, "not-json")

    other = tmp_path / "notes.json"
    other.write_text('{"format": "other"}', encoding="utf-8")
    page.get_by_label("Export file (.json)").set_input_files(str(other))
    page.get_by_role("button", name="Import").click()
    expect(summary_of(visit).get_by_role("link")).to_have_text(
        [re.compile(r'^notes\.json: not a Piri export \(no "format": "piri-export"\)')]
    )
    assert stored(visit) == before

    page.get_by_role("button", name="Import").click()  # no file chosen
    expect(summary_of(visit).get_by_role("link")).to_have_text(
        ["Choose a Piri export file (.json) to import."]
    )
    assert stored(visit) == before
    visit.check_accessibility()


def test_settings_delete_confirmation_typed_wrong_keeps_everything(visit: Visit) -> None:
    page = visit.page
    piri(visit.server, "log", "--pain-now", "3", "--worst", "5", "--notes", "Long drive")
    before = stored(visit)
    assert [d["notes"] for d in before["diary"]] == ["Long drive"]
    visit.go("/settings")
    page.get_by_role("link", name="Delete all my data…").click()
    page.wait_for_url(re.compile(r"/settings/delete$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete all my data?")
    assert_forms_carry_the_csrf_token(visit)
    visit.check_accessibility()
    box = page.get_by_label("To confirm, type the word delete")
    box.fill("delet")
    page.get_by_role("button", name="Delete everything").click()

    summary = summary_of(visit)
    expect(summary.get_by_role("link")).to_have_text(
        ["To delete everything, type the word delete in the box (you typed “delet”)."]
    )
    expect(box).to_have_value("delet")
    expect(box).to_have_attribute("aria-invalid", "true")
    assert stored(visit) == before
    look_at(visit, "typed-wrong")

    box.fill("")
    page.get_by_role("button", name="Delete everything").click()
    expect(summary_of(visit).get_by_role("link")).to_have_text(
        ["To delete everything, type the word delete in the box."]
    )
    assert stored(visit) == before
    page.get_by_role("link", name="Cancel, keep my data").click()
    page.wait_for_url(re.compile(r"/settings$"))
    visit.go("/diary")
    expect(page.get_by_role("table").get_by_text("Long drive")).to_be_visible()


# --- Runs: the effort rating and the import ----------------------------------------------------


def test_run_rating_without_an_effort_is_named(visit: Visit, tmp_path: Path) -> None:
    page = visit.page
    run = tmp_path / "tuesday.gpx"
    run.write_bytes(gpx_run(TODAY - dt.timedelta(days=1), 5.4))
    report = json.loads(piri(visit.server, "import", str(run), "--format", "json"))
    assert report["imported"] == 1
    visit.go("/runs")
    page.get_by_role("link", name=re.compile(r"\d{4}-\d\d-\d\d")).first.click()
    page.wait_for_url(re.compile(r"/runs/\d+$"))
    expect(page.get_by_role("heading", name="How hard did it feel?")).to_be_visible()
    assert_forms_carry_the_csrf_token(visit)
    page.get_by_role("button", name="Save the effort").click()

    summary = summary_of(visit)
    expect(summary.get_by_role("link")).to_have_text(
        ["effort: choose how hard the run felt, from 0 (rest) to 10 (maximal)"]
    )
    expect(page.locator('input[name="effort"]:checked')).to_have_count(0)
    expect(page.get_by_role("group", name="Effort (0-10)")).to_have_accessible_description(
        "effort: choose how hard the run felt, from 0 (rest) to 10 (maximal)"
    )
    assert [a["rpe"] for a in stored(visit)["activities"]] == [None]
    look_at(visit, "no-effort")

    summary.get_by_role("link").click()
    tap(visit, "effort-6")
    page.get_by_role("button", name="Save the effort").click()
    expect(page.get_by_role("status")).to_contain_text("Saved: effort 6 out of 10.")
    assert [a["rpe"] for a in stored(visit)["activities"]] == [6]


def test_runs_import_of_a_file_that_is_not_an_activity(visit: Visit, tmp_path: Path) -> None:
    page = visit.page
    visit.go("/runs/import")
    assert_forms_carry_the_csrf_token(visit)
    files = page.get_by_label("Activity files or an export ZIP")

    page.get_by_role("button", name="Import").click()  # nothing chosen
    summary = summary_of(visit)
    expect(summary).to_contain_text("The upload was not imported")
    expect(summary).to_contain_text("files: choose at least one file")
    look_at(visit, "no-file")

    notes = tmp_path / "shopping.txt"
    notes.write_bytes(NOT_A_RUN)
    files.set_input_files(str(notes))
    page.get_by_role("button", name="Import").click()
    result = page.locator("#import-result")
    expect(result.get_by_role("heading", name="Import finished")).to_be_focused()
    expect(result).to_contain_text("0 activities imported, 0 already there, from 1 file")
    expect(result.get_by_role("listitem").filter(has_text="shopping.txt")).to_have_text(
        "shopping.txt: not an activity file (.fit, .gpx or .tcx, optionally .gz)"
    )
    expect(result.get_by_text("No activities found.")).to_be_visible()
    assert stored(visit)["activities"] == []
    look_at(visit, "not-an-activity")
