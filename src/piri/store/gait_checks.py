"""Reading and writing gait checks and their key frames.

A check is claimed by one analysis at a time: the claim is an UPDATE that only succeeds while
the row is still as the claimer read it (same status, same ``updated_at``), so two workers (two
server processes) never analyse one clip twice. Progress is written on a plain connection, not
through the ORM session, so it does not give the person a new data version several times a
second. Times are stored in UTC; reads go through :func:`piri.store.accounts.utc`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, delete, func, or_, select, update
from sqlalchemy.orm import Session

from piri.store.models import GaitCheckRow, GaitFrameRow, Person

QUEUED = "queued"
RUNNING = "running"
DONE = "done"
FAILED = "failed"


@dataclass(frozen=True)
class Claimed:
    """A check an analysis has taken up: what it needs to run."""

    id: int
    person: str  # the person's name (services read the profile by it)
    filename: str  # as uploaded
    video_file: str | None
    view_asked: str | None
    fps_given: float | None
    keep_video: bool
    attempts: int  # this one included


@dataclass(frozen=True)
class NewFrame:
    kind: str
    leg: str | None
    time_s: float
    label: str
    media_type: str
    image: bytes


def add_check(
    session: Session,
    owner: int,
    *,
    filename: str,
    size_bytes: int,
    view_asked: str | None,
    fps_given: float | None,
    keep_video: bool,
    video_file: str,
    frames_expected: int | None,
    now: dt.datetime,
) -> int:
    row = GaitCheckRow(
        person_id=owner,
        created_at=now,
        updated_at=now,
        status=QUEUED,
        filename=filename,
        size_bytes=size_bytes,
        view_asked=view_asked,
        fps_given=fps_given,
        keep_video=keep_video,
        video_file=video_file,
        frames_done=0,
        frames_expected=frames_expected,
        attempts=0,
    )
    session.add(row)
    session.flush()
    return row.id


def fail_abandoned(session: Session, stale_before: dt.datetime, max_attempts: int) -> list[int]:
    """Running checks nobody has moved on since ``stale_before`` that have had their tries:
    failed, with the reason. Returns their ids."""
    rows = session.scalars(
        select(GaitCheckRow).where(
            GaitCheckRow.status == RUNNING,
            GaitCheckRow.updated_at < stale_before,
            GaitCheckRow.attempts >= max_attempts,
        )
    ).all()
    for row in rows:
        row.status = FAILED
        row.error = (
            f"The analysis stopped before it finished, {row.attempts} times. The clip may be "
            "too long or damaged: trim it to 20 to 30 seconds and upload it again."
        )
        row.finished_at = stale_before
    return [row.id for row in rows]


def claim_next(
    session: Session, now: dt.datetime, stale_before: dt.datetime, max_attempts: int
) -> Claimed | None:
    """The oldest queued check, or a running one abandoned since ``stale_before`` with tries
    left, now running for this caller; None when there is none (or another caller won)."""
    candidates = session.execute(
        select(
            GaitCheckRow.id,
            GaitCheckRow.status,
            GaitCheckRow.updated_at,
        )
        .where(
            or_(
                GaitCheckRow.status == QUEUED,
                (GaitCheckRow.status == RUNNING)
                & (GaitCheckRow.updated_at < stale_before)
                & (GaitCheckRow.attempts < max_attempts),
            )
        )
        .order_by(GaitCheckRow.created_at, GaitCheckRow.id)
        .limit(5)
    ).all()
    for check_id, status, updated_at in candidates:
        taken = session.execute(
            update(GaitCheckRow)
            .where(
                GaitCheckRow.id == check_id,
                GaitCheckRow.status == status,
                GaitCheckRow.updated_at == updated_at,
            )
            .values(
                status=RUNNING,
                updated_at=now,
                attempts=GaitCheckRow.attempts + 1,
                frames_done=0,
            )
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount == 1:  # type: ignore[attr-defined]
            row = session.execute(
                select(GaitCheckRow, Person.name)
                .join(Person, Person.id == GaitCheckRow.person_id)
                .where(GaitCheckRow.id == check_id)
            ).one()
            check: GaitCheckRow = row[0]
            return Claimed(
                id=check.id,
                person=row[1],
                filename=check.filename,
                video_file=check.video_file,
                view_asked=check.view_asked,
                fps_given=check.fps_given,
                keep_video=check.keep_video,
                attempts=check.attempts,
            )
    return None


def write_progress(
    engine: Engine, check_id: int, done: int, expected: int | None, now: dt.datetime
) -> bool:
    """The frames analysed so far (and the heartbeat); False when the check is gone or no
    longer running (the runner deleted it meanwhile)."""
    with engine.begin() as connection:
        result = connection.execute(
            update(GaitCheckRow)
            .where(GaitCheckRow.id == check_id, GaitCheckRow.status == RUNNING)
            .values(frames_done=done, frames_expected=expected, updated_at=now)
        )
        return bool(result.rowcount)


def finish(
    session: Session,
    check_id: int,
    *,
    result: dict[str, Any],
    view: str,
    film_again: bool,
    frames: Sequence[NewFrame],
    now: dt.datetime,
) -> bool | None:
    """Store the report and key frames. Whether the runner keeps the clip (as the row says
    now: the runner may have changed it during the analysis), or None when the check was
    deleted meanwhile; a clip not kept is no longer the row's."""
    row = session.get(GaitCheckRow, check_id)
    if row is None or row.status != RUNNING:
        return None
    row.status = DONE
    row.result = result
    row.view = view
    row.film_again = film_again
    row.finished_at = now
    row.updated_at = now
    row.error = None
    if row.frames_expected is not None:
        row.frames_done = row.frames_expected
    if not row.keep_video:
        row.video_file = None
    session.execute(delete(GaitFrameRow).where(GaitFrameRow.check_id == check_id))
    for position, frame in enumerate(frames, start=1):
        session.add(
            GaitFrameRow(
                check_id=check_id,
                position=position,
                kind=frame.kind,
                leg=frame.leg,
                time_s=frame.time_s,
                label=frame.label,
                media_type=frame.media_type,
                image=frame.image,
            )
        )
    return row.keep_video


def fail(session: Session, check_id: int, message: str, now: dt.datetime) -> bool | None:
    """The check failed, with the reason; whether the clip is kept, as ``finish``."""
    row = session.get(GaitCheckRow, check_id)
    if row is None or row.status != RUNNING:
        return None
    row.status = FAILED
    row.error = message
    row.finished_at = now
    row.updated_at = now
    if not row.keep_video:
        row.video_file = None
    return row.keep_video


def checks_of(session: Session, owner: int, limit: int, offset: int = 0) -> list[GaitCheckRow]:
    """The person's checks, newest first."""
    return list(
        session.scalars(
            select(GaitCheckRow)
            .where(GaitCheckRow.person_id == owner)
            .order_by(GaitCheckRow.created_at.desc(), GaitCheckRow.id.desc())
            .limit(limit)
            .offset(offset)
        )
    )


def count_of(session: Session, owner: int) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(GaitCheckRow).where(GaitCheckRow.person_id == owner)
        )
        or 0
    )


def check_of(session: Session, owner: int, check_id: int) -> GaitCheckRow | None:
    return session.scalar(
        select(GaitCheckRow).where(GaitCheckRow.id == check_id, GaitCheckRow.person_id == owner)
    )


def frames_of(session: Session, check_id: int) -> list[tuple[int, str, str | None, float, str]]:
    """The check's key frames without their images: (position, kind, leg, time, label)."""
    rows = session.execute(
        select(
            GaitFrameRow.position,
            GaitFrameRow.kind,
            GaitFrameRow.leg,
            GaitFrameRow.time_s,
            GaitFrameRow.label,
        )
        .where(GaitFrameRow.check_id == check_id)
        .order_by(GaitFrameRow.position)
    )
    return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]


def frame_image(session: Session, check_id: int, position: int) -> tuple[str, bytes] | None:
    row = session.execute(
        select(GaitFrameRow.media_type, GaitFrameRow.image).where(
            GaitFrameRow.check_id == check_id, GaitFrameRow.position == position
        )
    ).first()
    return None if row is None else (row[0], row[1])


def delete_check(session: Session, owner: int, check_id: int) -> GaitCheckRow | None:
    """Delete the check and its frames; the row as it was (its video file to remove)."""
    row = check_of(session, owner, check_id)
    if row is None:
        return None
    session.delete(row)
    session.flush()
    return row


def video_files_of(session: Session, person: str) -> list[str]:
    """The clips on disk of the person called ``person`` (to delete with them)."""
    return [
        name
        for name in session.scalars(
            select(GaitCheckRow.video_file)
            .join(Person, Person.id == GaitCheckRow.person_id)
            .where(Person.name == person, GaitCheckRow.video_file.is_not(None))
        )
        if name
    ]


def finished_reports(
    session: Session, owner: int, limit: int = 20
) -> list[tuple[int, str, dict[str, Any]]]:
    """(id, when, report) of the person's analysed checks, newest first."""
    from piri.store.accounts import utc

    rows = session.execute(
        select(GaitCheckRow.id, GaitCheckRow.created_at, GaitCheckRow.result)
        .where(GaitCheckRow.person_id == owner, GaitCheckRow.status == DONE)
        .order_by(GaitCheckRow.created_at.desc(), GaitCheckRow.id.desc())
        .limit(limit)
    )
    return [(r[0], f"{utc(r[1]):%Y-%m-%d}", r[2] or {}) for r in rows]
