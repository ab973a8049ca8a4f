"""The caseload: each alert rule and their order (pure), then the service on a real database
with a fixed number of SQL statements whatever the number of runners."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import event

from piri.domain.activity import Activity
from piri.domain.care import Access, Share
from piri.domain.caseload import (
    NOT_SHARED,
    AlertKind,
    AlertLevel,
    RunnerRecord,
    SessionDay,
    caseload_order,
    flare_alerts,
    latest_outcomes,
    load_flags,
    missed_session_alerts,
    pain_trend,
    red_flag_alerts,
    session_pain_alerts,
    summarise,
)
from piri.domain.diary import DayEntry
from piri.domain.outcomes import Direction
from piri.services import accounts, care
from piri.services import caseload as caseload_service
from piri.services import diary as diary_service
from piri.services.care import NoAccessError
from piri.store.database import transaction
from piri.store.models import DiaryEntry, OutcomeScore, Person, SessionRecord

TODAY = dt.date(2026, 3, 12)  # a Thursday
ALL = Access(tuple(Share))


def day(n: int) -> dt.date:
    """``n`` days before TODAY."""
    return TODAY - dt.timedelta(days=n)


def entry(n: int, worst: int) -> DayEntry:
    return DayEntry(day(n), pain_now=max(0, worst - 1), worst_pain=worst)


def record(**changes: Any) -> RunnerRecord:
    base: dict[str, Any] = {
        "phase": "strengthen",
        "days_per_week": 3,
        "phase_since": day(60),
        "last_check": None,
    }
    return RunnerRecord(**{**base, **changes})


URGENT_CHECK = {
    "urgency": "urgent",
    "red_flags": [{"id": "x", "urgency": "urgent", "title": "Leg weakness getting worse"}],
    "checked_on": day(1).isoformat(),
}


# --- each rule -----------------------------------------------------------------------------------


def test_a_standing_urgent_sign_is_an_urgent_alert_until_a_professional_has_seen_it() -> None:
    [alert] = red_flag_alerts(URGENT_CHECK)
    assert alert.kind is AlertKind.RED_FLAG and alert.level is AlertLevel.URGENT
    assert "Leg weakness getting worse" in alert.text and alert.day == day(1)
    seen = {**URGENT_CHECK, "seen_by_professional_on": TODAY.isoformat()}
    assert red_flag_alerts(seen) == []
    assert red_flag_alerts({"urgency": "self_care", "red_flags": []}) == []
    assert red_flag_alerts(None) == []


def test_a_soon_sign_is_a_soon_alert() -> None:
    check = {
        "urgency": "soon",
        "red_flags": [{"urgency": "soon", "title": "Night pain"}],
        "checked_on": day(3).isoformat(),
    }
    [alert] = red_flag_alerts(check)
    assert alert.level is AlertLevel.SOON


def test_a_rise_that_matters_against_the_day_before_is_a_flare() -> None:
    [alert] = flare_alerts([entry(3, 3), entry(2, 3), entry(1, 6)], TODAY)
    assert alert.kind is AlertKind.PAIN_FLARE and alert.day == day(1)
    assert "6/10, up from 3/10" in alert.text
    # a rise of 1 from 4 is less than 2 points and 30%; a gap of 3 days is not compared
    assert flare_alerts([entry(2, 4), entry(1, 5)], TODAY) == []
    assert flare_alerts([entry(4, 2), entry(1, 7)], TODAY) == []
    # older than a week: not news
    assert flare_alerts([entry(10, 2), entry(9, 7)], TODAY) == []


def test_a_session_above_five_out_of_ten_is_flagged_and_five_is_not() -> None:
    sessions = [SessionDay(day(2), 4, 6), SessionDay(day(1), 5, 5), SessionDay(day(9), 9, 9)]
    [alert] = session_pain_alerts(sessions, TODAY)
    assert alert.kind is AlertKind.SESSION_PAIN and alert.day == day(2)
    assert "pain 6/10, above the 5/10" in alert.text
    assert session_pain_alerts([SessionDay(day(1), 5, None)], TODAY) == []


def test_three_planned_sessions_in_a_row_not_done_is_an_alert() -> None:
    # three a week: Monday, Wednesday, Friday. TODAY is Thursday 12 March.
    # planned before today: Fri 6, Mon 9, Wed 11; the last session was Thursday 5.
    missed = record(sessions=[SessionDay(day(7), None, None)], first_session=day(40))
    [alert] = missed_session_alerts(missed, TODAY)
    assert alert.kind is AlertKind.MISSED_SESSIONS and "since 2026-03-06" in alert.text
    # Monday's session done on Tuesday counts for Monday
    late = record(sessions=[SessionDay(day(2), None, None)], first_session=day(40))
    assert missed_session_alerts(late, TODAY) == []
    # a program that began this week has not had three planned days yet
    new = record(phase_since=day(2), first_session=None)
    assert missed_session_alerts(new, TODAY) == []
    assert missed_session_alerts(record(phase_since=None), TODAY) == []


def test_pain_trend_compares_two_weeks_and_says_the_direction() -> None:
    diary = [entry(n, 6) for n in range(7, 14)] + [entry(n, 3) for n in range(0, 7)]
    trend = pain_trend(diary, TODAY)
    assert trend is not None and trend.change is not None
    assert trend.change.direction is Direction.BETTER and trend.change.meaningful
    assert "better, a real change" in trend.text
    few = pain_trend([entry(1, 3), entry(8, 6)], TODAY)
    assert few is not None and few.change is None and "Too few diary days" in few.text
    assert pain_trend([entry(20, 3)], TODAY) is None


def test_outcomes_say_whether_the_change_reaches_the_change_that_matters() -> None:
    scores = [
        (day(60), "lefs", 40.0),
        (day(30), "lefs", 48.0),
        (day(50), "psfs", 3.0),
        (day(5), "psfs", 4.5),
    ]
    lefs, psfs = latest_outcomes(scores)
    assert lefs.score == 48 and lefs.change is not None and not lefs.change.meaningful
    assert "does not reach the change that matters" in lefs.text
    assert psfs.change is not None and psfs.change.meaningful and "reaches" in psfs.text
    [first] = latest_outcomes([(day(5), "lefs", 30.0)])
    assert first.change is None and "the first one" in first.text


def run(n: int, km: float) -> Activity:
    start = dt.datetime.combine(day(n), dt.time(7), tzinfo=dt.UTC)
    return Activity("fit", "running", None, start, 0, km * 360, km * 360, km * 1000)


def test_load_flags_show_a_spike_of_the_last_week_and_the_ratio() -> None:
    activities = [run(n, 5) for n in range(40, 3, -3)] + [run(1, 12)]
    diary = [entry(n, 2) for n in range(0, 45)]
    flags = load_flags(activities, diary, TODAY)
    assert flags is not None
    assert [d for d, _ in flags.spikes] == [day(1)]
    assert "more than twice as long" in flags.spikes[0][1]
    assert flags.ratio is not None and flags.ratio_reliable
    assert load_flags([], diary, TODAY) is None


# --- the summary and the order -------------------------------------------------------------------


def test_what_is_not_shared_is_not_shared_and_its_alerts_are_not_checked() -> None:
    full = record(
        last_check=URGENT_CHECK,
        diary=[entry(2, 2), entry(1, 7)],
        sessions=[SessionDay(day(1), 8, 8)],
    )
    only_runs = summarise(full, Access((Share.RUNS,)), TODAY)
    assert only_runs.adherence is NOT_SHARED
    assert only_runs.pain_trend is NOT_SHARED and only_runs.outcomes is NOT_SHARED
    assert only_runs.load is None  # shared, and no runs
    assert only_runs.alerts == []
    assert len(only_runs.not_checked) == 3
    everything = summarise(full, ALL, TODAY)
    assert [a.kind for a in everything.alerts] == [
        AlertKind.RED_FLAG,
        AlertKind.PAIN_FLARE,
        AlertKind.SESSION_PAIN,
    ]
    assert everything.not_checked == []


def test_the_caseload_puts_the_most_urgent_runner_first() -> None:
    calm = summarise(record(), ALL, TODAY)
    flare = summarise(record(diary=[entry(2, 2), entry(1, 7)]), ALL, TODAY)
    urgent = summarise(record(last_check=URGENT_CHECK), ALL, TODAY)
    ordered = sorted([calm, flare, urgent], key=caseload_order)
    assert ordered == [urgent, flare, calm]


# --- the service, on SQLite ----------------------------------------------------------------------


@pytest.fixture
def clinic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Bea, a clinician; runners are added by :func:`add_runners`."""
    monkeypatch.setenv("PIRI_HOME", str(tmp_path))
    monkeypatch.delenv("PIRI_DATABASE_URL", raising=False)
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(accounts, "_hasher", lambda: cheap)
    diary_service.close_engines()
    bea = accounts.sign_up("bea", "correct horse battery").person
    care.set_clinician(bea, True)
    yield bea
    diary_service.close_engines()


def add_runners(clinician: str, first: int, count: int, shares: list[str] | None = None) -> None:
    for number in range(first, first + count):
        runner = accounts.sign_up(f"runner{number}", "correct horse battery").person
        invitation = care.invite_clinician(runner, shares)
        assert invitation.code is not None
        care.accept_invitation(clinician, invitation.code)
        with transaction(diary_service.store()) as session:
            owner = session.query(Person).filter_by(name=runner).one().id
            for n in range(14):
                session.add(DiaryEntry(person_id=owner, day=day(n), pain_now=2, worst_pain=3))
            session.add(
                SessionRecord(
                    person_id=owner,
                    day=day(1),
                    routine="r",
                    phase="settle",
                    exercises=[],
                    pain_during=7,
                    pain_after=4,
                )
            )
            session.add(OutcomeScore(person_id=owner, day=day(3), instrument="lefs", score=50))


def count_statements(action: Any) -> int:
    engine = diary_service.store()
    seen: list[str] = []

    def before(*args: Any) -> None:
        seen.append(args[2])

    event.listen(engine, "before_cursor_execute", before)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", before)
    return len(seen)


def test_the_caseload_costs_the_same_queries_for_2_runners_as_for_12(clinic: str) -> None:
    add_runners(clinic, 0, 2)
    two = count_statements(lambda: caseload_service.caseload(clinic, TODAY))
    assert len(caseload_service.caseload(clinic, TODAY)) == 2
    add_runners(clinic, 2, 10)
    twelve = count_statements(lambda: caseload_service.caseload(clinic, TODAY))
    lines = caseload_service.caseload(clinic, TODAY)
    assert len(lines) == 12
    assert two == twelve, (two, twelve)
    # every runner has the session above 5/10, read from the database
    assert all([a.kind for a in line.summary.alerts] == [AlertKind.SESSION_PAIN] for line in lines)
    assert all(line.summary.outcomes != [] for line in lines)


def test_a_runner_who_shares_only_runs_shows_nothing_else(clinic: str) -> None:
    add_runners(clinic, 0, 1, shares=["runs"])
    [line] = caseload_service.caseload(clinic, TODAY)
    assert line.summary.pain_trend is NOT_SHARED and line.summary.adherence is NOT_SHARED
    assert line.summary.alerts == []


def test_one_runner_and_their_progress_are_refused_after_withdrawal(clinic: str) -> None:
    add_runners(clinic, 0, 1)
    assert len(caseload_service.caseload(clinic, TODAY)) == 1
    line = caseload_service.runner_summary(clinic, "runner0", TODAY)
    assert line.username == "runner0"
    progress = caseload_service.shared_progress(clinic, "runner0", TODAY)
    assert progress.not_shared == [] and progress.detail.progress.scores
    runner = accounts.find_account("runner0")
    assert runner is not None
    [link] = care.care_team(runner.person)
    care.withdraw(runner.person, link.id)
    with pytest.raises(NoAccessError):
        caseload_service.runner_summary(clinic, "runner0", TODAY)
    with pytest.raises(NoAccessError):
        caseload_service.shared_progress(clinic, "runner0", TODAY)
    assert caseload_service.caseload(clinic, TODAY) == []
    what = [entry.what for entry in care.audit_log(runner.person)]
    assert "progress" in what and "summary" in what and "caseload" in what


def test_a_kept_summary_is_read_again_once_the_runner_s_data_changes(clinic: str) -> None:
    add_runners(clinic, 0, 2)
    first = count_statements(lambda: caseload_service.caseload(clinic, TODAY))
    again = count_statements(lambda: caseload_service.caseload(clinic, TODAY))
    assert again < first  # nothing changed: only the links, the audit and the versions
    runner = accounts.find_account("runner1")
    assert runner is not None
    flare = DayEntry(TODAY, pain_now=8, worst_pain=9)
    diary_service.log_day(flare, person=runner.person, today=TODAY)
    lines = {line.username: line for line in caseload_service.caseload(clinic, TODAY)}
    assert AlertKind.PAIN_FLARE in [a.kind for a in lines["runner1"].summary.alerts]
    assert AlertKind.PAIN_FLARE not in [a.kind for a in lines["runner0"].summary.alerts]
