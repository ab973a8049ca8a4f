"""The latest symptom check holds the exercise sessions when it found an urgent sign."""

from __future__ import annotations

import datetime as dt

import pytest

from piri.content.check_models import Urgency
from piri.domain.exercise_hold import (
    CHECKED_ON,
    check_reminder,
    cleared_reminder,
    exercise_hold,
    seen_by_professional,
)
from piri.domain.triage import NO_EXERCISE_UNTIL_SEEN, STOP_RUNNING_UNTIL_SEEN
from piri.services.check import result_as_json, run_check
from tests.check_answers import typical_piriformis

DAY = dt.date(2026, 11, 30)


def stored(**answers: object) -> dict[str, object]:
    result = result_as_json(run_check({**typical_piriformis(), **answers}))
    return {**result, CHECKED_ON: DAY.isoformat()}


def test_an_emergency_or_urgent_result_holds_the_exercises_with_its_signs() -> None:
    emergency = exercise_hold(stored(saddle_numbness=True))
    assert emergency is not None and emergency.urgency is Urgency.EMERGENCY
    assert emergency.action == "Go to an emergency department now."
    assert emergency.signs and emergency.checked_on == DAY
    assert emergency.what_it_means == NO_EXERCISE_UNTIL_SEEN
    urgent = exercise_hold(stored(fever_or_unwell=True))
    assert urgent is not None and urgent.urgency is Urgency.URGENT
    assert urgent.action == "Get seen by a doctor today."


def test_a_result_without_urgent_signs_holds_nothing() -> None:
    assert exercise_hold(stored()) is None
    assert check_reminder(stored()) is None
    assert check_reminder(None) is None and check_reminder({}) is None


@pytest.mark.parametrize("urgency", ["soon"])
def test_a_soon_result_reminds_without_holding(urgency: str) -> None:
    result = {"urgency": urgency, "red_flags": [], "next_steps": []}
    reminder = check_reminder(result)
    assert reminder is not None and not reminder.holds_exercise
    assert reminder.action.startswith("Book an appointment")
    assert exercise_hold(result) is None
    stop = check_reminder({**result, "next_steps": [STOP_RUNNING_UNTIL_SEEN]})
    assert stop is not None and stop.stops_running
    assert stop.what_it_means == STOP_RUNNING_UNTIL_SEEN


def test_seen_by_a_professional_clears_the_hold_and_keeps_the_day() -> None:
    held = stored(saddle_numbness=True)
    cleared = seen_by_professional(held, DAY + dt.timedelta(days=1))
    assert exercise_hold(cleared) is None and check_reminder(cleared) is None
    assert cleared["seen_by_professional_on"] == "2026-12-01"
    assert cleared["urgency"] == "emergency"  # the result itself is kept as it was


def test_a_damaged_stored_result_holds_nothing_rather_than_failing() -> None:
    assert check_reminder({"urgency": "no such level"}) is None
    odd = check_reminder({"urgency": "urgent", "red_flags": ["not a flag"], CHECKED_ON: "x"})
    assert odd is not None and odd.signs == () and odd.checked_on is None


def test_what_was_cleared_is_read_back_from_the_stored_result() -> None:
    held = stored(saddle_numbness=True)
    assert cleared_reminder(held) is None and cleared_reminder(None) is None
    cleared = cleared_reminder(seen_by_professional(held, DAY + dt.timedelta(days=2)))
    assert cleared is not None and cleared.seen_on == dt.date(2026, 12, 2)
    assert cleared.reminder == exercise_hold(held)
    # Marked, but with a day Piri cannot read, or on a result that asked for nothing.
    assert cleared_reminder({**held, "seen_by_professional_on": "x"}) is None
    assert cleared_reminder(seen_by_professional(stored(), DAY)) is None


def test_only_a_real_day_in_the_seen_mark_clears_the_hold() -> None:
    held = stored(saddle_numbness=True)
    assert exercise_hold({**held, "seen_by_professional_on": "yes"}) is not None
    assert exercise_hold({**held, "seen_by_professional_on": 1}) is not None
