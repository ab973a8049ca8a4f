"""The symptom check as JSON: the questionnaire, and a result for a set of answers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body

from piri.services import check as check_service

router = APIRouter(tags=["check"])


@router.get("/check/questions")
def questions() -> dict[str, Any]:
    """The questionnaire, the same document as ``piri check --questions --format json``."""
    return check_service.questionnaire_as_json()


@router.post("/check")
def evaluate(answers: dict[str, Any] = Body(...)) -> dict[str, Any]:  # noqa: B008
    """Answers in, result out: urgency, red flags, patterns with reasons, next steps."""
    return check_service.result_as_json(check_service.run_check(answers))
