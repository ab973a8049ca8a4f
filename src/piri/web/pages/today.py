"""Today: the session to do, the one-tap morning pain check-in, the week at a glance.

The same as ``piri today`` and ``piri today --morning N``: the morning pain goes to the
session waiting for it (``record_morning``), which decides each dose and the phase and
says why in sentences. Like the command, the check-in is not written to the diary.

The plain form (no JavaScript) is answered Post/Redirect/Get: a saved check-in sends the
browser to ``/today?checked_in=1``, which reads the decisions back from the stored session,
so reloading the page never sends the pain twice. htmx gets the fragment in one go.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from piri.content.loader import library
from piri.domain.values import whole_number
from piri.services.library import list_routines
from piri.services.program import NothingToScoreError, get_profile, profile_started
from piri.services.sessions import latest_decisions, phase_outlook
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
def today_page(
    request: Request, checked_in: str | None = None, person: str = Depends(page_person)
) -> HTMLResponse:
    """Today; ``?checked_in=1`` (after a plain-form check-in) also shows what it decided."""
    context = _context(person)
    if checked_in is not None:
        context["result"] = saved_check_in(person)
    return render(request, "today/today.html", title="Today", person=person, **context)


def saved_check_in(person: str) -> dict[str, Any] | None:
    """The latest morning check-in as the check-in's own answer shows it, read back from the
    stored session: its day, the decisions, and what the phase rules say now."""
    entry = latest_decisions(person)
    if entry is None:
        return None
    _profile, phase, _check = get_profile(person)
    outlook = phase_outlook(person)
    changed = entry.phase != phase.value
    reason = outlook.why
    if changed:
        name = library().program.phase(phase).name
        reason = f"Your plan is now in the {name.lower()} phase. {reason}"
    return {
        "session_day": entry.day.isoformat(),
        "decisions": entry.decisions,
        "phase": phase.value,
        "phase_changed": changed,
        "phase_reason": reason,
    }


def _pain(value: str | None, field: str, label: str, required: bool) -> tuple[int | None, str]:
    text = (value or "").strip()
    if not text:
        return None, (f"{label}: choose a number from 0 to 10." if required else "")
    number = whole_number(text)
    if number is None or not 0 <= number <= 10:
        shown = text if len(text) <= 40 else text[:40] + "…"
        return None, f"{label}: '{shown}' is not a whole number from 0 to 10."
    return number, ""


@router.post("/today/morning", response_class=HTMLResponse)
async def morning(request: Request, person: str = Depends(page_person)) -> Response:
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
    if result is not None:
        # Post/Redirect/Get: a reload of the page that follows cannot send the pain again.
        return RedirectResponse("/today?checked_in=1#morning", status_code=303)
    page = _context(person)
    page.update(context)
    return render(request, "today/today.html", status_code=status, title="Today", **page)
