"""The guided session player: ``/session/today`` and ``/session/{routine_id}``.

The page carries the whole session plan as a JSON data block; ``static/js/player.js`` runs
it in the browser (timers, speech, beeps, wake lock) and saves the result through
``POST /api/v1/sessions``, keeping it on the device while the connection is down. Without
JavaScript the page is a readable list of the session's steps.

After an urgent or emergency symptom check every session waits for a professional: the page
shows the hold instead of the player (no Start button, no player script).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from piri.domain.progression import PAIN_ACCEPTABLE_MAX, PAIN_SAFE_MAX
from piri.services.library import list_routines
from piri.services.program import profile_started
from piri.services.sessions import TODAY_ROUTINE
from piri.web.api.program import (
    ExerciseOnHoldError,
    ProfileNeededError,
    RestDayError,
    session_plan,
)
from piri.web.identity import page_person
from piri.web.pages.today import reminder_context
from piri.web.templating import render

router = APIRouter()

SESSIONS_WAIT = (
    "Every session, the guided routines included, waits until then: Piri offers no exercise "
    "while your symptom check asks you to be seen first."
)


def _on_hold(request: Request, person: str) -> HTMLResponse:
    """The hold, in place of a session (200: the page is there, the session waits)."""
    return render(
        request,
        "session/on_hold.html",
        title="Sessions wait for a professional",
        waits=SESSIONS_WAIT,
        **reminder_context(person),
    )


@router.get("/session", response_class=HTMLResponse)
def sessions_page(request: Request, person: str = Depends(page_person)) -> HTMLResponse:
    """The routines, as ``piri session`` lists them, and today's planned session."""
    if reminder_context(person)["holds"]:
        return _on_hold(request, person)
    return render(
        request,
        "session/index.html",
        title="Guided sessions",
        routines=list_routines(),
        has_profile=profile_started(person),
    )


def _grouped(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """The steps under their exercise, for the list shown without JavaScript."""
    groups = [{**exercise, "plan_steps": []} for exercise in plan["exercises"]]
    for number, step in enumerate(plan["steps"], start=1):
        groups[step["exercise_index"]]["plan_steps"].append({**step, "number": number})
    return groups


@router.get("/session/{routine_id}", response_class=HTMLResponse)
def player_page(
    request: Request,
    routine_id: str,
    side: str | None = None,
    person: str = Depends(page_person),
) -> HTMLResponse:
    """Today's planned session (``today``) or a routine: relief, strength, article."""
    side = side or None
    try:
        plan = session_plan(routine_id, person, side)
    except ExerciseOnHoldError:
        return _on_hold(request, person)
    except ProfileNeededError:
        return render(
            request, "session/unavailable.html", title="Today's session", reason="profile"
        )
    except RestDayError:
        return render(request, "session/unavailable.html", title="A rest day", reason="rest")
    return render(
        request,
        "session/player.html",
        title=plan["name"],
        plan=plan,
        groups=_grouped(plan),
        is_today=routine_id == TODAY_ROUTINE,
        side=side,
        minutes=round(plan["total_seconds"] / 60),
        pain_safe=PAIN_SAFE_MAX,
        pain_acceptable=PAIN_ACCEPTABLE_MAX,
    )
