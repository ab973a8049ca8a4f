"""Prescribing: a clinician builds a plan for one runner, publishes it, ends it; their own
templates; and what the runner is told about it.

Every clinician call goes through :func:`piri.services.care.open_record` first (the
"sessions" share: the program and its doses), which checks the open link and writes the
audit entry; only then is anything read or written. Each publication is a new row; the
runner's week follows the newest one not ended (:func:`piri.services.program._week`), and an
announcement of what changed waits on the runner's Today and Plan pages until dismissed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from piri.content.loader import library
from piri.domain.care import Share
from piri.domain.care_plan import (
    PlanError,
    PlanItem,
    PlanTemplate,
    Progression,
    change_sentence,
    check_items,
    check_progression,
    check_template_name,
    content_templates,
    dose_kind,
    dose_words,
    item_from_dose,
    item_from_json,
    plan_changes,
)
from piri.services.care import CareError, NeedsAccountsError, NotAClinicianError, open_record
from piri.services.diary import store
from piri.store import care_plans as plan_store
from piri.store.accounts import account_of_person, utc
from piri.store.care_plans import TemplateNameTakenError
from piri.store.database import transaction
from piri.store.models import Account, CareNote, CarePlanRow, CareTemplate

SOURCE_MAX = 80  # care_plan.source


@dataclass(frozen=True)
class PlanView:
    """A published plan, as the runner and the clinician see it."""

    id: int
    author: str
    published_at: dt.datetime
    progression: Progression
    source: str
    items: tuple[PlanItem, ...]
    changes: tuple[str, ...]  # from the publication before it, in a few words each
    in_force: bool


@dataclass(frozen=True)
class Announcement:
    """A plan change the runner has not dismissed yet (a note written with the plan)."""

    id: int
    author: str
    at: dt.datetime
    text: str


@dataclass(frozen=True)
class LibraryExercise:
    id: str
    name: str
    kind: str  # piri.domain.care_plan.DoseKind
    default: PlanItem  # the content's own dose


@dataclass(frozen=True)
class Builder:
    """What the plan builder needs: the runner, their plan in force, where to start."""

    runner: str  # username
    plan: PlanView | None
    templates: tuple[PlanTemplate, ...]  # the content's, then the clinician's own
    exercises: tuple[LibraryExercise, ...]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _refused(problem: PlanError) -> CareError:
    return CareError(problem.field, problem.message[:1].upper() + problem.message[1:] + ".")


def _clinician(session: Session, person: str) -> Account:
    found = account_of_person(session, person)
    if found is None:
        raise NeedsAccountsError
    if not found.is_clinician:
        raise NotAClinicianError
    return found


def _names() -> dict[str, str]:
    return {e.id: e.name for e in library().exercises.values()}


def _view(session: Session, row: CarePlanRow, in_force: bool) -> PlanView:
    items = tuple(item_from_json(item) for item in row.items)
    before = plan_store.plan_before(session, row)
    changes = plan_changes(
        None if before is None else [item_from_json(i) for i in before.items],
        items,
        _names(),
        None if before is None else before.progression,
        row.progression,
    )
    return PlanView(
        row.id,
        row.author_name,
        utc(row.published_at),
        Progression(row.progression),
        row.source,
        items,
        tuple(changes),
        in_force,
    )


def _runner_id(session: Session, runner: str) -> int | None:
    found = account_of_person(session, runner)
    return found.person_id if found is not None else None


# --- the clinician's side --------------------------------------------------------------------


def builder(clinician: str, runner_username: str) -> Builder:
    """The plan builder for one runner (a read of their program, audited)."""
    record = open_record(clinician, runner_username, Share.SESSIONS, "read", "plan")
    content = library()
    with transaction(store()) as session:
        me = _clinician(session, clinician)
        runner_id = _runner_id(session, record.runner)
        row = plan_store.plan_in_force(session, runner_id) if runner_id is not None else None
        plan = _view(session, row, True) if row is not None else None
        own = [_own_template(t) for t in plan_store.templates_of(session, me.person_id)]
    found = content_templates(content.routines, content.program, content.exercises)
    return Builder(record.username, plan, tuple(found + own), library_exercises())


def library_exercises() -> tuple[LibraryExercise, ...]:
    """Every exercise a plan may hold, by name, with its dose model and its own dose (the
    content only: nobody's record is read)."""
    return tuple(
        LibraryExercise(e.id, e.name, dose_kind(e.dose).value, _default(e.id))
        for e in sorted(library().exercises.values(), key=lambda e: e.name)
    )


def _default(exercise_id: str) -> PlanItem:
    exercise = library().exercises[exercise_id]
    return item_from_dose(exercise, exercise.dose)


def publish(
    clinician: str,
    runner_username: str,
    items: Sequence[Mapping[str, Any]],
    progression: str,
    source: str = "",
) -> PlanView:
    """Check every item against its exercise's dose model, then publish: the runner's
    program follows it from their next request, and they are told what changed."""
    try:
        checked = check_items(library().exercises, items)
        chosen = check_progression(progression)
    except PlanError as problem:
        raise _refused(problem) from None
    words = ", ".join(f"{i.exercise} {dose_words(i)}" for i in checked)
    record = open_record(
        clinician, runner_username, Share.SESSIONS, "change", "plan", f"published: {words}"
    )
    now = _now()
    with transaction(store()) as session:
        me = _clinician(session, clinician)
        runner_id = _runner_id(session, record.runner)
        if runner_id is None:  # the account went between the two reads
            raise CareError(None, "That runner's account is gone.")
        # A first plan, or the first since one was ended: announced as a whole.
        first = plan_store.plan_in_force(session, runner_id) is None
        row = plan_store.add_plan(
            session,
            runner_id,
            me.person_id,
            me.username,
            chosen.value,
            " ".join(source.split())[:SOURCE_MAX],
            [i.as_json() for i in checked],
            now,
        )
        view = _view(session, row, True)
        names = _names()
        told = [f"{names[i.exercise]} {dose_words(i)}" for i in checked] if first else view.changes
        text = change_sentence(me.username, now.date(), told, first=first)
        plan_store.add_note(session, runner_id, me.person_id, me.username, text, now)
        return view


def end_plan(clinician: str, runner_username: str) -> None:
    """Back to Piri's own program for the runner (they are told)."""
    record = open_record(clinician, runner_username, Share.SESSIONS, "change", "plan", "ended")
    now = _now()
    with transaction(store()) as session:
        me = _clinician(session, clinician)
        runner_id = _runner_id(session, record.runner)
        row = plan_store.plan_in_force(session, runner_id) if runner_id is not None else None
        if row is None or runner_id is None:
            raise CareError(None, "There is no plan of yours in force to end.")
        row.ended_at = now
        text = change_sentence(me.username, now.date(), [], first=False, ended=True)
        plan_store.add_note(session, runner_id, me.person_id, me.username, text, now)


# --- templates ----------------------------------------------------------------------------------


def _own_template(row: CareTemplate) -> PlanTemplate:
    items = tuple(item_from_json(i) for i in row.items)
    return PlanTemplate(f"mine:{row.id}", row.name, "Your own template", items)


def my_templates(clinician: str) -> list[PlanTemplate]:
    with transaction(store()) as session:
        me = _clinician(session, clinician)
        return [_own_template(t) for t in plan_store.templates_of(session, me.person_id)]


def save_template(clinician: str, name: str, items: Sequence[Mapping[str, Any]]) -> PlanTemplate:
    """A named starting point of the clinician's own; a name they already use is refused."""
    try:
        checked_name = check_template_name(name)
        checked = check_items(library().exercises, items)
    except PlanError as problem:
        raise _refused(problem) from None
    with transaction(store()) as session:
        me = _clinician(session, clinician)
        try:
            row = plan_store.add_template(
                session, me.person_id, checked_name, [i.as_json() for i in checked], _now()
            )
        except TemplateNameTakenError:
            raise CareError(
                "name",
                f"You already have a template called '{checked_name}': choose another name, "
                "or delete that one first.",
            ) from None
        return _own_template(row)


def delete_template(clinician: str, template_id: int) -> None:
    with transaction(store()) as session:
        me = _clinician(session, clinician)
        row = plan_store.template_of(session, me.person_id, template_id)
        if row is None:
            raise CareError("template", f"You have no template number {template_id}.")
        plan_store.delete_template(session, row)


# --- the runner's side ------------------------------------------------------------------------


def care_plan_of(runner: str) -> PlanView | None:
    """The clinician's plan in force for ``runner``, who set it and what it changed; None
    under Piri's own program (always None in single-person mode)."""
    with transaction(store()) as session:
        runner_id = _runner_id(session, runner)
        if runner_id is None:
            return None
        row = plan_store.plan_in_force(session, runner_id)
        return _view(session, row, True) if row is not None else None


def _announcement(row: CareNote) -> Announcement:
    return Announcement(row.id, row.author_name, utc(row.written_at), row.text)


def plan_announcements(runner: str) -> list[Announcement]:
    """Plan changes the runner has not dismissed, newest first ([] without an account)."""
    with transaction(store()) as session:
        runner_id = _runner_id(session, runner)
        if runner_id is None:
            return []
        return [_announcement(n) for n in plan_store.unread_notes(session, runner_id, True)]
