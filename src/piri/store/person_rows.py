"""Every row that belongs to a person, as plain JSON-ready dicts, and back."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, DateTime, select
from sqlalchemy.orm import Session

from piri.store.models import (
    ActivityRow,
    Base,
    CareNote,
    CarePlanRow,
    GaitCheckRow,
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
    # what a clinician wrote for the person (multi-user mode): the plans they published and
    # their notes, each with its author's name as it was
    "care_plans": CarePlanRow,
    "care_notes": CareNote,
    # gait checks with their reports (not their key frames, nor a kept clip: the clip stays
    # on the server it was uploaded to, and is deleted with the person)
    "gait_checks": GaitCheckRow,
}
# The column that names the person a row belongs to, where it is not ``person_id``.
OWNER_COLUMNS: dict[type[Base], str] = {CareNote: "runner_id"}
# Ids of this database: the row's own, its owner's (the person it is imported into), and the
# clinician who wrote it (another account, maybe on another server; the name is kept).
NOT_EXPORTED = {"id", "person_id", "runner_id", "author_id", "video_file"}


def _owner(model: type[Base]) -> Any:
    return getattr(model, OWNER_COLUMNS.get(model, "person_id"))


def rows_of(session: Session, owner: int, model: type[Base]) -> list[dict[str, Any]]:
    columns = [c for c in model.__table__.columns if c.name not in NOT_EXPORTED]
    query = select(model).where(_owner(model) == owner).order_by(model.id)  # type: ignore[attr-defined]
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
        session.add(model(**{OWNER_COLUMNS.get(model, "person_id"): owner, **values}))
    session.flush()


def holds_anything(session: Session, owner: int) -> bool:
    return any(rows_of(session, owner, model) for model in TABLES.values())
