"""Browser journeys to the Progress page, at both viewports: empty before any data, then a
diary day entered through the form and shown in the pain chart, its sentences and its table;
and the same entry made with the keyboard alone, focus visible at every stop.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import Visit
from tests.browser.test_diary import choose, long_date
from tests.browser.test_runs import chart_marks, drawn, keep_chart_views, legend
from tests.browser.test_session import make_profile

TODAY = dt.date.today()
THIS_MONDAY = TODAY - dt.timedelta(days=TODAY.weekday())
WEEK_LABEL = f"{THIS_MONDAY.day} {THIS_MONDAY:%b %Y}"  # how the charts name this week

# What the focused element shows: its own outline, or (a pain-scale radio is hidden behind its
# big label) the outline of its label.
FOCUS_RING = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const shown = el.matches('.pain-scale input')
        ? document.querySelector(`label[for="${el.id}"]`) : el;
    const style = getComputedStyle(shown);
    const box = shown.getBoundingClientRect();
    return {
        tag: el.tagName.toLowerCase(), type: el.type || '', name: el.name || '', id: el.id || '',
        text: (el.textContent || '').trim().slice(0, 40), checked: !!el.checked,
        outline: style.outlineStyle, width: parseFloat(style.outlineWidth),
        onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight,
    };
}"""


def focused(visit: Visit) -> dict[str, Any]:
    ring: dict[str, Any] | None = visit.page.evaluate(FOCUS_RING)
    assert ring is not None, "nothing has focus"
    return ring


def assert_focus_visible(visit: Visit) -> dict[str, Any]:
    ring = focused(visit)
    assert ring["outline"] not in ("none", "") and ring["width"] >= 2, ring
    assert ring["onScreen"], ring
    return ring


def tab_until(
    visit: Visit, wanted: str, limit: int = 40, backwards: bool = False
) -> dict[str, Any]:
    """Press Tab (Shift+Tab ``backwards``) until the focused element matches the CSS
    ``wanted``; every stop on the way must show where the focus is."""
    for _ in range(limit):
        visit.page.keyboard.press("Shift+Tab" if backwards else "Tab")
        ring = assert_focus_visible(visit)
        if visit.page.evaluate("(css) => document.activeElement.matches(css)", wanted):
            return ring
    raise AssertionError(f"Tab never reached {wanted}")


def test_progress_empty_then_a_diary_day_in_the_pain_chart(visit: Visit) -> None:
    page = visit.page
    make_profile(visit.server)
    keep_chart_views(visit)
    visit.go("/progress")
    expect(page.get_by_role("heading", level=1)).to_have_text("Progress")
    expect(page.get_by_role("heading", name="Nothing to show yet")).to_be_visible()
    expect(page.locator("[data-chart]")).to_have_count(0)
    visit.check_accessibility()
    visit.screenshot("empty")

    page.get_by_role("link", name="Log today's pain").click()
    page.wait_for_url(re.compile(r"/diary$"))
    choose(visit, "Pain right now", "2")
    choose(visit, "Worst pain today", "6")
    page.get_by_label("Minutes of sitting before the pain starts").fill("35")
    page.get_by_role("button", name="Save today").click()
    expect(page.get_by_role("status")).to_have_text(
        f"Saved your entry for {long_date(TODAY)}: pain now 2/10, worst 6/10."
    )

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Progress").click()
    page.wait_for_url(re.compile(r"/progress$"))
    expect(page.get_by_role("heading", name="In short")).to_be_visible()
    drawn(visit, "pain")
    points = {
        (p["datum"]["measure"], p["datum"]["value"]) for p in chart_marks(visit, "pain", "symbol")
    }
    assert points == {("Worst pain", 6), ("Pain now", 2)}, points
    assert legend(visit, "pain") == ["Worst pain", "Pain now"]  # which colour is which
    sentences = page.locator("#chart-pain-summary")
    expect(sentences).to_contain_text(f"Latest week ({WEEK_LABEL}): worst pain 6, pain now 2.")
    expect(sentences).to_contain_text("first week's worst pain (6)")
    pain = page.get_by_role("region", name="Pain", exact=True)
    pain.get_by_text("The numbers").click()
    table = pain.get_by_role("table", name="Pain")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.locator("tbody tr th")).to_have_text(WEEK_LABEL)
    expect(table.locator("tbody tr td")).to_have_text(["6", "2"])

    drawn(visit, "sitting")
    expect(page.locator("#chart-sitting-summary")).to_contain_text("35")
    # Charts still to fill say how.
    lefs = page.get_by_role("region", name=re.compile("^LEFS"))
    expect(lefs.get_by_role("link", name="Fill in the LEFS")).to_have_attribute(
        "href", "/scores/lefs"
    )
    visit.check_accessibility()
    visit.screenshot("pain-chart")


def test_progress_keyboard_only_diary_entry(visit: Visit) -> None:
    page = visit.page
    make_profile(visit.server)
    visit.go("/diary")

    page.keyboard.press("Tab")
    ring = assert_focus_visible(visit)
    assert ring["text"] == "Skip to the content", ring
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    # The scales: Tab into a group, arrow keys choose, Space chooses the focused number.
    ring = tab_until(visit, "input[name=pain_now]")
    assert ring["id"] == "pain_now-0" and not ring["checked"], ring
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    ring = assert_focus_visible(visit)
    assert (ring["id"], ring["checked"]) == ("pain_now-3", True), ring

    page.keyboard.press("Tab")
    ring = assert_focus_visible(visit)
    assert (ring["id"], ring["checked"]) == ("worst_pain-0", False), ring
    page.keyboard.press("Space")
    assert focused(visit)["checked"]
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")
    ring = assert_focus_visible(visit)
    assert (ring["id"], ring["checked"]) == ("worst_pain-4", True), ring
    visit.screenshot("keyboard-scale")

    tab_until(visit, "#field-sitting_minutes_before_pain")
    page.keyboard.type("20")
    tab_until(visit, "#tingling-no")
    page.keyboard.press("ArrowRight")
    assert focused(visit)["id"] == "tingling-yes"
    tab_until(visit, "#field-notes")
    page.keyboard.type("Typed without a mouse")
    ring = tab_until(visit, "form[action='/diary'] button[type=submit]")
    assert ring["text"] == "Save today", ring
    visit.screenshot("keyboard-submit")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_have_text(
        f"Saved your entry for {long_date(TODAY)}: pain now 3/10, worst 4/10."
    )
    row = page.locator(f"#entry-{TODAY.isoformat()}")
    expect(row.get_by_role("cell")).to_contain_text(
        ["3", "4", "after 20 min", "did not run", "yes"]
    )
    expect(page.get_by_role("cell").filter(has_text="Typed without a mouse")).to_be_visible()
    visit.check_accessibility()

    # On to Progress by the keyboard: back up from the saved message to the menu, then the
    # pain chart's numbers.
    tab_until(visit, ".site-header a[href='/progress']", backwards=True)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/progress$"))
    drawn(visit, "pain")
    tab_until(visit, "#chart-pain-title ~ details summary")
    page.keyboard.press("Enter")
    table = page.get_by_role("region", name="Pain", exact=True).get_by_role("table")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr td")).to_have_text(["4", "3"])
    visit.check_accessibility()
    visit.screenshot("keyboard-progress")
