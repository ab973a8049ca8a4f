"""The plan as calendar entries (pure): which days, what each says, and how entries change."""

from __future__ import annotations

import datetime as dt

import pytest

from piri.content.loader import library
from piri.content.models import Phase
from piri.domain.calendar_plan import (
    DOSES_MAY_CHANGE,
    PAIN_RULE,
    CalendarInputError,
    EntryState,
    PlannedRunItem,
    calendar_items,
    check_weeks,
    exercise_items,
    hold_item,
    parse_time,
    reconcile,
    run_items,
    window,
)
from piri.domain.program import DayPlan, RunnerProfile, SecondsOf, week_plan

MONDAY = dt.date(2026, 3, 2)
WEDNESDAY = MONDAY + dt.timedelta(days=2)
NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(hours=5)


def week(days_per_week: int = 3, minutes: int = 20) -> list[DayPlan]:
    content = library()
    profile = RunnerProfile(
        painful_side="left", days_per_week=days_per_week, minutes_per_day=minutes
    )
    return week_plan(
        Phase.SETTLE, content.program, content.exercises, profile, [], SecondsOf(content.exercises)
    )


def names() -> dict[str, str]:
    return {key: e.name for key, e in library().exercises.items()}


def test_this_weeks_training_days_repeat_for_each_week_from_the_start_day() -> None:
    items = exercise_items(week(3), MONDAY, 4, names(), "Settle")
    assert len(items) == 3 * 4
    assert {item.day.weekday() for item in items} == {0, 2, 4}
    assert items[0].day == MONDAY and items[-1].day == MONDAY + dt.timedelta(days=25)
    assert all(item.kind == "exercise" for item in items)


def test_past_days_are_never_written_the_calendar_starts_on_the_start_day() -> None:
    items = exercise_items(week(3), WEDNESDAY, 1, names(), "Settle")
    # Wednesday, Friday, then next Monday: the Monday before the start is not there.
    assert [item.day for item in items] == [
        WEDNESDAY,
        WEDNESDAY + dt.timedelta(days=2),
        WEDNESDAY + dt.timedelta(days=5),
    ]
    assert window(WEDNESDAY, 1) == (WEDNESDAY, WEDNESDAY + dt.timedelta(days=6))


def test_an_entry_names_every_exercise_with_its_dose_the_pain_rule_and_that_doses_change() -> None:
    plan = week(3)[0]
    item = exercise_items(week(3), MONDAY, 1, names(), "Settle")[0]
    exercises = library().exercises
    for exercise, dose in plan.items:
        line = f"- {exercises[exercise].name}: {dose.describe().partition('; ')[0]}"
        assert line in item.description
    assert PAIN_RULE in item.description and DOSES_MAY_CHANGE in item.description
    assert item.description[0].startswith("Settle phase: about")
    assert item.minutes >= plan.minutes and item.minutes == round(item.minutes)
    assert item.key == "2026-03-02-exercise"
    assert "days a week" not in "\n".join(item.description[1:-2])


def test_runs_come_in_their_window_first_on_their_day_each_with_its_own_key() -> None:
    runs = [
        PlannedRunItem(MONDAY, "Walk-run, step 1 of 12", 20, ["Walk 4 min, run 1 min x 4."]),
        PlannedRunItem(MONDAY - dt.timedelta(days=1), "Walk-run, step 1 of 12", 20, []),
        PlannedRunItem(MONDAY + dt.timedelta(days=7), "Walk-run, step 1 of 12", 20, []),
        PlannedRunItem(MONDAY + dt.timedelta(days=3), "Walk-run, step 1 of 12", 20, ["a"]),
        PlannedRunItem(MONDAY + dt.timedelta(days=3), "Walk-run, step 1 of 12", 25, ["b"]),
    ]
    items = calendar_items(week(3), MONDAY, 1, names(), "Settle", runs)
    assert [(i.day.weekday(), i.kind) for i in items] == [
        (0, "run"),
        (0, "exercise"),
        (2, "exercise"),
        (3, "run"),
        (3, "run"),
        (4, "exercise"),
    ]
    run_keys = [i.key for i in items if i.kind == "run"]
    assert run_keys == ["2026-03-02-run", "2026-03-05-run", "2026-03-05-run-2"]
    assert len({i.key for i in items}) == len(items)
    first = items[0]
    assert first.title == "Piri: Walk-run, step 1 of 12"
    assert first.description == ("About 20 minutes.", "Walk 4 min, run 1 min x 4.")
    assert run_items(runs, MONDAY, MONDAY) == [first]


def test_the_hold_is_one_all_day_entry_with_one_key_whatever_the_day() -> None:
    one = hold_item(MONDAY, ["Get seen today."])
    other = hold_item(WEDNESDAY, ["Get seen today."])
    assert one.all_day and one.minutes == 0 and one.description == ("Get seen today.",)
    assert one.key == other.key == "hold"


@pytest.mark.parametrize("weeks", [0, 13, -1])
def test_weeks_outside_one_to_twelve_are_refused_naming_the_field(weeks: int) -> None:
    with pytest.raises(CalendarInputError) as refused:
        check_weeks(weeks)
    assert refused.value.field == "weeks"
    assert "expected 1 to 12" in refused.value.message


def test_times_of_day() -> None:
    assert parse_time("18:00", "exercise_time") == dt.time(18, 0)
    assert parse_time(" 7:05 ", "run_time") == dt.time(7, 5)
    for wrong in ("24:00", "7:60", "7", "seven", "\u0667:\u0660\u0660", "", "x" * 10_000, "\x00"):
        with pytest.raises(CalendarInputError) as refused:
            parse_time(wrong, "run_time")
        assert refused.value.field == "run_time"
        assert refused.value.message.startswith("run time: expected a time of day")
        assert len(refused.value.message) < 120


# --- reconcile --------------------------------------------------------------------------------


def test_a_new_entry_starts_at_sequence_zero_and_an_unchanged_one_keeps_everything() -> None:
    items = exercise_items(week(3), MONDAY, 1, names(), "Settle")
    first = reconcile({}, [(i, "a") for i in items], MONDAY, MONDAY + dt.timedelta(days=6), NOW)
    assert {s.sequence for s in first.values()} == {0}
    assert {s.modified for s in first.values()} == {NOW}
    again = reconcile(
        first, [(i, "a") for i in items], MONDAY, MONDAY + dt.timedelta(days=6), LATER
    )
    assert again == first


def test_a_changed_entry_goes_up_one_sequence_and_takes_the_new_time() -> None:
    items = exercise_items(week(3), MONDAY, 1, names(), "Settle")
    end = MONDAY + dt.timedelta(days=6)
    first = reconcile({}, [(i, "a") for i in items], MONDAY, end, NOW)
    changed = reconcile(
        first, [(items[0], "b"), *[(i, "a") for i in items[1:]]], MONDAY, end, LATER
    )
    assert changed[items[0].key].sequence == 1
    assert changed[items[0].key].modified == LATER
    assert changed[items[0].key].fingerprint == "b"
    assert all(changed[i.key] == first[i.key] for i in items[1:])


def test_a_day_no_longer_planned_is_cancelled_once_and_planned_again_goes_up_again() -> None:
    items = exercise_items(week(3), MONDAY, 1, names(), "Settle")
    end = MONDAY + dt.timedelta(days=6)
    first = reconcile({}, [(i, "a") for i in items], MONDAY, end, NOW)
    dropped = reconcile(first, [(i, "a") for i in items[1:]], MONDAY, end, LATER)
    gone = dropped[items[0].key]
    assert gone.cancelled and gone.sequence == 1 and gone.modified == LATER
    still = reconcile(dropped, [(i, "a") for i in items[1:]], MONDAY, end, LATER + LATER.resolution)
    assert still[items[0].key] == gone  # cancelled once, not again and again
    back = reconcile(still, [(i, "a") for i in items], MONDAY, end, LATER + dt.timedelta(hours=1))
    assert not back[items[0].key].cancelled and back[items[0].key].sequence == 2


def test_entries_outside_the_window_are_left_alone() -> None:
    old = EntryState("2026-02-23-exercise", dt.date(2026, 2, 23), "exercise", "t", 20, "a", 3, NOW)
    later = EntryState(
        "2026-04-27-exercise", dt.date(2026, 4, 27), "exercise", "t", 20, "a", 0, NOW
    )
    result = reconcile({old.key: old, later.key: later}, [], MONDAY, MONDAY, LATER)
    assert old.key not in result and later.key not in result
