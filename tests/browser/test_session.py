"""Browser journeys through the session player, at both viewports, with timers 50x faster.

A whole relief session (pause, back, skip, keys, switch sides, the pain questions, saved,
and done on Today), the same session losing its connection halfway (waiting to save, then
saved), and the player's session log beside the server's SessionLog.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from typing import Any

import pytest

from piri.domain.session import SessionLog, StepOutcome
from piri.services.sessions import plan_routine
from tests.browser.conftest import Server, Visit

RELIEF = "Relief: the gentle short-term set"


def piri(server: Server, *args: str) -> str:
    """Run the ``piri`` command on the server's data directory (the profile, as a runner would)."""
    done = subprocess.run(
        [sys.executable, "-m", "piri", *args],
        env=server.env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


def make_profile(server: Server) -> None:
    piri(server, "profile", "--side", "left", "--days", "7", "--minutes", "20")


def label(page: Any) -> str:
    text: str = page.locator("#step-label").inner_text()
    return text


def skip_until(page: Any, wanted: str, limit: int = 30) -> None:
    for _ in range(limit):
        if label(page) == wanted:
            return
        page.get_by_role("button", name="Skip", exact=True).click()
    raise AssertionError(f"never reached a step called {wanted!r}; last: {label(page)!r}")


def stored_sessions(page: Any, server: Server) -> list[dict[str, Any]]:
    response = page.request.get(server.url + "/api/v1/sessions")
    assert response.ok
    found: list[dict[str, Any]] = response.json()
    return found


def answer_pain(page: Any, legend: str, value: int) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_text(str(value), exact=True).click()
    assert group.get_by_role("radio", name=str(value), exact=True).is_checked()


def test_a_whole_session_with_pause_back_skip_and_the_pain_questions(visit: Visit) -> None:
    make_profile(visit.server)
    page = visit.page
    visit.go("/session/relief")
    assert page.get_by_role("heading", level=1).inner_text() == RELIEF
    visit.check_accessibility()
    visit.screenshot("intro")

    page.get_by_role("button", name="Start session").click()
    page.get_by_role("button", name="Pause", exact=True).click()
    paused = page.get_by_role("button", name="Resume")
    assert paused.is_visible()
    assert page.get_by_text("Paused", exact=True).is_visible()
    frozen = page.locator("#countdown").inner_text(), label(page)
    page.wait_for_timeout(400)  # 20 s of session time at this pace: a running clock would move
    assert (page.locator("#countdown").inner_text(), label(page)) == frozen

    # Skip (while paused) to a hold of the lying stretch: its picture and a large countdown.
    skip_until(page, "Set 1 of 1 · left side · hold 1 of 2")
    assert page.get_by_role("heading", level=2, name="Lying piriformis stretch").is_visible()
    picture = page.locator("#picture")
    page.wait_for_function("() => document.getElementById('picture').complete")
    assert picture.evaluate("img => img.naturalWidth") > 0
    assert "Lying piriformis stretch" in (picture.get_attribute("alt") or "")
    assert page.locator("#countdown").inner_text() == "0:30"
    size = page.locator("#countdown").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 72, f"the countdown is {size}px: too small to read from the floor"
    visit.check_accessibility()
    visit.screenshot("exercise")

    skip_until(page, "Switch sides")
    assert page.locator("#step-text").inner_text() == "Switch sides: now the right side."
    assert page.locator("#announce").inner_text() == "Switch sides: now the right side."
    visit.screenshot("switch-sides")

    page.get_by_role("button", name="Back", exact=True).click()
    assert label(page) == "Set 1 of 1 · left side · hold 2 of 2"
    # Keys: right arrow skips, left goes back, space resumes (focus off the buttons).
    page.keyboard.press("ArrowRight")
    assert label(page) == "Switch sides"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowRight")
    assert label(page) == "Switch sides"
    page.locator("#exercise-name").focus()
    page.keyboard.press("Space")
    assert page.get_by_role("button", name="Pause", exact=True).is_visible()

    end = page.get_by_role("heading", level=2, name="Session complete")
    end.wait_for(timeout=30_000)
    rows = page.locator("#summary-table tbody tr")
    assert rows.count() == 4
    statuses = [rows.nth(i).locator("td").nth(1).inner_text() for i in range(4)]
    assert statuses[1:] == ["partly done", "done", "done"], statuses
    assert statuses[0] in ("skipped", "done"), statuses  # depends on how soon Pause was hit
    visit.check_accessibility()
    visit.screenshot("end-questions")

    answer_pain(page, "Pain during the exercises", 2)
    answer_pain(page, "Pain right now, after them", 3)
    page.get_by_label("Notes (optional)").fill("Calm session")
    page.get_by_role("button", name="Save session").click()
    result = page.locator("#save-result")
    result.filter(has_text="Saved.").wait_for()
    assert page.get_by_role("button", name="Save session").is_disabled()
    visit.screenshot("saved")

    sessions = stored_sessions(page, visit.server)
    assert len(sessions) == 1
    saved = sessions[0]
    assert saved["routine"] == "relief"
    assert (saved["pain_during"], saved["pain_after"], saved["notes"]) == (2, 3, "Calm session")
    assert [e["status"] for e in saved["exercises"]] == statuses

    page.get_by_role("link", name="Go to Today").click()
    page.wait_for_url(re.compile(r"/today$"))
    done = page.get_by_role("region", name="Done today")
    assert RELIEF in done.inner_text()
    today = page.locator(".week-day.is-today")
    assert "Partly done" in today.inner_text()  # the left holds of one stretch were skipped
    assert page.locator("[data-save-status]").is_hidden()
    visit.check_accessibility()
    visit.screenshot("today-after")


def test_the_connection_drops_mid_session_and_the_result_waits_then_saves(visit: Visit) -> None:
    make_profile(visit.server)
    page = visit.page
    visit.go("/session/relief")
    page.get_by_role("button", name="Start session").click()
    page.wait_for_function("() => document.getElementById('step-label').textContent !== ''")
    page.context.set_offline(True)
    page.wait_for_timeout(300)  # the session runs on without a connection
    for _ in range(4):
        if page.locator("#end").is_visible():
            break
        page.get_by_role("button", name="Next exercise").click()
    page.get_by_role("heading", level=2, name="Session complete").wait_for()
    answer_pain(page, "Pain during the exercises", 1)
    page.get_by_role("button", name="Save session").click()
    result = page.locator("#save-result")
    result.filter(has_text="Waiting to save").wait_for()
    assert page.get_by_role("button", name="Try to save now").is_visible()
    kept = json.loads(page.evaluate("() => localStorage.getItem('piri.unsent-sessions')"))
    assert len(kept) == 1 and kept[0]["payload"]["pain_during"] == 1
    visit.check_accessibility()
    visit.screenshot("waiting-to-save")

    page.context.set_offline(False)
    result.filter(has_text="Saved.").wait_for()
    assert page.evaluate("() => localStorage.getItem('piri.unsent-sessions')") == "[]"
    assert len(stored_sessions(page, visit.server)) == 1
    visit.screenshot("saved-after-reconnect")


def test_a_result_left_unsent_is_saved_by_the_next_page_that_loads(visit: Visit) -> None:
    make_profile(visit.server)
    page = visit.page
    visit.go("/session/relief")
    page.get_by_role("button", name="Start session").click()
    page.context.set_offline(True)
    page.get_by_role("button", name="Stop", exact=True).click()
    page.get_by_role("button", name="Stop now").click()
    page.get_by_role("heading", level=2, name="Session stopped early").wait_for()
    page.get_by_role("button", name="Save session").click()
    page.locator("#save-result").filter(has_text="Waiting to save").wait_for()
    page.close()  # gone before the connection came back

    page.context.set_offline(False)
    later = page.context.new_page()
    later.goto(visit.server.url + "/today")
    later.wait_for_function("() => localStorage.getItem('piri.unsent-sessions') === '[]'")
    assert later.locator("[data-save-status]").is_hidden()
    sessions = stored_sessions(later, visit.server)
    assert len(sessions) == 1
    statuses = [e["status"] for e in sessions[0]["exercises"]]
    assert statuses[0] == "stopped" and set(statuses[1:]) == {"not reached"}, statuses
    assert sessions[0]["completed"] is False


def test_without_javascript_the_page_lists_every_step(browser: Any, server: Server) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(server.url + "/session/relief")
    steps = page.locator(".plan-steps li")
    assert steps.count() == len(plan_routine("relief").steps)
    assert page.get_by_text("Switch sides: now the right side.").first.is_visible()
    assert page.get_by_role("button", name="Start session").count() == 0  # hidden: needs JS
    context.close()


SCENARIOS = [
    ({}, None),  # nothing happened: every exercise not reached
    ({n: "done" for n in range(24)}, None),  # the whole session
    ({0: "done", 1: "skipped", 2: "done", 3: "done", 4: "done"}, 5),  # stopped in a hold
    ({0: "done", 1: "done", 2: "done", 3: "skipped", 4: "done", 5: "done"}, None),
    ({0: "done", 1: "skipped", 2: "skipped", 3: "skipped"}, None),
    ({0: "skipped"}, 0),
]


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_the_player_summarises_a_session_as_the_server_does(visit: Visit) -> None:
    visit.go("/session/relief")
    plan = plan_routine("relief", painful_side=None)
    document = visit.page.evaluate(
        "() => JSON.parse(document.getElementById('session-plan').textContent)"
    )
    for outcomes, stopped_at in SCENARIOS:
        log = SessionLog(plan)
        for number, outcome in outcomes.items():
            log.record(number, StepOutcome(outcome), 1.0)
        log.stopped_at = stopped_at
        expected = [(e.exercise_id, e.status.value, e.work_done) for e in log.summary().exercises]
        player = visit.page.evaluate(
            """([plan, outcomes, stoppedAt]) => PiriPlayer.summarise(plan,
                Object.fromEntries(Object.entries(outcomes).map(([n, o]) => [n, [o, 1]])),
                stoppedAt).map(e => [e.exercise, e.status, e.sets_done])""",
            [document, {str(k): v for k, v in outcomes.items()}, stopped_at],
        )
        assert [tuple(e) for e in player] == expected, (outcomes, stopped_at)
