"""The care team in a browser, on a phone (390x844), on a shared server.

Ana signs up and makes an invitation code; Bea signs up, turns on the clinician role and
enters it; Ana sees Bea in her care team, sees what Bea read in the audit log, and withdraws
after the confirm step; Bea's next load of Ana's record is refused. axe-core on every screen.
Passwords are hashed at argon2id's real cost, as in test_accounts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from playwright.sync_api import expect

from piri.web.pages import ROUTERS
from tests.browser.conftest import Server, Visit, start_server
from tests.browser.test_accounts import another_browser, sign_up
from tests.browser.test_library import go_expecting
from tests.browser.test_wrong_input import assert_forms_carry_the_csrf_token

RECORD_PAGE = "/clinic/runners/{username}"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """A fresh shared server (overrides the single-person one)."""
    started = start_server(tmp_path / "home", "--multi-user")
    yield started
    started.stop()


@pytest.fixture
def viewport() -> str:
    """The phone only: the care team is mostly used on one."""
    return "phone"


def has_record_page() -> bool:
    """Whether the clinician's page of one runner is served yet (another part of issue 8);
    without it the journey reads the record through the API."""
    return any(
        isinstance(route, APIRoute) and route.path == RECORD_PAGE
        for router in ROUTERS
        for route in router.routes
    )


def load_record(visit: Visit, username: str, status: int) -> Any:
    """Bea opens Ana's record: the page when it exists, else the API in the same browser."""
    if has_record_page():
        path = RECORD_PAGE.format(username=username)
    else:
        path = f"/api/v1/clinic/runners/{username}"
    if status == 200:
        response = visit.go(path)
        assert response.status == 200
        return response
    go_expecting(visit, path, status)
    return None


def test_a_runner_invites_a_clinician_sees_them_and_withdraws(
    visit: Visit, browser: Any, viewport: str
) -> None:
    page = visit.page
    visit.go("/signup?next=/care")
    sign_up(visit, "ana")
    page.wait_for_url(re.compile(r"/care$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Care team")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Care team")).to_have_attribute("aria-current", "page")
    expect(nav.get_by_role("link", name="Clinic")).to_have_count(0)
    expect(page.get_by_text("Nobody sees your record.")).to_be_visible()
    invite = page.locator("#invite")
    for label in ("Pain diary and questionnaires", "Symptom-check results"):
        expect(invite.get_by_label(label)).to_be_checked()
    assert_forms_carry_the_csrf_token(visit)
    visit.check_accessibility()
    visit.screenshot("care-empty")

    invite.get_by_role("button", name="Make an invitation code").click()
    code_box = page.get_by_label("The code")
    expect(code_box).to_be_visible()
    code = code_box.input_value()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{2}", code)
    expect(page.locator("#new-code")).to_contain_text("shown only this once")
    expect(page.locator("#new-code")).to_contain_text("It works once, until")
    visit.check_accessibility()
    visit.screenshot("care-code")

    with another_browser(browser, visit.server, viewport, "care_team_bea") as bea:
        bea.go("/signup?next=/account")
        sign_up(bea, "bea")
        bea.page.wait_for_url(re.compile(r"/account$"))
        bea.page.get_by_label("I look after runners (physiotherapist or coach)").check()
        bea.page.locator("#clinician").get_by_role("button", name="Save").click()
        expect(bea.page.get_by_role("status")).to_contain_text("You can now follow runners")
        bea_nav = bea.page.get_by_role("navigation", name="Main")
        expect(bea_nav.get_by_role("link", name="Clinic")).to_be_visible()
        bea.check_accessibility()

        bea.go("/care")
        bea.page.get_by_label("The runner's invitation code").fill(code.lower().replace("-", " "))
        bea.page.get_by_role("button", name="Start following this runner").click()
        bea.page.wait_for_url(re.compile(r"/care\?done=accepted(#clinician)?$"))
        expect(bea.page.locator("#clinician")).to_contain_text("Sharing with you now: ana.")
        bea.check_accessibility()
        bea.screenshot("care-clinician")
        load_record(bea, "ana", 200)

        visit.go("/care")
        team = page.locator("#team")
        expect(team.get_by_role("heading", name="bea")).to_be_visible()
        expect(team).to_contain_text("Sees pain diary and questionnaires, exercise sessions")
        audit = page.locator("#audit").get_by_role("listitem")
        expect(audit.first).to_contain_text("bea read")
        visit.check_accessibility()
        visit.screenshot("care-team")

        team.get_by_role("link", name="Withdraw access of bea").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw access")
        visit.check_accessibility()
        page.get_by_role("button", name="Withdraw bea's access").click()
        page.wait_for_url(re.compile(r"/care\?done=withdrawn$"))
        expect(page.get_by_role("status")).to_contain_text("Access withdrawn")
        expect(page.locator("#withdrawn")).to_contain_text("bea")
        expect(page.get_by_text("Nobody sees your record.")).to_be_visible()
        visit.check_accessibility()
        visit.screenshot("care-withdrawn")

        load_record(bea, "ana", 404)  # the very next request after the withdrawal
        if has_record_page():
            expect(bea.page.get_by_role("heading", level=1)).to_have_text("Not shared with you")
            expect(bea.page.locator("main")).not_to_contain_text("Sees")
            bea.check_accessibility()
            bea.screenshot("record-refused")
