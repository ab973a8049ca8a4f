"""Profile, current doses and session records of one person."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from piri.content.models import Phase
from piri.domain.program import RunnerProfile, SessionOutcome
from piri.domain.progression import Prescription
from piri.store.models import PrescriptionRow, Profile, SessionRecord


def load_profile(session: Session, owner: int) -> tuple[RunnerProfile, Phase, dt.date | None, Any]:
    """(profile, phase, phase since, last symptom-check result); defaults when none is stored."""
    row = session.scalar(select(Profile).where(Profile.person_id == owner))
    if row is None:
        return RunnerProfile(), Phase.SETTLE, None, None
    profile = RunnerProfile(
        painful_side=row.painful_side,
        equipment=frozenset(row.equipment),
        minutes_per_day=row.minutes_per_day,
        days_per_week=row.days_per_week,
        running_status=row.running_status,
        goals=tuple(row.goals),
        walks_30_min_pain_free=row.walks_30_min_pain_free,
    )
    return profile, Phase(row.phase), row.phase_since, row.last_check


def _row(session: Session, owner: int) -> Profile:
    row = session.scalar(select(Profile).where(Profile.person_id == owner))
    if row is None:
        row = Profile(
            person_id=owner,
            equipment=[],
            goals=[],
            minutes_per_day=20,
            days_per_week=4,
            running_status="running_with_pain",
            walks_30_min_pain_free=False,
            phase=Phase.SETTLE.value,
        )
        session.add(row)
    return row


def save_profile(session: Session, owner: int, profile: RunnerProfile) -> None:
    row = _row(session, owner)
    row.painful_side = profile.painful_side
    row.equipment = sorted(profile.equipment)
    row.minutes_per_day = profile.minutes_per_day
    row.days_per_week = profile.days_per_week
    row.running_status = profile.running_status
    row.goals = list(profile.goals)
    row.walks_30_min_pain_free = profile.walks_30_min_pain_free
    session.flush()


def save_phase(session: Session, owner: int, phase: Phase, since: dt.date) -> None:
    row = _row(session, owner)
    row.phase = phase.value
    row.phase_since = since
    session.flush()


def save_last_check(session: Session, owner: int, result: dict[str, Any]) -> None:
    _row(session, owner).last_check = result
    session.flush()


def prescriptions(session: Session, owner: int) -> dict[str, tuple[Prescription, int]]:
    """slot -> (current dose, good sessions in a row)."""
    rows = session.scalars(
        select(PrescriptionRow)
        .where(PrescriptionRow.person_id == owner)
        .order_by(PrescriptionRow.id)
    )
    return {r.slot: (Prescription(r.exercise, r.sets, r.reps), r.good_sessions) for r in rows}


def save_prescription(
    session: Session, owner: int, slot: str, dose: Prescription, good_sessions: int
) -> None:
    row = session.scalar(
        select(PrescriptionRow).where(
            PrescriptionRow.person_id == owner, PrescriptionRow.slot == slot
        )
    )
    if row is None:
        row = PrescriptionRow(person_id=owner, slot=slot)
        session.add(row)
    row.exercise = dose.exercise
    row.sets = dose.sets
    row.reps = dose.reps
    row.good_sessions = good_sessions
    session.flush()


def start_prescription(session: Session, owner: int, slot: str, dose: Prescription) -> None:
    """The starting dose of a ladder just opened, unless it is there already. Pages open
    ladders while they read, so two requests at once may both try: the second one's insert
    is dropped (in a savepoint of its own) and the first one's dose, the same, is kept."""
    try:
        with session.begin_nested():
            session.add(
                PrescriptionRow(
                    person_id=owner,
                    slot=slot,
                    exercise=dose.exercise,
                    sets=dose.sets,
                    reps=dose.reps,
                    good_sessions=0,
                )
            )
    except IntegrityError:
        pass


def add_session(session: Session, owner: int, record: SessionRecord) -> int:
    record.person_id = owner
    session.add(record)
    session.flush()
    return record.id


def latest_session_waiting_for_morning(session: Session, owner: int) -> SessionRecord | None:
    return session.scalar(
        select(SessionRecord)
        .where(SessionRecord.person_id == owner, SessionRecord.pain_next_morning.is_(None))
        .order_by(SessionRecord.day.desc(), SessionRecord.id.desc())
    )


def session_outcomes(session: Session, owner: int) -> list[SessionOutcome]:
    rows = session.scalars(
        select(SessionRecord).where(SessionRecord.person_id == owner).order_by(SessionRecord.day)
    )
    return [
        SessionOutcome(r.day, r.completed, any("Stepping back" in d for d in r.decisions))
        for r in rows
    ]


def session_records(
    session: Session,
    owner: int,
    since: dt.date | None = None,
    until: dt.date | None = None,
    on: dt.date | None = None,
) -> list[SessionRecord]:
    """The person's sessions by day (``on`` one day, or ``since``/``until`` inclusive)."""
    query = select(SessionRecord).where(SessionRecord.person_id == owner)
    if on is not None:
        since = until = on
    if since is not None:
        query = query.where(SessionRecord.day >= since)
    if until is not None:
        query = query.where(SessionRecord.day <= until)
    return list(session.scalars(query.order_by(SessionRecord.day)))


def first_session_day(session: Session, owner: int) -> dt.date | None:
    found: dt.date | None = session.scalar(
        select(func.min(SessionRecord.day)).where(SessionRecord.person_id == owner)
    )
    return found


def session_days(session: Session, owner: int) -> list[dt.date]:
    """The day of every session, oldest first: reads that one column only."""
    query = (
        select(SessionRecord.day)
        .where(SessionRecord.person_id == owner)
        .order_by(SessionRecord.day)
    )
    return list(session.scalars(query))
