"""Importing a runner's activity history: find, parse in parallel, deduplicate, store."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from piri.activities.archive import Found, Limits, Skipped, find_activity_files
from piri.activities.importer import FileResult, read_all
from piri.domain.activity import Activity
from piri.services.diary import LOCAL_PERSON, store
from piri.store import activities as activity_store
from piri.store import diary as diary_store
from piri.store import versions
from piri.store.activities import _activity as activity_from_row
from piri.store.database import transaction
from piri.store.models import ActivityRow

# The largest id either database stores (a signed 64-bit integer); a larger one is no run.
MAX_ACTIVITY_ID = 2**63 - 1

IMPORTED = "imported"
# Activities stored per commit (each in its own savepoint), and the longest a batch stays open.
BATCH_ACTIVITIES = 200
BATCH_SECONDS = 1.0
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
    results = read_all(find_activity_files(paths, limits or Limits()), workers)
    _store_all(engine, owner, results, report, on_progress)
    return report


def _store_all(
    engine: Engine,
    owner: int,
    results: Iterable[FileResult],
    report: ImportReport,
    on_progress: Callable[[ImportReport], None] | None = None,
) -> None:
    batch = _Batch(engine)
    try:
        for result in results:
            report.bytes_read += result.size
            report.files.append(_store_file(batch.session(), owner, result, report))
            if on_progress is not None:
                on_progress(report)
        batch.commit()
    finally:
        batch.close()


class _Batch:
    """The transaction the next activities go into: committed every BATCH_ACTIVITIES
    activities or BATCH_SECONDS, whichever comes first. Each activity is stored inside it in
    a savepoint of its own, so an activity is always stored whole or not at all, and one
    commit (the slow part on disk) covers many."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._session: Session | None = None
        self._started = 0.0
        self._count = 0

    def session(self) -> Session:
        now = time.monotonic()
        if self._session is not None and (
            self._count >= BATCH_ACTIVITIES or now - self._started >= BATCH_SECONDS
        ):
            self.commit()
        if self._session is None:
            self._session = Session(self.engine, expire_on_commit=False)
            self._session.begin()
            self._started, self._count = now, 0
        self._count += 1
        return self._session

    def commit(self) -> None:
        if self._session is not None:
            owner = self._session.info.pop("imported_for", None)
            if owner is not None:  # the activities passed by the ORM's version events
                versions.bump(self._session.connection(), owner)
            self._session.commit()
            self._session.close()
            self._session = None

    def close(self) -> None:
        """Roll back what was not committed (the import stopped with an error)."""
        if self._session is not None:
            self._session.rollback()
            self._session.close()
            self._session = None


def _store_file(
    session: Session, owner: int, result: FileResult, report: ImportReport
) -> FileOutcome:
    if result.failed is not None:
        return FileOutcome(result.origin, FAILED, result.failed)
    if result.skipped is not None:
        return FileOutcome(result.origin, SKIPPED, result.skipped)
    new = 0
    for activity in result.activities:
        if _store_activity(session, owner, activity):
            new += 1
    duplicates = len(result.activities) - new
    report.imported += new
    report.duplicates += duplicates
    if new == 0:
        return FileOutcome(result.origin, DUPLICATE, "already imported", len(result.activities))
    detail = f"{duplicates} already imported" if duplicates else ""
    return FileOutcome(result.origin, IMPORTED, detail, new)


def _store_activity(session: Session, owner: int, activity: Activity) -> bool:
    """One activity, whole or not at all (a savepoint), unless it is already stored."""
    connection = session.connection()
    with connection.begin_nested():
        if activity_store.find_duplicate_fast(connection, owner, activity) is not None:
            return False
        activity_store.insert_activity(connection, owner, activity)
        session.info["imported_for"] = owner
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
    _store_all(engine, owner, read_all(named(), workers), report)
    return report
