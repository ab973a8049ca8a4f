"""Outcome scores of one person."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from piri.store.models import OutcomeScore


def save_score(
    session: Session,
    owner: int,
    day: dt.date,
    instrument: str,
    score: float,
    answers: dict[str, Any],
) -> None:
    session.add(
        OutcomeScore(person_id=owner, day=day, instrument=instrument, score=score, answers=answers)
    )
    session.flush()


def scores(
    session: Session, owner: int, instrument: str | None = None
) -> list[tuple[dt.date, str, float]]:
    """(day, instrument, score), oldest first."""
    query = select(OutcomeScore).where(OutcomeScore.person_id == owner)
    if instrument is not None:
        query = query.where(OutcomeScore.instrument == instrument)
    rows = session.scalars(query.order_by(OutcomeScore.day, OutcomeScore.id))
    return [(row.day, row.instrument, row.score) for row in rows]
