"""First visit in a browser: welcome, the whole symptom check, its result, the profile, the plan."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from piri.content.check_models import Question, QuestionType
from piri.services.check import questionnaire
from tests.browser.conftest import Visit
from tests.check_answers import typical_piriformis

NEXT_QUESTION = """old => {
    const shown = document.querySelector('#check-form input[name=question]');
    return !shown || shown.value !== old;
}"""


def current_question(visit: Visit) -> Question:
    question_id = visit.page.locator("#check-form input[name=question]").get_attribute("value")
    found = questionnaire().question(question_id or "")
    assert found is not None, question_id
    return found


def fill_in(visit: Visit, question: Question, value: Any) -> None:
    """Answer ``question`` the way a person would: by the labels on the screen."""
    form = visit.page.locator("#check-form")
    labels = {option.id: option.label for option in question.options}
    kind = question.type
    if kind is QuestionType.YES_NO:
        form.get_by_role("radio", name="Yes" if value else "No", exact=True).check()
    elif kind is QuestionType.CHOICE:
        form.get_by_role("radio", name=labels[value], exact=True).check()
    elif kind in (QuestionType.MULTI_CHOICE, QuestionType.BODY_LOCATION):
        for option in value or ["None of these"]:
            form.get_by_role("checkbox", name=labels.get(option, option), exact=True).check()
    elif kind is QuestionType.PAIN_SCALE:
        radio = form.get_by_role("radio", name=str(value), exact=True)
        form.locator(f'label[for="{radio.get_attribute("id")}"]').click()
        expect(radio).to_be_checked()
    else:
        form.get_by_role("textbox", name=question.text).fill(str(value))


def press(visit: Visit, button: str) -> None:
    """Press a button of the question card and wait for the next card (or the result)."""
    shown = visit.page.locator("#check-form input[name=question]").get_attribute("value")
    visit.page.locator("#check-form").get_by_role("button", name=button, exact=True).click()
    visit.page.wait_for_function(NEXT_QUESTION, arg=shown)


def answer_all(
    visit: Visit, answers: dict[str, Any], stop: str | None = None, look_at: tuple[str, ...] = ()
) -> list[str]:
    """Answer the check from ``answers`` (skipping what is not there) until the result page,
    or until the question ``stop``. Runs axe-core and takes a screenshot at ``look_at``."""
    page = visit.page
    asked: list[str] = []
    for _ in range(100):
        if re.search(r"/check/result$", page.url):
            return asked
        question = current_question(visit)
        if question.id == stop:
            return asked
        asked.append(question.id)
        if question.id in look_at:
            visit.check_accessibility()
            visit.screenshot(f"question-{question.id}")
        if question.id in answers:
            fill_in(visit, question, answers[question.id])
            press(visit, "Next")
        else:
            assert not question.required, f"no answer for the required {question.id}"
            press(visit, "I did not do this test" if question.self_test else "Skip this question")
        if page.locator("#check-form").count() == 0:
            page.wait_for_url(re.compile(r"/check/result$"))
    raise AssertionError("the check did not end")


def test_first_visit_through_check_profile_and_plan(visit: Visit) -> None:
    page = visit.page
    visit.go("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to Piri")
    expect(page.locator("main").get_by_text("education, not a diagnosis")).to_be_visible()
    expect(page.get_by_role("heading", name="Getting started: step 1 of 3")).to_be_visible()
    visit.check_accessibility()
    visit.screenshot("welcome")

    page.get_by_role("link", name="Start the symptom check").click()
    page.wait_for_url(re.compile(r"/check$"))
    expect(page.get_by_role("heading", name=re.compile(r"^Question 1 of \d+"))).to_be_visible()
    expect(page.get_by_role("group", name=questionnaire().questions[0].text)).to_be_visible()
    expect(page.get_by_role("button", name="Back")).to_have_count(0)
    visit.check_accessibility()
    visit.screenshot("first-question")

    # Part way through: Back returns to the last question with its answer still chosen.
    answers = typical_piriformis(worst_pain=5)
    answer_all(visit, answers, stop="pain_side")
    press(visit, "Back")
    assert current_question(visit).id == "pain_location"
    expect(page.get_by_role("checkbox", name="Deep in the buttock", exact=False)).to_be_checked()
    press(visit, "Next")

    asked = answer_all(
        visit,
        answers,
        look_at=("pain_location", "worst_pain", "test_knee_to_opposite_shoulder"),
    )
    assert "test_seated_slump" in asked  # the self-tests were offered (and skipped)

    # The result: patterns the answers resemble, with reasons and sources; no diagnosis.
    expect(page.get_by_role("heading", level=1)).to_have_text("Your check result")
    expect(page.get_by_role("heading", name="Which patterns your answers resemble")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("deep gluteal syndrome"))).to_be_visible()
    expect(page.locator("main").get_by_text("education, not a diagnosis").first).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Relief"))).to_have_attribute(
        "href", "/session/relief"
    )
    visit.check_accessibility()
    visit.screenshot("result")

    page.get_by_role("link", name="Next: your profile").click()
    page.wait_for_url(re.compile(r"/profile$"))
    expect(page.get_by_text("Getting started: step 2 of 3")).to_be_visible()
    visit.check_accessibility()
    page.get_by_role("group", name="Painful side").get_by_label("Right").check()
    page.get_by_label("A chair").check()
    page.get_by_label("Minutes a day for exercises").fill("25")
    page.get_by_label("Days a week for exercises").fill("5")
    page.get_by_label("Your goals").fill("Sit through a film\nRun 10 km again")
    visit.screenshot("profile")
    page.get_by_role("button", name="Save and see my plan").click()

    page.wait_for_url(re.compile(r"/plan$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    visit.screenshot("plan")

    # Onboarded: the home page now goes straight to Today.
    visit.go("/")
    page.wait_for_url(re.compile(r"/today$"))


def test_self_test_pictures_load(visit: Visit) -> None:
    page = visit.page
    visit.go("/check")
    answer_all(visit, typical_piriformis(), stop="test_knee_to_opposite_shoulder")
    expect(page.get_by_role("heading", name=re.compile("^Self-test: "))).to_be_visible()
    images = page.locator(".self-test img")
    assert images.count() >= 2
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.self-test img'))"
        ".every(img => img.complete && img.naturalWidth > 0)"
    )
    for index in range(images.count()):
        assert images.nth(index).get_attribute("alt")
    visit.check_accessibility()
