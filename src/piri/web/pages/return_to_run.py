"""Back to running (/plan/run): the walk-run plan, a run and how it went, the next morning.

What ``piri run-plan`` shows: the start criteria met and not, the step to do with its
instructions, the next run days, an imported watch run waiting for its pain scores, the runs
with their verdicts, and the build after the plan. The forms are answered Post/Redirect/Get
(``?logged=DAY``, ``?morning=1``) so that a reload never sends a run twice; a wrong value comes
back on the page with what was typed and a message that names it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from piri.services.gait_checks import cadence_cue_for, cadence_cue_json
from piri.services.return_to_run import (
    NothingWaitingError,
    NotReadyError,
    ReturnToRunError,
    add_next_morning,
    log_run,
    run_plan,
    view_as_json,
)
from piri.web.identity import page_person
from piri.web.pages.today import pain_answer, reminder_context
from piri.web.templating import render

router = APIRouter()

RUN_FIELDS = ("day", "pain_during", "pain_after", "next_morning", "usual", "activity", "notes")
BOXES = ("pain_built", "limp", "cut_short")
PAGE_TITLE = "Back to running"
# The form field of each field a ReturnToRunError names (the API's names).
FORM_FIELDS = {"pain_next_morning": "next_morning", "usual_morning_pain": "usual"}


def _context(person: str, **extra: Any) -> dict[str, Any]:
    view = run_plan(person)
    document = view_as_json(view)
    last = document["runs"][-1] if document["runs"] else None
    offer = document["imported_offer"]
    return {
        **reminder_context(person),
        "plan": document,
        "cadence_cue": cadence_cue_json(cadence_cue_for(person)),
        "last": last,
        "date": dt.date.fromisoformat,
        "errors": {},
        "form_error": None,
        "morning_errors": {},
        "typed": {
            "day": offer["date"] if offer else dt.date.today().isoformat(),
            "activity": offer["activity"] if offer else "",
        },
        "logged": None,
        "morning_done": None,
        **extra,
    }


@router.get("/plan/run", response_class=HTMLResponse)
def run_plan_page(
    request: Request,
    logged: str | None = None,
    morning: str | None = None,
    person: str = Depends(page_person),
) -> HTMLResponse:
    """The plan; ``?logged=DAY`` also shows that run's verdict, ``?morning=1`` the verdict the
    next-morning pain gave."""
    context = _context(person)
    runs = context["plan"]["runs"]
    if logged is not None:
        context["logged"] = next((r for r in runs if r["date"] == logged[:10]), None)
    if morning is not None and runs:
        context["morning_done"] = runs[-1] if runs[-1]["pain_next_morning"] is not None else None
    return render(request, "plan/run.html", title=PAGE_TITLE, **context)


@router.post("/plan/run/log", response_class=HTMLResponse)
async def log_run_form(request: Request, person: str = Depends(page_person)) -> Response:
    form = await request.form()
    typed = {name: str(form.get(name) or "").strip() for name in RUN_FIELDS}
    boxes = {name: str(form.get(name) or "") == "yes" for name in BOXES}
    errors: dict[str, str] = {}
    day = None
    try:
        day = dt.date.fromisoformat(typed["day"]) if typed["day"] else dt.date.today()
    except ValueError:
        shown = typed["day"][:40]
        errors["day"] = f"Date of the run: '{shown}' is not a date; use YYYY-MM-DD."
    during, problem = pain_answer(typed["pain_during"], "Pain during the run", True)
    if problem:
        errors["pain_during"] = problem
    after, problem = pain_answer(typed["pain_after"], "Pain right after", True)
    if problem:
        errors["pain_after"] = problem
    next_morning, problem = pain_answer(typed["next_morning"], "Next morning", False)
    if problem:
        errors["next_morning"] = problem
    usual, problem = pain_answer(typed["usual"], "Usual morning pain", False)
    if problem:
        errors["usual"] = problem
    if not errors and day is not None and during is not None and after is not None:
        try:
            log_run(
                day,
                during,
                after,
                pain_built=boxes["pain_built"],
                limp=boxes["limp"],
                finished=not boxes["cut_short"],
                next_morning=next_morning,
                usual_morning=usual,
                activity=typed["activity"] or None,
                notes=typed["notes"],
                person=person,
            )
        except NotReadyError as exc:
            errors["form"] = str(exc)
        except ReturnToRunError as exc:
            errors[FORM_FIELDS.get(exc.field, exc.field)] = str(exc)
        else:
            # Post/Redirect/Get: a reload of the page that follows sends nothing again.
            return RedirectResponse(f"/plan/run?logged={day.isoformat()}#verdict", status_code=303)
    form_error = errors.pop("form", None)
    context = _context(person, errors=errors, form_error=form_error, typed={**typed, **boxes})
    return render(request, "plan/run.html", status_code=422, title=PAGE_TITLE, **context)


@router.post("/plan/run/morning", response_class=HTMLResponse)
async def morning_form(request: Request, person: str = Depends(page_person)) -> Response:
    form = await request.form()
    typed = {name: str(form.get(name) or "").strip() for name in ("morning", "usual")}
    errors: dict[str, str] = {}
    pain, problem = pain_answer(typed["morning"], "Pain on waking", True)
    if problem:
        errors["morning"] = problem
    usual, problem = pain_answer(typed["usual"], "Usual morning pain", False)
    if problem:
        errors["morning_usual"] = problem
    if not errors and pain is not None:
        try:
            add_next_morning(pain, usual, person=person)
        except (NothingWaitingError, ReturnToRunError) as exc:
            errors["morning"] = str(exc)
        else:
            return RedirectResponse("/plan/run?morning=1#verdict", status_code=303)
    context = _context(person, morning_errors=errors, morning_typed=typed)
    return render(request, "plan/run.html", status_code=422, title=PAGE_TITLE, **context)
