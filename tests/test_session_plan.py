"""Turning a routine's exercises and doses into the steps of a session (pure domain)."""

from __future__ import annotations

from typing import Any

import pytest

from piri.content.models import Exercise
from piri.domain.session import (
    BETWEEN_HOLDS_SECONDS,
    GET_READY_SECONDS,
    SWITCH_SIDES_SECONDS,
    ExerciseStatus,
    PlannedExercise,
    SessionLog,
    StepKind,
    StepOutcome,
    plan_session,
)

SOURCE = {"title": "A source", "url": "https://example.org/source"}


def exercise(exercise_id: str, **dose: Any) -> PlannedExercise:
    model = Exercise.model_validate(
        {
            "id": exercise_id,
            "name": exercise_id.replace("-", " ").title(),
            "purpose": "Test purpose.",
            "targets": ["strength"],
            "phases": ["settle"],
            "starting_position": "Lie on your back.",
            "steps": ["Do one thing.", "Do the next thing."],
            "cues": ["A cue."],
            "common_mistakes": ["A mistake."],
            "avoid_if": ["A reason."],
            "sources": [SOURCE],
            "dose": {"days_per_week": 3, **dose},
        }
    )
    return PlannedExercise(exercise=model, dose=model.dose)


def test_reps_on_each_side_alternate_sides_within_every_set_with_rest_between_sets() -> None:
    clam = exercise("clam", sets=3, reps=10, rep_seconds=4, rest_seconds=30, sides="each")
    plan = plan_session("r", "Routine", [clam])
    kinds = [step.kind for step in plan.steps]
    assert kinds == [
        StepKind.GET_READY,
        *[StepKind.REPS, StepKind.SWITCH_SIDES, StepKind.REPS, StepKind.REST] * 2,
        StepKind.REPS,
        StepKind.SWITCH_SIDES,
        StepKind.REPS,
    ]
    work = [step for step in plan.steps if step.kind is StepKind.REPS]
    assert [(s.set_number, s.side) for s in work] == [
        (1, "left"),
        (1, "right"),
        (2, "left"),
        (2, "right"),
        (3, "left"),
        (3, "right"),
    ]
    assert all(s.reps == 10 and s.seconds == 40 for s in work)
    assert plan.total_seconds == GET_READY_SECONDS + 6 * 40 + 3 * SWITCH_SIDES_SECONDS + 2 * 30


def test_the_painful_side_goes_first() -> None:
    clam = exercise("clam", sets=1, reps=10, sides="each")
    plan = plan_session("r", "Routine", [clam], painful_side="right")
    sides = [s.side for s in plan.steps if s.kind is StepKind.REPS]
    assert sides == ["right", "left"]
    assert plan.steps[0].text.startswith("Get ready on the right side.")


def test_a_painful_side_only_exercise_uses_the_side_given_or_says_your_painful_side() -> None:
    floss = exercise("floss", sets=2, reps=10, sides="painful", rest_seconds=20)
    with_side = plan_session("r", "Routine", [floss], painful_side="left")
    assert {s.side for s in with_side.steps if s.kind.is_work} == {"left"}
    assert StepKind.SWITCH_SIDES not in {s.kind for s in with_side.steps}
    without_side = plan_session("r", "Routine", [floss])
    texts = [s.text for s in without_side.steps if s.kind.is_work]
    assert texts == ["10 slow reps on your painful side."] * 2


def test_holds_become_one_timed_step_each_with_a_short_relax_between() -> None:
    stretch = exercise("stretch", sets=1, reps=3, hold_seconds=30, sides="each")
    plan = plan_session("r", "Routine", [stretch])
    left = [s for s in plan.steps if s.side == "left" and s.kind is not StepKind.GET_READY]
    assert [(s.kind, s.seconds, s.rep_number) for s in left] == [
        (StepKind.HOLD, 30, 1),
        (StepKind.RELAX, BETWEEN_HOLDS_SECONDS, None),
        (StepKind.HOLD, 30, 2),
        (StepKind.RELAX, BETWEEN_HOLDS_SECONDS, None),
        (StepKind.HOLD, 30, 3),
    ]


def test_a_timed_exercise_for_both_legs_is_one_step_per_set() -> None:
    walk = exercise("walk", sets=2, duration_seconds=60, sides="none", rest_seconds=45)
    plan = plan_session("r", "Routine", [walk])
    assert [(s.kind, s.seconds, s.side) for s in plan.steps[1:]] == [
        (StepKind.TIMED, 60, None),
        (StepKind.REST, 45, None),
        (StepKind.TIMED, 60, None),
    ]


def test_no_rest_step_when_the_dose_has_no_rest() -> None:
    roll = exercise("roll", sets=2, duration_seconds=45, sides="none", rest_seconds=0)
    plan = plan_session("r", "Routine", [roll])
    assert StepKind.REST not in {s.kind for s in plan.steps}


def test_exercises_keep_their_routine_order_and_index() -> None:
    plan = plan_session(
        "r",
        "Routine",
        [exercise("a", sets=1, reps=5, sides="none"), exercise("b", sets=1, reps=5, sides="none")],
    )
    assert [s.exercise_id for s in plan.steps] == ["a", "a", "b", "b"]
    assert [s.exercise_index for s in plan.steps] == [0, 0, 1, 1]
    assert [s.exercise_id for s in plan.steps_of(1)] == ["b", "b"]


def test_a_side_other_than_left_or_right_is_refused() -> None:
    with pytest.raises(ValueError, match="left' or 'right"):
        plan_session("r", "Routine", [exercise("a", sets=1, reps=5, sides="each")], "both")


def test_the_summary_says_what_was_done_partly_done_skipped_stopped_and_not_reached() -> None:
    plan = plan_session(
        "r",
        "Routine",
        [
            exercise("done", sets=1, reps=5, sides="none"),
            exercise("partly", sets=2, reps=5, sides="none", rest_seconds=0),
            exercise("skipped", sets=1, reps=5, sides="none"),
            exercise("stopped", sets=1, reps=5, sides="none"),
            exercise("never", sets=1, reps=5, sides="none"),
        ],
    )
    log = SessionLog(plan)
    outcomes = [
        StepOutcome.DONE,  # done: get ready
        StepOutcome.DONE,  # done: the set
        StepOutcome.DONE,  # partly: get ready
        StepOutcome.DONE,  # partly: set 1
        StepOutcome.SKIPPED,  # partly: set 2
        StepOutcome.SKIPPED,  # skipped: get ready
        StepOutcome.SKIPPED,  # skipped: the set
    ]
    for number, outcome in enumerate(outcomes):
        log.record(number, outcome, 10.0)
    log.stopped_at = 8  # quit during the set of "stopped", after its get-ready step
    log.record(7, StepOutcome.DONE, 0.0)
    summary = log.summary()
    assert [(e.exercise_id, e.status, e.work_done, e.work_planned) for e in summary.exercises] == [
        ("done", ExerciseStatus.DONE, 1, 1),
        ("partly", ExerciseStatus.PARTLY_DONE, 1, 2),
        ("skipped", ExerciseStatus.SKIPPED, 0, 1),
        ("stopped", ExerciseStatus.STOPPED, 0, 1),
        ("never", ExerciseStatus.NOT_REACHED, 0, 1),
    ]
    assert summary.exercises[0].active_seconds == 10.0
    assert summary.done_count == 1
    assert not summary.finished
    assert summary.elapsed_seconds == 70.0


def test_recording_a_step_the_plan_does_not_have_is_an_error() -> None:
    log = SessionLog(plan_session("r", "Routine", [exercise("a", sets=1, reps=5, sides="none")]))
    with pytest.raises(IndexError):
        log.record(99, StepOutcome.DONE, 1.0)
