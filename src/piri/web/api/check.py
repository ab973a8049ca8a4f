"""The symptom check as JSON: the questionnaire, and a result for a set of answers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Query, Request, Response

from piri.services import check as check_service
from piri.web.identity import api_person

router = APIRouter(tags=["check"])


@router.get("/check/questions")
def questions() -> dict[str, Any]:
    """The questionnaire, the same document as ``piri check --questions --format json``."""
    return check_service.questionnaire_as_json()


@router.post("/check")
def evaluate(
    request: Request,
    response: Response,
    answers: dict[str, Any] = Body(...),  # noqa: B008
    save: bool = Query(
        False,
        description="Also keep the result as yours (needs a signed-in person in multi-user "
        "mode); read it back with GET /check/latest.",
    ),
) -> dict[str, Any]:
    """Answers in, result out: urgency, red flags, patterns with reasons, next steps.

    Stateless unless ``save=true``, which stores the result for the caller, as ``piri check``
    and the web check do.
    """
    person = api_person(request) if save else None
    result = check_service.run_check(answers)
    if person is None:
        return check_service.result_as_json(result)
    response.headers["Location"] = "/api/v1/check/latest"
    return check_service.remember_result(result, person)
