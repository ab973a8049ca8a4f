"""JSON API: the program (plan, today, morning check-in) and played sessions.

The same documents feed the pages: :func:`plan_document` is the data block the session
player runs in the browser, :func:`today_document` and :func:`plan_overview` what the
Today and Plan pages show.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from piri import __version__
from piri.content.loader import library
from piri.content.models import Source
from piri.domain.exercise_hold import CheckReminder
from piri.domain.session import SessionPlan, SessionStep, StepKind
from piri.services import sessions as played
from piri.services.figures import figure_pictures
from piri.services.library import NotFoundError, get_routine
from piri.services.program import (
    ExerciseDone,
    NothingToScoreError,
    Week,
    check_reminder_for,
    exercise_on_hold,
    get_profile,
    profile_started,
    record_morning,
    reminder_as_json,
    this_week,
)
from piri.services.sessions import SessionEntry, SessionLogError, plan_for_today, plan_routine
from piri.web.api.runs import parse_since
from piri.web.errors import error
from piri.web.identity import api_person

router = APIRouter(tags=["program"])

PROFILE_NEEDED = (
    "There is no profile yet: set your painful side, equipment and time on the Profile page "
    "(/profile) first; the plan is built from it."
)
AFTER_SAVING = (
    "Tomorrow morning, tap your pain on waking on the Today page: the doses change only after that."
)


def profile_needed() -> JSONResponse:
    return error(409, "profile_needed", PROFILE_NEEDED)


# --- the latest symptom check, before anything else ---------------------------------------------

SAY_SEEN = (
    "When a professional has seen you since this check and said you may exercise, say so "
    "(POST /api/v1/check/seen-by-professional, 'piri check --seen-by-professional', or the "
    "Today page)."
)


def hold_message(reminder: CheckReminder) -> str:
    """Why no session is offered, in the runner's words."""
    return f"{reminder.action} {reminder.what_it_means} {SAY_SEEN}"


class ExerciseOnHoldError(LookupError):
    """The latest symptom check holds the exercise sessions until a professional has seen
    the runner."""

    def __init__(self, reminder: CheckReminder) -> None:
        super().__init__(hold_message(reminder))
        self.reminder = reminder


def exercise_on_hold_error(reminder: CheckReminder) -> JSONResponse:
    return error(
        409,
        "exercise_on_hold",
        hold_message(reminder),
        check_reminder=reminder_as_json(reminder),
    )


# --- the session plan the player runs -----------------------------------------------------------


def figure_url(figure_id: str, number: int) -> str:
    return f"/figures/{figure_id}/{number}.svg?v={__version__}"


def step_label(step: SessionStep) -> str:
    """What kind of moment this is: 'Set 2 of 3 · left side', 'Rest', 'Get ready'."""
    simple = {
        StepKind.GET_READY: "Get ready",
        StepKind.REST: "Rest",
        StepKind.SWITCH_SIDES: "Switch sides",
        StepKind.RELAX: "Relax",
    }
    if step.kind in simple:
        return simple[step.kind]
    parts = [f"Set {step.set_number} of {step.sets}"]
    if step.side:
        parts.append(f"{step.side} side")
    if step.kind is StepKind.HOLD:
        parts.append(f"hold {step.rep_number} of {step.reps}")
    return " · ".join(parts)


def _figures(exercise_id: str) -> list[dict[str, Any]]:
    try:
        pictures = figure_pictures(exercise_id)
    except NotFoundError:
        return []
    return [
        {"url": figure_url(p.figure_id, p.number), "label": p.label, "alt": p.alt} for p in pictures
    ]


def plan_document(
    plan: SessionPlan, routine: str, before_you_start: str, sources: list[Source]
) -> dict[str, Any]:
    """Everything the player needs to run ``plan`` on its own, offline included."""
    counts = played.work_planned(plan)
    return {
        "routine": routine,
        "name": plan.routine_name,
        "painful_side": plan.painful_side,
        "before_you_start": before_you_start,
        "total_seconds": plan.total_seconds,
        "sources": [s.model_dump(mode="json") for s in sources],
        "exercises": [
            {
                "index": index,
                "id": p.exercise.id,
                "name": p.exercise.name,
                "purpose": p.exercise.purpose,
                "starting_position": p.exercise.starting_position,
                "steps": p.exercise.steps,
                "cues": p.exercise.cues,
                "dose": p.dose.model_dump(mode="json"),
                "reps": p.dose.reps,
                "work_planned": counts.get(p.exercise.id, 0),
                "figures": _figures(p.exercise.id),
                "link": f"/exercises/{p.exercise.id}",
            }
            for index, p in enumerate(plan.exercises)
        ],
        "steps": [
            {
                "kind": s.kind.value,
                "is_work": s.kind.is_work,
                "label": step_label(s),
                "exercise_index": s.exercise_index,
                "exercise_id": s.exercise_id,
                "seconds": s.seconds,
                "text": s.text,
                "side": s.side,
                "set_number": s.set_number,
                "sets": s.sets,
                "reps": s.reps,
                "rep_number": s.rep_number,
                "rep_seconds": s.rep_seconds,
            }
            for s in plan.steps
        ],
    }


class ProfileNeededError(LookupError):
    """A page or call that needs a profile, before one exists."""


class RestDayError(LookupError):
    """Today's plan holds no session."""


def session_plan(routine_id: str, person: str, side: str | None = None) -> dict[str, Any]:
    """The plan document of a library routine, or of today's planned session ("today").

    Raises ExerciseOnHoldError first (the latest symptom check holds every session), then
    NotFoundError / InvalidChoiceError (unknown routine or side), ProfileNeededError and
    RestDayError. An empty ``side`` is no side, as on the page.
    """
    hold = exercise_on_hold(person)
    if hold is not None:
        raise ExerciseOnHoldError(hold)
    side = side or None
    if routine_id == played.TODAY_ROUTINE:
        if not profile_started(person):
            raise ProfileNeededError(PROFILE_NEEDED)
        from piri.cli.program import BEFORE_A_PLAN_SESSION

        week, _day, plan = plan_for_today(person)
        if plan is None:
            raise RestDayError("Today is a rest day in your plan; nerve glides are fine.")
        return plan_document(plan, routine_id, BEFORE_A_PLAN_SESSION, week.phase.sources)
    routine = get_routine(routine_id)
    if side is None and profile_started(person):
        painful = get_profile(person)[0].painful_side
        side = painful if painful in ("left", "right") else None
    plan = plan_routine(routine.id, painful_side=side)
    return plan_document(plan, routine.id, routine.before_you_start, routine.sources)


@router.get(
    "/sessions/plan/{routine_id}",
    responses={
        409: {
            "description": "No session now: `code` `exercise_on_hold` (the latest symptom "
            "check holds the sessions until a professional has seen you; `check_reminder` "
            "says why), `profile_needed` or `rest_day`"
        },
        404: {"description": "`not_found`: no such routine (`suggestions`, `available`)."},
        422: {"description": "`invalid_choice`: `side` is not left or right (`choices`)."},
    },
)
def get_session_plan(
    routine_id: str,
    side: Annotated[str | None, Query(description="Your painful side: left or right.")] = None,
    person: str = Depends(api_person),
) -> Any:
    """The steps of a guided session, for a player: ``today`` (today's planned session) or a
    routine (``relief``, ``strength``, ``article``). Holds, reps, rests and switch-sides with
    their seconds, each exercise's cues and pictures. After an urgent or emergency symptom
    check, every session waits for a professional: 409 ``exercise_on_hold``."""
    try:
        return session_plan(routine_id, person, side)
    except ExerciseOnHoldError as exc:
        return exercise_on_hold_error(exc.reminder)
    except ProfileNeededError:
        return profile_needed()
    except RestDayError as exc:
        return error(409, "rest_day", str(exc))


# --- played sessions ------------------------------------------------------------------------------

Status = Literal["done", "partly done", "skipped", "stopped", "not reached"]


class ExerciseResult(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    exercise: str = Field(description="Exercise id.")
    status: Status = Field(description="As the player's session log gives it.")
    sets_done: int = Field(ge=0, le=200, description="Work steps done (sets per side, holds).")
    sets_planned: int = Field(ge=1, le=200, description="Work steps planned.")
    reps: int | None = Field(None, ge=1, le=50, description="Reps per set, when counted.")


class PlayedSession(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    routine: str = Field(description="'today' for today's planned session, or a routine id.")
    day: dt.date | None = Field(
        None,
        strict=False,  # JSON has no dates: a YYYY-MM-DD string is how one is sent
        description="The day it was done (YYYY-MM-DD), from 2000-01-01 to today; today when "
        "left out.",
    )
    exercises: list[ExerciseResult] = Field(min_length=1, max_length=50)
    pain_during: int | None = Field(None, ge=0, le=10, description="Pain during, 0-10.")
    pain_after: int | None = Field(None, ge=0, le=10, description="Pain right after, 0-10.")
    notes: str = Field("", max_length=2000)


def field_path(field: str) -> str:
    """A field as request validation names it: 'exercises.0.status', not 'exercises[0].status'."""
    return re.sub(r"\[(\d+)\]", r".\1", field)


def entry_document(entry: SessionEntry) -> dict[str, Any]:
    content = library()
    routine = content.routines.get(entry.routine)
    return {
        "id": entry.id,
        "day": entry.day.isoformat(),
        "routine": entry.routine,
        "name": routine.name if routine else f"Planned session ({entry.phase.replace('_', ' ')})",
        "planned_day": entry.planned_day,
        "phase": entry.phase,
        "completed": entry.completed,
        "exercises": [
            {
                **item,
                "name": content.exercises[str(item["exercise"])].name
                if str(item["exercise"]) in content.exercises
                else str(item["exercise"]),
            }
            for item in entry.exercises
        ],
        "pain_during": entry.pain_during,
        "pain_after": entry.pain_after,
        "pain_next_morning": entry.pain_next_morning,
        "usual_morning_pain": entry.usual_morning_pain,
        "decisions": entry.decisions,
        "notes": entry.notes,
    }


@router.post(
    "/sessions",
    status_code=201,
    responses={
        200: {"description": "The same session again (a retry): stored once, `created` false."},
        409: {"description": "`profile_needed`: today's session needs a profile first."},
        422: {"description": "`invalid_session`: `field` names the value that is wrong."},
    },
)
def save_session(body: PlayedSession, person: str = Depends(api_person)) -> Any:
    """Store a played session: each exercise's status and the pain during and right after.
    The doses change only after the next-morning pain (``POST /today/morning``). The same
    result sent twice (a retry) is stored once: the answer then has ``created: false``. A
    session already done is saved even while a symptom check holds the sessions: nothing
    you did is lost."""
    if body.routine == played.TODAY_ROUTINE and not profile_started(person):
        return profile_needed()
    done = [
        ExerciseDone(e.exercise, e.sets_done, e.sets_planned, e.status, e.reps)
        for e in body.exercises
    ]
    try:
        session_id, created = played.record_played_session(
            body.routine,
            body.day or dt.date.today(),
            done,
            body.pain_during,
            body.pain_after,
            person=person,
            notes=body.notes,
        )
    except SessionLogError as exc:
        return error(422, "invalid_session", str(exc), field=field_path(exc.field))
    entry = next(e for e in played.session_history(person) if e.id == session_id)
    document = {**entry_document(entry), "created": created, "next": AFTER_SAVING}
    return document if created else JSONResponse(document, status_code=200)


@router.get("/sessions", response_model=None)
def list_sessions(
    since: Annotated[
        str | None, Query(description="Only sessions on or after this day: YYYY-MM-DD.")
    ] = None,
    person: str = Depends(api_person),
) -> list[dict[str, Any]] | JSONResponse:
    """Every stored session, newest first, with the dose decisions its next morning brought."""
    try:
        day = parse_since(since)  # read here, so that the error names 'since' as /runs does
    except ValueError as problem:
        return error(422, "invalid_input", str(problem), field="since")
    return [entry_document(e) for e in played.session_history(person, since=day)]


# --- today ----------------------------------------------------------------------------------------


class MorningPain(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    morning: int = Field(ge=0, le=10, description="Pain on waking, 0-10.")
    usual: int | None = Field(
        None, ge=0, le=10, description="Your usual morning pain; the diary's when left out."
    )


def morning_document(morning: int, usual: int | None, person: str) -> dict[str, Any]:
    result = record_morning(morning, usual, person=person)
    return {
        "session_day": result.session_day.isoformat(),
        "decisions": result.decisions,
        "phase": result.phase.phase.value,
        "phase_changed": result.phase.changed,
        "phase_reason": result.phase.why,
    }


@router.post(
    "/today/morning",
    responses={
        409: {"description": "`nothing_to_score`: no session waits for its next-morning pain."},
        422: {"description": "`invalid_input`: `field` names the value that is wrong."},
    },
)
def morning_check_in(body: MorningPain, person: str = Depends(api_person)) -> Any:
    """The next-morning pain of the last session (``piri today --morning``): each exercise's
    next dose (progress, hold or step back) and whether the phase changes, in sentences."""
    try:
        return morning_document(body.morning, body.usual, person)
    except NothingToScoreError as exc:
        return error(409, "nothing_to_score", str(exc))
    except ValueError as exc:
        return error(422, "invalid_input", str(exc), field="usual")


def dose_words(dose: dict[str, Any]) -> str:
    sets, reps = dose["sets"], dose.get("reps")
    if dose.get("duration_seconds"):
        return f"{sets} × {dose['duration_seconds']} s"
    if dose.get("hold_seconds"):
        return f"{sets} × {reps} × {dose['hold_seconds']} s holds"
    return f"{sets} × {reps}"


def _day_items(week: Week, weekday: int) -> list[dict[str, Any]]:
    exercises = library().exercises
    return [
        {
            "exercise": e,
            "name": exercises[e].name,
            "dose": dose.model_dump(mode="json"),
            "dose_words": dose_words(dose.model_dump(mode="json")),
        }
        for e, dose in week.days[weekday].items
    ]


def today_document(person: str, today: dt.date | None = None) -> dict[str, Any]:
    """The latest check's hold or reminder first, then today's session (none while a hold
    lasts), what was done today, the check-in waiting and the week at a glance."""
    today = today or dt.date.today()
    reminder = check_reminder_for(person)
    holds = reminder is not None and reminder.holds_exercise
    week = this_week(person, today)
    day = week.days[today.weekday()]
    sessions = played.week_of_sessions(person, today)
    waiting = sessions.waiting
    done_today = [entry_document(e) for e in sessions.sessions if e.day == today]
    return {
        "check_reminder": reminder_as_json(reminder),
        "date": today.isoformat(),
        "weekday": played.WEEKDAYS[today.weekday()],
        "phase": week.phase.id.value,
        "phase_name": week.phase.name,
        "rest_day": day.rest_day,
        "session": None
        if day.rest_day or holds
        else {
            "minutes": day.minutes,
            "exercises": _day_items(week, today.weekday()),
            "done": any(e["planned_day"] for e in done_today),
        },
        "next_session": None if holds else _next_session(week, today),
        "done_today": done_today,
        "waiting_for_morning": entry_document(waiting) if waiting else None,
        "week": [
            {
                "date": g.day.isoformat(),
                "weekday": g.weekday,
                "status": g.status,
                "minutes": g.minutes,
                "sessions": g.sessions,
            }
            for g in played.week_glance(week, list(sessions.sessions), today, sessions.first_day)
        ],
    }


def _next_session(week: Week, today: dt.date) -> dict[str, Any] | None:
    """The next training day after today (this week's plan repeats every week)."""
    for ahead in range(1, 8):
        day = today + dt.timedelta(days=ahead)
        plan = week.days[day.weekday()]
        if not plan.rest_day:
            return {
                "date": day.isoformat(),
                "weekday": played.WEEKDAYS[day.weekday()],
                "minutes": plan.minutes,
                "exercises": _day_items(week, day.weekday()),
            }
    return None


@router.get("/today", responses={409: {"description": "`profile_needed`: no profile yet."}})
def today(person: str = Depends(api_person)) -> Any:
    """Today (``piri today``): the planned session or a rest day, sessions done today, the
    session waiting for its next-morning pain, and this week day by day.

    ``check_reminder`` is what the latest symptom check asks first, or null: ``urgency``,
    ``holds_exercise`` (true after an urgent or emergency result: no session is offered until
    a professional has seen you; ``POST /check/seen-by-professional`` says they have),
    ``stops_running``, ``action``, ``signs``, ``checked_on`` and ``what_it_means``.
    While it holds, ``session`` and ``next_session`` are null."""
    if not profile_started(person):
        return profile_needed()
    return today_document(person)


# --- the plan -------------------------------------------------------------------------------------


def plan_overview(person: str, today: dt.date | None = None) -> dict[str, Any]:
    """``piri plan`` and more: every phase, where the runner is, this week, the last change."""
    today = today or dt.date.today()
    week = this_week(person, today)
    content = library()
    outlook = played.phase_outlook(person, today)
    latest = played.latest_decisions(person)
    profile = week.profile
    order = [p.id for p in content.program.phases]
    current = order.index(week.phase.id)
    return {
        "check_reminder": reminder_as_json(check_reminder_for(person)),
        "phase": week.phase.id.value,
        "phase_since": week.since.isoformat(),
        "phases": [
            {
                "id": p.id.value,
                "name": p.name,
                "purpose": p.purpose,
                "includes": p.includes,
                "moves_on_when": p.moves_on_when,
                "sources": [s.model_dump(mode="json") for s in p.sources],
                "where": "current" if i == current else ("done" if i < current else "ahead"),
            }
            for i, p in enumerate(content.program.phases)
        ],
        "outlook": {"phase": outlook.phase.value, "changes": outlook.changed, "why": outlook.why},
        "profile": {
            "minutes_per_day": profile.minutes_per_day,
            "days_per_week": profile.days_per_week,
            "equipment": sorted(profile.equipment),
            "painful_side": profile.painful_side,
        },
        "days": [
            {
                "weekday": played.WEEKDAYS[d.weekday],
                "rest_day": d.rest_day,
                "minutes": d.minutes,
                "exercises": _day_items(week, d.weekday),
            }
            for d in week.days
        ],
        "strength": [
            {
                "exercise": s.dose.exercise,
                "name": content.exercises[s.dose.exercise].name,
                "sets": s.dose.sets,
                "reps": s.dose.reps,
                "harder": s.dose.harder,
                "harder_name": content.exercises[s.dose.harder].name if s.dose.harder else None,
                "easier": s.dose.easier,
                "good_sessions": s.good_sessions,
                "gait_check": None
                if s.gait_focus is None
                else {
                    "id": s.gait_focus.check_id,
                    "checked": s.gait_focus.checked,
                    "reason": s.gait_focus.reason,
                },
            }
            for s in week.slots
        ],
        "last_change": None
        if latest is None
        else {
            "session_day": latest.day.isoformat(),
            "decisions": latest.decisions,
            "pain_next_morning": latest.pain_next_morning,
        },
    }


@router.get("/plan", responses={409: {"description": "`profile_needed`: no profile yet."}})
def plan(person: str = Depends(api_person)) -> Any:
    """The program (``piri plan``): the phases with the current one marked, what moves it on,
    this week's sessions within your minutes and equipment, and the latest dose decisions.

    ``check_reminder`` is what the latest symptom check asks first, or null: ``urgency``,
    ``holds_exercise`` (true after an urgent or emergency result: no session is offered until
    a professional has seen you; ``POST /check/seen-by-professional`` says they have),
    ``stops_running``, ``action``, ``signs``, ``checked_on`` and ``what_it_means``.
    While it holds, the plan waits for the professional."""
    if not profile_started(person):
        return profile_needed()
    return plan_overview(person)
