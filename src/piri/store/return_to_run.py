"""The runs of the return-to-running plan of one person."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from piri.store.models import WalkRunRecord


def walk_runs(session: Session, owner: int) -> list[WalkRunRecord]:
    query = select(WalkRunRecord).where(WalkRunRecord.person_id == owner)
    return list(session.scalars(query.order_by(WalkRunRecord.day)))


def walk_run_on(session: Session, owner: int, day: dt.date) -> WalkRunRecord | None:
    query = select(WalkRunRecord).where(WalkRunRecord.person_id == owner, WalkRunRecord.day == day)
    return session.scalar(query)


def save_walk_run(session: Session, owner: int, record: WalkRunRecord) -> WalkRunRecord:
    """Store the run of ``record.day``, replacing the one already kept for that day."""
    existing = walk_run_on(session, owner, record.day)
    if existing is None:
        record.person_id = owner
        session.add(record)
        session.flush()
        return record
    for column in WalkRunRecord.__table__.columns:
        if column.key in ("id", "person_id"):
            continue
        value = getattr(record, column.key)
        # A column left unset reads None until a flush applies its default; use the default,
        # as an insert would (else the flags and notes became NULL and the update failed).
        if value is None and column.default is not None and column.default.is_scalar:
            value = column.default.arg
        setattr(existing, column.key, value)
    session.flush()
    return existing
