"""Multi-user mode in a browser (``piri serve --multi-user`` on 127.0.0.1), at both viewports.

Sign-up with its password rules, the session cookie, every form's CSRF token, each person's
own data only, signing out, a wrong password that does not say which part was wrong, and
the rate limit on repeated wrong sign-ins. Passwords are hashed with argon2id at its real
cost: the server has no setting to make it cheaper, and a test should not add one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from piri.services.accounts import LOGIN_FAILED
from tests.browser.conftest import Server, Visit, _visit, start_server
from tests.browser.test_diary import choose
from tests.browser.test_wrong_input import assert_forms_carry_the_csrf_token, stored, summary_of

PASSWORD = "correct horse battery"
TOO_SHORT = "The password must be at least 10 characters long (this one has 5). " + (
    "A few words in a row are easy to remember."
)
RATE_LIMITED = re.compile(
    r"^Too many failed sign-in attempts\. Wait (\d+) seconds? and try again "
    r"\(at most a few tries a minute, to keep passwords from being guessed\)\.$"
)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """A fresh shared server: accounts, sign-up and login (overrides the single-person one)."""
    started = start_server(tmp_path / "home", "--multi-user")
    yield started
    started.stop()


@contextmanager
def another_browser(browser: Any, server: Server, viewport: str, name: str) -> Iterator[Visit]:
    """A second person's browser: its own cookies, the same checks for console problems."""
    visits = _visit(browser, server, viewport, name)
    yield next(visits)
    next(visits, None)  # closes it and fails on any problem the browser reported


def cookies(visit: Visit) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in visit.page.context.cookies(visit.server.url)}


def sign_up(visit: Visit, username: str, password: str = PASSWORD) -> None:
    page = visit.page
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Password again").fill(password)
    page.get_by_role("button", name="Create the account").click()


def sign_in(visit: Visit, username: str, password: str) -> None:
    page = visit.page
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def expect_refused_sign_in(visit: Visit, username: str, heading: str) -> Any:
    page = visit.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    summary = summary_of(visit)
    expect(summary.get_by_role("heading")).to_have_text(heading)
    expect(page.get_by_label("Username")).to_have_value(username)
    expect(page.get_by_label("Password", exact=True)).to_have_value("")
    assert "piri_session" not in cookies(visit)
    return summary


def test_sign_up_sign_in_and_out_and_each_person_sees_only_their_own_data(
    visit: Visit, browser: Any, viewport: str
) -> None:
    page = visit.page
    visit.go("/diary")
    page.wait_for_url(re.compile(r"/login\?next=/diary$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_role("navigation", name="Main")).to_have_count(0)
    assert_forms_carry_the_csrf_token(visit)
    visit.check_accessibility()
    visit.screenshot("sign-in")

    # Sign up: a password that is too short is refused with the rule; the username stays.
    page.get_by_role("link", name="Create an account").click()
    page.wait_for_url(re.compile(r"/signup\?next=/diary$"))
    assert_forms_carry_the_csrf_token(visit)
    visit.check_accessibility()

    # A form whose CSRF token is not this browser's (as another site would send) is refused.
    page.locator('form[action="/signup"] input[name="csrf_token"]').evaluate(
        "field => { field.value = 'made-up-elsewhere'; }"
    )
    sign_up(visit, "ana.runner")
    expect(page.get_by_role("heading", level=1)).to_have_text("Please try again")
    expect(page.locator("main")).to_contain_text(
        "This form has expired or did not come from Piri. Reload the page and try again."
    )
    assert "piri_session" not in cookies(visit)
    visit.go("/signup?next=/diary")
    sign_up(visit, "ana.runner", "short")
    summary = summary_of(visit)
    expect(summary.get_by_role("link")).to_have_text([TOO_SHORT])
    expect(page.locator("#error-password")).to_have_text(TOO_SHORT)
    expect(page.get_by_label("Username")).to_have_value("ana.runner")
    expect(page.get_by_label("Password", exact=True)).to_have_value("")
    expect(page.get_by_label("Password again")).to_have_value("")
    assert "piri_session" not in cookies(visit)
    visit.check_accessibility()
    visit.screenshot("password-too-short")

    sign_up(visit, "ana.runner")
    page.wait_for_url(re.compile(r"/diary$"))  # where the first page sent her to sign in
    session = cookies(visit)["piri_session"]
    assert session["httpOnly"] is True
    assert session["sameSite"] == "Lax"
    csrf = cookies(visit)["piri_csrf"]
    assert (csrf["httpOnly"], csrf["sameSite"]) == (True, "Strict")
    expect(page.get_by_role("button", name="Sign out (ana.runner)")).to_be_visible()
    assert_forms_carry_the_csrf_token(visit)  # the diary's forms and the sign-out button

    choose(visit, "Pain right now", "3")
    choose(visit, "Worst pain today", "5")
    page.get_by_label("Notes").fill("Ana's hill repeats")
    page.get_by_role("button", name="Save today").click()
    expect(page.get_by_role("status")).to_contain_text("Saved your entry")
    visit.check_accessibility()
    visit.screenshot("ana-diary")

    # Another person in another browser sees a diary of their own: empty.
    with another_browser(browser, visit.server, viewport, "accounts_ben") as ben:
        ben.go("/signup")
        sign_up(ben, "ben")
        ben.page.wait_for_url(re.compile(r"/$"))
        ben.go("/diary")
        expect(ben.page.get_by_role("heading", level=1)).to_have_text("Pain diary")
        expect(ben.page.get_by_role("button", name="Sign out (ben)")).to_be_visible()
        expect(ben.page.get_by_text("No days yet")).to_be_visible()
        expect(ben.page.get_by_text("Ana's hill repeats")).to_have_count(0)
        assert stored(ben)["diary"] == []
        ben.check_accessibility()
        ben.screenshot("ben-diary")
    assert [day["notes"] for day in stored(visit)["diary"]] == ["Ana's hill repeats"]

    # Sign out: the session cookie is gone and the diary asks to sign in again.
    page.get_by_role("button", name="Sign out (ana.runner)").click()
    page.wait_for_url(re.compile(r"/login\?signed_out=1$"))
    expect(page.get_by_role("status")).to_have_text("You are signed out.")
    assert "piri_session" not in cookies(visit)
    visit.go("/diary")
    page.wait_for_url(re.compile(r"/login\?next=/diary$"))

    # A wrong password and an unknown username get the same words: neither says which.
    sign_in(visit, "ana.runner", "not the password")
    summary = expect_refused_sign_in(visit, "ana.runner", "Sign-in failed")
    expect(summary.locator("p")).to_have_text(LOGIN_FAILED)
    visit.check_accessibility()
    visit.screenshot("wrong-password")
    sign_in(visit, "nobody.here", PASSWORD)
    summary = expect_refused_sign_in(visit, "nobody.here", "Sign-in failed")
    expect(summary.locator("p")).to_have_text(LOGIN_FAILED)

    sign_in(visit, "ANA.runner", PASSWORD)  # usernames are not case-sensitive
    page.wait_for_url(re.compile(r"/diary$"))
    expect(page.get_by_role("table").get_by_text("Ana's hill repeats")).to_be_visible()


def test_repeated_wrong_sign_ins_hit_the_rate_limit(visit: Visit) -> None:
    page = visit.page
    visit.go("/signup")
    sign_up(visit, "ana.runner")
    page.wait_for_url(re.compile(r"/$"))
    page.get_by_role("button", name="Sign out (ana.runner)").click()
    page.wait_for_url(re.compile(r"/login\?signed_out=1$"))

    for attempt in range(5):
        sign_in(visit, "ana.runner", f"guess number {attempt}")
        summary = expect_refused_sign_in(visit, "ana.runner", "Sign-in failed")
        expect(summary.locator("p")).to_have_text(LOGIN_FAILED)

    # The sixth try within the minute is refused before the password is looked at: even
    # the right one.
    sign_in(visit, "ana.runner", PASSWORD)
    summary = expect_refused_sign_in(visit, "ana.runner", "Please wait")
    expect(summary.locator("p")).to_have_text(RATE_LIMITED)
    found = RATE_LIMITED.match(summary.locator("p").inner_text())
    assert found and 1 <= int(found.group(1)) <= 60
    assert_forms_carry_the_csrf_token(visit)
    visit.check_accessibility()
    visit.screenshot("rate-limited")
    # The 429 answer is the point of this journey, not a problem of the page.
    visit.problems[:] = [p for p in visit.problems if "status of 429" not in p]
