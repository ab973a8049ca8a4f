"""Every row that belongs to a person, as plain JSON-ready dicts, and back."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, DateTime, select
from sqlalchemy.orm import Session

from piri.store.models import (
    ActivityRow,
    Base,
    OutcomeScore,
    PrescriptionRow,
    Profile,
    SessionRecord,
    WalkRunRecord,
)

# The person's tables other than the diary (which has its own checked path), by export key.
TABLES: dict[str, type[Base]] = {
    "profile": Profile,
    "sessions": SessionRecord,
    "prescriptions": PrescriptionRow,
    "outcome_scores": OutcomeScore,
    "activities": ActivityRow,
    "walk_runs": WalkRunRecord,
}
NOT_EXPORTED = {"id", "person_id"}


def rows_of(session: Session, owner: int, model: type[Base]) -> list[dict[str, Any]]:
    columns = [c for c in model.__table__.columns if c.name not in NOT_EXPORTED]
    query = select(model).where(model.person_id == owner).order_by(model.id)  # type: ignore[attr-defined]
    found = []
    for row in session.scalars(query):
        values = {}
        for column in columns:
            value = getattr(row, column.key)
            values[column.key] = value.isoformat() if isinstance(value, dt.date) else value
        found.append(values)
    return found


def add_rows(session: Session, owner: int, model: type[Base], rows: list[dict[str, Any]]) -> None:
    """Insert exported rows for ``owner``; a wrong field name or value raises ValueError."""
    columns = {c.key: c for c in model.__table__.columns if c.name not in NOT_EXPORTED}
    for number, raw in enumerate(rows, start=1):
        if not isinstance(raw, dict):
            raise ValueError(f"{model.__tablename__} {number}: expected an object")
        unknown = sorted(set(raw) - set(columns))
        if unknown:
            raise ValueError(f"{model.__tablename__} {number}: unknown fields {unknown}")
        values = {}
        for key, value in raw.items():
            column_type = columns[key].type
            if value is not None and isinstance(column_type, Date | DateTime):
                try:
                    parse = dt.datetime if isinstance(column_type, DateTime) else dt.date
                    value = parse.fromisoformat(value)
                except (TypeError, ValueError):
                    raise ValueError(
                        f"{model.__tablename__} {number}, field '{key}': {value!r} is not a date"
                    ) from None
            values[key] = value
        session.add(model(person_id=owner, **values))
    session.flush()


def holds_anything(session: Session, owner: int) -> bool:
    return any(rows_of(session, owner, model) for model in TABLES.values())
