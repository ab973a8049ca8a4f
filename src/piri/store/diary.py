"""Reading and writing the pain diary; every query is limited to one person."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from piri.domain.diary import DayEntry
from piri.store.models import DiaryEntry, Person


def person_id(session: Session, name: str) -> int:
    """The id of the person called ``name``, created on first use.

    Several requests of a new person often arrive at once (a page and the calls it makes):
    each may find nobody and create them. The insert therefore does nothing when another one
    got there first (``ON CONFLICT DO NOTHING``, in SQLite and PostgreSQL alike, after waiting
    for it to commit), and the id is read again."""
    found = session.scalar(select(Person.id).where(Person.name == name))
    if found is not None:
        return found
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    values = {"name": name, "data_version": uuid.uuid4().hex}
    session.execute(insert(Person).values(values).on_conflict_do_nothing(index_elements=["name"]))
    created = session.scalar(select(Person.id).where(Person.name == name))
    assert created is not None  # inserted now, or by whoever got there first
    return created


def save_day(session: Session, owner: int, entry: DayEntry) -> bool:
    """Store a day; returns True when it replaced an earlier entry for that day."""
    row = session.scalar(
        select(DiaryEntry).where(DiaryEntry.person_id == owner, DiaryEntry.day == entry.day)
    )
    replaced = row is not None
    if row is None:
        row = DiaryEntry(person_id=owner, day=entry.day)
        session.add(row)
    row.pain_now = entry.pain_now
    row.worst_pain = entry.worst_pain
    row.sitting_pain = entry.sitting_pain
    row.sitting_minutes_before_pain = entry.sitting_minutes_before_pain
    row.running_pain = entry.running_pain
    row.tingling = entry.tingling
    row.notes = entry.notes
    session.flush()
    return replaced


# The diary's columns in DayEntry's order: rows are read as plain tuples (no ORM objects),
# which matters for years of days.
DAY_COLUMNS = (
    DiaryEntry.day,
    DiaryEntry.pain_now,
    DiaryEntry.worst_pain,
    DiaryEntry.sitting_pain,
    DiaryEntry.sitting_minutes_before_pain,
    DiaryEntry.running_pain,
    DiaryEntry.tingling,
    DiaryEntry.notes,
)


def days(session: Session, owner: int, since: dt.date | None = None) -> list[DayEntry]:
    query = select(*DAY_COLUMNS).where(DiaryEntry.person_id == owner).order_by(DiaryEntry.day)
    if since is not None:
        query = query.where(DiaryEntry.day >= since)
    return [DayEntry(*row) for row in session.execute(query)]


def forget_person(session: Session, name: str) -> bool:
    """Delete the person and, through the foreign keys, everything that is theirs."""
    person = session.scalar(select(Person).where(Person.name == name))
    if person is None:
        return False
    session.delete(person)
    session.flush()
    return True
