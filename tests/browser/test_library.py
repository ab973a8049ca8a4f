"""Browser journeys through the knowledge base and the exercise library, at both viewports."""

from __future__ import annotations

import re
from typing import Any

from tests.browser.conftest import VIEWPORTS, Server, Visit

LOADED_PICTURES = """selector => Array.from(document.querySelectorAll(selector)).map(img => ({
    alt: img.alt, complete: img.complete, natural: img.naturalWidth,
    shown: img.getBoundingClientRect().width}))"""


def go_expecting(visit: Visit, path: str, status: int) -> None:
    """Open a page that answers with an error status on purpose: the browser logs it as a
    console error, which is expected here (and only here)."""
    before = len(visit.problems)
    response = visit.go(path)
    assert response.status == status
    logged = visit.problems[before:]
    assert all(f"status of {status}" in problem for problem in logged), logged
    del visit.problems[before:]


def pictures(page: Any, selector: str) -> list[dict[str, Any]]:
    page.wait_for_function(
        """selector => Array.from(document.querySelectorAll(selector))
            .every(img => img.complete)""",
        arg=selector,
    )
    found: list[dict[str, Any]] = page.evaluate(LOADED_PICTURES, selector)
    return found


def test_learn_from_the_contents_to_the_next_section(visit: Visit) -> None:
    page = visit.page
    visit.go("/learn")
    assert page.get_by_role("heading", level=1).inner_text() == "Learn about buttock pain"
    visit.check_accessibility()
    visit.screenshot("contents")

    page.get_by_role("link", name="The anatomy: the piriformis and the sciatic nerve").click()
    page.wait_for_url(re.compile(r"/learn/anatomy$"))
    assert "The anatomy" in page.get_by_role("heading", level=1).inner_text()
    assert page.get_by_text("How sure we are:").first.is_visible()
    assert page.locator(".source-line a").count() >= 5
    visit.check_accessibility()
    visit.screenshot("section")

    page.get_by_role("link", name=re.compile(r"^Next: What causes it")).click()
    page.wait_for_url(re.compile(r"/learn/causes$"))
    assert page.get_by_role("heading", level=1).inner_text() == "What causes it"
    previous = page.get_by_role("link", name=re.compile(r"^Previous: The anatomy"))
    assert previous.get_attribute("href") == "/learn/anatomy"
    visit.check_accessibility()

    go_expecting(visit, "/learn/anatomi", 404)
    assert page.get_by_role("heading", level=1).inner_text() == "No such section"
    page.get_by_role("link", name="The anatomy: the piriformis and the sciatic nerve").first.click()
    page.wait_for_url(re.compile(r"/learn/anatomy$"))
    go_expecting(visit, "/learn/anatomi", 404)
    visit.check_accessibility()
    visit.screenshot("not-found")


def test_exercises_filter_open_pictures_and_harder(visit: Visit) -> None:
    page = visit.page
    visit.go("/exercises")
    assert page.locator(".exercise-item").count() == 18
    first_thumbnails = pictures(page, ".exercise-item:nth-child(-n+2) .thumb")
    assert all(p["natural"] > 0 for p in first_thumbnails), first_thumbnails
    visit.check_accessibility()
    visit.screenshot("library")

    # Changing the select swaps the list through htmx and puts the filter in the address.
    page.get_by_label("Equipment").select_option(label="Mini band")
    page.wait_for_url(re.compile(r"equipment=mini_band"))
    count = page.locator("#exercise-count")
    count.filter(has_text="3 exercises match").wait_for()
    names = page.locator(".exercise-name").all_inner_texts()
    assert names == [
        "Clamshell with mini band",
        "Lateral band walk",
        "Monster walk with mini band",
    ]
    assert page.get_by_label("Equipment").input_value() == "mini_band"
    visit.check_accessibility()
    visit.screenshot("filtered")

    page.get_by_role("link", name="Clamshell with mini band").click()
    page.wait_for_url(re.compile(r"/exercises/clamshell$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Clamshell with mini band"
    drawn = pictures(page, ".pictures img")
    assert len(drawn) == 2
    for picture in drawn:
        assert picture["natural"] > 0, picture
        assert picture["alt"].startswith("Clamshell with mini band, position")
        # Big enough to see the body on a phone: the whole content width, not a thumbnail.
        assert picture["shown"] >= 300, picture
    assert page.get_by_role("figure").first.is_visible()
    assert page.get_by_role("heading", name="When not to do it").is_visible()
    visit.check_accessibility()
    visit.screenshot("clamshell")

    page.get_by_role("link", name="Side-lying hip abduction").click()
    page.wait_for_url(re.compile(r"/exercises/side-lying-hip-abduction$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Side-lying hip abduction"
    assert all(p["natural"] > 0 for p in pictures(page, ".pictures img"))
    visit.check_accessibility()

    # A tall exercise: standing pictures sit two to a row on a phone.
    visit.go("/exercises/step-down")
    standing = pictures(page, ".pictures img")
    assert all(p["natural"] > 0 and p["shown"] >= 150 for p in standing), standing
    visit.check_accessibility()
    visit.screenshot("step-down")


def test_a_wrong_filter_and_a_wrong_exercise_say_what_exists(visit: Visit) -> None:
    page = visit.page
    go_expecting(visit, "/exercises?target=legs", 422)
    summary = page.get_by_role("alert")
    assert "'legs' is not a valid target" in summary.inner_text()
    assert page.locator(".exercise-item").count() == 18
    visit.check_accessibility()
    visit.screenshot("wrong-filter")

    go_expecting(visit, "/exercises/clamshel", 404)
    page.get_by_role("link", name="Clamshell with mini band").first.click()
    page.wait_for_url(re.compile(r"/exercises/clamshell$"))
    go_expecting(visit, "/exercises/clamshel", 404)
    visit.check_accessibility()


def test_back_and_forward_through_the_filters(visit: Visit) -> None:
    page = visit.page
    visit.go("/exercises")
    page.get_by_label("Equipment").select_option(label="Mini band")
    page.wait_for_url(re.compile(r"equipment=mini_band"))
    count = page.locator("#exercise-count")
    count.filter(has_text="3 exercises match").wait_for()
    page.go_back()
    page.wait_for_url(re.compile(r"/exercises$"))
    page.locator(".exercise-item").nth(17).wait_for()
    assert page.get_by_label("Equipment").input_value() == ""
    page.go_forward()
    page.wait_for_url(re.compile(r"equipment=mini_band"))
    count.filter(has_text="3 exercises match").wait_for()
    assert page.locator(".exercise-item").count() == 3
    assert page.get_by_label("Equipment").input_value() == "mini_band"
    assert not visit.problems, visit.problems


def test_the_filters_work_without_javascript(browser: Any, server: Server) -> None:
    context = browser.new_context(viewport=VIEWPORTS["phone"], java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server.url + "/exercises")
        page.get_by_label("Works on").select_option(label="Strength")
        page.get_by_label("Equipment").select_option(label="Mini band")
        page.get_by_role("button", name="Show exercises").click()
        page.wait_for_url(re.compile(r"target=strength&equipment=mini_band"))
        assert page.locator(".exercise-name").all_inner_texts() == [
            "Clamshell with mini band",
            "Lateral band walk",
            "Monster walk with mini band",
        ]
        assert "3 exercises match" in page.locator("#exercise-count").inner_text()
        page.get_by_role("link", name="Clear the filters").click()
        page.wait_for_url(re.compile(r"/exercises$"))
        assert page.locator(".exercise-item").count() == 18
    finally:
        context.close()
