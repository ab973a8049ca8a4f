"""Each person's data version: a new random token whenever anything of theirs changes.

Answers computed from a person's data (the progress charts, the load report) can then be kept
until the token changes (see :mod:`piri.services.memo`), across processes too: the CLI, a
second server worker or a script writing to the same database changes the token, so nobody is
shown stale data. The token is set by session events, not by each repository function, so a
new kind of row is covered without anyone remembering to: every flush that adds, changes or
deletes a row with a ``person_id`` gives that person a new token, and a bulk UPDATE or DELETE
through the session (which names no one row) gives everyone a new one. Sign-in records are
left out: they change on every request and no page's data depends on them.

A token rather than a counter: a person who deletes everything and starts again gets a new
row whose first token cannot repeat an old one, whatever ids the database hands out.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, select, update
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from piri.store.models import Person

# Tables whose rows are not part of what any page shows about a person's health.
UNVERSIONED_TABLES = frozenset({"account", "login_session", "api_token"})


def new_token() -> str:
    return uuid.uuid4().hex


def data_version(session: Session, name: str) -> str | None:
    """The person's current token; None when there is no such person yet."""
    found: str | None = session.scalar(select(Person.data_version).where(Person.name == name))
    return found


def _changed_people(session: Session) -> set[int] | None:
    """Ids of the people whose rows this flush touches; None means "anyone's"."""
    people: set[int] = set()
    for row in _changed_rows(session):
        table = getattr(row, "__tablename__", None)
        if table in UNVERSIONED_TABLES:
            continue
        if isinstance(row, Person):
            if row.id is not None:
                people.add(row.id)
            continue
        owner = getattr(row, "person_id", None)
        if owner is None:
            return None
        people.add(owner)
    return people


def _changed_rows(session: Session) -> Iterable[Any]:
    yield from session.new
    yield from session.deleted
    yield from (row for row in session.dirty if session.is_modified(row))


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    people = _changed_people(session)
    statement = update(Person).values(data_version=new_token())
    if people is not None:
        if not people:
            return
        statement = statement.where(Person.id.in_(people))
    session.connection().execute(statement)


@event.listens_for(Session, "do_orm_execute")
def _on_bulk_change(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    table = getattr(state.statement, "table", None)
    if table is None or table.name in UNVERSIONED_TABLES or table.name == Person.__tablename__:
        return
    state.session.connection().execute(update(Person).values(data_version=new_token()))
