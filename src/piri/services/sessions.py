"""Guided sessions: a routine from the library turned into a session plan."""

from __future__ import annotations

from piri.content.loader import library
from piri.domain.session import SIDES, PlannedExercise, SessionPlan, plan_session
from piri.services.library import InvalidChoiceError, get_routine


def plan_routine(routine_id: str, painful_side: str | None = None) -> SessionPlan:
    """The steps of a session through routine ``routine_id``.

    Raises :class:`NotFoundError` for an unknown routine and
    :class:`InvalidChoiceError` for a side other than left or right.
    """
    if painful_side is not None and painful_side not in SIDES:
        raise InvalidChoiceError("side", painful_side, SIDES)
    routine = get_routine(routine_id)
    exercises = library().exercises
    planned = [
        PlannedExercise(
            exercise=exercises[item.exercise],
            dose=item.dose or exercises[item.exercise].dose,
        )
        for item in routine.items
    ]
    return plan_session(routine.id, routine.name, planned, painful_side)
