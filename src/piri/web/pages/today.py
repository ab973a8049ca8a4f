"""Today: the session to do, the one-tap morning pain check-in, the week at a glance.

The same as ``piri today`` and ``piri today --morning N``: the morning pain goes to the
session waiting for it (``record_morning``), which decides each dose and the phase and
says why in sentences. Like the command, the check-in is not written to the diary.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from piri.services.library import list_routines
from piri.services.program import NothingToScoreError, profile_started
from piri.web.api.program import morning_document, today_document
from piri.web.identity import page_person
from piri.web.templating import render

router = APIRouter()

NOTHING_TO_SCORE = (
    "No session is waiting for its morning check-in: do a session first, then tap your pain "
    "here the next morning."
)


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _context(person: str) -> dict[str, Any]:
    if not profile_started(person):
        return {"needs_profile": True, "routines": list_routines()}
    today = today_document(person)
    waiting = today["waiting_for_morning"]
    return {
        "needs_profile": False,
        "today": today,
        "day": _date(today["date"]),
        "waiting": waiting,
        "waiting_day": _date(waiting["day"]) if waiting else None,
        "routines": list_routines(),
        "date": _date,
        "errors": {},
        "typed": None,
        "result": None,
    }


@router.get("/today", response_class=HTMLResponse)
def today_page(request: Request, person: str = Depends(page_person)) -> HTMLResponse:
    return render(request, "today/today.html", title="Today", person=person, **_context(person))


def _pain(value: str | None, field: str, label: str, required: bool) -> tuple[int | None, str]:
    text = (value or "").strip()
    if not text:
        return None, (f"{label}: choose a number from 0 to 10." if required else "")
    # isascii: str.isdigit also takes '²', which int() refuses
    if not (text.isascii() and text.isdigit()) or not 0 <= int(text) <= 10:
        return None, f"{label}: '{text}' is not a whole number from 0 to 10."
    return int(text), ""


@router.post("/today/morning", response_class=HTMLResponse)
async def morning(request: Request, person: str = Depends(page_person)) -> HTMLResponse:
    """One tap: the pain on waking (and, optionally, the usual morning pain)."""
    form = await request.form()
    typed = {name: str(form.get(name) or "").strip() for name in ("morning", "usual")}
    morning_pain, morning_error = _pain(typed["morning"], "morning", "Pain on waking", True)
    usual_pain, usual_error = _pain(typed["usual"], "usual", "Usual morning pain", False)
    errors = {k: v for k, v in (("morning", morning_error), ("usual", usual_error)) if v}
    result = None
    if not errors and morning_pain is not None:
        try:
            result = morning_document(morning_pain, usual_pain, person)
        except NothingToScoreError:
            errors = {"morning": NOTHING_TO_SCORE}
        except ValueError as exc:
            errors = {"morning": str(exc)}
    status = 422 if errors else 200
    fragment = request.headers.get("hx-request") == "true"
    context: dict[str, Any] = {
        "errors": errors,
        "typed": typed,
        "result": result,
        "date": _date,
    }
    if fragment:
        waiting = None
        if errors and profile_started(person):
            waiting = today_document(person)["waiting_for_morning"]
        return render(
            request,
            "today/_morning.html",
            status_code=status,
            waiting=waiting,
            waiting_day=_date(waiting["day"]) if waiting else None,
            **context,
        )
    page = _context(person)
    page.update(context)
    return render(request, "today/today.html", status_code=status, title="Today", **page)
