"""Phase rules at their boundaries, strength ladders by equipment, the week within its minutes."""

from __future__ import annotations

import datetime as dt

import pytest

from piri.content.loader import load_library
from piri.content.models import Phase
from piri.domain.diary import DayEntry
from piri.domain.program import (
    FLARE_WORST_PAIN,
    RETURN_TO_RUN_WORST_PAIN,
    SETTLE_EXIT_WORST_PAIN,
    STRENGTHEN_MIN_WEEKS,
    RunnerProfile,
    SecondsOf,
    SessionOutcome,
    first_prescription,
    next_phase,
    open_ladders,
    training_weekdays,
    week_plan,
)

CONTENT = load_library()
TODAY = dt.date(2026, 3, 2)


def diary(worst: int, days: int = 7) -> list[DayEntry]:
    return [DayEntry(TODAY - dt.timedelta(days=n), min(worst, 2), worst) for n in range(days)]


def sessions(count: int, stepped_back: bool = False) -> list[SessionOutcome]:
    return [SessionOutcome(TODAY - dt.timedelta(days=n), True, stepped_back) for n in range(count)]


def settle(since_days: int, worst: int, count: int = 3, stepped_back: bool = False) -> Phase:
    since = TODAY - dt.timedelta(days=since_days)
    decision = next_phase(
        Phase.SETTLE, since, TODAY, diary(worst), sessions(count, stepped_back), RunnerProfile()
    )
    return decision.phase


def test_settle_moves_on_only_when_every_condition_holds() -> None:
    assert settle(7, SETTLE_EXIT_WORST_PAIN) is Phase.STRENGTHEN
    assert settle(6, SETTLE_EXIT_WORST_PAIN) is Phase.SETTLE  # under a week
    assert settle(7, SETTLE_EXIT_WORST_PAIN + 1) is Phase.SETTLE  # pain above 5
    assert settle(7, 2, count=2) is Phase.SETTLE  # two sessions only
    assert settle(7, 2, stepped_back=True) is Phase.SETTLE  # a step back this week


def strengthen(weeks: int, worst: int, walks: bool = True) -> Phase:
    since = TODAY - dt.timedelta(weeks=weeks)
    profile = RunnerProfile(walks_30_min_pain_free=walks)
    return next_phase(Phase.STRENGTHEN, since, TODAY, diary(worst), sessions(3), profile).phase


def test_strengthen_moves_to_running_after_six_weeks_mild_pain_and_a_pain_free_walk() -> None:
    assert strengthen(STRENGTHEN_MIN_WEEKS, RETURN_TO_RUN_WORST_PAIN) is Phase.RETURN_TO_RUN
    assert strengthen(STRENGTHEN_MIN_WEEKS - 1, 1) is Phase.STRENGTHEN
    assert strengthen(STRENGTHEN_MIN_WEEKS, RETURN_TO_RUN_WORST_PAIN + 1) is Phase.STRENGTHEN
    assert strengthen(STRENGTHEN_MIN_WEEKS, 1, walks=False) is Phase.STRENGTHEN


def test_a_flare_goes_back_to_settle_and_says_why() -> None:
    assert strengthen(2, FLARE_WORST_PAIN) is Phase.STRENGTHEN
    decision = next_phase(
        Phase.STRENGTHEN,
        TODAY - dt.timedelta(weeks=3),
        TODAY,
        diary(FLARE_WORST_PAIN + 1),
        sessions(3),
        RunnerProfile(),
    )
    assert decision.phase is Phase.SETTLE
    assert decision.why.startswith("Back to the settle phase: your worst pain averaged 6.0/10")


def test_ladders_open_by_week_and_skip_rungs_without_the_equipment() -> None:
    bare = RunnerProfile(equipment=frozenset())
    ladders = open_ladders(CONTENT.program, CONTENT.exercises, bare, week_of_strengthen=1)
    assert ladders == [["side-lying-hip-abduction", "side-plank"]]  # no band: no clamshell
    later = open_ladders(CONTENT.program, CONTENT.exercises, bare, week_of_strengthen=5)
    assert ["glute-bridge", "single-leg-bridge"] in later
    assert all("step-down" not in ladder for ladder in later)  # no step
    assert first_prescription(ladders[0]).harder == "side-plank"


@pytest.mark.parametrize("days", range(1, 8))
def test_the_week_has_the_asked_number_of_days_each_within_the_minutes(days: int) -> None:
    profile = RunnerProfile(equipment=frozenset({"chair"}), minutes_per_day=12, days_per_week=days)
    ladders = open_ladders(CONTENT.program, CONTENT.exercises, profile, 5)
    week = week_plan(
        Phase.STRENGTHEN,
        CONTENT.program,
        CONTENT.exercises,
        profile,
        [first_prescription(ladder) for ladder in ladders],
        SecondsOf(CONTENT.exercises),
    )
    training = [day for day in week if not day.rest_day]
    assert len(training) == days
    assert all(day.minutes <= 12 or len(day.items) == 1 for day in training)
    if days == 3:
        assert training_weekdays(3) == (0, 2, 4)  # strength days not back to back


def test_a_wrong_number_of_days_is_refused() -> None:
    with pytest.raises(ValueError, match="days a week: expected 1 to 7, got 8"):
        training_weekdays(8)
