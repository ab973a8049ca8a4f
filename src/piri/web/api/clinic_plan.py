"""Prescribing as JSON: a clinician's plan for one runner, their own templates, notes; and the
runner's side of it (the plan in force, who set it, what changed; the notes to read).

Thin: every call goes to :mod:`piri.services.care_plan` or :mod:`piri.services.care_notes`,
which check the open link on every request (:func:`piri.services.care.open_record`). Errors
are the app's care-team answers (``piri.web.errors``): 404 ``no_access`` without an open link
that shares the sessions (any link for notes), 403 ``not_a_clinician``, 422
``invalid_care_request`` naming the ``field`` (``items.0.reps``, ``progression``, ``name``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from piri.domain.care_plan import PlanItem, PlanTemplate, dose_words
from piri.services import care_notes as notes_service
from piri.services import care_plan as plan_service
from piri.services.care_notes import NoteNotFoundError, NoteView
from piri.services.care_plan import Announcement, PlanView
from piri.web.api.ids import NoteId, TemplateId
from piri.web.errors import error
from piri.web.identity import api_person

router = APIRouter(tags=["prescribing"])

Answers = dict[int | str, dict[str, Any]]
NO_ACCOUNTS = "`no_accounts`: single-person mode has no care team"
CLINICIANS: Answers = {
    403: {"description": "`not_a_clinician`: needs the clinician role (PUT /care/role)."},
    404: {"description": NO_ACCOUNTS + "."},
}
RUNNERS: Answers = {
    **CLINICIANS,
    404: {
        "description": "`no_access`: no open link to that runner that shares their sessions "
        f"(any open link, for notes); {NO_ACCOUNTS}."
    },
}
REFUSED: Answers = {422: {"description": "`invalid_care_request`: `field` names what is wrong."}}


class ItemIn(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    exercise: str = Field(description="Exercise id (GET /exercises).")
    sets: int = Field(description="Sets, 1 to 10.")
    reps: int | None = Field(
        None, description="Reps a set (or holds a set), for exercises counted in reps."
    )
    hold_seconds: int | None = Field(
        None,
        description="Seconds of each hold for an exercise of holds; seconds of each set for "
        "one done for a time (side plank, foam roll).",
    )
    notes: str = Field("", description="Your note on this exercise, up to 500 characters.")


class PlanIn(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    progression: str = Field(
        description="'automatic' (Piri's pain rules move the strength doses after each "
        "session's next-morning check) or 'manual' (doses stay as you set them; the pain "
        "rules' advice is still shown to the runner)."
    )
    items: list[ItemIn] = Field(description="The exercises in session order, 1 to 20.")
    source: str = Field("", description="The template it began from, e.g. 'routine:article'.")


class TemplateIn(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    name: str = Field(description="Unique among your templates, up to 80 characters.")
    items: list[ItemIn]


class NoteIn(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    text: str = Field(description="The note, 1 to 2000 characters.")


def item_document(item: PlanItem, names: dict[str, str]) -> dict[str, Any]:
    return {
        **item.as_json(),
        "name": names.get(item.exercise, item.exercise),
        "dose_words": dose_words(item),
    }


def _names() -> dict[str, str]:
    from piri.content.loader import library

    return {e.id: e.name for e in library().exercises.values()}


def plan_document(plan: PlanView) -> dict[str, Any]:
    names = _names()
    return {
        "id": plan.id,
        "set_by": plan.author,
        "published_at": plan.published_at.isoformat(),
        "progression": plan.progression.value,
        "source": plan.source,
        "items": [item_document(i, names) for i in plan.items],
        "changes": list(plan.changes),
    }


def template_document(template: PlanTemplate) -> dict[str, Any]:
    names = _names()
    return {
        "key": template.key,
        "name": template.name,
        "description": template.description,
        "items": [item_document(i, names) for i in template.items],
    }


def note_document(note: NoteView | Announcement) -> dict[str, Any]:
    when = note.written_at if isinstance(note, NoteView) else note.at
    return {"id": note.id, "author": note.author, "written_at": when.isoformat(), "text": note.text}


def _items(items: list[ItemIn]) -> list[dict[str, Any]]:
    return [item.model_dump() for item in items]


# --- the clinician's side --------------------------------------------------------------------


@router.get("/clinic/runners/{username}/plan", responses=RUNNERS)
def get_runner_plan(username: str, person: str = Depends(api_person)) -> Any:
    """The runner's plan in force (null under Piri's own program), the templates to start
    from (the article's six, the routines and phases, then your own) and the library with
    each exercise's dose model (``reps``, ``holds`` or ``timed``) and its own dose."""
    builder = plan_service.builder(person, username)
    names = _names()
    return {
        "runner": builder.runner,
        "plan": plan_document(builder.plan) if builder.plan else None,
        "templates": [template_document(t) for t in builder.templates],
        "exercises": [
            {
                "id": e.id,
                "name": e.name,
                "dose_model": e.kind,
                "default": item_document(e.default, names),
            }
            for e in builder.exercises
        ],
    }


@router.put("/clinic/runners/{username}/plan", responses={**RUNNERS, **REFUSED})
def publish_runner_plan(username: str, body: PlanIn, person: str = Depends(api_person)) -> Any:
    """Publish a plan: a new publication each time; the runner's program follows it (on
    their own training days) and they are told what changed. A dose outside its exercise's
    dose model is 422 naming the field (``items.0.reps``)."""
    view = plan_service.publish(person, username, _items(body.items), body.progression, body.source)
    return plan_document(view)


@router.delete("/clinic/runners/{username}/plan", status_code=204, responses={**RUNNERS, **REFUSED})
def end_runner_plan(username: str, person: str = Depends(api_person)) -> Response:
    """End the plan in force: the runner is back on Piri's own program (and told)."""
    plan_service.end_plan(person, username)
    return Response(status_code=204)


@router.post("/clinic/runners/{username}/notes", status_code=201, responses={**RUNNERS, **REFUSED})
def write_note(username: str, body: NoteIn, person: str = Depends(api_person)) -> Any:
    """A note to the runner, shown on their Today page until they mark it read. Any open
    link may write one, whatever it shares."""
    return note_document(notes_service.write_note(person, username, body.text))


@router.get("/clinic/templates", responses=CLINICIANS)
def list_templates(person: str = Depends(api_person)) -> Any:
    """Your own templates (the content's are listed with a runner's plan)."""
    return [template_document(t) for t in plan_service.my_templates(person)]


@router.post("/clinic/templates", status_code=201, responses={**CLINICIANS, **REFUSED})
def save_template(body: TemplateIn, person: str = Depends(api_person)) -> Any:
    """Save a template of your own; a name you already use is 422 on ``name``."""
    return template_document(plan_service.save_template(person, body.name, _items(body.items)))


@router.delete(
    "/clinic/templates/{template_id}", status_code=204, responses={**CLINICIANS, **REFUSED}
)
def delete_template(template_id: TemplateId, person: str = Depends(api_person)) -> Response:
    plan_service.delete_template(person, template_id)
    return Response(status_code=204)


# --- the runner's side ------------------------------------------------------------------------


@router.get("/care-plan")
def care_plan(person: str = Depends(api_person)) -> Any:
    """The plan your care team set (null under Piri's own program): who set it, when, the
    exercises and doses, what it changed; and ``announcements``, the plan changes you have
    not dismissed (``POST /notes/{id}/read`` dismisses one)."""
    plan = plan_service.care_plan_of(person)
    return {
        "plan": plan_document(plan) if plan else None,
        "announcements": [note_document(a) for a in plan_service.plan_announcements(person)],
    }


@router.get("/notes")
def unread_notes(person: str = Depends(api_person)) -> Any:
    """Notes from your care team you have not marked read, newest first."""
    return [note_document(n) for n in notes_service.unread_notes(person)]


@router.post(
    "/notes/{note_id}/read",
    response_model=None,
    responses={404: {"description": "`not_found`: you have no note with that id."}},
)
def mark_read(note_id: NoteId, person: str = Depends(api_person)) -> Response | dict[str, Any]:
    """Mark a note read (or dismiss a plan change): it leaves Today."""
    try:
        read_at = notes_service.mark_read(person, note_id)
    except NoteNotFoundError as exc:
        return error(404, "not_found", str(exc))
    return {"id": note_id, "read_at": read_at.isoformat()}
