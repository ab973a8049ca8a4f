"""Browser journeys through Today and the Plan, at both viewports.

Before a profile Today points to it; with one, the session card starts the player, the week
shows each day, and the morning after a session one tap on the pain scale gives the dose
decisions and the phase, without reloading the page.
"""

from __future__ import annotations

import re
import subprocess
import sys

from tests.browser.conftest import Server, Visit
from tests.browser.test_session import make_profile

YESTERDAYS_SESSION = """
import datetime as dt
from piri.services.program import ExerciseDone
from piri.services.sessions import plan_routine, record_played_session, work_planned
plan = plan_routine("relief")
counts = work_planned(plan)
done = [ExerciseDone(p.exercise.id, counts[p.exercise.id], counts[p.exercise.id], "done",
        p.dose.reps) for p in plan.exercises]
record_played_session("relief", dt.date.today() - dt.timedelta(days=1), done, 2, 2)
"""


def record_yesterdays_session(server: Server) -> None:
    subprocess.run(
        [sys.executable, "-c", YESTERDAYS_SESSION], env=server.env, check=True, timeout=60
    )


def test_today_points_to_the_profile_then_shows_the_session_and_the_week(visit: Visit) -> None:
    page = visit.page
    visit.go("/today")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Today")
    assert page.get_by_role("link", name="Set up your profile").get_attribute("href") == "/profile"
    visit.check_accessibility()
    visit.screenshot("no-profile")
    visit.go("/plan")
    assert page.get_by_role("link", name="Set up your profile").is_visible()

    make_profile(visit.server)  # seven days a week: today always holds a session
    visit.go("/today")
    card = page.get_by_role("region", name="Today's session")
    assert "Settle phase" in card.inner_text()
    week = page.locator(".week-day")
    assert week.count() == 7
    assert "Today" in page.locator(".week-day.is-today").inner_text()
    assert page.get_by_role("heading", name="How is the pain this morning?").count() == 0
    visit.check_accessibility()
    visit.screenshot("session")

    page.get_by_role("link", name="Start session").click()
    page.wait_for_url(re.compile(r"/session/today$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Today: Settle"
    assert page.get_by_role("button", name="Start session").is_visible()
    visit.check_accessibility()

    visit.go("/plan")
    assert page.get_by_role("heading", level=1).inner_text() == "Your plan"
    assert page.locator(".phase[aria-current=step]").inner_text().startswith("1. Settle")
    assert (
        "Still settling: waiting for"
        in page.get_by_role("region", name=re.compile("^Settle phase")).inner_text()
    )
    assert page.get_by_role("table").locator("tbody tr").count() == 7
    assert (
        "No change yet"
        in page.get_by_role("region", name="Why the last change happened").inner_text()
    )
    visit.check_accessibility()
    visit.screenshot("plan")


def test_one_tap_on_the_morning_pain_gives_the_decisions(visit: Visit) -> None:
    make_profile(visit.server)
    record_yesterdays_session(visit.server)
    page = visit.page
    visit.go("/today")
    check_in = page.get_by_role("region", name="How is the pain this morning?")
    assert check_in.is_visible()
    visit.check_accessibility()
    visit.screenshot("morning-check-in")

    url = page.url
    page.get_by_role("group", name="Pain on waking").get_by_role(
        "button", name="2", exact=True
    ).click()
    saved = page.get_by_role("heading", name="Your morning check-in is saved")
    saved.wait_for()
    assert page.url == url  # swapped in place by htmx, no page load
    result = page.locator("#morning")
    text = result.inner_text()
    assert "Pain check: progress" in text, text
    assert "Still settling: waiting for" in text
    assert page.evaluate("() => document.activeElement.textContent") == (
        "Your morning check-in is saved"
    )
    visit.check_accessibility()
    visit.screenshot("morning-result")

    # The Plan now says why the last change happened.
    visit.go("/plan")
    why = page.get_by_role("region", name="Why the last change happened").inner_text()
    assert "with 2/10 the next morning" in why and "Pain check: progress" in why
    # And the check-in is not offered twice.
    visit.go("/today")
    assert page.get_by_role("heading", name="How is the pain this morning?").count() == 0
