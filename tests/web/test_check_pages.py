"""The first visit and the symptom check as pages: one question at a time, Back, skipping,
wrong input kept with a message, warning signs at once, and the result (urgent ones alone)."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from piri.services import check as check_service
from piri.services.program import get_profile, update_profile
from piri.web.pages.check import LOST_STATE, NONE_OF_THESE
from tests.check_answers import typical_piriformis
from tests.web.conftest import csrf

# The answers that raise the emergency of a possible cauda equina syndrome.
CAUDA_EQUINA = typical_piriformis(saddle_numbness=True, bladder_bowel_change=True)


def hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found, f"no hidden field {name}"
    return html.unescape(found[1])


def question_of(page: str) -> str:
    return hidden(page, "question")


def state_of(page: str) -> dict[str, Any]:
    state: dict[str, Any] = json.loads(hidden(page, "state"))
    return state


def main_of(page: str) -> str:
    """The page's own content, without the navigation and the safety box."""
    return page.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def form_answer(value: Any) -> list[str]:
    if isinstance(value, bool):
        return ["yes" if value else "no"]
    if isinstance(value, list):
        return list(value) or [NONE_OF_THESE]
    return [str(value)]


def send(
    client: TestClient, page: str, action: str = "next", answer: Any = None, **headers: str
) -> httpx.Response:
    data: dict[str, Any] = {
        "csrf_token": csrf(client),
        "state": hidden(page, "state"),
        "question": question_of(page),
        "action": action,
    }
    if answer is not None:
        data["answer"] = answer
    return client.post("/check", data=data, headers=headers, follow_redirects=False)


def walk(
    client: TestClient, answers: dict[str, Any], stop: str | None = None
) -> tuple[httpx.Response, list[str]]:
    """Answer every question asked from ``answers`` (skipping those not in it).

    Stops before the question ``stop`` if given; returns the last response and the ids asked.
    """
    response = client.get("/check")
    asked = []
    for _ in range(100):
        if response.status_code == 303:
            return response, asked
        assert response.status_code == 200, response.text
        qid = question_of(response.text)
        if qid == stop:
            return response, asked
        asked.append(qid)
        if qid in answers:
            response = send(client, response.text, answer=form_answer(answers[qid]))
        else:
            response = send(client, response.text, action="skip")
    raise AssertionError("the check did not end")


def test_first_visit_welcomes_and_leads_into_the_check(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    text = page.text
    assert "education, not a diagnosis" in text
    assert "step 1 of 3" in text
    assert 'href="/check"' in text and "Start the symptom check" in text
    assert text.count("<h1") == 1


def test_the_first_question_is_a_safety_question_with_a_labelled_control(
    client: TestClient,
) -> None:
    page = client.get("/check").text
    first = check_service.questionnaire().questions[0]
    assert question_of(page) == first.id
    assert f'<legend class="question-text">{html.escape(first.text)}</legend>' in page
    assert 'type="radio" id="answer-yes" name="answer" value="yes"' in page
    assert '<label for="answer-yes">Yes</label>' in page
    assert "Question 1 of" in page
    assert 'value="back"' not in page  # nothing to go back to
    assert 'value="skip"' not in page  # a required question
    assert state_of(page) == {"answers": {}, "history": [], "warned": []}


def test_a_whole_check_stores_the_result_only_at_the_end(client: TestClient) -> None:
    answers = typical_piriformis()
    halfway, _asked = walk(client, answers, stop="provoked_by")
    assert state_of(halfway.text)["answers"]["pain_side"] == "right"
    assert get_profile()[2] is None  # nothing is kept until the end
    done, asked = walk(client, answers)
    assert done.headers["location"] == "/check/result"
    assert asked[0] == "saddle_numbness" and "sitting_minutes" in asked
    stored = get_profile()[2]
    expected = check_service.result_as_json(check_service.run_check(answers))
    assert stored == {**expected, "checked_on": dt.date.today().isoformat()}
    result = client.get("/check/result")
    assert result.status_code == 200
    text = result.text
    top = next(p for p in expected["patterns"] if p["id"] == expected["top_pattern"])
    assert top["name"] in text
    assert "Which patterns your answers resemble" in text
    assert "What fits" in text
    assert "Sources" in text
    assert html.escape(expected["next_steps"][0]) in text
    assert "step 2 of 3" in text and 'href="/profile"' in text
    assert f'href="/session/{expected["routine"]}"' in text
    assert text.count("<h1") == 1


def test_a_missing_answer_and_skipping_a_required_question_are_named(
    client: TestClient,
) -> None:
    page = client.get("/check").text
    missing = send(client, page)
    assert missing.status_code == 422
    assert "This question needs an answer: choose Yes or No." in missing.text
    assert question_of(missing.text) == "saddle_numbness"
    assert 'href="#field-answer"' in missing.text  # the summary leads to the control
    skipped = send(client, page, action="skip")
    assert skipped.status_code == 422
    assert "cannot be skipped" in skipped.text


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("150", "150 is outside what this question takes: type a number from 10 to 100 years."),
        ("old", "“old” is not a number: type a number from 10 to 100 years."),
        ("", "This question needs an answer: type a number from 10 to 100 years."),
    ],
)
def test_a_wrong_number_is_shown_again_with_the_range(
    client: TestClient, typed: str, message: str
) -> None:
    page, _asked = walk(client, typical_piriformis(), stop="age")
    wrong = send(client, page.text, answer=typed)
    assert wrong.status_code == 422
    assert html.escape(message) in wrong.text
    assert question_of(wrong.text) == "age"
    assert f'id="field-answer" name="answer" type="text" value="{html.escape(typed)}"' in wrong.text
    assert 'aria-invalid="true"' in wrong.text
    assert state_of(wrong.text) == state_of(page.text)  # nothing was taken in
    right = send(client, wrong.text, answer="34")
    assert right.status_code == 200
    assert state_of(right.text)["answers"]["age"] == 34


def test_back_returns_to_the_last_question_with_its_answer(client: TestClient) -> None:
    page, _asked = walk(client, typical_piriformis(), stop="age")
    back = send(client, page.text, action="back")
    assert back.status_code == 200
    assert question_of(back.text) == "night_pain_any_position"
    assert 'value="no" checked' in back.text
    state = state_of(back.text)
    assert "night_pain_any_position" not in state["history"]
    assert "night_pain_any_position" not in state["answers"]
    changed = send(client, back.text, answer="yes")
    assert state_of(changed.text)["answers"]["night_pain_any_position"] is True


def test_back_from_a_multiple_choice_keeps_what_was_chosen(client: TestClient) -> None:
    page, _asked = walk(client, typical_piriformis(), stop="pain_side")
    back = send(client, page.text, action="back")
    assert question_of(back.text) == "pain_location"
    assert 'value="deep_buttock" checked' in back.text


def test_none_of_these_is_an_answer_but_not_together_with_others(client: TestClient) -> None:
    page, _asked = walk(client, typical_piriformis(), stop="provoked_by")
    both = send(client, page.text, answer=["sitting", NONE_OF_THESE])
    assert both.status_code == 422
    assert "“None of these” and other answers" in html.unescape(both.text)
    assert 'value="sitting" checked' in both.text  # kept
    nothing = send(client, page.text)
    assert nothing.status_code == 422
    assert "choose at least one, or “None of these”" in html.unescape(nothing.text)
    none = send(client, page.text, answer=[NONE_OF_THESE])
    assert none.status_code == 200
    assert state_of(none.text)["answers"]["provoked_by"] == []
    unknown = send(client, page.text, answer=["flying"])
    assert unknown.status_code == 422
    assert "Choose among the answers listed." in unknown.text


def test_an_optional_question_can_be_skipped_or_left_empty(client: TestClient) -> None:
    page, _asked = walk(client, typical_piriformis(), stop="worst_pain")
    assert 'value="skip"' in page.text
    assert "pain-scale" in page.text  # the 0-10 scale of radio buttons
    skipped = send(client, page.text, action="skip")
    empty = send(client, page.text)
    for response in (skipped, empty):
        state = state_of(response.text)
        assert "worst_pain" in state["history"]
        assert "worst_pain" not in state["answers"]
    scored = send(client, page.text, answer="11")
    assert scored.status_code == 422
    assert "Choose a number from 0 to 10." in scored.text


def test_a_self_test_shows_its_steps_pictures_and_sources(client: TestClient) -> None:
    page, _asked = walk(client, typical_piriformis(), stop="test_knee_to_opposite_shoulder")
    test = check_service.get_self_test("knee-to-opposite-shoulder")
    text = page.text
    assert f"Self-test: {html.escape(test.name)}" in text
    for step in test.steps:
        assert html.escape(step) in text
    assert html.escape(test.stop_if) in text
    assert '<img src="/figures/knee-to-opposite-shoulder/1.svg?v=' in text
    assert 'alt="' in text
    assert "I did not do this test" in text
    assert str(test.sources[0].url) in text


def test_a_warning_sign_is_shown_at_once_and_the_check_can_stop_there(
    client: TestClient,
) -> None:
    page = client.get("/check").text
    raised = send(client, page, answer="yes")
    assert raised.status_code == 200
    assert question_of(raised.text) == "bladder_bowel_change"
    assert 'role="alert"' in raised.text
    assert "do not wait for the end of the check" in raised.text
    assert state_of(raised.text)["warned"] == ["saddle-numbness"]
    # The next card still shows it, no longer as a new alert.
    following = send(client, raised.text, answer="no")
    assert "do not wait for the end of the check" in following.text
    assert 'role="alert"' not in following.text
    assert get_profile()[2] is None
    stopped = send(client, following.text, action="finish")
    assert stopped.status_code == 303 and stopped.headers["location"] == "/check/result"
    stored = get_profile()[2]
    assert stored["urgency"] == "emergency"
    assert stored["routine"] is None


def test_finish_without_a_warning_sign_does_not_end_the_check(client: TestClient) -> None:
    page = client.get("/check").text
    answered = send(client, page, answer="no")
    finish = send(client, answered.text, action="finish", answer="no")
    assert finish.status_code == 200
    assert get_profile()[2] is None
    assert question_of(finish.text) == "both_legs"


def test_an_urgent_result_is_shown_first_and_alone(client: TestClient) -> None:
    done, _asked = walk(client, CAUDA_EQUINA)
    assert done.status_code == 303
    page = client.get("/check/result")
    text = page.text
    main = main_of(text)
    assert "Go to an emergency department now." in main
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", main, re.S)
    assert h1 and "emergency department" in h1[1]
    assert "urgent-result" in main
    assert "Your answers that raised it" in main
    assert "Numbness" in main or "numbness" in main
    # No exercises, no plan, no onboarding: nothing but what to do now and why.
    for absent in ("/session/", "/plan", "/profile", "/exercises", "step 2 of 3", "patterns"):
        assert absent not in main, absent


def test_home_after_an_urgent_result_shows_it_instead_of_onboarding(client: TestClient) -> None:
    walk(client, CAUDA_EQUINA)
    update_profile(painful_side="right")
    home = client.get("/", follow_redirects=False)
    assert home.status_code == 200
    assert "raised a warning sign" in home.text
    assert "Go to an emergency department now." in home.text
    main = main_of(home.text)
    assert "step 1 of 3" not in main and 'href="/plan"' not in main


def test_home_goes_on_through_onboarding_then_to_today(client: TestClient) -> None:
    walk(client, typical_piriformis())
    second = client.get("/")
    assert second.status_code == 200
    assert "step 2 of 3" in second.text and 'href="/profile"' in second.text
    update_profile(painful_side="right")
    done = client.get("/", follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/today"


def test_no_result_yet(client: TestClient) -> None:
    page = client.get("/check/result")
    assert page.status_code == 200
    assert "No check result yet" in page.text
    assert 'href="/check"' in page.text


def test_changed_or_broken_answers_start_the_check_again(client: TestClient) -> None:
    token = csrf(client)
    for state in ("not json", json.dumps({"answers": {"age": 500}, "history": ["age"]})):
        response = client.post(
            "/check",
            data={"csrf_token": token, "state": state, "question": "age", "answer": "30"},
        )
        assert response.status_code == 422
        assert html.escape(LOST_STATE) in response.text
        assert question_of(response.text) == "saddle_numbness"
    unknown = json.dumps({"answers": {}, "history": ["no_such_question"]})
    response = client.post("/check", data={"csrf_token": token, "state": unknown})
    assert response.status_code == 422


def test_an_old_page_shows_the_question_the_answers_are_at(client: TestClient) -> None:
    page = client.get("/check").text
    answered = send(client, page, answer="no")
    data = {
        "csrf_token": csrf(client),
        "state": hidden(answered.text, "state"),
        "question": "saddle_numbness",  # the page before
        "answer": "yes",
    }
    stale = client.post("/check", data=data)
    assert stale.status_code == 200
    assert question_of(stale.text) == "bladder_bowel_change"
    assert state_of(stale.text)["answers"] == {"saddle_numbness": False}


def test_htmx_swaps_only_the_card_and_is_sent_to_the_result_at_the_end(
    client: TestClient,
) -> None:
    page = client.get("/check").text
    assert 'hx-post="/check"' in page and 'hx-target="#check-area"' in page
    card = send(client, page, answer="no", **{"HX-Request": "true"})
    assert card.status_code == 200
    assert "<html" not in card.text and "check-card" in card.text
    assert question_of(card.text) == "bladder_bowel_change"
    wrong = send(client, card.text, **{"HX-Request": "true"})
    assert wrong.status_code == 422 and "<html" not in wrong.text
    assert "choose Yes or No" in wrong.text
    last, _asked = walk(client, typical_piriformis(), stop="test_finger_point")
    end = send(client, last.text, action="skip", **{"HX-Request": "true"})
    assert end.status_code == 200
    assert end.headers["HX-Redirect"] == "/check/result"


def test_a_check_post_without_the_csrf_token_is_refused(client: TestClient) -> None:
    page = client.get("/check").text
    response = client.post(
        "/check", data={"state": hidden(page, "state"), "question": "saddle_numbness"}
    )
    assert response.status_code == 403
