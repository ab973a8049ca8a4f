"""Reading and writing calendar feeds (tokens arrive hashed) and the entries last exported."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
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
    # One row through the ORM, not a bulk DELETE: piri.store.versions gives every person a
    # new data version on a bulk change, and only this person's data changed.
    row = feed_of(session, owner)
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


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
    session: Session,
    owner: int,
    before: dict[str, EntryState],
    after: dict[str, EntryState],
    forget_before: dt.date | None = None,
) -> int:
    """Write the states in ``after`` that differ from ``before``, and forget the entries of
    days before ``forget_before`` (no export looks back); returns how many rows changed."""
    changed = [state for key, state in after.items() if before.get(key) != state]
    past = [
        key
        for key, state in before.items()
        if forget_before is not None and state.day < forget_before and key not in after
    ]
    if past:  # row by row, for the same reason as delete_feed
        query = select(CalendarEntry).where(
            CalendarEntry.person_id == owner, CalendarEntry.key.in_(past)
        )
        for old in session.scalars(query):
            session.delete(old)
    if not changed:
        session.flush()
        return len(past)
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
        found = rows.get(state.key)
        if found is None:
            row = CalendarEntry(person_id=owner, key=state.key)
            session.add(row)
        else:
            row = found
        row.day = state.day
        row.kind = state.kind
        row.title = state.title[:200]
        row.minutes = state.minutes
        row.fingerprint = state.fingerprint
        row.sequence = state.sequence
        row.modified_at = state.modified
        row.cancelled = state.cancelled
    session.flush()
    return len(changed) + len(past)
