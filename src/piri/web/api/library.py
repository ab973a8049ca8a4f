"""Knowledge base and exercise library as JSON."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from piri.services import library

router = APIRouter(tags=["library"])


@router.get("/sections")
def sections() -> list[dict[str, Any]]:
    """The knowledge-base sections, in reading order, with their sources."""
    return [section.model_dump(mode="json") for section in library.list_sections()]


@router.get("/sections/{section_id}")
def section(section_id: str) -> dict[str, Any]:
    return library.get_section(section_id).model_dump(mode="json")


@router.get("/exercises")
def exercises(target: str | None = None, equipment: str | None = None) -> list[dict[str, Any]]:
    """The exercise library, filtered like ``piri exercises --target --equipment``."""
    found = library.find_exercises(target=target, equipment=equipment)
    return [exercise.model_dump(mode="json") for exercise in found]


@router.get("/exercises/{exercise_id}")
def exercise(exercise_id: str) -> dict[str, Any]:
    return library.get_exercise(exercise_id).model_dump(mode="json")
