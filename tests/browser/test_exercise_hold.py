"""Browser journey through the hold an emergency check puts on the sessions, at both viewports.

A runner with a plan answers the check's first safety question yes and stops there. Today
then shows the hold first (the action, the sign, the day, what it means) with no session, no
Start link and no morning check-in; the session player shows the hold instead of the player.
Confirming without ticking the box says so; ticking it clears the hold, and Today offers the
session again, which starts the player.
"""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from tests.browser.conftest import Visit
from tests.browser.test_onboarding import current_question, fill_in, press
from tests.browser.test_session import make_profile

ACTION = "Go to an emergency department now."
SIGN = "Numbness between the legs (saddle area)"
WAITS = "Do not start the exercises or run until a professional has seen you; they can wait."
BOX = "A professional has seen me since this check and said I may exercise"


def assert_the_hold_comes_first(visit: Visit) -> None:
    page = visit.page
    main = page.locator("main")
    first = main.locator("> *:not(h1)").first
    expect(first).to_have_class(re.compile(r"\bcheck-reminder\b.*\bis-hold\b"))
    hold = page.get_by_role("region", name=ACTION)
    expect(hold.locator(".urgency-label")).to_have_text("Emergency")
    expect(hold.locator(".signs li")).to_have_text([SIGN])
    expect(hold).to_contain_text(f"Your symptom check of {dt.date.today():%A %d %B %Y}")
    expect(hold.locator(".what-it-means")).to_have_text(WAITS)
    heading = hold.get_by_role("heading", level=2, name=ACTION)
    box = heading.bounding_box()
    assert box and box["y"] + box["height"] <= page.viewport_size["height"], "not on first screen"
    expect(main.get_by_role("link", name="Start session")).to_have_count(0)
    expect(main.get_by_role("button", name="Start session")).to_have_count(0)
    expect(main.locator("a[href^='/session']")).to_have_count(0)


def test_an_emergency_check_holds_the_sessions_until_a_professional_has_seen_you(
    visit: Visit,
) -> None:
    page = visit.page
    make_profile(visit.server)  # seven days a week: today always holds a session
    visit.go("/check")
    first = current_question(visit)
    assert first.id == "saddle_numbness"
    fill_in(visit, first, True)
    press(visit, "Next")
    page.locator("section.check-warning").get_by_role(
        "button", name="Stop here and see what to do"
    ).click()
    page.wait_for_url(re.compile(r"/check/result$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(ACTION)
    visit.check_accessibility()

    # Today: the hold first, no session, no check-in; the week at a glance stays.
    page.locator(".site-header").get_by_role("link", name="Today").click()
    page.wait_for_url(re.compile(r"/today$"))
    assert_the_hold_comes_first(visit)
    expect(page.get_by_role("region", name="Today's session")).to_have_count(0)
    expect(page.get_by_role("heading", name="How is the pain this morning?")).to_have_count(0)
    expect(page.locator(".week-day")).to_have_count(7)
    hold = page.get_by_role("region", name=ACTION)
    expect(
        hold.get_by_role("link", name="Your check result: what to do, and why")
    ).to_have_attribute("href", "/check/result")
    expect(hold.get_by_role("link", name="Take the check again")).to_have_attribute(
        "href", "/check"
    )
    visit.check_accessibility()
    visit.screenshot("today-held")

    # The player, for today's session and for a library routine: the hold instead.
    for path in ("/session/today", "/session/relief"):
        visit.go(path)
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Sessions wait for a professional"
        )
        assert_the_hold_comes_first(visit)
        expect(page.locator("#session-plan, #player")).to_have_count(0)
        assert not page.evaluate("() => [...document.scripts].some(s => /player/.test(s.src))")
    visit.check_accessibility()
    visit.screenshot("player-held")
    page.get_by_role("link", name="Say so on Today").click()
    page.wait_for_url(re.compile(r"/today#check-reminder$"))

    # Confirm without the box: said, and the page (and the hold) kept.
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()
    summary = page.get_by_role("alert").filter(has_text="Please check this")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(re.compile("^Tick the box"))
    checkbox = page.get_by_role("checkbox", name=BOX)
    expect(checkbox).to_have_attribute("aria-invalid", "true")
    assert_the_hold_comes_first(visit)
    visit.check_accessibility()
    visit.screenshot("seen-unticked")

    # Ticked and confirmed: Today says what was cleared and offers the session again.
    checkbox.check()
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r"/today\?seen=1$"))
    saved = page.get_by_role("region", name="Saved: a professional has seen you")
    expect(saved).to_contain_text("and said you may exercise. Your sessions are offered again.")
    expect(page.locator(".check-reminder")).to_have_count(0)
    expect(page.get_by_role("region", name="Today's session")).to_be_visible()
    visit.check_accessibility()
    visit.screenshot("today-cleared")

    page.get_by_role("link", name="Start session").click()
    page.wait_for_url(re.compile(r"/session/today$"))
    expect(page.get_by_role("button", name="Start session")).to_be_visible()
    visit.check_accessibility()
