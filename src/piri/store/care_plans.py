"""Reading and writing what clinicians prescribe: published plans, their templates, and notes.

A plan's announcement to the runner ("bea changed your plan ...") is a note like any other,
written in the same transaction as the plan row and stamped with the same moment as the
plan's ``published_at`` (or ``ended_at``); that pairing is how it is told from a note the
clinician typed, and its ``read_at`` is the runner dismissing the card. Times are stored in
UTC; reads go through :func:`piri.store.accounts.utc`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import Exists

from piri.store.models import CareNote, CarePlanRow, CareTemplate

# --- plans -------------------------------------------------------------------------------------


def plan_in_force(session: Session, runner_id: int) -> CarePlanRow | None:
    """The newest publication, unless it was ended (an ended plan is not replaced by the one
    before it: ending means back to Piri's own program)."""
    newest = newest_plan(session, runner_id)
    return newest if newest is not None and newest.ended_at is None else None


def newest_plan(session: Session, runner_id: int) -> CarePlanRow | None:
    return session.scalar(
        select(CarePlanRow)
        .where(CarePlanRow.person_id == runner_id)
        .order_by(CarePlanRow.published_at.desc(), CarePlanRow.id.desc())
        .limit(1)
    )


def plan_before(session: Session, row: CarePlanRow) -> CarePlanRow | None:
    """The publication just before ``row`` (ended or not): what ``row`` changed."""
    return session.scalar(
        select(CarePlanRow)
        .where(CarePlanRow.person_id == row.person_id, CarePlanRow.id < row.id)
        .order_by(CarePlanRow.id.desc())
        .limit(1)
    )


def plan_by_id(session: Session, plan_id: int) -> CarePlanRow | None:
    return session.get(CarePlanRow, plan_id)


def add_plan(
    session: Session,
    runner_id: int,
    author_id: int,
    author_name: str,
    progression: str,
    source: str,
    items: Sequence[dict[str, object]],
    now: dt.datetime,
) -> CarePlanRow:
    """A new publication; the one in force before it ends now (so at most one is open)."""
    current = plan_in_force(session, runner_id)
    if current is not None:
        current.ended_at = now
    row = CarePlanRow(
        person_id=runner_id,
        author_id=author_id,
        author_name=author_name,
        published_at=now,
        progression=progression,
        source=source[:80],
        items=list(items),
    )
    session.add(row)
    session.flush()
    return row


# --- notes -------------------------------------------------------------------------------------


def add_note(
    session: Session,
    runner_id: int,
    author_id: int | None,
    author_name: str,
    text: str,
    now: dt.datetime,
) -> CareNote:
    row = CareNote(
        runner_id=runner_id,
        author_id=author_id,
        author_name=author_name,
        written_at=now,
        text=text,
    )
    session.add(row)
    session.flush()
    return row


def _announces_a_plan() -> Exists:
    """A note written with a plan's publication or end (see the module's docstring)."""
    return exists().where(
        and_(
            CarePlanRow.person_id == CareNote.runner_id,
            or_(
                CarePlanRow.published_at == CareNote.written_at,
                CarePlanRow.ended_at == CareNote.written_at,
            ),
        )
    )


def unread_notes(session: Session, runner_id: int, announcements: bool) -> list[CareNote]:
    """Notes the runner has not marked read, newest first: the clinicians' own notes, or
    (``announcements``) the plan changes."""
    pairing = _announces_a_plan()
    query = select(CareNote).where(
        CareNote.runner_id == runner_id,
        CareNote.read_at.is_(None),
        pairing if announcements else ~pairing,
    )
    return list(session.scalars(query.order_by(CareNote.written_at.desc(), CareNote.id.desc())))


def note_of_runner(session: Session, runner_id: int, note_id: int) -> CareNote | None:
    """The note, only when it is addressed to ``runner_id`` (nobody marks another's notes)."""
    row = session.get(CareNote, note_id)
    return row if row is not None and row.runner_id == runner_id else None


# --- templates ---------------------------------------------------------------------------------


class TemplateNameTakenError(ValueError):
    """The clinician already has a template of that name."""


def templates_of(session: Session, owner_id: int) -> list[CareTemplate]:
    query = select(CareTemplate).where(CareTemplate.owner_id == owner_id)
    return list(session.scalars(query.order_by(CareTemplate.name, CareTemplate.id)))


def template_of(session: Session, owner_id: int, template_id: int) -> CareTemplate | None:
    row = session.get(CareTemplate, template_id)
    return row if row is not None and row.owner_id == owner_id else None


def add_template(
    session: Session,
    owner_id: int,
    name: str,
    items: Sequence[dict[str, object]],
    now: dt.datetime,
) -> CareTemplate:
    """A new template; a name the owner already uses (any case) is refused. The unique
    constraint decides between two saves at the same moment (in a savepoint of its own)."""
    taken = session.scalar(
        select(CareTemplate.id).where(
            CareTemplate.owner_id == owner_id,
            func.lower(CareTemplate.name) == name.lower(),
        )
    )
    if taken is not None:
        raise TemplateNameTakenError(name)
    row = CareTemplate(owner_id=owner_id, name=name, items=list(items), created_at=now)
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        raise TemplateNameTakenError(name) from None
    return row


def delete_template(session: Session, row: CareTemplate) -> None:
    session.delete(row)
    session.flush()
