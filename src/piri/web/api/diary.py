"""The pain diary as JSON: the days, one day, a day written (created or updated), deleted.

The fields are ``piri log``'s, named as in ``piri log --format json``. Wrong input is
answered with 422, a stable ``code`` and the field each problem is in, in the domain's
own words (``piri.domain.diary.check_entry``).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from fastapi import APIRouter, Depends, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from piri.domain.diary import DayEntry
from piri.services import diary as diary_service
from piri.services.memo import kept
from piri.web.errors import error
from piri.web.identity import api_person

router = APIRouter(tags=["diary"])


class DayIn(BaseModel):
    """One day of the diary. Scores are whole numbers 0-10; leave out what you did not note."""

    model_config = ConfigDict(strict=True, extra="forbid")

    pain_now: int = Field(description="Pain right now, 0 (none) to 10 (worst).")
    worst_pain: int = Field(description="The worst pain today, 0 to 10; at least pain_now.")
    sitting_pain: int | None = Field(None, description="Pain when sitting, 0 to 10.")
    sitting_minutes_before_pain: int | None = Field(
        None, description="Minutes of sitting before the pain starts, 0 to 1440."
    )
    running_pain: int | None = Field(
        None, description="Pain when running, 0 to 10; null on a day without running."
    )
    tingling: bool = Field(False, description="Tingling in the leg today.")
    notes: str = Field("", description="Anything worth remembering (up to 2000 characters).")


class DayOut(BaseModel):
    day: dt.date
    pain_now: int
    worst_pain: int
    sitting_pain: int | None
    sitting_minutes_before_pain: int | None
    running_pain: int | None
    tingling: bool
    notes: str


class DiaryOut(BaseModel):
    since: dt.date | None
    entries: list[DayOut] = Field(description="Oldest first.")


class SavedOut(BaseModel):
    entry: DayOut
    updated: bool = Field(description="True when it replaced that day's earlier entry.")


def day_out(entry: DayEntry) -> DayOut:
    return DayOut(
        day=entry.day,
        pain_now=entry.pain_now,
        worst_pain=entry.worst_pain,
        sitting_pain=entry.sitting_pain,
        sitting_minutes_before_pain=entry.sitting_minutes_before_pain,
        running_pain=entry.running_pain,
        tingling=entry.tingling,
        notes=entry.notes,
    )


def _bad_date(field: str, text: str) -> JSONResponse:
    message = f"{field}: '{text}' is not a date; use YYYY-MM-DD"
    return error(
        422, "invalid_date", message, field=field, problems=[{"field": field, "message": message}]
    )


def _parse(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _missing(day: dt.date) -> JSONResponse:
    return error(404, "not_found", f"There is no diary entry for {day.isoformat()}.")


ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"description": "A wrong date or entry; `code`, `message` and `problems`."}
}


@router.get("/diary", response_model=DiaryOut, responses=ERRORS)
def list_days(since: str | None = None, person: str = Depends(api_person)) -> DiaryOut | Response:
    """Every day of the diary (from ``since``, a YYYY-MM-DD, when given), oldest first."""
    start = None
    if since is not None:
        start = _parse(since)
        if start is None:
            return _bad_date("since", since)
    # Years of days: written straight to JSON (DiaryOut documents the shape), since building
    # and checking a model for each day cost more than the rest of the request, and kept
    # until the diary changes.
    body = kept(
        diary_service.store(), person, "diary_json", start, lambda: _diary_json(person, start)
    )
    return Response(body, media_type="application/json")


def _diary_json(person: str, start: dt.date | None) -> bytes:
    entries = diary_service.diary(person=person, since=start)
    document = {
        "since": start.isoformat() if start else None,
        "entries": [day_json(e) for e in entries],
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def day_json(entry: DayEntry) -> dict[str, Any]:
    """The same fields as DayOut, as plain JSON values."""
    return {
        "day": entry.day.isoformat(),
        "pain_now": entry.pain_now,
        "worst_pain": entry.worst_pain,
        "sitting_pain": entry.sitting_pain,
        "sitting_minutes_before_pain": entry.sitting_minutes_before_pain,
        "running_pain": entry.running_pain,
        "tingling": entry.tingling,
        "notes": entry.notes,
    }


@router.get(
    "/diary/{day}",
    response_model=DayOut,
    responses={**ERRORS, 404: {"description": "No entry for that day."}},
)
def get_day(day: str, person: str = Depends(api_person)) -> DayOut | Response:
    """One day's entry."""
    wanted = _parse(day)
    if wanted is None:
        return _bad_date("day", day)
    entry = diary_service.diary_entry(wanted, person=person)
    return day_out(entry) if entry is not None else _missing(wanted)


@router.put(
    "/diary/{day}",
    response_model=SavedOut,
    status_code=201,
    responses={**ERRORS, 200: {"description": "That day's entry, updated.", "model": SavedOut}},
)
def put_day(
    day: str, body: DayIn, response: Response, person: str = Depends(api_person)
) -> SavedOut | Response:
    """Write one day: 201 when it is new, 200 when it replaced that day's entry.

    A day in the future or before 2000-01-01, a score outside 0-10, worst pain below pain
    now, minutes outside a day or notes with a control character are refused with 422
    ``invalid_entry``, each problem naming its field.
    """
    wanted = _parse(day)
    if wanted is None:
        return _bad_date("day", day)
    entry = DayEntry(day=wanted, **body.model_dump())
    problems = diary_service.entry_problems(entry)
    if problems:
        return error(
            422,
            "invalid_entry",
            "; ".join(problems.values()),
            problems=[{"field": field, "message": text} for field, text in problems.items()],
        )
    updated = diary_service.log_day(entry, person=person)
    response.status_code = 200 if updated else 201
    return SavedOut(entry=day_out(entry), updated=updated)


@router.delete(
    "/diary/{day}",
    status_code=204,
    responses={**ERRORS, 404: {"description": "No entry for that day."}},
)
def delete_day(day: str, person: str = Depends(api_person)) -> Response:
    """Delete one day's entry."""
    wanted = _parse(day)
    if wanted is None:
        return _bad_date("day", day)
    if not diary_service.forget_day(wanted, person=person):
        return _missing(wanted)
    return Response(status_code=204)
