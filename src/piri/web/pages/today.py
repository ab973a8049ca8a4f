"""Today: the session to do, the one-tap morning pain check-in, the week at a glance.

The same as ``piri today`` and ``piri today --morning N``: the morning pain goes to the
session waiting for it (``record_morning``), which decides each dose and the phase and
says why in sentences. Like the command, the check-in is not written to the diary.

The plain form (no JavaScript) is answered Post/Redirect/Get: a saved check-in sends the
browser to ``/today?checked_in=1``, which reads the decisions back from the stored session,
so reloading the page never sends the pain twice. htmx gets the fragment in one go.

The latest symptom check comes before all of it (``check_reminder_for``): after an urgent or
emergency result the page shows the hold first and offers no session, no Start link and no
check-in until the runner says a professional has seen them (``POST /today/seen``, a ticked
box, answered Post/Redirect/Get with ``/today?seen=1``); a "soon" result is a reminder above
the usual page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from piri.content.loader import library
from piri.domain.values import whole_number
from piri.services import care_notes, care_plan
from piri.services.care_notes import NoteNotFoundError
from piri.services.library import list_routines
from piri.services.program import (
    NothingToClearError,
    NothingToScoreError,
    check_reminder_for,
    cleared_check_for,
    get_profile,
    profile_started,
    record_seen_by_professional,
    reminder_as_json,
)
from piri.services.sessions import latest_decisions, phase_outlook
from piri.web.api.program import morning_document, today_document
from piri.web.identity import config_of, page_person
from piri.web.templating import error_page, render

router = APIRouter()

NOTHING_TO_SCORE = (
    "No session is waiting for its morning check-in: do a session first, then tap your pain "
    "here the next morning."
)


NOT_TICKED = (
    "Tick the box to say that a professional has seen you since this check: Piri cannot know "
    "it otherwise."
)
# The box on Today, by what the reminder asks.
SEEN_LABELS = {
    True: "A professional has seen me since this check and said I may exercise",
    False: "I have seen a professional about this",
}
NOTHING_TO_CLEAR = (
    "Your latest symptom check asks for no appointment, so there is nothing to mark as seen."
)
URGENCY_LABELS = {"emergency": "Emergency", "urgent": "Get seen today", "soon": "Within days"}


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def reminder_context(person: str) -> dict[str, Any]:
    """What every page that offers exercise needs to show the latest check's hold first:
    ``reminder`` (the API's ``check_reminder``, with its label and box), ``holds``."""
    reminder = reminder_as_json(check_reminder_for(person))
    if reminder is not None:
        reminder = {
            **reminder,
            "label": URGENCY_LABELS.get(reminder["urgency"], reminder["urgency"]),
            "seen_label": SEEN_LABELS[reminder["holds_exercise"]],
        }
    return {
        "reminder": reminder,
        "holds": bool(reminder and reminder["holds_exercise"]),
        "date": _date,
    }


def care_context(request: Request, person: str) -> dict[str, Any]:
    """What the care team left for the runner (multi-user mode only; a single person has no
    care team, so nothing is read): unread ``care_notes``, the undismissed ``plan_changes``
    and the ``care_plan`` in force (who set it)."""
    if not config_of(request).multi_user:
        return {"care_notes": [], "plan_changes": [], "care_plan": None, "care_plan_notes": []}
    in_force = care_plan.care_plan_of(person)
    names = library().exercises
    return {
        "care_notes": care_notes.unread_notes(person),
        "plan_changes": care_plan.plan_announcements(person),
        "care_plan": in_force,
        # (exercise id, name, the clinician's note) for each exercise with a note
        "care_plan_notes": [
            (i.exercise, names[i.exercise].name if i.exercise in names else i.exercise, i.notes)
            for i in (in_force.items if in_force else ())
            if i.notes
        ],
    }


def _context(person: str, request: Request) -> dict[str, Any]:
    check = {
        **care_context(request, person),
        **reminder_context(person),
        "seen_form": True,
        "seen_errors": {},
        "cleared": None,
    }
    if not profile_started(person):
        return {"needs_profile": True, "routines": list_routines(), **check}
    today = today_document(person)
    waiting = today["waiting_for_morning"]
    run_today = False
    if today["phase"] == "return_to_run":
        from piri.services.return_to_run import run_plan

        run_today = _date(today["date"]) in run_plan(person).next_days
    return {
        **check,
        "needs_profile": False,
        "run_today": run_today,
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
    request: Request,
    checked_in: str | None = None,
    seen: str | None = None,
    person: str = Depends(page_person),
) -> HTMLResponse:
    """Today; ``?checked_in=1`` (after a plain-form check-in) also shows what it decided,
    ``?seen=1`` (after the runner said a professional has seen them) what that cleared."""
    context = _context(person, request)
    if checked_in is not None:
        context["result"] = saved_check_in(person)
    if seen is not None:
        context["cleared"] = cleared_view(person)
    return render(request, "today/today.html", title="Today", person=person, **context)


def cleared_view(person: str) -> dict[str, Any] | None:
    """The hold or reminder the runner cleared, read back from the stored check."""
    cleared = cleared_check_for(person)
    if cleared is None:
        return None
    return {
        "was_hold": cleared.reminder.holds_exercise,
        "checked_on": cleared.reminder.checked_on,
        "seen_on": cleared.seen_on,
    }


@router.post("/today/seen", response_class=HTMLResponse)
async def seen_by_professional(request: Request, person: str = Depends(page_person)) -> Response:
    """The box on Today: a professional has seen the runner since the latest check."""
    form = await request.form()
    nothing_to_clear = NOTHING_TO_CLEAR
    if str(form.get("confirm") or "") == "yes":
        try:
            record_seen_by_professional(person)
        except NothingToClearError as exc:
            nothing_to_clear = str(exc)
        else:
            # Post/Redirect/Get: a reload of the page that follows sends nothing again.
            return RedirectResponse("/today?seen=1", status_code=303)
    page = _context(person, request)
    if page["reminder"] is None:
        page["nothing_to_clear"] = nothing_to_clear
        return render(request, "today/today.html", status_code=409, title="Today", **page)
    page["seen_errors"] = {"confirm": NOT_TICKED}
    return render(request, "today/today.html", status_code=422, title="Today", **page)


@router.post("/today/notes/{note_id}/read", response_class=HTMLResponse)
def note_read(request: Request, note_id: int, person: str = Depends(page_person)) -> Response:
    """The runner has read a note from their care team, or dismisses a plan change: it
    leaves Today (and Plan). Only the runner's own notes."""
    try:
        care_notes.mark_read(person, note_id)
    except NoteNotFoundError as exc:
        return error_page(
            request,
            404,
            "Not found",
            str(exc),
        )
    back = "/plan" if request.query_params.get("back") == "plan" else "/today"
    return RedirectResponse(back, status_code=303)


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


def pain_answer(value: str | None, label: str, required: bool) -> tuple[int | None, str]:
    """A 0-10 pain score typed in a form, or the message that names what is wrong with it
    (an empty message when it is fine; None for a score left out)."""
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
    morning_pain, morning_error = pain_answer(typed["morning"], "Pain on waking", True)
    usual_pain, usual_error = pain_answer(typed["usual"], "Usual morning pain", False)
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
    page = _context(person, request)
    page.update(context)
    return render(request, "today/today.html", status_code=status, title="Today", **page)
