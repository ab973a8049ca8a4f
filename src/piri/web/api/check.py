"""The symptom check as JSON: the questionnaire, and a result for a set of answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Body, Depends, Query, Request, Response

from piri.services import check as check_service
from piri.services.program import (
    NothingToClearError,
    record_seen_by_professional,
    reminder_as_json,
)
from piri.web.errors import error
from piri.web.identity import api_person

router = APIRouter(tags=["check"])


@router.get("/check/questions")
def questions() -> dict[str, Any]:
    """The questionnaire, the same document as ``piri check --questions --format json``."""
    return check_service.questionnaire_as_json()


@router.post(
    "/check",
    responses={
        401: {
            "description": "`not_signed_in`: `save=true` in multi-user mode without a valid "
            "'Authorization: Bearer <token>'."
        },
        422: {"description": "`invalid_answers`: `problems` says which answers do not fit."},
    },
)
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


@router.post(
    "/check/seen-by-professional",
    responses={
        401: {"description": "Not signed in (multi-user mode): `code` `not_signed_in`."},
        409: {"description": "Nothing to clear: `code` `nothing_to_clear`"},
    },
)
def seen_by_professional(person: str = Depends(api_person)) -> Any:
    """A professional has seen you since your latest symptom check (and, after an urgent or
    emergency result, said you may exercise), as ``piri check --seen-by-professional`` and
    the Today page record it: the hold on the sessions, or the reminder, ends. Answers what
    was cleared (``cleared``, as ``check_reminder`` in ``GET /today``) and the day. The
    result itself is kept; a newer check that finds the sign again holds the sessions again.
    """
    today = dt.date.today()
    try:
        cleared = record_seen_by_professional(person, today)
    except NothingToClearError as exc:
        return error(409, "nothing_to_clear", str(exc))
    return {"cleared": reminder_as_json(cleared), "seen_by_professional_on": today.isoformat()}
