"""Pages: the plan as a calendar file, and the published feed of a shared server.

``GET /plan/calendar.ics`` downloads what ``piri calendar`` writes (the Plan page links to
it). In multi-user mode the Settings page creates a feed: a secret address a calendar app
subscribes to (``GET /calendar/feed/<token>.ics``, no login: the token is the key), shown
once in full, which can be reset (the old address stops working) or turned off. One person
on this computer has no feed: a calendar app elsewhere could not reach a loopback server.
"""

from __future__ import annotations

import hashlib

from fastapi import APIRouter, Depends, Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response

from piri.domain.calendar_plan import CalendarInputError
from piri.services.calendar import (
    FILENAME,
    MEDIA_TYPE,
    NoProfileError,
    build_calendar,
    create_feed,
    feed_person,
    options_from,
    revoke_feed,
)
from piri.web.identity import config_of, page_person
from piri.web.templating import error_page

router = APIRouter()

FEED_PATH = "/calendar/feed/{feed_token}.ics"
NO_SUCH_FEED = (
    "There is no calendar feed at this address: it was turned off or reset, or the address is "
    "incomplete. Create a new feed link on the Settings page."
)
NO_FEEDS_HERE = (
    "This Piri runs for one person on this computer, so it publishes no calendar feed: "
    "download the calendar on the Plan page instead."
)


def calendar_response(ical: bytes, attachment: bool = True) -> Response:
    disposition = "attachment" if attachment else "inline"
    return Response(
        ical,
        media_type=MEDIA_TYPE,
        headers={"Content-Disposition": f'{disposition}; filename="{FILENAME}"'},
    )


def feed_url(request: Request, token: str) -> str:
    """The feed's full address as a calendar app elsewhere reaches it: HTTPS whenever the
    server is not on this computer (multi-user mode there runs behind a TLS proxy)."""
    base = str(request.base_url).rstrip("/")
    if config_of(request).secure_cookies and base.startswith("http://"):
        base = "https://" + base.removeprefix("http://")
    return base + FEED_PATH.replace("{feed_token}", token)


@router.get("/plan/calendar.ics")
def download(request: Request, person: str = Depends(page_person)) -> Response:
    query = request.query_params
    try:
        options = options_from(
            query.get("weeks"), query.get("exercise_time"), query.get("run_time")
        )
        built = build_calendar(person, options)
    except CalendarInputError as problem:
        return error_page(
            request,
            422,
            "That calendar option is not right",
            f"{problem.message}. Go back to the Plan page and try again.",
        )
    except NoProfileError as problem:
        return error_page(
            request,
            409,
            "No plan yet",
            str(problem),
        )
    return calendar_response(built.ical)


@router.get(FEED_PATH)
def feed(request: Request, feed_token: str) -> Response:
    """The published feed: the token alone opens it, so every refusal looks the same."""
    if not config_of(request).multi_user:
        return PlainTextResponse(NO_FEEDS_HERE, status_code=404)
    person = feed_person(feed_token)
    if person is None:
        return PlainTextResponse(NO_SUCH_FEED, status_code=404)
    try:
        built = build_calendar(person, feed=True)
    except NoProfileError as problem:
        return PlainTextResponse(str(problem), status_code=404)
    etag = '"' + hashlib.sha256(built.ical).hexdigest()[:32] + '"'
    headers = {"Cache-Control": "private", "ETag": etag}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    response = calendar_response(built.ical, attachment=False)
    response.headers.update(headers)
    return response


@router.post("/settings/calendar-feed")
def create(request: Request, person: str = Depends(page_person)) -> Response:
    """Create the feed, or reset it: a new address, the old one stops working."""
    from piri.web.pages.settings import settings_page

    if not config_of(request).multi_user:
        return _no_feeds(request)
    created = create_feed(person)
    return settings_page(request, person, 201, new_feed_url=feed_url(request, created.token))


@router.post("/settings/calendar-feed/off")
def turn_off(request: Request, person: str = Depends(page_person)) -> Response:
    if not config_of(request).multi_user:
        return _no_feeds(request)
    revoke_feed(person)
    return RedirectResponse("/settings?feed=off#calendar-feed", status_code=303)


def _no_feeds(request: Request) -> Response:
    return error_page(
        request,
        404,
        "No calendar feed here",
        NO_FEEDS_HERE,
    )
