"""Pages: prescribing. ``/clinic/runners/{username}/plan`` builds a runner's plan (from a
template or the library, a dose and a note per exercise, automatic or manual progression),
publishes or ends it, and writes the runner a note; ``/clinic/templates`` lists the
clinician's own templates.

The builder is one plain form (no JavaScript needed): a row for every exercise of the library,
the chosen starting point's exercises ticked and first, each row asking only for what its
exercise is counted by (sets and reps, holds and their seconds, or the seconds of a set).
Thin: everything goes to :mod:`piri.services.care_plan` and :mod:`piri.services.care_notes`;
a refused form comes back with the message next to its field and what was typed kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from piri.domain.care_plan import PlanItem, dose_words
from piri.domain.values import whole_number
from piri.services import care_notes as notes_service
from piri.services import care_plan as plan_service
from piri.services.care import CareError
from piri.services.care_plan import Builder
from piri.web.identity import page_person
from piri.web.templating import render

router = APIRouter()

START_EMPTY = "none"  # ?start=none: the builder with nothing ticked, to pick from the library

DONE = {
    "published": "Published: the runner's program follows this plan from their next page, "
    "and they are told what changed.",
    "ended": "Plan ended: the runner is back on Piri's own program, and they are told.",
    "noted": "Note sent: it shows on the runner's Today page until they mark it read.",
    "saved": "Template saved: it is offered as a starting point for every runner.",
}


@dataclass(frozen=True)
class Row:
    """One exercise of the builder form."""

    id: str
    name: str
    kind: str  # reps, holds, timed
    included: bool
    sets: str
    reps: str
    hold_seconds: str
    notes: str


def _text(value: int | None) -> str:
    return "" if value is None else str(value)


def _rows(builder: Builder, start: tuple[PlanItem, ...]) -> list[Row]:
    """The starting point's exercises first, in its order and ticked; then the rest of the
    library at the content's own doses."""
    chosen = {item.exercise: item for item in start}
    by_id = {e.id: e for e in builder.exercises}
    order = [i.exercise for i in start] + [e.id for e in builder.exercises if e.id not in chosen]
    rows = []
    for exercise_id in order:
        found = by_id[exercise_id]
        item = chosen.get(exercise_id, found.default)
        rows.append(
            Row(
                found.id,
                found.name,
                found.kind,
                exercise_id in chosen,
                _text(item.sets),
                _text(item.reps),
                _text(item.hold_seconds),
                item.notes if exercise_id in chosen else "",
            )
        )
    return rows


def _typed_rows(form: FormData) -> list[Row]:
    """The rows as the form sent them (in the form's order), to show them back."""
    exercises = plan_service.library_exercises()
    by_id = {e.id: e for e in exercises}
    order = [str(v) for v in form.getlist("row") if str(v) in by_id]
    order += [e.id for e in exercises if e.id not in order]
    return [
        Row(
            e,
            by_id[e].name,
            by_id[e].kind,
            form.get(f"{e}.include") == "yes",
            str(form.get(f"{e}.sets") or ""),
            str(form.get(f"{e}.reps") or ""),
            str(form.get(f"{e}.hold_seconds") or ""),
            str(form.get(f"{e}.notes") or ""),
        )
        for e in order
    ]


def _number(text: str) -> int | str | None:
    """A typed number as a number; other text as it is, for the check to name it."""
    if not text.strip():
        return None
    found = whole_number(text)
    return found if found is not None else text.strip()


def _items(rows: list[Row]) -> list[dict[str, Any]]:
    """The ticked rows as plan items, only with the fields each exercise is counted by."""
    items = []
    for row in rows:
        if not row.included:
            continue
        item: dict[str, Any] = {"exercise": row.id, "sets": _number(row.sets), "notes": row.notes}
        if row.kind != "timed":
            item["reps"] = _number(row.reps)
        if row.kind != "reps":
            item["hold_seconds"] = _number(row.hold_seconds)
        items.append(item)
    return items


def _field_of(problem: CareError, rows: list[Row]) -> str:
    """'items.2.reps' as the form field of the third ticked row: 'clamshell.reps'."""
    field = problem.field or "form"
    parts = field.split(".")
    if parts[0] == "items" and len(parts) >= 2 and parts[1].isdigit():
        ticked = [row.id for row in rows if row.included]
        index = int(parts[1])
        if index < len(ticked):
            return f"{ticked[index]}.{parts[2]}" if len(parts) > 2 else f"{ticked[index]}.include"
    return field


def _start(builder: Builder, key: str | None) -> tuple[tuple[PlanItem, ...], str]:
    """Where the form starts: the chosen template ("none": nothing ticked), else the plan in
    force, else nothing."""
    if key == START_EMPTY:
        return (), ""
    if key:
        for template in builder.templates:
            if template.key == key:
                return template.items, template.key
    if builder.plan is not None:
        return builder.plan.items, builder.plan.source
    return (), ""


def _page(
    request: Request,
    builder: Builder,
    rows: list[Row],
    source: str,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    extra.setdefault("errors", {})
    extra.setdefault("progression", builder.plan.progression.value if builder.plan else "automatic")
    names = {e.id: e.name for e in builder.exercises}
    return render(
        request,
        "clinic/plan.html",
        status_code=status_code,
        title=f"{builder.runner}'s plan",
        builder=builder,
        rows=rows,
        source=source,
        names=names,
        dose_words=dose_words,
        **extra,
    )


@router.get("/clinic/runners/{username}/plan")
def plan_builder(
    request: Request,
    username: str,
    start: str | None = None,
    done: str | None = None,
    person: str = Depends(page_person),
) -> Response:
    builder = plan_service.builder(person, username)
    items, source = _start(builder, start)
    return _page(request, builder, _rows(builder, items), source, done=DONE.get(done or ""))


@router.post("/clinic/runners/{username}/plan")
async def publish_plan(
    request: Request, username: str, person: str = Depends(page_person)
) -> Response:
    form = await request.form()
    rows = _typed_rows(form)
    progression = str(form.get("progression") or "")
    source = str(form.get("source") or "")
    try:
        plan_service.publish(person, username, _items(rows), progression, source)
    except CareError as problem:
        errors = {_field_of(problem, rows): problem.message}
        builder = plan_service.builder(person, username)
        return _page(request, builder, rows, source, 422, errors=errors, progression=progression)
    return RedirectResponse(f"/clinic/runners/{quote(username, safe='')}/plan?done=published", 303)


@router.post("/clinic/runners/{username}/plan/end")
async def end_plan(request: Request, username: str, person: str = Depends(page_person)) -> Response:
    form = await request.form()
    if form.get("confirm") != "yes":
        builder = plan_service.builder(person, username)
        items, source = _start(builder, None)
        errors = {
            "confirm": "Tick the box to end the plan: the runner goes back to Piri's own program."
        }
        return _page(request, builder, _rows(builder, items), source, 422, errors=errors)
    plan_service.end_plan(person, username)
    return RedirectResponse(f"/clinic/runners/{quote(username, safe='')}/plan?done=ended", 303)


@router.post("/clinic/runners/{username}/notes")
async def write_note(
    request: Request, username: str, person: str = Depends(page_person)
) -> Response:
    form = await request.form()
    text = str(form.get("text") or "")
    try:
        notes_service.write_note(person, username, text)
    except CareError as problem:
        builder = plan_service.builder(person, username)
        items, source = _start(builder, None)
        errors = {"text": problem.message}
        return _page(request, builder, _rows(builder, items), source, 422, errors=errors, note=text)
    return RedirectResponse(f"/clinic/runners/{quote(username, safe='')}/plan?done=noted#note", 303)


# --- templates ----------------------------------------------------------------------------------


@router.get("/clinic/templates")
def templates_page(
    request: Request, done: str | None = None, person: str = Depends(page_person)
) -> Response:
    found = plan_service.my_templates(person)
    return render(
        request,
        "clinic/templates.html",
        title="Your templates",
        templates=found,
        dose_words=dose_words,
        names=_library_names(),
        done="Template deleted." if done == "deleted" else None,
        errors={},
    )


def _library_names() -> dict[str, str]:
    from piri.content.loader import library

    return {e.id: e.name for e in library().exercises.values()}


@router.post("/clinic/templates")
async def save_template(request: Request, person: str = Depends(page_person)) -> Response:
    """Save the builder's ticked rows as a template (the form names the runner it came from,
    to go back to)."""
    form = await request.form()
    username = str(form.get("runner") or "")
    rows = _typed_rows(form)
    name = str(form.get("template_name") or "")
    try:
        saved = plan_service.save_template(person, name, _items(rows))
    except CareError as problem:
        field = "template_name" if problem.field == "name" else _field_of(problem, rows)
        builder = plan_service.builder(person, username)
        return _page(
            request,
            builder,
            rows,
            str(form.get("source") or ""),
            422,
            errors={field: problem.message},
            progression=str(form.get("progression") or "automatic"),
            template_name=name,
        )
    back = quote(username, safe="")
    return RedirectResponse(f"/clinic/runners/{back}/plan?start={saved.key}&done=saved", 303)


@router.post("/clinic/templates/{template_id}/delete")
def delete_template(template_id: int, person: str = Depends(page_person)) -> Response:
    plan_service.delete_template(person, template_id)
    return RedirectResponse("/clinic/templates?done=deleted", 303)
