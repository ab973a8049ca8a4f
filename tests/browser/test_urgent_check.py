"""Browser journeys through a symptom check that raises a warning sign, at both viewports.

The warning shows the moment the answer is given (before the end of the check), with a way
to stop there; the result is then shown first and alone: what to do now and why, with no
exercise, routine, session or plan anywhere on the page.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import Visit
from tests.browser.test_onboarding import answer_all, current_question, fill_in, press
from tests.check_answers import typical_piriformis

VIGNETTES = Path(__file__).resolve().parents[1] / "vignettes"
WARNING = "A warning sign: do not wait for the end of the check"
EXERCISES_CAN_WAIT = (
    "Do not start the exercises or run until a professional has seen you; they can wait."
)
# Where exercises, routines, sessions and the plan live: none is offered with an urgent result.
OFFERS = re.compile(r"^/(session|exercises|today|plan|profile)(/|$|\?)")


def vignette(name: str) -> dict[str, Any]:
    answers: dict[str, Any] = json.loads((VIGNETTES / f"{name}.json").read_text())["answers"]
    return answers


def links(visit: Visit, selector: str) -> list[str]:
    found: list[str] = visit.page.locator(selector).evaluate_all(
        "(all) => all.map(a => a.getAttribute('href'))"
    )
    return found


def assert_shown_first_and_alone(visit: Visit, urgency: str, action: str, flag: str) -> None:
    """The urgent result: what to do now as the page's heading, in the first screen, the warning
    sign that raised it, and nothing that offers exercise."""
    page = visit.page
    page.wait_for_url(re.compile(r"/check/result$"))
    main = page.locator("main")
    urgent = main.locator("section.check-result-urgent")
    # First and alone: the urgent section, then only the way to take the check again.
    expect(main.locator("> *")).to_have_count(2)
    expect(main.locator("> *").first).to_have_class(re.compile(r"\bcheck-result-urgent\b"))
    expect(main.locator("> *").last).to_have_text(re.compile(r"^Was an answer a mistake"))
    expect(urgent.locator(".urgency-label")).to_have_text(urgency)
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(action)
    box = heading.bounding_box()
    assert box and box["y"] + box["height"] <= page.viewport_size["height"], "not on first screen"
    why = urgent.locator(".flag")
    expect(why.get_by_role("heading", level=3)).to_have_text([flag])
    expect(urgent.get_by_role("list").filter(has_text=EXERCISES_CAN_WAIT)).to_be_visible()
    expect(page).to_have_title(re.compile("^Get help now"))

    # No exercise, routine, session or plan: not in the page's content, nor in its safety
    # notice or footer; the site's menu keeps its usual entries.
    offered = [
        href for href in links(visit, "body a[href]:not(.site-header a)") if OFFERS.match(href)
    ]
    assert offered == [], offered
    inside = [href for href in links(visit, "main a[href]") if not href.startswith("https://")]
    assert inside == ["/check"], inside  # the rest are the sources of the advice
    for words in ("Where to start", "Getting started", "Your plan", "Exercises can wait"):
        expect(main.get_by_text(words)).to_have_count(0)
    expect(main.locator("text=/\\bRelief\\b|\\bStrength\\b|guided session/")).to_have_count(0)
    expect(main.locator("form, button, img")).to_have_count(0)


def test_urgent_emergency_warns_at_once_and_stops_there(visit: Visit) -> None:
    page = visit.page
    visit.go("/check")
    first = current_question(visit)
    assert first.id == "saddle_numbness"
    fill_in(visit, first, True)
    press(visit, "Next")

    # Before the end: the warning, announced and focused, above the next question.
    warning = page.get_by_role("alert").filter(has_text=WARNING)
    expect(warning).to_be_visible()
    expect(warning).to_be_focused()
    expect(warning.get_by_role("heading", level=2)).to_have_text(WARNING)
    expect(warning).to_contain_text("Numbness between the legs (saddle area).")
    expect(warning).to_contain_text("Go to an emergency department now.")
    assert current_question(visit).id == "bladder_bowel_change"
    assert warning.bounding_box()["y"] < page.locator("#check-form").bounding_box()["y"]
    visit.check_accessibility()
    visit.screenshot("warning")

    # It stays on the next questions too (no longer as an alert), with the way to stop.
    fill_in(visit, current_question(visit), False)
    press(visit, "Next")
    assert current_question(visit).id == "both_legs"
    kept = page.locator("section.check-warning")
    expect(kept).to_have_count(1)
    expect(kept).not_to_have_attribute("role", "alert")
    expect(kept).to_contain_text("Go to an emergency department now.")

    kept.get_by_role("button", name="Stop here and see what to do").click()
    assert_shown_first_and_alone(
        visit,
        "Emergency",
        "Go to an emergency department now.",
        "Numbness between the legs (saddle area)",
    )
    expect(page.locator(".check-result-urgent .because li")).to_have_text([f"{first.text} Yes"])
    visit.check_accessibility()
    visit.screenshot("emergency-result")

    # The home page now leads to that result instead of onboarding.
    visit.go("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your last symptom check raised a warning sign"
    )
    expect(page.locator("main .action-now")).to_have_text("Go to an emergency department now.")
    assert [h for h in links(visit, "main a[href]") if OFFERS.match(h)] == []
    visit.check_accessibility()


def test_urgent_answer_then_the_whole_check(visit: Visit) -> None:
    page = visit.page
    answers = typical_piriformis(fever_or_unwell=True)
    visit.go("/check")
    asked = answer_all(visit, answers, stop="started_after_injury")
    assert asked[-1] == "fever_or_unwell"
    warning = page.get_by_role("alert").filter(has_text=WARNING)
    expect(warning).to_be_focused()
    expect(warning).to_contain_text("Fever or feeling unwell with the pain.")
    expect(warning).to_contain_text("Get seen by a doctor today.")

    # Going on to the end: the same story without the fever would offer the relief routine.
    answer_all(visit, answers)
    assert_shown_first_and_alone(
        visit,
        "Get seen today",
        "Get seen by a doctor today.",
        "Fever or feeling unwell with the pain",
    )
    expect(page.get_by_role("link", name=re.compile("^Relief"))).to_have_count(0)
    visit.check_accessibility()
    visit.screenshot("urgent-result")


def test_urgent_groin_pain_on_walking(visit: Visit) -> None:
    """Groin pain on walking (a possible femoral neck stress fracture): urgent, not exercises."""
    answers = vignette("hip-groin-pain-walking-urgent")
    visit.go("/check")
    asked = answer_all(visit, answers, stop="pain_standing_on_one_leg")
    assert asked[-1] == "pain_when_walking"
    warning = visit.page.get_by_role("alert").filter(has_text=WARNING)
    expect(warning).to_contain_text("stop running and do not hop on the leg")
    answer_all(visit, answers)
    assert_shown_first_and_alone(
        visit,
        "Get seen today",
        "Get seen by a doctor today.",
        "Groin pain that hurts to walk on or at night",
    )
    expect(visit.page.locator(".check-result-urgent")).to_contain_text(
        "use crutches if walking hurts"
    )
    visit.screenshot("groin-result")
