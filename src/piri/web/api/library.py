"""Knowledge base, exercise library, pictures and routines as JSON."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from piri.content.models import Routine
from piri.services import library
from piri.services.figures import figure_pictures
from piri.web.pages.figures import figure_url

router = APIRouter(tags=["library"])

NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {
        "description": "`not_found`: no such id; `suggestions` has the near ones, `available` "
        "every id."
    }
}


@router.get("/sections")
def sections() -> list[dict[str, Any]]:
    """The knowledge-base sections, in reading order, with their sources."""
    return [section.model_dump(mode="json") for section in library.list_sections()]


@router.get("/sections/{section_id}", responses=NOT_FOUND)
def section(section_id: str) -> dict[str, Any]:
    return library.get_section(section_id).model_dump(mode="json")


@router.get("/exercises")
def exercises(target: str | None = None, equipment: str | None = None) -> list[dict[str, Any]]:
    """The exercise library, filtered like ``piri exercises --target --equipment``."""
    found = library.find_exercises(target=target, equipment=equipment)
    return [exercise.model_dump(mode="json") for exercise in found]


@router.get("/exercises/{exercise_id}", responses=NOT_FOUND)
def exercise(exercise_id: str) -> dict[str, Any]:
    return library.get_exercise(exercise_id).model_dump(mode="json")


@router.get("/exercises/{exercise_id}/figures", responses=NOT_FOUND)
def exercise_figures(exercise_id: str) -> list[dict[str, Any]]:
    """Every position of the exercise's picture: its SVG address, caption and alt text."""
    return figures(library.get_exercise(exercise_id).id)


@router.get("/figures/{figure_id}", responses=NOT_FOUND)
def figures(figure_id: str) -> list[dict[str, Any]]:
    """The positions of any figure: an exercise's or a symptom-check self-test's."""
    return [
        {
            "position": picture.number,
            "id": picture.id,
            "caption": picture.label,
            "alt": picture.alt,
            "url": figure_url(picture.figure_id, picture.number),
            "width": picture.width,
            "height": picture.height,
        }
        for picture in figure_pictures(figure_id)
    ]


@router.get("/routines")
def routines() -> list[dict[str, Any]]:
    """The guided-session routines (``piri session``), each exercise with the dose it gets."""
    return [_routine(routine) for routine in library.list_routines()]


@router.get("/routines/{routine_id}", responses=NOT_FOUND)
def routine(routine_id: str) -> dict[str, Any]:
    return _routine(library.get_routine(routine_id))


def _routine(routine: Routine) -> dict[str, Any]:
    document = routine.model_dump(mode="json", exclude={"items"})
    items = []
    for item in routine.items:
        dose = item.dose or library.get_exercise(item.exercise).dose
        items.append(
            {
                "exercise": item.exercise,
                "name": library.get_exercise(item.exercise).name,
                "dose": {**dose.model_dump(mode="json"), "summary": dose.describe()},
                "dose_from_routine": item.dose is not None,
            }
        )
    document["items"] = items
    return document
