"""Imported activities of one person, with duplicate detection."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, fields

from sqlalchemy import select
from sqlalchemy.orm import Session

from piri.domain.activity import Activity, Lap
from piri.store.models import ActivityRow

# The same run recorded twice (a FIT and a GPX of it, or an export imported again) starts
# within a minute and has nearly the same distance.
SAME_START_SECONDS = 60
SAME_DISTANCE_SHARE = 0.03

_SUMMARY_FIELDS = [f.name for f in fields(Activity) if f.name != "laps"]


def find_duplicate(session: Session, owner: int, activity: Activity) -> int | None:
    """The id of a stored activity that is the same one, else None."""
    window = dt.timedelta(seconds=SAME_START_SECONDS)
    rows = session.scalars(
        select(ActivityRow).where(
            ActivityRow.person_id == owner,
            ActivityRow.start >= activity.start - window,
            ActivityRow.start <= activity.start + window,
        )
    )
    for row in rows:
        if _same_distance(row.distance_m, activity.distance_m):
            return row.id
    return None


def _same_distance(a: float | None, b: float | None) -> bool:
    if not a or not b:
        return not a and not b
    return abs(a - b) <= SAME_DISTANCE_SHARE * max(a, b)


def add_activity(session: Session, owner: int, activity: Activity) -> int:
    values = {name: getattr(activity, name) for name in _SUMMARY_FIELDS}
    laps = [{**asdict(lap), "start": lap.start.isoformat()} for lap in activity.laps]
    row = ActivityRow(person_id=owner, laps=laps, **values)
    session.add(row)
    session.flush()
    return row.id


def activities(session: Session, owner: int, since: dt.datetime | None = None) -> list[Activity]:
    query = select(ActivityRow).where(ActivityRow.person_id == owner)
    if since is not None:
        query = query.where(ActivityRow.start >= since)
    return [_activity(row) for row in session.scalars(query.order_by(ActivityRow.start))]


def _activity(row: ActivityRow) -> Activity:
    values = {name: getattr(row, name) for name in _SUMMARY_FIELDS}
    start = values["start"]
    if start.tzinfo is None:  # SQLite gives back naive datetimes; they were stored as UTC
        values["start"] = start.replace(tzinfo=dt.UTC)
    laps = [
        Lap(**{**lap, "start": dt.datetime.fromisoformat(str(lap["start"]))})  # type: ignore[arg-type]
        for lap in row.laps
    ]
    return Activity(laps=laps, **values)
