"""Simulated courses through the program, on the real service layer and a real database.

A scripted runner trains on the days the plan gives, records pain after each session and the
next morning, and keeps a diary. One recovers and reaches the return-to-running phase within
eight weeks; one flares, steps back, and never has a dose raised on a flare.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from piri.content.models import Phase
from piri.domain.diary import DayEntry
from piri.services import diary as diary_service
from piri.services import program as coach

START = dt.date(2026, 1, 5)  # a Monday


@pytest.fixture(autouse=True)
def private_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("PIRI_HOME", str(tmp_path))
    monkeypatch.delenv("PIRI_DATABASE_URL", raising=False)
    diary_service.close_engines()
    yield
    diary_service.close_engines()


def run_course(
    weeks: int, pain_on: Callable[[int, Phase], tuple[int, int, int]], walks_from_week: int = 3
) -> tuple[list[Phase], list[str], list[tuple[str, int, int]]]:
    """Train for ``weeks``; ``pain_on(day_number, phase)`` gives (during, after, next morning)."""
    coach.update_profile(
        painful_side="left",
        equipment=["chair", "mini_band", "step"],
        minutes_per_day=25,
        days_per_week=3,
        today=START,
    )
    phases, decisions, doses = [], [], []
    for number in range(weeks * 7):
        today = START + dt.timedelta(days=number)
        if number == walks_from_week * 7:
            coach.update_profile(walks_30_min_pain_free=True, today=today)
        week, day = coach.today_plan(today=today)
        during, after, morning = pain_on(number, week.phase.id)
        diary_service.log_day(DayEntry(today, min(morning, after), max(during, after)), today=today)
        if day.rest_day:
            continue
        done = [coach.ExerciseDone(e, d.sets, d.sets, "done") for e, d in day.items]
        coach.record_session(today, week.phase.id, done, during, after)
        result = coach.record_morning(morning, today=today + dt.timedelta(days=1))
        decisions += result.decisions
        phases.append(coach.this_week(today=today + dt.timedelta(days=1)).phase.id)
        doses += [(s.dose.exercise, s.dose.sets, s.dose.reps) for s in week.slots]
    return phases, decisions, doses


def test_a_runner_who_responds_well_reaches_the_return_to_running_phase_in_eight_weeks() -> None:
    def settling(number: int, phase: Phase) -> tuple[int, int, int]:
        week = number // 7
        level = max(1, 5 - week)  # pain eases a point a week, to 1/10
        return level, level, 1 if week > 3 else 2

    phases, decisions, doses = run_course(8, settling)
    assert phases[0] is Phase.SETTLE
    assert Phase.STRENGTHEN in phases
    assert phases[-1] is Phase.RETURN_TO_RUN
    assert any(d for d in decisions if "Moving up" in d)
    # Strength went up by reps, then sets, and a harder rung was reached on some ladder.
    assert max(reps for _, _, reps in doses) == 12
    assert max(sets for _, sets, _ in doses) >= 3
    assert {"side-lying-hip-abduction", "single-leg-bridge"} & {e for e, _, _ in doses}


def test_a_runner_who_flares_steps_back_and_is_never_moved_up_on_a_flare() -> None:
    def flaring(number: int, phase: Phase) -> tuple[int, int, int]:
        week = number // 7
        if week < 2:
            return 3, 3, 2  # settles at first
        return 7, 7, 6  # then every session flares

    phases, decisions, _doses = run_course(6, flaring)
    assert Phase.RETURN_TO_RUN not in phases
    flare_decisions = decisions[-6:]
    assert all("Moving up" not in d for d in flare_decisions)
    assert any("Stepping back" in d or "pain check: step back" in d.lower() for d in decisions)
    assert phases[-1] is Phase.SETTLE
