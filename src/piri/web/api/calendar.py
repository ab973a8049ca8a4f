"""JSON API: the plan as an iCalendar file, and the calendar feed of a shared server.

``GET /calendar.ics`` is the same calendar as ``piri calendar`` and the Plan page's
download. The feed (``/calendar/feed``) exists in multi-user mode only: in single-person
mode it answers 404 with the code ``no_accounts``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response

from piri.domain.calendar_plan import WEEKS_DEFAULT, WEEKS_RANGE, CalendarInputError
from piri.services.calendar import (
    NoProfileError,
    build_calendar,
    create_feed,
    feed_info,
    options_from,
    revoke_feed,
)
from piri.web.api.program import profile_needed
from piri.web.errors import error
from piri.web.identity import api_person, config_of
from piri.web.pages.calendar import calendar_response, feed_url

router = APIRouter(tags=["calendar"])

NO_FEEDS = (
    "This Piri runs for one person on this computer: it publishes no calendar feed. Download "
    "the calendar instead: GET /api/v1/calendar.ics."
)


NO_FEEDS_ANSWER: dict[int | str, dict[str, Any]] = {
    404: {"description": "`no_accounts`: single-person mode publishes no calendar feed."}
}


def _no_feeds() -> JSONResponse:
    return error(404, "no_accounts", NO_FEEDS)


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


@router.get(
    "/calendar.ics",
    summary="Your sessions and runs as a calendar file (.ics)",
    response_class=Response,
    responses={
        200: {
            "content": {"text/calendar": {}},
            "description": "An iCalendar file (RFC 5545), as an attachment named piri.ics.",
        },
        409: {"description": "`profile_needed`: there is no plan before a profile."},
        422: {"description": "`invalid_input`: `field` names the option that is wrong."},
    },
)
def calendar_file(
    weeks: Annotated[
        str | None,
        Query(
            description=f"How many weeks from today, {WEEKS_RANGE[0]} to {WEEKS_RANGE[1]}; "
            f"{WEEKS_DEFAULT} when left out."
        ),
    ] = None,
    exercise_time: Annotated[
        str | None, Query(description="Time of day of the exercise sessions, HH:MM; 18:00.")
    ] = None,
    run_time: Annotated[
        str | None, Query(description="Time of day of the runs, HH:MM; 07:00.")
    ] = None,
    person: str = Depends(api_person),
) -> Response:
    """Every exercise session and run from today for ``weeks`` weeks as calendar events
    (``piri calendar``), each with a reminder 30 minutes before. Floating local times. The
    UIDs stay the same from one export to the next, so importing again updates the events:
    a changed one has a higher ``SEQUENCE``, a day no longer planned comes as a
    ``STATUS:CANCELLED`` event. While the latest symptom check holds the sessions, the
    calendar holds one all-day event saying why and no session."""
    try:
        options = options_from(weeks, exercise_time, run_time)
        built = build_calendar(person, options)
    except CalendarInputError as problem:
        return error(
            422,
            "invalid_input",
            problem.message,
            field=problem.field,
            problems=[{"field": problem.field, "message": problem.message}],
        )
    except NoProfileError:
        return profile_needed()
    return calendar_response(built.ical)


def _feed_json(request: Request, person: str) -> dict[str, Any]:
    info = feed_info(person)
    return {"active": info is not None, "created_at": _iso(info.created_at) if info else None}


@router.get("/calendar/feed", summary="Whether your calendar feed is on", responses=NO_FEEDS_ANSWER)
def get_feed(request: Request, person: str = Depends(api_person)) -> Any:
    """``active`` and when its address was made (``created_at``); the address itself is shown
    only when it is made."""
    if not config_of(request).multi_user:
        return _no_feeds()
    return _feed_json(request, person)


@router.post(
    "/calendar/feed",
    status_code=201,
    summary="Create or reset your calendar feed",
    responses=NO_FEEDS_ANSWER,
)
def post_feed(request: Request, person: str = Depends(api_person)) -> Any:
    """A new secret address for calendar apps to subscribe to (``url``; ``token`` is its
    secret part), shown only this once. An address made before stops working. The feed
    holds the next four weeks, needs no login, and is refreshed by the app."""
    if not config_of(request).multi_user:
        return _no_feeds()
    created = create_feed(person)
    return {
        "active": True,
        "url": feed_url(request, created.token),
        "token": created.token,
        "created_at": _iso(created.info.created_at),
    }


@router.delete("/calendar/feed", summary="Turn your calendar feed off", responses=NO_FEEDS_ANSWER)
def delete_feed(request: Request, person: str = Depends(api_person)) -> Any:
    """Its address stops working at once. ``turned_off`` is false when it was already off."""
    if not config_of(request).multi_user:
        return _no_feeds()
    return {"active": False, "turned_off": revoke_feed(person)}
