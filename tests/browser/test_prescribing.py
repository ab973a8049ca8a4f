"""Prescribing in a browser, on a phone (390x844), on a shared server.

Bea (Ana's physiotherapist) starts Ana's plan from the article's six, types a dose its
exercise cannot take and sees the message next to that field with what she typed kept, then
publishes and writes Ana a note. Ana's Today shows who changed her plan and what changed, and
the note, until she dismisses them; her Plan says whose plan it is. axe-core on every screen.
The link between them is made through the services on the server's own database (the care
team's pages have their own journey).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from piri.services import accounts, care
from piri.services import diary as diary_service
from tests.browser.conftest import Server, Visit, start_server
from tests.browser.test_accounts import another_browser, sign_up


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """A fresh shared server (overrides the single-person one)."""
    started = start_server(tmp_path / "home", "--multi-user")
    yield started
    started.stop()


@pytest.fixture
def viewport() -> str:
    return "phone"


def link_through_the_database(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """Bea becomes a clinician and Ana's, in the server's own database."""
    monkeypatch.setenv("PIRI_HOME", str(server.home))
    monkeypatch.delenv("PIRI_DATABASE_URL", raising=False)
    diary_service.close_engines()
    ana, bea = (accounts.find_account(name) for name in ("ana", "bea"))
    assert ana is not None and bea is not None
    care.set_clinician(bea.person, True)
    invitation = care.invite_clinician(ana.person)
    assert invitation.code is not None
    care.accept_invitation(bea.person, invitation.code)
    diary_service.close_engines()


def test_a_clinician_prescribes_and_the_runner_sees_who_changed_what(
    visit: Visit, browser: Any, viewport: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ana = visit
    ana.go("/signup?next=/profile")
    sign_up(ana, "ana")
    ana.page.wait_for_url(re.compile(r"/profile"))
    ana.page.get_by_role("button", name=re.compile("Save")).first.click()
    with another_browser(browser, visit.server, viewport, "prescribing_bea") as bea:
        bea.go("/signup?next=/account")
        sign_up(bea, "bea")
        bea.page.wait_for_url(re.compile(r"/account"))
        link_through_the_database(visit.server, monkeypatch)

        page = bea.page
        bea.go("/clinic/runners/ana/plan")
        page.get_by_role("link", name="The article's six").click()
        expect(page.get_by_label("Clamshell with mini band")).to_be_checked()
        bea.check_accessibility()
        page.locator("#field-clamshell\\.sets").fill("11")
        page.locator("#field-clamshell\\.notes").fill("Knees together")
        page.get_by_role("button", name="Publish to ana").click()
        error = page.locator("#error-clamshell\\.sets")
        expect(error).to_have_text("Clamshell with mini band: sets at most 10, got 11.")
        expect(page.locator("#field-clamshell\\.notes")).to_have_value("Knees together")
        bea.check_accessibility()
        bea.screenshot("refused")
        page.locator("#field-clamshell\\.sets").fill("3")
        page.get_by_label(re.compile("^Manual")).check()
        page.get_by_role("button", name="Publish to ana").click()
        expect(page.get_by_role("status")).to_contain_text("Published")
        page.get_by_label("Your note to ana").fill("Slow on the way down this week.")
        page.get_by_role("button", name="Send the note").click()
        expect(page.get_by_role("status")).to_contain_text("Note sent")
        bea.screenshot("published")

    page = ana.page
    ana.go("/today")
    change = page.locator(".plan-change")
    expect(change).to_contain_text("bea, of your care team, set your plan")
    expect(change).to_contain_text("Clamshell with mini band 3×10")
    expect(page.locator(".care-notes")).to_contain_text("Slow on the way down this week.")
    ana.check_accessibility()
    ana.screenshot("today")
    change.get_by_role("button", name="Got it: hide this").click()
    expect(page.locator(".plan-change")).to_have_count(0)
    page.locator(".care-notes").get_by_role("button", name="Mark as read").click()
    expect(page.locator(".care-notes")).to_have_count(0)
    ana.go("/plan")
    expect(page.locator(".care-plan-owner")).to_contain_text("bea, of your care team, set for you")
    expect(page.get_by_text("Knees together")).to_be_visible()
    ana.check_accessibility()
