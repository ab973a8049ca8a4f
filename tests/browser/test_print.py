"""Printing the web pages: with the print stylesheet, the Plan, an exercise and a knowledge
section print their content in black on white, without the navigation, buttons or forms; the
sources print with their addresses. Each page is also printed to PDF by Chromium itself
(``page.pdf()``) and kept under artifacts/screenshots/ beside a print-media screenshot."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import ARTIFACTS, Server, Visit, _visit
from tests.browser.test_session import make_profile

PAGES = {
    "plan": ("/plan", "Your plan"),
    "exercise": ("/exercises/glute-bridge", "Glute bridge"),
    "learn": ("/learn/anatomy", "The anatomy"),
}
HIDDEN = (".site-header nav", ".skip-link", ".site-footer", "button", "form", ".actions")

SHOWN_STYLE = """selector => {
    const found = document.querySelector(selector);
    if (!found) return null;
    const style = getComputedStyle(found);
    return {display: style.display, color: style.color,
            background: getComputedStyle(document.body).backgroundColor};
}"""
AFTER_LINKS = """selector => Array.from(document.querySelectorAll(selector))
    .map(a => getComputedStyle(a, '::after').content)"""


def visible(page: Any, selector: str) -> bool:
    return any(item.is_visible() for item in page.locator(selector).all())


@pytest.fixture
def desktop(browser: Any, server: Server) -> Iterator[Visit]:
    """Printing does not depend on the screen: one tab at the desktop size is enough."""
    yield from _visit(browser, server, "desktop", "print")


def test_pages_print_their_content_without_navigation(desktop: Visit) -> None:
    make_profile(desktop.server)
    for name in sorted(PAGES):
        print_page(desktop, name)


def print_page(visit: Visit, name: str) -> None:
    path, heading = PAGES[name]
    page = visit.page
    page.emulate_media(media="screen")
    visit.go(path)
    assert visible(page, ".site-header nav")  # on screen the navigation is there
    page.emulate_media(media="print")
    h1 = page.get_by_role("heading", level=1)
    assert heading in h1.inner_text() and h1.is_visible()
    assert page.locator("main").is_visible()
    for selector in HIDDEN:
        assert not visible(page, selector), f"{path}: {selector} shows in print"
    style = page.evaluate(SHOWN_STYLE, "main")
    assert style["color"] == "rgb(0, 0, 0)" and style["background"] == "rgb(255, 255, 255)"
    assert visible(page, ".safety")  # when to see a professional prints too
    if name == "learn":
        addresses = page.evaluate(AFTER_LINKS, ".source-line a")
        assert addresses and all("http" in content for content in addresses), addresses
    if name == "exercise":
        assert page.locator(".pictures img").first.is_visible()
    if name == "plan":
        assert page.get_by_text("This week").first.is_visible()
        assert not visible(page, ".print-program")  # the link to the PDF is for the screen
    visit.screenshot(name)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf: bytes = page.pdf(format="A4", print_background=True)
    (ARTIFACTS / f"print-desktop-{name}.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF-")
