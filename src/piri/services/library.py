"""Finding things in the content library by id, with suggestions for typos."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from piri.content.loader import library
from piri.content.models import (
    Equipment,
    Exercise,
    KnowledgeSection,
    Routine,
    SafetyNotice,
    Target,
)


class NotFoundError(LookupError):
    """An id that names nothing; carries close matches and everything that exists."""

    def __init__(self, kind: str, wanted: str, available: Iterable[str]) -> None:
        self.kind = kind
        self.wanted = wanted
        self.available = sorted(available)
        self.suggestions = difflib.get_close_matches(wanted, self.available, n=3, cutoff=0.5)
        hint = f" Did you mean {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"There is no {kind} called '{wanted}'.{hint}")


class InvalidChoiceError(ValueError):
    """A filter value outside its fixed set of choices."""

    def __init__(self, option: str, value: str, choices: Iterable[str]) -> None:
        self.option = option
        self.choices = list(choices)
        super().__init__(
            f"'{value}' is not a valid {option}; choose one of: {', '.join(self.choices)}."
        )


def get_exercise(exercise_id: str) -> Exercise:
    exercises = library().exercises
    if exercise_id not in exercises:
        raise NotFoundError("exercise", exercise_id, exercises)
    return exercises[exercise_id]


def get_routine(routine_id: str) -> Routine:
    routines = library().routines
    if routine_id not in routines:
        raise NotFoundError("routine", routine_id, routines)
    return routines[routine_id]


def list_routines() -> list[Routine]:
    return list(library().routines.values())


def list_sections() -> list[KnowledgeSection]:
    return library().sections


def get_section(section_id: str) -> KnowledgeSection:
    section = library().section(section_id)
    if section is None:
        raise NotFoundError("section", section_id, (s.id for s in library().sections))
    return section


NO_EQUIPMENT = "none"


def find_exercises(target: str | None = None, equipment: str | None = None) -> list[Exercise]:
    """Exercises that work on ``target`` and use ``equipment``, sorted by name.

    ``equipment="none"`` keeps only the exercises that need no equipment at all.
    """
    wanted_target = _parse(Target, "target", target)
    choices = [*(e.value for e in Equipment), NO_EQUIPMENT]
    if equipment is not None and equipment not in choices:
        raise InvalidChoiceError("equipment", equipment, choices)
    found = []
    for exercise in library().exercises.values():
        if wanted_target and wanted_target not in exercise.targets:
            continue
        if equipment == NO_EQUIPMENT and exercise.equipment:
            continue
        if equipment not in (None, NO_EQUIPMENT) and equipment not in exercise.equipment:
            continue
        found.append(exercise)
    return sorted(found, key=lambda e: e.name)


def _parse(enum: type[Target], option: str, value: str | None) -> Target | None:
    if value is None:
        return None
    try:
        return enum(value)
    except ValueError:
        raise InvalidChoiceError(option, value, (member.value for member in enum)) from None


def safety_notice() -> SafetyNotice:
    """When to get help, in three levels of urgency: shown with every page of advice."""
    return library().safety
