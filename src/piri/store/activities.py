"""Imported activities of one person, with duplicate detection."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, fields

from sqlalchemy import Connection, insert, select
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


def find_duplicate_fast(connection: Connection, owner: int, activity: Activity) -> int | None:
    """:func:`find_duplicate` on a plain connection, reading two columns: the bulk import's."""
    window = dt.timedelta(seconds=SAME_START_SECONDS)
    table = ActivityRow.__table__
    rows = connection.execute(
        select(table.c.id, table.c.distance_m).where(
            table.c.person_id == owner,
            table.c.start >= activity.start - window,
            table.c.start <= activity.start + window,
        )
    )
    for row_id, distance in rows:
        if _same_distance(distance, activity.distance_m):
            return int(row_id)
    return None


def insert_activity(connection: Connection, owner: int, activity: Activity) -> None:
    """:func:`add_activity` on a plain connection, for the bulk import. It passes by the ORM,
    so the caller gives the person a new data version (``store.versions.bump``)."""
    values = {name: getattr(activity, name) for name in _SUMMARY_FIELDS}
    laps = [{**asdict(lap), "start": lap.start.isoformat()} for lap in activity.laps]
    connection.execute(insert(ActivityRow), [{"person_id": owner, "laps": laps, **values}])


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


def runs_on(session: Session, owner: int, day: dt.date) -> list[tuple[int, Activity]]:
    """(row id, activity) of the runs on a local day, in order of start."""
    from piri.domain.load import run_day

    start = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    end = start + dt.timedelta(days=3)
    rows = session.scalars(
        select(ActivityRow)
        .where(ActivityRow.person_id == owner, ActivityRow.start >= start, ActivityRow.start < end)
        .order_by(ActivityRow.start)
    )
    found = [(row.id, _activity(row)) for row in rows]
    return [(i, a) for i, a in found if a.is_run and run_day(a) == day]


def set_rpe(session: Session, owner: int, activity_id: int, effort: int) -> None:
    row = session.get(ActivityRow, activity_id)
    if row is None or row.person_id != owner:
        raise LookupError(f"no activity {activity_id}")
    row.rpe = effort
    session.flush()


def ratings(session: Session, owner: int) -> dict[str, float]:
    """Effort ratings by the activity's start (UTC, ISO format)."""
    rows = session.execute(
        select(ActivityRow.start, ActivityRow.rpe).where(
            ActivityRow.person_id == owner, ActivityRow.rpe.is_not(None)
        )
    )
    out = {}
    for start, rpe in rows:
        if rpe is None:
            continue
        aware = start if start.tzinfo else start.replace(tzinfo=dt.UTC)
        out[aware.astimezone(dt.UTC).isoformat()] = float(rpe)
    return out
