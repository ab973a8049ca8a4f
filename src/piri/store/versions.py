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
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, event, select, update
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from piri.store.models import Person

# Tables whose rows are not part of what any page shows about a person's health: sign-ins,
# and the care team's access records (consent, codes, the audit log written on every read a
# clinician makes, notes, templates), which are always read fresh. Without this, rows that
# have no ``person_id`` would give everyone a new version.
UNVERSIONED_TABLES = frozenset(
    {
        "account",
        "login_session",
        "api_token",
        "care_link",
        "care_invitation",
        "audit_entry",
        "care_note",
        "care_template",
        # a gait check's key frames: written in the same flush as their check, whose
        # person_id gives its person the new version
        "gait_frame",
    }
)


def new_token() -> str:
    return uuid.uuid4().hex


# Versions already read in this request (see one_read_per_request), by database and person.
_read_in_request: ContextVar[dict[tuple[str, str], str | None] | None] = ContextVar(
    "piri_versions_read_in_request", default=None
)


@contextmanager
def one_read_per_request() -> Iterator[None]:
    """Within the block each person's version is read from the database once: a page asks for
    it for every answer it shows. Any change written meanwhile forgets what was read."""
    token = _read_in_request.set({})
    try:
        yield
    finally:
        _read_in_request.reset(token)


def data_version(engine: Engine, name: str) -> str | None:
    """The person's current token; None when there is no such person yet.

    Read on a plain connection (no ORM session): it is asked for on every page.
    """
    read = _read_in_request.get()
    key = (engine.url.render_as_string(hide_password=True), name)
    if read is not None and key in read:
        return read[key]
    with engine.connect() as connection:
        found: str | None = connection.scalar(_VERSION_OF, {"name": name})
    if read is not None:
        read[key] = found
    return found


_VERSION_OF = select(Person.data_version).where(Person.name == bindparam("name"))


def _forget_what_was_read() -> None:
    read = _read_in_request.get()
    if read:
        read.clear()


def bump(connection: Connection, owner: int) -> None:
    """A new token for ``owner``, for writes that pass by the ORM (the bulk import)."""
    _forget_what_was_read()
    connection.execute(update(Person).where(Person.id == owner).values(data_version=new_token()))


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
    if people != set():
        _forget_what_was_read()
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
    _forget_what_was_read()
    state.session.connection().execute(update(Person).values(data_version=new_token()))
