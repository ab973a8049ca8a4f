"""Importing a runner's activity history: find, parse in parallel, deduplicate, store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import Engine, func, select

from piri.activities.archive import Found, Limits, Skipped, find_activity_files
from piri.activities.importer import FileResult, read_all
from piri.domain.activity import Activity
from piri.services.diary import LOCAL_PERSON, store
from piri.store import activities as activity_store
from piri.store import diary as diary_store
from piri.store.activities import _activity as activity_from_row
from piri.store.database import transaction
from piri.store.models import ActivityRow

# The largest id either database stores (a signed 64-bit integer); a larger one is no run.
MAX_ACTIVITY_ID = 2**63 - 1

IMPORTED = "imported"
DUPLICATE = "duplicate"
SKIPPED = "skipped"
FAILED = "failed"


@dataclass(frozen=True)
class FileOutcome:
    origin: str
    outcome: str  # imported, duplicate, skipped or failed
    detail: str = ""
    activities: int = 0


@dataclass
class ImportReport:
    files: list[FileOutcome] = field(default_factory=list)
    imported: int = 0
    duplicates: int = 0
    bytes_read: int = 0

    def count(self, outcome: str) -> int:
        return sum(1 for f in self.files if f.outcome == outcome)


Progress = Callable[[ImportReport], None]


def import_paths(
    paths: list[Path],
    person: str = LOCAL_PERSON,
    on_progress: Progress | None = None,
    limits: Limits | None = None,
    workers: int | None = None,
) -> ImportReport:
    """Import every activity under ``paths``; each activity is stored in its own transaction."""
    report = ImportReport()
    engine = store()
    with transaction(engine) as session:
        owner = diary_store.person_id(session, person)
    for result in read_all(find_activity_files(paths, limits or Limits()), workers):
        report.bytes_read += result.size
        report.files.append(_store_file(engine, owner, result, report))
        if on_progress is not None:
            on_progress(report)
    return report


def _store_file(
    engine: Engine, owner: int, result: FileResult, report: ImportReport
) -> FileOutcome:
    if result.failed is not None:
        return FileOutcome(result.origin, FAILED, result.failed)
    if result.skipped is not None:
        return FileOutcome(result.origin, SKIPPED, result.skipped)
    new = 0
    for activity in result.activities:
        if _store_activity(engine, owner, activity):
            new += 1
    duplicates = len(result.activities) - new
    report.imported += new
    report.duplicates += duplicates
    if new == 0:
        return FileOutcome(result.origin, DUPLICATE, "already imported", len(result.activities))
    detail = f"{duplicates} already imported" if duplicates else ""
    return FileOutcome(result.origin, IMPORTED, detail, new)


def _store_activity(engine: Engine, owner: int, activity: Activity) -> bool:
    with transaction(engine) as session:
        if activity_store.find_duplicate(session, owner, activity) is not None:
            return False
        activity_store.add_activity(session, owner, activity)
        return True


def runs(person: str = LOCAL_PERSON, since: dt.date | None = None) -> list[Activity]:
    start = dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC) if since else None
    with transaction(store()) as session:
        return activity_store.activities(session, diary_store.person_id(session, person), start)


@dataclass(frozen=True)
class StoredActivity:
    """An imported activity with its id (for links) and the effort the runner gave it."""

    id: int
    activity: Activity
    effort: int | None  # session RPE 0-10, when rated


def stored_activities(
    person: str = LOCAL_PERSON,
    since: dt.date | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> tuple[list[StoredActivity], int]:
    """Newest first, from ``since`` on, one page of them; and how many there are in all."""
    start = dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC) if since else None
    with transaction(store()) as session:
        owner = diary_store.person_id(session, person)
        where = [ActivityRow.person_id == owner]
        if start is not None:
            where.append(ActivityRow.start >= start)
        total = session.scalar(select(func.count()).select_from(ActivityRow).where(*where)) or 0
        query = (
            select(ActivityRow)
            .where(*where)
            .order_by(ActivityRow.start.desc(), ActivityRow.id.desc())
            .offset(offset)
            .limit(limit)
        )
        found = [
            StoredActivity(row.id, activity_from_row(row), row.rpe)
            for row in session.scalars(query)
        ]
    return found, total


def stored_activity(activity_id: int, person: str = LOCAL_PERSON) -> StoredActivity | None:
    """One of this person's activities by id; None when it is not theirs or does not exist."""
    if not 0 < activity_id <= MAX_ACTIVITY_ID:  # the database refuses to look larger ones up
        return None
    with transaction(store()) as session:
        owner = diary_store.person_id(session, person)
        row = session.get(ActivityRow, activity_id)
        if row is None or row.person_id != owner:
            return None
        return StoredActivity(row.id, activity_from_row(row), row.rpe)


def import_named(
    files: list[tuple[str, Path]],
    person: str = LOCAL_PERSON,
    limits: Limits | None = None,
    workers: int | None = None,
) -> ImportReport:
    """``import_paths`` for files whose paths mean nothing to the runner (uploads kept in a
    temporary folder): each file's outcomes, and the origin stored with its activities, name
    it by the given name (an entry of an uploaded ZIP as "export.zip:activities/1.fit")."""

    def named() -> Iterator[Found | Skipped]:
        for name, path in files:
            for item in find_activity_files([path], limits or Limits()):
                origin = name + item.origin.removeprefix(str(path))
                if isinstance(item, Skipped):  # a reason may name the archive by its path
                    yield Skipped(origin, item.reason.replace(str(path), name))
                else:
                    yield replace(item, origin=origin)

    report = ImportReport()
    engine = store()
    with transaction(engine) as session:
        owner = diary_store.person_id(session, person)
    for result in read_all(named(), workers):
        report.bytes_read += result.size
        report.files.append(_store_file(engine, owner, result, report))
    return report
