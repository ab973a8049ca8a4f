"""Reading and writing calendar feeds (tokens arrive hashed) and the entries last exported."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from piri.domain.calendar_plan import EntryState
from piri.store.accounts import utc
from piri.store.models import CalendarEntry, CalendarFeed, Person

# Feeds


def feed_of(session: Session, owner: int) -> CalendarFeed | None:
    return session.scalar(select(CalendarFeed).where(CalendarFeed.person_id == owner))


def set_feed(session: Session, owner: int, token_hash: str, now: dt.datetime) -> CalendarFeed:
    """The person's feed with this token: a new one, or the old one with its token replaced
    (the old address stops working in the same transaction)."""
    row = feed_of(session, owner)
    if row is None:
        row = CalendarFeed(person_id=owner, token_hash=token_hash, created_at=now)
        session.add(row)
    else:
        row.token_hash = token_hash
        row.created_at = now
    session.flush()
    return row


def delete_feed(session: Session, owner: int) -> bool:
    result = session.execute(
        delete(CalendarFeed).where(CalendarFeed.person_id == owner),
        execution_options={"synchronize_session": False},
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def feed_by_hash(session: Session, token_hash: str) -> tuple[str, str] | None:
    """(person name, stored hash) of the feed with this token hash; None when there is none."""
    found = session.execute(
        select(Person.name, CalendarFeed.token_hash)
        .join(Person, Person.id == CalendarFeed.person_id)
        .where(CalendarFeed.token_hash == token_hash)
    ).first()
    return (found[0], found[1]) if found is not None else None


# Entries last exported


def entries(session: Session, owner: int) -> dict[str, EntryState]:
    query = select(CalendarEntry).where(CalendarEntry.person_id == owner)
    return {
        row.key: EntryState(
            key=row.key,
            day=row.day,
            kind=row.kind,
            title=row.title,
            minutes=row.minutes,
            fingerprint=row.fingerprint,
            sequence=row.sequence,
            modified=utc(row.modified_at),
            cancelled=row.cancelled,
        )
        for row in session.scalars(query)
    }


def save_entries(
    session: Session, owner: int, before: dict[str, EntryState], after: dict[str, EntryState]
) -> int:
    """Write the states in ``after`` that differ from ``before``; returns how many."""
    changed = [state for key, state in after.items() if before.get(key) != state]
    if not changed:
        return 0
    rows = {
        row.key: row
        for row in session.scalars(
            select(CalendarEntry).where(
                CalendarEntry.person_id == owner,
                CalendarEntry.key.in_([state.key for state in changed]),
            )
        )
    }
    for state in changed:
        row = rows.get(state.key)
        if row is None:
            row = CalendarEntry(person_id=owner, key=state.key)
            session.add(row)
        row.day = state.day
        row.kind = state.kind
        row.title = state.title[:200]
        row.minutes = state.minutes
        row.fingerprint = state.fingerprint
        row.sequence = state.sequence
        row.modified_at = state.modified
        row.cancelled = state.cancelled
    session.flush()
    return len(changed)
