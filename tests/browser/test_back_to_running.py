"""Browser journey through Back to running (/plan/run), at both viewports.

Before the criteria are met the page lists them, met and not, and offers no run. For a ready
runner: a run with its pain scores, then the next morning's tap, each answered with its
verdict; a run with no pain given comes back with the message and what was typed.
"""

from __future__ import annotations

import re
import subprocess
import sys

from tests.browser.conftest import Server, Visit
from tests.browser.test_session import answer_pain

MAKE_READY = """
import datetime as dt
from piri.content.models import Phase
from piri.domain.diary import DayEntry
from piri.services import diary as diary_service, program as coach
from piri.store import diary as diary_store, program as program_store
from piri.store.database import transaction
today = dt.date.today()
coach.update_profile(walks_30_min_pain_free=True, today=today)
with transaction(diary_service.store()) as session:
    owner = diary_store.person_id(session, diary_service.LOCAL_PERSON)
    program_store.save_phase(session, owner, Phase.RETURN_TO_RUN, today)
for back in range(4):
    diary_service.log_day(DayEntry(today - dt.timedelta(days=back), 1, 2), today=today)
"""


def make_ready(server: Server) -> None:
    subprocess.run([sys.executable, "-c", MAKE_READY], env=server.env, check=True, timeout=60)


def test_back_to_running_lists_the_criteria_then_judges_each_run(visit: Visit) -> None:
    page = visit.page
    visit.go("/plan/run")
    assert page.get_by_role("heading", level=1).inner_text() == "Back to running"
    criteria = page.get_by_role("region", name="Before the first run")
    assert "not met yet" in criteria.inner_text()
    assert page.get_by_role("heading", name="How did the run go?").count() == 0
    visit.check_accessibility()
    visit.screenshot("not-ready")

    make_ready(visit.server)
    visit.go("/plan/run")
    assert (
        "you can start with the first step"
        in page.get_by_role("region", name="Before the first run").inner_text()
    )
    assert (
        "run 1 min, walk 9 min, 3 times"
        in page.get_by_role("region", name=re.compile("^The first of 12 steps")).inner_text()
    )
    visit.check_accessibility()

    # A wrong input: no pain given. The message names it and the notes are kept.
    page.get_by_label("Notes (optional)").fill("windy")
    page.get_by_role("button", name="Keep this run").click()
    summary = page.get_by_role("alert").filter(has_text="Please check")
    assert "Pain during the run: choose a number from 0 to 10." in summary.inner_text()
    assert page.get_by_label("Notes (optional)").input_value() == "windy"
    visit.check_accessibility()
    visit.screenshot("wrong-input")

    answer_pain(page, "The highest pain during the run", 2)
    answer_pain(page, "Pain right after it", 2)
    page.get_by_role("button", name="Keep this run").click()
    page.wait_for_url(re.compile(r"/plan/run\?logged="))
    verdict = page.get_by_role("region", name=re.compile("is kept$"))
    assert "Waiting: it counts once tomorrow morning" in verdict.inner_text()
    assert "Step 1 of 12" in page.locator("#step-title").inner_text()
    visit.check_accessibility()
    visit.screenshot("run-kept")

    morning = page.get_by_role("region", name="How is the pain this morning?")
    morning.get_by_role("button", name="1", exact=True).click()
    page.wait_for_url(re.compile(r"/plan/run\?morning=1"))
    verdict = page.get_by_role("region", name="The next morning is kept")
    assert "Counted:" in verdict.inner_text()
    assert "1 of 2" in page.get_by_role("region", name=re.compile("^Step 1 of 12")).inner_text()
    history = page.get_by_role("table").filter(has_text="Pain during / after / next morning")
    assert history.locator("tbody tr").count() == 1
    visit.check_accessibility()
    visit.screenshot("morning-counted")
