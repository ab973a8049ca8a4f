"""Importing a runner's activity history: find, parse in parallel, deduplicate, store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from piri.activities.archive import Limits, find_activity_files
from piri.activities.importer import FileResult, read_all
from piri.domain.activity import Activity
from piri.services.diary import LOCAL_PERSON, store
from piri.store import activities as activity_store
from piri.store import diary as diary_store
from piri.store.database import transaction

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
